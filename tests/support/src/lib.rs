//! 여러 장의 테스트가 함께 쓰는 도우미 · Helpers that the chapters' tests share.
//!
//! Every wait here has a deadline, so a bug fails a test fast instead of hanging it. The
//! deadlines are generous (a busy laptop is slow); a test never depends on how fast it is.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long any single wait in a test may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A listener on `127.0.0.1:0`: the OS picks a free port.
pub fn loopback_listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")
}

/// Dials `addr` with a deadline; reads and writes on the stream time out after [`TIMEOUT`].
pub fn dial(addr: SocketAddr) -> TcpStream {
    let stream =
        TcpStream::connect_timeout(&addr, TIMEOUT).unwrap_or_else(|e| panic!("dial {addr}: {e}"));
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("write timeout");
    stream
}

/// Reads until the peer hangs up (each read has the stream's timeout); panics on a timeout.
pub fn read_until_hang_up(stream: &mut TcpStream) -> Vec<u8> {
    if stream.read_timeout().ok().flatten().is_none() {
        stream
            .set_read_timeout(Some(TIMEOUT))
            .expect("read timeout");
    }
    let mut all = Vec::new();
    stream
        .read_to_end(&mut all)
        .unwrap_or_else(|e| panic!("reading until hang-up: {e} (after {} bytes)", all.len()));
    all
}

/// Sends `message` (on another thread, so a large echo cannot deadlock), says "done" with
/// `shutdown(Write)`, and reads the whole reply until the peer hangs up.
pub fn round_trip(addr: SocketAddr, message: &[u8]) -> Vec<u8> {
    round_trip_on(dial(addr), message)
}

/// Runs `work` on a thread and waits for its result at most `deadline`; panics past it.
pub fn within<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(work());
    });
    match result.recv_timeout(deadline) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("not done within {deadline:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the work panicked (see above)"),
    }
}

/// A log a server writes and a test reads at any time (a `Write` shared between threads).
#[derive(Debug, Clone, Default)]
pub struct SharedLog(Arc<Mutex<Vec<u8>>>);

impl Write for SharedLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SharedLog {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("log lock").clone()).expect("log is UTF-8")
    }

    /// Waits (at most [`TIMEOUT`]) until `needle` appears `times` times; returns the log.
    pub fn wait_for(&self, needle: &str, times: usize) -> String {
        let end = Instant::now() + TIMEOUT;
        loop {
            let text = self.text();
            if text.matches(needle).count() >= times {
                return text;
            }
            assert!(
                Instant::now() < end,
                "no {times} × {needle:?} in the log:\n{text}"
            );
            thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A chapter binary started on `127.0.0.1:0`, with the address it printed it listens on.
#[derive(Debug)]
pub struct Running {
    pub child: Child,
    pub addr: SocketAddr,
    pub stdout: BufReader<ChildStdout>,
}

impl Running {
    /// Starts `exe` with `args` and waits (at most [`TIMEOUT`]) for its "listening on ADDR"
    /// line; ADDR is the last word of that line.
    pub fn start(exe: &str, args: &[&str]) -> Running {
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .env_remove("RUST_BACKTRACE")
            .spawn()
            .unwrap_or_else(|e| panic!("start {exe}: {e}"));
        let stdout = child.stdout.take().expect("stdout");
        let (first, lines) = mpsc::channel();
        let reader = thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            while stdout.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line.contains("listening on") {
                    break;
                }
                line.clear();
            }
            let _ = first.send(line);
            stdout
        });
        let Ok(line) = lines.recv_timeout(TIMEOUT) else {
            let _ = child.kill();
            panic!("{exe} printed no \"listening on\" line within {TIMEOUT:?}");
        };
        let stdout = reader.join().expect("reader");
        let addr = line
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address at the end of {line:?}"));
        Running {
            child,
            addr,
            stdout,
        }
    }

    /// Waits (at most [`TIMEOUT`]) for the program to exit; returns whether it succeeded and
    /// the rest of its stdout.
    pub fn finish(mut self) -> (bool, String) {
        let end = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("the program did not exit within {TIMEOUT:?}");
            }
            thread::sleep(Duration::from_millis(10));
        };
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        (status.success(), rest)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // 테스트가 실패해도 프로그램을 남기지 않습니다 · never leave a program behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// [`round_trip`] on a call that is already dialed (when the test decides the moment of dialing):
/// sends `message` on another thread, says "done" with `shutdown(Write)`, reads until hang-up.
pub fn round_trip_on(stream: TcpStream, message: &[u8]) -> Vec<u8> {
    let mut reader = stream.try_clone().expect("clone");
    let message = message.to_vec();
    let writer = thread::spawn(move || {
        let mut stream = stream;
        stream.write_all(&message).expect("write");
        stream.shutdown(Shutdown::Write).expect("half-close");
    });
    let reply = read_until_hang_up(&mut reader);
    writer.join().expect("writer thread");
    reply
}

