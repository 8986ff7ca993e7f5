// 사용법 · usage:
//   cargo run -p check            연습 문제 목록 · list the exercises
//   cargo run -p check -- 3.1     연습 3.1 검사 · check exercise 3.1
//   cargo run -p check -- 3       3장 전체 · every exercise of chapter 3
//   cargo run -p check -- all     전부 · everything
use std::process::ExitCode;

use check::{Code, exercises, select};

fn main() -> ExitCode {
    let Some(wanted) = std::env::args().nth(1) else {
        println!("연습 문제 · exercises (cargo run -p check -- N.M):");
        for exercise in exercises() {
            println!("  {}  {}", exercise.id, exercise.title);
        }
        return ExitCode::SUCCESS;
    };
    let chosen = if wanted == "all" {
        exercises()
    } else {
        select(&wanted)
    };
    if chosen.is_empty() {
        eprintln!(
            "그런 연습 문제가 없습니다 · no exercise {wanted:?}: run `cargo run -p check` for the list"
        );
        return ExitCode::FAILURE;
    }
    let mut failed = 0;
    for exercise in &chosen {
        println!("연습 {0} · exercise {0}: {1}", exercise.id, exercise.title);
        match (exercise.check)(Code::Yours) {
            Ok(()) => println!("  통과 · PASS"),
            Err(failure) => {
                failed += 1;
                println!("  실패 · FAIL: {failure}");
            }
        }
    }
    println!("{} passed, {failed} failed", chosen.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
