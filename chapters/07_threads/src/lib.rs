// 7장: 여러 통화 — 한 통씩, 통화마다 스레드, 스레드 풀.
// Chapter 7: many callers — one at a time, a thread per call, a pool of threads.

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

// ANCHOR: defaults
/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 한 번에 읽는 최대 바이트 수: 많이 보내는 상대도 읽기 몇 번이면 됩니다(64 KiB).
/// At most this many bytes per read: 64 KiB, so that bulk takes few reads.
pub const CHUNK: usize = 64 * 1024;

/// 말없는 상대를 이만큼 기다린 뒤 끊습니다. 답 하나를 다 쓰는 데에도 이만큼만 기다립니다.
/// A silent caller is hung up after this long; so is one whose reply cannot be written in it.
pub const IDLE: Duration = Duration::from_secs(30);

/// 풀의 작업 스레드 수 · How many worker threads the pool has.
pub const WORKERS: usize = 4;

/// 작업 스레드를 기다릴 수 있는 통화 수 · How many calls may wait for a worker.
pub const QUEUE: usize = 2;

/// 자리가 없을 때 발신자가 듣는 말 · What a caller hears when there is no room.
pub const BUSY: &str = "통화 중 · all lines busy, try again later\n";

/// 통화 중 안내를 한 번에 몇 사람에게까지 들려주는지 · How many callers may hear the busy
/// message at once.
pub const BUSY_LINES: usize = 32;

/// 안내를 들려준 뒤 상대가 끊기를 기다리는 최대 시간 · How long, at most, we wait for a
/// turned-away caller to hang up after the message.
pub const LINGER: Duration = Duration::from_secs(1);
// ANCHOR_END: defaults

// ANCHOR: log
/// 모든 통화가 함께 쓰는 로그. 한 번에 한 스레드만 쓰므로 줄이 섞이지 않습니다.
/// The log every call writes to. One thread writes at a time, so lines never mix.
#[derive(Clone)]
pub struct Log(Arc<Mutex<dyn Write + Send>>);

impl Log {
    /// 표준 출력, 파일, 테스트의 버퍼 등 아무 곳에나 씁니다 · Writes anywhere: stdout, a test's buffer.
    pub fn new(out: impl Write + Send + 'static) -> Log {
        Log(Arc::new(Mutex::new(out)))
    }

    /// 한 줄을 통째로 씁니다 · Writes one whole line.
    pub fn line(&self, text: &str) {
        // 다른 스레드가 쓰다가 패닉했더라도 로그는 멀쩡하니 계속 씁니다.
        // If another thread panicked while writing, the log itself is fine: keep using it.
        let mut out = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // 로그를 못 남겨도 통화는 계속합니다 · a failed log line never ends a call.
        let _ = writeln!(out, "{text}").and_then(|()| out.flush());
    }
}
// ANCHOR_END: log

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Log")
    }
}

// ANCHOR: counter
/// 여러 스레드가 함께 보는 수: 통화 중인 수, 차지한 자리 수. 복제해도 같은 수를 가리킵니다.
/// A number many threads share: calls in progress, places taken. Clones share one number.
#[derive(Debug, Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl Counter {
    /// 지금의 수 · The number right now.
    pub fn now(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// 하나가 들어옵니다: 1을 더하고, 버려질 때 1을 도로 빼는 표를 돌려줍니다.
    /// One more comes in: add 1, and get a ticket that takes the 1 away again when dropped.
    pub fn enter(&self) -> Entered {
        // fetch_add는 더하기 전의 값을 돌려줍니다. 읽기와 더하기가 한 번에 일어나므로
        // 두 스레드가 같은 값을 볼 수 없습니다.
        // fetch_add returns the value before adding; reading and adding happen as one step,
        // so two threads can never both see the same number.
        let inside = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Entered {
            count: Arc::clone(&self.0),
            inside,
        }
    }
}

/// 들어왔다는 표. 버려질 때(어떻게 끝나든) 수에서 1을 뺍니다.
/// Proof of entry. When dropped — however things ended — it takes 1 off the number.
#[derive(Debug)]
pub struct Entered {
    count: Arc<AtomicUsize>,
    /// 들어온 순간의 수 (자기 자신 포함) · The number when this one came in, itself included.
    pub inside: usize,
}

