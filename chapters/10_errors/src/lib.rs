// 10장: 통화가 잘못될 때 — 실패를 하나씩 일으켜 이름을 붙이고, 그 모두를 견디는 서버.
// Chapter 10: when calls go wrong — provoke each failure, name it, and a server that survives
// all of them.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs,
};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use socket2::{Domain, SockRef, Socket, TcpKeepalive, Type};

/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 실패를 일으키는 동안 무엇이든 이만큼은 기다립니다 · How long any wait may take while we
/// provoke a failure (a failure that needs a timeout gets its own, shorter one).
pub const PATIENCE: Duration = Duration::from_secs(10);

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// 127.0.0.1:0에 리스너 하나, 주소와 함께 · A listener on 127.0.0.1:0, with its address.
fn loopback() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind((LOOPBACK, 0))?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// 걸고 받아서 통화의 양쪽을 돌려줍니다 · Dials and picks up: both ends of one call.
fn a_call() -> io::Result<(TcpStream, TcpStream)> {
    let (listener, addr) = loopback()?;
    let caller = TcpStream::connect_timeout(&addr, PATIENCE)?;
    let (answered, _) = listener.accept()?;
    caller.set_read_timeout(Some(PATIENCE))?;
    caller.set_write_timeout(Some(PATIENCE))?;
    Ok((caller, answered))
}

// ANCHOR: refused
/// 아무도 리슨하지 않는 포트로 겁니다 · Dials a port nobody listens on.
pub fn dial_nobody() -> io::Result<TcpStream> {
    // 번호는 받아 두되(bind) 리슨하지 않습니다: 아무도 받지 않고, 그동안 다른 누구도 이 번호를
    // 가져가지 못합니다 · take a number (bind) but never listen: nobody answers, and while we hold
    // it nobody else can take it.
    let number = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    number.bind(&SocketAddr::from((LOOPBACK, 0)).into())?;
    let addr = number
        .local_addr()?
        .as_socket()
        .ok_or_else(|| io::Error::other("not an IP address"))?;
    TcpStream::connect_timeout(&addr, PATIENCE)
}
// ANCHOR_END: refused

// ANCHOR: backlog
/// `addr`에 대기열(backlog) 길이 0의 리스너: 리눅스에서는 한 통만 기다릴 수 있습니다.
/// A listener on `addr` with a backlog of 0: on Linux, one call may wait.
pub fn backlog_of_zero(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.bind(&addr.into())?;
    socket.listen(0)?;
    Ok(socket.into())
}

/// 받지 않는 리스너의 대기열을 채운 뒤 한 번 더 겁니다. `limit` 안에 연결되지 않습니다.
/// Fills the backlog of a listener that never accepts, then dials once more: that dial does
/// not connect within `limit`.
pub fn fill_then_dial(listener: &TcpListener, limit: Duration) -> io::Result<TcpStream> {
    let addr = listener.local_addr()?;
    // 대기열이 찰 때까지 겁니다. 아무도 받지 않으니 곧 찹니다 (리눅스: 첫 통화로).
    // Dial until the queue is full; nobody accepts, so it fills (on Linux: after one call).
    let mut on_hold = Vec::new();
    for _ in 0..8 {
        match TcpStream::connect_timeout(&addr, limit) {
            Ok(call) => on_hold.push(call),
            failed => return failed,
        }
    }
    Err(io::Error::other(format!(
        "대기열이 차지 않았습니다 · the backlog took {} calls without filling",
        on_hold.len()
    )))
}

/// 대기열이 가득 찬 리스너로 겁니다 · Dials a listener whose backlog is full.
pub fn dial_a_full_backlog(limit: Duration) -> io::Result<TcpStream> {
    fill_then_dial(&backlog_of_zero((LOOPBACK, 0).into())?, limit)
}
// ANCHOR_END: backlog

