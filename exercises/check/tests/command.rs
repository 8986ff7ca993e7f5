//! 검사기 명령 자체 · The `check` command itself, run as a program.
//!
//! A test binary of its own: a child process holds a copy of every socket of its parent until it
//! execs, so spawning children beside the checks of `proof.rs` (which release ports and look at
//! them again) would make those checks see ports still taken.

use check::{exercises, summary};

#[test]
fn the_command_names_the_exercise_and_says_pass_or_fail() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_check"))
            .args(args)
            .output()
            .expect("run check")
    };
    let out = run(&["3.1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("exercise 3.1"), "{text}");
    assert!(text.contains("FAIL") || text.contains("PASS"), "{text}");
    assert_eq!(
        out.status.success(),
        text.contains("PASS"),
        "exit code follows the verdict"
    );
    if text.contains("FAIL") {
        assert!(
            text.contains("고칠 곳 · edit: exercises/ch03/src/lib.rs: echo_upper"),
            "a FAIL names the file and the function to edit: {text}"
        );
    }

    // 여러 개를 한 번에, 요약은 두 언어로 · several at once, the summary in both languages
    let out = run(&["3.2", "3.1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let (second, first) = (text.find("exercise 3.2"), text.find("exercise 3.1"));
    assert!(
        second.is_some() && first.is_some() && second < first,
        "both, in the order asked: {text}"
    );
    let passed = text.matches("PASS").count();
    assert!(
        text.trim_end().ends_with(&summary(passed, 2 - passed)),
        "the last line is the summary: {text}"
    );

    let out = run(&["3.1", "9.9"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing is checked");
    let refusal = String::from_utf8_lossy(&out.stderr);
    assert!(refusal.contains("no exercise \"9.9\""), "{refusal}");
    assert!(refusal.contains("1.1 1.2 1.3"), "lists the ids: {refusal}");

    let listing = String::from_utf8_lossy(&run(&[]).stdout).into_owned();
    for e in exercises() {
        assert!(listing.contains(e.id), "the list shows {}", e.id);
    }
}
