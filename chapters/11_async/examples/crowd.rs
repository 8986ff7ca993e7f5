// 연결 N개를 한꺼번에 열어 두고 서버의 메모리(RSS)를 잽니다: tokio 서버와 7장의 통화마다
// 스레드 서버 · Holds N connections open at once and measures the server's memory (RSS):
// the tokio server next to chapter 7's thread-per-call server.
//
// `cargo run --release -p ch11_async --example crowd -- 10000`
//
// 서버마다 자식 프로세스를 띄우고 (이 프로그램을 `serve-async`/`serve-threads`로 다시 실행),
// 그 프로세스의 /proc/PID/status VmRSS를 읽습니다 · Each server runs as a child process (this
// program again, as `serve-async`/`serve-threads`), whose /proc/PID/status VmRSS is read.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use ch11_async::{Limits, Log, serve};

const USAGE: &str = "\
사용법: crowd [연결 수]   기본 10000 · usage: crowd [CONNECTIONS]   default 10000";

/// 서버가 말없는 통화를 기다리는 시간: 측정 동안 끊지 않을 만큼 · How long the servers wait
/// for a silent call: long enough never to hang up during the measurement.
const IDLE: Duration = Duration::from_secs(120);

/// 읽기 한 번의 제한 시간 · The timeout on every read.
const PATIENCE: Duration = Duration::from_secs(10);

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    let outcome = match first.as_deref() {
        Some("serve-async") => serve_async(),
        Some("serve-threads") => serve_threads(),
        Some("--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        word => match word.map_or(Ok(10_000), str::parse::<usize>) {
            Ok(n) if (1..=20_000).contains(&n) => measure(n),
            _ => {
                eprintln!(
                    "{USAGE}\n1에서 20000 사이의 수를 주세요 · give a number from 1 to 20000"
                );
                return std::process::ExitCode::from(2);
            }
        },
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("오류 · error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

// ANCHOR: servers
/// 자식 프로세스: tokio 서버, 작업 스레드 2개 · Child: the tokio server, 2 worker threads.
fn serve_async() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = ch11_async::listen("127.0.0.1:0".parse()?).await?;
        println!("listening on {}", listener.local_addr()?);
        let limits = Limits {
            idle: IDLE,
            ..Limits::default()
        };
        serve(
            listener,
            limits,
            std::future::pending(),
            &Log::new(std::io::sink()),
        )
        .await?;
        Ok(())
    })
}

/// 자식 프로세스: 7장의 통화마다 스레드 서버 · Child: chapter 7's thread-per-call server.
fn serve_threads() -> Result<()> {
    let listener = ch07_threads::listen("127.0.0.1:0".parse()?)?;
    println!("listening on {}", listener.local_addr()?);
    let board = ch07_threads::Switchboard::new(Log::new(std::io::sink()), IDLE);
    ch07_threads::serve_thread_per_call(&listener, &board)
}
// ANCHOR_END: servers

// ANCHOR: measure
fn measure(n: usize) -> Result<()> {
    // 연결 하나가 파일 기술자 하나입니다. 이 프로세스가 n개, 서버(자식, 한도를 물려받음)가 n개를
    // 엽니다 · Each connection is one file descriptor: n here, n in the server (a child, which
    // inherits the limit).
    let needed = n as u64 + 100;
    let limit = rlimit::increase_nofile_limit(needed)
        .context("열린 파일 한도를 올릴 수 없습니다 · cannot raise the open-file limit")?;
    println!(
        "열린 파일 한도(RLIMIT_NOFILE)를 rlimit 크레이트로 올렸습니다 · raised the open-file \
         limit with the rlimit crate: need {needed}, now {limit}"
    );
    if limit < needed {
        bail!("한도가 모자랍니다 · the hard limit is {limit}, below {needed}: try `ulimit -Hn`");
    }
    println!(
        "연결 {n}개를 열어 두고 각각 한 번씩 왕복합니다 · {n} connections held open, one round trip each"
    );
    let header = ["server", "open", "echoed", "server RSS", "TIME_WAIT after"];
    println!(
        "{:<26}{:>8}{:>8}{:>12}  {}",
        header[0], header[1], header[2], header[3], header[4]
    );
    for (name, mode) in [
        ("tokio, 2 threads", "serve-async"),
        ("ch07 thread per call", "serve-threads"),
    ] {
        let row = one_server(mode, n)?;
        println!(
            "{name:<26}{:>8}{:>8}{:>9.1} MB  {}",
            row.open, row.echoed, row.rss_mb, row.time_wait
        );
        if let Some(e) = row.first_error {
            println!("  처음 실패 · first failure: {e}");
        }
    }
    Ok(())
}
// ANCHOR_END: measure

