//! 6장 연습 문제 검사 · Checks for chapter 6.
//!
//! 6.1과 6.2는 먼저 메모리 안에서 검사합니다: 가짜 스트림(`Chunky`)이 바이트를 1–7바이트의
//! 무작위(하지만 늘 같은) 조각으로, 가끔 `Interrupted`를 끼워 가며 건넵니다. 그다음 루프백으로
//! 한 번 더 합니다. 6.3은 학생의 함수가 서버 쪽이 되어 루프백으로 통화합니다.
//! 6.1 and 6.2 are checked in memory first: a fake stream (`Chunky`) hands out the bytes in
//! random (but always the same) pieces of 1–7 bytes, now and then saying `Interrupted`. Then
//! once more over loopback. In 6.3 the student's function is the server side of a loopback call.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, dial, expect, expect_eq, fail, loopback_listener,
    show, start, within,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "6.1",
        title: "CRLF로 끝나는 줄 · Lines that end in CRLF",
        file: "exercises/ch06/src/lib.rs",
        function: "read_crlf_line",
        check: check_6_1,
    },
    Exercise {
        id: "6.2",
        title: "종류 바이트가 있는 프레임 · A frame with a kind byte",
        file: "exercises/ch06/src/lib.rs",
        function: "read_kind_frame",
        check: check_6_2,
    },
    Exercise {
        id: "6.3",
        title: "(도전) 너무 긴 프레임 건너뛰기 · (stretch) Skip the oversized frame",
        file: "exercises/ch06/src/lib.rs",
        function: "echo_frames_skipping",
        check: check_6_3,
    },
];

/// 학생 함수에 주는 제한 시간 · The limit on the student's function.
const LIMIT: Duration = Duration::from_secs(10);

/// 조각을 건네는 가짜 스트림을 몇 가지 씨앗으로 돌려 봅니다 · How many seeds we try.
const SEEDS: u64 = 20;

// ---------------------------------------------------------------------------------------------
// 도우미 · Helpers

/// 바이트를 1–7바이트의 무작위 조각으로, 가끔 Interrupted를 섞어 건네는 Read.
/// A Read that hands out bytes in random pieces of 1–7 bytes, sometimes saying Interrupted.
struct Chunky {
    data: Vec<u8>,
    at: usize,
    seed: u64,
}

impl Chunky {
    fn new(data: Vec<u8>, seed: u64) -> Chunky {
        Chunky { data, at: 0, seed }
    }

    fn roll(&mut self, sides: u64) -> u64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.seed >> 33) % sides
    }
}

impl Read for Chunky {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.roll(6) == 0 {
            return Err(io::Error::from(ErrorKind::Interrupted));
        }
        let left = self.data.len() - self.at;
        let n = (1 + self.roll(7) as usize).min(buf.len()).min(left);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// 읽힌 바이트를 세는 Read · A Read that counts the bytes read from it.
struct Counted<R>(R, Arc<AtomicUsize>);

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1.fetch_add(n, Ordering::SeqCst);
        Ok(n)
    }
}

/// 읽기 한 번의 결과를 비교하고 보여 주기 좋게 · One read's result, comparable and printable.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Got<T> {
    Message(T),
    End,
    Error(ErrorKind, String),
}

impl<T> Got<T> {
    fn from(result: io::Result<Option<T>>) -> Got<T> {
        match result {
            Ok(Some(value)) => Got::Message(value),
            Ok(None) => Got::End,
            Err(e) => Got::Error(e.kind(), e.to_string()),
        }
    }
}

/// 메시지가 끝나거나 오류가 날 때까지(많아야 20번) 읽습니다 · Reads until the end or an
/// error, at most 20 times.
fn read_all<T: Send + 'static>(
    what: &str,
    mut read_one: impl FnMut() -> io::Result<Option<T>> + Send + 'static,
) -> Result<Vec<Got<T>>, Failure> {
    within(LIMIT, what, move || {
        let mut got = Vec::new();
        for _ in 0..20 {
            let one = Got::from(read_one());
            let last = !matches!(one, Got::Message(_));
            got.push(one);
            if last {
                break;
            }
        }
        got
    })
}

/// 메시지들과 그 뒤의 깨끗한 끝 · The messages, then a clean end.
fn messages_then_end<T: Clone>(messages: &[T]) -> Vec<Got<T>> {
    messages
        .iter()
        .cloned()
        .map(Got::Message)
        .chain([Got::End])
        .collect()
}

