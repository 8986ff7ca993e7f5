//! 11장 연습 문제 검사 · Checks for chapter 11.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::{Code, Exercise, Failure, Outcome, dial, expect_eq, fail, loopback_listener};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "11.1",
        title: "제한 시간 걸고 읽기 · A read with a timeout",
        file: "exercises/ch11/src/lib.rs",
        function: "read_within",
        check: check_11_1,
    },
    Exercise {
        id: "11.2",
        title: "바쁜 일은 spawn_blocking으로 · Busy work goes to spawn_blocking",
        file: "exercises/ch11/src/lib.rs",
        function: "spin_off_the_thread",
        check: check_11_2,
    },
];

const SECOND: Duration = Duration::from_secs(1);

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("build a tokio runtime", "a runtime", e))
}

/// 상대가 `peer`대로 행동하는 통화에서 `read_within(call, 1 s)`을 부릅니다 · Calls
/// `read_within(call, 1 s)` on a call whose peer behaves as `peer` says.
fn read_with(
    code: Code,
    peer: impl FnOnce(std::net::TcpStream) -> Option<std::net::TcpStream>,
) -> Result<Option<Vec<u8>>, Failure> {
    let (listener, addr) = loopback_listener()?;
    let caller = dial(addr)?;
    let _kept = peer(caller);
    let runtime = runtime()?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| fail("set_nonblocking", "ok", e))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| fail("hand the listener to tokio", "ok", e))?;
        let (mut call, _) = listener
            .accept()
            .await
            .map_err(|e| fail("accept", "a call", e))?;
        let read = match code {
            Code::Yours => ch11_exercises::read_within(&mut call, SECOND).await,
            Code::Reference => ch11_solutions::read_within(&mut call, SECOND).await,
        };
        Ok(read)
    })
}

fn check_11_1(code: Code) -> Outcome {
    let said = read_with(code, |mut peer| {
        let _ = peer.write_all(b"hi");
        Some(peer)
    })?;
    expect_eq("the caller says \"hi\"", Some(b"hi".to_vec()), said)?;
    let hung_up = read_with(code, |_| None)?;
    expect_eq("the caller hangs up", Some(Vec::new()), hung_up)?;
    let silent = read_with(code, Some)?;
    expect_eq("the caller says nothing (limit 1 s)", None, silent)
}

fn check_11_2(code: Code) -> Outcome {
    let done = Arc::new(AtomicBool::new(false));
    let (ticked, tick) = mpsc::channel();
    let flag = Arc::clone(&done);
    let runner = thread::spawn(move || -> Result<(), Failure> {
        runtime()?.block_on(async move {
            let busy = tokio::spawn(match code {
                Code::Yours => Box::pin(ch11_exercises::spin_off_the_thread(Arc::clone(&flag)))
                    as std::pin::Pin<Box<dyn std::future::Future<Output = u64> + Send>>,
                Code::Reference => Box::pin(ch11_solutions::spin_off_the_thread(Arc::clone(&flag))),
            });
            // 바쁜 일이 도는 동안 이 태스크가 돌 수 있어야 합니다 · this task must get to run
            // while the busy job spins.
            tokio::task::yield_now().await;
            let _ = ticked.send(());
            let _ = busy.await;
        });
        Ok(())
    });
    // 스레드 하나짜리 런타임: 바쁜 일이 스레드를 쥐면 신호가 오지 않습니다.
    // A one-thread runtime: if the busy job holds the thread, no tick comes.
    let heard = tick.recv_timeout(5 * SECOND).is_ok();
    done.store(true, Ordering::Relaxed); // 어느 쪽이든 바쁜 일을 멈춥니다 · stop the job either way
    let _ = runner.join();
    expect_eq(
        "another task on the same one-thread runtime runs while the busy job spins",
        true,
        heard,
    )
}
