//! 책의 서버마다 요청 하나와 답 하나의 왕복 시간을 잽니다 · Measures the round trip of one
//! request and its reply for every server of the book, next to a minimal echo server.
//!
//! Run: `cargo run --release -p bench --bin round_trips`
//!
//! Every server is a release build of the chapter's own binary, started on a free loopback port.
//! The baselines are processes of their own too (`src/bin/minimal.rs`): a minimal echo (a
//! thread per connection, a 64 KiB buffer, one `write` per `read`, nothing else), a minimal UDP
//! echo, and, for chapter 8's two hops, a minimal relay between two callers. Each cell is the median of `ROUNDS` round trips on one connection, and
//! the servers take turns (`REPEATS` interleaved passes) so a busy moment of the machine does
//! not land on one server only. The figures are printed, never asserted: this is a measurement.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1024, 8 * 1024, 64_000];
const ROUNDS: usize = 200;
const REPEATS: usize = 5;
/// 재기 전에 버리는 왕복 (캐시, 분기 예측, 첫 할당) · Round trips thrown away before measuring.
const WARM_UP: usize = 50;
/// 8장의 방은 한 사람에게 줄 100개까지 한꺼번에, 그 뒤로는 초당 1,000줄(줄마다 1 ms)을
/// 허락하므로, 그 안에서 잽니다 · Chapter 8's room lets a member say 100 lines at once and then
/// paces them to 1,000 a second (1 ms a line, on purpose), so the bounce stays within the burst.
const BOUNCES: usize = 80;
const BOUNCE_WARM_UP: usize = 10;
const PATIENCE: Duration = Duration::from_secs(10);

/// How a server wants a message wrapped, and what its reply looks like.
#[derive(Clone, Copy, PartialEq)]
enum Wire {
    /// The reply is the request's bytes (echo).
    Echo,
    /// Chapter 6 `lines`: the message and `\n`; the reply is the same line.
    Line,
    /// Chapter 6 `frames`: a 4-byte big-endian length, then the message; the reply likewise.
    Frame,
}

struct Server {
    name: &'static str,
    wire: Wire,
    addr: SocketAddr,
    _child: Option<Started>,
}

fn main() {
    pin_to_one_cpu();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let packages = [
        "ch03_server",
        "ch05_byte_stream",
        "ch06_framing",
        "ch07_threads",
        "ch08_chat",
        "ch09_udp",
        "ch10_errors",
        "bench",
    ];
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "--bins"]);
    for package in packages {
        build.args(["-p", package]);
    }
    assert!(
        build.status().expect("cargo build").success(),
        "build failed"
    );
    let bin = |name: &str| root.join("target/release").join(name);

    let (baseline, baseline_echo) = start(&bin("minimal"), &["echo"]);
    let mut servers = vec![Server {
        name: "minimal echo",
        wire: Wire::Echo,
        addr: baseline_echo,
        _child: Some(baseline),
    }];
    let programs: [(&str, &str, &[&str], Wire); 8] = [
        ("ch03 echo", "ch03_server", &[], Wire::Echo),
        ("ch05 byte stream", "ch05_byte_stream", &[], Wire::Echo),
        ("ch06 lines", "ch06_framing", &["lines"], Wire::Line),
        ("ch06 frames", "ch06_framing", &["frames"], Wire::Frame),
        ("ch07 iterative", "ch07_threads", &["iterative"], Wire::Echo),
        ("ch07 threads", "ch07_threads", &["threads"], Wire::Echo),
        ("ch07 pool", "ch07_threads", &["pool"], Wire::Echo),
        ("ch10 server", "ch10_errors", &[], Wire::Line),
    ];
    for (name, program, args, wire) in programs {
        let (child, addr) = start(&bin(program), args);
        servers.push(Server {
            name,
            wire,
            addr,
            _child: Some(child),
        });
    }

    // 서버마다 연결 하나 · one connection per server, kept for the whole run
    let mut phones: Vec<TcpStream> = servers.iter().map(|s| dial(s.addr)).collect();
    let mut samples = vec![vec![Vec::new(); SIZES.len()]; servers.len()];
    for (s, server) in servers.iter().enumerate() {
        for size in SIZES {
            let request = wrap(server.wire, &vec![b'a'; size]);
            for _ in 0..WARM_UP {
                round_trip(&mut phones[s], &request);
            }
        }
    }
    for _ in 0..REPEATS {
        for (s, server) in servers.iter().enumerate() {
            for (k, &size) in SIZES.iter().enumerate() {
                let request = wrap(server.wire, &vec![b'a'; size]);
                for _ in 0..ROUNDS / REPEATS {
                    samples[s][k].push(round_trip(&mut phones[s], &request));
                }
            }
        }
    }

    // 9장: UDP 데이터그램 하나와 그 답 · chapter 9: one datagram and its reply
    let (_udp, udp_addr) = start(&bin("ch09_udp"), &[]);
    let (_udp_baseline, udp_baseline) = start(&bin("minimal"), &["udp"]);
    let udp = udp_round_trips(udp_addr, udp_baseline);
    // 8장: 1,000바이트 한 줄이 A → B → A · chapter 8: a 1,000-byte line from A to B and back
    let (_chat, chat_addr) = start(&bin("ch08_chat"), &[]);
    let chat = chat_round_trip(chat_addr);
    let (_relay, relay_addr) = start(&bin("minimal"), &["relay"]);
    let (a, b) = relay_members(relay_addr);
    let relay = bounce(a, b);

    println!("round trip of one request and its reply, median of {ROUNDS} (µs)");
    print!("{:<18}", "server");
    for size in SIZES {
        print!("{:>12}", format!("{size} B"));
    }
    println!("{:>14}", "worst vs echo");
    let baseline: Vec<f64> = samples[0].iter_mut().map(|c| median(c)).collect();
    for (s, server) in servers.iter().enumerate() {
        print!("{:<18}", server.name);
        let mut worst: f64 = 0.0;
        for (k, cell) in samples[s].iter_mut().enumerate() {
            let m = median(cell);
            worst = worst.max(m / baseline[k]);
            print!("{m:>12.1}");
        }
        println!("{:>13.1}×", worst);
    }
    // UDP는 UDP 기준과 견줍니다 · UDP is compared with a minimal UDP echo
    for (name, cells) in [("minimal UDP echo", &udp[0]), ("ch09 udp", &udp[1])] {
        print!("{name:<18}");
        let mut worst: f64 = 0.0;
        for (k, m) in cells.iter().enumerate() {
            worst = worst.max(m / udp[0][k]);
            print!("{m:>12.1}");
        }
        println!("{worst:>13.1}×");
    }
    // 8장은 두 번 건너가므로 최소 중계와 견줍니다 · chapter 8 is two hops: compared with a
    // minimal relay
    println!(
        "A → B → A, 1,000-byte lines (2 hops), median of {BOUNCES}, within the room's burst (µs)"
    );
    println!("{:<18}{relay:>12.1}{:>26}", "minimal relay", "1.0×");
    println!("{:<18}{chat:>12.1}{:>25.1}×", "ch08 chat", chat / relay);
}

