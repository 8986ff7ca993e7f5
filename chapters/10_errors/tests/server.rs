//! 모든 실패를 견디는 서버: 통화마다 한도, keepalive, 하트비트, 그리고 우아한 종료.
//! The server that survives it all: limits on every call, keepalive, heartbeats, and a
//! graceful shutdown.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ch10_errors::{
    GOODBYE, Limits, Log, Stop, Stopped, listen, parse_seconds, prepare_call, serve,
};
use socket2::SockRef;
use support::{Running, SharedLog, TIMEOUT, dial, loopback_listener, read_until_hang_up};

const SECOND: Duration = Duration::from_secs(1);

/// 스레드에서 도는 서버 · The server, running on a thread.
struct Server {
    addr: SocketAddr,
    stop: Stop,
    log: SharedLog,
    thread: JoinHandle<Stopped>,
}

/// 테스트가 정한 한도로 서버를 스레드에서 돌립니다 · Runs the server on a thread, with the
/// limits the test chooses.
fn start(limits: Limits) -> Server {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let stop = Stop::new(addr);
    let log = SharedLog::default();
    let (for_server, shared) = (stop.clone(), Log::new(log.clone()));
    let thread =
        thread::spawn(move || serve(listener, limits, &for_server, &shared).expect("serve"));
    Server {
        addr,
        stop,
        log,
        thread,
    }
}

impl Server {
    /// 멈추라고 하고 멈출 때까지 기다립니다 · Asks it to stop and waits until it has.
    fn stop(self) -> Stopped {
        self.stop.stop();
        self.join()
    }

    /// 멈출 때까지 기다립니다 · Waits until it has stopped.
    fn join(self) -> Stopped {
        self.thread.join().expect("server")
    }
}

/// 한 줄을 말하고 한 줄을 듣습니다 · Says one line and hears one line.
fn say(call: &mut TcpStream, line: &str) -> String {
    call.write_all(line.as_bytes()).expect("write");
    let mut heard = String::new();
    BufReader::new(call).read_line(&mut heard).expect("read");
    heard
}

#[test]
fn lines_are_echoed_and_a_heartbeat_gets_a_pong() {
    let server = start(Limits::default());
    let mut call = dial(server.addr);
    assert_eq!(say(&mut call, "안녕\n"), "안녕\n");
    assert_eq!(say(&mut call, "ping\n"), "pong\n");
    drop(call);
    server.stop();
}

#[test]
fn an_accepted_call_gets_timeouts_and_a_short_keepalive() {
    let limits = Limits {
        keepalive: Duration::from_secs(20),
        ..Limits::default()
    };
    let listener = loopback_listener();
    let _caller = dial(listener.local_addr().expect("addr"));
    let (call, _) = listener.accept().expect("accept");
    prepare_call(&call, &limits).expect("prepare");
    assert_eq!(call.read_timeout().expect("get"), Some(limits.idle));
    assert_eq!(call.write_timeout().expect("get"), Some(limits.write));
    let socket = SockRef::from(&call);
    assert!(socket.keepalive().expect("SO_KEEPALIVE"));
    #[cfg(target_os = "linux")]
    {
        assert_eq!(
            socket.tcp_keepalive_time().expect("TCP_KEEPIDLE"),
            limits.keepalive
        );
        assert_eq!(
            socket.tcp_keepalive_interval().expect("TCP_KEEPINTVL"),
            Duration::from_secs(5)
        );
    }
}

/// 기본값: keepalive는 꺼져 있고, 켜더라도 리눅스는 2시간(7200초) 조용해야 첫 탐색을 보내고,
/// 75초 간격으로 9번 더 물어본 뒤에야 포기합니다 · By default keepalive is off; switched on,
/// Linux sends the first probe after two hours (7200 s) of quiet, then 9 more 75 s apart.
#[cfg(target_os = "linux")]
#[test]
fn by_default_keepalive_is_off_and_would_wait_two_hours() {
    let listener = loopback_listener();
    let _caller = dial(listener.local_addr().expect("addr"));
    let (call, _) = listener.accept().expect("accept");
    let socket = SockRef::from(&call);
    assert!(!socket.keepalive().expect("SO_KEEPALIVE"));
    assert_eq!(
        socket.tcp_keepalive_time().expect("idle"),
        Duration::from_secs(7200)
    );
    assert_eq!(
        socket.tcp_keepalive_interval().expect("interval"),
        Duration::from_secs(75)
    );
    assert_eq!(socket.tcp_keepalive_retries().expect("probes"), 9);
}

