// 9장 연습 문제 · Chapter 9 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 9.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::net::{SocketAddr, UdpSocket};

use anyhow::Result;
use ch09_udp::{BUF, Patience, serve};

/// 연습 9.1 · Exercise 9.1: 대문자 문자 메시지 · An uppercase text message.
pub fn serve_upper(socket: UdpSocket) -> Result<()> {
    // 시작점: 9장의 서버 그대로, 받은 것을 바꾸지 않고 돌려줍니다.
    // Starting point: chapter 9's server as it is, sending back what it got unchanged.
    serve(&socket, &mut std::io::sink())
}

/// 연습 9.2 · Exercise 9.2: 잘린 문자 알아채기 · Notice a cut-off datagram.
pub fn receive_at_most(socket: &UdpSocket, max: usize) -> Result<(Vec<u8>, SocketAddr)> {
    // 시작점: 딱 max바이트짜리 버퍼. 더 긴 문자는 아무 말 없이 잘립니다.
    // Starting point: a buffer of exactly max bytes; a longer datagram is cut, silently.
    let mut buf = vec![0u8; max];
    let (n, from) = socket.recv_from(&mut buf)?;
    Ok((buf[..n].to_vec(), from))
}

/// 연습 9.3 · Exercise 9.3: (도전) 번호 붙은 문자 · (stretch) Numbered text messages.
pub fn ask_numbered(
    socket: &UdpSocket,
    number: u32,
    message: &[u8],
    patience: Patience,
) -> Result<Vec<u8>> {
    // 시작점: 한 번만 보내고, 처음 온 답을 번호도 보지 않고 돌려줍니다.
    // Starting point: sends once and returns the first reply, without looking at its number.
    let _ = patience;
    let mut request = number.to_be_bytes().to_vec();
    request.extend_from_slice(message);
    socket.send(&request)?;
    let mut buf = vec![0u8; BUF];
    let n = socket.recv(&mut buf)?;
    Ok(buf[..n.max(4)].get(4..).unwrap_or_default().to_vec())
}