/// 벤치와 서버를 모두 CPU 하나에 묶어 다시 실행합니다 (리눅스 `taskset`). 가상 머신에서는
/// 다른 CPU에서 잠든 스레드를 깨우는 데 35 µs쯤 들어, 서버 자체의 비용을 덮어 버립니다.
/// Runs the bench again with it and every server on one CPU (Linux `taskset`, inherited by the
/// servers). On a virtual machine, waking a thread asleep on the other CPU costs about 35 µs,
/// which would hide what the servers themselves cost.
fn pin_to_one_cpu() {
    if std::env::var_os("BENCH_PINNED").is_some() {
        println!("(pinned to CPU 0 with taskset)");
        return;
    }
    let me = std::env::current_exe().expect("the bench's path");
    match Command::new("taskset")
        .args(["-c", "0"])
        .arg(me)
        .env("BENCH_PINNED", "1")
        .status()
    {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(_) => {
            println!("(taskset is missing: not pinned, so figures mix in cross-CPU wake-ups)")
        }
    }
}

/// 띄운 서버: 벤치가 끝나면 멈추고 로그 파일을 지웁니다 · A started server: stopped, and its
/// log file removed, when the bench ends (left running, it would outlive the bench).
struct Started(Child, std::path::PathBuf);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_file(&self.1);
    }
}

