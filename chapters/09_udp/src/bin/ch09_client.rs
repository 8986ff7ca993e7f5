// ANCHOR: client
use std::process::ExitCode;

use ch09_udp::{DEFAULT_ADDR, DEFAULT_MESSAGE, PATIENCE, send_text, show_reply};

const USAGE: &str = "\
사용법: ch09_client [메시지] [주소]   기본 \"안녕!\", 127.0.0.1:9999 (UDP), 1초씩 세 번
usage:  ch09_client [MESSAGE] [ADDR]  default \"안녕!\", 127.0.0.1:9999 (UDP), 3 tries of 1 s";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let message = args.word()?.unwrap_or_else(|| DEFAULT_MESSAGE.to_string());
        args.finish()?;
        let (reply, try_number) =
            send_text(addr, message.as_bytes(), PATIENCE, &mut std::io::stdout())?;
        println!("{}", show_reply(addr, &reply, try_number));
        Ok(())
    })
}
// ANCHOR_END: client