/// 오류의 종류가 맞는지, 메시지에 `mentions`가 들어 있는지 · Whether the error has the right
/// kind and its message mentions `mentions`.
fn expect_error<T: std::fmt::Debug>(
    what: &str,
    got: &Got<T>,
    kind: ErrorKind,
    mentions: &str,
) -> Outcome {
    let ok = matches!(got, Got::Error(k, text) if *k == kind && text.contains(mentions));
    let wanted = if mentions.is_empty() {
        format!("an error of kind {kind:?}")
    } else {
        format!("an error of kind {kind:?} whose message mentions {mentions:?}")
    };
    expect(what, ok, &wanted, got)
}

/// 바이트를 조각조각, 잠깐씩 쉬며 보내고 "내 말은 끝" · Sends bytes in pieces with short
/// pauses, then says "I'm done talking".
fn send_in_pieces(stream: &TcpStream, pieces: Vec<Vec<u8>>) -> thread::JoinHandle<()> {
    let stream = stream.try_clone();
    thread::spawn(move || {
        let Ok(mut stream) = stream else { return };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(PATIENCE));
        for piece in pieces {
            if stream.write_all(&piece).is_err() {
                return;
            }
            thread::sleep(Duration::from_millis(30));
        }
        let _ = stream.shutdown(Shutdown::Write);
    })
}

/// 루프백 통화 하나: 받는 쪽 스트림을 돌려줍니다 · One loopback call: returns the receiving
/// end, with a read timeout, and the sending end.
fn loopback_pair() -> Result<(TcpStream, TcpStream), Failure> {
    let (listener, addr) = loopback_listener()?;
    let sender = dial(addr)?;
    let (receiver, _) = listener.accept().map_err(|e| fail("accept", "a call", e))?;
    receiver
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("set_read_timeout", "ok", e))?;
    Ok((receiver, sender))
}

/// 메시지를 보여 주기 좋게 · Messages shown for people.
fn shown(got: Vec<Got<Vec<u8>>>) -> Vec<Got<crate::Shown>> {
    got.into_iter()
        .map(|g| match g {
            Got::Message(message) => Got::Message(show(&message)),
            Got::End => Got::End,
            Got::Error(kind, text) => Got::Error(kind, text),
        })
        .collect()
}

fn bytes(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// 6.1

type ReadCrlf = fn(&mut &mut dyn BufRead, usize) -> io::Result<Option<Vec<u8>>>;

fn check_6_1(code: Code) -> Outcome {
    let read_crlf_line: ReadCrlf = match code {
        Code::Yours => {
            |r: &mut &mut dyn BufRead, max: usize| ch06_exercises::read_crlf_line(r, max)
        }
        Code::Reference => {
            |r: &mut &mut dyn BufRead, max: usize| ch06_solutions::read_crlf_line(r, max)
        }
    };
    // 메모리 안에서, 작은 조각으로 · in memory, in small pieces
    let lines = |wire: &[u8], max: usize, seed: u64, what: &str| {
        let wire = wire.to_vec();
        let mut reader = BufReader::with_capacity(3, Chunky::new(wire, seed));
        read_all(what, move || {
            let mut reader: &mut dyn BufRead = &mut reader;
            read_crlf_line(&mut reader, max)
        })
        .map(shown)
    };

    let wire = [
        "안녕!\r\n잘 지내?\r\n\r\n".as_bytes(),
        "가".repeat(342).as_bytes(),
        b"\r\n",
    ]
    .concat();
    let expected = messages_then_end(&[
        show("안녕!".as_bytes()),
        show("잘 지내?".as_bytes()),
        show(b""),
        show("가".repeat(342).as_bytes()),
    ]);
    for seed in 0..SEEDS {
        let what = format!(
            "read_crlf_line(max 4096) again and again on \"안녕!\\r\\n잘 지내?\\r\\n\\r\\n\" + \
             342 × \"가\" + \"\\r\\n\", arriving in pieces of 1–7 bytes (seed {seed})"
        );
        expect_eq(&what, expected.clone(), lines(&wire, 4096, seed, &what)?)?;
    }

    let what = "read_crlf_line(max 10) on a 10-byte line \"0123456789\\r\\n\"";
    expect_eq(
        what,
        messages_then_end(&[show(b"0123456789")]),
        lines(b"0123456789\r\n", 10, 1, what)?,
    )?;
    let what = "read_crlf_line(max 10) on an 11-byte line \"01234567890\\r\\n\"";
    let got = lines(b"01234567890\r\n", 10, 1, what)?;
    expect_error(what, &got[0], ErrorKind::InvalidData, "10")?;

    // 끝나지 않는 줄(16 MiB의 x): 읽은 바이트를 세어 봅니다 · a line that does not end (16 MiB
    // of x), counting how much of it is read
    let what = "read_crlf_line(max 1000) on a line of 16 MiB of 'x' with no \\r\\n";
    let consumed = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&consumed);
    let got = read_all(what, move || {
        let endless = Counted(io::repeat(b'x').take(16 << 20), Arc::clone(&counter));
        let mut endless = BufReader::new(endless);
        let mut reader: &mut dyn BufRead = &mut endless;
        read_crlf_line(&mut reader, 1000)
    })?;
    expect_error(what, &got[0], ErrorKind::InvalidData, "1000")?;
    let read = consumed.load(Ordering::SeqCst);
    expect(
        &format!("{what}: how many bytes it read before refusing"),
        read <= 64 << 10,
        "about max + 2 bytes (the check allows up to 64 KiB, for BufReader's buffer): \
         a line over the limit is refused without reading the rest of it",
        read,
    )?;

    let what = "read_crlf_line on \"abc\\n\" (a bare \\n, no \\r)";
    expect_error(
        what,
        &lines(b"abc\n", 100, 1, what)?[0],
        ErrorKind::InvalidData,
        "",
    )?;
    for (wire, shown) in [(&b"abc"[..], "\"abc\""), (&b"abc\r"[..], "\"abc\\r\"")] {
        let what = format!("read_crlf_line on {shown}, then the end of the stream");
        let got = lines(wire, 100, 1, &what)?;
        expect_error(&what, &got[0], ErrorKind::UnexpectedEof, "")?;
    }
    let what = "read_crlf_line on an empty stream";
    expect_eq(what, vec![Got::End], lines(b"", 100, 1, what)?)?;

    // 루프백으로: "\r"과 "\n"이 다른 조각으로 · over loopback, "\r" and "\n" in different pieces
    let (receiver, sender) = loopback_pair()?;
    let writer = send_in_pieces(&sender, vec![bytes("안녕!\r"), bytes("\n둘\r\n")]);
    let mut reader = BufReader::new(receiver);
    let what = "read_crlf_line(max 100) over loopback, on \"안녕!\\r\" + (pause) + \"\\n둘\\r\\n\"";
    let got = read_all(what, move || {
        let mut reader: &mut dyn BufRead = &mut reader;
        read_crlf_line(&mut reader, 100)
    })?;
    let _ = writer.join();
    expect_eq(
        what,
        shown(messages_then_end(&[bytes("안녕!"), bytes("둘")])),
        shown(got),
    )
}

