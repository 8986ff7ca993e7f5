//! 11장의 주장 하나하나를 루프백 소켓으로 · Every claim of chapter 11, over loopback.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use ch11_async::{GOODBYE, Limits, Log, Stopped, serve, serve_beside_a_busy_job};
use support::{
    Running, SharedLog, TIMEOUT, dial, loopback_listener, read_until_hang_up, round_trip, within,
};
use tokio::sync::oneshot;

/// 테스트가 멈추라고 할 때까지 도는 서버 · A server that runs until the test says stop.
struct Server {
    addr: SocketAddr,
    log: SharedLog,
    stop: Option<oneshot::Sender<()>>,
    done: thread::JoinHandle<Stopped>,
}

fn start(limits: Limits, one_thread: bool) -> Server {
    let listener = loopback_listener();
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("addr");
    let log = SharedLog::default();
    let (stop, stop_heard) = oneshot::channel::<()>();
    let server_log = Log::new(log.clone());
    let done = thread::spawn(move || {
        let mut builder = if one_thread {
            tokio::runtime::Builder::new_current_thread()
        } else {
            tokio::runtime::Builder::new_multi_thread()
        };
        let runtime = builder.enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let stop = async {
                let _ = stop_heard.await;
            };
            serve(listener, limits, stop, &server_log)
                .await
                .expect("serve")
        })
    });
    Server {
        addr,
        log,
        stop: Some(stop),
        done,
    }
}

impl Server {
    fn stop(mut self) -> Stopped {
        let _ = self.stop.take().expect("once").send(());
        within(TIMEOUT * 2, move || {
            self.done.join().expect("server thread")
        })
    }
}

#[test]
fn echoes_every_byte_like_chapter_seven() {
    let server = start(Limits::default(), false);
    let message = b"hello, operator\n".repeat(1000);
    assert_eq!(round_trip(server.addr, &message), message);
    server.log.wait_for("hung up after 16000 bytes", 1);
    assert_eq!(server.stop().cut_off, 0);
}

#[test]
fn one_thread_holds_many_calls_at_once() {
    // 스레드 하나짜리 런타임에서 통화 200개를 동시에 열어 두고, 모두 열린 채로 하나씩 왕복합니다.
    // A one-thread runtime: 200 calls open at once, each answering while all are open.
    let server = start(Limits::default(), true);
    let mut calls: Vec<TcpStream> = (0..200).map(|_| dial(server.addr)).collect();
    for (i, call) in calls.iter_mut().enumerate() {
        let line = format!("line {i}\n");
        call.write_all(line.as_bytes()).expect("write");
        let mut heard = vec![0; line.len()];
        call.read_exact(&mut heard).expect("echo");
        assert_eq!(heard, line.as_bytes());
    }
    server.log.wait_for("picked up a call", 200);
    drop(calls);
    server.log.wait_for("hung up after", 200);
    assert_eq!(server.stop().cut_off, 0);
}

#[test]
fn a_silent_caller_is_cut_off_after_the_idle_limit() {
    let limits = Limits {
        idle: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(limits, false);
    let mut silent = dial(server.addr);
    // 아무 말도 하지 않습니다: 서버가 1초 뒤 끊고, 우리는 0바이트를 읽습니다.
    // We say nothing: the server hangs up after 1 s and we read 0 bytes.
    assert_eq!(read_until_hang_up(&mut silent), b"");
    server.log.wait_for("said nothing for 1s", 1);
    server.stop();
}

#[test]
fn a_dropped_task_hangs_up_its_socket() {
    let listener = loopback_listener();
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("addr");
    let mut caller = dial(addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        let (call, _) = listener.accept().await.expect("accept");
        // 통화를 쥔 채 영원히 기다리는 태스크 · a task that holds the call and waits forever
        let task = tokio::spawn(async move {
            let _held = call;
            std::future::pending::<()>().await;
        });
        tokio::task::yield_now().await;
        task.abort(); // 태스크를 버립니다 · drop the task
        assert!(task.await.expect_err("aborted").is_cancelled());
    });
    // 태스크와 함께 소켓이 버려져 닫혔습니다: 상대는 끊김(0바이트)을 듣습니다.
    // The socket went with the task and was closed: the caller hears a hang-up (0 bytes).
    assert_eq!(read_until_hang_up(&mut caller), b"");
}

