//! Chapter 10's transcripts: the table of failures, and the server stopped by Ctrl+C (SIGINT)
//! while it holds a call. `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test
//! transcripts -- ch10::` rewrites the files.

use std::process::Command;

use support::Capture;

use book_checks::{Program, Transcript, binary, free_port, loopback};

const CHAPTER: &str = "10_errors";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// 표는 보통 사용자가 보는 그대로 기록합니다: root라면 nobody로 내려서 실행합니다.
/// The table is recorded as an ordinary user sees it: as root, drop to nobody first.
#[cfg(target_os = "linux")]
#[test]
fn ch10_the_table_of_failures() {
    let table = binary("ch10_failures");
    let command = if is_root() {
        let mut setpriv = Command::new("setpriv");
        setpriv
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(table);
        setpriv
    } else {
        Command::new(table)
    };
    let (ok, out, err) = Program::start(command).finish();
    assert!(ok, "{err}");
    Transcript::default()
        .command("cargo run -p ch10_errors --bin ch10_failures")
        .output(&out)
        .check(CHAPTER, "failures.txt");
}

/// 서버를 띄우고, 통화 하나를 붙잡고, SIGINT(터미널의 Ctrl+C)를 보냅니다.
/// Starts the server, holds one call open, and sends SIGINT (what Ctrl+C sends).
#[cfg(unix)]
#[test]
fn ch10_ctrl_c_with_a_call_in_progress() {
    crate::ctrl_c_with_a_call_in_progress("ch10_errors", CHAPTER, "pong");
}

/// tcpdump 한 줄에서 매번 달라지는 것(시각, 발신 번호, 순서 번호, 창, 옵션)을 *로 가립니다.
/// Masks what differs on every run in a tcpdump line (time, caller ID, sequence numbers, window,
/// options); the server's port is shown as the book's.
fn masked_packet(line: &str, server_port: u16) -> String {
    let (_time, rest) = line.split_once(" IP ").expect("a tcpdump line");
    let (route, rest) = rest.split_once(": ").expect("a tcpdump line");
    let show = |end: &str| match end.rsplit_once('.') {
        Some((ip, port)) if port == server_port.to_string() => format!("{ip}.9999"),
        Some((ip, _)) => format!("{ip}.*"),
        None => end.to_string(),
    };
    let (from, to) = route.split_once(" > ").expect("a route");
    let fields: Vec<String> = rest
        .split(", ")
        .map(|field| match field.split_once(' ') {
            Some((key @ ("seq" | "ack" | "win"), _)) => format!("{key} *"),
            Some(("options", _)) => "options [*]".to_string(),
            _ => field.to_string(),
        })
        .collect();
    format!("* IP {} > {}: {}", show(from), show(to), fields.join(", "))
}

/// 가득 찬 대기열을 패킷으로: SYN이 든 패킷만 캡처합니다. tcpdump와 캡처할 권한이 없으면
/// 크게 알리고 건너뛰며, CI에서는 실패합니다 · A full backlog in packets: only packets with
/// SYN are captured. Without tcpdump or the right to capture, a loud skip; in CI, a failure.
#[cfg(target_os = "linux")]
#[test]
fn ch10_a_full_backlog_in_packets() {
    let port = free_port();
    let filter = format!("tcp port {port} and tcp[tcpflags] & tcp-syn != 0");
    let Some(capture) = Capture::start(&filter, 4, &[]) else {
        return;
    };
    let (ok, out, err) = book_checks::run("ch10_failures", &[&loopback(port)]).finish();
    assert!(ok, "{err}");
    let lines = capture.wait_for(4);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    let capture: String = lines
        .iter()
        .map(|line| format!("{}\n", masked_packet(line, port)))
        .collect();
    Transcript::on_port(port)
        .command("sudo tcpdump -i lo -n -l 'tcp port 9999 and tcp[tcpflags] & tcp-syn != 0'")
        .output(&capture)
        .check(CHAPTER, "backlog_capture.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch10_errors --bin ch10_failures -- 127.0.0.1:9999")
        .output(&out)
        .check(CHAPTER, "backlog_failure.txt");
}