// ---------------------------------------------------------------------------------------------
// 6.2

type ReadKind = fn(&mut &mut dyn Read, usize) -> io::Result<Option<(u8, Vec<u8>)>>;

/// 종류 바이트, 4바이트 빅 엔디언 길이, 메시지 · A kind byte, a 4-byte big-endian length, the
/// message.
fn kind_frame(kind: u8, message: &[u8]) -> Vec<u8> {
    let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
    [&[kind][..], &len.to_be_bytes(), message].concat()
}

fn check_6_2(code: Code) -> Outcome {
    let read_kind_frame: ReadKind = match code {
        Code::Yours => |r: &mut &mut dyn Read, max: usize| ch06_exercises::read_kind_frame(r, max),
        Code::Reference => {
            |r: &mut &mut dyn Read, max: usize| ch06_solutions::read_kind_frame(r, max)
        }
    };
    let frames = |wire: Vec<u8>, max: usize, seed: u64, what: &str| {
        let mut reader = Chunky::new(wire, seed);
        read_all(what, move || {
            let mut reader: &mut dyn Read = &mut reader;
            read_kind_frame(&mut reader, max)
        })
        .map(|got| {
            got.into_iter()
                .map(|g| match g {
                    Got::Message((kind, m)) => Got::Message((kind as char, show(&m))),
                    Got::End => Got::End,
                    Got::Error(k, t) => Got::Error(k, t),
                })
                .collect::<Vec<_>>()
        })
    };

    let big: Vec<u8> = (0..1usize << 20).map(|i| b'a' + (i % 26) as u8).collect();
    let wire = [
        kind_frame(b'M', "안녕!".as_bytes()),
        kind_frame(b'E', "오류 · error: 한도 초과".as_bytes()),
        kind_frame(b'M', b""),
        kind_frame(b'M', &big),
    ]
    .concat();
    let expected = messages_then_end(&[
        ('M', show("안녕!".as_bytes())),
        ('E', show("오류 · error: 한도 초과".as_bytes())),
        ('M', show(b"")),
        ('M', show(&big)),
    ]);
    for seed in 0..3 {
        let what = format!(
            "read_kind_frame(max 1 MiB) again and again on four frames ('M' \"안녕!\", 'E' an \
             error, 'M' empty, 'M' 1 MiB) arriving in pieces of 1–7 bytes (seed {seed})"
        );
        expect_eq(
            &what,
            expected.clone(),
            frames(wire.clone(), 1 << 20, seed, &what)?,
        )?;
    }

    let what = "read_kind_frame(max 1000) on a 1001-byte frame";
    let got = frames(kind_frame(b'M', &[b'x'; 1001]), 1000, 1, what)?;
    expect_error(what, &got[0], ErrorKind::InvalidData, "1000")?;

    let what = "read_kind_frame(max 1000) on a header that announces 4294967295 bytes, \
                with no payload after it";
    let mut announced = vec![b'M'];
    announced.extend_from_slice(&u32::MAX.to_be_bytes());
    let got = frames(announced, 1000, 1, what)?;
    expect_error(what, &got[0], ErrorKind::InvalidData, "1000")?;
    for (wire, shown) in [
        (vec![b'M'], "only the kind byte 'M'"),
        (vec![b'M', 0, 0], "'M' and 2 of the 4 length bytes"),
        (
            vec![b'M', 0, 0, 0, 5, b'a', b'b'],
            "'M', length 5, and 2 bytes",
        ),
    ] {
        let what = format!("read_kind_frame on {shown}, then the end of the stream");
        let got = frames(wire, 1000, 1, &what)?;
        expect_error(&what, &got[0], ErrorKind::UnexpectedEof, "")?;
    }
    let what = "read_kind_frame on an empty stream";
    expect_eq(what, vec![Got::End], frames(Vec::new(), 1000, 1, what)?)?;

    // 루프백으로, 조각조각 · over loopback, in pieces
    let (receiver, sender) = loopback_pair()?;
    let first = kind_frame(b'M', "안녕!".as_bytes());
    let second = kind_frame(b'E', "오류".as_bytes());
    let writer = send_in_pieces(
        &sender,
        vec![
            first[..2].to_vec(),
            first[2..].to_vec(),
            second[..1].to_vec(),
            second[1..].to_vec(),
        ],
    );
    let mut reader = receiver;
    let what = "read_kind_frame(max 100) over loopback, two frames sent in four pieces";
    let got = read_all(what, move || {
        let mut reader: &mut dyn Read = &mut reader;
        read_kind_frame(&mut reader, 100)
    })?;
    let _ = writer.join();
    let got: Vec<Got<(char, crate::Shown)>> = got
        .into_iter()
        .map(|g| match g {
            Got::Message((kind, m)) => Got::Message((kind as char, show(&m))),
            Got::End => Got::End,
            Got::Error(k, t) => Got::Error(k, t),
        })
        .collect();
    expect_eq(
        what,
        messages_then_end(&[
            ('M', show("안녕!".as_bytes())),
            ('E', show("오류".as_bytes())),
        ]),
        got,
    )
}

