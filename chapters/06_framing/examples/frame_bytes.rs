// 두 가지 프레이밍이 실제로 보내는 바이트 · The bytes each framing really sends.
// cargo run -p ch06_framing --example frame_bytes

// ANCHOR: wire
use ch06_framing::{MAX_FRAME, hex, read_frame, write_frame, write_line};

fn main() -> anyhow::Result<()> {
    let message = "안녕!".as_bytes();

    // Vec<u8>도 Write입니다: 소켓 대신 메모리에 써 봅니다.
    // A Vec<u8> is a Write too: we write to memory instead of a socket.
    let mut line = Vec::new();
    write_line(&mut line, message)?;
    println!("줄 · line:      {}", hex(&line));

    let mut frame = Vec::new();
    write_frame(&mut frame, message)?;
    println!("프레임 · frame: {}", hex(&frame));

    // 줄을 프레임인 줄 알고 읽으면 · reading a line as if it were a frame
    let mut wrong: &[u8] = b"hello\n";
    match read_frame(&mut wrong, MAX_FRAME) {
        Ok(message) => println!("{message:?}"),
        Err(e) => println!("\"hello\\n\"을 프레임으로 읽으면 · \"hello\\n\" read as a frame: {e}"),
    }
    Ok(())
}
// ANCHOR_END: wire
