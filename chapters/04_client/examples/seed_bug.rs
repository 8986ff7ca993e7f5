// 시드 클라이언트의 버그를 그대로 재현합니다: recv(1024) 한 번, 그리고 decode.
// The seed client's bug, reproduced: one recv(1024), then decode.
// cargo run -p ch04_client --example seed_bug

// ANCHOR: seed_bug
fn main() {
    let reply = "가".repeat(342); // 342 × 3바이트 · 342 × 3 bytes
    let bytes = reply.as_bytes();
    println!("보낸 바이트 · bytes sent: {}", bytes.len());

    // 한 번의 read가 1024바이트를 돌려줬다고 합시다 · say one read returned 1024 bytes
    let first_read = &bytes[..1024];
    match std::str::from_utf8(first_read) {
        Ok(text) => println!("디코드 성공 · decoded {} characters", text.chars().count()),
        Err(e) => println!("디코드 실패 · decoding failed: {e}"),
    }

    // 끝까지 읽은 뒤에 디코드하면 · decoding after reading everything
    match std::str::from_utf8(bytes) {
        Ok(text) => println!(
            "전부 읽고 디코드 · all bytes: {} characters",
            text.chars().count()
        ),
        Err(e) => println!("디코드 실패 · decoding failed: {e}"),
    }
}
// ANCHOR_END: seed_bug
