// 4장 연습 문제 · Chapter 4 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 4.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Result;
use ch04_client::call;

/// 연습 4.1 · Exercise 4.1: 여러 번 걸기 · Several calls.
pub fn call_many(addr: SocketAddr, messages: &[&str], patience: Duration) -> Result<Vec<String>> {
    // 시작점: 첫 메시지로 한 통만 걸고, 답을 손실 변환(lossy)합니다.
    // Starting point: one call, with the first message only, and a lossy String.
    let Some(first) = messages.first() else {
        return Ok(Vec::new());
    };
    let reply = call(addr, first.as_bytes(), patience)?;
    Ok(vec![String::from_utf8_lossy(&reply).into_owned()])
}

/// 연습 4.2 · Exercise 4.2: 보낸 만큼만 읽기 · Read exactly as much as you sent.
pub fn call_exact(addr: SocketAddr, message: &[u8], patience: Duration) -> Result<Vec<u8>> {
    // 시작점: call 그대로, 쓰기 방향을 닫고 서버가 끊을 때까지 읽습니다.
    // Starting point: plain call, which half-closes and reads until the server hangs up.
    call(addr, message, patience)
}

/// 연습 4.3 · Exercise 4.3: 읽은 횟수 세기 · Count the reads.
pub fn call_counting_reads(
    addr: SocketAddr,
    message: &[u8],
    patience: Duration,
) -> Result<(Vec<u8>, usize)> {
    // 시작점: call의 read_to_end로 읽고, 횟수는 세지 않습니다.
    // Starting point: reads with call's read_to_end, and does not count.
    let reply = call(addr, message, patience)?;
    Ok((reply, 0))
}
