use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use ch03_server::{describe, listen, serve_one_call};

const TIMEOUT: Duration = Duration::from_secs(5);

/// 서버를 스레드에서 돌리고, 주소와 로그를 돌려받을 핸들을 줍니다.
/// Runs serve_one_call in a thread; the handle returns its log.
fn start_server() -> (SocketAddr, thread::JoinHandle<String>) {
    let listener = listen("127.0.0.1:0".parse().expect("addr")).expect("listen");
    let addr = listener.local_addr().expect("local addr");
    let server = thread::spawn(move || {
        let mut log = Vec::new();
        serve_one_call(&listener, &mut log).expect("serve");
        String::from_utf8(log).expect("log is UTF-8")
    });
    (addr, server)
}

fn dial(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("dial");
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    stream
}

/// 보내고, 말을 끝내고, 답을 끝까지 읽습니다 · Send, say "done", read all.
fn round_trip(addr: SocketAddr, message: &[u8]) -> Vec<u8> {
    let stream = dial(addr);
    let mut reader = stream.try_clone().expect("clone");
    // 큰 메시지에서도 막히지 않도록 쓰기는 다른 스레드에서 · write on another thread so
    // a large message cannot deadlock against the echo.
    let message = message.to_vec();
    let writer = thread::spawn(move || {
        let mut stream = stream;
        stream.write_all(&message).expect("write");
        stream.shutdown(Shutdown::Write).expect("half-close");
    });
    let mut reply = Vec::new();
    reader.read_to_end(&mut reply).expect("read echo");
    writer.join().expect("writer");
    reply
}

#[test]
fn echoes_the_seed_greeting_and_logs_the_call() {
    let (addr, server) = start_server();
    assert_eq!(round_trip(addr, "안녕!".as_bytes()), "안녕!".as_bytes());
    let log = server.join().expect("server thread");
    assert!(log.contains("connected by 127.0.0.1:"), "{log}");
    assert!(log.contains(r#""안녕!" (7 bytes)"#), "{log}");
    assert!(log.contains("hung up"), "{log}");
}

#[test]
fn invalid_and_split_utf8_is_echoed_byte_for_byte() {
    let (addr, server) = start_server();
    // 342 × "가" = 1026바이트: 1024바이트 읽기는 글자 중간에서 끝납니다.
    // 342 × "가" = 1026 bytes: a 1024-byte read ends mid-syllable.
    let mut message = "가".repeat(342).into_bytes();
    message.extend_from_slice(&[0xff, 0xfe, b'!']);
    assert_eq!(round_trip(addr, &message), message);
    let log = server.join().expect("server thread");
    assert!(log.contains("not valid UTF-8 on its own"), "{log}");
}

#[test]
fn a_megabyte_comes_back_exactly() {
    let (addr, server) = start_server();
    let message: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    assert_eq!(round_trip(addr, &message), message);
    server.join().expect("server thread");
}

#[test]
fn a_reset_gets_a_clear_line_not_a_panic() {
    let (addr, server) = start_server();
    let mut stream = dial(addr);
    stream.write_all(b"hello").expect("write");
    let mut echoed = [0u8; 5];
    stream.read_exact(&mut echoed).expect("echo");
    // SO_LINGER 0으로 닫으면 FIN 대신 RST를 보냅니다 · linger 0 makes close send RST.
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("linger");
    drop(stream);
    let log = server.join().expect("server returned Ok, no panic");
    assert!(log.contains("reset the connection"), "{log}");
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    assert!(format!("{error:#}").contains("is another server still running?"));
}

#[test]
fn describe_marks_bytes_that_are_not_utf8() {
    assert_eq!(describe("안녕!".as_bytes()), r#""안녕!" (7 bytes)"#);
    let first_half_of_ga = &"가".as_bytes()[..2];
    assert!(describe(first_half_of_ga).contains("2 bytes, not valid UTF-8 on its own"));
}

/// 실제 바이너리를 포트 0으로 띄우고, 첫 줄에서 실제 주소를 읽습니다.
/// Starts the real binary on port 0 and reads the real address from its first line.
fn start_binary() -> (
    std::process::Child,
    SocketAddr,
    BufReader<std::process::ChildStdout>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ch03_server"))
        .arg("127.0.0.1:0")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start ch03_server");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("first line");
    let addr = first
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    assert!(first.starts_with("서버가 실행되었습니다 · server listening on"));
    (child, addr, stdout)
}

#[test]
fn the_seed_python_client_talks_to_our_server() {
    let (mut child, addr, mut stdout) = start_binary();
    let interop = concat!(env!("CARGO_MANIFEST_DIR"), "/../../interop");
    let client = Command::new("python3")
        .arg(format!("{interop}/run_seed.py"))
        .arg(format!("{interop}/seed_client.py"))
        .arg(addr.port().to_string())
        .output()
        .expect("python3 is needed for the interop tests");
    assert!(client.status.success(), "{client:?}");
    assert_eq!(
        String::from_utf8_lossy(&client.stdout),
        "Received '안녕!'\n"
    );

    // 서버는 시드처럼 통화가 끝나면 스스로 끝납니다 · the server exits when the call ends.
    let mut log = String::new();
    stdout.read_to_string(&mut log).expect("server log");
    assert!(child.wait().expect("server exit").success(), "{log}");
    assert!(log.contains(r#""안녕!" (7 bytes)"#), "{log}");
}
