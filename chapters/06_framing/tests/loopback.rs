// 진짜 소켓으로: 서버와 클라이언트가 127.0.0.1에서, 운영체제가 고른 포트로 통화합니다.
// Real sockets: the server and the client talk over 127.0.0.1, on a port the OS picks.

use std::io::{BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use ch06_framing::{
    DEFAULT_ADDR, MAX_FRAME, MAX_LINE, Protocol, call, call_talking_first, explain_short_call,
    frame_header, listen, parse_protocol, read_frame, read_line, serve, serve_call,
    write_all_within, write_frame, write_line,
};
use support::{
    NotInService, Running, SharedLog as Log, SlowReader, TIMEOUT, dial, loopback_listener, within,
};

/// 테스트가 정하는 짧은 제한 시간 · A short limit, set by the test.
const SHORT: Duration = Duration::from_millis(200);

/// 이 장의 `serve`를 스레드에서 돌립니다(끝없이 받으므로 join하지 않습니다).
/// Runs this chapter's `serve` on a thread (it takes calls forever, so it is never joined).
fn start_server(protocol: Protocol) -> (SocketAddr, Log) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("local addr");
    let log = Log::default();
    let mut server_log = log.clone();
    thread::spawn(move || serve(&listener, protocol, &mut server_log));
    (addr, log)
}

fn say(addr: SocketAddr, protocol: Protocol, messages: &[&str]) -> Vec<Vec<u8>> {
    let messages: Vec<Vec<u8>> = messages.iter().map(|m| m.as_bytes().to_vec()).collect();
    call(addr, protocol, &messages, TIMEOUT).expect("call")
}

fn encode(protocol: Protocol, messages: &[Vec<u8>]) -> Vec<u8> {
    let mut wire = Vec::new();
    for message in messages {
        protocol.write_message(&mut wire, message).expect("encode");
    }
    wire
}

#[test]
fn pipelined_messages_stay_separate() {
    for protocol in [Protocol::Lines, Protocol::Frames] {
        let (addr, log) = start_server(protocol);
        let messages: Vec<Vec<u8>> = ["one", "two", "three"]
            .iter()
            .map(|m| m.as_bytes().to_vec())
            .collect();
        // 세 메시지를 한 번의 write_all로, 답을 하나도 읽기 전에 · three messages in one
        // write_all, before reading any reply
        let mut phone = dial(addr);
        phone
            .write_all(&encode(protocol, &messages))
            .expect("write");
        let mut reader = BufReader::new(phone.try_clone().expect("clone"));
        for message in &messages {
            let reply = protocol.read_message(&mut reader).expect("reply");
            assert_eq!(reply.as_ref(), Some(message), "{protocol:?}");
        }
        phone.shutdown(Shutdown::Write).expect("half-close");
        assert_eq!(protocol.read_message(&mut reader).expect("end"), None);
        let text = log.wait_for("hung up after 3 messages", 1);
        for message in ["\"one\"", "\"two\"", "\"three\""] {
            assert!(text.contains(message), "{text}");
        }
    }
}

#[test]
fn messages_written_in_random_pieces_come_back_whole() {
    let messages: Vec<Vec<u8>> = vec![
        "안녕!".as_bytes().to_vec(),
        "가".repeat(342).into_bytes(),
        vec![0xff, 0xfe, b'!'],
        Vec::new(),
        vec![b'z'; 5000],
    ];
    for protocol in [Protocol::Lines, Protocol::Frames] {
        let (addr, _log) = start_server(protocol);
        let wire = encode(protocol, &messages);
        let phone = dial(addr);
        phone.set_nodelay(true).expect("nodelay");
        let mut writer = phone.try_clone().expect("clone");
        let pieces = thread::spawn(move || {
            let mut seed: u64 = 7;
            let mut rest = wire.as_slice();
            let mut count = 0;
            while !rest.is_empty() {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let n = (1 + (seed >> 33) as usize % 64).min(rest.len());
                writer.write_all(&rest[..n]).expect("piece");
                writer.flush().expect("flush");
                rest = &rest[n..];
                count += 1;
                if count % 16 == 0 {
                    thread::sleep(Duration::from_millis(1));
                }
            }
            writer.shutdown(Shutdown::Write).expect("half-close");
            count
        });
        let mut reader = BufReader::new(phone);
        let mut replies = Vec::new();
        while let Some(reply) = protocol.read_message(&mut reader).expect("reply") {
            replies.push(reply);
            assert!(replies.len() <= messages.len(), "no extra replies");
        }
        assert_eq!(replies, messages, "{protocol:?}");
        assert!(pieces.join().expect("writer") > 100, "many small pieces");
    }
}

