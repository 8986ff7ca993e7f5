use std::collections::HashSet;
use std::io::ErrorKind;
use std::net::TcpListener;

use ch02_port::{
    Command as Cli, PortStatus, bind_twice, check, classify, demonstrate, one_port_many_calls,
    parse_command, report, restart_after_a_call, restart_after_a_call_with,
    tcp_and_udp_share_a_number,
};
use support::listener_outside_the_ephemeral_range;

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
    // 다른 테스트의 발신 번호가 될 수 없는 번호라, 놓은 뒤에도 비어 있습니다.
    // A port no other test's outgoing call can be given, so it stays free once released.
    let listener = listener_outside_the_ephemeral_range();
    let port = listener.local_addr().expect("addr").port();
    assert_eq!(check(port), PortStatus::InUse);
    let said = report(port, &PortStatus::InUse);
    assert!(said.contains("AddrInUse"), "{said}");
    // 옛 통화가 TIME_WAIT에 남아 있을 수도 있다고, 그것을 보는 명령과 함께 말합니다.
    // It names old connections in TIME_WAIT too, with the command that shows them.
    assert!(
        said.contains(&format!("ss -tan state time-wait '( sport = :{port} )'")),
        "{said}"
    );
    drop(listener);
    assert_eq!(check(port), PortStatus::Free);
}

#[test]
fn permission_denied_is_reported_as_needing_privilege() {
    let error = std::io::Error::from(ErrorKind::PermissionDenied);
    assert_eq!(classify(&error), PortStatus::NeedsPrivilege);
    assert!(report(80, &PortStatus::NeedsPrivilege).contains("above 1024"));
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

/// 리눅스에서는 TIME_WAIT에 남은 옛 소켓에도 SO_REUSEADDR가 있어야 합니다 (리눅스 6.x에서 확인).
/// 옛 서버가 먼저 끊으므로 TIME_WAIT는 서버 포트 쪽에 남고, 그 소켓이 FIN_WAIT2이든 TIME_WAIT이든
/// 포트를 똑같이 잡고 있으니 결과는 타이밍에 달려 있지 않습니다.
/// On Linux the old sockets in TIME_WAIT must have had SO_REUSEADDR too (checked on Linux 6.x).
/// The old server hangs up first, so TIME_WAIT stays on the server's port; whether that socket
/// is still in FIN_WAIT2 or already in TIME_WAIT, it holds the port the same way, so the result
/// does not depend on timing.
#[cfg(target_os = "linux")]
#[test]
fn on_linux_the_old_sockets_must_have_had_so_reuseaddr_too() {
    let old_off = restart_after_a_call_with(false, true).expect_err("old off, new on");
    assert_eq!(old_off.kind(), ErrorKind::AddrInUse, "{old_off}");
    restart_after_a_call_with(true, true).expect("old on, new on: the rebind succeeds");
    let new_off = restart_after_a_call_with(true, false).expect_err("old on, new off");
    assert_eq!(new_off.kind(), ErrorKind::AddrInUse, "{new_off}");
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
    // main이 하는 그대로: 인수가 없으면 9999 · exactly what main does: no argument, 9999
    let command = |list: &[&str]| {
        cli::Args::parse(list)?.word_or(Cli::Check(ch02_port::DEFAULT_PORT), parse_command)
    };
    assert_eq!(command(&[]).expect("default"), Cli::Check(9999));
    assert_eq!(command(&["80"]).expect("80"), Cli::Check(80));
    assert_eq!(command(&["demo"]).expect("demo"), Cli::Demo);
    let error = command(&["70000"]).expect_err("too big");
    assert!(error.to_string().contains("from 0 to 65535"), "{error}");
}
