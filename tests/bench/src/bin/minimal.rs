//! 기준 서버들, 비교하는 서버처럼 따로 된 프로세스로 · The baselines, each a process of its own
//! like the servers they are compared with: `minimal echo|udp|relay 127.0.0.1:0`.
//!
//! - `echo`: a thread per connection, a 64 KiB buffer, one `write` per `read`, `TCP_NODELAY`.
//! - `udp`: every datagram sent back as it came.
//! - `relay`: the first two callers are joined; what one says, the other hears (one thread per
//!   direction): chapter 8's two hops with nothing else.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::thread;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(addr)) = (args.first(), args.last()) else {
        eprintln!("usage: minimal echo|udp|relay ADDR");
        std::process::exit(2);
    };
    match mode.as_str() {
        "echo" => echo(addr),
        "udp" => udp(addr),
        "relay" => relay(addr),
        other => {
            eprintln!("unknown baseline {other}");
            std::process::exit(2);
        }
    }
}

fn listen(addr: &str) -> TcpListener {
    let listener = TcpListener::bind(addr).expect("bind");
    println!("listening on {}", listener.local_addr().expect("addr"));
    listener
}

/// 읽은 만큼 한 번에 씁니다 · Writes what it read, in one write.
fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buf) {
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
}

fn echo(addr: &str) {
    for call in listen(addr).incoming().flatten() {
        call.set_nodelay(true).expect("nodelay");
        let back = call.try_clone().expect("clone");
        thread::spawn(move || copy(call, back));
    }
}

fn udp(addr: &str) {
    let socket = UdpSocket::bind(addr).expect("bind udp");
    println!("listening on {}", socket.local_addr().expect("addr"));
    let mut buf = vec![0; 65_536];
    while let Ok((n, from)) = socket.recv_from(&mut buf) {
        let _ = socket.send_to(&buf[..n], from);
    }
}

fn relay(addr: &str) {
    let listener = listen(addr);
    let join = || {
        let (call, _) = listener.accept().expect("accept");
        call.set_nodelay(true).expect("nodelay");
        call
    };
    let (a, b) = (join(), join());
    let (a2, b2) = (a.try_clone().expect("clone"), b.try_clone().expect("clone"));
    let one_way = thread::spawn(move || copy(a, b2));
    copy(b, a2);
    let _ = one_way.join();
}
