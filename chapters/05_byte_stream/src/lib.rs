// 5장: TCP는 바이트 스트림입니다 — 쓰기와 읽기는 줄을 맞추지 않습니다.
// Chapter 5: TCP is a byte stream — writes and reads do not line up.

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 한 번에 읽는 최대 바이트 수 (시드의 recv(1024)와 같음) · At most this many bytes per read.
pub const CHUNK: usize = 1024;

/// 시연에서 바이트가 도착하기를 기다리는 최대 시간 · How long the demonstration waits for bytes.
pub const PATIENCE: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// 쓰기와 읽기 · Writes and reads

// ANCHOR: wait_until_arrived
/// 수신 버퍼에 `total`바이트가 쌓일 때까지, 꺼내지 않고 들여다보며(peek) 기다립니다.
/// Waits until `total` bytes sit in the receive buffer, peeking without taking any.
pub fn wait_until_arrived(stream: &TcpStream, total: usize) -> Result<()> {
    // peek도 읽기처럼 기다릴 수 있으니 제한 시간을 겁니다 · peek can wait like a read: limit it.
    stream.set_read_timeout(Some(PATIENCE))?;
    let mut look = vec![0u8; total];
    let deadline = Instant::now() + PATIENCE;
    loop {
        let arrived = stream
            .peek(&mut look)
            .context("들여다보지 못했습니다 · peek failed")?;
        if arrived >= total {
            return Ok(());
        }
        if arrived == 0 || Instant::now() > deadline {
            bail!("{total}바이트가 오지 않았습니다 · only {arrived} of {total} bytes arrived");
        }
        thread::sleep(Duration::from_millis(1));
    }
}
// ANCHOR_END: wait_until_arrived

// ANCHOR: writes_and_reads
/// 한 프로그램 안의 전화기 두 대로, 쓰기가 읽기로 어떻게 도착하는지 보여 줍니다.
/// With two handsets in one program, shows how writes arrive as reads.
pub fn show_writes_and_reads(out: &mut impl Write) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bind 127.0.0.1:0")?;
    let mut talker = TcpStream::connect(listener.local_addr()?).context("connect")?;
    // 네이글 알고리즘을 끕니다: 보내는 쪽은 작은 쓰기를 붙잡아 두지 않고 곧바로 보냅니다.
    // Nagle's algorithm off: the sender sends each small write at once instead of holding it.
    talker.set_nodelay(true).context("set_nodelay")?;
    let (mut hearer, _) = listener.accept().context("accept")?;
    let mut buf = [0u8; CHUNK];
    let (mut writes, mut reads) = (0, 0);

    // 1. 작은 쓰기 세 번, 그리고 1024바이트 버퍼로 읽기 한 번
    //    Three small writes, then one read into a 1024-byte buffer
    for word in ["안녕", "하세", "요"] {
        talker.write_all(word.as_bytes())?;
        writes += 1;
        writeln!(out, "쓰기 · write {writes}: {} bytes {word:?}", word.len())?;
    }
    wait_until_arrived(&hearer, 15)?;
    let n = hearer.read(&mut buf)?;
    reads += 1;
    let text = String::from_utf8_lossy(&buf[..n]);
    writeln!(out, "읽기 · read {reads}: {n} bytes {text:?}")?;

    // 2. 큰 쓰기 한 번, 그리고 같은 버퍼로 읽기 · One large write, read with the same buffer
    let long = "가".repeat(342);
    talker.write_all(long.as_bytes())?;
    writes += 1;
    writeln!(out, "쓰기 · write {writes}: {} bytes {long:?}", long.len())?;
    wait_until_arrived(&hearer, long.len())?;
    let mut decoder = Utf8Decoder::new();
    let mut got = 0;
    while got < long.len() {
        let n = hearer.read(&mut buf)?;
        got += n;
        reads += 1;
        writeln!(out, "읽기 · read {reads}: {n} bytes")?;
        // 이 조각만 따로 디코드하면 · decoding this chunk on its own
        match std::str::from_utf8(&buf[..n]) {
            Ok(text) => writeln!(out, "  따로 디코드 · from_utf8 alone: {text:?}")?,
            Err(error) => writeln!(out, "  따로 디코드 · from_utf8 alone: {error}")?,
        }
        // 앞 조각에 이어서 디코드하면 · decoding it as the next piece of the stream
        let (text, _) = shown(decoder.push(&buf[..n]));
        write!(out, "  이어서 디코드 · Utf8Decoder: {text:?}")?;
        match decoder.waiting() {
            0 => writeln!(out)?,
            held => writeln!(out, ", {held} held for the next read")?,
        }
    }

    // 3. 끊기, 그리고 0바이트 읽기 · Hang up, then a 0-byte read
    drop(talker);
    writeln!(out, "끊기 · hang up")?;
    let n = hearer.read(&mut buf)?;
    reads += 1;
    writeln!(out, "읽기 · read {reads}: {n} bytes (EOF)")?;
    Ok(())
}
// ANCHOR_END: writes_and_reads

