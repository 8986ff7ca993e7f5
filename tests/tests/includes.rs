//! Every `{{#include}}` in the book resolves to a non-empty block, by anchor, never by line.
//!
//! mdBook itself says nothing about a missing anchor (it includes nothing) or, in some
//! versions, a missing file; this check makes both fail.

use std::path::Path;

use book_checks::{pages, root};

struct Include {
    page: String,
    path: String,
    anchor: Option<String>,
}

fn includes_in(page: &Path) -> Vec<Include> {
    let text = std::fs::read_to_string(page).expect("read page");
    let mut found = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        for (at, _) in text.match_indices(directive) {
            let rest = &text[at + directive.len()..];
            let body = rest[..rest.find("}}").expect("closing }}")].trim();
            let (path, anchor) = match body.split_once(':') {
                Some((path, anchor)) => (path, Some(anchor.to_string())),
                None => (body, None),
            };
            found.push(Include {
                page: page.display().to_string(),
                path: path.to_string(),
                anchor,
            });
        }
    }
    found
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without nested anchor lines.
fn anchored(text: &str, anchor: &str) -> Option<Vec<String>> {
    let start = format!("ANCHOR: {anchor}");
    let end = format!("ANCHOR_END: {anchor}");
    let mut lines = text.lines().skip_while(|l| !l.trim_end().ends_with(&start));
    lines.next()?;
    let mut body = Vec::new();
    for line in lines {
        if line.trim_end().ends_with(&end) {
            return Some(body);
        }
        if !line.contains("ANCHOR") {
            body.push(line.to_string());
        }
    }
    None
}

fn all_includes() -> Vec<Include> {
    let src = root().join("book/src");
    let mut pages_to_read = vec![src.join("index.md")];
    for lang in ["ko", "en"] {
        pages_to_read.extend(
            pages(lang)
                .into_iter()
                .map(|name| src.join(lang).join(name)),
        );
    }
    pages_to_read
        .iter()
        .flat_map(|page| includes_in(page))
        .collect()
}

#[test]
fn every_include_resolves_to_a_non_empty_block() {
    let includes = all_includes();
    assert!(!includes.is_empty(), "the book includes nothing?");
    let mut problems = Vec::new();
    for include in includes {
        let page_dir = Path::new(&include.page).parent().expect("dir");
        let file = page_dir.join(&include.path);
        let Ok(text) = std::fs::read_to_string(&file) else {
            problems.push(format!("{}: no file {}", include.page, include.path));
            continue;
        };
        let body = match &include.anchor {
            Some(anchor) if anchor.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                problems.push(format!(
                    "{}: {} is included by line number",
                    include.page, include.path
                ));
                continue;
            }
            Some(anchor) => match anchored(&text, anchor) {
                Some(body) => body,
                None => {
                    problems.push(format!(
                        "{}: no anchor {anchor} in {}",
                        include.page, include.path
                    ));
                    continue;
                }
            },
            None => text.lines().map(String::from).collect(),
        };
        if body.iter().all(|line| line.trim().is_empty()) {
            problems.push(format!(
                "{}: {} includes an empty block",
                include.page, include.path
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn chapter_code_in_the_book_comes_from_the_crates() {
    // 장 페이지의 러스트 블록은 모두 include로 채워집니다 · every Rust block is an include.
    let src = root().join("book/src");
    let mut problems = Vec::new();
    for lang in ["ko", "en"] {
        for name in pages(lang).into_iter().filter(|n| n.starts_with("ch")) {
            let text = std::fs::read_to_string(src.join(lang).join(&name)).expect("page");
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if !line.trim_start().starts_with("```rust") {
                    continue;
                }
                let block: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.trim_start().starts_with("```"))
                    .collect();
                let pasted = block.iter().any(|l| {
                    let l = l.trim();
                    !l.is_empty() && !l.starts_with('#') && !l.starts_with("{{#")
                });
                if pasted {
                    problems.push(format!("{lang}/{name}: a Rust block with pasted code"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_book_has_no_ignored_code_blocks() {
    let src = root().join("book/src");
    for lang in ["ko", "en"] {
        for name in pages(lang) {
            let text = std::fs::read_to_string(src.join(lang).join(&name)).expect("page");
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("```") && l.contains("ignore")),
                "{lang}/{name} has an `ignore` block: use no_run or compile_fail"
            );
        }
    }
}

#[test]
fn anchors_are_found_and_missing_ones_are_not() {
    let text =
        "a\n// ANCHOR: x\nkeep\n// ANCHOR: inner\nalso\n// ANCHOR_END: inner\n// ANCHOR_END: x\n";
    assert_eq!(anchored(text, "x").expect("x"), ["keep", "also"]);
    assert_eq!(anchored(text, "y"), None);
}