#[test]
fn megabyte_frames_round_trip() {
    let (addr, log) = start_server(Protocol::Frames);
    let messages: Vec<Vec<u8>> = (0..3u8)
        .map(|i| (0..MAX_FRAME).map(|j| (j % 251) as u8 ^ i).collect())
        .collect();
    let replies = call(addr, Protocol::Frames, &messages, TIMEOUT).expect("call");
    assert_eq!(replies.len(), 3);
    assert!(
        replies == messages,
        "the three 1 MiB frames came back unchanged"
    );
    log.wait_for("hung up after 3 messages", 1);
}

#[test]
fn a_line_at_the_limit_round_trips() {
    let (addr, _log) = start_server(Protocol::Lines);
    let line = vec![b'x'; MAX_LINE];
    let replies = call(addr, Protocol::Lines, std::slice::from_ref(&line), TIMEOUT).expect("call");
    assert!(replies == [line], "65536 bytes came back");
}

/// 잘못된 메시지를 보낸 쪽이 받는 것: 오류 메시지 하나, 그리고 EOF.
/// What the sender of a bad message gets: one error message, then EOF.
fn refusal(protocol: Protocol, phone: &TcpStream) -> String {
    let mut reader = BufReader::new(phone);
    let reply = protocol
        .read_message(&mut reader)
        .expect("an error message")
        .expect("not EOF yet");
    assert_eq!(
        protocol.read_message(&mut reader).expect("then EOF"),
        None,
        "the server hangs up after saying why"
    );
    String::from_utf8(reply).expect("the error is text")
}

#[test]
fn an_endless_line_is_refused_before_it_ends_and_the_next_caller_is_served() {
    let (addr, log) = start_server(Protocol::Lines);
    // 한도보다 1바이트 더, "\n"은 없이. 회선은 열어 둡니다: 서버는 줄이 끝나기를
    // 기다리지 않고 거절해야 합니다.
    // One byte over the limit, no "\n", and we keep the line open: the server must refuse
    // without waiting for the line to end.
    let mut phone = dial(addr);
    phone.write_all(&vec![b'x'; MAX_LINE + 1]).expect("write");
    let error = refusal(Protocol::Lines, &phone);
    assert!(error.starts_with("오류 · error: "), "{error}");
    assert!(
        error.contains("a line over the limit of 65536 bytes"),
        "{error}"
    );
    drop(phone);
    let text = log.wait_for("hung up on", 1);
    assert!(text.contains("refused 127.0.0.1:"), "{text}");

    // 서버는 다음 전화를 받습니다 · the server takes the next call
    assert_eq!(say(addr, Protocol::Lines, &["안녕!"]), ["안녕!".as_bytes()]);
    log.wait_for("connected by", 2);
}

#[test]
fn an_oversized_frame_is_refused_from_its_header_and_the_next_caller_is_served() {
    let (addr, log) = start_server(Protocol::Frames);
    // 머리만 보냅니다: 본문 1 MiB + 1바이트는 보내지 않습니다.
    // Only the header: the 1 MiB + 1 byte payload is never sent.
    let mut phone = dial(addr);
    let header = u32::try_from(MAX_FRAME + 1).expect("fits").to_be_bytes();
    phone.write_all(&header).expect("write");
    let error = refusal(Protocol::Frames, &phone);
    assert!(
        error.contains(
            "a frame of 1048577 bytes (header 00 10 00 01) is over the limit of 1048576 bytes"
        ),
        "{error}"
    );
    drop(phone);
    log.wait_for("hung up on", 1);
    assert_eq!(
        say(addr, Protocol::Frames, &["안녕!", "잘 지내?"]),
        ["안녕!".as_bytes(), "잘 지내?".as_bytes()]
    );
}

