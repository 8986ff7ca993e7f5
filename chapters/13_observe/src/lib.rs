//! 13장: 주소, 이름, 그리고 회선 엿보기 · Chapter 13: addresses, names and watching the wires.
//!
//! - 전화번호부(DNS): 이름을 주소 목록으로, 그리고 주소를 하나씩 걸어 보기
//!   · the phone book (DNS): a name becomes a list of addresses, dialed one by one.
//! - IPv6: `[::1]`, `IPV6_V6ONLY`, IPv4 주소를 품은 IPv6 주소(`::ffff:127.0.0.1`)
//!   · IPv6: `[::1]`, `IPV6_V6ONLY`, and v4-mapped addresses.
//! - `/proc/net/tcp`를 읽어 이 기계의 TCP 소켓을 전화 말로 보여 주기
//!   · reading `/proc/net/tcp` to list this machine's TCP sockets in the phone's words.
//! - 한 걸음씩 진행하는 통화: 캡처(tcpdump)로 패킷을 보기 위해
//!   · a call taken one step at a time, so a capture (tcpdump) can show each packet.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, SocketAddrV6, TcpListener, TcpStream,
    ToSocketAddrs,
};
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail};
use socket2::{Domain, Socket as RawSocket, Type};

/// 읽기와 걸기의 제한 시간 · The timeout for dialing and for every read.
pub const PATIENCE: Duration = Duration::from_secs(5);

// ANCHOR: resolve
/// 이름과 포트를 주소 목록으로 바꿉니다 (전화번호부 찾기).
/// Turns a name and a port into a list of addresses (looking it up in the phone book).
pub fn resolve(name: &str, port: u16) -> anyhow::Result<Vec<SocketAddr>> {
    // getaddrinfo: /etc/hosts 먼저, 그다음 DNS (/etc/nsswitch.conf의 hosts 줄대로)
    // getaddrinfo: /etc/hosts first, then DNS (as the hosts line of /etc/nsswitch.conf says)
    let addrs: Vec<SocketAddr> = (name, port)
        .to_socket_addrs()
        .with_context(|| {
            format!(
                "이름을 찾지 못했습니다 · cannot resolve {name:?}: check the spelling, \
                 /etc/hosts and your DNS (or give an IP address)"
            )
        })?
        .collect();
    if addrs.is_empty() {
        bail!("이름에 주소가 없습니다 · {name:?} resolved to no address at all");
    }
    Ok(addrs)
}
// ANCHOR_END: resolve

// ANCHOR: dial_each
/// 주소를 하나씩 차례로 걸어, 처음 받는 곳과 연결합니다 (std의 `TcpStream::connect`가
/// 여러 주소에 하는 일). 시도마다 `log`에 한 줄씩 씁니다.
/// Dials the addresses one after another and keeps the first that answers (what std's
/// `TcpStream::connect` does with several addresses), writing one line per attempt to `log`.
pub fn dial_each(
    addrs: &[SocketAddr],
    timeout: Duration,
    log: &mut impl Write,
) -> anyhow::Result<TcpStream> {
    let mut last_error = None;
    for addr in addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(stream) => {
                writeln!(log, "연결됨 · connected to {addr}")?;
                return Ok(stream);
            }
            Err(error) => {
                writeln!(
                    log,
                    "실패, 다음 주소로 · {addr} failed ({error}), trying the next"
                )?;
                last_error = Some(error);
            }
        }
    }
    match last_error {
        Some(error) => Err(error).context("어느 주소도 받지 않았습니다 · no address answered"),
        None => bail!("걸 주소가 없습니다 · there was no address to dial"),
    }
}
// ANCHOR_END: dial_each

// ANCHOR: v6_listener
/// IPv6 리슨 소켓을 만듭니다. `only_v6`가 false면 IPv4 전화도 받습니다 (듀얼 스택):
/// IPv4 발신자는 `::ffff:127.0.0.1`처럼 IPv6 안에 담긴 주소로 보입니다.
/// Makes an IPv6 listening socket. With `only_v6` false it takes IPv4 calls too (dual stack),
/// and an IPv4 caller shows up as a v4-mapped address such as `::ffff:127.0.0.1`.
pub fn v6_listener(addr: SocketAddrV6, only_v6: bool) -> anyhow::Result<TcpListener> {
    let socket = RawSocket::new(Domain::IPV6, Type::STREAM, None)
        .context("IPv6 소켓을 만들 수 없습니다 · cannot create an IPv6 socket: is IPv6 off?")?;
    socket
        .set_only_v6(only_v6)
        .context("IPV6_V6ONLY를 바꿀 수 없습니다 · cannot set IPV6_V6ONLY")?;
    socket
        .bind(&SocketAddr::V6(addr).into())
        .with_context(|| format!("바인드 실패 · cannot bind [{}]:{}", addr.ip(), addr.port()))?;
    socket.listen(128).context("listen 실패 · listen failed")?;
    Ok(socket.into())
}
// ANCHOR_END: v6_listener

