// 1장 연습 문제 참고 해답 · Chapter 1 exercises: reference solutions.

use std::io::{ErrorKind, Write};
use std::net::{Ipv6Addr, SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;
use ch01_socket::{install_phone, take_one_call};

// ANCHOR: install_phone_v6
/// 연습 1.1: IPv6 루프백 ::1에, 운영체제가 고른 포트로 · Exercise 1.1: on ::1, a port the OS picks.
pub fn install_phone_v6(out: &mut impl Write) -> Result<TcpListener> {
    // [::1]:0 — 주소가 IPv6이므로 install_phone이 AF_INET6 소켓을 만듭니다.
    // [::1]:0 — the address is IPv6, so install_phone creates an AF_INET6 socket.
    let addr = SocketAddr::from((Ipv6Addr::LOCALHOST, 0));
    install_phone(addr, out)
}
// ANCHOR_END: install_phone_v6

// ANCHOR: take_calls
/// 연습 1.2: 같은 리스너로 n통을 차례로 받습니다 · Exercise 1.2: n calls on the same listener.
pub fn take_calls(
    listener: &TcpListener,
    n: usize,
    out: &mut impl Write,
) -> Result<Vec<SocketAddr>> {
    let mut callers = Vec::with_capacity(n);
    // n이 0이면 한 번도 돌지 않으므로 기다리지 않습니다 · with n = 0 the loop never runs.
    for _ in 0..n {
        callers.push(take_one_call(listener, out)?);
    }
    Ok(callers)
}
// ANCHOR_END: take_calls

// ANCHOR: take_one_call_within
/// 연습 1.3: wait 안에 온 전화만 받습니다 · Exercise 1.3: takes a call only if one comes within wait.
pub fn take_one_call_within(
    listener: &TcpListener,
    wait: Duration,
    out: &mut impl Write,
) -> Result<Option<SocketAddr>> {
    listener.set_nonblocking(true)?;
    let result = poll_for_a_call(listener, wait, out);
    // 성공이든 실패든, 돌아가기 전에 리스너를 원래대로 · Back to blocking on every path.
    listener.set_nonblocking(false)?;
    result
}

fn poll_for_a_call(
    listener: &TcpListener,
    wait: Duration,
    out: &mut impl Write,
) -> Result<Option<SocketAddr>> {
    let deadline = Instant::now() + wait;
    loop {
        match take_one_call(listener, out) {
            Ok(caller) => return Ok(Some(caller)),
            // 대기 중인 전화가 없습니다: 마감 전이면 잠깐 쉬고 다시 · nobody on hold: retry until the deadline.
            Err(e) if is_would_block(&e) => {}
            Err(e) => return Err(e),
        }
        if Instant::now() >= deadline {
            writeln!(
                out,
                "아무도 걸지 않았습니다 · nobody called within {wait:?}"
            )?;
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// take_one_call의 오류 안에 WouldBlock이 있는지 · Whether take_one_call failed with WouldBlock.
fn is_would_block(error: &anyhow::Error) -> bool {
    // .context(…)로 감싼 오류에서도 원래의 io::Error를 꺼낼 수 있습니다.
    // downcast_ref finds the io::Error even under the .context(…) that take_one_call adds.
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == ErrorKind::WouldBlock)
}
// ANCHOR_END: take_one_call_within