struct Row {
    open: usize,
    echoed: usize,
    rss_mb: f64,
    time_wait: usize,
    first_error: Option<String>,
}

// ANCHOR: one_server
fn one_server(mode: &str, n: usize) -> Result<Row> {
    let exe = std::env::current_exe().context("이 프로그램의 경로 · this program's path")?;
    let mut server = Command::new(exe)
        .arg(mode)
        .stdout(Stdio::piped())
        .spawn()
        .context("서버 프로세스를 띄울 수 없습니다 · cannot start the server process")?;
    let addr = listening_addr(&mut server)?;
    let mut calls = Vec::with_capacity(n);
    let mut echoed = 0;
    let mut first_error = None;
    for _ in 0..n {
        match round_trip(addr) {
            Ok((call, ok)) => {
                echoed += usize::from(ok);
                if !ok && first_error.is_none() {
                    first_error = Some("hung up without an echo".to_string());
                }
                calls.push(call);
            }
            Err(e) => {
                first_error.get_or_insert(format!("{e}"));
            }
        }
    }
    // 모두 열려 있는 동안 잽니다 · measured while every call is still open.
    let rss_mb = vm_rss_kb(server.id())? as f64 / 1024.0;
    let open = calls.len();
    // 먼저 끊는 쪽이 TIME_WAIT에 남습니다. 10,000개를 남기지 않으려고 리셋으로 끊습니다.
    // Whoever hangs up first is left in TIME_WAIT; to leave none of 10,000, reset instead.
    for call in calls {
        let _ = socket2::SockRef::from(&call).set_linger(Some(Duration::ZERO));
    }
    let _ = server.kill();
    let _ = server.wait();
    let time_wait = count_time_wait(addr.port());
    Ok(Row {
        open,
        echoed,
        rss_mb,
        time_wait,
        first_error,
    })
}
// ANCHOR_END: one_server

fn listening_addr(server: &mut Child) -> Result<SocketAddr> {
    let out = server.stdout.take().context("no stdout")?;
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .with_context(|| format!("서버가 이상한 말을 했습니다 · the server said {line:?}"))?;
    Ok(addr.parse()?)
}

fn round_trip(addr: SocketAddr) -> std::io::Result<(TcpStream, bool)> {
    let mut call = TcpStream::connect_timeout(&addr, PATIENCE)?;
    call.set_read_timeout(Some(PATIENCE))?;
    call.write_all(b"ping\n")?;
    let mut heard = [0u8; 5];
    let ok = call.read_exact(&mut heard).is_ok() && &heard == b"ping\n";
    Ok((call, ok))
}

/// /proc/PID/status의 VmRSS (킬로바이트) · VmRSS from /proc/PID/status, in kB.
fn vm_rss_kb(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .context("/proc/PID/status를 읽을 수 없습니다 (리눅스 전용) · cannot read /proc/PID/status (Linux only)")?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .context("VmRSS가 없습니다 · no VmRSS line")?;
    Ok(line.trim().trim_end_matches("kB").trim().parse()?)
}

/// 그 포트가 낀 TIME_WAIT(상태 06) 연결 수 · TIME_WAIT (state 06) connections involving `port`.
fn count_time_wait(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let port = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 3
                && fields[3] == "06"
                && (fields[1].ends_with(&port) || fields[2].ends_with(&port))
        })
        .count()
}
