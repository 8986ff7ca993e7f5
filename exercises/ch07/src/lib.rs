// 7장 연습 문제 · Chapter 7 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 7.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use ch07_threads::{echo, handle_call, next_call};

// 검사기도 이 이름들을 씁니다 · The checker uses these names too.
pub use ch07_threads::{Log, Switchboard};

/// 연습 7.1 · Exercise 7.1: 통화 수 세기 · Counting the calls.
pub fn serve_counting(
    listener: &TcpListener,
    board: &Switchboard,
    served: Arc<AtomicUsize>,
) -> Result<()> {
    // 시작점: serve_thread_per_call처럼 받지만, 통화를 받는 순간에 셉니다. 그래서 아직
    // 끝나지 않은 통화도 세어 버립니다.
    // Starting point: like serve_thread_per_call, but it counts a call when it is picked up,
    // so calls still going on count too.
    loop {
        let (mut call, caller) = next_call(listener, board);
        served.fetch_add(1, Ordering::SeqCst);
        let board = board.clone();
        thread::Builder::new()
            .spawn(move || handle_call(&mut call, caller, &board))
            .context("스레드를 만들 수 없습니다 · could not start a thread for the call")?;
    }
}

/// 연습 7.2 · Exercise 7.2: 통화 전체의 제한 시간 · A time limit for the whole call.
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
    // 시작점: 작업 스레드가 아직 없습니다. 전화 calls통을 받자마자 끊고 돌아옵니다.
    // Starting point: no workers yet; it picks up `calls` calls, hangs up on each at once,
    // and returns.
    let _ = workers;
    for _ in 0..calls {
        let (call, _caller) = next_call(listener, board);
        drop(call);
    }
    Ok(())
}
