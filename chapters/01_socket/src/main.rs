// ANCHOR: main
use ch01_socket::{install_phone, parse_addr, take_one_call};

fn main() -> anyhow::Result<()> {
    let addr = parse_addr(std::env::args().nth(1))?;
    let mut out = std::io::stdout();
    let listener = install_phone(addr, &mut out)?;
    take_one_call(&listener, &mut out)?;
    Ok(())
}
// ANCHOR_END: main
