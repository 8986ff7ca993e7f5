//! The book builds, and every Rust block in it compiles (`mdbook test`), with no mdbook binary.

use book_checks::{build_chapters, pages, root};
use mdbook_driver::MDBook;

#[test]
fn every_rust_block_in_the_book_compiles() {
    let deps = build_chapters().join("deps");
    let mut book = MDBook::load(root().join("book")).expect("load the book");
    let deps = deps.to_str().expect("UTF-8 path");
    book.test(vec![deps])
        .expect("mdbook test: a Rust block in the book failed (see above)");
}

#[test]
fn the_book_renders_every_page_in_both_languages_with_the_language_script() {
    let out = std::env::temp_dir().join(format!("sockets-book-{}", std::process::id()));
    let mut book = MDBook::load(root().join("book")).expect("load the book");
    book.config.build.build_dir = out.clone();
    book.build().expect("mdbook build");
    for lang in ["ko", "en"] {
        for name in pages(lang) {
            let html = out.join(lang).join(name.replace(".md", ".html"));
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
    let _ = std::fs::remove_dir_all(out);
}
