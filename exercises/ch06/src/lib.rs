// 6장 연습 문제 · Chapter 6 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 6.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::io::{self, BufRead, Read};
use std::net::TcpStream;

use anyhow::Result;
use ch06_framing::{PATIENCE, Protocol, read_frame, read_line, serve_call};

/// 연습 6.1 · Exercise 6.1: CRLF로 끝나는 줄 · Lines that end in CRLF.
pub fn read_crlf_line(reader: &mut impl BufRead, max: usize) -> io::Result<Option<Vec<u8>>> {
    // 시작점: "\n"까지만 떼어 내므로 "\r"이 줄 끝에 남습니다.
    // Starting point: strips only the "\n", so the "\r" stays at the end of the line.
    read_line(reader, max)
}

/// 연습 6.2 · Exercise 6.2: 종류 바이트가 있는 프레임 · A frame with a kind byte.
pub fn read_kind_frame(reader: &mut impl Read, max: usize) -> io::Result<Option<(u8, Vec<u8>)>> {
    // 시작점: 종류 바이트를 모르고 이 장의 프레임으로 읽습니다.
    // Starting point: knows nothing of the kind byte and reads a plain frame.
    Ok(read_frame(reader, max)?.map(|message| (b'M', message)))
}

/// 연습 6.3 · Exercise 6.3: 너무 긴 프레임을 건너뛰는 에코 · An echo that skips oversized frames.
pub fn echo_frames_skipping(call: &TcpStream, max: usize) -> Result<usize> {
    // 시작점: 이 장의 서버 그대로입니다. 한도는 늘 1 MiB이고, 넘으면 끊습니다.
    // Starting point: this chapter's server as it is; the limit is always 1 MiB, and a frame
    // over it ends the call.
    let _ = max;
    let caller = call.peer_addr()?;
    serve_call(call, caller, Protocol::Frames, PATIENCE, &mut io::sink())?;
    Ok(0)
}
