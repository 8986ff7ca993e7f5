// ANCHOR: main
use std::process::ExitCode;

use ch07_threads::{
    DEFAULT_ADDR, IDLE, Log, Mode, QUEUE, Switchboard, WORKERS, listen, parse_mode,
    serve_iterative, serve_pool, serve_thread_per_call,
};

const USAGE: &str = "\
사용법: ch07_threads [iterative|threads|pool] [주소]   기본 pool, 127.0.0.1:9999
usage:  ch07_threads [iterative|threads|pool] [ADDR]   default pool, 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let mode = args.word_or(Mode::Pool, parse_mode)?;
        args.finish()?;
        let listener = listen(addr)?;
        let here = listener.local_addr()?;
        println!("서버가 실행되었습니다 · server listening on {here}");
        let board = Switchboard::new(Log::new(std::io::stdout()), IDLE);
        match mode {
            Mode::Iterative => serve_iterative(&listener, &board),
            Mode::Threads => serve_thread_per_call(&listener, &board),
            Mode::Pool => serve_pool(&listener, WORKERS, QUEUE, &board),
        }
    })
}
// ANCHOR_END: main