// ANCHOR: silent
/// 받기는 했지만 아무 말도 하지 않는 상대에게서 듣습니다 · Hears from a peer who picked up
/// and says nothing: the read gives up after `limit`.
pub fn hear_nobody(limit: Duration) -> io::Result<usize> {
    let (mut caller, _silent) = a_call()?;
    caller.set_read_timeout(Some(limit))?;
    caller.read(&mut [0; 64])
}
// ANCHOR_END: silent

// ANCHOR: deaf
/// 듣지 않는 상대에게 계속 말합니다. 양쪽 버퍼가 차면 쓰기가 `limit` 뒤에 포기합니다.
/// Talks to a peer who never reads. Once both buffers are full, a write gives up after
/// `limit`. Returns how many bytes went out before that, or the error.
pub fn talk_to_a_deaf_peer(limit: Duration) -> io::Result<u64> {
    let (mut caller, _deaf) = a_call()?;
    caller.set_write_timeout(Some(limit))?;
    let chunk = [b'x'; 64 * 1024];
    let mut sent = 0u64;
    // 루프백 버퍼는 많아야 몇십 MB입니다 · loopback buffers hold tens of MB at most.
    while sent < 1 << 30 {
        sent += caller.write(&chunk)? as u64;
    }
    Ok(sent)
}
// ANCHOR_END: deaf

// ANCHOR: hang_up
/// 상대가 끊은 뒤의 읽기: 오류가 아니라 0바이트입니다 · A read after the peer hangs up: not
/// an error, zero bytes.
pub fn hear_a_hang_up() -> io::Result<usize> {
    let (mut caller, answered) = a_call()?;
    drop(answered); // 평범하게 끊기(FIN) · an ordinary hang-up (FIN)
    caller.read(&mut [0; 64])
}

/// 상대가 리셋(RST)으로 끊은 뒤의 읽기 · A read after the peer resets the call (RST).
pub fn hear_a_reset() -> io::Result<usize> {
    let (mut caller, answered) = a_call()?;
    // linger 0으로 닫으면 FIN 대신 RST가 갑니다 · closing with linger 0 sends RST, not FIN.
    SockRef::from(&answered).set_linger(Some(Duration::ZERO))?;
    drop(answered);
    caller.read(&mut [0; 64])
}
// ANCHOR_END: hang_up

// ANCHOR: broken_pipe
/// 상대가 끊은 것을 듣고도 계속 말합니다. 첫 쓰기는 보내지고 상대가 RST로 답하며, 그 뒤의
/// 쓰기가 실패합니다 · Keeps talking after hearing the peer hang up. The first write goes out
/// and the peer answers it with RST; a write after that fails.
pub fn talk_after_the_peer_left() -> io::Result<usize> {
    let (mut caller, answered) = a_call()?;
    drop(answered);
    let heard = caller.read(&mut [0; 64])?; // 0: 끊긴 것을 들었습니다 · 0: we heard the hang-up
    let end = Instant::now() + PATIENCE;
    loop {
        caller.write_all(b"hello?")?;
        if Instant::now() > end {
            return Ok(heard);
        }
        // RST가 도착할 때까지 · until the RST has arrived
        thread::sleep(Duration::from_millis(1));
    }
}

/// "내 말은 끝"이라고 한 뒤에 또 말합니다 · Talks again after saying "I'm done talking".
pub fn talk_after_half_close() -> io::Result<usize> {
    let (mut caller, _answered) = a_call()?;
    caller.shutdown(Shutdown::Write)?;
    caller.write(b"one more thing")
}
// ANCHOR_END: broken_pipe

// ANCHOR: half_close
/// 반만 닫기: "내 말은 끝"이라고 한 뒤에도 상대의 답은 들립니다. 들은 답을 돌려줍니다.
/// Half-close: after "I'm done talking" we still hear the peer's answer. Returns it.
pub fn half_close_then_hear() -> io::Result<Vec<u8>> {
    let (mut caller, mut answered) = a_call()?;
    caller.write_all(b"question")?;
    caller.shutdown(Shutdown::Write)?;
    let mut heard = Vec::new();
    answered.set_read_timeout(Some(PATIENCE))?;
    answered.read_to_end(&mut heard)?; // 0바이트 읽기로 "끝"을 압니다 · a 0-byte read says "done"
    answered.write_all(b"answer to ")?;
    answered.write_all(&heard)?;
    drop(answered);
    let mut answer = Vec::new();
    caller.read_to_end(&mut answer)?;
    Ok(answer)
}
// ANCHOR_END: half_close