// ---------------------------------------------------------------------------------------------
// 6.3

type Skipping = fn(&TcpStream, usize) -> anyhow::Result<usize>;

/// 이 장의 프레임: 4바이트 빅 엔디언 길이, 그리고 메시지 · A frame as in this chapter.
fn frame(message: &[u8]) -> Vec<u8> {
    let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
    [&len.to_be_bytes()[..], message].concat()
}

/// 답 프레임 하나(1 MiB까지) · One reply frame, up to 1 MiB.
fn read_reply(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match reader.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_be_bytes(header) as usize;
    if len > 1 << 20 {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("a reply frame of {len} bytes"),
        ));
    }
    let mut reply = vec![0u8; len];
    reader.read_exact(&mut reply)?;
    Ok(Some(reply))
}

/// 학생의 함수가 받는 쪽이 되는 통화 하나: 보낸 뒤 "내 말은 끝", 그리고 답을 끝까지.
/// One call whose answering side is the student's function: send, say "I'm done talking",
/// read every reply. Returns the replies (or where reading them failed) and what the
/// function returned.
fn skipping_call(
    echo_frames_skipping: Skipping,
    wire: Vec<u8>,
    max: usize,
    what: &str,
) -> Result<SkippingCall, Failure> {
    let (listener, addr) = loopback_listener()?;
    let server = start(what, move || {
        let (call, _) = listener.accept().map_err(|e| e.to_string())?;
        let _ = call.set_read_timeout(Some(PATIENCE));
        let _ = call.set_write_timeout(Some(PATIENCE));
        echo_frames_skipping(&call, max).map_err(|e| format!("{e:#}"))
    });
    let phone = dial(addr)?;
    let writer = send_in_pieces(&phone, vec![wire]);
    let mut reader = BufReader::new(phone);
    let mut replies = Vec::new();
    let last = loop {
        let got = Got::from(read_reply(&mut reader));
        match got {
            Got::Message(reply) if replies.len() < 20 => replies.push(reply),
            other => break other,
        }
    };
    let _ = writer.join();
    let returned = server.wait(LIMIT)?;
    Ok(SkippingCall {
        last,
        replies,
        returned,
    })
}

