// 2장: 포트는 내선 번호 — 포트 검사기와, 시드의 "소켓 하나에 포트 여러 개"가 거꾸로인 이유.
// Chapter 2: ports are extensions — a port checker, and why the seed's
// "one socket gets several ports" is backwards.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Socket, Type};

/// 검사할 기본 포트 (시드의 포트) · The port checked by default (the seed's).
pub const DEFAULT_PORT: u16 = 9999;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const TIMEOUT: Duration = Duration::from_secs(5);

// ANCHOR: status
/// 포트 하나를 검사한 결과 · What checking one port found.
#[derive(Debug, PartialEq, Eq)]
pub enum PortStatus {
    /// 비어 있음: 지금 bind할 수 있습니다 · Free: a bind would succeed now.
    Free,
    /// 누군가 쓰는 중 (AddrInUse) · Someone is using it (AddrInUse).
    InUse,
    /// 권한이 필요함 (낮은 포트) · Needs privileges (a low port).
    NeedsPrivilege,
    /// 포트 0을 요청해서 OS가 고른 번호 · Asked for port 0; the OS picked this one.
    PickedByOs(u16),
    /// 그 밖의 오류 · Any other error.
    Other(ErrorKind),
}
// ANCHOR_END: status

// ANCHOR: check
/// 실제로 bind해 보고 곧바로 놓아서 포트를 검사합니다 (TCP, 127.0.0.1).
/// Checks a port by really binding it and letting go at once (TCP, 127.0.0.1).
pub fn check(port: u16) -> PortStatus {
    match TcpListener::bind((LOOPBACK, port)) {
        Ok(listener) if port == 0 => match listener.local_addr() {
            Ok(addr) => PortStatus::PickedByOs(addr.port()),
            Err(e) => PortStatus::Other(e.kind()),
        },
        Ok(_listener) => PortStatus::Free,
        Err(e) => classify(&e),
    }
}

/// bind 오류를 결과로 분류합니다 · Sorts a bind error into a status.
pub fn classify(error: &io::Error) -> PortStatus {
    match error.kind() {
        ErrorKind::AddrInUse => PortStatus::InUse,
        ErrorKind::PermissionDenied => PortStatus::NeedsPrivilege,
        kind => PortStatus::Other(kind),
    }
}
// ANCHOR_END: check

// ANCHOR: report
/// 결과를 한 줄로 설명합니다: 무엇을 찾았고 무엇을 하면 되는지.
/// Explains a result in one line: what was found and what to do.
pub fn report(port: u16, status: &PortStatus) -> String {
    match status {
        PortStatus::Free => {
            format!("{port}: 비어 있음 · free: a server can bind 127.0.0.1:{port} now")
        }
        PortStatus::InUse => format!(
            "{port}: 사용 중 · in use (AddrInUse): another program listens there, \
             or old connections wait in TIME_WAIT; stop it or pick another port \
             (`ss -ltnp` shows who listens, \
             `ss -tan state time-wait '( sport = :{port} )'` shows old connections)"
        ),
        PortStatus::NeedsPrivilege => format!(
            "{port}: 권한 필요 · refused (PermissionDenied): ports below 1024 are \
             privileged here; use a port above 1024"
        ),
        PortStatus::PickedByOs(picked) => format!(
            "0: OS가 고른 번호 · the OS picked free port {picked} (ports are 16 bits: 1–65535)"
        ),
        PortStatus::Other(kind) => format!("{port}: 검사 실패 · could not check: {kind}"),
    }
}
// ANCHOR_END: report

// ANCHOR: bind_twice
/// 소켓 하나에 포트 둘? 이미 bind한 소켓을 다시 bind하면 실패합니다 (리눅스: EINVAL).
/// One socket, two ports? Binding a bound socket again fails (Linux: EINVAL).
pub fn bind_twice(out: &mut impl Write) -> Result<io::Error> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    let any_port: SocketAddr = (LOOPBACK, 0).into();
    socket.bind(&any_port.into())?;
    let first = socket.local_addr()?.as_socket().context("not IP")?;
    writeln!(out, "첫 bind 성공 · first bind: {first}")?;
    match socket.bind(&any_port.into()) {
        Ok(()) => anyhow::bail!("두 번째 bind가 성공했습니다 · the second bind succeeded?!"),
        Err(e) => {
            writeln!(out, "두 번째 bind 실패 · second bind fails: {e}")?;
            Ok(e)
        }
    }
}
// ANCHOR_END: bind_twice

// ANCHOR: one_port_many_calls
/// 포트 하나를 여러 통화가 함께 씁니다: 받은 연결마다 내 주소는 같고 상대 주소만 다릅니다.
/// Many calls share one port: each accepted connection has the same local
/// address and a different peer (the 4-tuple tells them apart).
pub fn one_port_many_calls(callers: usize, out: &mut impl Write) -> Result<Vec<TcpStream>> {
    let listener = TcpListener::bind((LOOPBACK, 0))?;
    let server = listener.local_addr()?;
    writeln!(out, "대표 전화 · listening on {server}")?;
    let mut dialers = Vec::new();
    let mut calls = Vec::new();
    for _ in 0..callers {
        dialers.push(TcpStream::connect_timeout(&server, TIMEOUT)?);
        let (call, _) = listener.accept()?;
        writeln!(
            out,
            "통화 · call: local {} ↔ peer {}",
            call.local_addr()?,
            call.peer_addr()?
        )?;
        calls.push(call);
    }
    calls.extend(dialers);
    Ok(calls)
}
// ANCHOR_END: one_port_many_calls