#[test]
fn the_refusal_reaches_a_caller_who_keeps_talking() {
    // 발신자는 서버가 읽는 것보다 64 KiB를 더 보내고, "내 말은 끝"이라고 한 뒤 답을 듣습니다.
    // 서버가 그 바이트를 읽지 않은 채 닫는다면 리셋이 나고 refusal이 실패합니다. 더 보내는 양이
    // 적으니, 바쁜 컴퓨터에서도 서버는 LINGER(2초) 안에 넉넉히 다 읽어 버립니다.
    // The caller sends 64 KiB more than the server reads, says "I'm done talking", and listens.
    // Were the server to close with those bytes unread, a reset would make `refusal` fail. The
    // extra is small, so even a busy machine reads and drops it well within LINGER (2 s).
    const MORE: usize = 64 * 1024;

    // 한도를 넘어 이어지는 줄, 그리고 메시지 하나 더
    // A line that goes on past the limit, then one more message
    let (addr, log) = start_server(Protocol::Lines);
    let mut phone = dial(addr);
    let mut wire = vec![b'x'; MAX_LINE + 1 + MORE];
    wire.extend_from_slice("\n안녕!\n".as_bytes());
    phone.write_all(&wire).expect("write");
    phone.shutdown(Shutdown::Write).expect("half-close");
    let error = refusal(Protocol::Lines, &phone);
    assert!(error.contains("over the limit of 65536 bytes"), "{error}");
    log.wait_for("hung up on", 1);

    // 2 MiB라고 알리는 머리, 그리고 본문의 앞 64 KiB
    // A header announcing 2 MiB, then the first 64 KiB of its payload
    let (addr, log) = start_server(Protocol::Frames);
    let mut phone = dial(addr);
    let mut wire = frame_header(MAX_FRAME * 2).expect("fits").to_vec();
    wire.extend_from_slice(&vec![b'x'; MORE]);
    phone.write_all(&wire).expect("write");
    phone.shutdown(Shutdown::Write).expect("half-close");
    let error = refusal(Protocol::Frames, &phone);
    assert!(error.contains("a frame of 2097152 bytes"), "{error}");
    log.wait_for("hung up on", 1);
}

#[test]
fn closing_with_unread_bytes_resets_the_caller() {
    // 공손하게 끊지 않는 서버: 조금 읽고, 답하고, 곧바로 닫습니다.
    // A server that does not hang up politely: it reads a little, answers, and closes.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let rude = thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        let mut some = [0u8; 10];
        call.read_exact(&mut some).expect("read a little");
        call.write_all(b"error\n").expect("answer");
    });
    let mut phone = dial(addr);
    let chunk = vec![b'x'; 1 << 20];
    let mut failed = None;
    for _ in 0..64 {
        if let Err(e) = phone.write_all(&chunk) {
            failed = Some(e.kind());
            break;
        }
    }
    rude.join().expect("rude server");
    assert!(
        matches!(
            failed,
            Some(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe)
        ),
        "{failed:?}"
    );
}

#[test]
fn a_cut_off_line_and_a_reset_are_logged_and_the_server_carries_on() {
    let (addr, log) = start_server(Protocol::Lines);

    // 줄 중간에 "내 말은 끝" · "I'm done talking" in the middle of a line
    let phone = dial(addr);
    (&phone).write_all(b"half").expect("write");
    phone.shutdown(Shutdown::Write).expect("half-close");
    let mut rest = Vec::new();
    (&phone)
        .read_to_end(&mut rest)
        .expect("the server hangs up");
    assert!(rest.is_empty(), "no reply to half a line");
    let text = log.wait_for("잘린 메시지", 1);
    assert!(
        text.contains("the call ended in the middle of a line (4 bytes without"),
        "{text}"
    );

    // 답을 읽지 않고 끊기: 읽지 않은 답이 남아 있으니 우리 쪽이 리셋을 보냅니다.
    // Hang up without reading the reply: with the reply unread, our side sends a reset.
    let phone = dial(addr);
    (&phone).write_all(b"hi\n").expect("write");
    let mut peek = [0u8; 1];
    phone.peek(&mut peek).expect("the reply has arrived");
    drop(phone);
    log.wait_for("reset the connection", 1);

    assert_eq!(say(addr, Protocol::Lines, &["안녕!"]), ["안녕!".as_bytes()]);
}