/// 서버를 띄우고 "listening on ADDR" 줄을 기다립니다 · Starts a server and waits for its
/// "listening on ADDR" line in its log file.
fn start(exe: &std::path::Path, args: &[&str]) -> (Started, SocketAddr) {
    // 로그는 파이프가 아니라 파일로: 파이프라면 로그 한 줄마다 그것을 읽는 스레드가 깨어나,
    // 같은 CPU에서 서버와 다툽니다 · the log goes to a file, not a pipe: with a pipe, every log
    // line would wake a reader thread that competes with the server for the one CPU.
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let log = std::env::temp_dir().join(format!("bench-{}-{n}.log", std::process::id()));
    let file = std::fs::File::create(&log).expect("a log file");
    let child = Command::new(exe)
        .args(args)
        .arg("127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(file)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", exe.display()));
    let started = Started(child, log);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = std::fs::read_to_string(&started.1).unwrap_or_default();
        if let Some(line) = text.lines().find(|line| line.contains("listening on")) {
            let addr = line
                .trim()
                .rsplit(' ')
                .next()
                .and_then(|a| a.parse().ok())
                .expect("address");
            return (started, addr);
        }
        assert!(
            Instant::now() < deadline,
            "no address from {}",
            exe.display()
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// (기준, 9장) 데이터그램 왕복의 중앙값 · Medians of datagram round trips: (baseline, chapter 9).
fn udp_round_trips(chapter: SocketAddr, baseline: SocketAddr) -> [Vec<f64>; 2] {
    let phone = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    phone.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut samples = [vec![Vec::new(); SIZES.len()], vec![Vec::new(); SIZES.len()]];
    let mut reply = vec![0; 65_536];
    for _ in 0..REPEATS {
        for (s, to) in [baseline, chapter].into_iter().enumerate() {
            for (k, &size) in SIZES.iter().enumerate() {
                let message = vec![b'a'; size];
                for _ in 0..ROUNDS / REPEATS {
                    let started = Instant::now();
                    phone.send_to(&message, to).expect("send");
                    let (n, _) = phone
                        .recv_from(&mut reply)
                        .expect("the reply (UDP, loopback)");
                    assert_eq!(n, size);
                    samples[s][k].push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
    }
    samples.map(|cells| cells.into_iter().map(|mut c| median(&mut c)).collect())
}

/// 두 사람이 방에 들어와 1,000바이트 줄을 주고받습니다 · Two members join and bounce a
/// 1,000-byte line: the median time from A's line to A hearing B's answer.
fn chat_round_trip(addr: SocketAddr) -> f64 {
    let join = |name: &str| {
        let phone = dial(addr);
        let mut heard = BufReader::new(phone.try_clone().expect("clone"));
        let mut line = String::new();
        heard.read_line(&mut line).expect("the name question");
        (&phone)
            .write_all(format!("{name}\n").as_bytes())
            .expect("name");
        line.clear();
        heard.read_line(&mut line).expect("welcome");
        (phone, heard)
    };
    let mut a = join("a");
    let b = join("b");
    let mut line = String::new();
    a.1.read_line(&mut line).expect("b joined");
    bounce(a, b)
}

/// 말하는 쪽과 그 말을 듣는 쪽 · A member's phone, and what it hears.
type Member = (TcpStream, BufReader<TcpStream>);

/// 두 사람 사이에 들어간 것(중계 기준) · The minimal relay's two callers.
fn relay_members(addr: SocketAddr) -> (Member, Member) {
    let member = || {
        let phone = dial(addr);
        let hears = BufReader::new(phone.try_clone().expect("clone"));
        (phone, hears)
    };
    (member(), member())
}

/// A가 1,000바이트 줄을 말하고, B가 듣고 답하고, A가 들을 때까지의 중앙값 · The median time
/// from A's 1,000-byte line to A hearing B's answer.
fn bounce((mut a, mut a_hears): Member, (mut b, mut b_hears): Member) -> f64 {
    let text = format!("{}\n", "x".repeat(1000));
    let mut line = String::new();
    let mut samples = Vec::new();
    for round in 0..BOUNCE_WARM_UP + BOUNCES {
        let started = Instant::now();
        a.write_all(text.as_bytes()).expect("a talks");
        line.clear();
        b_hears.read_line(&mut line).expect("b hears");
        b.write_all(text.as_bytes()).expect("b answers");
        line.clear();
        a_hears.read_line(&mut line).expect("a hears");
        if round >= BOUNCE_WARM_UP {
            samples.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    median(&mut samples)
}

fn dial(addr: SocketAddr) -> TcpStream {
    let phone = TcpStream::connect_timeout(&addr, PATIENCE).expect("dial");
    phone.set_read_timeout(Some(PATIENCE)).expect("timeout");
    // 잰 시간이 클라이언트의 Nagle이 아니라 서버의 것이도록 · so the figure is the server's
    phone.set_nodelay(true).expect("nodelay");
    phone
}

fn wrap(wire: Wire, message: &[u8]) -> Vec<u8> {
    match wire {
        Wire::Echo => message.to_vec(),
        Wire::Line => [message, b"\n"].concat(),
        Wire::Frame => [&(message.len() as u32).to_be_bytes()[..], message].concat(),
    }
}

/// 요청을 한 번에 쓰고, 같은 길이의 답을 다 읽을 때까지 · One write, then the whole reply.
fn round_trip(phone: &mut TcpStream, request: &[u8]) -> f64 {
    let started = Instant::now();
    phone.write_all(request).expect("write");
    let mut reply = vec![0; request.len()];
    phone.read_exact(&mut reply).expect("read the reply");
    started.elapsed().as_secs_f64() * 1e6
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
