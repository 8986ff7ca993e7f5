// 13장 연습 문제 참고 해답 · Chapter 13 exercises: reference solutions.

use std::net::SocketAddr;

// 검사기도 이 길로 13장의 코드를 씁니다 · the checker uses chapter 13 through these
pub use ch13_observe::{
    Socket, State, list_sockets, on_port, parse_table, quiet_listener, walk_through_a_call,
};

// ANCHOR: time_waits
/// 연습 13.1: `port`를 쓰는 소켓 가운데 TIME_WAIT인 것의 수.
/// Exercise 13.1: how many of the sockets using `port` are in TIME_WAIT.
pub fn time_waits(sockets: &[Socket], port: u16) -> usize {
    sockets
        .iter()
        .filter(|s| s.state == State::TimeWait)
        .filter(|s| s.local.port() == port || s.remote.port() == port)
        .count()
}
// ANCHOR_END: time_waits

// ANCHOR: interleave
/// 연습 13.2: 첫 주소의 주소 체계부터, IPv6와 IPv4를 번갈아 (각 체계 안의 순서는 그대로).
/// Exercise 13.2: starting with the first address's family, alternate IPv6 and IPv4 (keeping
/// the order within each family).
pub fn interleave(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let Some(first) = addrs.first() else {
        return Vec::new();
    };
    let (mut same, mut other): (Vec<SocketAddr>, Vec<SocketAddr>) = addrs
        .iter()
        .partition(|addr| addr.is_ipv6() == first.is_ipv6());
    same.reverse();
    other.reverse();
    let mut turns = Vec::with_capacity(addrs.len());
    while !same.is_empty() || !other.is_empty() {
        turns.extend(same.pop());
        turns.extend(other.pop());
    }
    turns
}
// ANCHOR_END: interleave