// ---------------------------------------------------------------------------------------------
// 조각을 이어 가는 UTF-8 디코더 · An incremental UTF-8 decoder

// ANCHOR: decoder
/// 조각으로 도착하는 바이트를 UTF-8 텍스트로 바꿉니다. 조각 끝에서 잘린 글자는 다음 조각까지
/// 들고 있습니다.
/// Turns bytes that arrive in pieces into text; a character cut off at the end of a piece waits
/// for the next piece.
#[derive(Debug, Default)]
pub struct Utf8Decoder {
    /// 아직 글자를 이루지 못한 바이트 (많아야 3개) · bytes not yet a whole character (3 at most)
    pending: Vec<u8>,
    /// 스트림에서 pending[0]의 자리 · where pending[0] sits in the stream
    offset: u64,
}

/// UTF-8이 될 수 없는 바이트 · Bytes that cannot be UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// 스트림의 처음부터 센 자리 (0부터) · where in the stream, counting bytes from 0
    pub offset: u64,
    /// 문제의 바이트들 · the bytes themselves
    pub bytes: Vec<u8>,
    /// true면 스트림이 이 글자를 끝내지 못하고 끝났습니다 (`finish`가 알림)
    /// true: the stream ended before this character was complete (reported by `finish`)
    pub unfinished: bool,
}
// ANCHOR_END: decoder

// ANCHOR: push
impl Utf8Decoder {
    /// 빈 디코더 · A decoder at the start of a stream.
    pub fn new() -> Utf8Decoder {
        Utf8Decoder::default()
    }

    /// 읽은 조각 하나를 넣고, 스트림 순서대로 이제 완성된 글(`Ok`)과 잘못된 바이트(`Err`)를
    /// 돌려받습니다. 잘못된 바이트 뒤에서도 디코드는 계속됩니다.
    /// Feeds one chunk; returns, in stream order, the text now complete (`Ok`) and any invalid
    /// bytes (`Err`). Decoding goes on after invalid bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Result<String, InvalidUtf8>> {
        self.pending.extend_from_slice(chunk);
        let mut pieces = Vec::new();
        let mut done = 0; // pending에서 다 본 바이트 수 · bytes of pending dealt with
        while done < self.pending.len() {
            let rest = &self.pending[done..];
            let error = match std::str::from_utf8(rest) {
                Ok(text) => {
                    pieces.push(Ok(text.to_string()));
                    done = self.pending.len();
                    break;
                }
                Err(error) => error,
            };
            let valid = error.valid_up_to();
            if valid > 0 {
                // 올바른 앞부분만 다시 디코드하면 글(&str)이 됩니다.
                // Decoding just the valid beginning again gives us the text (&str).
                match std::str::from_utf8(&rest[..valid]) {
                    Ok(text) => pieces.push(Ok(text.to_string())),
                    Err(_) => {
                        // 일어나지 않습니다: valid_up_to가 방금 이 바이트는 올바르다고 했습니다.
                        // Never happens: valid_up_to just said these bytes are valid UTF-8.
                    }
                }
                done += valid;
            }
            match error.error_len() {
                // 조각 끝에서 잘린 글자: 들고 있다가 다음 조각과 잇습니다.
                // A character cut off at the end: keep it for the next chunk.
                None => break,
                // 무엇이 더 와도 글자가 될 수 없는 바이트: 알리고, 그 뒤부터 계속합니다.
                // Bytes nothing can complete: report them, and go on after them.
                Some(len) => {
                    pieces.push(Err(InvalidUtf8 {
                        offset: self.offset + done as u64,
                        bytes: self.pending[done..done + len].to_vec(),
                        unfinished: false,
                    }));
                    done += len;
                }
            }
        }
        self.pending.drain(..done);
        self.offset += done as u64;
        pieces
    }

    /// 다음 조각을 기다리는 바이트 수 · How many bytes wait for the next chunk.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// 스트림이 끝나면 부릅니다. 글자 중간에서 끝났다면 남은 바이트를 알립니다.
    /// Call at the end of the stream; reports the bytes of a character that never finished.
    pub fn finish(self) -> Result<(), InvalidUtf8> {
        if self.pending.is_empty() {
            return Ok(());
        }
        Err(InvalidUtf8 {
            offset: self.offset,
            bytes: self.pending,
            unfinished: true,
        })
    }
}
// ANCHOR_END: push

// ANCHOR: shown
/// 보여 주기용: 글은 이어 붙이고 잘못된 바이트는 � 하나로, 알림은 따로 모읍니다.
/// For display: joins the text, shows each invalid sequence as one �, and collects the reports.
pub fn shown(pieces: Vec<Result<String, InvalidUtf8>>) -> (String, Vec<InvalidUtf8>) {
    let mut text = String::new();
    let mut reports = Vec::new();
    for piece in pieces {
        match piece {
            Ok(whole) => text.push_str(&whole),
            Err(invalid) => {
                text.push(char::REPLACEMENT_CHARACTER);
                reports.push(invalid);
            }
        }
    }
    (text, reports)
}
// ANCHOR_END: shown

