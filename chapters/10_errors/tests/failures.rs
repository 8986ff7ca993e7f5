//! 표의 줄마다 테스트 하나: 실패를 일으키고, 프로그램이 본 것을 확인합니다.
//! One test per row of the table: provoke the failure, check what the program saw.

use std::io::ErrorKind;
use std::process::Command;
use std::time::{Duration, Instant};

use ch10_errors::{
    NO_SUCH_HOST, bind_a_port_in_use, bind_a_privileged_port, bind_an_address_not_ours,
    dial_a_full_backlog, dial_nobody, half_close_then_hear, hear_a_hang_up, hear_a_reset,
    hear_nobody, is_timeout, look_up_no_such_host, talk_after_half_close, talk_after_the_peer_left,
    talk_to_a_deaf_peer,
};

const LIMIT: Duration = Duration::from_secs(1);

/// 오류의 종류와 리눅스의 errno · An error's kind and, on Linux, its errno.
fn assert_error<T: std::fmt::Debug>(result: std::io::Result<T>, kind: ErrorKind, linux_errno: i32) {
    let error = result.expect_err("this call must fail");
    assert_eq!(error.kind(), kind, "{error}");
    if cfg!(target_os = "linux") {
        assert_eq!(error.raw_os_error(), Some(linux_errno), "{error}");
    }
}

#[test]
fn dialing_a_port_nobody_listens_on_is_refused() {
    assert_error(dial_nobody(), ErrorKind::ConnectionRefused, 111); // ECONNREFUSED
}

/// 리눅스의 루프백에서 대기열이 찬 리스너는 SYN을 버리고, 거는 쪽은 SYN을 다시 보내며
/// 기다립니다. 그래서 거절이 아니라 connect_timeout의 시간 초과가 됩니다.
/// On Linux loopback a listener whose backlog is full drops the SYN; the dialer resends it and
/// waits, so the result is connect_timeout's timeout, not a refusal.
#[cfg(target_os = "linux")]
#[test]
fn a_full_backlog_makes_connect_wait_until_its_timeout() {
    let started = Instant::now();
    let error = dial_a_full_backlog(LIMIT).expect_err("the next dial must not connect");
    assert_eq!(error.kind(), ErrorKind::TimedOut, "{error}");
    // std가 직접 잰 시간 초과라서 OS 오류 번호가 없습니다 · std's own timeout: no OS errno.
    assert_eq!(error.raw_os_error(), None, "{error}");
    assert!(started.elapsed() >= LIMIT, "it waited the whole limit");
}

#[test]
fn a_peer_that_never_answers_makes_the_read_time_out() {
    let error = hear_nobody(LIMIT).expect_err("nothing to hear");
    assert!(is_timeout(&error), "{error}");
    // 유닉스는 EAGAIN(WouldBlock), 윈도우는 WSAETIMEDOUT(TimedOut) · Unix says EAGAIN
    // (WouldBlock), Windows WSAETIMEDOUT (TimedOut).
    #[cfg(unix)]
    assert_eq!(error.kind(), ErrorKind::WouldBlock, "{error}");
    #[cfg(windows)]
    assert_eq!(error.kind(), ErrorKind::TimedOut, "{error}");
}

#[test]
fn a_peer_that_stops_reading_makes_the_write_time_out() {
    let error = talk_to_a_deaf_peer(LIMIT).expect_err("the buffers fill up");
    assert!(is_timeout(&error), "{error}");
    #[cfg(target_os = "linux")]
    assert_eq!(error.raw_os_error(), Some(11), "{error}"); // EAGAIN
}

#[test]
fn a_hang_up_is_a_read_of_zero_bytes_not_an_error() {
    assert_eq!(hear_a_hang_up().expect("no error"), 0);
}

#[test]
fn a_reset_is_an_error_not_a_hang_up() {
    assert_error(hear_a_reset(), ErrorKind::ConnectionReset, 104); // ECONNRESET
}

#[cfg(target_os = "linux")]
#[test]
fn talking_after_the_peer_left_is_a_broken_pipe_and_this_process_lives() {
    // 이 테스트가 여기까지 왔다는 것 자체가 증거입니다: 러스트 프로그램은 SIGPIPE를 무시하므로
    // 신호에 죽지 않고 오류를 받습니다 · Reaching the assert is the evidence: a Rust program
    // ignores SIGPIPE, so it gets an error instead of dying of the signal.
    assert_error(talk_after_the_peer_left(), ErrorKind::BrokenPipe, 32); // EPIPE
}

/// C 프로그램 `yes`는 SIGPIPE를 무시하지 않아서, 읽는 쪽이 떠나면 신호 13에 죽습니다.
/// The C program `yes` does not ignore SIGPIPE: when its reader leaves, it dies of signal 13.
#[cfg(target_os = "linux")]
#[test]
fn a_c_program_that_writes_to_a_closed_pipe_dies_of_sigpipe() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let mut yes = Command::new("yes")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("yes");
    let mut out = yes.stdout.take().expect("stdout");
    out.read_exact(&mut [0; 2]).expect("y\n");
    drop(out); // 읽는 쪽이 떠납니다 · the reader leaves
    let status = yes.wait().expect("wait");
    assert_eq!(status.signal(), Some(13), "{status:?}"); // SIGPIPE
}

