// 루프백에서 실제로: 쓰기와 읽기, 그리고 글자를 온전히 보여 주며 바이트 그대로 돌려주는 서버.
// Over real loopback: writes and reads, and a server that shows whole characters and echoes
// bytes exactly.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::thread;

use ch05_byte_stream::{DEFAULT_ADDR, listen, pick_up, serve_one_call, show_writes_and_reads};
use support::{Running, TIMEOUT, dial, loopback_listener, read_until_hang_up, round_trip, within};

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

/// 로그의 "받음" 줄마다 따옴표 안의 글을 이어 붙입니다 (따옴표나 \가 없는 글만).
/// Joins the quoted text of every "받음" line (for text without quotes or backslashes).
fn logged_text(log: &str) -> String {
    log.lines()
        .filter(|line| line.starts_with("받음 · read "))
        .map(|line| {
            let start = line.find('"').expect("opening quote") + 1;
            let end = line.rfind('"').expect("closing quote");
            &line[start..end]
        })
        .collect()
}

#[test]
fn a_syllable_split_between_reads_is_shown_whole() {
    let (addr, server) = start_server();
    let mut stream = dial(addr);
    // "안녕"과 "하"의 첫 바이트를 보내고, 그 에코를 받을 때까지 기다립니다: 그러면 서버의 첫
    // 읽기가 이 7바이트에서 끝났다는 것이 확실합니다.
    // Send "안녕" and the first byte of "하", and wait for their echo: then the server's first
    // read certainly ended after these 7 bytes.
    let ha = "하".as_bytes();
    let mut first = "안녕".as_bytes().to_vec();
    first.push(ha[0]);
    stream.write_all(&first).expect("write");
    let mut echoed = vec![0u8; first.len()];
    stream
        .read_exact(&mut echoed)
        .expect("echo of the first 7 bytes");
    assert_eq!(echoed, first);

    let mut second = ha[1..].to_vec();
    second.extend_from_slice("세요".as_bytes());
    stream.write_all(&second).expect("write");
    stream.shutdown(Shutdown::Write).expect("half-close");
    let rest = read_until_hang_up(&mut stream);
    assert_eq!(rest, second, "echoed byte for byte");

    let log = server.join().expect("server thread");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines[1..],
        [
            r#"받음 · read 1: 7 bytes → "안녕", 1 held for the next read"#,
            r#"받음 · read 2: 8 bytes → "하세요""#,
            &format!(
                "통화 종료 · {} hung up (reads: 2, bytes: 15)",
                stream.local_addr().expect("addr")
            ),
        ],
        "{log}"
    );
}

#[test]
fn the_1026_byte_message_is_shown_as_342_whole_syllables() {
    let (addr, server) = start_server();
    let message = "가".repeat(342);
    assert_eq!(round_trip(addr, message.as_bytes()), message.as_bytes());
    let log = server.join().expect("server thread");
    assert!(!log.contains('�'), "no broken syllable is shown:\n{log}");
    assert_eq!(logged_text(&log), message, "{log}");
    // 1024바이트 버퍼로는 적어도 두 번 읽습니다 · a 1024-byte buffer takes at least two reads
    assert!(!log.contains("(reads: 1,"), "{log}");
    assert!(log.contains("bytes: 1026)"), "{log}");
}

#[test]
fn a_megabyte_of_korean_is_shown_and_echoed_exactly() {
    let (addr, server) = start_server();
    let message = "가나다라마바사 아자차카타파하 ".repeat(25_000);
    assert!(message.len() > 1 << 20);
    assert_eq!(round_trip(addr, message.as_bytes()), message.as_bytes());
    let log = server.join().expect("server thread");
    assert!(!log.contains('�'), "no broken syllable is shown");
    assert_eq!(logged_text(&log), message);
}

#[test]
fn invalid_bytes_are_echoed_exactly_and_reported_with_their_offset() {
    let (addr, server) = start_server();
    let mut message = "가".repeat(342).into_bytes();
    message.extend_from_slice(&[0xff, 0xfe]);
    message.extend_from_slice("끝".as_bytes());
    assert_eq!(round_trip(addr, &message), message);
    let log = server.join().expect("server thread");
    assert!(
        log.contains("  UTF-8이 아닌 바이트 · not UTF-8 at byte 1026: 0xff\n"),
        "{log}"
    );
    assert!(log.contains("not UTF-8 at byte 1027: 0xfe\n"), "{log}");
    assert!(
        log.contains("끝"),
        "decoding went on after the invalid bytes: {log}"
    );
}

