// ANCHOR: main
use std::process::ExitCode;

use ch08_chat::{DEFAULT_ADDR, chat};

const USAGE: &str = "\
사용법: chat_client [이름] [주소]   이름이 없으면 nc처럼 첫 줄에 칩니다, 기본 127.0.0.1:9999
usage:  chat_client [NAME] [ADDR]   without a NAME, type it as the first line; default 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let name = args.word()?.filter(|name| !name.is_empty());
        args.finish()?;
        chat(
            addr,
            name.as_deref(),
            std::io::stdin(),
            &mut std::io::stdout(),
        )
    })
}
// ANCHOR_END: main
