// ANCHOR: main
use std::process::ExitCode;

use anyhow::Context;
use ch10_errors::{DEFAULT_ADDR, Limits, Log, Stop, listen, parse_seconds, serve};

const USAGE: &str = "\
사용법: ch10_errors [주소] [조용히 기다릴 초] [종료 때 기다릴 초]   기본 127.0.0.1:9999 30 5
usage:  ch10_errors [ADDR] [IDLE_SECONDS] [GRACE_SECONDS]   default 127.0.0.1:9999 30 5
Ctrl+C: 새 통화를 받지 않고, 진행 중인 통화를 기다린 뒤 끝냅니다 · stops accepting, lets the
calls in progress finish, then exits";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let defaults = Limits::default();
        let idle = args.word_or(defaults.idle, parse_seconds)?;
        let grace = args.word_or(defaults.grace, parse_seconds)?;
        args.finish()?;
        let limits = Limits {
            idle,
            grace,
            ..defaults
        };
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        // Ctrl+C(SIGINT)와 SIGTERM은 종료 요청이 됩니다 · Ctrl+C (SIGINT) and SIGTERM request a stop.
        let stop = Stop::new(here);
        let on_signal = stop.clone();
        ctrlc::set_handler(move || on_signal.stop())
            .context("Ctrl+C 처리기를 달 수 없습니다 · cannot install the Ctrl+C handler")?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        serve(listener, limits, &stop, &Log::new(std::io::stdout()))?;
        Ok(())
    })
}
// ANCHOR_END: main
