//! 11장 연습 문제의 참고 해답 · Reference solutions for chapter 11's exercises.

// `async fn` 대신 `impl Future`를 돌려주는 `fn`으로 씁니다: 같은 것이고, 시그니처가 무엇을
// 돌려주는지 그대로 보여 줍니다 · Written as `fn … -> impl Future` rather than `async fn`: the
// same thing, with the signature showing what it returns.
#![allow(clippy::manual_async_fn)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ch11_async::spin_until;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

// ANCHOR: read_within
/// 연습 11.1 · Exercise 11.1: 읽은 바이트(끊겼으면 빈 것), 또는 `limit` 안에 아무 말도 없으면
/// `None` · The bytes read (empty on a hang-up), or `None` if nothing came within `limit`.
pub fn read_within(call: &mut TcpStream, limit: Duration) -> impl Future<Output = Option<Vec<u8>>> {
    async move {
        let mut buf = vec![0u8; 1024];
        match tokio::time::timeout(limit, call.read(&mut buf)).await {
            Ok(Ok(n)) => {
                buf.truncate(n);
                Some(buf)
            }
            // 리셋 같은 오류도 통화의 끝입니다 · an error such as a reset ends the call too.
            Ok(Err(_)) => Some(Vec::new()),
            Err(_elapsed) => None,
        }
    }
}
// ANCHOR_END: read_within

// ANCHOR: spin_off_the_thread
/// 연습 11.2 · Exercise 11.2: 바쁜 일을 블로킹 전용 스레드로 보내고, 그 결과를 `.await`합니다
/// · Sends the busy job to a thread kept for blocking work and awaits its result.
pub fn spin_off_the_thread(done: Arc<AtomicBool>) -> impl Future<Output = u64> {
    async move {
        tokio::task::spawn_blocking(move || spin_until(&done))
            .await
            .unwrap_or(0)
    }
}
// ANCHOR_END: spin_off_the_thread
