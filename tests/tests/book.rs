//! The book builds, every Rust block in it compiles (`mdbook test`), every internal link and
//! anchor resolves, and the diagrams follow the theme — all with no mdbook binary.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use book_checks::{build_chapters, pages, root};
use mdbook_driver::MDBook;

/// The book rendered to HTML once per process, into a directory of its own.
///
/// The directory's name holds the process id, so two test processes (two `cargo test` runs, or
/// this binary and another) never write into, or delete, each other's output; and within a
/// process the `OnceLock` renders it exactly once, before any test reads it.
fn built() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = root()
            .join("target/book-html")
            .join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&out);
        remove_output_of_finished_runs();
        let mut book = MDBook::load(root().join("book")).expect("load the book");
        book.config.build.build_dir = out.clone();
        book.build().expect("mdbook build");
        out
    })
}

/// Removes the rendered books of test processes that have ended (Linux: no `/proc/PID`).
fn remove_output_of_finished_runs() {
    let Ok(entries) = std::fs::read_dir(root().join("target/book-html")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ended = match name.parse::<u32>() {
            Ok(pid) => cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists(),
            // 예전 방식으로 만든 파일들 · output of the old, shared layout
            Err(_) => true,
        };
        if ended {
            let _ = std::fs::remove_dir_all(entry.path());
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[test]
fn every_rust_block_in_the_book_compiles() {
    let deps = build_chapters().join("deps");
    let deps = deps.to_str().expect("UTF-8 path");
    // `mdbook test`와 같지만 쪽마다 따로, 코어 수만큼 함께 · like `mdbook test`, one page at a
    // time per thread, as many threads as cores (rustdoc builds one page's blocks as one binary).
    let mut pages: Vec<String> = ["ko", "en"]
        .iter()
        .flat_map(|lang| {
            pages(lang)
                .into_iter()
                .map(move |name| format!("{lang}/{name}"))
        })
        .collect();
    pages.push("index.md".into());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::Mutex::new(pages.into_iter());
    let failed = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut book = MDBook::load(root().join("book")).expect("load the book");
                loop {
                    let Some(page) = next.lock().expect("lock").next() else {
                        return;
                    };
                    if let Err(error) = book.test_chapter(vec![deps], Some(&page)) {
                        failed
                            .lock()
                            .expect("lock")
                            .push(format!("{page}: {error:#}"));
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().expect("lock");
    assert!(
        failed.is_empty(),
        "mdbook test: a Rust block in the book failed (see above):\n{}",
        failed.join("\n")
    );
}

#[test]
fn the_book_renders_every_page_in_both_languages_with_the_language_script() {
    for lang in ["ko", "en"] {
        for name in pages(lang) {
            let html = built().join(lang).join(name.replace(".md", ".html"));
            let text = std::fs::read_to_string(&html)
                .unwrap_or_else(|_| panic!("{} was not rendered", html.display()));
            // mdBook adds a content hash to the name: theme/lang-1a2b3c4d.js.
            assert!(
                text.contains("src=\"../theme/lang-"),
                "{} lacks the language script",
                html.display()
            );
        }
    }
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
}

/// `%EC%86%8C` → 소 · percent-decoding for link targets.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every `href="…"` and `src="…"` value in a page.
fn links(html: &str) -> Vec<String> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attr| {
            html.split(attr)
                .skip(1)
                .map(|rest| rest[..rest.find('"').unwrap_or(0)].to_string())
        })
        .collect()
}

/// Every `id="…"` value in a page.
fn ids_in(html: &str) -> HashSet<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.find('"').map(|end| rest[..end].to_string()))
        .collect()
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let mut files = Vec::new();
    html_files(built(), &mut files);
    assert!(
        files.len() > 10,
        "the book rendered only {} pages",
        files.len()
    );
    let mut broken = Vec::new();
    let mut checked = 0;
    let mut anchors: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    for file in &files {
        let html = std::fs::read_to_string(file).expect("page");
        for link in links(&html) {
            let outside = ["http:", "https:", "mailto:", "javascript:", "data:", "{{"];
            if link.is_empty() || outside.iter().any(|p| link.starts_with(p)) {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap_or_default();
            let target = if path.is_empty() {
                file.clone()
            } else if let Some(from_root) = path.strip_prefix('/') {
                // 404.html은 사이트 최상위 기준 링크를 씁니다 · 404.html links from the site root.
                built().join(percent_decode(from_root))
            } else {
                file.parent().expect("dir").join(percent_decode(path))
            };
            let target = if target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            checked += 1;
            if !target.is_file() {
                broken.push(format!("{}: {link} (no such file)", file.display()));
                continue;
            }
            let fragment = percent_decode(fragment);
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                // 쪽마다 id를 한 번만 모읍니다 · each page's ids are collected once
                let ids = anchors
                    .entry(target.clone())
                    .or_insert_with(|| ids_in(&std::fs::read_to_string(&target).expect("page")));
                if !ids.contains(&fragment) {
                    broken.push(format!(
                        "{}: {link} (no anchor #{fragment})",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} links were checked");
    assert!(broken.is_empty(), "\n{}", broken.join("\n"));
}

#[test]
fn diagrams_draw_in_the_themes_colour_and_come_in_both_languages() {
    let images = root().join("book/src/images");
    let mut svgs: Vec<PathBuf> = std::fs::read_dir(&images)
        .expect("images/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    svgs.sort();
    assert!(svgs.len() >= 6, "three diagrams in two languages");
    for svg in &svgs {
        let name = svg
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(svg).expect("svg");
        // 빈 줄은 마크다운 안의 HTML 블록을 끊습니다 · a blank line ends an HTML block in Markdown.
        assert!(
            !text.lines().any(|l| l.trim().is_empty()),
            "{name} has a blank line"
        );
        assert!(text.contains("<title"), "{name} has no <title>");
        assert!(
            text.contains("currentColor"),
            "{name} does not use currentColor"
        );
        for fixed in ["#000", "#fff", "\"black\"", "\"white\""] {
            assert!(
                !text.to_lowercase().contains(fixed),
                "{name} hard-codes {fixed}"
            );
        }
        assert!(
            !text.contains("http://") || !text.contains("href=\"http"),
            "{name} loads from the web"
        );
        let twin = if name.contains(".ko.") {
            name.replace(".ko.", ".en.")
        } else {
            name.replace(".en.", ".ko.")
        };
        assert!(images.join(&twin).is_file(), "{name} has no twin {twin}");
    }
}

#[test]
fn cargo_run_dash_p_starts_each_chapters_main_program() {
    // 바이너리가 둘 이상이면 default-run이 있어야 `cargo run -p chNN_x`가 동작합니다.
    // With more than one binary, `cargo run -p chNN_x` needs default-run to know which.
    for chapter in book_checks::chapters() {
        let has_more_bins = chapter.join("src/bin").is_dir();
        let manifest = std::fs::read_to_string(chapter.join("Cargo.toml")).expect("Cargo.toml");
        let package = book_checks::package_of(&chapter);
        if has_more_bins {
            let wanted = format!("default-run = \"{package}\"");
            assert!(
                manifest.contains(&wanted),
                "{package}: add {wanted} under [package]"
            );
        }
    }
}