// ANCHOR: addresses
/// 이미 리슨 중인 포트에 또 bind합니다 · Binds a port that is already being listened on.
pub fn bind_a_port_in_use() -> io::Result<TcpListener> {
    let (_first, addr) = loopback()?;
    TcpListener::bind(addr)
}

/// `.invalid`는 어떤 전화번호부에도 없는 이름입니다(RFC 2606) · `.invalid` is in no phone book
/// (RFC 2606).
pub const NO_SUCH_HOST: &str = "no-such-host.invalid:80";

/// 없는 이름을 찾습니다 · Looks up a name that does not exist.
pub fn look_up_no_such_host() -> io::Result<Vec<SocketAddr>> {
    NO_SUCH_HOST.to_socket_addrs().map(Iterator::collect)
}

/// 문서용 주소(RFC 5737)는 이 컴퓨터의 주소가 아닙니다. bind만 하고, 보내지는 않습니다.
/// A documentation address (RFC 5737) is not this machine's. We only bind; nothing is sent.
pub const NOT_OURS: &str = "192.0.2.1:0";

/// 이 컴퓨터의 주소가 아닌 곳에 bind합니다 · Binds an address that is not this machine's.
pub fn bind_an_address_not_ours() -> io::Result<TcpListener> {
    TcpListener::bind(NOT_OURS)
}

/// 특권 포트 80에 bind합니다 (root가 아니면 리눅스에서 거절) · Binds privileged port 80
/// (refused on Linux unless you are root).
pub fn bind_a_privileged_port() -> io::Result<TcpListener> {
    TcpListener::bind((LOOPBACK, 80))
}
// ANCHOR_END: addresses

// ANCHOR: table
/// 표의 한 줄: 무엇을 했고, 무엇을 보았고, 무엇을 할지 · One row of the table: what we did,
/// what the program saw, what to do about it.
#[derive(Debug)]
pub struct Row {
    pub failure: &'static str,
    pub seen: String,
    pub advice: &'static str,
}

/// 결과를 `ErrorKind`와 OS 오류 번호로 · A result as its `ErrorKind` and OS error number.
pub fn seen<T>(result: &io::Result<T>) -> String {
    match result {
        Ok(_) => "Ok".to_string(),
        Err(error) => match error.raw_os_error() {
            Some(code) => format!("{:?} (os error {code})", error.kind()),
            None => format!("{:?}: {error}", error.kind()),
        },
    }
}