// ANCHOR: tcp_and_udp
/// TCP와 UDP는 번호 공간이 따로입니다: 같은 번호를 동시에 bind할 수 있습니다.
/// TCP and UDP have separate number spaces: both can bind the same number.
pub fn tcp_and_udp_share_a_number(out: &mut impl Write) -> Result<u16> {
    // 다른 프로그램이 그 UDP 번호를 이미 쓰고 있을 수 있으니 몇 번 다시 해 봅니다.
    // Another program may hold that UDP number already, so try a few TCP ports.
    for _ in 0..10 {
        let tcp = TcpListener::bind((LOOPBACK, 0))?;
        let port = tcp.local_addr()?.port();
        let Ok(udp) = UdpSocket::bind((LOOPBACK, port)) else {
            continue;
        };
        writeln!(
            out,
            "같은 번호를 TCP와 UDP가 함께 씀 · both bound at once: TCP {}, UDP {}",
            tcp.local_addr()?,
            udp.local_addr()?
        )?;
        return Ok(port);
    }
    anyhow::bail!(
        "UDP가 같은 번호를 열 번 모두 bind하지 못했습니다 · UDP could not bind the TCP number, 10 tries"
    )
}
// ANCHOR_END: tcp_and_udp

// ANCHOR: restart
/// 서버가 먼저 끊으면 그 통화는 TIME_WAIT로 남습니다. 같은 포트로 서버를 다시 띄워 봅니다.
/// When the server hangs up first, that call stays in TIME_WAIT. Then restart the server
/// on the same port, with or without SO_REUSEADDR (the same setting both times).
pub fn restart_after_a_call(reuse_address: bool) -> io::Result<SocketAddr> {
    restart_after_a_call_with(reuse_address, reuse_address)
}

/// 옛 서버(`old_reuse`)와 새 서버(`new_reuse`)가 SO_REUSEADDR를 따로 정합니다. 리눅스에서는
/// TIME_WAIT에 남은 옛 소켓에도 옵션이 켜져 있어야 다시 bind됩니다.
/// The old server (`old_reuse`) and the new one (`new_reuse`) choose SO_REUSEADDR separately.
/// On Linux the rebind succeeds only if the old sockets in TIME_WAIT had it on too.
pub fn restart_after_a_call_with(old_reuse: bool, new_reuse: bool) -> io::Result<SocketAddr> {
    // 받은 소켓은 리스너의 SO_REUSEADDR를 물려받습니다 · accepted sockets inherit it.
    let first = listener_on((LOOPBACK, 0).into(), old_reuse)?;
    let addr = first.local_addr()?;
    let mut caller = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    let (call, _) = first.accept()?;
    drop(call); // 서버가 먼저 끊습니다 → 서버 쪽이 TIME_WAIT · server hangs up first
    caller.set_read_timeout(Some(TIMEOUT))?;
    caller.read_to_end(&mut Vec::new())?; // 끊긴 것을 확인 · see the hang-up (EOF)
    drop(caller);
    drop(first); // 서버 종료 · the server exits

    // 옛 통화는 지금 FIN_WAIT2나 TIME_WAIT입니다. 어느 쪽이든 포트를 똑같이 잡고 있습니다.
    // The old call is now in FIN_WAIT2 or TIME_WAIT; either holds the port the same way.
    let second = listener_on(addr, new_reuse)?; // 다시 시작 · restart
    second.local_addr()
}

fn listener_on(addr: SocketAddr, reuse_address: bool) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(reuse_address)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}
// ANCHOR_END: restart

/// 모든 시연을 차례로 보여 줍니다 · Runs every demonstration in turn.
pub fn demonstrate(out: &mut impl Write) -> Result<()> {
    writeln!(out, "== 소켓 하나, 포트 둘? · one socket, two ports?")?;
    bind_twice(out)?;
    writeln!(out, "== 포트 하나, 통화 여럿 · one port, many calls")?;
    let calls = one_port_many_calls(2, out)?;
    // Vec은 차례대로 버립니다: 받은 쪽(서버)이 먼저 끊고, TIME_WAIT는 서버 포트 쪽에 남습니다.
    // A Vec drops in order: the accepted (server) side hangs up first, so TIME_WAIT stays on the server port.
    drop(calls);
    writeln!(out, "== TCP와 UDP · TCP and UDP")?;
    tcp_and_udp_share_a_number(out)?;
    writeln!(out, "== 재시작과 TIME_WAIT · restarting after a call")?;
    let on_off = |on: bool| if on { "on" } else { "off" };
    for (old, new) in [(false, false), (false, true), (true, true)] {
        let result = match restart_after_a_call_with(old, new) {
            Ok(addr) => format!("다시 bind 성공 · rebound {addr}"),
            Err(e) => format!("다시 bind 실패 · rebind failed: {e}"),
        };
        let (old, new) = (on_off(old), on_off(new));
        writeln!(
            out,
            "SO_REUSEADDR 옛 {old}, 새 {new} · old {old}, new {new}: {result}"
        )?;
    }
    Ok(())
}

/// 명령줄 인자: 포트 번호, 또는 `demo` · The argument: a port number, or `demo`.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Check(u16),
    Demo,
}

/// 인수를 읽습니다: 포트 번호 또는 `demo` · Parses the argument: a port number, or `demo`.
/// (인수가 없으면 `main`이 `DEFAULT_PORT`를 검사합니다 · with none, `main` checks
/// `DEFAULT_PORT`.)
pub fn parse_command(text: &str) -> Result<Command> {
    match text {
        "demo" => Ok(Command::Demo),
        _ => text.parse().map(Command::Check).with_context(|| {
            format!(
                "포트는 0–65535 사이의 숫자입니다 · {text:?} is not a port: \
                 give a number from 0 to 65535, or `demo`"
            )
        }),
    }
}
