// ANCHOR: client
use ch06_framing::{PATIENCE, call, describe, parse_client_args};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: client [lines|frames] [--to ADDR] [MESSAGE...]
    let args = parse_client_args(std::env::args().skip(1))?;
    let replies = call(args.addr, args.protocol, &args.messages, PATIENCE)?;
    for (i, reply) in replies.iter().enumerate() {
        println!("답 {0} · reply {0}: {1}", i + 1, describe(reply));
    }
    if replies.len() < args.messages.len() {
        anyhow::bail!(
            "서버가 먼저 끊었습니다 · the server hung up after {} of {} replies",
            replies.len(),
            args.messages.len()
        );
    }
    Ok(())
}
// ANCHOR_END: client