/// 모든 실패를 차례로 일으킵니다 · Provokes every failure in turn.
pub fn table() -> Vec<Row> {
    let limit = Duration::from_secs(1);
    let row = |failure, seen, advice| Row {
        failure,
        seen,
        advice,
    };
    vec![
        row(
            "없는 번호 · nothing listening",
            seen(&dial_nobody()),
            "서버를 켜거나 주소를 확인 · start the server, check the address",
        ),
        row(
            "대기열이 가득 · backlog full",
            seen(&dial_a_full_backlog(limit)),
            "connect_timeout, 조금 뒤 다시 · connect_timeout, retry later",
        ),
        row(
            "받고 말이 없음 · peer never answers",
            seen(&hear_nobody(limit)),
            "read_timeout; WouldBlock과 TimedOut 둘 다 · read_timeout; treat both as a timeout",
        ),
        row(
            "듣지 않는 상대 · peer stops reading",
            seen(&talk_to_a_deaf_peer(limit)),
            "write_timeout, 그리고 끊기 · write_timeout, then hang up",
        ),
        row(
            "상대가 끊음 · peer hangs up",
            match hear_a_hang_up() {
                Ok(bytes) => format!("Ok({bytes}): {bytes} bytes, no error"),
                failed => seen(&failed),
            },
            "0바이트 = 끝, 오류 아님 · 0 bytes = done, not an error",
        ),
        row(
            "상대가 리셋 · peer resets",
            seen(&hear_a_reset()),
            "그 통화만 끝내고 서버는 계속 · end that call, keep serving",
        ),
        row(
            "떠난 상대에게 말하기 · talk after the peer left",
            seen(&talk_after_the_peer_left()),
            "그 통화만 끝내기 (러스트는 SIGPIPE 무시) · end that call (Rust ignores SIGPIPE)",
        ),
        row(
            "반만 닫은 뒤 말하기 · talk after our half-close",
            seen(&talk_after_half_close()),
            "shutdown(Write) 뒤에는 듣기만 · after shutdown(Write), only read",
        ),
        row(
            "쓰는 중인 포트 · port in use",
            seen(&bind_a_port_in_use()),
            "다른 포트, 또는 먼저 띄운 서버 끄기 · another port, or stop the old server",
        ),
        row(
            "없는 이름 · no such host",
            seen(&look_up_no_such_host()),
            "이름을 확인 (오프라인이면 다른 오류) · check the name (offline: a different error)",
        ),
        row(
            "내 주소가 아님 · not this machine's address",
            seen(&bind_an_address_not_ours()),
            "이 컴퓨터의 주소나 0.0.0.0 · bind one of this machine's addresses",
        ),
        row(
            "특권 포트 · privileged port 80",
            seen(&bind_a_privileged_port()),
            "1024 이상 포트 · a port above 1024 (root or a capability otherwise)",
        ),
    ]
}
// ANCHOR_END: table

/// 표의 2번 줄만, 주어진 주소에서 · Row 2 of the table only, on the address given (so that a
/// packet capture can watch that port).
pub fn full_backlog_row(addr: SocketAddr) -> Row {
    let result = backlog_of_zero(addr).and_then(|l| fill_then_dial(&l, Duration::from_secs(2)));
    Row {
        failure: "대기열이 가득 · backlog full",
        seen: seen(&result),
        advice: "connect_timeout, 조금 뒤 다시 · connect_timeout, retry later",
    }
}

/// 표를 찍습니다. 첫 줄의 번호가 `first`입니다 · Prints the table; its first row is number `first`.
pub fn print_table(rows: &[Row], first: usize, out: &mut impl Write) -> io::Result<()> {
    for (n, row) in rows.iter().enumerate() {
        writeln!(out, "{:2}. {}", first + n, row.failure)?;
        writeln!(out, "    본 것 · seen:   {}", row.seen)?;
        writeln!(out, "    할 일 · do:     {}", row.advice)?;
    }
    Ok(())
}

/// 시간 초과인지: 유닉스는 `WouldBlock`(EAGAIN), 윈도우는 `TimedOut`으로 알립니다.
/// Whether an error is a timeout: Unix reports `WouldBlock` (EAGAIN), Windows `TimedOut`.
// ANCHOR: is_timeout
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
// ANCHOR_END: is_timeout

/// 상대 쪽에서 통화가 어떻게 끝났는지 (연습 10.1) · How a call ended on the peer's side
/// (exercise 10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// 읽기가 0바이트: 평범하게 끊었습니다(FIN) · A 0-byte read: an ordinary hang-up (FIN).
    HungUp,
    /// `ConnectionReset`: 리셋으로 끊었습니다(RST) · `ConnectionReset`: reset (RST).
    Reset,
    /// 제한 시간 안에 아무 말도 끝도 없었습니다 · Neither words nor an end within the limit.
    Silent,
    /// 다른 오류 · Some other error.
    Other(ErrorKind),
}

