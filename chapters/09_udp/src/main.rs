// ANCHOR: main
use std::io::Write;
use std::process::ExitCode;

use ch09_udp::{DEFAULT_ADDR, bind, serve};

const USAGE: &str = "\
사용법: ch09_udp [주소]   주소는 IP:포트, 기본 127.0.0.1:9999 (UDP)
usage:  ch09_udp [ADDR]   ADDR is IP:PORT, default 127.0.0.1:9999 (UDP)";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish()?;
        let socket = bind(addr)?;
        let here = socket.local_addr()?;
        let mut out = std::io::stdout();
        // 리슨은 없지만, 다른 장처럼 "listening on"으로 알립니다 (bind만으로 받을 수 있습니다).
        // There is no listen(), but like every chapter it says "listening on": bound is enough.
        writeln!(
            out,
            "UDP 서버가 실행되었습니다 · UDP server listening on {here}"
        )?;
        serve(&socket, &mut out)
    })
}
// ANCHOR_END: main
