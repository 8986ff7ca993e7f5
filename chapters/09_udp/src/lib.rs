// 9장: UDP — 통화가 아니라 문자 메시지.
// Chapter 9: UDP — text messages, not calls.

use std::io::{ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use anyhow::{Context, Result};

// ANCHOR: defaults
/// 시드 튜토리얼과 같은 기본 주소 (이번에는 UDP 9999번) · The seed's address (UDP 9999 this time).
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 클라이언트가 보내는 기본 문자 · What the client sends by default.
pub const DEFAULT_MESSAGE: &str = "안녕!";

/// IPv4로 보낼 수 있는 가장 큰 문자 메시지: 65,535 − IP 헤더 20 − UDP 헤더 8.
/// The largest datagram IPv4 can carry: 65,535 − 20 (IP header) − 8 (UDP header).
pub const MAX_DATAGRAM: usize = 65_507;

/// 받는 버퍼: 어떤 UDP 문자(IPv6는 65,527바이트까지)보다도 큰 64 KiB.
/// The receive buffer: 64 KiB, larger than any UDP datagram (IPv6 allows up to 65,527 bytes).
pub const BUF: usize = 65_536;
// ANCHOR_END: defaults

// ANCHOR: patience
/// 답을 기다리는 방법: 한 번에 `wait`만큼, 모두 `tries`번 · How to wait for a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// 보낸 뒤 답을 기다리는 시간 · how long to wait for a reply after each send
    pub wait: Duration,
    /// 모두 몇 번 보낼지 (1이면 다시 보내지 않음) · how many sends in all (1 = no retry)
    pub tries: u32,
}

/// 클라이언트의 기본값: 1초씩 세 번 · The client's default: three tries of 1 s each.
pub const PATIENCE: Patience = Patience {
    wait: Duration::from_secs(1),
    tries: 3,
};
// ANCHOR_END: patience

// ANCHOR: bind
/// UDP 소켓에 주소를 배정합니다. 리슨도 accept도 없습니다: bind하면 곧바로 받을 수 있습니다.
/// Binds a UDP socket. No listen, no accept: once bound, it can receive.
pub fn bind(addr: SocketAddr) -> Result<UdpSocket> {
    UdpSocket::bind(addr).map_err(|error| {
        let advice = match error.kind() {
            ErrorKind::AddrInUse => format!(
                "이미 사용 중인 주소입니다 · UDP {addr} is already in use: \
                 is another UDP server still running? Stop it, or pass another address"
            ),
            ErrorKind::PermissionDenied => format!(
                "{addr}에 대한 권한이 없습니다 · no permission to bind {addr}: use a port above 1024"
            ),
            _ => format!("{addr}에 bind할 수 없습니다 · could not bind UDP {addr}"),
        };
        anyhow::Error::new(error).context(advice)
    })
}
// ANCHOR_END: bind

// ANCHOR: serve
/// 문자를 영원히 받아 그대로 돌려보냅니다 (Ctrl+C로 멈춥니다).
/// Receives datagrams forever and sends each one back (stop it with Ctrl+C).
pub fn serve(socket: &UdpSocket, log: &mut impl Write) -> Result<()> {
    // 가장 큰 문자도 통째로 담는 버퍼 하나 · one buffer that holds even the largest datagram
    let mut buf = vec![0u8; BUF];
    loop {
        serve_one(socket, &mut buf, log)?;
    }
}

/// 문자 하나: 받고, 로그에 적고, 보낸 사람에게 `send_to` 한 번으로 돌려줍니다.
/// One datagram: receive it, log it, and send it back to its sender in one `send_to`.
pub fn serve_one(socket: &UdpSocket, buf: &mut [u8], log: &mut impl Write) -> Result<()> {
    // recv_from은 문자 하나를 통째로, 보낸 사람의 주소와 함께 돌려줍니다.
    // recv_from returns one whole datagram, with who sent it.
    let (n, from) = match socket.recv_from(buf) {
        Ok(got) => got,
        // 윈도우는 앞서 보낸 답이 갈 곳이 없었다고 여기서 알립니다: 서버와는 상관없습니다.
        // Windows reports here that an earlier reply found nobody: not the server's problem.
        Err(e) if is_not_for_us(&e) => {
            writeln!(log, "건너뜀 · skipped: {e}")?;
            return Ok(());
        }
        Err(e) => return Err(e).context("받기 실패 · receiving a datagram failed"),
    };
    let datagram = &buf[..n];
    writeln!(log, "{}", describe(from, datagram))?;
    // 답 하나에 send_to 하나 · one send_to per reply
    if let Err(e) = socket.send_to(datagram, from) {
        // 답을 못 보내도 서버는 계속 받습니다 · a failed reply does not stop the server
        writeln!(log, "답을 보내지 못함 · could not reply to {from}: {e}")?;
    }
    Ok(())
}
// ANCHOR_END: serve

/// 한 발신자 때문에 생긴, 서버가 넘겨도 되는 받기 오류 · A receive error about one peer.
fn is_not_for_us(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused | ErrorKind::Interrupted
    )
}

