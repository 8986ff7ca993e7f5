// ANCHOR: main
use ch02_port::{Command, check, demonstrate, parse_command, report};

fn main() -> anyhow::Result<()> {
    match parse_command(std::env::args().nth(1))? {
        Command::Check(port) => println!("{}", report(port, &check(port))),
        Command::Demo => demonstrate(&mut std::io::stdout())?,
    }
    Ok(())
}
// ANCHOR_END: main
