// ANCHOR: main
use std::process::ExitCode;

use ch01_socket::{DEFAULT_ADDR, install_phone, take_one_call};

const USAGE: &str = "\
사용법: ch01_socket [주소]   주소는 IP:포트, 기본 127.0.0.1:9999
usage:  ch01_socket [ADDR]   ADDR is IP:PORT, default 127.0.0.1:9999";

fn main() -> ExitCode {
    // cli::run이 -h와 잘못된 인수를 맡고, 오류를 두 언어로 보입니다.
    // cli::run answers -h and wrong arguments, and shows errors in both languages.
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish()?;
        let mut out = std::io::stdout();
        let listener = install_phone(addr, &mut out)?;
        take_one_call(&listener, &mut out)?;
        Ok(())
    })
}
// ANCHOR_END: main
