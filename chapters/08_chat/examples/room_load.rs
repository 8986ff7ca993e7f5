//! 방에 평범한 부하를 걸고 숫자를 찍습니다 (테스트가 아니라 측정입니다).
//! Puts ordinary load on the room and prints figures (a measurement, not a test).
//!
//! `cargo run --release -p ch08_chat --example room_load`
//!
//! 1. 100명이 저마다 100줄: 모두가 모든 줄을 받기까지 · 100 members × 100 lines, all delivered.
//! 2. A에서 B까지: 한가할 때와 줄이 잇따를 때 · A→B latency, idle and back to back.
//! 3. 10명 방에서 주고받기 · ping-pong in a room of ten.
//! 4. 1000명이 한꺼번에 들어오기 · 1,000 callers joining at once.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ch08_chat::{Rules, listen, open_file_limit, serve};

/// 줄 하나를 기다리는 한도 · The longest wait for one line.
const PATIENCE: Duration = Duration::from_secs(30);

/// 참가자 하나: 전화를 걸고, 이름을 말하고, 환영 인사까지 듣습니다.
/// One member: dials, gives a name, hears the welcome.
struct Member {
    phone: TcpStream,
    ears: BufReader<TcpStream>,
}

impl Member {
    fn join(addr: SocketAddr, name: &str) -> Result<Member> {
        let phone = TcpStream::connect(addr).context("dial")?;
        phone.set_nodelay(true)?;
        phone.set_read_timeout(Some(PATIENCE))?;
        let ears = BufReader::new(phone.try_clone()?);
        let mut member = Member { phone, ears };
        member.say(name)?;
        loop {
            let line = member.hear()?;
            if line.contains("welcome") {
                return Ok(member);
            }
            if line.starts_with('!') {
                bail!("{name} was refused: {line}");
            }
        }
    }

    fn say(&mut self, line: &str) -> Result<()> {
        Ok(self.phone.write_all(format!("{line}\n").as_bytes())?)
    }

    fn hear(&mut self) -> Result<String> {
        let mut line = String::new();
        if self.ears.read_line(&mut line)? == 0 {
            bail!("the server hung up");
        }
        Ok(line.trim_end().to_string())
    }

    /// `needle`이 든 줄이 올 때까지 읽습니다 · Reads until a line containing `needle`.
    fn hear_until(&mut self, needle: &str) -> Result<()> {
        while !self.hear()?.contains(needle) {}
        Ok(())
    }
}

fn start_room() -> Result<SocketAddr> {
    let listener = listen("127.0.0.1:0".parse()?)?;
    let addr = listener.local_addr()?;
    thread::spawn(move || serve(listener, Rules::default(), &mut std::io::sink()));
    Ok(addr)
}

