// 7장 연습 문제 참고 해답 · Chapter 7 exercises: reference solutions.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ch07_threads::{CHUNK, Switchboard, handle_call, is_reset, next_call, timed_out};

// ANCHOR: serve_counting
/// 연습 7.1: 끝난 통화를 셉니다 · Exercise 7.1: counts the calls that have ended.
pub fn serve_counting(
    listener: &TcpListener,
    board: &Switchboard,
    served: Arc<AtomicUsize>,
) -> Result<()> {
    loop {
        let (mut call, caller) = next_call(listener, board);
        let board_for_call = board.clone();
        let served = Arc::clone(&served);
        let started = thread::Builder::new().spawn(move || {
            handle_call(&mut call, caller, &board_for_call);
            // 통화가 어떻게 끝났든 여기에 옵니다: handle_call은 오류를 돌려주지 않습니다.
            // However the call ended, we get here: handle_call returns no error.
            served.fetch_add(1, Ordering::SeqCst);
        });
        if let Err(e) = started {
            board.log.line(&format!(
                "스레드를 만들 수 없습니다 · no thread for {caller}: {e}"
            ));
        }
    }
}
// ANCHOR_END: serve_counting

// ANCHOR: echo_within
/// 연습 7.2: 통화 전체가 `limit`을 넘지 않습니다 · Exercise 7.2: the whole call within `limit`.
pub fn echo_within(call: &mut TcpStream, limit: Duration) -> Result<u64> {
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; CHUNK];
    let mut echoed = 0;
    loop {
        // 읽기마다 남은 시간만큼만 기다립니다 · each read waits only for the time left.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(echoed);
        }
        call.set_read_timeout(Some(left))?;
        call.set_write_timeout(Some(left))?;
        let n = match call.read(&mut buf) {
            Ok(0) => return Ok(echoed),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if timed_out(&e) || is_reset(&e) => return Ok(echoed),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        match call.write_all(&buf[..n]) {
            Ok(()) => echoed += n as u64,
            Err(e) if timed_out(&e) || is_reset(&e) => return Ok(echoed),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo_within

// ANCHOR: serve_then_close
/// 연습 7.3: `calls`통을 받고, 문을 닫고, 모든 통화가 끝나면 돌아옵니다.
/// Exercise 7.3: takes `calls` calls, closes, and returns once every call has ended.
pub fn serve_then_close(
    listener: &TcpListener,
    workers: usize,
    calls: usize,
    board: &Switchboard,
) -> Result<()> {
    let (hand_over, waiting) = mpsc::sync_channel::<(TcpStream, SocketAddr)>(workers);
    let waiting = Arc::new(Mutex::new(waiting));
    let mut crew = Vec::new();
    for _ in 0..workers {
        let waiting = Arc::clone(&waiting);
        let board = board.clone();
        let worker = thread::Builder::new()
            .spawn(move || {
                loop {
                    let next = waiting
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    // 줄이 비었고 보내는 쪽도 사라지면 Err: 퇴근입니다.
                    // Err once the line is empty and the sender is gone: time to go home.
                    let Ok((mut call, caller)) = next else { return };
                    handle_call(&mut call, caller, &board);
                }
            })
            .context("작업 스레드를 만들 수 없습니다 · could not start a worker thread")?;
        crew.push(worker);
    }
    for _ in 0..calls {
        // 자리가 없으면 send가 기다립니다: 그동안 건 사람들은 대기 중인 통화로 남습니다.
        // With no room, send waits; meanwhile new callers stay in the backlog.
        hand_over
            .send(next_call(listener, board))
            .context("작업 스레드가 모두 멈췄습니다 · every worker has stopped")?;
    }
    // 보내는 쪽을 버립니다: 더 올 통화가 없다는 뜻입니다 · drop the sender: no more calls.
    drop(hand_over);
    for worker in crew {
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("작업 스레드가 패닉했습니다 · a worker panicked"))?;
    }
    Ok(())
}
// ANCHOR_END: serve_then_close