// ANCHOR: limits
/// 서버가 통화마다 지키는 한도 · The limits the server keeps on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// 아무 말도 들리지 않으면 이만큼 뒤에 끊습니다(하트비트가 시계를 되돌립니다).
    /// Hang up after hearing nothing for this long (a heartbeat starts the clock again).
    pub idle: Duration,
    /// 쓰기 한 번이 기다리는 한도 · How long one write may wait.
    pub write: Duration,
    /// 조용한 통화에 keepalive 탐색을 처음 보내기까지 · Quiet time before the first keepalive probe.
    pub keepalive: Duration,
    /// 종료할 때 진행 중인 통화를 기다리는 한도 · How long shutdown waits for calls in progress.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            idle: Duration::from_secs(30),
            write: Duration::from_secs(10),
            keepalive: Duration::from_secs(60),
            grace: Duration::from_secs(5),
        }
    }
}
// ANCHOR_END: limits

/// 초 단위 인수를 읽습니다(1~3600) · Reads an argument in seconds (1 to 3600).
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<u64>() {
        Ok(seconds @ 1..=3600) => Ok(Duration::from_secs(seconds)),
        _ => Err(format!(
            "초는 1부터 3600까지의 정수입니다 · {text:?} is not a number of seconds from 1 to 3600"
        )),
    }
}

/// 모든 통화가 함께 쓰는 로그 · The log every call writes to.
#[derive(Clone)]
pub struct Log(Arc<Mutex<dyn Write + Send>>);

impl Log {
    /// 아무 곳에나 씁니다: 표준 출력, 테스트의 버퍼 · Writes anywhere: stdout, a test's buffer.
    pub fn new(out: impl Write + Send + 'static) -> Log {
        Log(Arc::new(Mutex::new(out)))
    }

    /// 한 줄을 통째로 씁니다 · Writes one whole line.
    pub fn line(&self, text: &str) {
        let mut out = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = writeln!(out, "{text}").and_then(|()| out.flush());
    }
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Log")
    }
}

// ANCHOR: listen
/// 주소에 리슨 소켓을 엽니다. 유닉스에서 std는 SO_REUSEADDR를 켜 두므로, 방금 끝난 통화가
/// TIME_WAIT에 있어도 서버를 다시 띄울 수 있습니다.
/// Opens a listening socket. On Unix std turns SO_REUSEADDR on, so the server restarts even
/// while its last calls sit in TIME_WAIT.
pub fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).with_context(|| {
        format!(
            "{addr}에 리슨할 수 없습니다: 다른 서버가 쓰고 있나요? · cannot listen on {addr}: \
             is another server still running? (ss -tlnp shows who holds the port)"
        )
    })
}
// ANCHOR_END: listen

// ANCHOR: prepare
/// 받은 통화에 한도를 겁니다: 읽기와 쓰기의 제한 시간, 그리고 짧은 keepalive.
/// Puts the limits on an accepted call: read and write timeouts, and a short keepalive.
pub fn prepare_call(call: &TcpStream, limits: &Limits) -> io::Result<()> {
    call.set_read_timeout(Some(limits.idle))?;
    call.set_write_timeout(Some(limits.write))?;
    // 기본 keepalive는 꺼져 있고, 켜도 리눅스에서는 두 시간 뒤에야 첫 탐색을 보냅니다.
    // Keepalive is off by default, and even on, Linux sends its first probe after two hours.
    let keepalive = TcpKeepalive::new()
        .with_time(limits.keepalive)
        .with_interval(limits.keepalive / 4);
    SockRef::from(call).set_tcp_keepalive(&keepalive)
}
// ANCHOR_END: prepare

// ANCHOR: talk
/// 통화가 어떻게 끝났나 · How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// 상대가 끊었습니다 · The caller hung up.
    HungUp,
    /// 한도만큼 아무 말도 없어서 우리가 끊었습니다 · Nothing heard within the idle limit.
    Silent,
    /// 한 줄이 [`MAX_LINE`]보다 길어서 우리가 끊었습니다 · A line longer than [`MAX_LINE`].
    TooLong,
}

/// 한 줄의 최대 길이(64 KiB): 줄바꿈 없이 끝없이 보내는 발신자가 메모리를 다 쓰지 못하게.
/// The longest line (64 KiB), so a caller who never sends a newline cannot use up memory.
pub const MAX_LINE: usize = 64 * 1024;