// ANCHOR: both_families
/// 같은 포트에 두 리슨 소켓을 엽니다: 127.0.0.1과 [::1] (IPv6 쪽은 IPv6만).
/// Opens two listening sockets on one port: 127.0.0.1 and [::1] (the IPv6 one IPv6 only).
pub fn listen_both(port: u16) -> anyhow::Result<(TcpListener, TcpListener)> {
    let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("바인드 실패 · cannot bind 127.0.0.1:{port}"))?;
    let port = v4.local_addr()?.port();
    let v6 = v6_listener(SocketAddrV6::new(Ipv6Addr::LOCALHOST, port, 0, 0), true)?;
    Ok((v4, v6))
}

/// 리슨 소켓마다 스레드 하나로, 같은 에코 코드가 두 주소 체계를 다 받습니다.
/// One thread per listening socket: the same echo code serves both families.
pub fn serve_both(v4: TcpListener, v6: TcpListener) {
    for listener in [v4, v6] {
        thread::spawn(move || serve(&listener));
    }
}
// ANCHOR_END: both_families

/// 전화를 받을 때마다 상대 주소를 말해 주고 에코합니다 · Picks up each call, tells the caller
/// the address it sees them at (`peer_addr`), then echoes until the caller hangs up.
pub fn serve(listener: &TcpListener) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        thread::spawn(move || {
            // 한 통화의 실패는 그 통화만 끝냅니다 · a failed call ends only that call
            let _ = answer(stream);
        });
    }
}

// ANCHOR: answer
/// 한 통화: "당신은 …에서 걸었습니다" 한 줄, 그리고 에코.
/// One call: one line "you called from …", then the echo.
pub fn answer(mut stream: TcpStream) -> io::Result<()> {
    stream.set_read_timeout(Some(PATIENCE))?;
    let peer = stream.peer_addr()?;
    writeln!(
        stream,
        "당신은 {peer}에서 걸었습니다 · you called from {peer}"
    )?;
    let mut reader = stream.try_clone()?;
    io::copy(&mut reader, &mut stream)?;
    Ok(())
}
// ANCHOR_END: answer

// ANCHOR: state
/// TCP 상태 (`/proc/net/tcp`의 `st` 칸) · A TCP state (the `st` column of `/proc/net/tcp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    Listen,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    Close,
}

impl State {
    /// 커널의 번호 (include/net/tcp_states.h) · The kernel's number for the state.
    pub fn from_code(code: u8) -> Option<State> {
        Some(match code {
            0x01 => State::Established,
            0x02 => State::SynSent,
            0x03 => State::SynRecv,
            0x04 => State::FinWait1,
            0x05 => State::FinWait2,
            0x06 => State::TimeWait,
            0x07 => State::Close,
            0x08 => State::CloseWait,
            0x09 => State::LastAck,
            0x0A => State::Listen,
            0x0B => State::Closing,
            _ => return None,
        })
    }

    /// 커널이 쓰는 이름 · The kernel's name.
    pub fn name(self) -> &'static str {
        match self {
            State::Listen => "LISTEN",
            State::SynSent => "SYN_SENT",
            State::SynRecv => "SYN_RECV",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN_WAIT_1",
            State::FinWait2 => "FIN_WAIT_2",
            State::CloseWait => "CLOSE_WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST_ACK",
            State::TimeWait => "TIME_WAIT",
            State::Close => "CLOSE",
        }
    }

    /// 전화로 말하면 · The state in the phone's words.
    pub fn phone(self) -> &'static str {
        match self {
            State::Listen => "벨 켜 둠 · ringer on",
            State::SynSent => "거는 중 · dialing",
            State::SynRecv => "울리는 중 · ringing",
            State::Established => "통화 중 · on a call",
            State::FinWait1 | State::FinWait2 => {
                "내 말은 끝, 듣는 중 · done talking, still hearing"
            }
            State::CloseWait => "상대가 말을 마침 · the other side is done talking",
            State::Closing | State::LastAck => "끊는 중 · hanging up",
            State::TimeWait => "끊었지만 회선은 아직 잡혀 있음 · hung up, line still reserved",
            State::Close => "끊김 · hung up",
        }
    }
}
// ANCHOR_END: state

