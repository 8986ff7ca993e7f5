//! Every transcript in the book is what the programs really print.
//!
//! Each test runs a chapter's scenario with the real binaries on a free port, records what a
//! reader would see in each terminal (the server's port shown as 9999, the port the reader
//! types), and compares it with `chapters/NN_*/transcripts/*.txt`, which the book includes.
//! `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks` rewrites them.

use book_checks::{Program, Transcript, binary, example, free_port, loopback as addr, root, run};
use std::net::TcpListener;
use std::process::Command;

/// A seed program from `interop/`, unchanged but for its port.
fn seed(program: &str, port: u16) -> Program {
    let interop = root().join("interop");
    let mut command = Command::new("python3");
    command
        .arg(interop.join("run_seed.py"))
        .arg(interop.join(program))
        .arg(port.to_string());
    Program::start(command)
}

/// 두 번째 터미널에서 파이썬 한 줄로 전화를 겁니다 · dial from a second terminal with a
/// Python one-liner that only listens (the seed client would talk, and chapter 1's phone hangs
/// up without listening, so what it sees depends on timing).
const DIAL: &str =
    "import socket; s = socket.create_connection(('127.0.0.1', 9999)); print(s.recv(1024))";

#[test]
fn ch01_the_phone_takes_one_call() {
    let port = free_port();
    let mut server = run("ch01_socket", &[&addr(port)]);
    server.wait_for_line("listen(");
    let mut dial = Command::new("python3");
    dial.args(["-c", &DIAL.replace("9999", &port.to_string())]);
    let (ok, heard, err) = Program::start(dial).finish();
    assert!(ok, "{err}");
    let (ok, out, err) = server.finish();
    assert!(ok, "{err}");
    // 실제 포트가 9999보다 길면, 그만큼 칸을 채워 줄이 맞게 합니다 · keep the columns aligned
    // when the real port has more digits than 9999.
    let wider = " ".repeat(port.to_string().len().saturating_sub(4));
    let out = out.replace(
        &format!("bind(127.0.0.1:{port}) "),
        &format!("bind(127.0.0.1:{port}) {wider}"),
    );
    Transcript::on_port(port)
        .command("cargo run -p ch01_socket")
        .output(&out)
        .check("01_socket", "run.txt");
    Transcript::default()
        .command(&format!("python3 -c \"{DIAL}\""))
        .output(&heard)
        .check("01_socket", "dial.txt");
}

#[test]
fn ch01_a_second_phone_on_the_same_extension() {
    let held = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = held.local_addr().expect("addr").port();
    let (ok, out, err) = run("ch01_socket", &[&addr(port)]).finish();
    assert!(!ok, "the port is taken");
    Transcript::on_port(port)
        .command("cargo run -p ch01_socket")
        .output(&out)
        .output(&err)
        .check("01_socket", "in_use.txt");
}

#[test]
fn ch02_the_port_checker() {
    let free = free_port();
    let mut transcript = Transcript::on_port(free);
    let (_, out, _) = run("ch02_port", &[&free.to_string()]).finish();
    transcript
        .command("cargo run -p ch02_port -- 9999")
        .output(&out);
    transcript.check("02_port", "free.txt");

    // 9999를 서버가 쓰는 중일 때 · while a server holds the port
    let held = TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy = held.local_addr().expect("addr").port();
    let (_, out, _) = run("ch02_port", &[&busy.to_string()]).finish();
    // ss 필터 속의 포트도 책의 포트로 보여 줍니다 · show the port in the ss filter as the book's.
    let out = out.replace(&format!(":{busy} )"), ":9999 )");
    Transcript::on_port(busy)
        .command("cargo run -p ch02_port -- 9999")
        .output(&out)
        .check("02_port", "in_use.txt");

    let (_, out, _) = run("ch02_port", &["0"]).finish();
    let (_, demo, _) = run("ch02_port", &["demo"]).finish();
    let (ok, _, bad) = run("ch02_port", &["70000"]).finish();
    assert!(!ok, "70000 is not a port");
    Transcript::default()
        .command("cargo run -p ch02_port -- 0")
        .output(&out)
        .command("cargo run -p ch02_port -- 70000")
        .output(&bad)
        .command("cargo run -p ch02_port -- demo")
        .output(&demo)
        .check("02_port", "demo.txt");
}