/// 서버가 종료할 때 아직 통화 중인 사람에게 하는 말 · What a caller still on the line hears
/// when the server shuts down.
pub const GOODBYE: &str = "서버가 종료됩니다 · server shutting down\n";

/// 한 줄씩 에코합니다. "ping"(하트비트)에는 "pong"으로 답합니다. 한도 안에 아무 말도 없으면
/// 끊습니다 · Echoes line by line; answers the heartbeat "ping" with "pong"; hangs up when
/// nothing is heard within the idle limit.
pub fn talk(call: &TcpStream) -> io::Result<CallEnd> {
    let mut reader = BufReader::new(call);
    let mut writer = call;
    // 바이트로 읽으므로 UTF-8이 아닌 말도 그대로 돌려줍니다 · bytes, so text that is not UTF-8
    // is echoed as it came.
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut limited = (&mut reader).take(MAX_LINE as u64);
        match limited.read_until(b'\n', &mut line) {
            Ok(0) => return Ok(CallEnd::HungUp),
            Ok(_) if !line.ends_with(b"\n") && line.len() == MAX_LINE => {
                let _ = writer.write_all("줄이 너무 깁니다 · line too long, bye\n".as_bytes());
                return Ok(CallEnd::TooLong);
            }
            Ok(_) if line.trim_ascii_end() == b"ping" => writer.write_all(b"pong\n")?,
            Ok(_) => writer.write_all(&line)?,
            Err(error) if is_timeout(&error) => {
                let _ =
                    writer.write_all("오래 조용해서 끊습니다 · idle too long, bye\n".as_bytes());
                return Ok(CallEnd::Silent);
            }
            Err(error) => return Err(error),
        }
    }
}
// ANCHOR_END: talk

// ANCHOR: stop
/// 종료 요청: 깃발을 세우고, accept에서 기다리는 서버를 깨우려고 자기 번호로 한 번 겁니다.
/// A stop request: raise the flag, then dial our own number once to wake the server that
/// waits in accept.
#[derive(Debug, Clone)]
pub struct Stop {
    requested: Arc<AtomicBool>,
    wake: SocketAddr,
}

impl Stop {
    /// `listening`은 리스너의 주소입니다 · `listening` is the listener's address.
    pub fn new(listening: SocketAddr) -> Stop {
        let mut wake = listening;
        if wake.ip().is_unspecified() {
            // 0.0.0.0(또는 ::)이면 사내 인터폰으로 깨웁니다 · for 0.0.0.0 (or ::), wake it
            // over the intercom.
            let intercom: IpAddr = match wake {
                SocketAddr::V4(_) => LOOPBACK.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            };
            wake.set_ip(intercom);
        }
        Stop {
            requested: Arc::new(AtomicBool::new(false)),
            wake,
        }
    }

    /// 종료를 요청합니다(Ctrl+C 처리기가 부릅니다) · Requests the stop (the Ctrl+C handler calls it).
    pub fn stop(&self) {
        self.requested.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.wake, PATIENCE);
    }

    /// 종료가 요청되었는지 · Whether a stop was requested.
    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: stop

/// 진행 중인 통화들(끊을 수 있도록 복제본을 둡니다) · The calls in progress (a clone of each,
/// so they can be cut off).
#[derive(Debug, Default)]
struct Calls {
    open: Mutex<HashMap<u64, (String, TcpStream)>>,
    changed: Condvar,
}

impl Calls {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (String, TcpStream)>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// 통화가 끝났습니다. 서버가 이미 끊은 통화였으면 `false` · A call ended; `false` if the
    /// server had already cut it off.
    fn ended(&self, id: u64) -> bool {
        let was_open = self.lock().remove(&id).is_some();
        self.changed.notify_all();
        was_open
    }

