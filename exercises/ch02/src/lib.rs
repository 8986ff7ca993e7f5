// 2장 연습 문제 · Chapter 2 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 2.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::io::{self, ErrorKind};
use std::net::TcpStream;
use std::ops::RangeInclusive;

use ch02_port::{PortStatus, check, restart_after_a_call};

/// 연습 2.1 · Exercise 2.1: 첫 번째 빈 포트 · The first free port.
pub fn first_free_port(ports: RangeInclusive<u16>) -> Option<u16> {
    // 시작점: 범위는 보지 않고, 포트 0을 검사해 OS가 고른 번호를 돌려줍니다.
    // Starting point: ignores the range, checks port 0 and returns the number the OS picked.
    let _ = ports;
    match check(0) {
        PortStatus::PickedByOs(port) => Some(port),
        _ => None,
    }
}

/// 연습 2.2 · Exercise 2.2: 4-튜플을 문자열로 · The 4-tuple as a string.
pub fn four_tuple(call: &TcpStream) -> io::Result<String> {
    // 시작점: 데모의 `통화 · call` 줄처럼 두 주소를 화살표로 잇습니다.
    // Starting point: joins the two addresses with an arrow, like the demo's `통화 · call` line.
    Ok(format!("{} ↔ {}", call.local_addr()?, call.peer_addr()?))
}

/// 연습 2.3 · Exercise 2.3: 누가 먼저 끊었나 · Who hung up first?
pub fn port_held_after_hang_up(server_hangs_up_first: bool) -> io::Result<bool> {
    if !server_hangs_up_first {
        // 시작점: 거는 쪽이 먼저 끊는 경우는 아직 쓰지 않았고, 오류를 돌려줍니다.
        // Starting point: the dialing-side-first case is not written yet; it returns an error.
        return Err(io::Error::other(
            "아직 작성하지 않았습니다: 거는 쪽이 먼저 끊는 경우 · not written yet: the dialing side \
             hangs up first",
        ));
    }
    // 시작점: 서버가 먼저 끊는 경우만 7단계의 시연을 빌려 씁니다.
    // Starting point: only the server-first case, borrowed from step 7's demonstration.
    match restart_after_a_call(false) {
        Ok(_) => Ok(false),
        Err(e) if e.kind() == ErrorKind::AddrInUse => Ok(true),
        Err(e) => Err(e),
    }
}
