// ANCHOR: main
use std::time::Duration;

use ch07_threads::{DEFAULT_ADDR, hold_calls};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: hold [N] [ADDR]
    let mut args = std::env::args().skip(1);
    let n: usize = match args.next() {
        Some(text) => text.parse().map_err(|_| {
            anyhow::anyhow!("통화 수가 아닙니다 · {text:?} is not a number of calls, like 3")
        })?,
        None => 1,
    };
    let text = args.next().unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let addr = text.parse().map_err(|_| {
        anyhow::anyhow!("주소 형식이 아닙니다 · {text:?} is not an address like 127.0.0.1:9999")
    })?;
    let _held = hold_calls(addr, n, Duration::from_secs(2), &mut std::io::stdout())?;
    println!(
        "전화 {n}통을 걸어 두고 기다립니다. Ctrl+C로 모두 끊습니다 · holding on: Ctrl+C hangs up"
    );
    // 끊으라고 할 때까지 들고 있는 것이 이 프로그램의 일입니다.
    // Holding the line until told to hang up is this program's whole job.
    loop {
        std::thread::park();
    }
}
// ANCHOR_END: main
