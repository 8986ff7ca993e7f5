//! 13장의 주장을 진짜 루프백 소켓으로 · Chapter 13's claims, over real loopback sockets.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use ch13_observe::{
    Socket, State, Step, dial_each, list_sockets, listen_both, on_port, parse_hex_addr, parse_line,
    parse_table, quiet_listener, resolve, serve_both, v6_listener, walk_through_a_call,
    walk_through_a_reset,
};
use support::{TIMEOUT, dial, loopback_listener};

/// 도구나 기능이 없을 때: CI에서는 실패, 그 밖에는 크게 알리고 통과.
/// When something is missing: a failure in CI, a loud message elsewhere.
fn unavailable(what: &str) {
    let message = format!("\n!!!!! 13장 테스트를 할 수 없습니다 · CANNOT TEST: {what} !!!!!\n");
    if std::env::var_os("CI").is_some() {
        panic!("{message}(CI is set, so this is a failure)");
    }
    eprintln!("{message}(not in CI: passing without testing this)");
}

/// `[::1]`을 쓸 수 있는지. 이 기계에 IPv6 루프백이 아예 없으면(IPv6을 끈 커널) 크게 알리고
/// 건너뜁니다(CI에서도). 있는데 쓸 수 없으면 CI에서는 실패입니다.
/// Whether `[::1]` can be used. A machine with no IPv6 loopback at all (IPv6 switched off) is
/// announced loudly and skipped, in CI too; one that has it but cannot use it fails in CI.
fn ipv6_loopback() -> bool {
    let Err(error) = TcpListener::bind("[::1]:0") else {
        return true;
    };
    let configured = std::fs::read_to_string("/proc/net/if_inet6")
        .map(|table| {
            table
                .lines()
                .any(|l| l.starts_with("00000000000000000000000000000001"))
        })
        .unwrap_or(!cfg!(target_os = "linux"));
    if configured {
        unavailable(&format!(
            "IPv6 loopback [::1] is configured but cannot be bound ({error})"
        ));
    } else {
        eprintln!(
            "\n!!!!! 이 기계에는 IPv6 루프백이 없습니다 · THIS MACHINE HAS NO IPv6 LOOPBACK \
             ({error}): the IPv6 tests of chapter 13 are not run !!!!!\n"
        );
    }
    false
}

/// 조건이 맞을 때까지 /proc를 다시 읽습니다 (제한 시간 안에서).
/// Reads /proc again until `wanted` holds, within the deadline.
fn sockets_until(port: u16, wanted: impl Fn(&[Socket]) -> bool) -> Vec<Socket> {
    let start = Instant::now();
    loop {
        let mine = on_port(&list_sockets().expect("list sockets"), port);
        if wanted(&mine) {
            return mine;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "never saw what was wanted: {mine:#?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn no_pause(_: Step) -> anyhow::Result<()> {
    Ok(())
}

// ---- 전화번호부 · the phone book ----

/// /etc/hosts에서 `name`의 주소들 · The addresses /etc/hosts gives `name`.
fn hosts_entries(name: &str) -> BTreeSet<IpAddr> {
    let text = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let ip: IpAddr = words.next()?.parse().ok()?;
            words.any(|word| word == name).then_some(ip)
        })
        .collect()
}

#[test]
fn localhost_resolves_to_what_this_machines_hosts_file_says() {
    let found: BTreeSet<IpAddr> = resolve("localhost", 9999)
        .expect("localhost resolves")
        .iter()
        .map(|addr| {
            assert_eq!(addr.port(), 9999);
            addr.ip()
        })
        .collect();
    assert!(found.iter().all(IpAddr::is_loopback), "{found:?}");
    let listed = hosts_entries("localhost");
    eprintln!("localhost → {found:?}; /etc/hosts lists {listed:?}");
    if cfg!(target_os = "linux") && !listed.is_empty() {
        // 리눅스(glibc)는 /etc/hosts를 먼저 봅니다: 거기 적힌 그대로
        // Linux (glibc) looks in /etc/hosts first: exactly what it lists
        assert_eq!(found, listed, "the resolver and /etc/hosts disagree");
    }
}

