//! 5장 연습 문제 검사 · Checks for chapter 5.
//!
//! 대부분 메모리 안에서 합니다: 가짜 스트림(`Pieces`)이 정해 둔 조각을 read 한 번에 하나씩
//! 건네고, read가 불릴 때마다 학생 함수가 그때까지 무엇을 내보냈는지 확인합니다. 그래서 "도착하는
//! 대로"를 시간에 기대지 않고 검사할 수 있습니다. 마지막에는 루프백으로 한 번씩 더 해 봅니다.
//! Most checks run in memory: a fake stream (`Pieces`) hands out preset chunks, one per read, and
//! every time it is asked for the next one it checks what the student's function has put out so
//! far, so "as it arrives" is checked without relying on timing. Each check then runs once more
//! over loopback.

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, expect, expect_eq, fail, loopback_listener, show,
    within,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "5.1",
        title: "완성된 글자까지 · Up to the last whole character",
        file: "exercises/ch05/src/lib.rs",
        function: "complete_prefix_len",
        check: check_5_1,
    },
    Exercise {
        id: "5.2",
        title: "도착하는 대로 글로 · Text as it arrives",
        file: "exercises/ch05/src/lib.rs",
        function: "relay_text",
        check: check_5_2,
    },
    Exercise {
        id: "5.3",
        title: "(도전) 줄 단위로 · (stretch) Line by line",
        file: "exercises/ch05/src/lib.rs",
        function: "for_each_line",
        check: check_5_3,
    },
];

/// 학생 함수에 주는 제한 시간 · The limit on the student's function.
const LIMIT: Duration = Duration::from_secs(10);

/// 1, 2, 3, 4바이트 글자가 섞인 글 · Text with 1-, 2-, 3- and 4-byte characters.
const MIXED: &str = "a é 가 😀 안녕! ß→🦀";

// ---------------------------------------------------------------------------------------------
// 가짜 스트림과 기록하는 출력 · A fake stream, and an output that records

/// read가 불릴 때마다, 그때까지 건넨 바이트를 보고 학생 함수의 상태를 확인하는 함수.
/// 불만이 있으면 그것을 돌려줍니다.
/// Called on every read with the bytes handed out so far; returns a complaint, if any.
type BeforeRead = Box<dyn FnMut(&[u8]) -> Option<String> + Send>;

/// 정해 둔 조각을 read 한 번에 하나씩 건네는 가짜 스트림 · A fake stream that hands out
/// preset chunks, one per read.
struct Pieces {
    chunks: VecDeque<Vec<u8>>,
    delivered: Vec<u8>,
    reads: usize,
    /// 두 번째 read에서 한 번 Interrupted를 돌려줄지 · whether the second read is interrupted once
    interrupt: bool,
    before_read: Option<BeforeRead>,
    complaint: Arc<Mutex<Option<String>>>,
}

impl Pieces {
    fn new(chunks: Vec<Vec<u8>>) -> Pieces {
        Pieces {
            chunks: chunks.into(),
            delivered: Vec::new(),
            reads: 0,
            interrupt: false,
            before_read: None,
            complaint: Arc::new(Mutex::new(None)),
        }
    }
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(before_read) = &mut self.before_read {
            let mut complaint = self.complaint.lock().expect("lock");
            if complaint.is_none() {
                *complaint = before_read(&self.delivered);
            }
        }
        if self.interrupt && self.reads == 1 {
            self.interrupt = false;
            return Err(io::Error::from(ErrorKind::Interrupted));
        }
        self.reads += 1;
        let Some(mut chunk) = self.chunks.pop_front() else {
            return Ok(0);
        };
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        if n < chunk.len() {
            self.chunks.push_front(chunk.split_off(n));
        }
        self.delivered.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// 쓴 것을 모두 기록하는 출력 · An output that records everything written to it.
#[derive(Clone, Default)]
struct Recorder {
    written: Arc<Mutex<Vec<u8>>>,
    /// 그 자체로는 UTF-8이 아닌 첫 번째 write · the first write that was not UTF-8 on its own
    broken: Arc<Mutex<Option<Vec<u8>>>>,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if std::str::from_utf8(buf).is_err() {
            self.broken
                .lock()
                .expect("lock")
                .get_or_insert_with(|| buf.to_vec());
        }
        self.written.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Recorder {
    fn written(&self) -> Vec<u8> {
        self.written.lock().expect("lock").clone()
    }
}

/// 바이트를 정해 둔 크기들로 자릅니다 (크기는 되풀이) · Cuts bytes into pieces of the given
/// sizes, repeating the sizes.
fn cut(bytes: &[u8], sizes: &[usize]) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, after) = rest.split_at(size.clamp(1, rest.len()));
        pieces.push(piece.to_vec());
        rest = after;
    }
    pieces
}

