// 3장 연습 문제 참고 해답 · Chapter 3 exercises: reference solutions.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use anyhow::{Context, Result};
use ch03_server::{CHUNK, describe, echo};

// ANCHOR: echo_upper
/// 연습 3.1: ASCII 소문자만 대문자로 · Exercise 3.1: only ASCII a–z become uppercase.
pub fn echo_upper(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    let mut buf = [0u8; CHUNK];
    loop {
        let n = match call.read(&mut buf) {
            Ok(0) => {
                writeln!(out, "통화 종료 · {caller} hung up")?;
                return Ok(());
            }
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if is_reset(&e) => return Ok(()),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        let chunk = &mut buf[..n];
        writeln!(out, "받음 · received from {caller}: {}", describe(chunk))?;
        // UTF-8의 멀티바이트 글자는 모두 0x80 이상이라 ASCII 글자와 헷갈릴 수 없습니다.
        // Every byte of a multi-byte UTF-8 character is 0x80 or above: never an ASCII letter.
        chunk.make_ascii_uppercase();
        match call.write_all(chunk) {
            Ok(()) => {}
            Err(e) if is_reset(&e) => return Ok(()),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo_upper

// ANCHOR: echo_counted
/// 연습 3.2: 돌려보낸 바이트 수를 셉니다 · Exercise 3.2: counts the bytes sent back.
pub fn echo_counted(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<u64> {
    let mut buf = [0u8; CHUNK];
    let mut total: u64 = 0;
    loop {
        let n = match call.read(&mut buf) {
            Ok(0) => {
                writeln!(
                    out,
                    "통화 종료 · {caller} hung up after {total} bytes echoed"
                )?;
                return Ok(total);
            }
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if is_reset(&e) => return Ok(total),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        writeln!(
            out,
            "받음 · received from {caller}: {}",
            describe(&buf[..n])
        )?;
        match call.write_all(&buf[..n]) {
            // 돌려보낸 뒤에만 셉니다 · count only what went back.
            Ok(()) => total += n as u64,
            Err(e) if is_reset(&e) => return Ok(total),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo_counted

// ANCHOR: serve_calls
/// 연습 3.3: n통을 차례로 받습니다 · Exercise 3.3: n calls, one after another.
pub fn serve_calls(
    listener: &TcpListener,
    n: usize,
    out: &mut impl Write,
) -> Result<Vec<SocketAddr>> {
    let mut callers = Vec::with_capacity(n);
    for _ in 0..n {
        let (mut call, caller) = listener
            .accept()
            .context("전화를 받지 못했습니다 · accept failed")?;
        writeln!(out, "접속한 클라이언트 · connected by {caller}")?;
        // echo는 리셋을 Ok로 바꾸므로 다음 통화로 넘어갈 수 있습니다.
        // echo turns a reset into Ok, so we go on to the next call.
        echo(&mut call, caller, out)?;
        callers.push(caller);
    }
    Ok(callers)
}
// ANCHOR_END: serve_calls

fn is_reset(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}
