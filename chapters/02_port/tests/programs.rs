//! 2장의 테스트 중 다른 프로그램을 띄우는 것들 · The tests of chapter 2 that start programs.
//!
//! A test binary of its own: a child process holds a copy of every socket of its parent until it
//! execs, so spawning children beside `ports.rs`'s tests (which release ports and look at them
//! again) would make those tests see ports still taken.

use std::process::Command;

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
