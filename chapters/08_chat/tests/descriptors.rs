//! 참가자 한 사람은 서버에서 파일 디스크립터 하나를 씁니다. 다른 테스트가 같은 프로세스에서
//! 소켓을 열고 닫지 않도록, 이 테스트는 파일 하나에 혼자 있습니다.
//! A member costs the server one file descriptor. This test has a file of its own, so that no
//! other test opens or closes sockets in the same process while it counts.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::thread;

use ch08_chat::{Rules, serve};
use support::{SharedLog, dial, loopback_listener};

/// 이 프로세스가 지금 연 파일 수 (리눅스) · How many files this process has open (Linux).
fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// 손님 쪽 소켓 하나로 들어와 환영 인사까지 듣습니다 · Joins on one client socket, up to the welcome.
fn join(addr: std::net::SocketAddr, name: &str) -> TcpStream {
    let mut phone = dial(addr);
    phone
        .write_all(format!("{name}\n").as_bytes())
        .expect("name");
    let mut ears = BufReader::new(&phone);
    let mut line = String::new();
    while !line.contains("welcome") {
        line.clear();
        assert!(ears.read_line(&mut line).expect("a line") > 0, "hung up");
    }
    drop(ears);
    phone
}

#[cfg(target_os = "linux")]
#[test]
fn each_member_costs_the_server_one_file_descriptor() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let rules = Rules::default();
    let mut log = SharedLog::default();
    thread::spawn(move || serve(listener, rules, &mut log));
    // 첫 사람이 들어오면 서버는 시작을 마친 것입니다 · once someone is in, the server has started
    let first = join(addr, "p0");
    let before = open_files();
    let members: Vec<TcpStream> = (1..=10).map(|i| join(addr, &format!("p{i}"))).collect();
    let after = open_files();
    // 열 사람: 손님 쪽 소켓 10개와 서버 쪽 소켓 10개 · ten members: ten client sockets, ten server ones
    assert_eq!(after - before, 10 + 10);
    drop((first, members));
}
