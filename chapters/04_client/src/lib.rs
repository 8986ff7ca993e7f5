// 4장: 시드 튜토리얼의 클라이언트를 러스트로 — 답을 끝까지 읽습니다.
// Chapter 4: the seed tutorial's client, in Rust — reading the whole reply.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result};

/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 시드 클라이언트가 보내는 말 · What the seed client says.
pub const DEFAULT_MESSAGE: &str = "안녕!";

/// 신호만 가고 아무도 받지 않을 때 기다리는 시간 · How long to let it ring.
pub const PATIENCE: Duration = Duration::from_secs(5);

// ANCHOR: call
/// 전화를 걸어 말하고, "내 말은 끝"이라고 알린 뒤, 상대가 끊을 때까지 답을 모두 듣습니다.
/// Dials, talks, says "I'm done talking", then hears the reply until the server hangs up.
pub fn call(addr: SocketAddr, message: &[u8], patience: Duration) -> Result<Vec<u8>> {
    // ANCHOR: dial
    let mut phone =
        TcpStream::connect_timeout(&addr, patience).map_err(|e| explain_dial_error(e, addr))?;
    // ANCHOR_END: dial
    phone.set_read_timeout(Some(patience))?;
    // 쓰기에도 인내심을: 큰 메시지는 에코 서버와 서로 쓰기만 기다리며 멈출 수 있습니다.
    // Patience for writes too: a big message can stall both sides against an echo server.
    phone.set_write_timeout(Some(patience))?;

    phone
        .write_all(message)
        .map_err(|e| explain_write_error(e, addr, message.len()))?;
    hear_the_reply(&mut phone, addr)
}
// ANCHOR_END: call

// ANCHOR: hear_the_reply
/// "내 말은 끝"이라고 알리고, 상대가 끊을 때까지 답을 모두 읽습니다.
/// Says "I'm done talking", then reads the whole reply until the server hangs up.
pub fn hear_the_reply(phone: &mut TcpStream, addr: SocketAddr) -> Result<Vec<u8>> {
    // ANCHOR: half_close
    // 쓰기 방향만 닫습니다: 서버는 0바이트를 읽고 "말이 끝났다"는 것을 압니다.
    // Close our sending side only: the server reads 0 bytes and knows we are done.
    let peer_gone = match phone.shutdown(Shutdown::Write) {
        Ok(()) => false,
        // 상대가 이미 연결을 리셋했으면 운영체제는 "연결 안 됨"이라고 답합니다. 리셋은 읽기가 알립니다.
        // If the peer has already reset the call, the OS says "not connected"; the read reports it.
        Err(e) if e.kind() == ErrorKind::NotConnected => true,
        Err(e) => {
            return Err(e)
                .context("쓰기 방향을 닫지 못했습니다 · could not shut down the sending side");
        }
    };
    // ANCHOR_END: half_close

    // ANCHOR: read_all
    // recv(1024) 한 번이 아니라, 상대가 끊을 때(EOF)까지 읽습니다.
    // Not one recv(1024): read until the server hangs up (EOF).
    let mut reply = Vec::new();
    match phone.read_to_end(&mut reply) {
        // 리셋을 이미 누가 읽어 갔다면 끝(EOF)만 남습니다. 그래도 리셋입니다.
        // If someone already took the reset, only the end (EOF) is left: it is still a reset.
        Ok(_) if peer_gone => Err(explain_read_error(
            ErrorKind::ConnectionReset.into(),
            addr,
            reply.len(),
        )),
        Ok(_) => Ok(reply),
        Err(e) => Err(explain_read_error(e, addr, reply.len())),
    }
    // ANCHOR_END: read_all
}
// ANCHOR_END: hear_the_reply

// ANCHOR: explain_dial_error
/// 연결 실패를 무엇이 일어났고 무엇을 할지로 바꿉니다.
/// Turns a failed dial into what happened and what to do.
pub fn explain_dial_error(error: std::io::Error, addr: SocketAddr) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::ConnectionRefused => format!(
            "{addr}에서 기다리는 서버가 없습니다 (없는 번호) · nothing is listening on {addr} \
             (connection refused): start the server first with `cargo run -p ch03_server`"
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => format!(
            "신호만 가고 아무도 받지 않습니다 · no answer from {addr}: \
             is the address right? is a firewall dropping the call?"
        ),
        _ => format!("{addr}에 연결할 수 없습니다 · could not connect to {addr}"),
    };
    anyhow::Error::new(error).context(advice)
}
// ANCHOR_END: explain_dial_error

fn explain_write_error(error: std::io::Error, addr: SocketAddr, len: usize) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
            "보내기가 멈췄습니다 · sending {len} bytes to {addr} stalled: the server stopped \
             reading, most likely because it is echoing into our unread replies; \
             send less at once, or read the replies while you send"
        ),
        _ => format!("보내기 실패 · sending the message to {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

fn explain_read_error(error: std::io::Error, addr: SocketAddr, got: usize) -> anyhow::Error {
    let advice = match error.kind() {
        // 유닉스는 WouldBlock, 윈도우는 TimedOut으로 알립니다 · Unix says WouldBlock, Windows TimedOut.
        ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
            "답을 기다리다 지쳤습니다 · {addr} stopped answering ({got} bytes so far) \
             and did not hang up: is it really an echo server?"
        ),
        ErrorKind::ConnectionReset => format!(
            "서버가 연결을 강제로 끊었습니다 · {addr} reset the connection ({got} bytes so far)"
        ),
        _ => format!("답을 읽지 못했습니다 · reading the reply from {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}

// ANCHOR: show_reply
/// 받은 답을 시드처럼 보여 줍니다: Received '안녕!'. UTF-8이 아니면 그렇다고 말합니다.
/// Shows the reply as the seed does; says so when it is not valid UTF-8.
pub fn show_reply(reply: &[u8]) -> String {
    match std::str::from_utf8(reply) {
        Ok(text) => format!("받은 답 · Received {text:?}"),
        Err(_) => format!(
            "받은 답 · Received {:?} (not valid UTF-8: � marks the bytes)",
            String::from_utf8_lossy(reply)
        ),
    }
}
// ANCHOR_END: show_reply
