// ANCHOR: main
use ch05_byte_stream::{listen, parse_addr, serve_one_call};

fn main() -> anyhow::Result<()> {
    let addr = parse_addr(std::env::args().nth(1))?;
    let listener = listen(addr)?;
    let here = listener.local_addr()?;
    println!("서버가 실행되었습니다 · server listening on {here}");
    serve_one_call(&listener, &mut std::io::stdout())
}
// ANCHOR_END: main
