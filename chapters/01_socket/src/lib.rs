// 1장: 전화기 설치하기 — 시드 서버의 준비 과정을 시스템 콜 하나씩 따라 합니다.
// Chapter 1: installing the phone — the seed server's set-up, one system call at a time.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 대기 중인 통화를 몇 개까지 둘지 · How many callers the OS may keep on hold.
pub const BACKLOG: i32 = 128;

// ANCHOR: install
/// 전화기를 설치하고 벨을 켭니다: socket → (SO_REUSEADDR) → bind → listen.
/// Installs the phone and turns the ringer on: socket → (SO_REUSEADDR) → bind → listen.
pub fn install_phone(addr: SocketAddr, out: &mut impl Write) -> Result<TcpListener> {
    // ANCHOR: socket
    // 전화기 한 대: 주소 체계(IPv4/IPv6)와 소켓 타입(stream = TCP).
    // One handset: an address family (IPv4/IPv6) and a socket type (stream = TCP).
    let domain = Domain::for_address(addr);
    let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
        .context("소켓을 만들 수 없습니다 · could not create a socket")?;
    let family = if addr.is_ipv4() {
        "AF_INET"
    } else {
        "AF_INET6"
    };
    step(
        out,
        1,
        &format!("socket({family}, SOCK_STREAM)"),
        "전화기 설치 · handset installed",
    )?;
    // ANCHOR_END: socket

    // ANCHOR: reuse
    // 유닉스에서는 TIME_WAIT 중인 옛 통화가 있어도 서버를 다시 띄울 수 있게 합니다.
    // 리눅스에서는 옛 통화도 이 옵션을 켠 리스너에서 나왔어야 합니다 (2장).
    // On Unix: lets a restarted server bind while old calls sit in TIME_WAIT.
    // On Linux the old calls must have come from a listener that set it too (chapter 2).
    if cfg!(unix) {
        socket
            .set_reuse_address(true)
            .context("SO_REUSEADDR를 켤 수 없습니다 · could not set SO_REUSEADDR")?;
        step(
            out,
            2,
            "setsockopt(SO_REUSEADDR)",
            "재시작 허용 · restart allowed despite TIME_WAIT",
        )?;
    } else {
        step(
            out,
            2,
            "(no SO_REUSEADDR)",
            "생략 · skipped: on Windows it would let another program take a port in use",
        )?;
    }
    // ANCHOR_END: reuse

    // ANCHOR: bind
    // 내선 번호 배정: 이 전화기는 이제 addr로 걸려 오는 전화를 받습니다.
    // Being assigned an extension: calls to addr now reach this handset.
    socket
        .bind(&addr.into())
        .map_err(|e| explain_bind_error(e, addr))?;
    let local = socket
        .local_addr()?
        .as_socket()
        .context("IP 주소가 아닙니다 · not an IP address")?;
    step(
        out,
        3,
        &format!("bind({local})"),
        "내선 번호 배정 · extension assigned",
    )?;
    // ANCHOR_END: bind

    // ANCHOR: listen
    // 벨 켜기: 이제 OS가 전화를 받아 대기열에 세워 둡니다.
    // Ringer on: from now on the OS answers callers and puts them on hold.
    socket
        .listen(BACKLOG)
        .context("listen에 실패했습니다 · listen failed")?;
    step(
        out,
        4,
        &format!("listen({BACKLOG})"),
        "벨 켜기 · ringer on, waiting for a call",
    )?;
    // ANCHOR_END: listen

    Ok(socket.into())
}
// ANCHOR_END: install

// ANCHOR: take_one_call
/// 전화 한 통을 받아 누가 걸었는지 알려 주고 끊습니다. 발신자의 주소를 돌려줍니다.
/// Takes one call, reports who called, and hangs up. Returns the caller's address.
pub fn take_one_call(listener: &TcpListener, out: &mut impl Write) -> Result<SocketAddr> {
    // accept는 통화마다 새 전화기를 돌려줍니다. 원래 전화기는 계속 울릴 수 있습니다.
    // accept hands out a new handset per call; the listening one keeps ringing.
    let (call, caller) = listener
        .accept()
        .context("전화를 받지 못했습니다 · accept failed")?;
    let here = call.local_addr()?;
    step(
        out,
        5,
        "accept()",
        &format!("수화기 들기 · picked up: {caller} called {here}"),
    )?;
    drop(call);
    step(out, 6, "close()", "끊기 · hung up")?;
    Ok(caller)
}
// ANCHOR_END: take_one_call

/// 단계 한 줄: 번호, 시스템 콜, 설명. 시스템 콜 칸(ASCII)을 폭에 맞춰 채워 설명이 한 줄로 섭니다.
/// One step line: number, system call, what it means. The call column (ASCII) is padded to a
/// fixed width, so the descriptions line up.
pub fn step(out: &mut impl Write, n: u8, call: &str, what: &str) -> std::io::Result<()> {
    writeln!(out, "{n}. {call:<30} {what}")
}

// ANCHOR: std_one_line
/// 표준 라이브러리는 위의 네 단계를 한 줄로 합니다 (유닉스에서는 SO_REUSEADDR까지).
/// std does the four steps above in one line (on Unix, SO_REUSEADDR included).
pub fn install_phone_with_std(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| explain_bind_error(e, addr))
}
// ANCHOR_END: std_one_line

/// bind 실패를 읽는 사람이 할 일로 바꿉니다 · Turns a bind failure into what to do next.
pub fn explain_bind_error(error: std::io::Error, addr: SocketAddr) -> anyhow::Error {
    let advice = match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "이미 사용 중인 주소입니다 · {addr} is already in use: \
             is another server still running? Stop it, or pass another address"
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "{addr}에 대한 권한이 없습니다 · no permission to bind {addr}: \
             ports below 1024 need privileges on many systems; use a port above 1024"
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "이 컴퓨터에 없는 주소입니다 · {addr} is not an address of this machine: \
             use 127.0.0.1 or one of this machine's addresses"
        ),
        _ => format!("{addr}에 bind할 수 없습니다 · could not bind {addr}"),
    };
    anyhow::Error::new(error).context(advice)
}
