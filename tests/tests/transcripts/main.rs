//! 책에 실린 실행 기록 전부 · Every transcript in the book: what the programs really print.
//!
//! One test binary for all chapters, so that the scenarios that wait (a client giving up after
//! its patience, a held call) wait at the same time instead of one chapter after another.
//! `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test transcripts` rewrites them; one
//! chapter's: add its module name, e.g. `-- ch07::`.

mod ch01_to_ch04;
mod ch05;
mod ch06;
mod ch07;
mod ch08;
mod ch09;
mod ch10;
mod ch11;
mod ch12;
mod ch13;
