// 6장: 바이트 스트림 위의 메시지 — 줄 프로토콜과 길이 접두 프로토콜.
// Chapter 6: messages on a byte stream — a line protocol and a length-prefixed protocol.

use std::io::{self, BufRead, BufReader, BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

// ANCHOR: limits
/// 기본 주소 · The book's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 받아 주는 가장 긴 줄("\n" 제외): 64 KiB · The longest line we accept, without its "\n".
pub const MAX_LINE: usize = 64 * 1024;

/// 받아 주는 가장 긴 프레임(헤더 4바이트 제외): 1 MiB · The longest frame we accept,
/// without its 4-byte header.
pub const MAX_FRAME: usize = 1024 * 1024;

/// 읽기 버퍼의 크기: 많이 보낼 때도 읽기 한 번에 넉넉히 · The read buffer's size: 64 KiB,
/// so that bulk transfers take few reads.
pub const BUF: usize = 64 * 1024;
// ANCHOR_END: limits

/// 서버가 말없는 상대를 기다리는 시간, 그리고 답 하나를 다 쓰기까지 기다리는 시간.
/// How long the server waits on a silent caller, and for one reply to be written in full.
pub const IDLE: Duration = Duration::from_secs(30);

/// 거절한 뒤, 상대가 아직 보내는 것을 읽어 버리며 기다리는 시간 · After refusing, how long we
/// keep reading (and throwing away) what the caller is still sending.
pub const LINGER: Duration = Duration::from_secs(2);

/// 클라이언트가 읽기 한 번, 쓰기 한 번에 기다리는 시간 · How long the client lets one read or
/// one write wait.
pub const PATIENCE: Duration = Duration::from_secs(5);

// ANCHOR: write_line
/// 메시지 하나를 줄로 씁니다: 메시지의 바이트, 그리고 "이상"을 뜻하는 "\n".
/// Writes one message as a line: its bytes, then "\n", our "over".
pub fn write_line(writer: &mut impl Write, message: &[u8]) -> io::Result<()> {
    // 메시지 안의 "\n"은 받는 쪽에서 말을 거기서 끝내 버립니다.
    // A "\n" inside the message would end it early on the other side.
    if message.contains(&b'\n') {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            "줄 안에 \"\\n\"을 넣을 수 없습니다 · a line cannot contain \"\\n\": \
             it would end the message early (frames carry any bytes)",
        ));
    }
    // 메시지와 "\n"을 한 버퍼에 모아 write 한 번으로 보냅니다(4단계에서 왜인지 봅니다).
    // The message and its "\n" go out in one buffer, one write (step 4 says why).
    let mut line = Vec::with_capacity(message.len() + 1);
    line.extend_from_slice(message);
    line.push(b'\n');
    writer.write_all(&line)?;
    // BufWriter에 쓰고 있다면 지금 내보냅니다 · if this is a BufWriter, send it now.
    writer.flush()
}
// ANCHOR_END: write_line

// ANCHOR: read_line
/// 줄 하나를 읽어, 끝의 "\n"을 떼고 돌려줍니다.
/// Reads one line and returns it without its "\n".
///
/// - `Ok(None)`: 줄과 줄 사이에서 통화가 끝났습니다 · the call ended between lines.
/// - `InvalidData`: `max`바이트 안에 "\n"이 없습니다 · no "\n" within `max` bytes.
/// - `UnexpectedEof`: 줄 중간에서 통화가 끝났습니다 · the call ended inside a line.
pub fn read_line(reader: &mut impl BufRead, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    // 한도보다 1바이트만 더 읽어 봅니다. 그 안에 "\n"이 없으면 너무 긴 줄이고,
    // 나머지는 읽지도, 메모리에 담지도 않습니다.
    // Read at most one byte past the limit. No "\n" by then means the line is too long,
    // and the rest is neither read nor kept in memory.
    let at_most = max as u64 + 1;
    let n = reader.by_ref().take(at_most).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        return Ok(Some(line));
    }
    if line.len() > max {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("줄이 한도 {max}바이트를 넘습니다 · a line over the limit of {max} bytes"),
        ));
    }
    Err(io::Error::new(
        ErrorKind::UnexpectedEof,
        format!(
            "줄 중간에 통화가 끝났습니다 · the call ended in the middle of a line \
             ({} bytes without \"\\n\")",
            line.len()
        ),
    ))
}
// ANCHOR_END: read_line