// ANCHOR: socket
/// `/proc/net/tcp`(또는 `tcp6`)의 한 줄 · One line of `/proc/net/tcp` (or `tcp6`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// 내 쪽 주소 · this end's address
    pub local: SocketAddr,
    /// 상대 주소 (리슨 소켓은 0.0.0.0:0) · the other end (0.0.0.0:0 for a listening socket)
    pub remote: SocketAddr,
    pub state: State,
    /// 보냈지만 상대가 아직 확인하지 않은 바이트 · bytes sent, not yet acknowledged
    pub send_queue: u32,
    /// 도착했지만 프로그램이 아직 읽지 않은 바이트; LISTEN이면 대기 중인 통화 수
    /// bytes arrived but not yet read; for LISTEN, the callers on hold
    pub recv_queue: u32,
    /// TIME_WAIT이 끝날 때까지 남은 시간 · time left until TIME_WAIT ends
    pub time_wait_left: Option<Duration>,
}
// ANCHOR_END: socket

// ANCHOR: parse_addr
/// `0100007F:270F` → `127.0.0.1:9999`. 커널은 IP를 32비트 낱말마다 이 기계의 바이트 순서로,
/// 포트는 보통의 16진수로 적습니다. IPv6은 낱말 네 개(16진 32자)입니다.
/// The kernel writes the IP as 32-bit words in this machine's byte order and the port as a
/// plain hex number. IPv6 is four such words (32 hex digits).
pub fn parse_hex_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let mut bytes = Vec::with_capacity(16);
    for word in ip.as_bytes().chunks(8) {
        let word = u32::from_str_radix(std::str::from_utf8(word).ok()?, 16).ok()?;
        bytes.extend_from_slice(&word.to_ne_bytes());
    }
    let ip = match ip.len() {
        8 => IpAddr::from(<[u8; 4]>::try_from(bytes).ok()?),
        32 => IpAddr::from(<[u8; 16]>::try_from(bytes).ok()?),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}
// ANCHOR_END: parse_addr

// ANCHOR: parse_line
/// 한 줄을 읽습니다: `sl local rem st tx:rx tr:when …`.
/// Reads one line: `sl local rem st tx:rx tr:when …`.
pub fn parse_line(line: &str) -> Option<Socket> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [_sl, local, remote, state, queues, timer, ..] = fields.as_slice() else {
        return None;
    };
    let (send_queue, recv_queue) = queues.split_once(':')?;
    let (timer_kind, when) = timer.split_once(':')?;
    let state = State::from_code(u8::from_str_radix(state, 16).ok()?)?;
    // 타이머 3은 TIME_WAIT, 값은 1/100초 단위 (USER_HZ)
    // timer 3 is TIME_WAIT's; the value counts hundredths of a second (USER_HZ)
    let time_wait_left = (timer_kind == "03")
        .then(|| u64::from_str_radix(when, 16).ok())
        .flatten()
        .map(|ticks| Duration::from_millis(ticks * 10));
    Some(Socket {
        local: parse_hex_addr(local)?,
        remote: parse_hex_addr(remote)?,
        state,
        send_queue: u32::from_str_radix(send_queue, 16).ok()?,
        recv_queue: u32::from_str_radix(recv_queue, 16).ok()?,
        time_wait_left,
    })
}

/// 표 전체: 첫 줄(머리글)은 건너뛰고, 읽을 수 없는 줄은 몇째 줄인지 알려 줍니다.
/// A whole table: the first line (the column names) is skipped; a line that cannot be read
/// is an error that says which line it was.
pub fn parse_table(text: &str) -> anyhow::Result<Vec<Socket>> {
    let mut sockets = Vec::new();
    for (number, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let socket = parse_line(line).with_context(|| {
            format!(
                "{}째 줄을 읽을 수 없습니다 · cannot read line {}: {line:?}",
                number + 1,
                number + 1
            )
        })?;
        sockets.push(socket);
    }
    Ok(sockets)
}
// ANCHOR_END: parse_line

