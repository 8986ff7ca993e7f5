// 7장 연습 문제 · Chapter 7 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 7.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use anyhow::Result;
use ch07_threads::{QUEUE, echo, serve_pool, serve_thread_per_call};

// 검사기도 이 이름들을 씁니다 · The checker uses these names too.
pub use ch07_threads::{Log, Switchboard};

/// 연습 7.1 · Exercise 7.1: 통화 수 세기 · Counting the calls.
pub fn serve_counting(
    listener: &TcpListener,
    board: &Switchboard,
    served: Arc<AtomicUsize>,
) -> Result<()> {
    // 시작점: 통화는 받지만 세지 않습니다 · Starting point: takes calls, counts nothing.
    let _ = served;
    serve_thread_per_call(listener, board)
}

/// 연습 7.2 · Exercise 7.2: 통화 시간 제한 · A time limit for the whole call.
pub fn echo_within(call: &mut TcpStream, limit: Duration) -> Result<u64> {
    // 시작점: limit을 읽기 한 번마다의 제한으로 씁니다 · Starting point: uses limit per read.
    let (_, echoed) = echo(call, limit)?;
    Ok(echoed)
}

/// 연습 7.3 (도전) · Exercise 7.3 (stretch): 영업 끝 · Closing time.
pub fn serve_then_close(
    listener: &TcpListener,
    workers: usize,
    calls: usize,
    board: &Switchboard,
) -> Result<()> {
    // 시작점: 풀로 받지만, 끝나지 않습니다 · Starting point: a pool that never closes.
    let _ = calls;
    serve_pool(listener, workers, QUEUE, board)
}