impl fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes: Vec<String> = self.bytes.iter().map(|b| format!("{b:#04x}")).collect();
        let (offset, bytes) = (self.offset, bytes.join(" "));
        if self.unfinished {
            write!(
                f,
                "끝나지 않은 글자 · the stream ended inside a character at byte {offset}: {bytes}"
            )
        } else {
            write!(
                f,
                "UTF-8이 아닌 바이트 · not UTF-8 at byte {offset}: {bytes}"
            )
        }
    }
}

impl std::error::Error for InvalidUtf8 {}

// ---------------------------------------------------------------------------------------------
// 서버 · The server

// ANCHOR: listen
/// 주소에 bind하고 벨을 켭니다. 실패하면 무엇을 할지 알려 줍니다 (3장과 같음).
/// Binds and listens; on failure, says what to do (as in chapter 3).
pub fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|error| {
        let advice = match error.kind() {
            ErrorKind::AddrInUse => format!(
                "이미 사용 중인 주소입니다 · {addr} is already in use: \
                 is another server still running? Stop it, or pass another address"
            ),
            ErrorKind::PermissionDenied => format!(
                "{addr}에 대한 권한이 없습니다 · no permission to bind {addr}: use a port above 1024"
            ),
            _ => format!("{addr}에 bind할 수 없습니다 · could not bind {addr}"),
        };
        anyhow::Error::new(error).context(advice)
    })
}
// ANCHOR_END: listen

/// 3장처럼 전화 한 통만 받습니다 · Like chapter 3, takes one call.
pub fn serve_one_call(listener: &TcpListener, out: &mut impl Write) -> Result<()> {
    let (mut call, caller) = pick_up(listener)?;
    writeln!(out, "접속한 클라이언트 · connected by {caller}")?;
    echo(&mut call, caller, out)
}

/// 수화기를 들고, 네이글 알고리즘을 끕니다: 답의 조각을 붙잡아 두지 않고 곧바로 보냅니다.
/// Picks up and turns Nagle's algorithm off, so no piece of a reply waits for an ACK.
pub fn pick_up(listener: &TcpListener) -> Result<(TcpStream, SocketAddr)> {
    let (call, caller) = listener
        .accept()
        .context("전화를 받지 못했습니다 · accept failed")?;
    // 요청과 답을 주고받는 통화에서는 작은 조각도 바로 보내야 합니다 (4장에서 잽니다).
    // In a request/response call even a small piece must go at once (chapter 4 measures it).
    call.set_nodelay(true)
        .context("TCP_NODELAY를 켤 수 없습니다 · could not set TCP_NODELAY")?;
    Ok((call, caller))
}

// ANCHOR: echo
/// 받은 바이트를 그대로 돌려주고, 읽을 때마다 완성된 글자를 보여 줍니다.
/// Echoes every byte as it arrives, and shows the whole characters each read completes.
pub fn echo(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    let mut buf = [0u8; CHUNK];
    let mut decoder = Utf8Decoder::new();
    let (mut reads, mut total) = (0, 0);
    loop {
        // 3장처럼, 한 통만 받는 서버는 상대가 말하기를 기다립니다 (제한 시간 없음).
        // As in chapter 3, a one-call server waits for its caller to talk (no timeout).
        let n = match call.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if is_reset(&e) => return report_reset(caller, out),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        let chunk = &buf[..n];
        reads += 1;
        total += n;
        // 보여 주기: 앞 조각에 이어서 디코드합니다 · to show: decode as the next piece
        let (text, reports) = shown(decoder.push(chunk));
        write!(out, "받음 · read {reads}: {n} bytes → {text:?}")?;
        match decoder.waiting() {
            0 => writeln!(out)?,
            held => writeln!(out, ", {held} held for the next read")?,
        }
        for invalid in &reports {
            writeln!(out, "  {invalid}")?;
        }
        // 돌려주기: 디코드와 상관없이 바이트 그대로 · to echo: the bytes, whatever they decode to
        match call.write_all(chunk) {
            Ok(()) => {}
            Err(e) if is_reset(&e) => return report_reset(caller, out),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
    if let Err(unfinished) = decoder.finish() {
        writeln!(out, "  {unfinished}")?;
    }
    writeln!(
        out,
        "통화 종료 · {caller} hung up (reads: {reads}, bytes: {total})"
    )?;
    Ok(())
}
// ANCHOR_END: echo

fn is_reset(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

fn report_reset(caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "상대가 연결을 강제로 끊었습니다 · {caller} reset the connection (the call dropped)"
    )?;
    Ok(())
}
