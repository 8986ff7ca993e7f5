use std::collections::HashSet;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Command;

use ch02_port::{
    Command as Cli, PortStatus, bind_twice, check, classify, demonstrate, one_port_many_calls,
    parse_command, report, restart_after_a_call, tcp_and_udp_share_a_number,
};

#[test]
fn port_zero_lets_the_os_pick_a_free_port() {
    let PortStatus::PickedByOs(picked) = check(0) else {
        panic!("port 0 should be picked by the OS");
    };
    assert_ne!(picked, 0);
    // 고른 번호는 정말 비어 있습니다 · the picked port really is free.
    TcpListener::bind(("127.0.0.1", picked)).expect("the picked port is free");
}

#[test]
fn a_listening_port_is_in_use_and_a_released_one_is_free() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    assert_eq!(check(port), PortStatus::InUse);
    assert!(report(port, &PortStatus::InUse).contains("AddrInUse"));
    drop(listener);
    assert_eq!(check(port), PortStatus::Free);
}

#[test]
fn permission_denied_is_reported_as_needing_privilege() {
    let error = std::io::Error::from(ErrorKind::PermissionDenied);
    assert_eq!(classify(&error), PortStatus::NeedsPrivilege);
    assert!(report(80, &PortStatus::NeedsPrivilege).contains("above 1024"));
}

/// 리눅스에서 권한 없는 사용자는 1024 아래 포트를 쓸 수 없습니다 (sysctl이 정한 경계).
/// On Linux an unprivileged user cannot bind below ip_unprivileged_port_start.
#[cfg(target_os = "linux")]
#[test]
fn an_unprivileged_user_is_refused_a_low_port_on_linux() {
    let start: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .expect("sysctl")
        .trim()
        .parse()
        .expect("number");
    let bin = env!("CARGO_BIN_EXE_ch02_port");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    // root라면 nobody로 권한을 내려서 실행합니다 · as root, drop to nobody first.
    let output = if is_root {
        Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                bin,
                "80",
            ])
            .output()
    } else {
        Command::new(bin).arg("80").output()
    }
    .expect("run ch02_port 80");
    let printed = String::from_utf8_lossy(&output.stdout);
    if start > 80 {
        assert!(printed.contains("PermissionDenied"), "{printed}");
    } else {
        assert!(
            printed.contains("free") || printed.contains("in use"),
            "{printed}"
        );
    }
}

#[test]
fn binding_a_bound_socket_again_fails() {
    let mut out = Vec::new();
    let error = bind_twice(&mut out).expect("demonstration runs");
    // EINVAL은 InvalidInput으로 옵니다 · EINVAL surfaces as InvalidInput.
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("second bind fails"), "{text}");
}

#[test]
fn accepted_calls_share_the_listeners_port_with_different_peers() {
    let calls = one_port_many_calls(3, &mut Vec::new()).expect("demonstration");
    let (accepted, dialers) = calls.split_at(3);
    let local: HashSet<_> = accepted
        .iter()
        .map(|c| c.local_addr().expect("local"))
        .collect();
    let peers: HashSet<_> = accepted
        .iter()
        .map(|c| c.peer_addr().expect("peer"))
        .collect();
    assert_eq!(
        local.len(),
        1,
        "one local address (the listener's) for every call"
    );
    assert_eq!(peers.len(), 3, "a different peer for every call");
    // 각 발신 번호는 거는 쪽의 local_addr입니다 · each peer is a dialer's caller ID.
    let dialer_ids: HashSet<_> = dialers
        .iter()
        .map(|d| d.local_addr().expect("id"))
        .collect();
    assert_eq!(peers, dialer_ids);
}

#[test]
fn tcp_and_udp_can_hold_the_same_number_at_once() {
    let port = tcp_and_udp_share_a_number(&mut Vec::new()).expect("both bind");
    assert_ne!(port, 0);
}

#[cfg(unix)]
#[test]
fn restarting_after_a_call_needs_so_reuseaddr_on_unix() {
    let without = restart_after_a_call(false).expect_err("TIME_WAIT holds the port");
    assert_eq!(without.kind(), ErrorKind::AddrInUse);
    restart_after_a_call(true).expect("SO_REUSEADDR lets the server restart");
}

#[test]
fn the_demonstration_prints_every_section() {
    let mut out = Vec::new();
    demonstrate(&mut out).expect("demo");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.matches("== ").count(), 4, "{text}");
}

#[test]
fn arguments_are_a_port_or_demo() {
    assert_eq!(parse_command(None).expect("default"), Cli::Check(9999));
    assert_eq!(
        parse_command(Some("80".into())).expect("80"),
        Cli::Check(80)
    );
    assert_eq!(parse_command(Some("demo".into())).expect("demo"), Cli::Demo);
    let error = parse_command(Some("70000".into())).expect_err("too big");
    assert!(format!("{error:#}").contains("from 0 to 65535"));
}
