// ANCHOR: main
use ch08_chat::{Rules, listen, parse_addr, serve};

fn main() -> anyhow::Result<()> {
    let addr = parse_addr(std::env::args().nth(1))?;
    let listener = listen(addr)?;
    let here = listener.local_addr()?;
    println!("서버가 실행되었습니다 · server listening on {here}");
    serve(listener, Rules::default(), &mut std::io::stdout())
}
// ANCHOR_END: main
