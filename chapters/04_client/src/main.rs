// ANCHOR: main
use std::process::ExitCode;

use ch04_client::{DEFAULT_ADDR, DEFAULT_MESSAGE, PATIENCE, call, show_reply};

const USAGE: &str = "\
사용법: ch04_client [메시지] [주소]   주소(IP:포트)는 어느 자리든, 기본 127.0.0.1:9999
usage:  ch04_client [MESSAGE] [ADDR]  ADDR (IP:PORT) in any place, default 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        // 주소처럼 생긴 인수가 주소, 나머지 하나가 메시지입니다.
        // The argument shaped like an address is the address; the other one is the message.
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let message = args.word()?.unwrap_or_else(|| DEFAULT_MESSAGE.to_string());
        args.finish()?;
        let reply = call(addr, message.as_bytes(), PATIENCE)?;
        println!("{}", show_reply(&reply));
        Ok(())
    })
}
// ANCHOR_END: main
