//! Every chapter, now and later, has exercises with automatic checks, solutions for
//! instructors, and a self-check; the instructor guide covers it.

use std::collections::BTreeSet;

use book_checks::{chapters, pages, root};

fn page(lang: &str, name: &str) -> String {
    std::fs::read_to_string(root().join("book/src").join(lang).join(name)).expect("page")
}

/// The text of a `## heading` section, up to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {heading}\n"))? + 1;
    let body = &text[start + 3 + heading.len()..];
    Some(body.find("\n## ").map_or(body, |end| &body[..end]))
}

fn chapter_pages() -> Vec<String> {
    pages("en")
        .into_iter()
        .filter(|n| n.starts_with("ch"))
        .collect()
}

/// `cargo run -p check -- 3.1` → "3.1", for every check line in a text.
fn check_ids(text: &str) -> BTreeSet<String> {
    text.match_indices("cargo run -p check -- ")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest.chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
        })
        .filter(|id| id.contains('.'))
        .collect()
}

#[test]
fn every_chapter_crate_has_a_page_an_exercise_crate_and_a_solution_crate() {
    let names = chapter_pages();
    for chapter in chapters() {
        let dir = chapter
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let nn = &dir[..2];
        assert!(
            names.iter().any(|n| n.starts_with(&format!("ch{nn}-"))),
            "no page for {dir}"
        );
        for kind in ["exercises", "solutions"] {
            let krate = root().join(kind).join(format!("ch{nn}"));
            assert!(
                krate.join("Cargo.toml").is_file(),
                "no {kind}/ch{nn} for {dir}"
            );
        }
    }
}

#[test]
fn every_chapter_page_has_two_to_four_checked_exercises_with_hints() {
    for name in chapter_pages() {
        for (lang, exercises, hint, done) in [
            ("en", "Exercises", "<summary>Hint", "**Done when**"),
            ("ko", "연습 문제", "<summary>힌트", "**다 됐다면**"),
        ] {
            let text = page(lang, &name);
            let section = section(&text, exercises)
                .unwrap_or_else(|| panic!("{lang}/{name} has no '## {exercises}'"));
            let tasks: Vec<&str> = section.split("\n### ").skip(1).collect();
            assert!(
                (2..=4).contains(&tasks.len()),
                "{lang}/{name}: {} exercises",
                tasks.len()
            );
            for task in tasks {
                let title = task.lines().next().unwrap_or_default();
                assert!(
                    task.contains(hint),
                    "{lang}/{name} '{title}' has no collapsed hint"
                );
                assert!(
                    task.contains(done),
                    "{lang}/{name} '{title}' does not say {done}"
                );
                assert_eq!(
                    check_ids(task).len(),
                    1,
                    "{lang}/{name} '{title}' names no check"
                );
            }
        }
    }
}

#[test]
fn the_pages_the_checker_and_the_solutions_page_know_the_same_exercises() {
    let known: BTreeSet<String> = check::exercises()
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    for lang in ["ko", "en"] {
        let on_pages: BTreeSet<String> = chapter_pages()
            .iter()
            .flat_map(|name| check_ids(&page(lang, name)))
            .collect();
        assert_eq!(
            on_pages, known,
            "{lang}: exercises on the chapter pages vs the checker"
        );
        let solutions = page(lang, "solutions.md");
        for id in &known {
            assert!(
                solutions.contains(&format!(
                    "### {} {id}",
                    if lang == "ko" { "연습" } else { "Exercise" }
                )),
                "{lang}/solutions.md has no heading for exercise {id}"
            );
        }
    }
}

#[test]
fn every_chapter_page_ends_with_a_self_check_of_three_or_more_questions() {
    for name in chapter_pages() {
        for (lang, heading) in [("en", "Self-check"), ("ko", "스스로 점검")] {
            let text = page(lang, &name);
            let section = section(&text, heading)
                .unwrap_or_else(|| panic!("{lang}/{name} has no '## {heading}'"));
            let answers = section.matches("<details>").count();
            assert!(answers >= 3, "{lang}/{name}: {answers} self-check answers");
        }
    }
}

#[test]
fn the_instructor_guide_covers_every_chapter() {
    for lang in ["ko", "en"] {
        let guide = page(lang, "instructor-guide.md");
        for name in chapter_pages() {
            assert!(
                guide.contains(&format!("({name})")),
                "{lang}/instructor-guide.md skips {name}"
            );
        }
        assert!(
            guide.contains("(solutions.md)"),
            "{lang}/instructor-guide.md: link the solutions"
        );
    }
}

#[test]
fn check_ids_reads_the_command_lines() {
    let text = "run `cargo run -p check -- 3.1` or `cargo run -p check -- 3` or -- 12.3";
    assert_eq!(check_ids(text), BTreeSet::from(["3.1".to_string()]));
}

#[test]
fn the_checker_names_each_exercise_as_its_page_does() {
    for exercise in check::exercises() {
        let (ko, en) = exercise
            .title
            .split_once(" · ")
            .expect("title is \"한국어 · English\"");
        let chapter = exercise.id.split('.').next().expect("N.M");
        let name = chapter_pages()
            .into_iter()
            .find(|n| n.starts_with(&format!("ch{chapter:0>2}-")))
            .expect("a page for the chapter");
        for (lang, word, title) in [("ko", "연습", ko), ("en", "Exercise", en)] {
            let heading = format!("### {word} {} {title}\n", exercise.id);
            assert!(
                page(lang, &name).contains(&heading),
                "{lang}/{name} lacks {heading:?}"
            );
        }
    }
}

#[test]
fn every_exercise_names_the_file_and_the_function_its_check_calls() {
    for exercise in check::exercises() {
        let chapter = exercise.id.split('.').next().expect("N.M");
        let nn = format!("{chapter:0>2}");
        assert_eq!(
            exercise.file,
            format!("exercises/ch{nn}/src/lib.rs"),
            "exercise {}: the student's file",
            exercise.id
        );
        let code = std::fs::read_to_string(root().join(exercise.file))
            .unwrap_or_else(|e| panic!("exercise {}: {}: {e}", exercise.id, exercise.file));
        assert!(
            code.contains(&format!("pub fn {}(", exercise.function)),
            "exercise {}: {} has no `pub fn {}(`",
            exercise.id,
            exercise.file,
            exercise.function
        );
        let check = std::fs::read_to_string(root().join(format!("exercises/check/src/ch{nn}.rs")))
            .expect("the chapter's checks");
        assert!(
            check.contains(&format!("ch{nn}_exercises::{}", exercise.function)),
            "exercise {}: its check does not call ch{nn}_exercises::{}",
            exercise.id,
            exercise.function
        );
    }
}
