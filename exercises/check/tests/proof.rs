//! 검사를 검사합니다 · The checks, checked.
//!
//! Every check passes on its reference solution and fails on the unmodified starting point,
//! so no check can pass vacuously. (If you have solved an exercise in `exercises/`, the second
//! test tells you so: it guards the repository's starting points. `git stash` puts them back.)

use check::{Code, exercises};

#[test]
fn every_reference_solution_passes_its_check() {
    let failures: Vec<String> = exercises()
        .into_iter()
        .filter_map(|e| {
            (e.check)(Code::Reference)
                .err()
                .map(|f| format!("{}: {f}", e.id))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_unmodified_starting_point_fails_its_check() {
    let passing: Vec<&str> = exercises()
        .into_iter()
        .filter(|e| (e.check)(Code::Yours).is_ok())
        .map(|e| e.id)
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

    let out = run(&["9.9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no exercise \"9.9\""));

    let listing = String::from_utf8_lossy(&run(&[]).stdout).into_owned();
    for e in exercises() {
        assert!(listing.contains(e.id), "the list shows {}", e.id);
    }
}