/// 말없는 발신자(반쯤 열린 연결도 서버에게는 이렇게 보입니다)는 한도 뒤에 끊깁니다.
/// A silent caller (which is what a half-open call looks like to the server) is hung up after
/// the idle limit.
#[test]
fn a_silent_caller_is_hung_up_after_the_idle_limit() {
    let server = start(Limits {
        idle: SECOND,
        ..Limits::default()
    });
    let mut call = dial(server.addr);
    let heard = String::from_utf8(read_until_hang_up(&mut call)).expect("utf-8");
    assert_eq!(heard, "오래 조용해서 끊습니다 · idle too long, bye\n");
    server.log.wait_for("nothing heard for 1s", 1);
    server.stop();
}

#[test]
fn heartbeats_keep_a_quiet_call_open_past_the_idle_limit() {
    let server = start(Limits {
        idle: Duration::from_secs(3),
        ..Limits::default()
    });
    let mut call = dial(server.addr);
    // 한도(3초)보다 긴 4초 동안, 1초마다 하트비트 · heartbeats every second for 4 s (> 3 s)
    for _ in 0..4 {
        assert_eq!(say(&mut call, "ping\n"), "pong\n");
        thread::sleep(SECOND);
    }
    assert_eq!(say(&mut call, "still here\n"), "still here\n");
    assert!(
        !server.log.text().contains("nothing heard"),
        "{}",
        server.log.text()
    );
    drop(call);
    server.stop();
}

#[test]
fn a_caller_who_stops_reading_is_dropped_after_the_write_limit() {
    let server = start(Limits {
        write: SECOND,
        ..Limits::default()
    });
    let mut call = dial(server.addr);
    // 말만 하고 듣지 않습니다. 서버의 답이 쌓여 서버의 쓰기가 시간 초과됩니다.
    // Talk and never read: the server's replies pile up until its write times out.
    let line = [b"x".repeat(1023), b"\n".to_vec()].concat();
    let mut sent = 0u64;
    while sent < 1 << 30 {
        match call.write(&line) {
            Ok(n) => sent += n as u64,
            Err(_) => break, // 서버가 끊었습니다 · the server dropped us
        }
    }
    server.log.wait_for("lost the call with", 1);
    assert!(
        server.log.text().contains("WouldBlock"),
        "{}",
        server.log.text()
    );
    drop(call);
    server.stop();
}

#[test]
fn a_caller_who_resets_does_not_stop_the_server() {
    let server = start(Limits::default());
    let mut rude = dial(server.addr);
    assert_eq!(say(&mut rude, "hi\n"), "hi\n");
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .expect("linger 0");
    drop(rude); // RST
    server.log.wait_for("ConnectionReset", 1);
    let mut next = dial(server.addr);
    assert_eq!(say(&mut next, "next\n"), "next\n");
    drop(next);
    server.stop();
}

