// ANCHOR: main
use std::process::ExitCode;

use ch06_framing::{DEFAULT_ADDR, Protocol, listen, parse_protocol, serve};

const USAGE: &str = "\
사용법: ch06_framing [lines|frames] [주소]   기본 lines, 127.0.0.1:9999
usage:  ch06_framing [lines|frames] [ADDR]   default lines, 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let protocol = args.word_or(Protocol::Lines, parse_protocol)?;
        args.finish()?;
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        println!("{}", protocol.rules());
        serve(&listener, protocol, &mut std::io::stdout())
    })
}
// ANCHOR_END: main