// ANCHOR: write_frame
/// 길이를 4바이트 빅 엔디언 헤더로 바꿉니다 · Turns a length into a 4-byte big-endian header.
pub fn frame_header(len: usize) -> io::Result<[u8; 4]> {
    // `len as u32`라면 4 GiB가 넘는 길이를 말없이 잘라 버립니다. try_from은 실패를 알립니다.
    // `len as u32` would silently cut a length of 4 GiB or more; try_from reports it.
    let len = u32::try_from(len).map_err(|_| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!(
                "길이가 4바이트에 들어가지 않습니다 · {len} bytes do not fit a 4-byte length \
                 (at most {})",
                u32::MAX
            ),
        )
    })?;
    Ok(len.to_be_bytes())
}

/// 메시지 하나를 프레임으로 씁니다: 4바이트 길이, 그리고 메시지의 바이트.
/// Writes one message as a frame: a 4-byte length, then the message's bytes.
pub fn write_frame(writer: &mut impl Write, message: &[u8]) -> io::Result<()> {
    // 헤더와 메시지를 한 버퍼에 모아 write 한 번으로 보냅니다. 따로 쓰면 Nagle과 지연 ACK가
    // 만나 답 하나가 수십 ms씩 멈출 수 있습니다(4장 "망가뜨려 보기").
    // Header and message go out in one buffer, one write. Written apart, Nagle's algorithm
    // and delayed ACKs can stall a reply for tens of ms (chapter 4, "Break it").
    let mut frame = Vec::with_capacity(4 + message.len());
    frame.extend_from_slice(&frame_header(message.len())?);
    frame.extend_from_slice(message);
    writer.write_all(&frame)?;
    writer.flush()
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// 프레임 하나를 읽어 메시지를 돌려줍니다.
/// Reads one frame and returns its message.
///
/// - `Ok(None)`: 프레임과 프레임 사이에서 통화가 끝났습니다 · the call ended between frames.
/// - `InvalidData`: 헤더가 말하는 길이가 `max`를 넘습니다 · the header announces more than `max`.
/// - `UnexpectedEof`: 프레임 중간에서 통화가 끝났습니다 · the call ended inside a frame.
pub fn read_frame(reader: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0u8; 4];
    match read_header(reader, &mut header)? {
        0 => return Ok(None),
        4 => {}
        got => {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                format!(
                    "프레임 헤더 중간에 통화가 끝났습니다 · the call ended inside a frame header \
                     ({got} of 4 bytes)"
                ),
            ));
        }
    }
    // u32는 언제나 usize에 들어갑니다(32·64비트) · a u32 always fits a usize (32/64-bit).
    let len = u32::from_be_bytes(header) as usize;
    // 메모리를 잡기 전에 한도부터 봅니다 · check the limit before allocating anything.
    if len > max {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!(
                "프레임이 한도 {max}바이트를 넘습니다 · a frame of {len} bytes (header {}) \
                 is over the limit of {max} bytes",
                hex(&header)
            ),
        ));
    }
    let mut message = vec![0u8; len];
    reader
        .read_exact(&mut message)
        .map_err(|e| match e.kind() {
            ErrorKind::UnexpectedEof => io::Error::new(
                ErrorKind::UnexpectedEof,
                format!(
                    "프레임 중간에 통화가 끝났습니다 · the call ended inside a frame of {len} bytes"
                ),
            ),
            _ => e,
        })?;
    Ok(Some(message))
}