#[test]
fn talking_after_our_own_half_close_is_a_broken_pipe() {
    assert_error(talk_after_half_close(), ErrorKind::BrokenPipe, 32); // EPIPE
}

#[test]
fn after_a_half_close_the_peer_can_still_answer() {
    assert_eq!(half_close_then_hear().expect("call"), b"answer to question");
}

#[test]
fn binding_a_port_in_use_is_addr_in_use() {
    assert_error(bind_a_port_in_use(), ErrorKind::AddrInUse, 98); // EADDRINUSE
}

/// 이 컴퓨터에서 `.invalid`를 찾으면 glibc는 DNS 서버에 정말 물어봅니다(strace로 확인). 답은
/// 두 가지뿐입니다: 서버가 "없음"이라 하면 EAI_NONAME, 네트워크가 없으면 EAI_AGAIN.
/// std는 둘 다 `ErrorKind::Uncategorized`(이름 없는 종류)로 주므로 메시지로 구별합니다.
/// Looking up `.invalid` here, glibc really asks the DNS server (seen with strace). There are
/// two answers: EAI_NONAME when the server says "no such name", EAI_AGAIN with no network.
/// std gives both as `ErrorKind::Uncategorized` (an unnamed kind), so the message tells them apart.
#[test]
fn a_name_that_does_not_exist_fails_to_resolve() {
    let error = look_up_no_such_host().expect_err(NO_SUCH_HOST);
    assert_eq!(format!("{:?}", error.kind()), "Uncategorized", "{error}");
    assert_eq!(error.raw_os_error(), None, "{error}");
    let text = error.to_string();
    #[cfg(target_os = "linux")]
    assert!(
        text == "failed to lookup address information: Name or service not known"
            || text == "failed to lookup address information: Temporary failure in name resolution",
        "{text}"
    );
    assert!(!text.is_empty());
}

/// 네트워크가 없는 곳(새 네트워크 이름공간, root만 가능)에서 같은 이름을 찾으면 EAI_AGAIN입니다.
/// With no network at all (a new network namespace; root only) the same lookup is EAI_AGAIN.
#[cfg(target_os = "linux")]
#[test]
fn offline_the_lookup_fails_as_a_temporary_failure() {
    let output = Command::new("unshare")
        .args(["-n", env!("CARGO_BIN_EXE_ch10_failures")])
        .output();
    let Some(output) = output.ok().filter(|o| o.status.success()) else {
        // unshare가 없거나 root가 아니면 온라인에서의 답만 확인할 수 있습니다.
        // Without unshare or root, only the online answer (the test above) can be checked.
        assert!(!is_root(), "as root, unshare -n must work");
        return;
    };
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("Temporary failure in name resolution"),
        "{printed}"
    );
}

#[test]
fn binding_an_address_that_is_not_this_machines_is_addr_not_available() {
    assert_error(bind_an_address_not_ours(), ErrorKind::AddrNotAvailable, 99); // EADDRNOTAVAIL
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// root는 80에 bind할 수 있고(포트가 비어 있다면), 다른 사용자는 리눅스에서 PermissionDenied를
/// 받습니다(ip_unprivileged_port_start가 80보다 클 때) · root may bind 80 (if it is free);
/// anyone else gets PermissionDenied on Linux (when ip_unprivileged_port_start is above 80).
#[cfg(target_os = "linux")]
#[test]
fn a_privileged_port_needs_root_on_linux() {
    let start: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .expect("sysctl")
        .trim()
        .parse()
        .expect("number");
    let result = bind_a_privileged_port();
    if is_root() || start <= 80 {
        match result {
            Ok(_) => {}
            Err(error) => assert_eq!(error.kind(), ErrorKind::AddrInUse, "{error}"),
        }
    } else {
        assert_error(result, ErrorKind::PermissionDenied, 13); // EACCES
    }
    // root로 돌 때는 nobody로 내려서도 확인합니다 · as root, check as nobody too.
    if is_root() && start > 80 {
        let output = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_ch10_failures"))
            .output()
            .expect("setpriv");
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            printed.contains("PermissionDenied (os error 13)"),
            "{printed}"
        );
    }
}

#[test]
fn the_table_binary_prints_every_row() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_failures"))
        .output()
        .expect("run");
    assert!(output.status.success());
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(printed.matches("seen:").count(), 12, "{printed}");
    for kind in [
        "ConnectionRefused",
        "TimedOut",
        "WouldBlock",
        "ConnectionReset",
        "BrokenPipe",
        "AddrInUse",
        "AddrNotAvailable",
    ] {
        assert!(printed.contains(kind), "{kind}: {printed}");
    }
}

/// 리눅스가 대기열이 찬 리스너에서 SYN을 버리는 설정과, 거는 쪽이 SYN을 다시 보내는 횟수.
/// The Linux settings behind a full backlog: drop the SYN (no reset), and how many times the
/// dialer resends it (6: about two minutes) before its own `ETIMEDOUT`.
#[cfg(target_os = "linux")]
#[test]
fn linux_drops_the_syn_on_a_full_backlog_and_resends_it_six_times() {
    let read = |name: &str| {
        std::fs::read_to_string(format!("/proc/sys/net/ipv4/{name}"))
            .expect("sysctl")
            .trim()
            .to_string()
    };
    assert_eq!(read("tcp_abort_on_overflow"), "0", "0: drop, do not reset");
    assert_eq!(read("tcp_syn_retries"), "6");
}
