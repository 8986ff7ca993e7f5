// 5장 연습 문제 참고 해답 · Chapter 5 exercises: reference solutions.

use std::io::{ErrorKind, Read, Write};

use anyhow::{Context, Result, bail};
use ch05_byte_stream::Utf8Decoder;

// ANCHOR: complete_prefix_len
/// 연습 5.1: 끝에서 거꾸로, 마지막 글자가 몇 바이트짜리이고 몇 바이트가 왔는지 봅니다.
/// Exercise 5.1: looks back from the end: how long is the last character, and how much of it
/// is here?
pub fn complete_prefix_len(bytes: &[u8]) -> usize {
    let len = bytes.len();
    // 많아야 4바이트만 보면 됩니다 · at most 4 bytes back
    for back in 1..=len.min(4) {
        let byte = bytes[len - back];
        // 10xxxxxx는 이어지는 바이트: 더 앞을 봅니다 · 10xxxxxx continues a character: look further
        if byte & 0b1100_0000 == 0b1000_0000 {
            continue;
        }
        // 첫 바이트가 글자의 길이를 말해 줍니다 · the first byte says how long the character is
        let needed = match byte {
            0x00..=0x7f => 1, // 0xxxxxxx
            0xc0..=0xdf => 2, // 110xxxxx
            0xe0..=0xef => 3, // 1110xxxx
            _ => 4,           // 11110xxx
        };
        return if back >= needed { len } else { len - back };
    }
    // 빈 입력 · no bytes at all
    // (std::str::from_utf8(bytes)의 오류에 있는 valid_up_to()로도 같은 답을 얻습니다.)
    // (The valid_up_to() of std::str::from_utf8(bytes)'s error gives the same answer.)
    len
}
// ANCHOR_END: complete_prefix_len

// ANCHOR: relay_text
/// 연습 5.2: 읽을 때마다 완성된 글자를 곧바로 씁니다. 잘못된 바이트에서 멈추고 자리를 알립니다.
/// Exercise 5.2: after every read, writes the characters it completed; stops at invalid bytes
/// and says where they are.
pub fn relay_text(source: &mut impl Read, out: &mut impl Write) -> Result<()> {
    let mut buf = [0u8; 1024];
    let mut decoder = Utf8Decoder::new();
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("읽기 실패 · reading the stream failed"),
        };
        for piece in decoder.push(&buf[..n]) {
            // ?는 첫 잘못된 바이트에서 멈춥니다. 그 앞의 글은 이미 썼습니다.
            // `?` stops at the first invalid bytes; the text before them is already written.
            out.write_all(piece?.as_bytes())?;
        }
    }
    // 글자 중간에서 끝났다면 그것도 오류입니다 · ending inside a character is an error too
    decoder.finish()?;
    Ok(())
}
// ANCHOR_END: relay_text

// ANCHOR: for_each_line
/// 연습 5.3: 줄 끝(\n)이 도착할 때마다 그 줄을 건넵니다. 덜 온 줄은 다음 읽기까지 들고 있습니다.
/// Exercise 5.3: hands over each line as soon as its \n arrives; a partial line waits for the
/// next read.
pub fn for_each_line(
    source: &mut impl Read,
    max_line: usize,
    mut on_line: impl FnMut(&str),
) -> Result<()> {
    let mut buf = [0u8; 1024];
    let mut pending: Vec<u8> = Vec::new(); // 아직 \n이 오지 않은 줄 · a line still without its \n
    let mut number = 1; // 지금 모으는 줄의 번호 · the number of the line being gathered
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("읽기 실패 · reading the stream failed"),
        };
        pending.extend_from_slice(&buf[..n]);
        // 완성된 줄을 모두 떼어 냅니다 · take off every complete line
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = &line[..end]; // \n 없이 · without its \n
            if line.len() > max_line {
                bail!("줄이 너무 깁니다 · line {number} is longer than {max_line} bytes");
            }
            // \n은 어떤 글자의 일부도 아니므로 줄은 글자 중간에서 끊기지 않습니다.
            // \n is never part of a longer character, so a line never ends mid-character.
            let text = std::str::from_utf8(line).with_context(|| {
                format!("줄이 UTF-8이 아닙니다 · line {number} is not valid UTF-8")
            })?;
            on_line(text);
            number += 1;
        }
        // 줄 끝을 끝없이 기다리지 않습니다 · do not wait forever for the end of a line
        if pending.len() > max_line {
            bail!("줄이 너무 깁니다 · line {number} is longer than {max_line} bytes");
        }
    }
    if !pending.is_empty() {
        bail!(
            "끝나지 않은 줄 · the stream ended in the middle of line {number} \
             ({} bytes without a \\n)",
            pending.len()
        );
    }
    Ok(())
}
// ANCHOR_END: for_each_line
