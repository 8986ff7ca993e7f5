// 1장 연습 문제 · Chapter 1 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 1.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use anyhow::Result;
use ch01_socket::{install_phone, take_one_call};

/// 연습 1.1 · Exercise 1.1: IPv6 인터폰 · The IPv6 intercom.
pub fn install_phone_v6(out: &mut impl Write) -> Result<TcpListener> {
    // 시작점: IPv4 인터폰(127.0.0.1)에 설치합니다 · Starting point: installs on the IPv4 intercom.
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    install_phone(addr, out)
}

/// 연습 1.2 · Exercise 1.2: 내선은 계속 울린다 · The extension keeps ringing.
pub fn take_calls(
    listener: &TcpListener,
    n: usize,
    out: &mut impl Write,
) -> Result<Vec<SocketAddr>> {
    // 시작점: n과 상관없이 한 통만 받습니다 · Starting point: takes one call whatever n is.
    let _ = n;
    let caller = take_one_call(listener, out)?;
    Ok(vec![caller])
}

/// 연습 1.3 · Exercise 1.3: 아무도 걸지 않았다 · Nobody called.
pub fn take_one_call_within(
    listener: &TcpListener,
    wait: Duration,
    out: &mut impl Write,
) -> Result<Option<SocketAddr>> {
    // 시작점: wait를 무시하고, 전화가 올 때까지 끝없이 기다립니다.
    // Starting point: ignores wait, and waits for a call however long it takes.
    let _ = wait;
    take_one_call(listener, out).map(Some)
}