/// A peer that reads slowly but never stops: at most `sip` bytes every `pause`, until
/// [`SlowReader::stop`]. A write to it keeps making a little progress, forever.
#[derive(Debug)]
pub struct SlowReader {
    stop: mpsc::Sender<()>,
    reader: thread::JoinHandle<usize>,
}

impl SlowReader {
    /// Accepts one call on `listener` (on a thread) and starts reading it slowly.
    pub fn accept(listener: TcpListener, sip: usize, pause: Duration) -> SlowReader {
        let (stop, stopped) = mpsc::channel::<()>();
        let reader = thread::spawn(move || {
            let (mut call, _) = listener.accept().expect("accept");
            let mut buf = vec![0u8; sip];
            let mut total = 0;
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(pause) {
                match call.read_exact(&mut buf) {
                    Ok(()) => total += sip,
                    Err(_) => break,
                }
            }
            total
        });
        SlowReader { stop, reader }
    }

    /// Stops reading; returns how many bytes were read in all.
    pub fn stop(self) -> usize {
        drop(self.stop);
        let reader = self.reader;
        within(TIMEOUT, move || reader.join().expect("slow reader"))
    }
}

/// Hangs up with a reset: `SO_LINGER` 0 makes `close` send RST instead of FIN.
pub fn hang_up_with_reset(stream: TcpStream) {
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER 0");
    drop(stream);
}

/// A call whose other end has hung up with a reset, once the reset has arrived: the stream has
/// no peer address any more (ENOTCONN), and asking does not take the pending error. Returns the
/// stream and the address it had dialed.
pub fn a_call_reset_by_the_other_end() -> (TcpStream, SocketAddr) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let phone = dial(addr);
    let (call, _) = listener.accept().expect("accept");
    hang_up_with_reset(call);
    let end = Instant::now() + TIMEOUT;
    while phone.peer_addr().is_ok() {
        assert!(Instant::now() < end, "the reset never arrived");
        thread::yield_now();
    }
    (phone, addr)
}

/// A listener on a loopback port below the ephemeral range (Linux gives ports 32768–60999 to
/// `bind(0)` and to outgoing calls), so no other test's port-0 listener or outgoing call can be
/// given this port after the test lets it go: for tests that release a port and look at it again.
pub fn listener_outside_the_ephemeral_range() -> TcpListener {
    let start = 20_000 + (std::process::id() % 10_000) as u16;
    (start..32_768)
        .chain(20_000..start)
        .find_map(|port| TcpListener::bind(("127.0.0.1", port)).ok())
        .expect("a free loopback port between 20000 and 32767")
}

/// A number not in service: a TCP socket bound to a loopback port but never listening, so a
/// dial there is refused (RST), and, as long as this value lives, no other socket can take the
/// port (a released port could be given to another test's socket at any moment).
#[derive(Debug)]
pub struct NotInService {
    _holder: socket2::Socket,
    /// The address to dial.
    pub addr: SocketAddr,
}