#[test]
fn stopping_lets_a_call_in_progress_finish() {
    let limits = Limits {
        grace: Duration::from_secs(30),
        ..Limits::default()
    };
    let server = start(limits, false);
    let mut call = dial(server.addr);
    call.write_all(b"ping\n").expect("write");
    let mut heard = [0; 5];
    call.read_exact(&mut heard).expect("echo");
    let log = server.log.clone();
    let mut server = server;
    let _ = server.stop.take().expect("once").send(());
    log.wait_for("stopped accepting; waiting up to 30s for 1 call(s)", 1);
    // 벨이 꺼졌습니다: 새 전화는 거절됩니다 · the ringer is off: a new caller is refused.
    let refused = TcpStream::connect_timeout(&server.addr, TIMEOUT).expect_err("refused");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
    // 진행 중인 통화는 계속됩니다 · the call in progress goes on.
    call.write_all(b"still here\n").expect("write");
    let mut heard = [0; 11];
    call.read_exact(&mut heard).expect("echo after the stop");
    drop(call);
    let stopped = within(TIMEOUT * 2, move || server.done.join().expect("server"));
    assert_eq!(
        stopped,
        Stopped {
            in_progress: 1,
            cut_off: 0
        }
    );
}

#[test]
fn stopping_cuts_off_a_call_after_the_grace_period() {
    let limits = Limits {
        grace: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(limits, false);
    let mut call = dial(server.addr);
    server.log.wait_for("picked up a call", 1);
    let stopped = server.stop();
    assert_eq!(
        stopped,
        Stopped {
            in_progress: 1,
            cut_off: 1
        }
    );
    assert_eq!(read_until_hang_up(&mut call), GOODBYE.as_bytes());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_real_binary() {
    let server = Running::start(
        env!("CARGO_BIN_EXE_ch11_async"),
        &["127.0.0.1:0", "30", "1"],
    );
    let mut call = dial(server.addr);
    call.write_all(b"ping\n").expect("write");
    let mut heard = [0; 5];
    call.read_exact(&mut heard).expect("echo");
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status();
    assert!(sent.expect("kill").success());
    assert_eq!(read_until_hang_up(&mut call), GOODBYE.as_bytes());
    let (ok, rest) = server.finish();
    assert!(ok, "{rest}");
    assert!(rest.contains("shut down: 0 finished, 1 cut off"), "{rest}");
}

/// 바쁜 일과 에코 서버를 함께 띄웁니다 · Starts the echo server beside a busy job.
fn beside_a_busy_job(blocking: bool) -> (SocketAddr, Arc<AtomicBool>, thread::JoinHandle<()>) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let done = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&done);
    let runtime = thread::spawn(move || {
        serve_beside_a_busy_job(listener, flag, blocking).expect("runtime");
    });
    (addr, done, runtime)
}

#[test]
fn a_task_that_never_awaits_freezes_every_call_on_its_thread() {
    let (addr, done, runtime) = beside_a_busy_job(false);
    let mut call = dial(addr);
    call.set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    call.write_all(b"ping\n").expect("write");
    // 바쁜 일이 스레드를 놓지 않는 한 답은 올 수 없습니다: 기계가 빠르든 느리든.
    // While the busy job holds the only thread no echo can come, however fast the machine.
    let err = call
        .read(&mut [0; 5])
        .expect_err("no echo while the thread is busy");
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err}"
    );
    done.store(true, Ordering::Relaxed);
    within(TIMEOUT, move || runtime.join().expect("runtime thread"));
}

#[test]
fn spawn_blocking_keeps_the_runtime_thread_free() {
    let (addr, done, runtime) = beside_a_busy_job(true);
    let mut call = dial(addr);
    call.write_all(b"ping\n").expect("write");
    let mut heard = [0; 5];
    // 바쁜 일은 아직 도는 중이지만 (done은 아직 false) 답이 옵니다.
    // The busy job is still spinning (done is still false), yet the echo comes.
    call.read_exact(&mut heard)
        .expect("echo while the busy job runs");
    assert_eq!(&heard, b"ping\n");
    assert!(!done.load(Ordering::Relaxed));
    done.store(true, Ordering::Relaxed);
    within(TIMEOUT, move || runtime.join().expect("runtime thread"));
}
