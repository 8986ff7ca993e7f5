// 5장 연습 문제 · Chapter 5 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 5.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.
// 장 크레이트의 Utf8Decoder를 쓰려면 · to use the chapter's Utf8Decoder:
//   use ch05_byte_stream::Utf8Decoder;

use std::io::{Read, Write};

use anyhow::Result;

/// 연습 5.1 · Exercise 5.1: 완성된 글자까지 · Up to the last whole character.
pub fn complete_prefix_len(bytes: &[u8]) -> usize {
    // 시작점: 읽기가 글자 경계에서 끝났다고 믿습니다.
    // Starting point: trusts that the read ended between two characters.
    bytes.len()
}

/// 연습 5.2 · Exercise 5.2: 도착하는 대로 글로 · Text as it arrives.
pub fn relay_text(source: &mut impl Read, out: &mut impl Write) -> Result<()> {
    // 시작점: 끝까지 다 읽은 뒤에야, 손실 변환(lossy)으로 한 번에 씁니다.
    // Starting point: reads everything first, then writes it all at once, lossily.
    let mut bytes = Vec::new();
    source.read_to_end(&mut bytes)?;
    out.write_all(String::from_utf8_lossy(&bytes).as_bytes())?;
    Ok(())
}

/// 연습 5.3 · Exercise 5.3: (도전) 줄 단위로 · (stretch) Line by line.
pub fn for_each_line(
    source: &mut impl Read,
    max_line: usize,
    mut on_line: impl FnMut(&str),
) -> Result<()> {
    // 시작점: 끝까지 다 읽은 뒤에야 줄로 나눕니다. 줄 길이도 보지 않습니다.
    // Starting point: splits into lines only after reading everything, and ignores max_line.
    let _ = max_line;
    let mut bytes = Vec::new();
    source.read_to_end(&mut bytes)?;
    for line in String::from_utf8_lossy(&bytes).split('\n') {
        on_line(line);
    }
    Ok(())
}
