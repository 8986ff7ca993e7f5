//! 11장: 교환원 한 명 · Chapter 11: one operator, many lines (async with tokio).
//!
//! 7장의 에코 서버를 tokio 위에 다시 씁니다. 통화마다 스레드 대신 통화마다 태스크(task)를 둡니다.
//! Chapter 7's echo server rewritten on tokio: a task per call instead of a thread per call.

use std::future::Future;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::timeout;

// 7장에서 그대로 가져옵니다: 한 줄씩 쓰는 로그 · Kept from chapter 7 as is: the line log.
pub use ch07_threads::Log;

/// 주소를 주지 않을 때 쓰는 주소 · The address used when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

// ANCHOR: chunk
/// 한 번에 읽는 양. 7장의 64 KiB보다 작습니다: 통화 10,000개면 버퍼만 10,000개입니다.
/// How much one read takes. Smaller than chapter 7's 64 KiB: 10,000 calls means 10,000 buffers.
pub const CHUNK: usize = 4 * 1024;
// ANCHOR_END: chunk

/// 서버가 종료할 때 아직 통화 중인 사람에게 하는 말 (10장과 같음) · What a caller still on the
/// line hears when the server shuts down (as in chapter 10).
pub const GOODBYE: &str = "서버가 종료됩니다 · server shutting down\n";

// ANCHOR: limits
/// 서버의 한도 · The server's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// 말없는 상대를 기다리는 최대 시간 · how long a silent caller may hold a line
    pub idle: Duration,
    /// 종료 요청 뒤 진행 중인 통화를 기다리는 시간 · how long calls in progress may go on after
    /// a stop is requested
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            idle: Duration::from_secs(30),
            grace: Duration::from_secs(5),
        }
    }
}
// ANCHOR_END: limits

/// "30" 같은 초를 읽습니다 · Reads a number of seconds such as "30".
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<u64>() {
        Ok(seconds @ 1..=3600) => Ok(Duration::from_secs(seconds)),
        _ => Err(format!(
            "초는 1부터 3600까지의 정수입니다 · {text:?} is not a number of seconds from 1 to 3600"
        )),
    }
}

/// 통화가 어떻게 끝났는지 · How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// 상대가 끊었습니다 · the caller hung up
    HungUp,
    /// 상대가 연결을 리셋했습니다 · the caller reset the connection
    Reset,
    /// 상대가 `idle` 동안 아무 말도 하지 않았습니다 · the caller said nothing for `idle`
    Silent,
    /// 우리 답을 `idle` 안에 다 쓰지 못했습니다 · a reply could not be written within `idle`
    NotReading,
    /// 서버가 종료하면서 끊었습니다 · the server cut the call off while shutting down
    CutOff,
}

