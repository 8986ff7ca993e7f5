//! The tests are in `tests/browser.rs`; run them with `cargo test -p browser_tests`.