/// 1. 100명 × 100줄 · 100 members × 100 lines.
fn hundred_by_hundred() -> Result<()> {
    const MEMBERS: usize = 100;
    const LINES: usize = 100;
    let addr = start_room()?;
    let members = (0..MEMBERS)
        .map(|i| Member::join(addr, &format!("p{i}")))
        .collect::<Result<Vec<_>>>()?;
    let start = Arc::new(Barrier::new(MEMBERS + 1));
    let threads: Vec<_> = members
        .into_iter()
        .map(|mut member| {
            let start = Arc::clone(&start);
            thread::spawn(move || -> Result<usize> {
                start.wait();
                let lines: String = (0..LINES).map(|n| format!("{n}\n")).collect();
                member.phone.write_all(lines.as_bytes())?;
                let mut heard = 0;
                while heard < (MEMBERS - 1) * LINES {
                    if !member.hear()?.starts_with('*') {
                        heard += 1;
                    }
                }
                Ok(heard)
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let mut delivered = 0;
    for thread in threads {
        delivered += thread.join().expect("member thread")?;
    }
    let took = began.elapsed();
    println!(
        "100명 × 100줄 · 100 members × 100 lines: {delivered} lines delivered \
         (every line to every other member), nobody hung up, in {:.0} ms",
        took.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// 가운데값과 99번째 백분위수 · The median and the 99th percentile.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

/// 2. A에서 B까지 걸리는 시간 · How long a line takes from A to B.
fn latency() -> Result<()> {
    let addr = start_room()?;
    let mut a = Member::join(addr, "A")?;
    let mut b = Member::join(addr, "B")?;
    a.hear_until("B joined")?;
    // 한가할 때: 한 줄 보내고, B가 받으면 잠시 쉬고 다음 줄 (사람이 치듯, 양동이가 비지 않게).
    // Idle: one line, wait until B has it, pause, the next (as someone typing; the bucket never
    // runs dry).
    let mut idle = Vec::new();
    for n in 0..2000 {
        thread::sleep(Duration::from_millis(2));
        let sent = Instant::now();
        a.say(&n.to_string())?;
        b.hear()?;
        idle.push(sent.elapsed());
    }
    // 잇따를 때: 100줄을 줄마다 write 하나로 쉬지 않고 · back to back: 100 lines, one write
    // each, without a pause; each line's time runs from its own write.
    let mut back_to_back = Vec::new();
    for _ in 0..20 {
        // 양동이가 다시 차도록 쉽니다 · rest, so the bucket is full again
        thread::sleep(Duration::from_millis(150));
        let writer = a.phone.try_clone()?;
        let sender = thread::spawn(move || -> Result<Vec<Instant>> {
            let mut writer = writer;
            let mut times = Vec::new();
            for n in 0..100 {
                times.push(Instant::now());
                writer.write_all(format!("{n}\n").as_bytes())?;
            }
            Ok(times)
        });
        let mut arrived = Vec::new();
        for _ in 0..100 {
            b.hear()?;
            arrived.push(Instant::now());
        }
        let sent = sender.join().expect("sender")?;
        back_to_back.extend(arrived.iter().zip(&sent).map(|(r, s)| *r - *s));
    }
    let (p50, p99) = percentiles(idle);
    println!("A → B, 한가할 때 · idle: p50 {p50:.0} µs, p99 {p99:.0} µs (2000 lines)");
    let (p50, p99) = percentiles(echo_round_trips(2000)?);
    println!(
        "비교: 평범한 에코 서버 왕복 · for comparison, a plain echo round trip: \
         p50 {p50:.0} µs, p99 {p99:.0} µs"
    );
    let (p50, p99) = percentiles(back_to_back);
    println!(
        "A → B, 100줄이 잇따를 때 · back to back: p50 {p50:.0} µs, p99 {p99:.0} µs (20 × 100 lines)"
    );
    Ok(())
}

/// 10명이 있는 방에서 둘이 주고받기: 민수가 말하고, 지영이 듣자마자 답하고, 민수가 그 답을 듣기까지.
/// Ping-pong in a room of ten: A speaks, B answers as soon as it hears, until A hears the answer.
fn ping_pong() -> Result<()> {
    let addr = start_room()?;
    let mut members = (0..10)
        .map(|i| Member::join(addr, &format!("m{i}")))
        .collect::<Result<Vec<_>>>()?;
    let mut b = members.remove(1);
    let mut a = members.remove(0);
    b.hear_until("m9 joined")?;
    a.hear_until("m9 joined")?;
    let mut rounds = Vec::new();
    for n in 0..1000 {
        thread::sleep(Duration::from_millis(2));
        let sent = Instant::now();
        a.say(&format!("ping {n}"))?;
        b.hear_until(&format!("m0: ping {n}"))?;
        b.say(&format!("pong {n}"))?;
        a.hear_until(&format!("m1: pong {n}"))?;
        rounds.push(sent.elapsed());
    }
    let (p50, p99) = percentiles(rounds);
    println!(
        "10명 방에서 주고받기 · ping-pong in a room of ten: p50 {p50:.0} µs, p99 {p99:.0} µs \
         (1000 rounds)"
    );
    Ok(())
}

/// 비교할 것: 줄을 그대로 돌려주는 가장 작은 서버와의 왕복 · For comparison: round trips to
/// the smallest server that sends each line back.
fn echo_round_trips(times: usize) -> Result<Vec<Duration>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::spawn(move || -> Result<()> {
        let (phone, _) = listener.accept()?;
        phone.set_nodelay(true)?;
        let mut ears = BufReader::new(phone.try_clone()?);
        let mut mouth = phone;
        let mut line = String::new();
        while ears.read_line(&mut line)? > 0 {
            mouth.write_all(line.as_bytes())?;
            line.clear();
        }
        Ok(())
    });
    let phone = TcpStream::connect(addr)?;
    phone.set_nodelay(true)?;
    let mut ears = BufReader::new(phone.try_clone()?);
    let mut mouth = phone;
    let mut samples = Vec::new();
    let mut line = String::new();
    for n in 0..times {
        let sent = Instant::now();
        mouth.write_all(format!("{n}\n").as_bytes())?;
        ears.read_line(&mut line)?;
        samples.push(sent.elapsed());
        line.clear();
    }
    Ok(samples)
}

/// 4. 한꺼번에 들어오기 · Joining all at once.
fn thousand_join() -> Result<()> {
    // 이 프로세스에는 서버 쪽 소켓과 손님 쪽 소켓이 함께 있습니다: 한 사람에 둘씩.
    // This process holds the server's sockets and the callers': two per member.
    let limit = open_file_limit();
    let callers = match limit {
        Some(limit) => 1000.min(limit.saturating_sub(64) / 2),
        None => 1000,
    };
    if callers < 1000 {
        println!(
            "열린 파일 한도가 {limit:?}개라 {callers}명으로 잽니다 · open-file limit {limit:?}: \
             measuring {callers} callers (raise it with ulimit -n 4096)"
        );
    }
    let addr = start_room()?;
    let start = Arc::new(Barrier::new(callers + 1));
    let threads: Vec<_> = (0..callers)
        .map(|i| {
            let start = Arc::clone(&start);
            thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || -> Result<(Member, Instant)> {
                    start.wait();
                    let member = Member::join(addr, &format!("c{i}"))?;
                    Ok((member, Instant::now()))
                })
                .expect("spawn")
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let mut last = began;
    let mut joined = Vec::new();
    let mut refused = 0;
    for thread in threads {
        match thread.join().expect("caller thread") {
            Ok((member, at)) => {
                last = last.max(at);
                joined.push(member);
            }
            Err(_) => refused += 1,
        }
    }
    println!(
        "{callers}명이 한꺼번에 전화 · {callers} callers at once: {} joined, {refused} refused, \
         the last welcome after {:.0} ms",
        joined.len(),
        (last - began).as_secs_f64() * 1000.0
    );
    Ok(())
}

fn main() -> Result<()> {
    hundred_by_hundred()?;
    latency()?;
    ping_pong()?;
    thousand_join()?;
    Ok(())
}
