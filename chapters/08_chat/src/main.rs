// ANCHOR: main
use std::process::ExitCode;

use ch08_chat::{DEFAULT_ADDR, Rules, listen, serve};

const USAGE: &str = "\
사용법: ch08_chat [주소]   주소는 IP:포트, 기본 127.0.0.1:9999
usage:  ch08_chat [ADDR]   ADDR is IP:PORT, default 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish()?;
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        serve(listener, Rules::default(), &mut std::io::stdout())
    })
}
// ANCHOR_END: main