#[cfg(target_os = "linux")]
fn unprivileged_port_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .expect("sysctl")
        .trim()
        .parse()
        .expect("a number")
}

/// 리눅스에서, 권한 없는 사용자로 80번 포트 · port 80 as an unprivileged user on Linux.
#[cfg(target_os = "linux")]
#[test]
fn ch02_a_low_port_needs_privilege() {
    let bin = binary("ch02_port");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let command = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin)
            .arg("80");
        c
    } else {
        let mut c = Command::new(bin);
        c.arg("80");
        c
    };
    let (_, out, _) = Program::start(command).finish();
    // 컨테이너는 이 경계를 0으로 내리기도 합니다 · containers may lower the boundary to 0.
    if unprivileged_port_start() <= 80 {
        assert!(
            out.contains("free"),
            "port 80 is not privileged here: {out}"
        );
        return;
    }
    Transcript::default()
        .command("cargo run -p ch02_port -- 80")
        .output(&out)
        .check("02_port", "low_port.txt");
}

#[test]
fn ch03_the_seed_client_calls_our_server() {
    let port = free_port();
    let mut server = run("ch03_server", &[&addr(port)]);
    server.wait_for_line("server listening");
    let (ok, client, err) = seed("seed_client.py", port).finish();
    assert!(ok, "{err}");
    let (ok, out, err) = server.finish();
    assert!(ok, "{err}");
    Transcript::on_port(port)
        .command("cargo run -p ch03_server")
        .output(&out)
        .check("03_server", "server.txt");
    Transcript::on_port(port)
        .command("python3 interop/seed_client.py")
        .output(&client)
        .check("03_server", "seed_client.txt");
}

#[test]
fn ch03_a_second_server_on_the_same_port() {
    let held = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = held.local_addr().expect("addr").port();
    let (ok, out, err) = run("ch03_server", &[&addr(port)]).finish();
    assert!(!ok);
    Transcript::on_port(port)
        .command("cargo run -p ch03_server")
        .output(&out)
        .output(&err)
        .check("03_server", "in_use.txt");
}

