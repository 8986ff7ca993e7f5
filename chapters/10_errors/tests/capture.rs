//! 패킷으로 본 가득 찬 대기열: 리눅스는 SYN을 버리고, 거는 쪽은 1초 뒤에 다시 보냅니다.
//! A full backlog seen in packets: Linux drops the SYN, and the dialer resends it a second later.
//!
//! 캡처에는 `tcpdump`와 `lo`에서 캡처할 권한(root나 CAP_NET_RAW)이 필요합니다. 없으면 크게
//! 알리고 통과하며, `CI`가 설정되어 있으면 실패합니다 (13장과 같은 규칙).
//! A capture needs `tcpdump` and the right to capture on `lo` (root or CAP_NET_RAW). Without
//! them the test says so loudly and passes, and fails when `CI` is set (chapter 13's rule).

#![cfg(target_os = "linux")]

use std::time::Duration;

use ch10_errors::{backlog_of_zero, fill_then_dial};
use support::Capture;

/// `Flags [S]` 같은 줄에서 보낸 쪽 포트와 플래그 · The sender's port and the flags of a line.
fn sender_and_flags(line: &str) -> (String, String) {
    let sender = line
        .split_whitespace()
        .nth(2)
        .and_then(|addr| addr.rsplit('.').next())
        .unwrap_or_default()
        .to_string();
    let flags = line
        .split("Flags [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_default()
        .to_string();
    (sender, flags)
}

#[test]
fn a_full_backlog_drops_the_syn_and_the_dialer_resends_it() {
    let listener = backlog_of_zero("127.0.0.1:0".parse().expect("addr")).expect("listener");
    let port = listener.local_addr().expect("addr").port();
    // SYN이 든 패킷만, 네 개: 첫 통화의 SYN과 SYN-ACK, 그리고 두 번째 통화의 SYN 두 번.
    // Only packets with SYN, four of them: the first call's SYN and SYN-ACK, then the second
    // dialer's SYN, twice.
    let filter = format!("tcp port {port} and tcp[tcpflags] & tcp-syn != 0");
    let Some(capture) = Capture::start(&filter, 4, &[]) else {
        return;
    };
    // 2초 한도: 다시 보내는 SYN은 1초 뒤에 갑니다 · a 2 s limit: the resent SYN goes after 1 s.
    let error = fill_then_dial(&listener, Duration::from_secs(2)).expect_err("times out");
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    let lines = capture.wait_for(4);
    let packets: Vec<(String, String)> = lines.iter().map(|l| sender_and_flags(l)).collect();
    let ours = port.to_string();
    assert_eq!(packets.len(), 4, "{lines:#?}");
    assert_eq!(packets[0].1, "S", "the first call's SYN: {lines:#?}");
    assert_eq!(packets[1], (ours, "S.".to_string()), "answered: {lines:#?}");
    assert_eq!(packets[2].1, "S", "the second call's SYN: {lines:#?}");
    assert_eq!(packets[3].1, "S", "resent, not answered: {lines:#?}");
    assert_eq!(packets[2].0, packets[3].0, "the same caller: {lines:#?}");
    assert_ne!(packets[0].0, packets[2].0, "another caller: {lines:#?}");
    // 다시 보내는 시각은 커널의 첫 재전송 타이머(1초)가 정합니다 · the kernel's first
    // retransmission timer (1 s) decides when the SYN is resent.
    let gap = (seconds_of_day(&lines[3]) - seconds_of_day(&lines[2])).rem_euclid(86_400.0);
    assert!(gap >= 0.9, "resent {gap:.3} s later: {lines:#?}");
}

/// tcpdump 줄 맨 앞의 시각(HH:MM:SS.micro)을 초로 · The time at the start of a tcpdump line.
fn seconds_of_day(line: &str) -> f64 {
    let stamp = line.split_whitespace().next().unwrap_or_default();
    stamp
        .split(':')
        .map(|part| part.parse::<f64>().unwrap_or(f64::NAN))
        .fold(0.0, |total, part| total * 60.0 + part)
}