#[test]
fn a_line_client_calling_a_frame_server_gets_a_clear_error() {
    let (addr, log) = start_server(Protocol::Frames);
    let error = call(addr, Protocol::Lines, &[b"hello".to_vec()], TIMEOUT).expect_err("wrong");
    // 서버는 "hell"을 길이로 읽고 거절합니다 · the server reads "hell" as a length and refuses
    let text = log.wait_for("hung up on", 1);
    assert!(
        text.contains("a frame of 1751477356 bytes (header 68 65 6c 6c)"),
        "{text}"
    );
    // 클라이언트에게 그 거절은 "\n"으로 끝나지 않는 줄입니다 · to the client, the refusal is a
    // line that never ends in "\n"
    assert!(
        format!("{error:#}").contains("the call ended in the middle of a line"),
        "{error:#}"
    );
}

#[test]
fn a_silent_caller_is_hung_up_on_after_patience() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = thread::spawn(move || {
        let (call, caller) = listener.accept().expect("accept");
        let mut log = Vec::new();
        let began = Instant::now();
        serve_call(&call, caller, Protocol::Lines, SHORT, &mut log).expect("serve_call");
        (String::from_utf8(log).expect("UTF-8"), began.elapsed())
    });
    let phone = dial(addr);
    let (log, took) = server.join().expect("server");
    assert!(log.contains("said nothing for too long"), "{log}");
    assert!(took >= SHORT, "not before the limit");
    assert!(took < TIMEOUT, "gave up after about 200 ms, not never");
    drop(phone);
}

#[test]
fn invalid_utf8_lines_are_echoed_byte_for_byte_and_flagged() {
    let (addr, log) = start_server(Protocol::Lines);
    // "\n"(0x0A)은 UTF-8 여러 바이트 글자 안에 나오지 않습니다: 줄은 한국어를 자르지 않습니다.
    // 0x0A never occurs inside a multi-byte UTF-8 character: lines never split Korean.
    let messages = vec![vec![0xff, 0xfe, b'!'], "가".as_bytes()[..2].to_vec()];
    let replies = call(addr, Protocol::Lines, &messages, TIMEOUT).expect("call");
    assert_eq!(replies, messages);
    let text = log.wait_for("hung up after 2 messages", 1);
    assert_eq!(text.matches("not valid UTF-8").count(), 2, "{text}");
}

#[test]
fn talking_first_stalls_and_reading_while_talking_does_not() {
    let (addr, log) = start_server(Protocol::Frames);
    // 64 MiB: 양쪽 소켓 버퍼를 다 합쳐도 담을 수 없는 양 · more than all the socket buffers
    // on both sides can hold
    let messages: Vec<Vec<u8>> = (0..64u8).map(|i| vec![i; MAX_FRAME]).collect();
    let error = call_talking_first(addr, Protocol::Frames, &messages, SHORT).expect_err("stalls");
    assert!(format!("{error:#}").contains("stalled"), "{error:#}");

    let replies = call(addr, Protocol::Frames, &messages, TIMEOUT).expect("no stall");
    assert_eq!(replies.len(), 64);
    assert!(replies == messages, "all 64 MiB came back in order");
    log.wait_for("hung up after 64 messages", 1);
}

#[test]
fn a_line_with_a_newline_inside_fails_at_once_and_frames_carry_it() {
    let (addr, _log) = start_server(Protocol::Lines);
    let began = Instant::now();
    let error = call(addr, Protocol::Lines, &[b"one\ntwo".to_vec()], TIMEOUT)
        .expect_err("a line cannot carry its delimiter");
    assert!(format!("{error:#}").contains("cannot contain"), "{error:#}");
    // 말하기가 실패하면 듣기도 곧바로 멈춥니다(patience를 기다리지 않고).
    // When talking fails, listening stops at once too (not after the patience).
    assert!(began.elapsed() < TIMEOUT, "{:?}", began.elapsed());

    let (addr, _log) = start_server(Protocol::Frames);
    let replies = call(addr, Protocol::Frames, &[b"one\ntwo".to_vec()], TIMEOUT).expect("call");
    assert_eq!(replies, [b"one\ntwo".to_vec()]);
}

#[test]
fn nothing_listening_says_what_to_run() {
    let nobody = NotInService::new(); // 없는 번호 · a number not in service
    let addr = nobody.addr;
    let error = call(addr, Protocol::Frames, &[b"hi".to_vec()], TIMEOUT).expect_err("refused");
    let text = format!("{error:#}");
    assert!(text.contains("nothing is listening on"), "{text}");
    assert!(
        text.contains("cargo run -p ch06_framing -- frames"),
        "{text}"
    );
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    assert!(format!("{error:#}").contains("is another server still running?"));
}

