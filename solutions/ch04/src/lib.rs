// 4장 연습 문제 참고 해답 · Chapter 4 exercises: reference solutions.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result};
use ch04_client::{call, explain_dial_error};

// ANCHOR: call_many
/// 연습 4.1: 메시지마다 한 통씩, 차례로 · Exercise 4.1: one call per message, in order.
pub fn call_many(addr: SocketAddr, messages: &[&str], patience: Duration) -> Result<Vec<String>> {
    let mut replies = Vec::with_capacity(messages.len());
    for message in messages {
        // ?는 처음 실패한 통화에서 멈춥니다 · `?` stops at the first failed call.
        let reply = call(addr, message.as_bytes(), patience)?;
        // 손실 변환 대신 오류로 · an error, not a lossy string.
        let text = String::from_utf8(reply).with_context(|| {
            format!(
                "답이 UTF-8 텍스트가 아닙니다 · the reply from {addr} to {message:?} \
                 is not valid UTF-8"
            )
        })?;
        replies.push(text);
    }
    Ok(replies)
}
// ANCHOR_END: call_many

// ANCHOR: call_exact
/// 연습 4.2: 보낸 만큼만 읽고, 끊기를 기다리지 않습니다.
/// Exercise 4.2: reads as many bytes as it sent, without waiting for a hang-up.
pub fn call_exact(addr: SocketAddr, message: &[u8], patience: Duration) -> Result<Vec<u8>> {
    let mut phone =
        TcpStream::connect_timeout(&addr, patience).map_err(|e| explain_dial_error(e, addr))?;
    phone.set_read_timeout(Some(patience))?;
    phone.set_write_timeout(Some(patience))?;
    phone
        .write_all(message)
        .with_context(|| format!("보내기 실패 · sending the message to {addr} failed"))?;
    // 쓰기 방향을 닫지 않습니다: 에코의 길이를 이미 압니다.
    // No half-close: we already know how long the echo is.
    let mut reply = vec![0; message.len()];
    phone.read_exact(&mut reply).with_context(|| {
        format!(
            "{}바이트를 모두 돌려받지 못했습니다 · {addr} did not send back all {} bytes",
            message.len(),
            message.len()
        )
    })?;
    Ok(reply)
}
// ANCHOR_END: call_exact

// ANCHOR: call_counting_reads
/// 연습 4.3: 1024바이트씩 직접 읽으며 횟수를 셉니다.
/// Exercise 4.3: reads 1024 bytes at a time by hand, counting the reads.
pub fn call_counting_reads(
    addr: SocketAddr,
    message: &[u8],
    patience: Duration,
) -> Result<(Vec<u8>, usize)> {
    let mut phone =
        TcpStream::connect_timeout(&addr, patience).map_err(|e| explain_dial_error(e, addr))?;
    phone.set_read_timeout(Some(patience))?;
    phone.set_write_timeout(Some(patience))?;
    phone
        .write_all(message)
        .with_context(|| format!("보내기 실패 · sending the message to {addr} failed"))?;
    phone
        .shutdown(Shutdown::Write)
        .context("쓰기 방향을 닫지 못했습니다 · could not shut down the sending side")?;

    // 시드의 recv(1024)처럼 · like the seed's recv(1024)
    let mut buf = [0u8; 1024];
    let mut reply = Vec::new();
    let mut reads = 0;
    loop {
        match phone.read(&mut buf) {
            // 0바이트: 서버가 끊었습니다 (세지 않습니다) · 0 bytes: hung up (not counted).
            Ok(0) => return Ok((reply, reads)),
            Ok(n) => {
                reply.extend_from_slice(&buf[..n]);
                reads += 1;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "답을 읽지 못했습니다 · reading the reply from {addr} failed \
                         ({} bytes in {reads} reads so far)",
                        reply.len()
                    )
                });
            }
        }
    }
}
// ANCHOR_END: call_counting_reads
