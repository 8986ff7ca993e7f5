// ANCHOR: main
use std::process::ExitCode;
use std::time::Duration;

use ch07_threads::{DEFAULT_ADDR, hold_calls};

const USAGE: &str = "\
사용법: hold [통화 수] [주소]   전화를 걸어 두고 Ctrl+C까지 기다립니다, 기본 1통, 127.0.0.1:9999
usage:  hold [N] [ADDR]        dials N calls and holds them until Ctrl+C; default 1, 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let n = args.word_or(1, |text| {
            text.parse::<usize>().map_err(|_| {
                format!("통화 수가 아닙니다 · {text:?} is not a number of calls, like 3")
            })
        })?;
        args.finish()?;
        let _held = hold_calls(addr, n, Duration::from_secs(2), &mut std::io::stdout())?;
        println!(
            "전화 {n}통을 걸어 두고 기다립니다. Ctrl+C로 모두 끊습니다 · holding on: Ctrl+C hangs up"
        );
        // 끊으라고 할 때까지 들고 있는 것이 이 프로그램의 일입니다.
        // Holding the line until told to hang up is this program's whole job.
        loop {
            std::thread::park();
        }
    })
}
// ANCHOR_END: main