// ANCHOR: list
/// 리눅스에서 이 기계의 TCP 소켓 전부 (`/proc/net/tcp`와 `/proc/net/tcp6`).
/// On Linux, every TCP socket of this machine (`/proc/net/tcp` and `/proc/net/tcp6`).
pub fn list_sockets() -> anyhow::Result<Vec<Socket>> {
    if !cfg!(target_os = "linux") {
        bail!(
            "이 목록은 리눅스의 /proc/net/tcp를 읽습니다 · this listing reads /proc/net/tcp, \
             which only Linux has. Use `netstat -an -p tcp` (macOS), `netstat -ano -p tcp` \
             (Windows) or `lsof -nP -iTCP` instead"
        );
    }
    let mut all = Vec::new();
    for path in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            // IPv6가 꺼진 기계에는 tcp6이 없습니다 · a machine with IPv6 off has no tcp6
            Err(error) if path.ends_with('6') && error.kind() == io::ErrorKind::NotFound => {
                continue;
            }
            Err(error) => return Err(error).with_context(|| format!("cannot read {path}")),
        };
        all.extend(parse_table(&text).context(path)?);
    }
    // 커널은 이 파일을 조각조각 내주므로, 그사이 표가 바뀌면 같은 소켓이 두 번 나올 수 있습니다.
    // The kernel hands this file out in pieces: if the table changes in between, a socket can
    // show up twice. Keep one line per address pair and state.
    let mut seen = std::collections::HashSet::new();
    all.retain(|s| seen.insert((s.local, s.remote, s.state)));
    Ok(all)
}

/// `port`를 쓰는 소켓만, 상태 순서로 (리슨 소켓, 그다음 그 포트를 가진 쪽이 먼저).
/// Only the sockets using `port`, by state (and the end that owns `port` first).
pub fn on_port(sockets: &[Socket], port: u16) -> Vec<Socket> {
    let mut mine: Vec<Socket> = sockets
        .iter()
        .filter(|s| s.local.port() == port || s.remote.port() == port)
        .cloned()
        .collect();
    mine.sort_by_key(|s| (s.state, s.local.port() != port, s.local, s.remote));
    mine
}
// ANCHOR_END: list

/// `127.0.0.1`의 리스너인데, 그 포트를 쓰는 다른 소켓이 없는 것 (예전 통화의 TIME_WAIT도
/// 없이). 목록을 그 포트로 거를 때 남의 줄이 섞이지 않게 합니다 (리눅스가 아니면 그냥 바인드).
/// A listener on `127.0.0.1` whose port no other socket uses, not even a TIME_WAIT left by an
/// earlier call, so a listing filtered to that port shows only its own lines (elsewhere: a bind).
pub fn quiet_listener() -> anyhow::Result<TcpListener> {
    for _ in 0..20 {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .context("127.0.0.1:0에 바인드할 수 없습니다 · cannot bind 127.0.0.1:0")?;
        if !cfg!(target_os = "linux") {
            return Ok(listener);
        }
        let port = listener.local_addr()?.port();
        if on_port(&list_sockets()?, port).len() == 1 {
            return Ok(listener);
        }
    }
    bail!("조용한 포트를 찾지 못했습니다 · found no port that no other socket uses")
}

// ANCHOR: show
impl fmt::Display for Socket {
    /// `ss -tan`과 같은 칸 순서, 끝에 전화 말 · The columns of `ss -tan`, then the phone's words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let remote = if self.state == State::Listen {
            format!("{}:*", self.remote.ip())
        } else {
            self.remote.to_string()
        };
        let queues = match self.state {
            State::Listen => format!(" (대기 중인 통화 · on hold {})", self.recv_queue),
            // TIME_WAIT에는 소켓도, 큐도 없습니다 · TIME_WAIT has no socket, so no queues
            State::TimeWait => String::new(),
            _ => format!(
                " (읽지 않음 · unread {} B, 확인 대기 · unacked {} B)",
                self.recv_queue, self.send_queue
            ),
        };
        write!(
            f,
            "{:<11} {} ↔ {}  {}{queues}",
            self.state.name(),
            self.local,
            remote,
            self.state.phone(),
        )
    }
}
// ANCHOR_END: show

// ANCHOR: steps
/// 한 통화의 단계 (handshake 그림의 순서) · The steps of one call (the handshake diagram's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 걸고 받음: SYN, SYN-ACK, ACK · dialed and picked up
    PickedUp,
    /// 발신자가 말함 · the caller talks
    Talked,
    /// 발신자: "내 말은 끝" (FIN) · the caller: "I'm done talking"
    DoneTalking,
    /// 서버가 에코함 · the server echoes
    Echoed,
    /// 서버가 끊음 (FIN) · the server hangs up
    ServerHungUp,
    /// 서버가 읽지 않은 말을 둔 채 끊음 (RST) · the server hangs up with words unread
    Reset,
}

