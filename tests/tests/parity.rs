//! One book in two languages: every page exists in ko/ and en/ with the same structure.

use book_checks::{pages, root};

/// The structure of a page: everything that must match between its two languages.
fn skeleton(markdown: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence {
                items.push(format!("fence {}", trimmed.trim_start_matches('`').trim()));
            }
            in_fence = !in_fence;
        }
        for directive in ["{{#include", "{{#rustdoc_include"] {
            if let Some(at) = line.find(directive) {
                let end = line[at..].find("}}").map_or(line.len(), |e| at + e + 2);
                // 그림은 언어마다 한 장씩: name.ko.svg ~ name.en.svg · diagrams are per language.
                let directive = line[at..end]
                    .replace(".ko.", ".LANG.")
                    .replace(".en.", ".LANG.");
                items.push(directive);
            }
        }
        if in_fence || trimmed.starts_with("```") {
            continue;
        }
        if trimmed.starts_with('#') {
            let level = trimmed.chars().take_while(|&c| c == '#').count();
            items.push(format!("h{level}"));
        } else if trimmed.starts_with("> ") && is_box_start(trimmed) {
            items.push("box".into());
        } else if trimmed.starts_with("<details") {
            items.push("details".into());
        }
    }
    items
}

/// A box starts with an emoji marker or a bold title: `> 📞 **비유**`, `> **Note**`.
fn is_box_start(line: &str) -> bool {
    let rest = line.trim_start_matches('>').trim_start();
    rest.starts_with("**") || rest.starts_with(|c: char| !c.is_ascii() && !c.is_alphanumeric())
}

#[test]
fn every_page_exists_in_both_languages() {
    let (ko, en) = (pages("ko"), pages("en"));
    assert!(!ko.is_empty(), "no Korean pages");
    assert_eq!(ko, en, "ko/ and en/ must hold the same file names");
}

#[test]
fn both_languages_have_the_same_structure() {
    let mut problems = Vec::new();
    for name in pages("ko") {
        let read = |lang: &str| {
            std::fs::read_to_string(root().join("book/src").join(lang).join(&name))
                .unwrap_or_default()
        };
        let (ko, en) = (skeleton(&read("ko")), skeleton(&read("en")));
        if ko != en {
            let at = ko.iter().zip(&en).take_while(|(a, b)| a == b).count();
            problems.push(format!(
                "{name}: first difference at item {at}: ko {:?} vs en {:?}",
                ko.get(at),
                en.get(at)
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_summary_lists_every_page_in_both_languages() {
    let summary = std::fs::read_to_string(root().join("book/src/SUMMARY.md")).expect("SUMMARY");
    for lang in ["ko", "en"] {
        for name in pages(lang) {
            let link = format!("({lang}/{name})");
            assert!(
                summary.contains(&link),
                "SUMMARY.md does not list {lang}/{name}"
            );
        }
    }
}

#[test]
fn the_skeleton_sees_headings_fences_includes_and_boxes() {
    let page = "# T\n## A\n> 📞 **비유** x\n```rust,no_run\n# x\n{{#include a.rs:b}}\n```\n\
                <details>\n";
    assert_eq!(
        skeleton(page),
        [
            "h1",
            "h2",
            "box",
            "fence rust,no_run",
            "{{#include a.rs:b}}",
            "details"
        ]
    );
}

/// A first reading of a chapter takes under an hour (DESIGN §9): the main path, everything
/// before the final "더 깊이 · Going deeper" section, stays under about 500 lines.
#[test]
fn every_chapter_page_keeps_its_main_path_under_500_lines() {
    const MAIN_PATH: usize = 500;
    let mut long = Vec::new();
    for lang in ["ko", "en"] {
        for name in pages(lang).into_iter().filter(|n| n.starts_with("ch")) {
            let path = root().join("book/src").join(lang).join(&name);
            let text = std::fs::read_to_string(&path).expect("page");
            let main_path = text
                .lines()
                .take_while(|line| !matches!(line.trim(), "## 더 깊이" | "## Going deeper"))
                .count();
            if main_path > MAIN_PATH {
                long.push(format!(
                    "{lang}/{name}: {main_path} lines before Going deeper"
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "move what a first reading can skip to the final `## 더 깊이` / `## Going deeper` \
         section (at most {MAIN_PATH} lines before it):\n{}",
        long.join("\n")
    );
}