#[test]
fn a_name_that_does_not_resolve_is_a_clear_error() {
    // 64자짜리 이름 조각은 DNS에 물을 수조차 없습니다: 인터넷 없이 실패합니다
    // a 64-character label cannot even be asked of DNS: this fails without the internet
    let name = format!("{}.invalid", "a".repeat(64));
    let error = resolve(&name, 9999).expect_err("no such name");
    let text = format!("{error:#}");
    assert!(
        text.contains("cannot resolve") && text.contains(&name),
        "{text}"
    );
}

#[test]
fn dial_each_skips_an_address_that_refuses_and_takes_the_next() {
    let dead = loopback_listener().local_addr().expect("addr"); // 닫힘 · closed now
    let live = loopback_listener();
    let addrs = [dead, live.local_addr().expect("addr")];
    let mut log = Vec::new();
    let stream = dial_each(&addrs, TIMEOUT, &mut log).expect("the second address answers");
    assert_eq!(stream.peer_addr().expect("peer"), addrs[1]);
    let log = String::from_utf8(log).expect("utf-8");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains(&dead.to_string()) && lines[0].contains("trying the next"));
    assert!(
        lines[1].contains(&format!("connected to {}", addrs[1])),
        "{log}"
    );
}

#[test]
fn dial_each_with_no_live_address_reports_the_last_error() {
    let dead = loopback_listener().local_addr().expect("addr");
    let error = dial_each(&[dead, dead], TIMEOUT, &mut Vec::new()).expect_err("refused");
    let io = error
        .downcast_ref::<std::io::Error>()
        .expect("an io::Error");
    assert_eq!(io.kind(), ErrorKind::ConnectionRefused);
    let error = dial_each(&[], TIMEOUT, &mut Vec::new()).expect_err("nothing to dial");
    assert!(error.to_string().contains("no address to dial"));
}

#[test]
fn std_connect_tries_every_address_of_a_list_in_turn() {
    let dead = loopback_listener().local_addr().expect("addr");
    let live = loopback_listener();
    let addrs = [dead, live.local_addr().expect("addr")];
    let stream = TcpStream::connect(&addrs[..]).expect("std tries the next address");
    assert_eq!(stream.peer_addr().expect("peer"), addrs[1]);
}

// ---- IPv6 ----

/// 에코 서버의 첫 줄: 서버가 본 발신자 주소 · The echo server's first line: the caller's
/// address as the server saw it.
fn first_line(addr: SocketAddr) -> (String, TcpStream) {
    let mut stream = dial(addr);
    let mut line = String::new();
    BufReader::new(stream.try_clone().expect("clone"))
        .read_line(&mut line)
        .expect("first line");
    stream.write_all("안녕".as_bytes()).expect("write");
    (line, stream)
}

#[test]
fn one_echo_server_serves_ipv4_and_ipv6_on_the_same_port() {
    if !ipv6_loopback() {
        return;
    }
    let (v4, v6) = listen_both(0).expect("both listeners");
    let port = v4.local_addr().expect("addr").port();
    assert_eq!(v6.local_addr().expect("addr").port(), port);
    serve_both(v4, v6);
    for ip in [
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ] {
        let (line, mut stream) = first_line(SocketAddr::new(ip, port));
        let local = stream.local_addr().expect("local");
        assert_eq!(
            line,
            format!("당신은 {local}에서 걸었습니다 · you called from {local}\n")
        );
        let mut echo = [0; 6];
        stream.read_exact(&mut echo).expect("echo");
        assert_eq!(&echo, "안녕".as_bytes());
    }
    assert!(
        first_line(SocketAddr::new(Ipv6Addr::LOCALHOST.into(), port))
            .0
            .contains("[::1]:")
    );
}

