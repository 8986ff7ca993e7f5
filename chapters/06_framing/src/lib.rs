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

/// 받아 주는 가장 긴 프레임(머리 4바이트 제외): 1 MiB · The longest frame we accept,
/// without its 4-byte header.
pub const MAX_FRAME: usize = 1024 * 1024;
// ANCHOR_END: limits

/// 서버가 말없는 발신자를 기다리는 시간 · How long the server waits on a silent caller.
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
    writer.write_all(message)?;
    writer.write_all(b"\n")?;
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
/// 길이를 4바이트 빅 엔디언 머리로 바꿉니다 · Turns a length into a 4-byte big-endian header.
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
    writer.write_all(&frame_header(message.len())?)?;
    writer.write_all(message)?;
    writer.flush()
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// 프레임 하나를 읽어 메시지를 돌려줍니다.
/// Reads one frame and returns its message.
///
/// - `Ok(None)`: 프레임과 프레임 사이에서 통화가 끝났습니다 · the call ended between frames.
/// - `InvalidData`: 머리가 말하는 길이가 `max`를 넘습니다 · the header announces more than `max`.
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
                    "프레임 머리 중간에 통화가 끝났습니다 · the call ended inside a frame header \
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

/// 머리 4바이트를 채울 때까지 읽고, 채운 바이트 수를 돌려줍니다(EOF면 4보다 적음).
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
             the first argument is lines or frames"
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
    // 한 번에 한 통만 받으므로, 말없는 발신자가 뒤의 모두를 영원히 막으면 안 됩니다.
    // We take one call at a time: a silent caller must not hold up everyone else forever.
    call.set_read_timeout(Some(patience))?;
    call.set_write_timeout(Some(patience))?;
    let mut reader = BufReader::new(call);
    let mut writer = BufWriter::new(call);
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
            Err(e) => return read_failed(e, call, &mut writer, caller, protocol, out),
        };
        writeln!(
            out,
            "{} from {caller}: {}",
            protocol.noun(),
            describe(&message)
        )?;
        if let Err(e) = protocol.write_message(&mut writer, &message) {
            return write_failed(e, caller, out);
        }
        answered += 1;
    }
}
// ANCHOR_END: serve_call

// ANCHOR: read_failed
/// 읽기가 실패했을 때: 무엇이 잘못되었는지에 따라 통화를 끝냅니다.
/// When a read fails: ends the call in the way the failure calls for.
fn read_failed(
    error: io::Error,
    call: &TcpStream,
    writer: &mut impl Write,
    caller: SocketAddr,
    protocol: Protocol,
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
            let _ = protocol.write_message(writer, reason.as_bytes());
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

fn write_failed(error: io::Error, caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => writeln!(
            out,
            "답을 듣지 않아 끊습니다 · {caller} stopped reading our replies: hanging up"
        )?,
        _ if is_reset(&error) => report_reset(caller, out)?,
        _ => {
            return Err(error).with_context(|| format!("쓰기 실패 · replying to {caller} failed"));
        }
    }
    Ok(())
}

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
    let mut trash = [0u8; 8192];
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
/// 전화를 걸고, 읽기와 쓰기에 인내심을 정합니다 · Dials, and sets patience for reads and writes.
fn dial(addr: SocketAddr, protocol: Protocol, patience: Duration) -> Result<TcpStream> {
    let phone = TcpStream::connect_timeout(&addr, patience)
        .map_err(|e| explain_dial_error(e, addr, protocol))?;
    phone.set_read_timeout(Some(patience))?;
    phone.set_write_timeout(Some(patience))?;
    Ok(phone)
}
// ANCHOR_END: dial

// ANCHOR: talk
/// 메시지를 모두 보내고 "내 말은 끝"이라고 알립니다.
/// Sends every message, then says "I'm done talking".
fn talk(phone: &TcpStream, protocol: Protocol, messages: &[Vec<u8>]) -> io::Result<()> {
    let mut writer = BufWriter::new(phone);
    for message in messages {
        protocol.write_message(&mut writer, message)?;
    }
    phone.shutdown(Shutdown::Write)
}

/// 서버가 끊을 때까지 답을 메시지 단위로 듣습니다.
/// Listens for replies, message by message, until the server hangs up.
fn hear(phone: &TcpStream, protocol: Protocol) -> io::Result<Vec<Vec<u8>>> {
    let mut reader = BufReader::new(phone);
    let mut replies = Vec::new();
    while let Some(reply) = protocol.read_message(&mut reader)? {
        replies.push(reply);
    }
    Ok(replies)
}
// ANCHOR_END: talk

