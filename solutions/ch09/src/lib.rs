// 9장 연습 문제 참고 해답 · Chapter 9 exercises: reference solutions.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};

use anyhow::{Context, Result, bail};
use ch09_udp::{BUF, Patience};

// ANCHOR: serve_upper
/// 연습 9.1: 받은 문자를 ASCII 대문자로 바꿔, 보낸 사람에게 돌려줍니다.
/// Exercise 9.1: sends each datagram back to its sender in ASCII upper case.
pub fn serve_upper(socket: UdpSocket) -> Result<()> {
    let mut buf = vec![0u8; BUF];
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            // 한 발신자의 문제로 서버를 멈추지 않습니다 · one peer's trouble never stops us
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(e).context("받기 실패 · receiving failed"),
        };
        let upper = buf[..n].to_ascii_uppercase();
        // 답을 못 보내도 다음 문자를 받습니다 · a failed reply does not stop the loop
        let _ = socket.send_to(&upper, from);
    }
}
// ANCHOR_END: serve_upper

// ANCHOR: receive_at_most
/// 연습 9.2: `max`바이트까지의 문자 하나. 더 긴 문자는 잘린 채 돌려주지 않고 오류로 알립니다.
/// Exercise 9.2: one datagram of at most `max` bytes; a longer one is an error, not cut.
pub fn receive_at_most(socket: &UdpSocket, max: usize) -> Result<(Vec<u8>, SocketAddr)> {
    // 한 바이트 더 큰 버퍼: 버퍼가 꽉 찼다면 문자가 max보다 길었다는 뜻입니다.
    // One byte more: if the buffer is full, the datagram was longer than max.
    let mut buf = vec![0u8; max + 1];
    let (n, from) = socket
        .recv_from(&mut buf)
        .context("받기 실패 · receiving failed (or the datagram was too long)")?;
    if n > max {
        bail!(
            "{from}의 문자가 {max}바이트보다 깁니다 · the datagram from {from} is longer than {max} bytes"
        );
    }
    Ok((buf[..n].to_vec(), from))
}
// ANCHOR_END: receive_at_most

// ANCHOR: ask_numbered
/// 연습 9.3: 번호를 앞에 붙여 보내고, 같은 번호의 답만 받습니다. 늦게 온 옛 답과 중복은 버리고,
/// 시간 안에 답이 없으면 다시 보냅니다.
/// Exercise 9.3: sends with a number in front and takes only the reply with that number; stale
/// replies and copies are dropped; with no reply in time, sends again.
pub fn ask_numbered(
    socket: &UdpSocket,
    number: u32,
    message: &[u8],
    patience: Patience,
) -> Result<Vec<u8>> {
    let mut request = number.to_be_bytes().to_vec();
    request.extend_from_slice(message);
    socket.set_read_timeout(Some(patience.wait))?;
    let mut buf = vec![0u8; BUF];
    for _ in 0..patience.tries {
        socket
            .send(&request)
            .context("보내기 실패 · sending failed")?;
        // 이 시도의 기다림 안에서, 맞는 번호가 올 때까지 받습니다.
        // Within this try's wait, keep receiving until the right number comes.
        loop {
            match socket.recv(&mut buf) {
                Ok(n) if n >= 4 && buf[..4] == number.to_be_bytes() => {
                    return Ok(buf[4..n].to_vec());
                }
                // 다른 번호, 또는 번호도 없는 문자: 버립니다 · another number, or none: drop it
                Ok(_) => continue,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(e) => return Err(e).context("받기 실패 · receiving failed"),
            }
        }
    }
    bail!(
        "답 {number}번이 오지 않았습니다 · no reply numbered {number} after {} tries",
        patience.tries
    )
}
// ANCHOR_END: ask_numbered
