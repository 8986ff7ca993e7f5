// ANCHOR: main
use ch07_threads::{
    IDLE, Log, Mode, QUEUE, Switchboard, WORKERS, listen, parse_args, serve_iterative, serve_pool,
    serve_thread_per_call,
};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: ch07_threads [iterative|threads|pool] [ADDR]
    let (mode, addr) = parse_args(std::env::args().skip(1))?;
    let listener = listen(addr)?;
    let here = listener.local_addr()?;
    println!("서버가 실행되었습니다 · server listening on {here}");
    let board = Switchboard::new(Log::new(std::io::stdout()), IDLE);
    match mode {
        Mode::Iterative => serve_iterative(&listener, &board),
        Mode::Threads => serve_thread_per_call(&listener, &board),
        Mode::Pool => serve_pool(&listener, WORKERS, QUEUE, &board),
    }
}
// ANCHOR_END: main