// ANCHOR: call_talking_first
/// 4장의 방식: 다 말한 다음에야 듣습니다. 에코 서버에 많이 보내면 멈춥니다.
/// Chapter 4's way: listen only after talking. With a lot to send to an echo server, it stalls.
pub fn call_talking_first(
    addr: SocketAddr,
    protocol: Protocol,
    messages: &[Vec<u8>],
    patience: Duration,
) -> Result<Vec<Vec<u8>>> {
    let phone = dial(addr, protocol, patience)?;
    talk(&phone, protocol, messages).map_err(|e| explain_talk_error(e, addr, patience))?;
    hear(&phone, protocol).map_err(|e| explain_hear_error(e, addr))
}
// ANCHOR_END: call_talking_first

// ANCHOR: call
/// 말하기와 듣기를 동시에: 다른 스레드가 말하는 동안 이 스레드가 듣습니다.
/// Talks and listens at once: another thread talks while this one listens.
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
                // 더 말할 수 없으면 듣기도 멈춥니다 · if we cannot talk, stop listening too.
                let _ = phone.shutdown(Shutdown::Both);
            }
            talked
        });
        let heard = hear(phone, protocol);
        if heard.is_err() {
            // 더 들을 수 없으면 말하기도 멈춥니다 · if we cannot listen, stop talking too.
            let _ = phone.shutdown(Shutdown::Both);
        }
        let talked = talker
            .join()
            .map_err(|_| anyhow!("말하는 스레드가 멈췄습니다 · the talking thread panicked"))?;
        let replies = heard.map_err(|e| explain_hear_error(e, addr))?;
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
             unread on our side; listen while you talk"
        ),
        _ if is_reset(&error) => {
            format!("서버가 먼저 끊었습니다 · {addr} hung up before we finished talking")
        }
        _ => format!("보내기 실패 · sending to {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

fn explain_hear_error(error: io::Error, addr: SocketAddr) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            format!("답을 기다리다 지쳤습니다 · {addr} stopped answering and did not hang up")
        }
        ErrorKind::ConnectionReset => {
            format!("서버가 연결을 강제로 끊었습니다 · {addr} reset the connection")
        }
        _ => format!("답을 읽지 못했습니다 · reading the replies from {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

/// 주소(없으면 기본값)를 읽습니다 · Reads an address, or the default.
pub fn parse_addr(arg: Option<String>) -> Result<SocketAddr> {
    let text = arg.unwrap_or_else(|| DEFAULT_ADDR.to_string());
    text.parse().with_context(|| {
        format!("주소 형식이 아닙니다 · {text:?} is not an address like 127.0.0.1:9999")
    })
}

/// 서버의 인자: `[lines|frames] [ADDR]` · The server's arguments.
pub fn parse_server_args(args: impl IntoIterator<Item = String>) -> Result<(Protocol, SocketAddr)> {
    let mut args = args.into_iter();
    let protocol = match args.next() {
        Some(name) => parse_protocol(&name)?,
        None => Protocol::Lines,
    };
    let addr = parse_addr(args.next())?;
    if let Some(extra) = args.next() {
        bail!(
            "인자가 너무 많습니다 · unexpected argument {extra:?}: usage is [lines|frames] [ADDR]"
        );
    }
    Ok((protocol, addr))
}

/// 클라이언트의 인자 · The client's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientArgs {
    pub protocol: Protocol,
    pub addr: SocketAddr,
    pub messages: Vec<Vec<u8>>,
}

/// 클라이언트의 인자: `[lines|frames] [--to ADDR] [MESSAGE...]`; 메시지가 없으면 "안녕!".
/// The client's arguments; with no message, it says "안녕!".
pub fn parse_client_args(args: impl IntoIterator<Item = String>) -> Result<ClientArgs> {
    let mut args = args.into_iter();
    let protocol = match args.next() {
        Some(name) => parse_protocol(&name)?,
        None => Protocol::Lines,
    };
    let mut addr = None;
    let mut messages = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--to" {
            let text = args.next().context(
                "--to 뒤에 주소가 없습니다 · --to needs an address, like --to 127.0.0.1:9998",
            )?;
            addr = Some(text);
        } else {
            messages.push(arg.into_bytes());
        }
    }
    if messages.is_empty() {
        messages.push("안녕!".as_bytes().to_vec());
    }
    Ok(ClientArgs {
        protocol,
        addr: parse_addr(addr)?,
        messages,
    })
}
