// 6장 연습 문제 참고 해답 · Chapter 6 exercises: reference solutions.

use std::io::{self, BufRead, BufReader, BufWriter, ErrorKind, Read};
use std::net::TcpStream;

use anyhow::{Context, Result, bail};
use ch06_framing::{read_frame, write_frame};

// ANCHOR: read_crlf_line
/// 연습 6.1: "\r\n"으로 끝나는 줄 · Exercise 6.1: a line that ends in "\r\n".
pub fn read_crlf_line(reader: &mut impl BufRead, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    // 끝의 "\r\n" 두 바이트만큼 한도보다 2바이트 더 읽어 봅니다.
    // Read at most two bytes past the limit: room for the "\r\n".
    let at_most = max as u64 + 2;
    let n = reader.by_ref().take(at_most).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.ends_with(b"\r\n") {
        line.truncate(line.len() - 2);
        return Ok(Some(line));
    }
    if line.ends_with(b"\n") {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            "줄이 \"\\r\\n\"이 아니라 \"\\n\"으로 끝납니다 · a bare \"\\n\": lines end in \"\\r\\n\"",
        ));
    }
    if line.len() as u64 == at_most {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("줄이 한도 {max}바이트를 넘습니다 · a line over the limit of {max} bytes"),
        ));
    }
    Err(io::Error::new(
        ErrorKind::UnexpectedEof,
        "줄 중간에 통화가 끝났습니다 · the call ended in the middle of a line",
    ))
}
// ANCHOR_END: read_crlf_line

// ANCHOR: read_kind_frame
/// 연습 6.2: 종류 바이트 하나, 그다음 이 장의 프레임 · Exercise 6.2: one kind byte, then a
/// frame as in this chapter.
pub fn read_kind_frame(reader: &mut impl Read, max: usize) -> io::Result<Option<(u8, Vec<u8>)>> {
    let mut kind = [0u8; 1];
    // 첫 바이트 앞의 EOF만 깨끗한 끝입니다 · only EOF before the first byte is a clean end.
    loop {
        match reader.read(&mut kind) {
            Ok(0) => return Ok(None),
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    // 나머지는 이 장의 프레임입니다. 여기서 EOF면 종류 바이트 뒤에서 잘린 것입니다.
    // The rest is this chapter's frame; EOF now means the call ended after the kind byte.
    match read_frame(reader, max)? {
        Some(message) => Ok(Some((kind[0], message))),
        None => Err(io::Error::new(
            ErrorKind::UnexpectedEof,
            "종류 바이트 뒤에서 통화가 끝났습니다 · the call ended right after the kind byte",
        )),
    }
}
// ANCHOR_END: read_kind_frame

// ANCHOR: echo_frames_skipping
/// 연습 6.3: 한도를 넘는 프레임은 이유를 말하고 건너뛴 뒤 통화를 이어 갑니다. 건너뛴 프레임
/// 수를 돌려줍니다.
/// Exercise 6.3: a frame over the limit gets a reason and is skipped, and the call goes on.
/// Returns how many frames were skipped.
pub fn echo_frames_skipping(call: &TcpStream, max: usize) -> Result<usize> {
    let mut reader = BufReader::new(call);
    let mut writer = BufWriter::new(call);
    let mut skipped = 0;
    loop {
        // 다음 바이트가 없으면(EOF) 프레임 사이에서 통화가 끝난 것입니다.
        // No next byte (EOF): the call ended between frames.
        if reader.fill_buf()?.is_empty() {
            return Ok(skipped);
        }
        let mut header = [0u8; 4];
        reader
            .read_exact(&mut header)
            .context("프레임 머리가 잘렸습니다 · the call ended inside a frame header")?;
        let len = u32::from_be_bytes(header) as usize;
        if len <= max {
            let mut message = vec![0u8; len];
            reader
                .read_exact(&mut message)
                .context("프레임이 잘렸습니다 · the call ended inside a frame")?;
            write_frame(&mut writer, &message)?;
            continue;
        }
        let reason = format!(
            "오류 · error: 프레임이 한도 {max}바이트를 넘어 건너뜁니다 · \
             a frame of {len} bytes is over the limit of {max} bytes: skipped"
        );
        write_frame(&mut writer, reason.as_bytes())?;
        // 본문은 한 바이트도 담지 않고 흘려보냅니다 · let the payload flow past, keeping none.
        let thrown = io::copy(&mut reader.by_ref().take(len as u64), &mut io::sink())?;
        if thrown < len as u64 {
            bail!(
                "건너뛰던 프레임에서 통화가 끝났습니다 · the call ended inside a skipped frame \
                 ({thrown} of {len} bytes)"
            );
        }
        skipped += 1;
    }
}
// ANCHOR_END: echo_frames_skipping
