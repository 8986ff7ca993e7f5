//! Chapter 6's transcripts: what the framing server, its client and the examples really print.
//!
//! The server takes calls forever, so a scenario reads its output line by line until the last
//! call has hung up, then stops it. `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test
//! transcripts -- ch06::` rewrites the files.

use book_checks::{Program, Transcript, example, free_port, loopback as addr, run};
use std::process::Command;

const CHAPTER: &str = "06_framing";

/// 서버를 띄우고 첫 두 줄(주소와 규칙)을 기다립니다 · Starts the server and waits for its first
/// two lines (the address and the rules).
fn server(protocol: &str, port: u16) -> (Program, Vec<String>) {
    let mut server = run("ch06_framing", &[protocol, &addr(port)]);
    let first = server.wait_for_line("");
    assert!(first.contains("server listening"), "{first}");
    let rules = server.wait_for_line("");
    (server, vec![first, rules])
}

/// `needle`이 든 줄이 `times`번 나올 때까지 서버의 출력을 모읍니다(그 뒤에는 멈춥니다).
/// Collects the server's output until `times` lines contain `needle`; the server is then stopped.
fn until(mut server: Program, mut lines: Vec<String>, needle: &str, times: usize) -> String {
    let mut seen = 0;
    while seen < times {
        let line = server.wait_for_line("");
        seen += usize::from(line.contains(needle));
        lines.push(line);
    }
    drop(server);
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// 클라이언트를 한 번 실행합니다 · Runs the client once.
fn client(args: &[&str]) -> (bool, String, String) {
    run("ch06_client", args).finish()
}

const LONG: &str = r#""$(printf '가%.0s' $(seq 342))""#;

#[test]
fn ch06_lines_two_callers() {
    let port = free_port();
    let (server, lines) = server("lines", port);
    let to = addr(port);
    let long = "가".repeat(342);
    let (ok, first, err) = client(&["lines", "--to", &to, "안녕!", "잘 지내?", &long]);
    assert!(ok, "{err}");
    let (ok, second, err) = client(&["lines", "--to", &to, "또 전화했어요"]);
    assert!(ok, "{err}");
    let log = until(server, lines, "hung up after", 2);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- lines")
        .output(&log)
        .check(CHAPTER, "lines_server.txt");
    Transcript::on_port(port)
        .command(&format!(
            "cargo run -p ch06_framing --bin ch06_client -- lines 안녕! \"잘 지내?\" {LONG}"
        ))
        .output(&first)
        .command("cargo run -p ch06_framing --bin ch06_client -- lines \"또 전화했어요\"")
        .output(&second)
        .check(CHAPTER, "lines_client.txt");
}

#[test]
fn ch06_frames() {
    let port = free_port();
    let (server, lines) = server("frames", port);
    let (ok, out, err) = client(&["frames", "--to", &addr(port), "안녕!", "잘 지내?"]);
    assert!(ok, "{err}");
    let log = until(server, lines, "hung up after", 1);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- frames")
        .output(&log)
        .check(CHAPTER, "frames_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing --bin ch06_client -- frames 안녕! \"잘 지내?\"")
        .output(&out)
        .check(CHAPTER, "frames_client.txt");
}

/// 파이썬 한 줄로, 세 줄을 한 번에 보냅니다 · Three lines in one send, from a Python one-liner.
const PIPELINED: &str = "import socket; s = socket.create_connection(('127.0.0.1', 9999)); \
     s.sendall(b'one\\ntwo\\nthree\\n'); s.shutdown(socket.SHUT_WR); \
     print(s.makefile('rb').read())";

#[test]
fn ch06_three_lines_in_one_send() {
    let port = free_port();
    let (server, lines) = server("lines", port);
    let mut python = Command::new("python3");
    python.args(["-c", &PIPELINED.replace("9999", &port.to_string())]);
    let (ok, out, err) = Program::start(python).finish();
    assert!(ok, "{err}");
    let log = until(server, lines, "hung up after", 1);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- lines")
        .output(&log)
        .check(CHAPTER, "pipelined_server.txt");
    Transcript::default()
        .command(&format!("python3 -c \"{PIPELINED}\""))
        .output(&out)
        .check(CHAPTER, "pipelined.txt");
}

#[test]
fn ch06_a_line_over_the_limit() {
    let port = free_port();
    let (server, lines) = server("lines", port);
    let to = addr(port);
    let long = "x".repeat(70_000);
    let (ok, first, first_err) = client(&["lines", "--to", &to, &long, "안녕!"]);
    assert!(!ok, "the server hung up after the first reply");
    let (ok, second, err) = client(&["lines", "--to", &to, "안녕!"]);
    assert!(ok, "{err}");
    let log = until(server, lines, "hung up after", 1);
    assert!(log.contains("refused"), "{log}");
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- lines")
        .output(&log)
        .check(CHAPTER, "too_long_server.txt");
    Transcript::on_port(port)
        .command(
            r#"cargo run -p ch06_framing --bin ch06_client -- lines "$(printf 'x%.0s' $(seq 70000))" 안녕!"#,
        )
        .output(&first)
        .output(&first_err)
        .command("cargo run -p ch06_framing --bin ch06_client -- lines 안녕!")
        .output(&second)
        .check(CHAPTER, "too_long_client.txt");
}

#[test]
fn ch06_the_wrong_protocol() {
    let port = free_port();
    let (server, lines) = server("frames", port);
    let (ok, out, err) = client(&["lines", "--to", &addr(port), "hello"]);
    assert!(!ok, "a line client cannot read a frame");
    let log = until(server, lines, "hung up on", 1);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- frames")
        .output(&log)
        .check(CHAPTER, "wrong_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing --bin ch06_client -- lines hello")
        .output(&out)
        .output(&err)
        .check(CHAPTER, "wrong_client.txt");
}

/// 반대로: lines 서버에 frames 클라이언트. 서버는 "\n"을 찾지 못하고, 답은 하나도 없습니다.
/// The other way round: a frames client calling a lines server. The server never finds a
/// "\n", and no reply comes back.
#[test]
fn ch06_the_wrong_protocol_the_other_way() {
    let port = free_port();
    let (server, lines) = server("lines", port);
    let (ok, out, err) = client(&["frames", "--to", &addr(port), "hello"]);
    assert!(!ok, "a frame client gets no reply from a line server");
    assert!(err.contains("does the server speak lines?"), "{err}");
    let log = until(server, lines, "잘린 메시지", 1);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing -- lines")
        .output(&log)
        .check(CHAPTER, "wrong_way_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing --bin ch06_client -- frames hello")
        .output(&out)
        .output(&err)
        .check(CHAPTER, "wrong_way_client.txt");
}

#[test]
fn ch06_the_echo_stall() {
    let port = free_port();
    let (server, _) = server("frames", port);
    let mut stall = Command::new(example("echo_stall"));
    stall.arg(addr(port));
    let (ok, out, err) = Program::start(stall).finish();
    assert!(ok, "{err}");
    drop(server);
    Transcript::on_port(port)
        .command("cargo run -p ch06_framing --example echo_stall")
        .output(&out)
        .check(CHAPTER, "echo_stall.txt");
}

#[test]
fn ch06_the_bytes_on_the_wire() {
    let (ok, out, err) = Program::start(Command::new(example("frame_bytes"))).finish();
    assert!(ok, "{err}");
    Transcript::default()
        .command("cargo run -p ch06_framing --example frame_bytes")
        .output(&out)
        .check(CHAPTER, "frame_bytes.txt");
}
