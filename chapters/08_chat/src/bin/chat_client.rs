// ANCHOR: main
use ch08_chat::{chat, parse_addr};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: chat_client [NAME] [ADDR]
    // 이름이 없으면 nc처럼 첫 줄에 직접 칩니다 · without a NAME, type it as the first line, as with nc
    let mut args = std::env::args().skip(1);
    let name = args.next().filter(|name| !name.is_empty());
    let addr = parse_addr(args.next())?;
    chat(
        addr,
        name.as_deref(),
        std::io::stdin(),
        &mut std::io::stdout(),
    )
}
// ANCHOR_END: main