impl NotInService {
    /// Binds 127.0.0.1:0 without listening.
    pub fn new() -> NotInService {
        use socket2::{Domain, Socket, Type};
        let holder = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        let any: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        holder.bind(&any.into()).expect("bind 127.0.0.1:0");
        let addr = holder
            .local_addr()
            .expect("local addr")
            .as_socket()
            .expect("an IP address");
        NotInService {
            _holder: holder,
            addr,
        }
    }
}

impl Default for NotInService {
    fn default() -> NotInService {
        NotInService::new()
    }
}

/// 도구나 권한이 없을 때(tcpdump, `ss`): CI에서는 실패, 그 밖에는 크게 알리고 통과.
/// A missing tool or permission (tcpdump, `ss`): a failure when `CI` is set, and a loud message
/// elsewhere, so a laptop without the tool still runs the rest but CI never skips silently.
pub fn tool_unavailable(what: &str) {
    let message = format!("\n!!!!! 도구를 쓸 수 없습니다 · CANNOT RUN A TOOL: {what} !!!!!\n");
    if std::env::var_os("CI").is_some() {
        panic!("{message}(CI is set, so this is a failure)");
    }
    eprintln!("{message}(not in CI: passing without this check)");
}

/// 캡처가 켜지거나 패킷을 보기까지의 한도 · How long a capture may take to start or to see the packets a test waits for.
const CAPTURE_DEADLINE: Duration = Duration::from_secs(20);

/// 루프백의 tcpdump 하나, 패킷 줄을 오는 대로 모읍니다.
/// One `tcpdump` on loopback, its packet lines collected as they arrive.
#[derive(Debug)]
pub struct Capture {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Capture {
    /// tcpdump를 켜고 "listening on lo"를 기다립니다; 캡처할 수 없으면 None.
    /// Starts `tcpdump -i lo -n -l -c PACKETS [OPTIONS] FILTER` and waits until it says
    /// "listening on lo". `None` (after [`tool_unavailable`]) where it cannot capture: no
    /// tcpdump, or no right to capture (root or CAP_NET_RAW).
    pub fn start(filter: &str, packets: usize, options: &[&str]) -> Option<Capture> {
        let spawned = Command::new("tcpdump")
            .args(["-i", "lo", "-n", "-l", "-c", &packets.to_string()])
            .args(options)
            .arg(filter)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(error) => {
                tool_unavailable(&format!(
                    "tcpdump cannot be started ({error}): install it (Debian: apt-get install tcpdump)"
                ));
                return None;
            }
        };
        let (said, hear) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = said.send(line);
            }
        });
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let sink = Arc::clone(&lines);
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("lock").push(line);
            }
        });
        let end = Instant::now() + CAPTURE_DEADLINE;
        let mut told = Vec::new();
        loop {
            match hear.recv_timeout(end.saturating_duration_since(Instant::now())) {
                Ok(line) if line.contains("listening on lo") => {
                    return Some(Capture { child, lines });
                }
                Ok(line) => told.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = child.wait();
                    tool_unavailable(&format!(
                        "tcpdump cannot capture on lo (run as root or give it CAP_NET_RAW): {}",
                        told.join(" / ")
                    ));
                    return None;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("tcpdump never said \"listening on lo\": {told:?}");
                }
            }
        }
    }

    /// Waits until `count` packets have been seen and returns every line so far; panics with
    /// what was seen if they do not arrive within the deadline.
    pub fn wait_for(&self, count: usize) -> Vec<String> {
        let end = Instant::now() + CAPTURE_DEADLINE;
        loop {
            let lines = self.lines.lock().expect("lock").clone();
            if lines.len() >= count {
                return lines;
            }
            assert!(
                Instant::now() < end,
                "the capture saw {} packets, not {count}:\n{}",
                lines.len(),
                lines.join("\n")
            );
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