    // ANCHOR: drain
    /// 남은 통화가 끝나기를 `grace`까지 기다리고, 그래도 남은 통화는 끊습니다. 끊은 수를 돌려줍니다.
    /// Waits up to `grace` for the calls left to end, then cuts off the rest; returns how many.
    fn finish_within(&self, grace: Duration, log: &Log) -> usize {
        let deadline = Instant::now() + grace;
        let mut open = self.lock();
        while !open.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            open = self
                .changed
                .wait_timeout(open, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        let cut_off = open.len();
        for (_, (peer, mut call)) in open.drain() {
            let _ = call.write_all(GOODBYE.as_bytes());
            let _ = call.shutdown(Shutdown::Both);
            log.line(&format!("끊었습니다 · cut off {peer}"));
        }
        cut_off
    }
    // ANCHOR_END: drain
}

/// 서버가 멈춘 뒤의 결과 · What the server reports when it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// 종료 요청 때 진행 중이던 통화 · Calls in progress when the stop came.
    pub in_progress: usize,
    /// 한도 안에 끝나지 않아 끊은 통화 · Of those, cut off at the bound.
    pub cut_off: usize,
}

// ANCHOR: serve
/// 종료 요청이 올 때까지 통화마다 스레드 하나로 받습니다. 요청이 오면 새 통화를 받지 않고,
/// 진행 중인 통화를 `limits.grace`까지 기다린 뒤 남은 통화를 끊습니다.
/// Serves a thread per call until a stop is requested; then stops accepting, waits up to
/// `limits.grace` for the calls in progress, and cuts off the rest.
pub fn serve(listener: TcpListener, limits: Limits, stop: &Stop, log: &Log) -> Result<Stopped> {
    let calls = Arc::new(Calls::default());
    let next_id = AtomicU64::new(0);
    for incoming in listener.incoming() {
        if stop.requested() {
            break; // 이것은 깨우려고 건 전화입니다 · this is the wake-up call
        }
        let call = match incoming {
            Ok(call) => call,
            Err(error) => {
                // 통화 하나의 실패로 서버를 멈추지 않습니다. 파일 기술자가 모자랄 때 헛돌지
                // 않도록 잠깐 쉽니다 · one failed accept never stops us; pause briefly so that
                // running out of file descriptors does not spin.
                log.line(&format!("받지 못했습니다 · accept failed: {error}"));
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let id = next_id.fetch_add(1, Ordering::SeqCst);
        let peer = call.peer_addr().map_or("?".to_string(), |p| p.to_string());
        match prepare_call(&call, &limits).and_then(|()| call.try_clone()) {
            Ok(clone) => calls.lock().insert(id, (peer.clone(), clone)),
            Err(error) => {
                log.line(&format!("통화를 준비하지 못했습니다 · {peer}: {error}"));
                continue;
            }
        };
        log.line(&format!("전화를 받았습니다 · picked up a call from {peer}"));
        let (calls, log) = (Arc::clone(&calls), log.clone());
        thread::spawn(move || {
            let ended = talk(&call);
            if !calls.ended(id) {
                return; // 서버가 끊었고, 그렇게 적었습니다 · the server cut it off and said so
            }
            let said = match ended {
                Ok(CallEnd::HungUp) => format!("통화 끝 · {peer} hung up"),
                Ok(CallEnd::Silent) => format!(
                    "조용한 통화를 끊었습니다 · hung up on {peer}: nothing heard for {:?}",
                    limits.idle
                ),
                Ok(CallEnd::TooLong) => {
                    format!("끊었습니다 · hung up on {peer}: a line over {MAX_LINE} bytes")
                }
                Err(error) => format!(
                    "통화를 잃었습니다 · lost the call with {peer}: {:?}",
                    error.kind()
                ),
            };
            log.line(&said);
        });
    }
    drop(listener); // 이제 새 전화는 없는 번호입니다 · from now on, new dials are refused
    let in_progress = calls.lock().len();
    log.line(&format!(
        "새 전화는 받지 않습니다 · stopped accepting; waiting up to {:?} for {in_progress} call(s)",
        limits.grace
    ));
    let cut_off = calls.finish_within(limits.grace, log);
    log.line(&format!(
        "종료 · shut down: {} finished, {cut_off} cut off",
        in_progress - cut_off
    ));
    Ok(Stopped {
        in_progress,
        cut_off,
    })
}
// ANCHOR_END: serve
