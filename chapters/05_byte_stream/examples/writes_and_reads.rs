// 쓰기 네 번이 읽기 몇 번으로 도착하는지 봅니다.
// How four writes arrive as reads.
// cargo run -p ch05_byte_stream --example writes_and_reads

use std::process::ExitCode;

const USAGE: &str = "\
사용법: writes_and_reads   쓰기 네 번이 읽기 몇 번으로 도착하는지 보입니다 (인수 없음)
usage:  writes_and_reads   shows how four writes arrive as reads (no arguments)";

fn main() -> ExitCode {
    cli::run(USAGE, |args| {
        args.finish()?;
        ch05_byte_stream::show_writes_and_reads(&mut std::io::stdout())
    })
}
