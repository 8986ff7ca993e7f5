// ANCHOR: main
use std::process::ExitCode;

use ch02_port::{Command, DEFAULT_PORT, check, demonstrate, parse_command, report};

const USAGE: &str = "\
사용법: ch02_port [포트 | demo]   포트 하나를 검사합니다(기본 9999), demo는 시연
usage:  ch02_port [PORT | demo]   checks one port (default 9999); demo runs the demonstrations";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let command = args.word_or(Command::Check(DEFAULT_PORT), parse_command)?;
        args.finish()?;
        match command {
            Command::Check(port) => println!("{}", report(port, &check(port))),
            Command::Demo => demonstrate(&mut std::io::stdout())?,
        }
        Ok(())
    })
}
// ANCHOR_END: main