/// 앞에서부터 완성된 글자들 (올바른 UTF-8의 앞부분에 대해) · The whole characters at the front
/// (of a prefix of valid UTF-8).
fn whole_characters(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// 조각 크기들을 사람이 읽게 · Chunk sizes, for people.
fn sizes_of(chunks: &[Vec<u8>]) -> String {
    let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
    if sizes.len() > 12 {
        format!("{:?}… ({} chunks)", &sizes[..12], sizes.len())
    } else {
        format!("{sizes:?}")
    }
}

/// 오류 메시지에 이 말이 있어야 합니다 · The error's message must contain this.
fn expect_error_containing(what: &str, needle: &str, result: anyhow::Result<()>) -> Outcome {
    match result {
        Ok(()) => Err(Failure {
            what: what.into(),
            expected: format!("an error whose message contains {needle:?}"),
            got: "Ok(())".into(),
        }),
        Err(e) => {
            let message = format!("{e:#}");
            expect(
                what,
                message.contains(needle),
                &format!("an error whose message contains {needle:?}"),
                message,
            )
        }
    }
}

/// 루프백 연결 하나: 보내는 쪽은 조각마다 잠깐 쉬며 쓰고 쓰기 방향을 닫습니다. 받는 쪽을
/// 돌려줍니다.
/// One loopback call: the sending side writes the pieces with a short pause between them, then
/// half-closes. Returns the receiving side.
fn loopback_stream(pieces: Vec<Vec<u8>>) -> Result<TcpStream, Failure> {
    let (listener, addr) = loopback_listener()?;
    let sender = TcpStream::connect_timeout(&addr, PATIENCE)
        .map_err(|e| fail("dial the check's own listener", "a connection", e))?;
    let (receiver, _) = listener
        .accept()
        .map_err(|e| fail("accept", "a connection", e))?;
    receiver
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("set_read_timeout", "ok", e))?;
    thread::spawn(move || {
        let mut sender = sender;
        let _ = sender.set_nodelay(true);
        for piece in pieces {
            let _ = sender.write_all(&piece);
            thread::sleep(Duration::from_millis(30));
        }
        let _ = sender.shutdown(Shutdown::Write);
        // 받는 쪽이 끝낼 때까지 들고 있다가 닫습니다 · hold on until the receiver is done
        let _ = sender.set_read_timeout(Some(PATIENCE));
        let _ = sender.read(&mut [0u8; 1]);
    });
    Ok(receiver)
}

// ---------------------------------------------------------------------------------------------
// 5.1