/// 6.3의 통화 하나에서 본 것 · What one call in 6.3 showed.
struct SkippingCall {
    /// 답 읽기가 어떻게 끝났는지 · How reading the replies ended.
    last: Got<Vec<u8>>,
    replies: Vec<Vec<u8>>,
    /// 학생 함수가 돌려준 것 · What the student's function returned.
    returned: Result<usize, String>,
}

fn check_6_3(code: Code) -> Outcome {
    let echo_frames_skipping: Skipping = match code {
        Code::Yours => ch06_exercises::echo_frames_skipping,
        Code::Reference => ch06_solutions::echo_frames_skipping,
    };
    let is_refusal = |reply: &[u8]| String::from_utf8_lossy(reply).contains("65536");

    // 작은 것, 너무 긴 것, 작은 것 · small, oversized, small
    let wire = [
        frame("안녕!".as_bytes()),
        frame(&vec![b'x'; 200_000]),
        frame("잘 지내?".as_bytes()),
    ]
    .concat();
    let what = "echo_frames_skipping(call, max 65536) on \"안녕!\", a 200000-byte frame, \
                \"잘 지내?\", then \"I'm done talking\"";
    let SkippingCall {
        last,
        replies,
        returned,
    } = skipping_call(echo_frames_skipping, wire, 65536, what)?;
    expect_eq(&format!("{what}: how the replies ended"), Got::End, last)?;
    expect_eq(&format!("{what}: how many replies"), 3, replies.len())?;
    expect_eq(
        &format!("{what}: reply 1"),
        show("안녕!".as_bytes()),
        show(&replies[0]),
    )?;
    expect(
        &format!("{what}: reply 2"),
        is_refusal(&replies[1]),
        "an error message that mentions the limit, 65536",
        show(&replies[1]),
    )?;
    expect_eq(
        &format!("{what}: reply 3 (the call went on after the skipped frame)"),
        show("잘 지내?".as_bytes()),
        show(&replies[2]),
    )?;
    expect_eq(
        &format!("{what}: what it returned (frames skipped)"),
        Ok(1),
        returned,
    )?;

    // 너무 긴 것 둘, 그리고 작은 것 · two oversized frames, then a small one
    let wire = [
        frame(&vec![b'a'; 70_000]),
        frame(&vec![b'b'; 65_537]),
        frame("끝".as_bytes()),
    ]
    .concat();
    let what =
        "echo_frames_skipping(call, max 65536) on frames of 70000 and 65537 bytes, then \"끝\"";
    let SkippingCall {
        last,
        replies,
        returned,
    } = skipping_call(echo_frames_skipping, wire, 65536, what)?;
    expect_eq(&format!("{what}: how the replies ended"), Got::End, last)?;
    let shape: Vec<String> = replies
        .iter()
        .map(|r| {
            if is_refusal(r) {
                "an error".to_string()
            } else {
                format!("{:?}", show(r))
            }
        })
        .collect();
    expect_eq(
        &format!("{what}: the replies"),
        vec![
            "an error".to_string(),
            "an error".to_string(),
            format!("{:?}", show("끝".as_bytes())),
        ],
        shape,
    )?;
    expect_eq(&format!("{what}: what it returned"), Ok(2), returned)?;

    // 4 GiB를 알리고 10바이트만 보낸 뒤 끊는 쪽 · a caller that announces 4 GiB, sends 10 bytes
    let mut wire = u32::MAX.to_be_bytes().to_vec();
    wire.extend_from_slice(&[b'z'; 10]);
    let what = "echo_frames_skipping(call, max 65536) on a header announcing 4294967295 bytes, \
                10 bytes of payload, then \"I'm done talking\"";
    let SkippingCall {
        replies, returned, ..
    } = skipping_call(echo_frames_skipping, wire, 65536, what)?;
    expect(
        &format!("{what}: the first reply"),
        replies.first().is_some_and(|r| is_refusal(r)),
        "an error message that mentions the limit, 65536, sent before skipping",
        replies.iter().map(|r| show(r)).collect::<Vec<_>>(),
    )?;
    expect(
        &format!("{what}: what it returned"),
        returned.is_err(),
        "an error: the call ended inside the frame it was skipping",
        returned,
    )
}
