// 13장 연습 문제 · Chapter 13 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 13.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::net::SocketAddr;

pub use ch13_observe::{Socket, State};

/// 연습 13.1 · Exercise 13.1: TIME_WAIT 세기 · Count the reserved lines.
/// `port`를 쓰는 소켓 가운데 TIME_WAIT인 것의 수.
/// How many of the sockets using `port` are in TIME_WAIT.
pub fn time_waits(sockets: &[Socket], port: u16) -> usize {
    // 시작점: 상태를 보지 않고 그 포트의 소켓을 모두 셉니다.
    // Starting point: counts every socket on the port, whatever its state.
    sockets
        .iter()
        .filter(|s| s.local.port() == port || s.remote.port() == port)
        .count()
}

/// 연습 13.2 · Exercise 13.2: 번갈아 걸기 · Take turns between families.
/// 첫 주소의 주소 체계부터 시작해 IPv6와 IPv4를 번갈아 놓습니다 (Happy Eyeballs의 순서).
/// Starting with the first address's family, alternates IPv6 and IPv4 (Happy Eyeballs' order).
pub fn interleave(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    // 시작점: 받은 순서 그대로 · Starting point: the order as given.
    addrs.to_vec()
}
