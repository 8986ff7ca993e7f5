// 3장: 시드 튜토리얼의 에코 서버를 러스트로.
// Chapter 3: the seed tutorial's echo server, in Rust.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use anyhow::{Context, Result};

// ANCHOR: defaults
/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 한 번에 읽는 최대 바이트 수 (시드의 recv(1024)와 같음) · At most this many bytes per read.
pub const CHUNK: usize = 1024;
// ANCHOR_END: defaults

// ANCHOR: listen
/// 주소에 bind하고 벨을 켭니다. 실패하면 무엇을 할지 알려 줍니다.
/// Binds and listens; on failure, says what to do.
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

// ANCHOR: serve_one_call
/// 시드처럼 전화 한 통만 받습니다: 받은 바이트를 그대로 돌려주고, 상대가 끊으면 끝냅니다.
/// Like the seed, takes one call: echoes every byte back and returns when the caller hangs up.
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
// ANCHOR_END: serve_one_call

// ANCHOR: echo
/// 받은 그대로 돌려줍니다. 상대가 끊거나(0바이트) 연결을 리셋하면 돌아옵니다.
/// Echoes what arrives; returns when the caller hangs up (a 0-byte read) or resets.
pub fn echo(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    let mut buf = [0u8; CHUNK];
    loop {
        let n = match call.read(&mut buf) {
            // 0바이트 = 상대가 "내 말은 끝" · 0 bytes = the caller is done talking.
            Ok(0) => {
                writeln!(out, "통화 종료 · {caller} hung up")?;
                return Ok(());
            }
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if is_reset(&e) => return report_reset(caller, out),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        let chunk = &buf[..n];
        writeln!(out, "받음 · received from {caller}: {}", describe(chunk))?;
        // 바이트를 그대로 돌려줍니다: 출력용 해석은 에코에 손대지 않습니다.
        // The bytes go back untouched: how we print them never changes the echo.
        match call.write_all(chunk) {
            Ok(()) => {}
            Err(e) if is_reset(&e) => return report_reset(caller, out),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo

// ANCHOR: describe
/// 받은 조각을 사람이 읽을 수 있게 보여 줍니다. UTF-8이 아니면 그렇다고 말합니다.
/// Shows a chunk for people; says so when it is not valid UTF-8 on its own.
pub fn describe(chunk: &[u8]) -> String {
    let n = chunk.len();
    match std::str::from_utf8(chunk) {
        Ok(text) => format!("{text:?} ({n} bytes)"),
        Err(_) => {
            let shown = String::from_utf8_lossy(chunk);
            format!("{shown:?} ({n} bytes, not valid UTF-8 on its own: � marks the bytes)")
        }
    }
}
// ANCHOR_END: describe

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
