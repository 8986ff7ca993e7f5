// ANCHOR: main
use ch04_client::{DEFAULT_MESSAGE, PATIENCE, call, parse_addr, show_reply};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: ch04_client [MESSAGE] [ADDR]
    let mut args = std::env::args().skip(1);
    let message = args.next().unwrap_or_else(|| DEFAULT_MESSAGE.to_string());
    let addr = parse_addr(args.next())?;
    let reply = call(addr, message.as_bytes(), PATIENCE)?;
    println!("{}", show_reply(&reply));
    Ok(())
}
// ANCHOR_END: main
