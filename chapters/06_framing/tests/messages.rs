// 메모리 안에서 프레이밍을 검사합니다: 소켓 없이, 바이트를 마음대로 쪼개 가며.
// Framing checked in memory: no sockets, the bytes split however we like.

use std::io::{self, BufReader, ErrorKind, Read};

use ch06_framing::{
    MAX_FRAME, MAX_LINE, describe, frame_header, read_frame, read_line, write_frame, write_line,
};

/// 작은 결정적 난수 생성기(선형 합동) · A small deterministic random generator (an LCG).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }
}

/// 바이트를 1–7바이트의 무작위 조각으로 내주고, 가끔 Interrupted로 끼어드는 Read.
/// A Read that hands out bytes in random pieces of 1–7 bytes and sometimes says Interrupted,
/// as a network may.
struct Chunky<'a> {
    data: &'a [u8],
    dice: Dice,
    reads: usize,
}

impl<'a> Chunky<'a> {
    fn new(data: &'a [u8], seed: u64) -> Self {
        Chunky {
            data,
            dice: Dice(seed),
            reads: 0,
        }
    }
}

impl Read for Chunky<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        if self.dice.roll(5) == 0 {
            return Err(io::Error::from(ErrorKind::Interrupted));
        }
        let n = (1 + self.dice.roll(7) as usize)
            .min(buf.len())
            .min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// 읽힌 바이트를 세는 Read · A Read that counts what is read from it.