#[test]
fn a_call_that_ends_inside_a_character_is_reported() {
    let (addr, server) = start_server();
    let message = ["안녕".as_bytes(), &"가".as_bytes()[..2]].concat();
    assert_eq!(round_trip(addr, &message), message);
    let log = server.join().expect("server thread");
    assert!(
        log.contains(
            "  끝나지 않은 글자 · the stream ended inside a character at byte 6: 0xea 0xb0\n"
        ),
        "{log}"
    );
    assert!(log.contains("bytes: 8)"), "{log}");
}

#[test]
fn a_reset_gets_a_clear_line_not_a_panic() {
    let (addr, server) = start_server();
    let mut stream = dial(addr);
    stream.write_all(b"hello").expect("write");
    // 에코가 수신 버퍼에 도착할 때까지 들여다보기만 하고, 읽지 않은 채 닫습니다. 읽지 않은
    // 데이터를 남기고 닫으면 운영체제는 FIN 대신 RST를 보냅니다.
    // Peek until the echo sits in our receive buffer, then close without reading it: closing
    // with unread data makes the operating system send RST instead of FIN.
    ch05_byte_stream::wait_until_arrived(&stream, 5).expect("the echo arrives");
    drop(stream);
    let log = server.join().expect("server returned Ok, no panic");
    assert!(log.contains("reset the connection"), "{log}");
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = loopback_listener();
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    let message = format!("{error:#}");
    assert!(
        message.contains("is already in use: is another server still running?"),
        "{message}"
    );
}

#[test]
fn the_address_argument_defaults_to_the_seed_and_rejects_nonsense() {
    // main이 하는 그대로 · exactly what main does
    let addr = |list: &[&str]| {
        let mut args = cli::Args::parse(list)?;
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish().map(|()| addr)
    };
    assert_eq!(addr(&[]).expect("default").to_string(), "127.0.0.1:9999");
    let error = addr(&["localhost"]).expect_err("not an address");
    assert!(
        error
            .to_string()
            .contains("is not an address (IP:PORT, like 127.0.0.1:9999)"),
        "{error}"
    );
}

#[test]
fn three_small_writes_arrive_as_one_read_and_one_large_write_as_two() {
    let mut out = Vec::new();
    show_writes_and_reads(&mut out).expect("the demonstration runs");
    let out = String::from_utf8(out).expect("UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    let ga_341 = "가".repeat(341);
    let ga_342 = "가".repeat(342);
    assert_eq!(
        lines,
        [
            r#"쓰기 · write 1: 6 bytes "안녕""#,
            r#"쓰기 · write 2: 6 bytes "하세""#,
            r#"쓰기 · write 3: 3 bytes "요""#,
            r#"읽기 · read 1: 15 bytes "안녕하세요""#,
            &format!(r#"쓰기 · write 4: 1026 bytes "{ga_342}""#),
            "읽기 · read 2: 1024 bytes",
            "  따로 디코드 · from_utf8 alone: incomplete utf-8 byte sequence from index 1023",
            &format!(r#"  이어서 디코드 · Utf8Decoder: "{ga_341}", 1 held for the next read"#),
            "읽기 · read 3: 2 bytes",
            "  따로 디코드 · from_utf8 alone: invalid utf-8 sequence of 1 bytes from index 0",
            r#"  이어서 디코드 · Utf8Decoder: "가""#,
            "끊기 · hang up",
            "읽기 · read 4: 0 bytes (EOF)",
        ]
    );
}

/// 실제 바이너리를 포트 0으로 띄우고, 그 "listening on" 줄에서 실제 주소를 읽습니다.
/// Starts the real binary on port 0 and reads the real address from its "listening on" line.
#[test]
fn the_binary_serves_one_call_and_prints_whole_syllables() {
    let server = Running::start(env!("CARGO_BIN_EXE_ch05_byte_stream"), &["127.0.0.1:0"]);
    let message = "가".repeat(342);
    assert_eq!(
        round_trip(server.addr, message.as_bytes()),
        message.as_bytes()
    );
    let (ok, rest) = server.finish();
    assert!(ok, "{rest}");
    assert_eq!(logged_text(&rest), message, "{rest}");
}

/// 받은 전화기는 TCP_NODELAY가 켜져 있습니다 (4장의 nagle 예제가 그 차이를 잽니다).
/// The accepted handset has TCP_NODELAY on (chapter 4's nagle example measures why).
#[test]
fn the_accepted_call_sends_at_once_with_nodelay() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let _caller = dial(addr);
    let (call, _) = within(TIMEOUT, move || pick_up(&listener).expect("pick up"));
    assert!(call.nodelay().expect("getsockopt"), "TCP_NODELAY is on");
}