#[test]
fn an_ipv4_caller_shows_up_v4_mapped_on_an_ipv6_socket() {
    if !ipv6_loopback() {
        return;
    }
    let mapped = Ipv4Addr::LOCALHOST.to_ipv6_mapped();
    let listener = v6_listener(SocketAddrV6::new(mapped, 0, 0, 0), false).expect("v4-mapped bind");
    let port = listener.local_addr().expect("addr").port();
    let caller = dial(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    let (_call, peer) = listener.accept().expect("accept");
    let SocketAddr::V6(peer) = peer else {
        panic!("an IPv6 socket reports IPv6 peers, got {peer}")
    };
    assert_eq!(peer.ip().to_ipv4_mapped(), Some(Ipv4Addr::LOCALHOST));
    assert_eq!(peer.port(), caller.local_addr().expect("local").port());
    assert!(
        SocketAddr::V6(peer)
            .to_string()
            .starts_with("[::ffff:127.0.0.1]:")
    );
}

#[test]
fn ipv6_only_socket_refuses_a_v4_mapped_address() {
    if !ipv6_loopback() {
        return;
    }
    let mapped = Ipv4Addr::LOCALHOST.to_ipv6_mapped();
    let error = v6_listener(SocketAddrV6::new(mapped, 0, 0, 0), true).expect_err("v6 only");
    assert!(format!("{error:#}").contains("cannot bind"), "{error:#}");
}

// ---- 127.0.0.1과 0.0.0.0 · 127.0.0.1 vs 0.0.0.0 ----

#[cfg(target_os = "linux")]
fn reaches(ip: [u8; 4], port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((ip, port)), TIMEOUT).is_ok()
}