struct Counted<R> {
    inner: R,
    read: usize,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

fn messages() -> Vec<Vec<u8>> {
    vec![
        "안녕!".as_bytes().to_vec(),
        Vec::new(),
        "가".repeat(342).into_bytes(),
        // UTF-8이 아닌 바이트와 반쪽 글자: 줄은 바이트입니다 · invalid bytes and half a
        // syllable: a line is bytes.
        vec![0xff, 0xfe, b'!', 0xea, 0xb0],
        b"over".to_vec(),
    ]
}

fn all_lines(reader: &mut impl io::BufRead) -> Vec<Vec<u8>> {
    let mut got = Vec::new();
    while let Some(line) = read_line(reader, MAX_LINE).expect("read_line") {
        got.push(line);
        assert!(got.len() <= 100, "bounded");
    }
    got
}

fn all_frames(reader: &mut impl Read) -> Vec<Vec<u8>> {
    let mut got = Vec::new();
    while let Some(frame) = read_frame(reader, MAX_FRAME).expect("read_frame") {
        got.push(frame);
        assert!(got.len() <= 100, "bounded");
    }
    got
}

#[test]
fn lines_survive_random_chunking() {
    let mut wire = Vec::new();
    for message in messages() {
        write_line(&mut wire, &message).expect("write_line");
    }
    for seed in 0..200 {
        // 버퍼도 아주 작게: 줄이 BufReader의 버퍼 경계를 여러 번 넘습니다.
        // A tiny buffer too, so lines cross BufReader's buffer boundary many times.
        let mut reader = BufReader::with_capacity(3, Chunky::new(&wire, seed));
        assert_eq!(all_lines(&mut reader), messages(), "seed {seed}");
        let mut reader = BufReader::new(Chunky::new(&wire, seed));
        assert_eq!(all_lines(&mut reader), messages(), "seed {seed}");
    }
}

#[test]
fn frames_survive_random_chunking() {
    let mut wire = Vec::new();
    for message in messages() {
        write_frame(&mut wire, &message).expect("write_frame");
    }
    for seed in 0..200 {
        let mut chunky = Chunky::new(&wire, seed);
        assert_eq!(all_frames(&mut chunky), messages(), "seed {seed}");
        assert!(chunky.reads > 10, "the pieces really were small");
        let mut buffered = BufReader::with_capacity(3, Chunky::new(&wire, seed));
        assert_eq!(all_frames(&mut buffered), messages(), "seed {seed}");
    }
}

#[test]
fn the_bytes_on_the_wire() {
    let mut line = Vec::new();
    write_line(&mut line, "안녕!".as_bytes()).expect("line");
    assert_eq!(line, b"\xec\x95\x88\xeb\x85\x95!\n");
    let mut frame = Vec::new();
    write_frame(&mut frame, "안녕!".as_bytes()).expect("frame");
    assert_eq!(frame, b"\x00\x00\x00\x07\xec\x95\x88\xeb\x85\x95!");
    assert_eq!(
        frame_header(258).expect("header"),
        [0, 0, 1, 2],
        "big-endian"
    );
}

#[test]
fn a_megabyte_frame_round_trips_and_one_byte_more_is_refused() {
    let big: Vec<u8> = (0..MAX_FRAME).map(|i| (i % 251) as u8).collect();
    let mut wire = Vec::new();
    write_frame(&mut wire, &big).expect("write");
    assert_eq!(
        read_frame(&mut wire.as_slice(), MAX_FRAME).expect("read"),
        Some(big)
    );

    let mut too_big = Vec::new();
    write_frame(&mut too_big, &vec![0u8; MAX_FRAME + 1]).expect("write");
    let error = read_frame(&mut too_big.as_slice(), MAX_FRAME).expect_err("over the limit");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    let text = error.to_string();
    assert!(text.contains("a frame of 1048577 bytes"), "{text}");
    assert!(text.contains("over the limit of 1048576 bytes"), "{text}");
}

#[test]
fn an_oversized_frame_is_refused_from_its_header_alone() {
    // 머리만 있고 본문은 없습니다. 본문을 읽으려 했다면 UnexpectedEof가 났을 것입니다.
    // Only the header, no payload: had read_frame tried to read the payload (or allocated
    // for it first), we would see UnexpectedEof, not InvalidData.
    let header = u32::MAX.to_be_bytes();
    let error = read_frame(&mut header.as_slice(), MAX_FRAME).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert!(
        error
            .to_string()
            .contains("4294967295 bytes (header ff ff ff ff)"),
        "{error}"
    );
}

#[test]
fn a_line_of_text_read_as_a_frame_is_a_huge_length() {
    let error = read_frame(&mut b"hello\n".as_slice(), MAX_FRAME).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    // "hell" = 68 65 6c 6c = 1751477356
    assert!(
        error
            .to_string()
            .contains("a frame of 1751477356 bytes (header 68 65 6c 6c)"),
        "{error}"
    );
}

#[test]
fn a_line_at_the_limit_is_fine_and_one_byte_more_is_refused() {
    let at_limit = vec![b'x'; MAX_LINE];
    let mut wire = Vec::new();
    write_line(&mut wire, &at_limit).expect("write");
    let mut reader = BufReader::new(wire.as_slice());
    assert_eq!(
        read_line(&mut reader, MAX_LINE).expect("read"),
        Some(at_limit)
    );

    let mut wire = Vec::new();
    write_line(&mut wire, &vec![b'x'; MAX_LINE + 1]).expect("write");
    let error = read_line(&mut BufReader::new(wire.as_slice()), MAX_LINE).expect_err("too long");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert!(
        error
            .to_string()
            .contains("a line over the limit of 65536 bytes"),
        "{error}"
    );
}

#[test]
fn an_endless_line_is_refused_without_reading_it_all() {
    // 64 MiB의 'x', "\n"은 없음. 얼마나 읽히는지 셉니다.
    // 64 MiB of 'x' and no "\n", counting how much of it gets read.
    let mut endless = Counted {
        inner: io::repeat(b'x').take(64 << 20),
        read: 0,
    };
    let error = read_line(&mut BufReader::new(&mut endless), MAX_LINE).expect_err("too long");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    // 한도 + 1바이트, 그리고 BufReader가 미리 채운 버퍼(8 KiB)까지만
    // The limit + 1 byte, plus what BufReader fetched ahead (8 KiB), and no more
    assert!(endless.read <= MAX_LINE + 1 + 8 * 1024, "{}", endless.read);
}

#[test]
fn the_end_of_the_stream_between_messages_is_a_clean_end() {
    assert_eq!(
        read_line(&mut BufReader::new(&b""[..]), MAX_LINE).expect("eof"),
        None
    );
    assert_eq!(read_frame(&mut &b""[..], MAX_FRAME).expect("eof"), None);
    let mut two = BufReader::new(&b"a\nb\n"[..]);
    assert_eq!(all_lines(&mut two), [b"a".to_vec(), b"b".to_vec()]);
}

#[test]
fn the_end_of_the_stream_inside_a_message_is_an_error() {
    // 마지막 줄에 "\n"이 없습니다: 말이 끝났는지 잘렸는지 알 수 없으니 오류입니다.
    // The last line has no "\n": finished or cut off, we cannot tell, so it is an error.
    let mut reader = BufReader::new(&b"a\nhalf"[..]);
    assert_eq!(
        read_line(&mut reader, MAX_LINE).expect("a"),
        Some(b"a".to_vec())
    );
    let error = read_line(&mut reader, MAX_LINE).expect_err("cut off");
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
    assert!(error.to_string().contains("(4 bytes without"), "{error}");

    let error = read_frame(&mut &[0u8, 0][..], MAX_FRAME).expect_err("half a header");
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
    assert!(error.to_string().contains("(2 of 4 bytes)"), "{error}");

    let error = read_frame(&mut &[0u8, 0, 0, 7, b'h', b'i'][..], MAX_FRAME).expect_err("cut");
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
    assert!(
        error.to_string().contains("inside a frame of 7 bytes"),
        "{error}"
    );
}

#[test]
fn a_line_cannot_carry_its_own_delimiter() {
    let mut wire = Vec::new();
    let error = write_line(&mut wire, b"one\ntwo").expect_err("no newline inside");
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(wire.is_empty(), "nothing was written");
    // 프레임은 어떤 바이트든 나릅니다 · a frame carries any bytes.
    write_frame(&mut wire, b"one\ntwo").expect("frame");
    assert_eq!(
        read_frame(&mut wire.as_slice(), MAX_FRAME).expect("read"),
        Some(b"one\ntwo".to_vec())
    );
}

#[cfg(target_pointer_width = "64")]
#[test]
fn a_length_that_does_not_fit_four_bytes_is_refused_not_cut() {
    let error = frame_header(1 << 32).expect_err("too long for u32");
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    // `as u32`였다면 4 GiB는 0이 되었을 것입니다 · `as u32` would have turned 4 GiB into 0.
    assert_eq!((1usize << 32) as u32, 0);
    assert_eq!(
        frame_header(u32::MAX as usize).expect("fits"),
        [0xff, 0xff, 0xff, 0xff]
    );
}

#[test]
fn describe_shortens_long_messages_and_flags_bad_bytes() {
    assert_eq!(describe("안녕!".as_bytes()), r#""안녕!" (7 bytes)"#);
    let long = describe("가".repeat(342).as_bytes());
    assert_eq!(long, format!("\"{}…\" (1026 bytes)", "가".repeat(20)));
    assert!(describe(&[0xea, 0xb0]).contains("not valid UTF-8"));
}

/// `write` 호출을 세는 Write · A Write that counts its `write` calls.
#[derive(Default)]
struct CountingWriter {
    writes: usize,
    bytes: Vec<u8>,
}

impl io::Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// 메시지 하나는 write 한 번입니다: 헤더와 메시지(또는 메시지와 "\n")가 따로 나가면
/// Nagle과 지연 ACK가 만나 답이 멈춥니다.
/// One message is one write: a header and a message (or a message and its "\n") written
/// apart meet Nagle's algorithm and delayed ACKs, and the reply stalls.
#[test]
fn a_message_is_written_with_one_write_call() {
    for size in [0, 7, 2048, 8200, 64_000, MAX_FRAME] {
        let message = vec![b'x'; size];
        let mut frame = CountingWriter::default();
        write_frame(&mut frame, &message).expect("frame");
        assert_eq!(frame.writes, 1, "a frame of {size} bytes");
        assert_eq!(frame.bytes.len(), 4 + size);
        let mut line = CountingWriter::default();
        write_line(&mut line, &message).expect("line");
        assert_eq!(line.writes, 1, "a line of {size} bytes");
        assert_eq!(line.bytes.len(), size + 1);
    }
}