#[test]
fn the_arguments() {
    // 클라이언트의 main이 하는 그대로 · exactly what the client's main does
    let client = |list: &[&str]| {
        let mut args = cli::Args::parse(list)?;
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let protocol = args.word_or(Protocol::Lines, parse_protocol)?;
        Ok::<_, cli::UsageError>((protocol, addr, args.words()?))
    };
    let (protocol, addr, messages) = client(&[]).expect("defaults");
    assert_eq!(
        (protocol, addr.to_string(), messages.len()),
        (Protocol::Lines, "127.0.0.1:9999".into(), 0)
    );
    let (protocol, addr, messages) =
        client(&["frames", "a", "--to", "127.0.0.1:9998", "b"]).expect("--to");
    assert_eq!((protocol, addr.port()), (Protocol::Frames, 9998));
    assert_eq!(messages, ["a", "b"]);
    // --to 없이도: 주소처럼 생긴 인수는 메시지가 아니라 주소입니다.
    // Without --to too: an argument shaped like an address is the address, not a message.
    let (_, addr, messages) = client(&["frames", "127.0.0.1:47000"]).expect("address");
    assert_eq!((addr.port(), messages.len()), (47000, 0));
    let error = client(&["framez"]).expect_err("not a protocol");
    assert!(error.to_string().contains("lines or frames"), "{error}");
    assert!(client(&["lines", "--to"]).is_err());
}

#[test]
fn the_binaries_talk_to_each_other() {
    let server = Running::start(
        env!("CARGO_BIN_EXE_ch06_framing"),
        &["frames", "127.0.0.1:0"],
    );
    let client = std::process::Command::new(env!("CARGO_BIN_EXE_ch06_client"))
        .args([
            "frames",
            "--to",
            &server.addr.to_string(),
            "안녕!",
            "잘 지내?",
        ])
        .output()
        .expect("run the client");
    drop(server);
    assert!(client.status.success(), "{client:?}");
    assert_eq!(
        String::from_utf8_lossy(&client.stdout),
        "답 1 · reply 1: \"안녕!\" (7 bytes)\n답 2 · reply 2: \"잘 지내?\" (11 bytes)\n"
    );
}

#[test]
fn line_and_frame_readers_work_on_sockets_too() {
    // 같은 함수가 메모리에도, 소켓에도 · the same functions on memory and on sockets
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let writer = thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        write_line(&mut call, "한 줄".as_bytes()).expect("line");
        write_frame(&mut call, "한 프레임".as_bytes()).expect("frame");
    });
    let mut reader = BufReader::new(dial(addr));
    assert_eq!(
        read_line(&mut reader, MAX_LINE).expect("line"),
        Some("한 줄".as_bytes().to_vec())
    );
    assert_eq!(
        read_frame(&mut reader, MAX_FRAME).expect("frame"),
        Some("한 프레임".as_bytes().to_vec())
    );
    writer.join().expect("writer");
    assert_eq!(read_frame(&mut reader, MAX_FRAME).expect("end"), None);
}

/// 답을 읽지 않는 상대: 답 하나를 다 쓰지 못한 채 제한 시간이 지나면 끊고, 그다음에 로그에
/// 씁니다. serve_call이 돌아올 때 통화는 이미 끊겨 있습니다(쓰기가 실패합니다).
/// A caller who never reads: once one reply could not be written within the limit, the server
/// hangs up, and only then logs it. When serve_call returns, the call is already hung up (a
/// write fails).
#[test]
fn a_caller_who_never_reads_is_hung_up_and_then_logged() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let mut flood = dial(addr);
    let (call, caller) = listener.accept().expect("accept");
    let flooding = thread::spawn(move || {
        // 줄을 계속 보내고 답은 읽지 않습니다 · line after line, and never a reply read.
        let mut line = vec![b'x'; 60_000];
        line.push(b'\n');
        (0..16 * 1024).all(|_| flood.write_all(&line).is_ok())
    });
    let began = Instant::now();
    let mut log = Vec::new();
    serve_call(&call, caller, Protocol::Lines, SHORT, &mut log).expect("serve_call");
    let log = String::from_utf8(log).expect("UTF-8");
    assert!(
        log.contains("did not read our reply within 200ms: hung up"),
        "{log}"
    );
    assert!(began.elapsed() >= SHORT, "not before the limit");
    // 로그가 말한 때에는 이미 끊겨 있습니다 · by the time the log says so, it is done.
    let error = (&call).write(b"x").expect_err("already hung up");
    assert_eq!(error.kind(), ErrorKind::BrokenPipe, "{error:?}");
    assert!(call.nodelay().expect("nodelay"), "replies leave at once");
    drop(call);
    let wrote_it_all = within(TIMEOUT, move || flooding.join().expect("flood"));
    assert!(
        !wrote_it_all,
        "the caller's writes fail once it is hung up on"
    );
}

