// ANCHOR: main
use std::process::ExitCode;

use ch03_server::{DEFAULT_ADDR, listen, serve_one_call};

const USAGE: &str = "\
사용법: ch03_server [주소]   주소는 IP:포트, 기본 127.0.0.1:9999
usage:  ch03_server [ADDR]   ADDR is IP:PORT, default 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish()?;
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        serve_one_call(&listener, &mut std::io::stdout())
    })
}
// ANCHOR_END: main
