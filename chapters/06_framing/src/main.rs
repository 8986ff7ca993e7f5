// ANCHOR: main
use ch06_framing::{listen, parse_server_args, serve};

fn main() -> anyhow::Result<()> {
    // 사용법 · usage: ch06_framing [lines|frames] [ADDR]
    let (protocol, addr) = parse_server_args(std::env::args().skip(1))?;
    let listener = listen(addr)?;
    let here = listener.local_addr()?;
    println!("서버가 실행되었습니다 · server listening on {here}");
    println!("{}", protocol.rules());
    serve(&listener, protocol, &mut std::io::stdout())
}
// ANCHOR_END: main