/// 헤더 4바이트를 채울 때까지 읽고, 채운 바이트 수를 돌려줍니다(EOF면 4보다 적음).
/// Reads until the 4-byte header is full; returns how many bytes it got (fewer at EOF).
fn read_header(reader: &mut impl Read, header: &mut [u8; 4]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < header.len() {
        match reader.read(&mut header[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
// ANCHOR_END: read_frame

/// 바이트를 16진수로: "68 65 6c 6c" · Bytes in hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    pairs.join(" ")
}

// ANCHOR: protocol
/// 두 가지 프레이밍 · The two framings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// 메시지마다 끝에 "\n" · each message ends with "\n".
    Lines,
    /// 메시지마다 앞에 4바이트 빅 엔디언 길이 · each message starts with a 4-byte length.
    Frames,
}

impl Protocol {
    /// 메시지 하나를 읽습니다(한도는 이 장의 상수) · Reads one message, with this chapter's limit.
    pub fn read_message(self, reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
        match self {
            Protocol::Lines => read_line(reader, MAX_LINE),
            Protocol::Frames => read_frame(reader, MAX_FRAME),
        }
    }

    /// 메시지 하나를 씁니다 · Writes one message.
    pub fn write_message(self, writer: &mut impl Write, message: &[u8]) -> io::Result<()> {
        match self {
            Protocol::Lines => write_line(writer, message),
            Protocol::Frames => write_frame(writer, message),
        }
    }
}
// ANCHOR_END: protocol

impl Protocol {
    /// 명령줄에서 쓰는 이름 · The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Lines => "lines",
            Protocol::Frames => "frames",
        }
    }

    /// 서버가 처음에 알리는 규칙 · The rules the server announces when it starts.
    pub fn rules(self) -> String {
        match self {
            Protocol::Lines => format!(
                "규칙: 메시지마다 끝에 \"\\n\", 최대 {MAX_LINE}바이트 · protocol: lines, \
                 each ending in \"\\n\", at most {MAX_LINE} bytes"
            ),
            Protocol::Frames => format!(
                "규칙: 4바이트 빅 엔디언 길이, 그다음 메시지, 최대 {MAX_FRAME}바이트 · \
                 protocol: frames, a 4-byte big-endian length then the message, \
                 at most {MAX_FRAME} bytes"
            ),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Protocol::Lines => "받은 줄 · line",
            Protocol::Frames => "받은 프레임 · frame",
        }
    }
}

/// "lines" 또는 "frames" · "lines" or "frames".
pub fn parse_protocol(text: &str) -> Result<Protocol> {
    match text {
        "lines" => Ok(Protocol::Lines),
        "frames" => Ok(Protocol::Frames),
        _ => bail!(
            "프로토콜은 lines 또는 frames입니다 · {text:?} is not a protocol: \
             use lines or frames"
        ),
    }
}

// ANCHOR: listen
/// 주소에 bind하고 벨을 켭니다(3장과 같음). 실패하면 무엇을 할지 알려 줍니다.
/// Binds and listens, as in chapter 3; on failure, says what to do.
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

