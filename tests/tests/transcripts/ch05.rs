//! 5장의 실행 기록 · Chapter 5's transcripts: what the programs really print.
//!
//! `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test transcripts -- ch05::` rewrites them.

use book_checks::{Program, Transcript, example, free_port, loopback as addr, run};
use std::process::Command;

/// 342글자를 다 보여 주는 대신 [가 × N]으로 줄입니다 · shorten runs of 가 for the page.
fn shorten(text: &str) -> String {
    text.replace(&"가".repeat(342), "[가 × 342]")
        .replace(&"가".repeat(341), "[가 × 341]")
}

#[test]
fn ch05_writes_and_reads_do_not_line_up() {
    let (ok, out, err) = Program::start(Command::new(example("writes_and_reads"))).finish();
    assert!(ok, "{err}");
    Transcript::default()
        .command("cargo run -p ch05_byte_stream --example writes_and_reads")
        .output(&shorten(&out))
        .check("05_byte_stream", "writes_and_reads.txt");
}

#[test]
fn ch05_the_server_shows_a_split_syllable_whole() {
    let port = free_port();
    let mut server = run("ch05_byte_stream", &[&addr(port)]);
    server.wait_for_line("server listening");
    let long = "가".repeat(342);
    let (ok, client, err) = run("ch04_client", &[&long, &addr(port)]).finish();
    assert!(ok, "{err}");
    let (ok, out, err) = server.finish();
    assert!(ok, "{err}");
    assert!(!out.contains('�'), "{out}");
    Transcript::on_port(port)
        .command("cargo run -p ch05_byte_stream")
        .output(&shorten(&out))
        .check("05_byte_stream", "server.txt");
    Transcript::on_port(port)
        .command(r#"cargo run -p ch04_client -- "$(printf '가%.0s' $(seq 342))""#)
        .output(&shorten(&client))
        .check("05_byte_stream", "client.txt");
}

/// "가", UTF-8에 없는 바이트 0xff, 그리고 "가"의 앞 두 바이트를 보내고 끝까지 듣는 파이썬 한 줄.
/// A Python one-liner that sends "가", the byte 0xff (never UTF-8) and the first two bytes of
/// "가", then listens until the server hangs up.
const BAD_BYTES: &str = "import socket; s = socket.create_connection(('127.0.0.1', 9999)); \
     s.sendall(b'\\xea\\xb0\\x80\\xff\\xea\\xb0'); s.shutdown(socket.SHUT_WR); \
     print(b''.join(iter(lambda: s.recv(1024), b'')))";

#[test]
fn ch05_invalid_and_unfinished_bytes_are_reported_and_echoed() {
    let port = free_port();
    let mut server = run("ch05_byte_stream", &[&addr(port)]);
    server.wait_for_line("server listening");
    let mut caller = Command::new("python3");
    caller.args(["-c", &BAD_BYTES.replace("9999", &port.to_string())]);
    let (ok, heard, err) = Program::start(caller).finish();
    assert!(ok, "{err}");
    let (ok, out, err) = server.finish();
    assert!(ok, "{err}");
    Transcript::on_port(port)
        .command("cargo run -p ch05_byte_stream")
        .output(&out)
        .check("05_byte_stream", "bad_bytes_server.txt");
    Transcript::default()
        .command(&format!("python3 -c \"{BAD_BYTES}\""))
        .output(&heard)
        .check("05_byte_stream", "bad_bytes_client.txt");
}