impl Drop for Entered {
    fn drop(&mut self) {
        // return, ?, 패닉으로 빠져나가도 여기를 지납니다.
        // Runs on every way out: return, ?, even a panic.
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: counter

// ANCHOR: switchboard
/// 교환대: 모든 통화가 함께 쓰는 것들. 스레드마다 복제해서 넘깁니다.
/// The switchboard: what every call shares. Each thread gets a clone.
#[derive(Debug, Clone)]
pub struct Switchboard {
    /// 로그 · where the lines go
    pub log: Log,
    /// 통화 중인 수 · calls in progress
    pub live: Counter,
    /// 지금 통화 중 안내를 듣고 있는 수 (8단계) · callers hearing the busy message (step 8)
    pub busy: Counter,
    /// 말없는 상대를 기다리는 최대 시간 · how long a silent caller may hold a line
    pub idle: Duration,
}

impl Switchboard {
    pub fn new(log: Log, idle: Duration) -> Switchboard {
        Switchboard {
            log,
            live: Counter::default(),
            busy: Counter::default(),
            idle,
        }
    }
}
// ANCHOR_END: switchboard

// ANCHOR: echo
/// 통화가 어떻게 끝났는지 · How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// 상대가 끊었습니다 (0바이트 읽기) · the caller hung up (a 0-byte read)
    HungUp,
    /// 상대가 연결을 리셋했습니다 · the caller reset the connection
    Reset,
    /// 상대가 `idle` 동안 아무 말도 하지 않았습니다 · the caller said nothing for `idle`
    Silent,
    /// 우리 답을 `idle` 안에 다 쓰지 못했습니다: 상대가 읽지 않습니다 · a reply could not be
    /// written within `idle`: the caller is not reading
    NotReading,
}

/// 받은 바이트를 그대로 돌려줍니다. 통화가 끝난 까닭과 돌려준 바이트 수를 알려 줍니다.
/// Echoes every byte; returns how the call ended and how many bytes went back.
pub fn echo(call: &mut TcpStream, idle: Duration) -> Result<(Ending, u64)> {
    // 읽기 한 번도, 답 하나를 다 쓰는 것도 idle보다 오래 기다리지 않습니다.
    // No read, and no whole reply, waits longer than idle.
    call.set_read_timeout(Some(idle))
        .context("읽기 제한 시간을 정할 수 없습니다 · could not set the read timeout")?;
    // 읽은 것을 write 한 번으로 돌려주니, 모아 두지 말고 바로 보내게 합니다(6장).
    // Each echo goes back in one write, so let the OS send it at once (chapter 6).
    call.set_nodelay(true)
        .context("nodelay를 켤 수 없습니다 · could not set TCP_NODELAY")?;
    let mut buf = vec![0u8; CHUNK];
    let mut echoed = 0;
    loop {
        let n = match call.read(&mut buf) {
            Ok(0) => return Ok((Ending::HungUp, echoed)),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if timed_out(&e) => return Ok((Ending::Silent, echoed)),
            Err(e) if is_reset(&e) => return Ok((Ending::Reset, echoed)),
            Err(e) => return Err(e).context("읽기 실패 · reading from the caller failed"),
        };
        match write_all_within(call, &buf[..n], idle) {
            Ok(()) => echoed += n as u64,
            Err(e) if timed_out(&e) => return Ok((Ending::NotReading, echoed)),
            Err(e) if is_reset(&e) => return Ok((Ending::Reset, echoed)),
            Err(e) => return Err(e).context("쓰기 실패 · echoing to the caller failed"),
        }
    }
}
// ANCHOR_END: echo

// ANCHOR: write_all_within
/// `bytes`를 모두 쓰되, 다 쓰기까지 `limit`을 넘기지 않습니다(6장과 같음). 쓰기 제한 시간은
/// 시스템 호출마다 새로 시작되므로, 쓰기 전마다 남은 시간으로 다시 정합니다.
/// Writes all of `bytes` within `limit` for the whole, as in chapter 6. A write timeout starts
/// afresh with every system call, so before each write we set it to the time that is left.
pub fn write_all_within(stream: &TcpStream, bytes: &[u8], limit: Duration) -> std::io::Result<()> {
    let deadline = Instant::now() + limit;
    let mut stream = stream;
    let mut rest = bytes;
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(rest) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            // 시간 초과면 다음 바퀴에서 남은 시간이 0입니다 · after a timeout, none is left.
            Err(e) if timed_out(&e) || e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: write_all_within

/// 읽기·쓰기 제한 시간이 지났는지. 유닉스는 WouldBlock, 윈도우는 TimedOut으로 알립니다.
/// Whether a read or write timeout expired: Unix says WouldBlock, Windows TimedOut.
pub fn timed_out(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// 상대가 인사 없이 끊었는지 · Whether the caller dropped the line without a goodbye.
pub fn is_reset(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

// ANCHOR: handle_call
/// 통화 하나를 처음부터 끝까지. 무슨 일이 있어도 이 통화만 끝나고, 서버는 계속 받습니다.
/// 끊는 것(call을 버리는 것)은 부른 쪽의 몫입니다.
/// One call, start to end. Whatever happens ends this call only; the server keeps answering.
/// Hanging up (dropping `call`) is left to whoever called this.
pub fn handle_call(call: &mut TcpStream, caller: SocketAddr, board: &Switchboard) {
    let outcome = {
        let on_the_line = board.live.enter();
        board.log.line(&format!(
            "통화 시작 · call from {caller} (live calls: {})",
            on_the_line.inside
        ));
        echo(call, board.idle)
    }; // 여기서 on_the_line이 버려져 1이 빠집니다 · on_the_line is dropped here: minus 1.
    let live = board.live.now();
    let line = match outcome {
        Ok((Ending::HungUp, n)) => format!("통화 종료 · {caller} hung up after {n} bytes"),
        Ok((Ending::Reset, n)) => {
            format!("통화 끊김 · {caller} reset the connection after {n} bytes")
        }
        Ok((Ending::Silent, _)) => format!(
            "말이 없음 · {caller} said nothing for {:?}: hanging up",
            board.idle
        ),
        Ok((Ending::NotReading, _)) => format!(
            "읽지 않음 · {caller} did not read our reply within {:?}: hanging up",
            board.idle
        ),
        Err(e) => format!("통화 오류 · {caller}: {e:#}"),
    };
    board.log.line(&format!("{line} (live calls: {live})"));
}
// ANCHOR_END: handle_call

// ANCHOR: next_call
/// 다음 전화를 받습니다. accept가 실패해도(파일 디스크립터가 바닥나는 등) 서버를 멈추지 않습니다.
/// Picks up the next call. A failed accept (out of file descriptors, say) never stops the server.
pub fn next_call(listener: &TcpListener, board: &Switchboard) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept() {
            Ok(call) => return call,
            Err(e) => {
                board
                    .log
                    .line(&format!("전화를 받지 못했습니다 · accept failed: {e}"));
                // 같은 오류로 CPU를 태우며 돌지 않도록 잠깐 쉽니다.
                // Pause, so the same error cannot spin the CPU.
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
}
// ANCHOR_END: next_call

// ANCHOR: serve_iterative
/// 한 번에 한 통: 이 통화가 끝나야 다음 전화를 받습니다.
/// One call at a time: the next call is picked up only when this one ends.
pub fn serve_iterative(listener: &TcpListener, board: &Switchboard) -> Result<()> {
    board
        .log
        .line("한 번에 한 통 · iterative: one call at a time");
    loop {
        let (mut call, caller) = next_call(listener, board);
        handle_call(&mut call, caller, board);
        drop(call); // 끊고 나서야 다음 전화를 받습니다 · hang up, and only then pick up the next
    }
}
// ANCHOR_END: serve_iterative

// ANCHOR: serve_thread_per_call
/// 통화마다 새 스레드: 몇 통이든 받지만, 스레드 수에 한도가 없습니다.
/// A new thread for every call: takes any number of calls, with no limit on threads.
pub fn serve_thread_per_call(listener: &TcpListener, board: &Switchboard) -> Result<()> {
    board
        .log
        .line("통화마다 스레드 · threads: a new thread for every call");
    loop {
        let (mut call, caller) = next_call(listener, board);
        let board_for_call = board.clone();
        // thread::spawn은 스레드를 만들 수 없으면 패닉합니다. Builder는 오류를 돌려줍니다.
        // thread::spawn panics when no thread can be made; Builder returns the error instead.
        let started = thread::Builder::new().spawn(move || {
            handle_call(&mut call, caller, &board_for_call);
        }); // 스레드가 끝나면 call이 버려집니다: 끊습니다 · call is dropped as the thread ends.
        if let Err(e) = started {
            // 클로저와 함께 call도 버려졌으니 이 통화는 끊겼습니다 · the call went with the closure.
            board.log.line(&format!(
                "스레드를 만들 수 없습니다 · no thread for {caller}: {e}"
            ));
        }
    }
}
// ANCHOR_END: serve_thread_per_call

// ANCHOR: serve_pool
/// 통화 하나와 그 통화가 차지한 자리 · A call, and the place it holds.
type Waiting = (TcpStream, SocketAddr, Entered);

/// 작업 스레드 `workers`개와, 그들을 기다리는 자리 `queue`개. 자리가 다 차 있으면
/// 다음 사람은 통화 중이라는 말을 듣고 끊깁니다.
/// `workers` worker threads and `queue` places to wait for them. When every place is taken,
/// the next caller hears that the lines are busy, and is hung up on.
pub fn serve_pool(
    listener: &TcpListener,
    workers: usize,
    queue: usize,
    board: &Switchboard,
) -> Result<()> {
    anyhow::ensure!(
        workers > 0,
        "작업 스레드가 적어도 하나 있어야 합니다 · a pool needs at least one worker"
    );
    board.log.line(&format!(
        "스레드 풀 · pool: {workers} workers, room for {queue} waiting for a free worker"
    ));
    // 자리: 통화 중(workers개까지) + 작업 스레드를 기다리는 중(queue개까지).
    // Places: talking (up to `workers`) plus waiting for a free worker (up to `queue`).
    let places = workers + queue;
    let taken = Counter::default();
    // 받은 통화가 작업 스레드를 기다리는 줄. 자리 수만큼 들어가므로 send는 기다리지 않습니다.
    // The line where accepted calls wait for a worker. It holds as many calls as there are
    // places, so send never waits.
    let (hand_over, waiting) = mpsc::sync_channel::<Waiting>(places);
    // Receiver는 하나뿐이라, 작업 스레드들이 뮤텍스로 나눠 씁니다.
    // There is only one Receiver, so the workers share it behind a mutex.
    let waiting = Arc::new(Mutex::new(waiting));
    for n in 1..=workers {
        let waiting = Arc::clone(&waiting);
        let board = board.clone();
        thread::Builder::new()
            .name(format!("worker-{n}"))
            .spawn(move || work(&waiting, &board))
            .context("작업 스레드를 만들 수 없습니다 · could not start a worker thread")?;
    }
    loop {
        let (call, caller) = next_call(listener, board);
        // 자리를 세는 것은 이 스레드뿐이라, 확인과 차지 사이에 끼어들 스레드가 없습니다.
        // Only this thread takes places, so nothing can slip in between the check and the take.
        if taken.now() >= places {
            turn_away(call, caller, places, board);
            continue;
        }
        let place = taken.enter();
        if hand_over.send((call, caller, place)).is_err() {
            anyhow::bail!("작업 스레드가 모두 멈췄습니다 · every worker thread has stopped");
        }
    }
}

/// 작업 스레드 하나: 기다리는 통화를 하나씩 꺼내 끝까지 처리합니다.
/// One worker: takes the waiting calls one by one and sees each to the end.
fn work(waiting: &Mutex<Receiver<Waiting>>, board: &Switchboard) {
    loop {
        // 잠금은 이 문장이 끝나면 풀립니다: 통화하는 동안 다른 작업 스레드를 막지 않습니다.
        // The lock is released at the end of this statement, not held during the call.
        let next = waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match next {
            Ok((mut call, caller, place)) => {
                handle_call(&mut call, caller, board);
                // 자리를 먼저 비우고 끊습니다: 끊는 소리를 듣고 다시 건 발신자는 빈자리를 찾습니다.
                // Free the place, then hang up: whoever hears the hang-up and calls back
                // finds the place free.
                drop(place);
                drop(call);
            }
            // 보내는 쪽이 사라졌습니다: 더 올 통화가 없습니다 · the sender is gone: no more calls.
            Err(_) => return,
        }
    }
}

/// 자리가 없는 사람: 기다리게 하지 않습니다. 통화마다 잠깐 사는 스레드가 안내를 들려주고
/// 끊습니다. 안내가 이미 BUSY_LINES통 나가는 중이면, 안내 없이 곧바로 끊습니다.
/// A caller with no place is never left waiting. A short-lived thread per call plays the
/// message and hangs up; if BUSY_LINES messages are already playing, we hang up at once,
/// without one.
fn turn_away(call: TcpStream, caller: SocketAddr, places: usize, board: &Switchboard) {
    // busy를 늘리는 것도 이 스레드뿐입니다 · only this thread adds to `busy`, too.
    if board.busy.now() >= BUSY_LINES {
        board.log.line(&format!(
            "통화 중 · {caller} turned away without the message: all {places} places are \
             taken and {BUSY_LINES} messages are playing"
        ));
        return; // 여기서 call이 버려집니다: 끊깁니다 · call is dropped here: hung up.
    }
    board.log.line(&format!(
        "통화 중 · {caller} turned away: all {places} places are taken"
    ));
    let playing = board.busy.enter();
    let started = thread::Builder::new()
        .name("busy-line".into())
        .spawn(move || {
            busy_line(call);
            drop(playing); // 안내가 끝났습니다 · the message is over.
        });
    if let Err(e) = started {
        // call과 playing은 클로저와 함께 버려졌습니다 · call and playing went with the closure.
        board.log.line(&format!(
            "스레드를 만들 수 없습니다 · no thread for {caller}'s busy message: {e}"
        ));
    }
}

/// 통화 중이라고 말한 뒤 예의 바르게 끊습니다 · Says the lines are busy, then hangs up politely.
fn busy_line(mut call: TcpStream) {
    // 새 연결의 보내기 버퍼는 비어 있으므로 이 짧은 쓰기는 기다리지 않습니다.
    // A new connection's send buffer is empty, so this short write does not wait.
    let _ = call.write_all(BUSY.as_bytes());
    let _ = call.shutdown(Shutdown::Write);
    // 읽지 않은 바이트를 남긴 채 끊으면 리셋(RST)이 가서 상대가 안내를 못 읽을 수
    // 있습니다. 그래서 상대가 끊을 때까지, 길어야 LINGER 동안, 듣고 버립니다 (6장).
    // Closing with unread bytes sends a reset (RST), and the caller may never read the
    // message. So read and throw away until the caller hangs up, LINGER at most (chapter 6).
    let deadline = Instant::now() + LINGER;
    let mut trash = vec![0u8; CHUNK];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || call.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match call.read(&mut trash) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}
// ANCHOR_END: serve_pool

/// 서버를 어떤 방식으로 돌릴지 · How the server takes its calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 한 번에 한 통 · one call at a time
    Iterative,
    /// 통화마다 스레드 · a thread per call
    Threads,
    /// 스레드 풀 · a pool of threads
    Pool,
}

/// 방식의 이름을 읽습니다: `iterative`, `threads`, `pool` (`main`의 기본은 pool).
/// Reads a mode's name: `iterative`, `threads` or `pool` (`main` defaults to pool).
pub fn parse_mode(text: &str) -> Result<Mode> {
    match text {
        "pool" => Ok(Mode::Pool),
        "iterative" => Ok(Mode::Iterative),
        "threads" => Ok(Mode::Threads),
        other => anyhow::bail!(
            "알 수 없는 방식입니다 · unknown mode {other:?}: use iterative, threads or pool"
        ),
    }
}

/// 주소에 bind하고 벨을 켭니다 (3장과 같음) · Binds and listens, as in chapter 3.
pub fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|error| {
        let advice = match error.kind() {
            ErrorKind::AddrInUse => format!(
                "이미 사용 중인 주소입니다 · {addr} is already in use: \
                 is another server still running? Stop it, or pass another address"
            ),
            ErrorKind::PermissionDenied => format!(
                "{addr}에 대한 권한이 없습니다 · no permission to bind {addr}: use a port above 1024"
            ),
            _ => format!("{addr}에 bind할 수 없습니다 · could not bind {addr}"),
        };
        anyhow::Error::new(error).context(advice)
    })
}

// ANCHOR: hold_calls
/// 전화 한 통이 어떻게 되었는지 · What became of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 누군가 받아서 우리 말을 돌려주었습니다 · someone picked up and echoed us
    Answered,
    /// 연결은 되었지만 `patience` 안에 아무 대답이 없습니다 · connected, but no reply in time
    NoAnswerYet,
    /// 서버가 이 말을 하고 끊었습니다 · the server said this and hung up
    TurnedAway(String),
}

/// 전화를 `n`통, 한 통씩 걸어 짧게 인사하고, 끊지 않고 들고 있습니다. 다음 통은 앞 통이
/// 받아졌거나(에코) `patience`가 지난 뒤에 겁니다.
/// Dials `n` calls one after another, says a short hello on each, and keeps them all open.
/// The next call is dialed once the previous one was answered (echoed) or `patience` ran out.
pub fn hold_calls(
    addr: SocketAddr,
    n: usize,
    patience: Duration,
    out: &mut impl Write,
) -> Result<Vec<TcpStream>> {
    let mut held = Vec::new();
    for i in 1..=n {
        let mut call = TcpStream::connect_timeout(&addr, patience).with_context(|| {
            format!("{addr}에 걸 수 없습니다 · could not dial {addr}: is the server running?")
        })?;
        let me = call.local_addr()?;
        let hello = format!("통화 {i} · call {i}\n");
        // 서버가 이미 끊었다면 쓰기가 실패할 수 있습니다: 무엇을 들었는지가 중요합니다.
        // If the server already hung up, the write may fail: what we hear is what matters.
        let _ = call.write_all(hello.as_bytes());
        let line = match hear_back(&mut call, hello.as_bytes(), patience)? {
            Answer::Answered => format!("{i}번 통화: 받았습니다 · call {i} from {me}: answered"),
            Answer::NoAnswerYet => format!(
                "{i}번 통화: 연결은 됐지만 아직 아무도 받지 않습니다 · call {i} from {me}: connected, no answer yet"
            ),
            Answer::TurnedAway(said) => format!(
                "{i}번 통화: 거절되었습니다 · call {i} from {me}: turned away: {:?}",
                said.trim_end()
            ),
        };
        writeln!(out, "{line}")?;
        held.push(call);
    }
    Ok(held)
}

/// 인사가 되돌아오는지, 서버가 무슨 말을 하고 끊는지, 아무 일도 없는지 들어 봅니다.
/// Hears whether our hello comes back, whether the server says something and hangs up, or
/// whether nothing happens at all.
fn hear_back(call: &mut TcpStream, hello: &[u8], patience: Duration) -> Result<Answer> {
    call.set_read_timeout(Some(patience))?;
    let mut heard = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        if heard.len() >= hello.len() && heard.starts_with(hello) {
            return Ok(Answer::Answered);
        }
        match call.read(&mut buf) {
            Ok(0) => {
                let said = String::from_utf8_lossy(&heard).into_owned();
                return Ok(Answer::TurnedAway(said));
            }
            Ok(n) => heard.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if timed_out(&e) && heard.is_empty() => return Ok(Answer::NoAnswerYet),
            Err(e) if is_reset(&e) => {
                let said = String::from_utf8_lossy(&heard).into_owned();
                return Ok(Answer::TurnedAway(said));
            }
            Err(e) => return Err(e).context("듣기 실패 · reading from the call failed"),
        }
    }
}
// ANCHOR_END: hold_calls
