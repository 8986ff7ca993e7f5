// 에코 서버와의 교착: 다 말한 뒤에 들으면 멈추고, 말하면서 들으면 끝까지 갑니다.
// The echo deadlock: talk first and it stalls; talk and read at once and it gets through.
// cargo run -p ch06_framing --example echo_stall [ADDR] [SECONDS]
// (먼저 서버를 띄웁니다 · start the server first: cargo run -p ch06_framing -- frames)

// ANCHOR: stall
use std::process::ExitCode;
use std::time::Duration;

use ch06_framing::{DEFAULT_ADDR, MAX_FRAME, Protocol, call, call_talking_first};

const USAGE: &str = "\
사용법: echo_stall [주소] [초]   frames 서버에 64 MiB를 보냅니다, 기본 127.0.0.1:9999, 2초
usage:  echo_stall [ADDR] [SECONDS]   sends 64 MiB to a frames server; default 127.0.0.1:9999, 2 s";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let seconds = args.word_or(2, |text| {
            text.parse::<u64>()
                .map_err(|_| format!("초가 아닙니다 · {text:?} is not a number of seconds"))
        })?;
        args.finish()?;
        stall(addr, Duration::from_secs(seconds))
    })
}

fn stall(addr: std::net::SocketAddr, patience: Duration) -> anyhow::Result<()> {
    // 1 MiB 메시지 64개, 모두 64 MiB · 64 messages of 1 MiB: 64 MiB in all
    let messages: Vec<Vec<u8>> = (0..64u8).map(|i| vec![b'a' + i % 26; MAX_FRAME]).collect();

    println!("1. 다 말한 뒤에 듣기 · talk first, read later: 64 × 1 MiB");
    match call_talking_first(addr, Protocol::Frames, &messages, patience) {
        Ok(replies) => println!("   답 {0}개 · {0} replies", replies.len()),
        Err(e) => println!("   {e}"),
    }

    println!("2. 말하면서 듣기 · talk and read at once: 64 × 1 MiB");
    let replies = call(addr, Protocol::Frames, &messages, patience)?;
    let bytes: usize = replies.iter().map(Vec::len).sum();
    let same = if replies == messages {
        "보낸 것과 같습니다 · the same as we sent"
    } else {
        "보낸 것과 다릅니다 · NOT what we sent"
    };
    println!(
        "   답 {0}개, {1}바이트, {same} · {0} replies, {1} bytes",
        replies.len(),
        bytes
    );
    Ok(())
}
// ANCHOR_END: stall
