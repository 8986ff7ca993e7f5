// 11장 연습 문제 · Chapter 11 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 11.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

// `async fn` 대신 `impl Future`를 돌려주는 `fn`으로 씁니다: 같은 것이고, 시그니처가 무엇을
// 돌려주는지 그대로 보여 줍니다 · Written as `fn … -> impl Future` rather than `async fn`: the
// same thing, with the signature showing what it returns.
#![allow(clippy::manual_async_fn)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ch11_async::spin_until;
use tokio::net::TcpStream;

/// 연습 11.1 · Exercise 11.1: 제한 시간 걸고 읽기 · A read with a timeout
pub fn read_within(call: &mut TcpStream, limit: Duration) -> impl Future<Output = Option<Vec<u8>>> {
    async move {
        // 시작점: 읽지 않고 "시간 초과"라고만 합니다. tokio::time::timeout으로 read를 감싸세요.
        // Starting point: never reads, just says "timed out". Wrap a read in tokio::time::timeout.
        let _ = (call, limit);
        None
    }
}

/// 연습 11.2 · Exercise 11.2: 바쁜 일은 spawn_blocking으로 · Busy work goes to spawn_blocking
pub fn spin_off_the_thread(done: Arc<AtomicBool>) -> impl Future<Output = u64> {
    async move {
        // 시작점: 런타임의 스레드에서 그대로 돌립니다. 그동안 다른 태스크는 멈춥니다.
        // Starting point: spins right on the runtime's thread; every other task stops meanwhile.
        spin_until(&done)
    }
}