#[cfg(target_os = "linux")]
#[test]
fn a_listener_on_127_0_0_1_is_not_reached_through_127_0_0_2() {
    let listener = loopback_listener();
    let port = listener.local_addr().expect("addr").port();
    assert!(reaches([127, 0, 0, 1], port));
    assert!(
        !reaches([127, 0, 0, 2], port),
        "127.0.0.2 is another number"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_listener_on_0_0_0_0_is_reached_through_every_address() {
    // 모든 회선: 이 테스트가 끝나면 바로 닫힙니다 · every outside line, closed when this ends
    let listener = TcpListener::bind("0.0.0.0:0").expect("bind 0.0.0.0:0");
    let port = listener.local_addr().expect("addr").port();
    assert!(reaches([127, 0, 0, 1], port));
    assert!(reaches([127, 0, 0, 2], port));
}

// ---- /proc/net/tcp ----

#[cfg(target_endian = "little")]
#[test]
fn hex_addresses_are_read_in_the_kernels_byte_order() {
    let cases = [
        ("0100007F:270F", "127.0.0.1:9999"),
        ("00000000:0000", "0.0.0.0:0"),
        ("0200007F:A0ED", "127.0.0.2:41197"),
        ("00000000000000000000000001000000:270F", "[::1]:9999"),
        (
            "0000000000000000FFFF00000100007F:270F",
            "[::ffff:127.0.0.1]:9999",
        ),
    ];
    for (hex, addr) in cases {
        assert_eq!(
            parse_hex_addr(hex),
            Some(addr.parse().expect("addr")),
            "{hex}"
        );
    }
    for bad in [
        "",
        "0100007F",
        "0100007G:270F",
        "0100007F:10000",
        "01007F:270F",
        "x:y",
    ] {
        assert_eq!(parse_hex_addr(bad), None, "{bad:?}");
    }
}

const SAMPLE: &str = "\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:270F 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 88784 1 0000000000000000 100 0 0 10 0
   1: 0100007F:D431 0100007F:270F 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 0000000000000000
   2: 0100007F:270F 0100007F:D432 01 00000004:00000007 00:00000000 00000000  1000        0 88790 1 0000000000000000 20 4 30 10 -1
";

#[cfg(target_endian = "little")]
#[test]
fn a_proc_net_tcp_table_is_read_line_by_line() {
    let sockets = parse_table(SAMPLE).expect("sample");
    assert_eq!(sockets.len(), 3);
    let listen = &sockets[0];
    assert_eq!(listen.state, State::Listen);
    assert_eq!(listen.local, "127.0.0.1:9999".parse().expect("addr"));
    assert_eq!(listen.recv_queue, 2, "two callers on hold");
    let time_wait = &sockets[1];
    assert_eq!(time_wait.state, State::TimeWait);
    assert_eq!(
        time_wait.time_wait_left,
        Some(Duration::from_millis(59_990))
    );
    let call = &sockets[2];
    assert_eq!(
        (call.state, call.send_queue, call.recv_queue),
        (State::Established, 4, 7)
    );
    assert_eq!(call.time_wait_left, None);
    assert_eq!(
        call.to_string(),
        "ESTABLISHED 127.0.0.1:9999 ↔ 127.0.0.1:54322  통화 중 · on a call \
         (읽지 않음 · unread 7 B, 확인 대기 · unacked 4 B)"
    );
    assert_eq!(
        listen.to_string(),
        "LISTEN      127.0.0.1:9999 ↔ 0.0.0.0:*  벨 켜 둠 · ringer on (대기 중인 통화 · on hold 2)"
    );
}

#[test]
fn a_line_that_cannot_be_read_is_named_by_its_number() {
    let text = format!("{SAMPLE}   3: garbage\n");
    let error = parse_table(&text).expect_err("garbage");
    assert!(error.to_string().contains("cannot read line 5"), "{error}");
    assert_eq!(
        parse_line("   4: 0100007F:270F 00000000:0000 FF 0:0 00:0 0"),
        None,
        "state FF"
    );
    assert_eq!(parse_table("only the header\n").expect("empty").len(), 0);
}

#[cfg(target_os = "linux")]
#[test]
fn the_listing_shows_this_tests_listener_and_call_with_their_queues() {
    let listener = quiet_listener().expect("a quiet port");
    let port = listener.local_addr().expect("addr").port();
    let mut caller = dial(listener.local_addr().expect("addr"));
    let (server, _) = listener.accept().expect("accept");
    caller.write_all("안녕!".as_bytes()).expect("write");
    // 서버는 읽지 않습니다: 7바이트가 수신 큐에 남습니다
    // the server does not read: 7 bytes wait in its receive queue
    let mine = sockets_until(port, |s| {
        s.iter()
            .any(|s| s.state == State::Established && s.recv_queue == 7)
    });
    let server_end = server.local_addr().expect("addr");
    let states: Vec<(State, SocketAddr, u32)> = mine
        .iter()
        .map(|s| (s.state, s.local, s.recv_queue))
        .collect();
    assert_eq!(
        states,
        [
            (State::Listen, listener.local_addr().expect("addr"), 0),
            (State::Established, server_end, 7),
            (State::Established, caller.local_addr().expect("addr"), 0),
        ]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_side_that_hangs_up_first_holds_the_line_in_time_wait_for_about_a_minute() {
    let listener = quiet_listener().expect("a quiet port");
    let port = listener.local_addr().expect("addr").port();
    let caller = walk_through_a_call(&listener, "안녕!".as_bytes(), no_pause).expect("call");
    // 서버 쪽이 마지막 ACK를 받아 사라질 때까지 · until the server's side has had the last ACK
    let mine = sockets_until(port, |s| {
        s.iter().any(|s| s.state == State::TimeWait)
            && s.iter()
                .all(|s| s.state == State::Listen || s.local == caller)
    });
    let waiting: Vec<&Socket> = mine.iter().filter(|s| s.state == State::TimeWait).collect();
    assert_eq!(waiting.len(), 1, "only the caller waits: {mine:#?}");
    assert_eq!(waiting[0].local, caller, "the caller hung up first");
    assert_eq!(waiting[0].remote, listener.local_addr().expect("addr"));
    // TCP_TIMEWAIT_LEN은 60초: 방금 끊었으니 남은 시간은 60초 이하, 30초보다 많이
    // TCP_TIMEWAIT_LEN is 60 s: just hung up, so at most 60 s are left, and more than 30
    let left = waiting[0].time_wait_left.expect("a TIME_WAIT timer");
    assert!(
        left <= Duration::from_secs(60) && left > Duration::from_secs(30),
        "{left:?}"
    );
}

#[test]
fn hanging_up_with_words_unheard_resets_the_call() {
    let listener = loopback_listener();
    let error = walk_through_a_reset(&listener, "안녕!".as_bytes(), no_pause).expect("reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    let listener = quiet_listener().expect("a quiet port");
    let error = walk_through_a_reset(&listener, "안녕!".as_bytes(), no_pause).expect("reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    if cfg!(target_os = "linux") {
        // 리셋은 통화를 그 자리에서 끝냅니다: TIME_WAIT도 남지 않습니다
        // a reset ends the call on the spot: no TIME_WAIT is left either
        let port = listener.local_addr().expect("addr").port();
        let mine = on_port(&list_sockets().expect("list"), port);
        assert!(mine.iter().all(|s| s.state == State::Listen), "{mine:#?}");
    }
}

// ---- 프로그램 · the program ----

#[test]
fn the_program_lists_only_the_port_it_is_given_or_explains_elsewhere() {
    let listener = quiet_listener().expect("a quiet port");
    let port = listener.local_addr().expect("addr").port();
    let out = Command::new(env!("CARGO_BIN_EXE_ch13_observe"))
        .arg(port.to_string())
        .output()
        .expect("run ch13_observe");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if cfg!(target_os = "linux") {
        assert!(out.status.success(), "{stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{stdout}");
        assert!(lines[0].starts_with(&format!("LISTEN      127.0.0.1:{port} ↔ 0.0.0.0:*")));
    } else {
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("netstat") && stderr.contains("lsof"),
            "{stderr}"
        );
    }
}

#[test]
fn the_program_refuses_a_port_that_is_not_a_number() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch13_observe"))
        .arg("nine")
        .output()
        .expect("run ch13_observe");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a port is a number"));
}

#[test]
fn the_program_explains_a_name_that_does_not_resolve() {
    let name = format!("{}.invalid", "a".repeat(64));
    let out = Command::new(env!("CARGO_BIN_EXE_ch13_observe"))
        .args(["resolve", &name])
        .output()
        .expect("run ch13_observe");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("오류 · error: 이름을 찾지 못했습니다 · cannot resolve"),
        "{stderr}"
    );
    assert!(stderr.contains("원인 · because:"), "{stderr}");
}

#[test]
fn the_program_resolves_localhost_to_loopback() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch13_observe"))
        .args(["resolve", "localhost", "9999"])
        .output()
        .expect("run ch13_observe");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let addrs: Vec<SocketAddr> = stdout
        .lines()
        .map(|line| {
            line.strip_prefix("localhost → ")
                .expect("name → addr")
                .parse()
                .expect("addr")
        })
        .collect();
    assert!(
        !addrs.is_empty()
            && addrs
                .iter()
                .all(|a| a.ip().is_loopback() && a.port() == 9999)
    );
}

/// strace로 본 시스템 호출: /etc/hosts가 답하면 DNS 서버에는 묻지 않습니다.
/// The system calls, seen with strace: when /etc/hosts answers, no DNS server is asked.
#[cfg(target_os = "linux")]
#[test]
fn resolving_localhost_reads_etc_hosts_and_asks_no_dns_server() {
    if hosts_entries("localhost").is_empty() {
        return unavailable("/etc/hosts does not list localhost");
    }
    let traced = Command::new("strace")
        .args(["-f", "-e", "trace=openat,socket,connect"])
        .arg(env!("CARGO_BIN_EXE_ch13_observe"))
        .args(["resolve", "localhost"])
        .output();
    let out = match traced {
        Ok(out) => out,
        Err(error) => {
            return unavailable(&format!(
                "strace is missing ({error}): apt-get install strace"
            ));
        }
    };
    let trace = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || trace.contains("Operation not permitted") {
        return unavailable(&format!("strace cannot trace here: {trace}"));
    }
    assert!(
        trace.contains("\"/etc/hosts\""),
        "the resolver never read /etc/hosts:\n{trace}"
    );
    let internet: Vec<&str> = trace
        .lines()
        .filter(|line| line.contains("AF_INET") || line.contains("htons(53)"))
        .collect();
    assert!(
        internet.is_empty(),
        "a network socket was opened to resolve localhost: {internet:#?}"
    );
}