#[test]
fn a_stop_lets_a_call_in_progress_finish_and_refuses_new_ones() {
    let server = start(Limits {
        grace: TIMEOUT,
        ..Limits::default()
    });
    let mut call = dial(server.addr);
    assert_eq!(say(&mut call, "before\n"), "before\n");
    let stopper = server.stop.clone();
    thread::spawn(move || stopper.stop());
    server
        .log
        .wait_for("stopped accepting; waiting up to 10s for 1 call(s)", 1);
    // 새 전화는 없는 번호 · new dials: not in service. 이 테스트 프로세스의 다른 테스트가 그 순간
    // 자식 프로세스를 띄우면, 그 자식이 exec하기 전까지 리스너의 복사본을 잠깐 쥡니다. 그래서
    // 거절될 때까지(최대 TIMEOUT) 다시 겁니다 · another test of this process may be spawning a
    // child right then, and until it execs, the child holds a copy of the listener: so dial again
    // until refused (at most TIMEOUT).
    let end = Instant::now() + TIMEOUT;
    let refused = loop {
        match TcpStream::connect_timeout(&server.addr, TIMEOUT) {
            Err(error) => break error,
            Ok(_) if Instant::now() < end => thread::sleep(Duration::from_millis(10)),
            Ok(_) => panic!("still answered {TIMEOUT:?} after the stop"),
        }
    };
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
    // 진행 중인 통화는 계속됩니다 · the call in progress goes on
    assert_eq!(say(&mut call, "after\n"), "after\n");
    drop(call);
    let log = server.log.clone();
    assert_eq!(
        server.join(),
        Stopped {
            in_progress: 1,
            cut_off: 0
        }
    );
    assert!(
        log.text().contains("shut down: 1 finished, 0 cut off"),
        "{}",
        log.text()
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_real_server_and_cuts_off_a_held_call_at_the_bound() {
    let server = Running::start(
        env!("CARGO_BIN_EXE_ch10_errors"),
        &["127.0.0.1:0", "30", "1"],
    );
    let mut call = dial(server.addr);
    assert_eq!(say(&mut call, "ping\n"), "pong\n");
    let pid = server.child.id().to_string();
    let signalled = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    // 붙잡고 있던 통화는 한도(1초)에 작별 인사를 듣고 끊깁니다 · the held call hears goodbye
    // and is hung up at the bound (1 s).
    let heard = String::from_utf8(read_until_hang_up(&mut call)).expect("utf-8");
    assert_eq!(heard, GOODBYE);
    let waited = signalled.elapsed();
    assert!(waited >= SECOND, "cut off before the bound: {waited:?}");
    assert!(waited < TIMEOUT, "cut off long after the bound: {waited:?}");
    let (exited_0, rest) = server.finish();
    assert!(exited_0, "exit code 0; printed:\n{rest}");
    assert!(
        rest.contains("stopped accepting; waiting up to 1s for 1 call(s)"),
        "{rest}"
    );
    assert!(rest.contains("shut down: 0 finished, 1 cut off"), "{rest}");
    assert!(rest.contains("cut off 127.0.0.1:"), "{rest}");
}

/// SIGTERM(`kill`의 기본 신호)도 같은 종료입니다 · SIGTERM (`kill`'s default) stops it the same way.
#[cfg(unix)]
#[test]
fn sigterm_stops_an_idle_server_with_exit_code_0() {
    let server = Running::start(env!("CARGO_BIN_EXE_ch10_errors"), &["127.0.0.1:0"]);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .arg(&pid)
            .status()
            .expect("kill")
            .success()
    );
    let (exited_0, rest) = server.finish();
    assert!(exited_0, "{rest}");
    assert!(rest.contains("shut down: 0 finished, 0 cut off"), "{rest}");
}

/// 서버가 먼저 끊은 통화는 서버 포트에 TIME_WAIT로 남지만, std가 켠 SO_REUSEADDR 덕분에
/// 같은 포트로 곧바로 다시 리슨합니다 (옛 소켓에도 켜져 있어야 한다는 리눅스 규칙은 2장).
/// A call the server hung up first stays in TIME_WAIT on the server's port, yet the server
/// listens on it again at once thanks to the SO_REUSEADDR std sets (the Linux rule that the old
/// sockets need it too is chapter 2's).
#[cfg(unix)]
#[test]
fn a_restarted_server_gets_its_port_back_right_after_cutting_a_call() {
    let server = start(Limits {
        grace: SECOND,
        ..Limits::default()
    });
    let first = TcpListener::bind("127.0.0.1:0").expect("probe");
    assert!(
        SockRef::from(&first).reuse_address().expect("get"),
        "std sets SO_REUSEADDR"
    );
    let addr = server.addr;
    let mut call = dial(addr);
    assert_eq!(say(&mut call, "hi\n"), "hi\n");
    assert_eq!(server.stop().cut_off, 1);
    // 서버가 먼저 끊었습니다 · the server hung up first
    assert_eq!(
        String::from_utf8(read_until_hang_up(&mut call)).expect("utf-8"),
        GOODBYE
    );
    drop(call);
    let again = listen(addr).expect("the port is ours again");
    assert_eq!(again.local_addr().expect("addr"), addr);
}

#[test]
fn a_port_in_use_gets_an_error_that_says_what_to_do() {
    let taken = loopback_listener();
    let addr = taken.local_addr().expect("addr").to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_errors"))
        .arg(&addr)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("is another server still running?"), "{said}");
    assert!(said.contains("Address already in use"), "{said}");
}

