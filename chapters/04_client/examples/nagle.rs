// 네이글 알고리즘과 지연 ACK: 1 KiB씩 나눠 쓰는 에코 서버에 2 KiB를 보내고 답을 받는 데 걸리는 시간.
// Nagle's algorithm and delayed ACK: the round trip of 2 KiB to an echo that writes 1 KiB pieces.
// cargo run -p ch04_client --example nagle

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// 한 번 잴 때 주고받는 횟수 · Round trips per measurement.
const ROUNDS: usize = 21;

// ANCHOR: measure
/// 3장의 에코 서버(1024바이트씩 읽고 그대로 씀)에 `size`바이트를 `ROUNDS`번 보내고 받아,
/// 왕복 시간의 중앙값을 돌려줍니다. `nodelay`는 서버 쪽 전화기의 TCP_NODELAY입니다.
/// Sends `size` bytes to chapter 3's echo (it reads 1024 bytes and writes them back) `ROUNDS`
/// times and returns the median round trip. `nodelay` is TCP_NODELAY on the server's handset.
fn median_round_trip(size: usize, nodelay: bool) -> Result<Duration> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bind 127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || -> Result<()> {
        let (mut call, caller) = listener.accept()?;
        call.set_nodelay(nodelay)?;
        ch03_server::echo(&mut call, caller, &mut std::io::sink())
    });

    let mut phone = TcpStream::connect(addr).context("connect")?;
    phone.set_read_timeout(Some(Duration::from_secs(5)))?;
    let message = vec![b'x'; size];
    let mut reply = vec![0u8; size];
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        phone.write_all(&message)?; // 요청은 한 번에 씁니다 · the request in one write
        phone.read_exact(&mut reply)?; // 답을 다 받을 때까지 · until the whole reply is here
        times.push(start.elapsed());
    }
    drop(phone);
    server
        .join()
        .map_err(|_| anyhow::anyhow!("echo thread panicked"))??;
    times.sort();
    Ok(times[ROUNDS / 2])
}
// ANCHOR_END: measure

fn main() -> Result<()> {
    println!(
        "왕복 시간 중앙값 ({ROUNDS}회) · median round trip of {ROUNDS}, echo writing 1 KiB pieces:"
    );
    for (size, nodelay) in [(1024, false), (2048, false), (2048, true)] {
        let median = median_round_trip(size, nodelay)?;
        let (ko, en) = if nodelay {
            ("켬", "on:")
        } else {
            ("끔", "off:")
        };
        println!(
            "  {} KiB, TCP_NODELAY {ko} · {en:<4} {:>6} µs",
            size / 1024,
            median.as_micros()
        );
    }
    Ok(())
}