fn check_5_1(code: Code) -> Outcome {
    let complete_prefix_len: fn(&[u8]) -> usize = match code {
        Code::Yours => ch05_exercises::complete_prefix_len,
        Code::Reference => ch05_solutions::complete_prefix_len,
    };
    let ask =
        |what: String, bytes: Vec<u8>| within(LIMIT, &what, move || complete_prefix_len(&bytes));

    let ga = "가".repeat(342).into_bytes();
    let got = ask(
        "complete_prefix_len(the first 1024 bytes of 342 × \"가\")".into(),
        ga[..1024].to_vec(),
    )?;
    expect_eq(
        "complete_prefix_len(the first 1024 bytes of 342 × \"가\"): 341 whole syllables, then \
         the first byte of the 342nd",
        1023,
        got,
    )?;
    let got = ask("complete_prefix_len(all 1026 bytes)".into(), ga.clone())?;
    expect_eq(
        "complete_prefix_len(all 1026 bytes of 342 × \"가\")",
        1026,
        got,
    )?;
    let got = ask("complete_prefix_len(b\"\")".into(), Vec::new())?;
    expect_eq("complete_prefix_len of no bytes at all", 0, got)?;
    let got = ask("complete_prefix_len(b\"hello\")".into(), b"hello".to_vec())?;
    expect_eq("complete_prefix_len(b\"hello\")", 5, got)?;

    // 모든 자리에서 자른 앞부분 · the front part, cut at every position
    let bytes = MIXED.as_bytes().to_vec();
    let all = bytes.clone();
    let got = within(
        LIMIT,
        "complete_prefix_len of every prefix of a mixed string",
        move || {
            (0..=all.len())
                .map(|len| complete_prefix_len(&all[..len]))
                .collect::<Vec<usize>>()
        },
    )?;
    for (len, answer) in got.into_iter().enumerate() {
        let boundary = (0..=len)
            .rev()
            .find(|&at| MIXED.is_char_boundary(at))
            .unwrap_or(0);
        expect_eq(
            &format!(
                "complete_prefix_len of the first {len} bytes of {MIXED:?} ({})",
                show(&bytes[..len]).0
            ),
            boundary,
            answer,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 5.2

/// 학생의 relay_text (또는 해답) · The student's relay_text, or the reference.
fn relay_text(code: Code, source: &mut impl Read, out: &mut impl Write) -> anyhow::Result<()> {
    match code {
        Code::Yours => ch05_exercises::relay_text(source, out),
        Code::Reference => ch05_solutions::relay_text(source, out),
    }
}

/// 조각들을 relay_text에 흘려 보내며 "도착하는 대로"를 확인합니다. (결과, 쓴 것)을 돌려줍니다.
/// Feeds the chunks to relay_text, checking "as it arrives" on every read; returns (the result,
/// what was written).
fn relay_pieces(
    code: Code,
    what: &str,
    chunks: Vec<Vec<u8>>,
    interrupt: bool,
) -> Result<(anyhow::Result<()>, Vec<u8>), Failure> {
    let recorder = Recorder::default();
    let mut source = Pieces::new(chunks);
    source.interrupt = interrupt;
    let seen = recorder.clone();
    source.before_read = Some(Box::new(move |delivered: &[u8]| {
        let expected = whole_characters(delivered);
        let written = seen.written();
        (written != expected.as_bytes()).then(|| {
            format!(
                "when asked for the next read, after {} bytes had arrived, out held {} \
                 instead of every whole character so far, {}",
                delivered.len(),
                show(&written).0,
                show(expected.as_bytes()).0
            )
        })
    }));
    let complaint = Arc::clone(&source.complaint);
    let mut out = recorder.clone();
    let result = within(LIMIT, what, move || relay_text(code, &mut source, &mut out))?;
    if let Some(complaint) = complaint.lock().expect("lock").take() {
        return Err(Failure {
            what: format!("{what}: text goes out as soon as its last byte has arrived"),
            expected: "every whole character written before the next read".into(),
            got: complaint,
        });
    }
    if let Some(broken) = recorder.broken.lock().expect("lock").take() {
        return Err(Failure {
            what: format!("{what}: every write to out holds whole characters"),
            expected: "no write that ends or starts in the middle of a character".into(),
            got: format!("a write of {}", show(&broken).0),
        });
    }
    Ok((result, recorder.written()))
}

fn check_5_2(code: Code) -> Outcome {
    // 올바른 글, 여러 방식으로 나눠서 · valid text, split several ways
    let ga = "가".repeat(342).into_bytes();
    let mixed = MIXED.repeat(20).into_bytes();
    let cases = [
        (
            "342 × \"가\" as 1024 + 2 bytes",
            cut(&ga, &[1024, 2]),
            false,
        ),
        ("342 × \"가\" in 1-byte chunks", cut(&ga, &[1]), false),
        (
            "mixed text in chunks of 1, 2, 5, 3 and 7 bytes, the second read interrupted once",
            cut(&mixed, &[1, 2, 5, 3, 7]),
            true,
        ),
    ];
    for (name, chunks, interrupt) in cases {
        let whole = chunks.concat();
        let what = format!("relay_text over {name} ({})", sizes_of(&chunks));
        let (result, written) = relay_pieces(code, &what, chunks, interrupt)?;
        result.map_err(|e| fail(&what, "Ok(())", e))?;
        expect_eq(&what, show(&whole), show(&written))?;
    }

    // 잘못된 바이트: 그 앞까지 쓰고 자리를 알립니다 · invalid bytes: write up to them, say where
    let bad = ["안녕".as_bytes(), &[0xff], "하세요".as_bytes()].concat();
    let what =
        "relay_text over \"안녕\", the byte 0xff, then \"하세요\" (chunks of 4, 1, 2, … bytes)";
    let (result, written) = relay_pieces(code, what, cut(&bad, &[4, 1, 2, 3]), false)?;
    expect_error_containing(&format!("{what}: the result"), "at byte 6", result)?;
    expect_eq(
        &format!("{what}: what was written before the error"),
        show("안녕".as_bytes()),
        show(&written),
    )?;

    // 글자 중간에서 끝난 스트림 · a stream that ends inside a character
    let cut_short = ["안녕".as_bytes(), &"가".as_bytes()[..2]].concat();
    let what = "relay_text over \"안녕\" and the first 2 bytes of \"가\", then the end";
    let (result, written) = relay_pieces(code, what, cut(&cut_short, &[3, 2, 3]), false)?;
    expect_error_containing(&format!("{what}: the result"), "at byte 6", result)?;
    expect_eq(
        &format!("{what}: what was written"),
        show("안녕".as_bytes()),
        show(&written),
    )?;

    // 루프백에서 · over loopback
    let message = "안녕하세요, 바이트의 강물!".as_bytes().to_vec();
    let mut stream = loopback_stream(cut(&message, &[7, 1, 10, 100]))?;
    let what = "relay_text over a real TcpStream, sent in 4 pieces with pauses";
    let (result, written) = within(LIMIT, what, move || {
        let mut out = Vec::new();
        let result = relay_text(code, &mut stream, &mut out);
        (result, out)
    })?;
    result.map_err(|e| fail(what, "Ok(())", e))?;
    expect_eq(what, show(&message), show(&written))
}

// ---------------------------------------------------------------------------------------------
// 5.3

/// 학생의 for_each_line (또는 해답) · The student's for_each_line, or the reference.
fn for_each_line(
    code: Code,
    source: &mut impl Read,
    max_line: usize,
    on_line: impl FnMut(&str),
) -> anyhow::Result<()> {
    match code {
        Code::Yours => ch05_exercises::for_each_line(source, max_line, on_line),
        Code::Reference => ch05_solutions::for_each_line(source, max_line, on_line),
    }
}

/// (결과, 건네받은 줄들, 가짜 스트림이 건넨 바이트 수) · (the result, the lines handed over,
/// how many bytes the fake stream handed out)
type LinesRun = (anyhow::Result<()>, Vec<String>, usize);

/// 조각들을 for_each_line에 흘려 보냅니다. `as_they_arrive`면 read마다 "줄이 오는 대로"를
/// 확인합니다.
/// Feeds the chunks to for_each_line; with `as_they_arrive`, checks on every read that each
/// complete line has been handed over.
fn lines_of(
    code: Code,
    what: &str,
    chunks: Vec<Vec<u8>>,
    max_line: usize,
    as_they_arrive: bool,
) -> Result<LinesRun, Failure> {
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut source = Pieces::new(chunks);
    if as_they_arrive {
        let seen = Arc::clone(&lines);
        source.before_read = Some(Box::new(move |delivered: &[u8]| {
            let complete = delivered.iter().filter(|&&b| b == b'\n').count();
            let expected: Vec<String> = delivered
                .split(|&b| b == b'\n')
                .take(complete)
                .map(|line| String::from_utf8_lossy(line).into_owned())
                .collect();
            let got = seen.lock().expect("lock").clone();
            (got != expected).then(|| {
                format!(
                    "when asked for the next read, after {} bytes had arrived, the lines handed \
                     over were {got:?} instead of every complete line so far, {expected:?}",
                    delivered.len()
                )
            })
        }));
    }
    let complaint = Arc::clone(&source.complaint);
    let delivered = Arc::new(Mutex::new(0));
    let count = Arc::clone(&delivered);
    let sink = Arc::clone(&lines);
    let result = within(LIMIT, what, move || {
        let result = for_each_line(code, &mut source, max_line, |line| {
            sink.lock().expect("lock").push(line.to_string());
        });
        *count.lock().expect("lock") = source.delivered.len();
        result
    })?;
    if let Some(complaint) = complaint.lock().expect("lock").take() {
        return Err(Failure {
            what: format!("{what}: each line is handed over as soon as its \\n arrives"),
            expected: "every complete line handed over before the next read".into(),
            got: complaint,
        });
    }
    let lines = lines.lock().expect("lock").clone();
    let delivered = *delivered.lock().expect("lock");
    Ok((result, lines, delivered))
}

fn check_5_3(code: Code) -> Outcome {
    let text = "첫 줄\n둘째 줄\n\n셋째 😀 줄\n".as_bytes();
    let expected = ["첫 줄", "둘째 줄", "", "셋째 😀 줄"]
        .map(String::from)
        .to_vec();
    for (name, sizes) in [
        ("1-byte chunks", &[1][..]),
        ("chunks of 2, 7, 1 and 4 bytes", &[2, 7, 1, 4][..]),
        ("one chunk", &[1024][..]),
    ] {
        let chunks = cut(text, sizes);
        let what = format!(
            "for_each_line over {:?} in {name}",
            String::from_utf8_lossy(text)
        );
        let (result, lines, _) = lines_of(code, &what, chunks, 100, true)?;
        result.map_err(|e| fail(&what, "Ok(())", e))?;
        expect_eq(&what, expected.clone(), lines)?;
    }

    let what = "for_each_line over no bytes at all";
    let (result, lines, _) = lines_of(code, what, Vec::new(), 100, true)?;
    result.map_err(|e| fail(what, "Ok(())", e))?;
    expect_eq(what, Vec::<String>::new(), lines)?;

    // 마지막 줄에 \n이 없습니다 · the last line has no \n
    let what = "for_each_line over \"하나\\n둘\" (the stream ends in the middle of a line)";
    let (result, lines, _) = lines_of(code, what, cut("하나\n둘".as_bytes(), &[3]), 100, true)?;
    expect(
        &format!("{what}: the result"),
        result.is_err(),
        "an error: the last line never got its \\n, so it may be incomplete",
        result.map(|()| "Ok(())"),
    )?;
    expect_eq(
        &format!("{what}: the lines handed over"),
        vec!["하나".to_string()],
        lines,
    )?;

    // UTF-8이 아닌 줄 · a line that is not UTF-8
    let bad = ["좋음\n".as_bytes(), &[0xff], "\n다음\n".as_bytes()].concat();
    let what = "for_each_line over \"좋음\\n\", the byte 0xff, \"\\n다음\\n\"";
    let (result, lines, _) = lines_of(code, what, cut(&bad, &[2]), 100, false)?;
    expect(
        &format!("{what}: the result"),
        result.is_err(),
        "an error for the second line: not a panic, not a \"�\"",
        result.map(|()| "Ok(())"),
    )?;
    expect_eq(
        &format!("{what}: the lines handed over before the error"),
        vec!["좋음".to_string()],
        lines,
    )?;

    // 줄 길이 제한 · the line-length limit
    let exact = format!("{}\n", "b".repeat(100));
    let what = "for_each_line(max_line 100) over a line of exactly 100 bytes";
    let (result, lines, _) = lines_of(code, what, cut(exact.as_bytes(), &[30]), 100, true)?;
    result.map_err(|e| fail(what, "Ok(()): 100 bytes is not longer than 100", e))?;
    expect_eq(what, vec!["b".repeat(100)], lines)?;

    let long = format!("{}\n", "c".repeat(150));
    let what = "for_each_line(max_line 100) over a 150-byte line that arrives in one chunk";
    let (result, _, _) = lines_of(code, what, vec![long.into_bytes()], 100, false)?;
    expect(
        what,
        result.is_err(),
        "an error: the line is longer than max_line",
        result.map(|()| "Ok(())"),
    )?;

    let endless = format!("짧은 줄\n{}", "a".repeat(10_000));
    let what = "for_each_line(max_line 100) over \"짧은 줄\\n\" and then 10000 bytes with no \\n, \
                in 10-byte chunks";
    let (result, lines, delivered) =
        lines_of(code, what, cut(endless.as_bytes(), &[10]), 100, true)?;
    expect(
        &format!("{what}: the result"),
        result.is_err(),
        "an error: the line is longer than max_line",
        result.map(|()| "Ok(())"),
    )?;
    expect_eq(
        &format!("{what}: the lines handed over"),
        vec!["짧은 줄".to_string()],
        lines,
    )?;
    let first_line = "짧은 줄\n".len();
    expect(
        &format!("{what}: how many bytes it read before giving up"),
        delivered <= first_line + 100 + 20,
        &format!(
            "at most {} ({first_line} for the first line, 100 for max_line, and a read or two \
             more): it gives up as soon as the line passes max_line, not at the end",
            first_line + 120
        ),
        delivered,
    )?;

    // 루프백에서 · over loopback
    let message = "안녕\n하세요\n바이트의 강물\n".as_bytes();
    let mut stream = loopback_stream(cut(message, &[8, 2, 3, 100]))?;
    let what = "for_each_line over a real TcpStream, sent in 4 pieces with pauses";
    let (result, lines) = within(LIMIT, what, move || {
        let mut lines = Vec::new();
        let result = for_each_line(code, &mut stream, 100, |line| lines.push(line.to_string()));
        (result, lines)
    })?;
    result.map_err(|e| fail(what, "Ok(())", e))?;
    expect_eq(
        what,
        ["안녕", "하세요", "바이트의 강물"]
            .map(String::from)
            .to_vec(),
        lines,
    )
}