#[test]
fn ch04_our_client_calls_our_server() {
    let port = free_port();
    let mut server = run("ch03_server", &[&addr(port)]);
    server.wait_for_line("server listening");
    let (ok, client, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(ok, "{err}");
    let (_, out, _) = server.finish();
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&client)
        .check("04_client", "client.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch03_server")
        .output(&out)
        .check("04_client", "server.txt");

    // 1026바이트 한국어: 서버는 1024 + 2로 받지만 클라이언트는 전부 받습니다.
    // 1026 bytes of Korean: the server reads 1024 + 2, the client gets it all.
    let long = "가".repeat(342);
    let mut server = run("ch03_server", &[&addr(port)]);
    server.wait_for_line("server listening");
    let (ok, client, err) = run("ch04_client", &[&long, &addr(port)]).finish();
    assert!(ok, "{err}");
    let (_, out, _) = server.finish();
    // 342글자를 다 보여 주는 대신 [가 × N]으로 줄입니다 · shorten the run of 가 for the page.
    let client = client.replace(&long, "[가 × 342]");
    let out = out.replace(&"가".repeat(341), "[가 × 341]");
    Transcript::on_port(port)
        .command("cargo run -p ch03_server")
        .output(&out)
        .check("04_client", "long_server.txt");
    Transcript::on_port(port)
        .command(r#"cargo run -p ch04_client -- "$(printf '가%.0s' $(seq 342))""#)
        .output(&client)
        .check("04_client", "long_client.txt");
}

#[test]
fn ch04_our_client_calls_the_seed_server() {
    let port = free_port();
    let mut server = seed("seed_server.py", port);
    server.wait_for_line("서버가 실행되었습니다");
    let (ok, client, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(ok, "{err}");
    let (ok, out, err) = server.finish();
    assert!(ok, "{err}");
    Transcript::on_port(port)
        .command("python3 interop/seed_server.py")
        .output(&out)
        .check("04_client", "seed_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&client)
        .check("04_client", "client_to_seed.txt");
}

#[test]
fn ch04_nobody_answers() {
    let port = free_port();
    let (ok, out, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(!ok);
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&out)
        .output(&err)
        .check("04_client", "refused.txt");
}

#[test]
fn ch04_the_seed_bug_reproduced() {
    let (ok, out, err) = Program::start(Command::new(example("seed_bug"))).finish();
    assert!(ok, "{err}");
    Transcript::default()
        .command("cargo run -p ch04_client --example seed_bug")
        .output(&out)
        .check("04_client", "seed_bug.txt");
}

/// 시드 서버는 글자 중간에서 잘린 1024바이트를 decode하다 죽습니다 · the seed server dies
/// decoding 1024 bytes that end mid-syllable (its traceback's frames are elided here: they
/// name this machine's paths).
#[test]
fn ch04_the_seed_server_trips_over_a_split_syllable() {
    let port = free_port();
    let mut server = seed("seed_server.py", port);
    server.wait_for_line("서버가 실행되었습니다");
    let long = "가".repeat(342);
    let (ok, client, client_err) = run("ch04_client", &[&long, &addr(port)]).finish();
    assert!(!ok, "our call fails: the seed server crashed");
    let (ok, out, err) = server.finish();
    assert!(!ok, "the seed server exits with an error");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("UnicodeDecodeError"), "{err}");
    let shown = format!("{out}Traceback (most recent call last):\n  …\n{last}\n");
    Transcript::on_port(port)
        .command("python3 interop/seed_server.py")
        .output(&shown)
        .check("04_client", "seed_server_crash.txt");
    Transcript::on_port(port)
        .command(r#"cargo run -p ch04_client -- "$(printf '가%.0s' $(seq 342))""#)
        .output(&client)
        .output(&client_err)
        .check("04_client", "seed_server_crash_client.txt");
}

/// 숫자를 #으로 바꿉니다: 잰 시간은 실행마다 다르고, 나머지는 그대로여야 합니다.
/// Replaces every digit by #: measured times differ on every run, the rest must not.
/// 수와 그 앞의 줄맞춤 공백을 `#` 하나로 · A number and the padding before it become one `#`,
/// so `   25 µs` and `  111 µs` compare equal.
fn mask_digits(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                masked.truncate(masked.trim_end_matches(' ').len());
                masked.push_str(" #");
            }
            in_number = true;
        } else {
            in_number = false;
            masked.push(c);
        }
    }
    masked
}

/// 네이글 + 지연 ACK: 2 KiB 왕복이 TCP_NODELAY 없이는 수십 ms 걸립니다. 책에는 잰 숫자를 그대로
/// 싣고, 비교는 숫자를 가린 채로 합니다(시간에 기대는 테스트가 아닙니다).
/// Nagle + delayed ACK: a 2 KiB round trip takes tens of ms without TCP_NODELAY. The book shows
/// the measured figures; the comparison masks their digits, so it never depends on timing.
#[test]
fn ch04_nagle_and_delayed_ack_measured() {
    let (ok, out, err) = Program::start(Command::new(example("nagle"))).finish();
    assert!(ok, "{err}");
    let path = root().join("chapters/04_client/transcripts/nagle.txt");
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    let command = "$ cargo run -p ch04_client --example nagle\n";
    // 숫자만 다르면 저장된 숫자를 씁니다 · if only the digits differ, keep the stored figures.
    let shown = match stored.strip_prefix(command) {
        Some(figures) if mask_digits(figures) == mask_digits(&out) => figures.to_string(),
        _ => out,
    };
    Transcript::default()
        .command("cargo run -p ch04_client --example nagle")
        .output(&shown)
        .check("04_client", "nagle.txt");
}