/// 제한 시간은 쓰기 전체의 마감입니다. 상대가 조금씩 읽어 쓰기가 조금씩 나아가도, `limit`이
/// 지나면 끝납니다(시스템 호출마다의 제한이라면 나아갈 때마다 새로 시작해 64 MiB를 다 쓸
/// 때까지, 이 속도로 10초를 훨씬 넘깁니다).
/// The limit is a deadline for the whole write: the peer reads a little at a time, the write
/// keeps making a little progress, and it still ends once `limit` has passed. (A per-call
/// timeout would start again with every bit of progress: at this pace, far more than 10 s.)
#[test]
fn write_all_within_is_a_deadline_for_the_whole_write() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    // 50 ms마다 256 KiB 이하, 멈추라고 할 때까지 · at most 256 KiB per 50 ms, until stopped.
    let slow_reader = SlowReader::accept(listener, 256 * 1024, Duration::from_millis(50));
    let stream = dial(addr);
    let began = Instant::now();
    let result = within(TIMEOUT, move || {
        write_all_within(&stream, &vec![b'x'; 64 << 20], SHORT)
    });
    let error = result.expect_err("64 MiB cannot be written within 200 ms at this pace");
    assert_eq!(error.kind(), ErrorKind::TimedOut, "{error:?}");
    assert!(began.elapsed() >= SHORT, "not before the limit");
    let read = slow_reader.stop();
    assert!(read > 0, "the reader was making progress all along");
}

/// 틀이 다른 서버에 건 frames 클라이언트는 답을 하나도 받지 못합니다. 안내는 프레이밍이
/// 다를 수 있다고 말합니다.
/// A frames client calling a lines server gets no reply at all; the advice says the framings
/// may differ.
#[test]
fn a_frame_client_calling_a_line_server_is_told_the_framings_may_differ() {
    let (addr, log) = start_server(Protocol::Lines);
    let messages = [b"hello".to_vec()];
    let replies = call(addr, Protocol::Frames, &messages, TIMEOUT).expect("call");
    assert!(replies.is_empty(), "{replies:?}");
    let why = explain_short_call(Protocol::Frames, messages.len(), &replies).expect("short");
    assert!(why.contains("hung up after 0 of 1 replies"), "{why}");
    assert!(why.contains("does the server speak lines?"), "{why}");
    log.wait_for("잘린 메시지", 1);
    // 답이 모자라지 않으면 할 말이 없습니다 · nothing to say when every reply came.
    assert_eq!(
        explain_short_call(Protocol::Lines, 1, &[b"hi".to_vec()]),
        None
    );
    // 답이 몇 개라도 왔다면 프로토콜은 맞습니다 · some replies: the framing matched.
    let some = explain_short_call(Protocol::Lines, 2, &[b"hi".to_vec()]).expect("short");
    assert!(!some.contains("does the server speak"), "{some}");
}

/// 서버는 받아 준 소켓과 클라이언트 소켓 모두 nodelay를 켭니다 · Both the accepted socket and
/// the client's socket are set to nodelay.
#[test]
fn the_server_and_the_client_turn_on_nodelay() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let phone = ch06_framing::dial(addr, Protocol::Lines, TIMEOUT).expect("dial");
    assert!(phone.nodelay().expect("nodelay"), "the client's socket");
    phone.shutdown(Shutdown::Write).expect("half-close");
    let (call, caller) = listener.accept().expect("accept");
    assert!(
        !call.nodelay().expect("nodelay"),
        "off until serve_call turns it on"
    );
    serve_call(&call, caller, Protocol::Lines, TIMEOUT, &mut Vec::new()).expect("serve_call");
    assert!(call.nodelay().expect("nodelay"), "the accepted socket");
}