fn is_reset(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

/// `cut`이 `true`가 될 때까지 기다립니다 · Waits until `cut` turns `true`.
async fn cut_off(cut: &mut watch::Receiver<bool>) {
    let _ = cut.wait_for(|cut| *cut).await;
}

// ANCHOR: echo
/// 받은 바이트를 그대로 돌려줍니다. 7장의 `echo`와 같은 일을 하지만, 기다리는 곳마다 `.await`가
/// 있어서 기다리는 동안 스레드를 다른 통화에 내줍니다. `cut`이 `true`가 되면 인사하고 끊습니다.
/// Echoes every byte, as chapter 7's `echo` does; but every wait is an `.await`, which gives the
/// thread to other calls while this one waits. When `cut` turns `true`, says goodbye and ends.
pub async fn echo(
    call: &mut TcpStream,
    idle: Duration,
    cut: &mut watch::Receiver<bool>,
) -> Result<(Ending, u64)> {
    call.set_nodelay(true)
        .context("nodelay를 켤 수 없습니다 · could not set TCP_NODELAY")?;
    let mut buf = vec![0u8; CHUNK];
    let mut echoed = 0;
    loop {
        // 읽기 한 번을 idle로 감쌉니다: set_read_timeout 대신 timeout(…)입니다.
        // One read, wrapped in idle: timeout(…) instead of set_read_timeout.
        let read = tokio::select! {
            read = timeout(idle, call.read(&mut buf)) => read,
            () = cut_off(cut) => {
                let _ = call.write_all(GOODBYE.as_bytes()).await;
                return Ok((Ending::CutOff, echoed));
            }
        };
        let n = match read {
            Err(_elapsed) => return Ok((Ending::Silent, echoed)),
            Ok(Ok(0)) => return Ok((Ending::HungUp, echoed)),
            Ok(Ok(n)) => n,
            Ok(Err(e)) if is_reset(&e) => return Ok((Ending::Reset, echoed)),
            Ok(Err(e)) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        match timeout(idle, call.write_all(&buf[..n])).await {
            Err(_elapsed) => return Ok((Ending::NotReading, echoed)),
            Ok(Ok(())) => echoed += n as u64,
            Ok(Err(e)) if is_reset(&e) => return Ok((Ending::Reset, echoed)),
            Ok(Err(e)) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo

/// 종료의 결과 · What a shutdown came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stopped {
    /// 종료 요청 때 진행 중이던 통화 · calls in progress when the stop came
    pub in_progress: usize,
    /// 그중 한도 안에 끝나지 않아 끊은 통화 · of those, cut off at the bound
    pub cut_off: usize,
}

fn describe(caller: SocketAddr, outcome: &Result<(Ending, u64)>, idle: Duration) -> String {
    match outcome {
        Ok((Ending::HungUp, n)) => format!("통화 종료 · {caller} hung up after {n} bytes"),
        Ok((Ending::Reset, n)) => {
            format!("통화 끊김 · {caller} reset the connection after {n} bytes")
        }
        Ok((Ending::Silent, _)) => {
            format!("말이 없음 · {caller} said nothing for {idle:?}: hanging up")
        }
        Ok((Ending::NotReading, _)) => {
            format!("읽지 않음 · {caller} did not read our reply within {idle:?}: hanging up")
        }
        Ok((Ending::CutOff, _)) => format!("끊었습니다 · cut off {caller}"),
        Err(e) => format!("통화 오류 · {caller}: {e:#}"),
    }
}

// ANCHOR: serve
/// 통화마다 태스크 하나. `stop`이 끝나면 새 전화를 받지 않고, 진행 중인 통화를 `grace`만큼
/// 기다린 뒤 남은 통화를 끊습니다 (10장과 같은 약속).
/// A task for every call. When `stop` completes: no new calls, the calls in progress get
/// `grace` to finish, then the rest are cut off (chapter 10's promise).
pub async fn serve(
    listener: TcpListener,
    limits: Limits,
    stop: impl Future<Output = ()>,
    log: &Log,
) -> Result<Stopped> {
    let (cut, cut_heard) = watch::channel(false);
    let mut calls = JoinSet::new();
    tokio::pin!(stop);
    loop {
        let (mut call, caller) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // 파일 한도 초과 같은 실패는 이 전화만 놓칩니다 · a failure such as too many
                    // open files loses this call only.
                    log.line(&format!("받기 실패 · accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // 끝난 태스크를 치웁니다: 기억하는 태스크 수가 끝없이 늘지 않습니다.
        // Reap finished tasks, so the set does not grow without bound.
        while calls.try_join_next().is_some() {}
        log.line(&format!(
            "전화를 받았습니다 · picked up a call from {caller}"
        ));
        let mut cut_heard = cut_heard.clone();
        let (log, idle) = (log.clone(), limits.idle);
        calls.spawn(async move {
            let outcome = echo(&mut call, idle, &mut cut_heard).await;
            log.line(&describe(caller, &outcome, idle));
            matches!(outcome, Ok((Ending::CutOff, _)))
        }); // 태스크가 끝나면 call이 버려집니다: 끊습니다 · call is dropped as the task ends.
    }
    drop(listener); // 벨을 끕니다 · the ringer goes off: new callers are refused
    while calls.try_join_next().is_some() {}
    let in_progress = calls.len();
    log.line(&format!(
        "새 전화는 받지 않습니다 · stopped accepting; waiting up to {:?} for {in_progress} call(s)",
        limits.grace
    ));
    let mut stopped = Stopped {
        in_progress,
        cut_off: 0,
    };
    let deadline = tokio::time::Instant::now() + limits.grace;
    let mut cut_sent = false;
    loop {
        let next = if cut_sent {
            calls.join_next().await
        } else {
            match tokio::time::timeout_at(deadline, calls.join_next()).await {
                Ok(next) => next,
                Err(_elapsed) => {
                    let _ = cut.send(true); // 남은 통화 모두에게 · to every call still on
                    cut_sent = true;
                    continue;
                }
            }
        };
        match next {
            Some(Ok(true)) => stopped.cut_off += 1,
            Some(_) => {}
            None => break,
        }
    }
    log.line(&format!(
        "종료 · shut down: {} finished, {} cut off",
        stopped.in_progress - stopped.cut_off,
        stopped.cut_off
    ));
    Ok(stopped)
}
// ANCHOR_END: serve

/// 주소에 리슨 소켓을 엽니다 (tokio의 것) · Opens a listening socket on `addr` (tokio's).
pub async fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).await.with_context(|| {
        format!(
            "{addr}에 bind할 수 없습니다. 다른 포트를 주세요 · cannot bind {addr}: try another port"
        )
    })
}

// ANCHOR: spin
/// 기다리지 않는 일: `done`이 켜질 때까지 CPU를 돌립니다. `.await`가 없으니 스레드를 내주지
/// 않습니다. · Work that never awaits: spins until `done` is set. With no `.await`, it never
/// gives the thread back.
pub fn spin_until(done: &AtomicBool) -> u64 {
    let mut turns = 0u64;
    while !done.load(Ordering::Relaxed) {
        turns = turns.wrapping_add(1);
        std::hint::spin_loop();
    }
    turns
}
// ANCHOR_END: spin

// ANCHOR: busy_task
/// 스레드 하나짜리 런타임에서 에코 서버와 바쁜 일을 함께 돌립니다. `blocking`이 `false`면 바쁜
/// 일을 보통 태스크로, `true`면 `spawn_blocking`으로 돌립니다. `done`이 켜지면 끝납니다.
/// Runs an echo server and a busy job together on a one-thread runtime: the busy job as an
/// ordinary task (`blocking == false`) or through `spawn_blocking` (`true`). Ends when `done` is set.
pub fn serve_beside_a_busy_job(
    listener: std::net::TcpListener,
    done: Arc<AtomicBool>,
    blocking: bool,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("런타임을 만들 수 없습니다 · cannot build the runtime")?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .context("논블로킹으로 바꿀 수 없습니다 · cannot make the socket non-blocking")?;
        let listener = TcpListener::from_std(listener)
            .context("tokio에 넘길 수 없습니다 · cannot hand the socket to tokio")?;
        let log = Log::new(std::io::sink());
        let server = tokio::spawn(async move {
            serve(listener, Limits::default(), std::future::pending(), &log).await
        });
        let busy = Arc::clone(&done);
        if blocking {
            // 따로 있는 블로킹 전용 스레드에서 · on a separate thread kept for blocking work
            tokio::task::spawn_blocking(move || spin_until(&busy))
                .await
                .context("바쁜 일이 패닉했습니다 · the busy job panicked")?;
        } else {
            // 런타임의 하나뿐인 스레드에서 · on the runtime's one and only thread
            tokio::spawn(async move { spin_until(&busy) })
                .await
                .context("바쁜 일이 패닉했습니다 · the busy job panicked")?;
        }
        server.abort();
        Ok(())
    })
}
// ANCHOR_END: busy_task
