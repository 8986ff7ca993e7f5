//! 검사를 검사합니다 · The checks, checked.
//!
//! Every check passes on its reference solution and fails on the unmodified starting point,
//! so no check can pass vacuously. (If you have solved an exercise in `exercises/`, the second
//! test tells you so: it guards the repository's starting points. `git stash` puts them back.)

use std::time::Duration;

use check::{Code, Outcome, choose, exercises, outcome, run_all, summary, within};

/// 모든 검사를 동시에 돌린 결과 · Every check's outcome, the checks run at the same time.
fn every_outcome(code: Code) -> Vec<(&'static str, Outcome)> {
    let all = exercises();
    let results = run_all(&all, code);
    all.iter()
        .zip(&results)
        .map(|(e, result)| (e.id, outcome(result)))
        .collect()
}

#[test]
fn every_reference_solution_passes_its_check() {
    let failures: Vec<String> = every_outcome(Code::Reference)
        .into_iter()
        .filter_map(|(id, outcome)| outcome.err().map(|f| format!("{id}: {f}")))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_unmodified_starting_point_fails_its_check() {
    let passing: Vec<&str> = every_outcome(Code::Yours)
        .into_iter()
        .filter(|(_, outcome)| outcome.is_ok())
        .map(|(id, _)| id)
        .collect();
    assert!(
        passing.is_empty(),
        "these starting points pass their checks: {passing:?}. A starting point must fail \
         until the exercise is done (if you solved them yourself: well done, and `git stash` \
         restores the starting points)"
    );
}

#[test]
fn every_chapter_with_exercises_has_two_to_four() {
    let mut per_chapter = std::collections::BTreeMap::<&str, usize>::new();
    for e in exercises() {
        *per_chapter
            .entry(e.id.split('.').next().unwrap_or_default())
            .or_default() += 1;
    }
    for (chapter, count) in per_chapter {
        assert!(
            (2..=4).contains(&count),
            "chapter {chapter} has {count} exercises"
        );
    }
}

#[test]
fn the_command_line_names_choose_exercises_once_each_in_order() {
    let names = |args: &[&str]| -> Result<Vec<&str>, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        choose(&args).map(|chosen| chosen.iter().map(|e| e.id).collect())
    };
    assert_eq!(names(&["3.2", "3.1"]), Ok(vec!["3.2", "3.1"]));
    assert_eq!(names(&["3.1", "3", "3.1"]), Ok(vec!["3.1", "3.2", "3.3"]));
    assert_eq!(names(&["all"]).map(|ids| ids.len()), Ok(exercises().len()));
    let refusal = names(&["3.1", "3.9", "x"]).expect_err("unknown ids are refused");
    assert!(refusal.contains("\"3.9\", \"x\""), "{refusal}");
    for e in exercises() {
        assert!(refusal.contains(e.id), "the refusal lists {}", e.id);
    }
    assert_eq!(summary(3, 1), "3개 통과, 1개 실패 · 3 passed, 1 failed");
}

#[test]
fn a_panic_in_student_code_is_a_failure_that_says_what_happened() {
    let limit = Duration::from_secs(60);
    let todo = within(limit, "a todo", || -> u8 { todo!() }).expect_err("a todo! fails");
    assert!(
        todo.got
            .starts_with("아직 작성하지 않았습니다 · not written yet: todo!"),
        "{}",
        todo.got
    );
    assert!(todo.got.contains("proof.rs"), "says where: {}", todo.got);

    let other = within(limit, "a panic", || -> u8 { panic!("boom") }).expect_err("a panic fails");
    assert!(other.got.starts_with("패닉 · panicked ("), "{}", other.got);
    assert!(other.got.ends_with(": boom"), "{}", other.got);
}

#[test]
fn a_refused_call_says_the_usual_cause() {
    let (listener, addr) = check::loopback_listener().expect("a listener");
    drop(listener);
    let refused = check::dial(addr).expect_err("nobody is listening");
    assert!(
        refused.got.contains("number not in service"),
        "{}",
        refused.got
    );
    assert!(refused.got.contains("returned"), "{}", refused.got);
}

/// 끝나지 않는 검사와 스스로 패닉하는 검사 · A check that never ends, and one that panics.
static BROKEN: &[check::Exercise] = &[
    check::Exercise {
        id: "0.1",
        title: "끝나지 않음 · Never ends",
        file: "exercises/ch00/src/lib.rs",
        function: "hangs",
        check: |_| loop {
            std::thread::park();
        },
    },
    check::Exercise {
        id: "0.2",
        title: "패닉 · Panics",
        file: "exercises/ch00/src/lib.rs",
        function: "panics",
        check: |_| panic!("a bug in the check"),
    },
];

#[test]
fn a_check_that_hangs_or_panics_is_a_failure_not_a_stuck_checker() {
    let hung = check::run_within(&BROKEN[0], Code::Yours, Duration::from_millis(200))
        .expect_err("a hang fails");
    assert!(hung.what.contains("exercise 0.1"), "{hung}");
    assert!(hung.got.contains("still running"), "{hung}");

    let panicked = check::run(&BROKEN[1], Code::Yours).expect_err("a panic fails");
    assert!(panicked.got.ends_with(": a bug in the check"), "{panicked}");
}
