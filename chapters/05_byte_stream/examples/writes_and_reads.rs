// 쓰기 네 번이 읽기 몇 번으로 도착하는지 봅니다.
// How four writes arrive as reads.
// cargo run -p ch05_byte_stream --example writes_and_reads

fn main() -> anyhow::Result<()> {
    ch05_byte_stream::show_writes_and_reads(&mut std::io::stdout())
}
