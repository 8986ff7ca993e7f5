// 사용법 · usage:
//   cargo run -p check              연습 문제 목록 · list the exercises
//   cargo run -p check -- 3.1       연습 3.1 검사 · check exercise 3.1
//   cargo run -p check -- 3.1 3.2   둘 다 · both
//   cargo run -p check -- 3         3장 전체 · every exercise of chapter 3
//   cargo run -p check -- all       전부 · everything
use std::process::ExitCode;

use check::{Code, choose, exercises, outcome, quiet_panics_everywhere, run_all, summary};

fn main() -> ExitCode {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if wanted.is_empty() {
        println!("연습 문제 · exercises (cargo run -p check -- N.M):");
        for exercise in exercises() {
            println!("  {}  {}", exercise.id, exercise.title);
        }
        return ExitCode::SUCCESS;
    }
    let chosen = match choose(&wanted) {
        Ok(chosen) => chosen,
        Err(refusal) => {
            eprintln!("{refusal}");
            return ExitCode::FAILURE;
        }
    };
    // 검사들은 동시에 돌고, 결과는 순서대로 찍힙니다 · checks run at once, results print in order.
    quiet_panics_everywhere();
    let results = run_all(&chosen, Code::Yours);
    let mut failed = 0;
    for (exercise, result) in chosen.iter().zip(&results) {
        println!("연습 {0} · exercise {0}: {1}", exercise.id, exercise.title);
        match outcome(result) {
            Ok(()) => println!("  통과 · PASS"),
            Err(failure) => {
                failed += 1;
                println!("  실패 · FAIL: {failure}");
                println!("  고칠 곳 · edit: {}: {}", exercise.file, exercise.function);
            }
        }
    }
    println!("{}", summary(chosen.len() - failed, failed));
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
