//! 11장의 실행 기록: 연결 1,000개 측정 (수치는 가리고 비교), Ctrl+C로 멈추는 tokio 서버.
//! Chapter 11's transcripts: the 1,000-connection measurement (compared with its figures
//! masked) and the tokio server stopped by Ctrl+C. `UPDATE_TRANSCRIPTS=1 cargo test -p
//! book_checks --test transcripts -- ch11::` rewrites the files.

use std::process::Command;

use book_checks::{Program, Transcript, example, root};

const CHAPTER: &str = "11_async";

/// 기계마다 다른 수치(RSS, 열린 파일 한도)를 *로 가립니다 · Masks the figures that differ
/// from machine to machine (RSS, the open-file limit).
fn masked(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = match line.split_once(", now ") {
                Some((head, _)) => format!("{head}, now *"),
                None => line.to_string(),
            };
            match line.find(" MB") {
                Some(end) => {
                    let start =
                        line[..end].trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                    format!("{start}*{}", &line[end..])
                }
                None => line,
            }
        })
        // 칸 너비도 수에 따라 달라집니다 · column widths follow the numbers too.
        .map(|line| {
            format!(
                "{}\n",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn ch11_a_thousand_connections() {
    let (ok, out, err) = Program::start({
        let mut command = Command::new(example("crowd"));
        command.arg("1000");
        command
    })
    .finish();
    assert!(ok, "{err}");
    let shown = "cargo run --release -p ch11_async --example crowd -- 1000";
    let path = root()
        .join("chapters")
        .join(CHAPTER)
        .join("transcripts/crowd_1000.txt");
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    let fresh = format!("$ {shown}\n{out}");
    if std::env::var_os("UPDATE_TRANSCRIPTS").is_none() || masked(&stored) == masked(&fresh) {
        assert_eq!(
            masked(&stored),
            masked(&fresh),
            "{} is stale; regenerate with UPDATE_TRANSCRIPTS=1",
            path.display()
        );
        return;
    }
    Transcript::default()
        .command(shown)
        .output(&out)
        .check(CHAPTER, "crowd_1000.txt");
}

/// 저장된 10,000개 실행도 같은 모양이고, 책의 약속(100 MB 아래)을 지킵니다 · The stored
/// 10,000-connection run has the same shape and keeps the book's promise (under 100 MB).
#[test]
fn ch11_the_stored_ten_thousand_run() {
    let path = root()
        .join("chapters")
        .join(CHAPTER)
        .join("transcripts/crowd_10000.txt");
    let stored = std::fs::read_to_string(&path).expect("crowd_10000.txt");
    let small =
        std::fs::read_to_string(path.with_file_name("crowd_1000.txt")).expect("crowd_1000.txt");
    assert_eq!(
        masked(&stored)
            .replace("10000", "1000")
            .replace("10100", "1100"),
        masked(&small)
    );
    let tokio_row = stored
        .lines()
        .find(|l| l.starts_with("tokio"))
        .expect("tokio row");
    let rss: f64 = tokio_row
        .split_whitespace()
        .rev()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("an RSS figure");
    assert!(rss < 100.0, "{tokio_row}");
}

/// 서버를 띄우고, 통화 하나를 붙잡고, SIGINT를 보냅니다 · Starts the server, holds one call
/// open, and sends SIGINT (what Ctrl+C sends).
#[cfg(unix)]
#[test]
fn ch11_ctrl_c_with_a_call_in_progress() {
    crate::ctrl_c_with_a_call_in_progress("ch11_async", CHAPTER, "ping");
}
