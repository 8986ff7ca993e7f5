use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::Command;
use std::thread;

use ch03_server::{describe, listen, pick_up, serve_one_call};
use support::{
    Running, TIMEOUT, a_call_reset_by_the_other_end, dial, hang_up_with_reset, loopback_listener,
    round_trip, within,
};

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

/// 받은 전화기는 TCP_NODELAY가 켜져 있습니다: 1024바이트씩 나눈 답의 둘째 조각이 첫 조각의 ACK를
/// 기다리지 않습니다 (4장의 nagle 예제가 시간을 잽니다).
/// The accepted handset has TCP_NODELAY on: the second 1024-byte piece of a reply does not wait
/// for the first one's ACK (chapter 4's nagle example measures the time).
#[test]
fn the_accepted_call_sends_at_once_with_nodelay() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let _caller = dial(addr);
    let (call, caller) = within(TIMEOUT, move || pick_up(&listener).expect("pick up"));
    assert!(call.nodelay().expect("getsockopt"), "TCP_NODELAY is on");
    assert_eq!(call.peer_addr().expect("peer"), caller);
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
    hang_up_with_reset(stream);
    let log = server.join().expect("server returned Ok, no panic");
    assert!(log.contains("reset the connection"), "{log}");
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = loopback_listener();
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    assert!(format!("{error:#}").contains("is another server still running?"));
}

#[test]
fn describe_marks_bytes_that_are_not_utf8() {
    assert_eq!(describe("안녕!".as_bytes()), r#""안녕!" (7 bytes)"#);
    let first_half_of_ga = &"가".as_bytes()[..2];
    assert!(describe(first_half_of_ga).contains("2 bytes, not valid UTF-8 on its own"));
}

#[test]
fn the_seed_python_client_talks_to_our_server() {
    let server = Running::start(env!("CARGO_BIN_EXE_ch03_server"), &["127.0.0.1:0"]);
    let addr = server.addr;
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
    let (ok, log) = server.finish();
    assert!(ok, "{log}");
    assert!(log.contains(r#""안녕!" (7 bytes)"#), "{log}");
}

/// 사라진 통화에 쓰기: 러스트는 SIGPIPE를 무시하므로 프로세스가 죽지 않고 `Err`를 받습니다.
/// 첫 쓰기는 대기 중인 리셋을, 둘째 쓰기는 BrokenPipe를 받습니다.
/// Writing to a call that is gone: Rust ignores SIGPIPE, so the process is not killed and gets
/// an `Err`. The first write gets the pending reset, the second BrokenPipe.
#[cfg(unix)]
#[test]
fn a_write_to_a_call_that_is_gone_is_an_error_not_a_signal() {
    use std::io::ErrorKind;

    let (mut phone, _) = a_call_reset_by_the_other_end();
    let first = phone.write(b"hello").expect_err("the call was reset");
    assert_eq!(first.kind(), ErrorKind::ConnectionReset, "{first}");
    let second = phone.write(b"hello").expect_err("the call is gone");
    assert_eq!(second.kind(), ErrorKind::BrokenPipe, "{second}");
}
