// 에코 서버와의 교착: 다 말한 뒤에 들으면 멈추고, 말하면서 들으면 끝까지 갑니다.
// The echo deadlock: talk first and it stalls; talk and listen at once and it gets through.
// cargo run -p ch06_framing --example echo_stall [ADDR] [SECONDS]
// (먼저 서버를 띄웁니다 · start the server first: cargo run -p ch06_framing -- frames)

// ANCHOR: stall
use std::time::Duration;

use anyhow::Context;
use ch06_framing::{MAX_FRAME, Protocol, call, call_talking_first, parse_addr};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = parse_addr(args.next())?;
    let seconds: u64 = match args.next() {
        Some(text) => text
            .parse()
            .with_context(|| format!("초가 아닙니다 · {text:?} is not a number of seconds"))?,
        None => 2,
    };
    let patience = Duration::from_secs(seconds);

    // 1 MiB 메시지 64개, 모두 64 MiB · 64 messages of 1 MiB: 64 MiB in all
    let messages: Vec<Vec<u8>> = (0..64u8).map(|i| vec![b'a' + i % 26; MAX_FRAME]).collect();

    println!("1. 다 말한 뒤에 듣기 · talk first, listen later: 64 × 1 MiB");
    match call_talking_first(addr, Protocol::Frames, &messages, patience) {
        Ok(replies) => println!("   답 {0}개 · {0} replies", replies.len()),
        Err(e) => println!("   {e}"),
    }

    println!("2. 말하면서 듣기 · talk and listen at once: 64 × 1 MiB");
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