#[test]
fn seconds_must_be_a_whole_number_from_1_to_3600() {
    assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
    for bad in ["0", "3601", "-1", "1.5", "soon"] {
        assert!(parse_seconds(bad).is_err(), "{bad}");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_errors"))
        .args(["127.0.0.1:0", "0"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("is not a number of seconds"), "{said}");
    assert!(said.contains("usage:"), "{said}");
    assert!(output.stdout.is_empty());
}

/// `ss -tno`는 keepalive가 켜진 통화에 keepalive 타이머를 보여 줍니다 · `ss -tno` shows a
/// keepalive timer on a call with keepalive on.
#[cfg(target_os = "linux")]
#[test]
fn ss_shows_the_keepalive_timer_on_a_prepared_call() {
    let listener = loopback_listener();
    let caller = dial(listener.local_addr().expect("addr"));
    let (call, _) = listener.accept().expect("accept");
    prepare_call(&call, &Limits::default()).expect("prepare");
    let port = caller.local_addr().expect("caller ID").port();
    let filter = format!("( dport = :{port} )");
    let output = Command::new("ss")
        .args(["-tnoH", "state", "established", &filter])
        .output()
        .expect("ss");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("timer:(keepalive,"), "{shown}");
}

/// `kill -9`(SIGKILL)은 잡을 수 없습니다: 작별 인사도 종료 기록도 없이, 커널이 소켓을 닫습니다.
/// `kill -9` (SIGKILL) cannot be caught: no goodbye, no shutdown log; the kernel closes the sockets.
#[cfg(unix)]
#[test]
fn kill_9_gives_no_goodbye_the_kernel_just_closes_the_call() {
    let server = Running::start(env!("CARGO_BIN_EXE_ch10_errors"), &["127.0.0.1:0"]);
    let mut call = dial(server.addr);
    assert_eq!(say(&mut call, "ping\n"), "pong\n");
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .expect("kill")
            .success()
    );
    assert_eq!(
        read_until_hang_up(&mut call),
        b"",
        "no goodbye, just the end"
    );
    let (exited_0, rest) = server.finish();
    assert!(!exited_0);
    assert!(!rest.contains("shut down"), "{rest}");
}

#[test]
fn bytes_that_are_not_utf8_are_echoed_as_they_came() {
    let server = start(Limits::default());
    let mut call = dial(server.addr);
    // "가"의 첫 두 바이트, 그리고 0xff: UTF-8이 아닙니다 · half of "가", then 0xff: not UTF-8.
    call.write_all(b"\xea\xb0 \xff\n").expect("write");
    let mut heard = Vec::new();
    BufReader::new(&call)
        .read_until(b'\n', &mut heard)
        .expect("read");
    assert_eq!(heard, b"\xea\xb0 \xff\n");
    drop(call);
    server.log.wait_for("hung up", 1);
    server.stop();
}

#[test]
fn a_line_over_the_limit_is_refused_and_the_server_goes_on() {
    let server = start(Limits::default());
    let mut call = dial(server.addr);
    let writer = call.try_clone().expect("clone");
    // 줄바꿈 없이 한도보다 많이 · more than the limit, with no newline
    let sender = thread::spawn(move || {
        let mut writer = writer;
        let _ = writer.write_all(&vec![b'x'; ch10_errors::MAX_LINE + 1]);
    });
    // 읽지 않은 바이트를 두고 끊으므로, 안내 뒤에는 리셋이 올 수 있습니다.
    // The server hangs up with our bytes unread, so a reset may follow the message.
    let mut heard = String::new();
    BufReader::new(&mut call)
        .read_line(&mut heard)
        .expect("the message");
    assert_eq!(heard, "줄이 너무 깁니다 · line too long, bye\n");
    sender.join().expect("sender");
    server.log.wait_for("a line over 65536 bytes", 1);
    let mut next = dial(server.addr);
    assert_eq!(say(&mut next, "next\n"), "next\n");
    drop(next);
    server.stop();
}

#[test]
fn the_log_says_who_called_and_how_each_call_ended() {
    let server = start(Limits::default());
    let mut call = dial(server.addr);
    let me = call.local_addr().expect("caller ID");
    assert_eq!(say(&mut call, "hi\n"), "hi\n");
    drop(call);
    let text = server.log.wait_for(&format!("통화 끝 · {me} hung up"), 1);
    assert!(
        text.contains(&format!("picked up a call from {me}")),
        "{text}"
    );
    server.stop();
}

/// 0.0.0.0에 리슨하는 서버도 사내 인터폰으로 깨워 멈춥니다 · A server listening on 0.0.0.0 is
/// woken over the intercom too.
#[test]
fn a_stop_wakes_a_server_on_every_outside_line_through_the_intercom() {
    let listener = TcpListener::bind("0.0.0.0:0").expect("bind 0.0.0.0:0");
    let stop = Stop::new(listener.local_addr().expect("addr"));
    let for_server = stop.clone();
    let server = thread::spawn(move || {
        serve(
            listener,
            Limits::default(),
            &for_server,
            &Log::new(std::io::sink()),
        )
    });
    stop.stop();
    let stopped = server.join().expect("server").expect("serve");
    assert_eq!(
        stopped,
        Stopped {
            in_progress: 0,
            cut_off: 0
        }
    );
}
