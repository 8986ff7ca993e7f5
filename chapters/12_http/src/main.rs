// ANCHOR: main
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use ch12_http::{DEFAULT_ADDR, Limits, default_site, listen, serve};

const USAGE: &str = "\
사용법: ch12_http [주소]   기본 127.0.0.1:9999, 브라우저로 http://127.0.0.1:9999/ 를 여세요
usage:  ch12_http [ADDR]   default 127.0.0.1:9999, then open http://127.0.0.1:9999/ in a browser";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish()?;
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        println!("브라우저로 여세요 · open in a browser: http://{here}/");
        serve(
            listener,
            default_site(),
            Limits::default(),
            Arc::new(Mutex::new(std::io::stdout())),
        )
    })
}
// ANCHOR_END: main
