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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use book_checks::{DEADLINE, Transcript, binary, free_port, loopback};

/// Ctrl+C (SIGINT) to a chapter's server while a call is in progress (chapters 10 and 11): the
/// server's log and what the caller heard (`ping`, its `reply`, the goodbye), as transcripts.
fn ctrl_c_with_a_call_in_progress(package: &str, chapter: &str, reply: &str) {
    let port = free_port();
    let mut server = Command::new(binary(package))
        .args([loopback(port).as_str(), "30", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .env_remove("RUST_BACKTRACE")
        .spawn()
        .unwrap_or_else(|e| panic!("start {package}: {e}"));
    let (tx, lines) = mpsc::channel();
    let out = server.stdout.take().expect("stdout");
    thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let _ = tx.send(line.expect("UTF-8"));
        }
    });
    let next = || {
        lines
            .recv_timeout(DEADLINE)
            .expect("a line from the server")
    };
    let mut log = vec![next()];
    assert!(log[0].contains("listening on"), "{log:?}");
    let mut call = TcpStream::connect(loopback(port)).expect("dial");
    call.set_read_timeout(Some(DEADLINE)).expect("timeout");
    call.write_all(b"ping\n").expect("ping");
    let mut answer = vec![0u8; reply.len() + 1];
    call.read_exact(&mut answer).expect("the reply");
    let pid = server.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let mut heard = String::new();
    call.read_to_string(&mut heard)
        .expect("goodbye, then hang-up");
    let end = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = server.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > end {
            let _ = server.kill();
            panic!("{package} did not exit within {DEADLINE:?} of Ctrl+C");
        }
        thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{status:?}");
    while let Ok(line) = lines.recv_timeout(DEADLINE) {
        log.push(line);
    }
    let log: String = log.iter().map(|line| format!("{line}\n")).collect();
    Transcript::on_port(port)
        .command(&format!("cargo run -p {package} -- 30 1"))
        .output(&log)
        .check(chapter, "ctrl_c_server.txt");
    Transcript::default()
        .command("nc 127.0.0.1 9999")
        .output(&format!("ping\n{reply}"))
        .output(&heard)
        .check(chapter, "ctrl_c_caller.txt");
}