// ANCHOR: describe
/// 로그 한 줄: `문자 · datagram from 127.0.0.1:PORT: "안녕!" (7 bytes)`. 긴 문자는 앞만 보입니다.
/// One log line. A long datagram shows only its start.
pub fn describe(from: SocketAddr, datagram: &[u8]) -> String {
    const SHOWN: usize = 40;
    let text = String::from_utf8_lossy(datagram);
    let mut shown: String = text.chars().take(SHOWN).collect();
    if text.chars().count() > SHOWN {
        shown.push('…');
    }
    let note = match std::str::from_utf8(datagram) {
        Ok(_) => "",
        Err(_) => ", not valid UTF-8: � marks the bytes",
    };
    let n = datagram.len();
    format!("문자 · datagram from {from}: {shown:?} ({n} bytes{note})")
}
// ANCHOR_END: describe

// ANCHOR: send_text
/// 문자를 보내고 답을 기다립니다. 시간 안에 답이 없으면 `tries`번까지 다시 보냅니다.
/// Sends a datagram and waits for the reply; with no reply in time, sends again, `tries` times.
/// Returns the reply and the try it came on (1, 2, …).
pub fn send_text(
    addr: SocketAddr,
    message: &[u8],
    patience: Patience,
    log: &mut impl Write,
) -> Result<(Vec<u8>, u32)> {
    let socket = bind(any_port_for(addr))?;
    // connect는 전화를 걸지 않습니다: 상대 주소를 정해 두고, 다른 곳의 문자는 걸러 냅니다.
    // connect dials nobody: it fixes the peer, and datagrams from anyone else are filtered out.
    socket.connect(addr).with_context(|| {
        format!("{addr}를 상대로 정할 수 없습니다 · cannot set {addr} as the peer")
    })?;
    socket.set_read_timeout(Some(patience.wait))?;
    let mut buf = vec![0u8; BUF];
    for try_number in 1..=patience.tries {
        socket
            .send(message)
            .map_err(|e| explain_send_error(e, addr, message.len()))?;
        match socket.recv(&mut buf) {
            Ok(n) => return Ok((buf[..n].to_vec(), try_number)),
            // 유닉스는 WouldBlock, 윈도우는 TimedOut · Unix says WouldBlock, Windows TimedOut
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                let wait = patience.wait.as_secs_f64();
                let of = patience.tries;
                writeln!(
                    log,
                    "답이 없습니다 ({try_number}/{of}) · no reply within {wait} s (try {try_number} of {of})"
                )?;
            }
            Err(e) => return Err(explain_receive_error(e, addr)),
        }
    }
    anyhow::bail!(
        "{addr}에서 답이 오지 않았습니다 · no reply after {} tries: the message or its reply \
         was lost, or nothing is there",
        patience.tries
    )
}
// ANCHOR_END: send_text

/// 상대와 같은 종류(IPv4/IPv6)의, 운영체제가 고르는 포트 · Any port, of the peer's family.
fn any_port_for(peer: SocketAddr) -> SocketAddr {
    let any: SocketAddr = if peer.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    any
}

// ANCHOR: explain_receive_error
/// 받기 실패를 무엇이 일어났고 무엇을 할지로 바꿉니다.
/// Turns a failed receive into what happened and what to do.
pub fn explain_receive_error(error: std::io::Error, addr: SocketAddr) -> anyhow::Error {
    let advice = match error.kind() {
        // 앞서 보낸 문자에 대한 ICMP "포트에 아무도 없음"이 다음 받기에서 오류로 옵니다.
        // The ICMP "port unreachable" for the datagram we sent comes back on the next receive.
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset => format!(
            "{addr}에서 기다리는 프로그램이 없습니다 (없는 번호) · nothing is listening on \
             {addr} (ICMP port unreachable): start the server first with `cargo run -p ch09_udp`"
        ),
        _ => format!("답을 받지 못했습니다 · receiving the reply from {addr} failed"),
    };
    anyhow::Error::new(error).context(advice)
}
// ANCHOR_END: explain_receive_error

fn explain_send_error(error: std::io::Error, addr: SocketAddr, len: usize) -> anyhow::Error {
    let advice = if len > MAX_DATAGRAM {
        format!(
            "문자가 너무 깁니다 · {len} bytes do not fit in one datagram \
             (at most {MAX_DATAGRAM} over IPv4)"
        )
    } else {
        format!("보내기 실패 · sending to {addr} failed")
    };
    anyhow::Error::new(error).context(advice)
}

// ANCHOR: show_reply
/// 받은 답을 보여 줍니다 · Shows the reply: `받은 답 · reply from ADDR: "안녕!" (7 bytes)`.
pub fn show_reply(addr: SocketAddr, reply: &[u8], try_number: u32) -> String {
    let line = describe(addr, reply).replacen("문자 · datagram from", "받은 답 · reply from", 1);
    if try_number > 1 {
        format!("{line}, {try_number}번째 시도 · on try {try_number}")
    } else {
        line
    }
}
// ANCHOR_END: show_reply
