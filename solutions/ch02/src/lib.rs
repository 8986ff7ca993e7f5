// 2장 연습 문제 참고 해답 · Chapter 2 exercises: reference solutions.

use std::io::{self, ErrorKind, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::thread;
use std::time::{Duration, Instant};

use ch02_port::{PortStatus, check};
use socket2::{Domain, Socket, Type};

// ANCHOR: first_free_port
/// 연습 2.1: 범위에서 가장 낮은 빈 포트 · Exercise 2.1: the lowest free port in a range.
pub fn first_free_port(ports: RangeInclusive<u16>) -> Option<u16> {
    // 0은 "골라 주세요"라는 뜻이지 포트가 아닙니다. check는 bind해 보고 곧바로 놓으므로
    // 이 함수는 어떤 포트도 붙잡지 않습니다.
    // 0 means "pick one", not a port. check binds and lets go at once, so nothing stays held.
    ports
        .filter(|&port| port != 0)
        .find(|&port| check(port) == PortStatus::Free)
}
// ANCHOR_END: first_free_port

// ANCHOR: four_tuple
/// 연습 2.2: (내 IP, 내 포트, 상대 IP, 상대 포트) · Exercise 2.2: (local IP, local port, peer IP, peer port).
pub fn four_tuple(call: &TcpStream) -> io::Result<String> {
    let local = call.local_addr()?;
    let peer = call.peer_addr()?;
    Ok(format!(
        "({}, {}, {}, {})",
        local.ip(),
        local.port(),
        peer.ip(),
        peer.port()
    ))
}
// ANCHOR_END: four_tuple

// ANCHOR: port_held_after_hang_up
/// 연습 2.3: 한 통화가 끝난 뒤 서버 포트가 묶여 있는지 · Exercise 2.3: is the server's port
/// still tied up after one call?
pub fn port_held_after_hang_up(server_hangs_up_first: bool) -> io::Result<bool> {
    const TIMEOUT: Duration = Duration::from_secs(2);

    let server = bind_without_reuse((Ipv4Addr::LOCALHOST, 0).into())?;
    server.listen(1)?;
    let listener: TcpListener = server.into();
    let addr = listener.local_addr()?;

    let mut dialer = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    let (mut call, _) = listener.accept()?;
    dialer.set_read_timeout(Some(TIMEOUT))?;
    call.set_read_timeout(Some(TIMEOUT))?;

    if server_hangs_up_first {
        drop(call); // 받은 쪽이 먼저 끊습니다 · the accepted socket hangs up first
        dialer.read_to_end(&mut Vec::new())?; // EOF를 보고 · sees the hang-up
        drop(dialer);
    } else {
        drop(dialer); // 거는 쪽이 먼저 끊습니다 · the dialing side hangs up first
        call.read_to_end(&mut Vec::new())?;
        drop(call);
    }
    drop(listener); // 서버 종료 · the server exits

    // TIME_WAIT는 먼저 끊은 쪽의 4-튜플에 남습니다. 거는 쪽이 먼저 끊었다면 그 4-튜플의
    // 내 포트는 서버 포트가 아니라 발신 번호입니다.
    // TIME_WAIT stays with the 4-tuple of the side that hung up first. If the dialer hung up
    // first, that 4-tuple's local port is its caller ID, not the server's port.
    // 나중에 끊은 쪽도 마지막 ACK가 올 때까지 잠깐 포트를 쥡니다(LAST_ACK). 바쁜 기계에서는
    // 그 잠깐이 길 수 있으니 0.5초까지 다시 해 봅니다. TIME_WAIT는 60초 갑니다.
    // The side that hung up second holds its port until the last ACK arrives (LAST_ACK); on a
    // busy machine that moment can be long, so keep trying for half a second. TIME_WAIT lasts 60 s.
    let deadline = Instant::now() + Duration::from_millis(500);
    loop {
        match bind_without_reuse(addr) {
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == ErrorKind::AddrInUse && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => return Ok(true),
            Err(e) => return Err(e),
        }
    }
}

/// SO_REUSEADDR를 분명히 끄고 bind합니다 · Binds with SO_REUSEADDR explicitly off.
fn bind_without_reuse(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(false)?;
    socket.bind(&addr.into())?;
    Ok(socket)
}
// ANCHOR_END: port_held_after_hang_up
