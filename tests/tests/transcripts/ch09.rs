//! Chapter 9's transcripts: what the UDP server and its client really print.
//!
//! The server receives forever, so a scenario reads its output line by line until the last
//! datagram is logged, then stops it. `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test
//! transcripts -- ch09::` rewrites the files.

use std::net::UdpSocket;

use book_checks::{Program, Transcript, loopback as addr, run};

const CHAPTER: &str = "09_udp";

/// 지금 비어 있는 UDP 포트 (bind했다가 놓습니다) · A UDP port free right now (bound, let go).
fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .expect("bind UDP 127.0.0.1:0")
        .port()
}

/// 서버를 띄우고 첫 줄을 기다립니다 · Starts the server and waits for its first line.
fn server(port: u16) -> (Program, Vec<String>) {
    let mut server = run("ch09_udp", &[&addr(port)]);
    let first = server.wait_for_line("");
    assert!(first.contains("UDP server listening"), "{first}");
    (server, vec![first])
}

/// 문자 `times`개의 로그를 모으고 서버를 멈춥니다 · Collects `times` datagram lines, then stops.
fn until(mut server: Program, mut lines: Vec<String>, times: usize) -> String {
    let mut seen = 0;
    while seen < times {
        let line = server.wait_for_line("");
        seen += usize::from(line.contains("datagram from"));
        lines.push(line);
    }
    drop(server);
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn client(args: &[&str]) -> (bool, String, String) {
    run("ch09_client", args).finish()
}

#[test]
fn ch09_server_and_client() {
    let port = free_udp_port();
    let (server, lines) = server(port);
    let to = addr(port);
    let (ok, first, err) = client(&["안녕!", &to]);
    assert!(ok, "{err}");
    let (ok, second, err) = client(&["잘 지내?", &to]);
    assert!(ok, "{err}");
    let (ok, empty, err) = client(&["", &to]);
    assert!(ok, "{err}");
    let log = until(server, lines, 3);
    Transcript::on_port(port)
        .command("cargo run -p ch09_udp")
        .output(&log)
        .check(CHAPTER, "server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch09_udp --bin ch09_client -- 안녕!")
        .output(&first)
        .command("cargo run -p ch09_udp --bin ch09_client -- \"잘 지내?\"")
        .output(&second)
        .command("cargo run -p ch09_udp --bin ch09_client -- \"\"")
        .output(&empty)
        .check(CHAPTER, "client.txt");
}

#[test]
fn ch09_nothing_is_listening() {
    let port = free_udp_port();
    let (ok, out, err) = client(&["안녕!", &addr(port)]);
    assert!(!ok, "nobody is there");
    assert!(err.contains("ICMP port unreachable"), "{err}");
    Transcript::on_port(port)
        .command("cargo run -p ch09_udp --bin ch09_client -- 안녕!")
        .output(&out)
        .output(&err)
        .check(CHAPTER, "refused.txt");
}

#[test]
fn ch09_no_reply_after_three_tries() {
    // 받기만 하고 답하지 않는 소켓 · a socket that receives and never answers
    let silent = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let (ok, out, err) = client(&["안녕!", &addr(port)]);
    assert!(!ok, "nobody answers");
    assert!(err.contains("no reply after 3 tries"), "{err}");
    Transcript::on_port(port)
        .command("cargo run -p ch09_udp --bin ch09_client -- 안녕!")
        .output(&out)
        .output(&err)
        .check(CHAPTER, "gave_up.txt");
    drop(silent);
}