impl Step {
    /// 이 단계에서 오가는 패킷 · What this step puts on the wire.
    pub fn describe(self) -> &'static str {
        match self {
            Step::PickedUp => {
                "걸고 받음 (SYN, SYN-ACK, ACK) · dialed and picked up (SYN, SYN-ACK, ACK)"
            }
            Step::Talked => "발신자가 말함 (데이터, ACK) · the caller talks (data, ACK)",
            Step::DoneTalking => {
                "발신자: 내 말은 끝 (FIN, ACK) · the caller is done talking (FIN, ACK)"
            }
            Step::Echoed => "서버가 에코함 (데이터, ACK) · the server echoes (data, ACK)",
            Step::ServerHungUp => "서버가 끊음 (FIN, ACK) · the server hangs up (FIN, ACK)",
            Step::Reset => "서버가 듣지 않고 끊음 (RST) · the server hangs up unheard (RST)",
        }
    }
}

/// 그림의 통화를 한 걸음씩: 단계마다 `pause`를 불러, 그동안 캡처가 패킷을 볼 수 있게 합니다.
/// 돌려주는 값은 발신자 쪽 주소입니다 (끊은 뒤 TIME_WAIT에 남는 쪽).
/// The diagram's call, one step at a time: `pause` runs after every step so a capture can see
/// its packets. Returns the caller's address (the end left in TIME_WAIT).
pub fn walk_through_a_call(
    listener: &TcpListener,
    message: &[u8],
    mut pause: impl FnMut(Step) -> anyhow::Result<()>,
) -> anyhow::Result<SocketAddr> {
    let (mut caller, mut server) = pick_up(listener)?;
    pause(Step::PickedUp)?;
    caller.write_all(message)?;
    pause(Step::Talked)?;
    caller.shutdown(Shutdown::Write)?;
    pause(Step::DoneTalking)?;
    let mut heard = vec![0; message.len()];
    server.read_exact(&mut heard)?;
    server.write_all(&heard)?;
    pause(Step::Echoed)?;
    // 서버: 0바이트(EOF)를 읽고 끊습니다 · the server reads 0 bytes (EOF) and hangs up
    let mut rest = Vec::new();
    server.read_to_end(&mut rest)?;
    let caller_addr = caller.local_addr()?;
    drop(server);
    pause(Step::ServerHungUp)?;
    // 발신자는 에코와 EOF를 다 읽고 끊습니다 · the caller reads the echo and EOF, then hangs up
    let mut echo = Vec::new();
    caller.read_to_end(&mut echo)?;
    if echo != message {
        bail!("에코가 다릅니다 · the echo differs: {echo:?}");
    }
    Ok(caller_addr)
}

/// 발신자가 말했는데 서버가 듣지 않고 끊으면: FIN 대신 RST. 발신자가 받는 오류를 돌려줍니다.
/// The caller talks, the server hangs up without reading: RST instead of FIN. Returns the
/// error the caller then gets.
pub fn walk_through_a_reset(
    listener: &TcpListener,
    message: &[u8],
    mut pause: impl FnMut(Step) -> anyhow::Result<()>,
) -> anyhow::Result<io::Error> {
    let (mut caller, server) = pick_up(listener)?;
    pause(Step::PickedUp)?;
    caller.write_all(message)?;
    pause(Step::Talked)?;
    // 말이 서버에 도착했는지 들여다보기만 하고(peek) 읽지 않은 채 끊습니다
    // peek to be sure the words have arrived, then hang up without reading them
    server.peek(&mut [0; 1])?;
    drop(server);
    pause(Step::Reset)?;
    let mut buf = [0; 16];
    match caller.read(&mut buf) {
        Err(error) => Ok(error),
        Ok(n) => bail!("RST 대신 {n}바이트를 읽었습니다 · read {n} bytes instead of a reset"),
    }
}

fn pick_up(listener: &TcpListener) -> anyhow::Result<(TcpStream, TcpStream)> {
    let addr = listener.local_addr()?;
    let caller = TcpStream::connect_timeout(&addr, PATIENCE)
        .with_context(|| format!("전화를 걸 수 없습니다 · cannot dial {addr}"))?;
    let (server, _) = listener.accept()?;
    for end in [&caller, &server] {
        end.set_read_timeout(Some(PATIENCE))?;
    }
    Ok((caller, server))
}
// ANCHOR_END: steps