// ANCHOR: serve
/// 전화를 한 통씩 차례로, 끝없이 받습니다. 한 통이 잘못되어도 다음 통을 받습니다.
/// Takes calls one after another, forever. A call that goes wrong never stops the next one.
pub fn serve(listener: &TcpListener, protocol: Protocol, out: &mut impl Write) -> Result<()> {
    loop {
        let (call, caller) = match listener.accept() {
            Ok(pair) => pair,
            Err(e) => {
                writeln!(out, "전화를 받지 못했습니다 · accept failed: {e}")?;
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        writeln!(out, "접속한 클라이언트 · connected by {caller}")?;
        if let Err(e) = serve_call(&call, caller, protocol, IDLE, out) {
            writeln!(out, "통화 실패 · the call with {caller} failed: {e:#}")?;
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: serve_call
/// 통화 한 통: 메시지를 하나씩 읽고, 하나씩 같은 틀에 담아 돌려줍니다.
/// One call: reads message after message and sends each back in the same framing.
pub fn serve_call(
    call: &TcpStream,
    caller: SocketAddr,
    protocol: Protocol,
    patience: Duration,
    out: &mut impl Write,
) -> Result<()> {
    // 한 번에 한 통만 받으므로, 말없는 상대가 뒤의 모두를 영원히 막으면 안 됩니다.
    // We take one call at a time: a silent caller must not hold up everyone else forever.
    call.set_read_timeout(Some(patience))?;
    // 답은 다 만든 뒤 한 번에 쓰니, 운영체제가 모아 두지 않고 바로 보내게 합니다(4단계).
    // Each reply is written whole, at once, so let the OS send it right away (step 4).
    call.set_nodelay(true)?;
    let mut reader = BufReader::with_capacity(BUF, call);
    let mut answered = 0;
    loop {
        let message = match protocol.read_message(&mut reader) {
            Ok(Some(message)) => message,
            Ok(None) => {
                let messages = if answered == 1 { "message" } else { "messages" };
                writeln!(
                    out,
                    "통화 종료 · {caller} hung up after {answered} {messages}"
                )?;
                return Ok(());
            }
            Err(e) => return read_failed(e, call, caller, protocol, patience, out),
        };
        writeln!(
            out,
            "{} from {caller}: {}",
            protocol.noun(),
            describe(&message)
        )?;
        if let Err(e) = reply(call, protocol, &message, patience) {
            return write_failed(e, call, caller, patience, out);
        }
        answered += 1;
    }
}

/// 답 하나를 메모리에서 다 만든 다음, write_all_within으로 한꺼번에 보냅니다.
/// Builds one reply in memory, then sends it all at once with `write_all_within`.
fn reply(call: &TcpStream, protocol: Protocol, message: &[u8], limit: Duration) -> io::Result<()> {
    let mut bytes = Vec::new();
    protocol.write_message(&mut bytes, message)?;
    write_all_within(call, &bytes, limit)
}
// ANCHOR_END: serve_call

// ANCHOR: read_failed
/// 읽기가 실패했을 때: 무엇이 잘못되었는지에 따라 통화를 끝냅니다.
/// When a read fails: ends the call in the way the failure calls for.
fn read_failed(
    error: io::Error,
    call: &TcpStream,
    caller: SocketAddr,
    protocol: Protocol,
    patience: Duration,
    out: &mut impl Write,
) -> Result<()> {
    match error.kind() {
        // 한도를 넘는 메시지: 이유를 말하고 끊습니다. 나머지를 읽지 않았으니 다음 메시지가
        // 어디서 시작하는지 알 수 없습니다.
        // An oversized message: say why, then hang up. We did not read the rest, so we no
        // longer know where the next message starts.
        ErrorKind::InvalidData => {
            writeln!(out, "거절 · refused {caller}: {error}")?;
            let reason = format!("오류 · error: {error}");
            // 상대가 이미 끊었어도 괜찮습니다 · fine if the caller is already gone.
            let _ = reply(call, protocol, reason.as_bytes(), patience);
            hang_up_politely(call);
            writeln!(out, "끊음 · hung up on {caller} after saying why")?;
        }
        ErrorKind::UnexpectedEof => writeln!(out, "잘린 메시지 · {caller}: {error}")?,
        // 유닉스는 WouldBlock, 윈도우는 TimedOut · Unix says WouldBlock, Windows TimedOut.
        ErrorKind::WouldBlock | ErrorKind::TimedOut => writeln!(
            out,
            "말이 없어 끊습니다 · {caller} said nothing for too long: hanging up"
        )?,
        _ if is_reset(&error) => report_reset(caller, out)?,
        _ => {
            return Err(error).with_context(|| format!("읽기 실패 · reading from {caller} failed"));
        }
    }
    Ok(())
}
// ANCHOR_END: read_failed

// ANCHOR: write_failed
/// 답을 쓰지 못했을 때: 먼저 끊고, 그다음에 로그에 씁니다.
/// When a reply could not be written: hang up first, then say so in the log.
fn write_failed(
    error: io::Error,
    call: &TcpStream,
    caller: SocketAddr,
    limit: Duration,
    out: &mut impl Write,
) -> Result<()> {
    // 로그가 "끊었다"고 말하는 순간에는 이미 끊겨 있습니다 · when the log says so, it is done.
    let _ = call.shutdown(Shutdown::Both);
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => writeln!(
            out,
            "답을 읽지 않아 끊었습니다 · {caller} did not read our reply within {limit:?}: hung up"
        )?,
        _ if is_reset(&error) => report_reset(caller, out)?,
        _ => {
            return Err(error).with_context(|| format!("쓰기 실패 · replying to {caller} failed"));
        }
    }
    Ok(())
}
// ANCHOR_END: write_failed

// ANCHOR: write_all_within
/// `bytes`를 모두 쓰되, 다 쓰기까지 `limit`을 넘기지 않습니다. 쓰기 제한 시간은 시스템 호출
/// 한 번마다 다시 시작되므로(조금씩이라도 나가면 새로 잽니다), 쓰기 전마다 남은 시간으로
/// 다시 정합니다. 시간이 다 되면 `TimedOut`.
/// Writes all of `bytes`, taking no longer than `limit` for the whole. A write timeout starts
/// again with every system call (any little progress resets it), so before each write we set
/// it to the time that is left. When none is left: `TimedOut`.
pub fn write_all_within(stream: &TcpStream, bytes: &[u8], limit: Duration) -> io::Result<()> {
    let deadline = Instant::now() + limit;
    let mut stream = stream;
    let mut rest = bytes;
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                ErrorKind::TimedOut,
                format!("{limit:?} 안에 다 쓰지 못했습니다 · not written within {limit:?}"),
            ));
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(rest) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            // 시간 초과는 다음 바퀴에서 남은 시간이 0이라 끝납니다 · a timeout ends next round.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: write_all_within

// ANCHOR: hang_up_politely
/// 거절한 뒤 끊는 법: 말하기를 닫고(이유는 이미 보냈습니다), 상대가 아직 보내는 것을
/// 잠시 읽어 버린 다음 끊습니다. 읽지 않은 바이트를 남긴 채 닫으면 운영체제가 리셋(RST)을
/// 보내고, 상대는 우리 이유를 읽기도 전에 "연결 리셋" 오류를 받을 수 있습니다.
/// How to hang up after refusing: stop talking (the reason is already sent), read and throw
/// away what the caller is still sending for a moment, then hang up. Closing with unread bytes
/// makes the OS send a reset (RST), and the caller may get "connection reset" before it has
/// read our reason.
fn hang_up_politely(call: &TcpStream) {
    let _ = call.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut trash = vec![0u8; BUF];
    let mut call = call;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || call.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match call.read(&mut trash) {
            Ok(0) => return, // 상대도 말을 마쳤습니다 · the caller is done too
            Ok(_) => {}      // 읽고 버립니다 · read and throw away
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}
// ANCHOR_END: hang_up_politely

fn is_reset(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

fn report_reset(caller: SocketAddr, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "상대가 연결을 강제로 끊었습니다 · {caller} reset the connection (the call dropped)"
    )
}

// ANCHOR: describe
/// 메시지를 사람이 읽을 수 있게 보여 줍니다. 긴 메시지는 앞부분만 보여 줍니다.
/// Shows a message for people; a long one by its beginning only.
pub fn describe(message: &[u8]) -> String {
    const LONG: usize = 160;
    const SHOWN: usize = 20;
    let n = message.len();
    let text = String::from_utf8_lossy(message);
    let shown = if text.chars().count() > LONG {
        text.chars().take(SHOWN).chain(['…']).collect()
    } else {
        text.into_owned()
    };
    // 메시지가 통째로 있으니 UTF-8인지 아닌지가 이제 뜻을 가집니다(3장의 조각과 달리).
    // We hold a whole message, so "valid UTF-8 or not" now means something (unlike
    // chapter 3's chunks).
    if std::str::from_utf8(message).is_ok() {
        format!("{shown:?} ({n} bytes)")
    } else {
        format!("{shown:?} ({n} bytes, not valid UTF-8: � marks the bytes)")
    }
}
// ANCHOR_END: describe

// ANCHOR: dial
/// 전화를 걸고, 읽기와 쓰기에 인내심을 정합니다. 메시지는 하나씩 통째로 쓰니 바로 보내게
/// 합니다(nodelay).
/// Dials, and sets patience for reads and writes. Each message is written whole, so it may
/// leave at once (nodelay).
pub fn dial(addr: SocketAddr, protocol: Protocol, patience: Duration) -> Result<TcpStream> {
    let phone = TcpStream::connect_timeout(&addr, patience)
        .map_err(|e| explain_dial_error(e, addr, protocol))?;
    phone.set_read_timeout(Some(patience))?;
    phone.set_write_timeout(Some(patience))?;
    phone.set_nodelay(true)?;
    Ok(phone)
}
// ANCHOR_END: dial

// ANCHOR: talk
/// 메시지를 모두 보내고 "내 말은 끝"이라고 알립니다.
/// Sends every message, then says "I'm done talking".
fn talk(phone: &TcpStream, protocol: Protocol, messages: &[Vec<u8>]) -> io::Result<()> {
    let mut writer = BufWriter::with_capacity(BUF, phone);
    for message in messages {
        protocol.write_message(&mut writer, message)?;
    }
    phone.shutdown(Shutdown::Write)
}

/// 서버가 끊을 때까지 답을 메시지 단위로 듣습니다.
/// Hears the replies, message by message, until the server hangs up.
fn hear(phone: &TcpStream, protocol: Protocol) -> io::Result<Vec<Vec<u8>>> {
    let mut reader = BufReader::with_capacity(BUF, phone);
    let mut replies = Vec::new();
    while let Some(reply) = protocol.read_message(&mut reader)? {
        replies.push(reply);
    }
    Ok(replies)
}
// ANCHOR_END: talk

// ANCHOR: call_talking_first
/// 4장의 방식: 다 말한 다음에야 듣습니다. 에코 서버에 많이 보내면 멈춥니다.
/// Chapter 4's way: hear only after talking. With a lot to send to an echo server, it stalls.
pub fn call_talking_first(
    addr: SocketAddr,
    protocol: Protocol,
    messages: &[Vec<u8>],
    patience: Duration,
) -> Result<Vec<Vec<u8>>> {
    let phone = dial(addr, protocol, patience)?;
    talk(&phone, protocol, messages).map_err(|e| explain_talk_error(e, addr, patience))?;
    hear(&phone, protocol).map_err(|e| explain_hear_error(e, addr, protocol))
}
// ANCHOR_END: call_talking_first

// ANCHOR: call
/// 말하기와 듣기를 동시에: 다른 스레드가 말하는 동안 이 스레드가 듣습니다.
/// Talks and hears at once: another thread talks while this one reads the replies.
pub fn call(
    addr: SocketAddr,
    protocol: Protocol,
    messages: &[Vec<u8>],
    patience: Duration,
) -> Result<Vec<Vec<u8>>> {
    let phone = dial(addr, protocol, patience)?;
    let phone = &phone;
    thread::scope(|scope| {
        let talker = scope.spawn(move || {
            let talked = talk(phone, protocol, messages);
            if talked.is_err() {
                // 더 말할 수 없으면 듣기도 멈춥니다 · if we cannot talk, stop reading too.
                let _ = phone.shutdown(Shutdown::Both);
            }
            talked
        });
        let heard = hear(phone, protocol);
        if heard.is_err() {
            // 더 들을 수 없으면 말하기도 멈춥니다 · if we cannot read, stop talking too.
            let _ = phone.shutdown(Shutdown::Both);
        }
        let talked = talker
            .join()
            .map_err(|_| anyhow!("말하는 스레드가 멈췄습니다 · the talking thread panicked"))?;
        let replies = heard.map_err(|e| explain_hear_error(e, addr, protocol))?;
        talked.map_err(|e| explain_talk_error(e, addr, patience))?;
        Ok(replies)
    })
}
// ANCHOR_END: call

fn explain_dial_error(error: io::Error, addr: SocketAddr, protocol: Protocol) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::ConnectionRefused => format!(
            "{addr}에서 기다리는 서버가 없습니다 (없는 번호) · nothing is listening on {addr} \
             (connection refused): start the server first with \
             `cargo run -p ch06_framing -- {}`",
            protocol.name()
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => format!(
            "신호만 가고 아무도 받지 않습니다 · no answer from {addr}: \
             is the address right? is a firewall dropping the call?"
        ),
        _ => format!("{addr}에 연결할 수 없습니다 · could not connect to {addr}"),
    };
    anyhow::Error::new(error).context(advice)
}

fn explain_talk_error(error: io::Error, addr: SocketAddr, patience: Duration) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
            "보내기가 멈췄습니다 · sending to {addr} stalled: nothing could be written for \
             {patience:?}, because the server stopped reading while its replies pile up \
             unread on our side; read while you talk"
        ),
        _ if is_reset(&error) => {
            format!("서버가 먼저 끊었습니다 · {addr} hung up before we finished talking")
        }
        _ => format!("보내기 실패 · sending to {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

fn explain_hear_error(error: io::Error, addr: SocketAddr, protocol: Protocol) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            format!("답을 기다리다 지쳤습니다 · {addr} stopped answering and did not hang up")
        }
        ErrorKind::ConnectionReset => {
            format!("서버가 연결을 강제로 끊었습니다 · {addr} reset the connection")
        }
        // 답이 우리 틀에 맞지 않습니다: 서버가 다른 프레이밍을 쓰는 것일 수 있습니다.
        // A reply that does not fit our framing: the server may speak the other one.
        ErrorKind::InvalidData | ErrorKind::UnexpectedEof => {
            let (ko, en) = mismatch_hint(protocol);
            format!("답을 읽지 못했습니다. {ko} · reading the replies from {addr} failed: {en}")
        }
        _ => format!("답을 읽지 못했습니다 · reading the replies from {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

// ANCHOR: explain_short_call
/// 서버가 모든 메시지에 답하기 전에 끊었다면 무엇이 일어났는지 말합니다(다 답했으면 `None`).
/// 답이 하나도 없으면 프레이밍이 서로 다를 가능성이 큽니다: 다른 프레이밍의 서버는 우리
/// 메시지의 끝을 찾지 못하고, 답 없이 끊습니다.
/// Says what happened when the server hung up before answering every message (`None` when it
/// answered them all). No reply at all most likely means the two sides frame differently: a
/// server of the other framing never finds where our message ends, and hangs up without a reply.
pub fn explain_short_call(protocol: Protocol, sent: usize, replies: &[Vec<u8>]) -> Option<String> {
    if replies.len() >= sent {
        return None;
    }
    let got = replies.len();
    if got > 0 {
        return Some(format!(
            "서버가 먼저 끊었습니다 · the server hung up after {got} of {sent} replies"
        ));
    }
    let (ko, en) = mismatch_hint(protocol);
    Some(format!(
        "서버가 답 없이 끊었습니다. {ko} · the server hung up after 0 of {sent} replies: {en}"
    ))
}

/// 프레이밍이 서로 다를 때의 안내, 한국어와 영어 · The advice for framings that may not
/// match, in Korean and in English.
fn mismatch_hint(protocol: Protocol) -> (String, String) {
    let (ours, other) = match protocol {
        Protocol::Lines => ("lines", "frames"),
        Protocol::Frames => ("frames", "lines"),
    };
    let ko = format!(
        "서버가 {other}를 쓰는 것 아닌가요? 양쪽의 프레이밍이 같아야 합니다: 서버를 \
         `cargo run -p ch06_framing -- {ours}`로 띄우거나, {other}로 거세요"
    );
    let en = format!(
        "does the server speak {other}? We speak {ours}, and both sides must frame alike: \
         start the server with `cargo run -p ch06_framing -- {ours}`, or call with `{other}`"
    );
    (ko, en)
}
// ANCHOR_END: explain_short_call
