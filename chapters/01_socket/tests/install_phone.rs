use std::net::SocketAddr;

use ch01_socket::{DEFAULT_ADDR, install_phone, install_phone_with_std, take_one_call};
use support::{dial, loopback_listener, read_until_hang_up};

fn loopback_any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("valid address")
}

#[test]
fn each_step_is_printed_in_the_seed_order() {
    let mut out = Vec::new();
    let listener = install_phone(loopback_any_port(), &mut out).expect("install");
    let text = String::from_utf8(out).expect("utf-8 output");
    let steps: Vec<&str> = text.lines().map(|l| &l[..2]).collect();
    assert_eq!(steps, ["1.", "2.", "3.", "4."], "{text}");
    // 설명 칸은 한 줄로 섭니다: 시스템 콜 칸을 폭에 맞춰 채웠습니다.
    // The descriptions line up: the system-call column is padded to one width.
    for line in text.lines() {
        let (call, what) = line.split_at(34);
        assert!(call.ends_with(' ') && !what.starts_with(' '), "{text}");
    }
    assert!(text.contains("socket(AF_INET, SOCK_STREAM)"), "{text}");
    assert!(text.contains("listen(128)"), "{text}");
    // 3단계가 찍은 주소는 OS가 고른 실제 포트입니다 · step 3 prints the port the OS picked.
    let port = listener.local_addr().expect("local addr").port();
    assert_ne!(port, 0);
    assert!(text.contains(&format!("bind(127.0.0.1:{port})")), "{text}");
}

#[test]
fn the_phone_takes_one_call_reports_the_caller_and_hangs_up() {
    let mut setup = Vec::new();
    let listener = install_phone(loopback_any_port(), &mut setup).expect("install");
    let server = listener.local_addr().expect("local addr");

    let mut caller = dial(server);
    let caller_addr = caller.local_addr().expect("caller addr");

    let mut out = Vec::new();
    let reported = take_one_call(&listener, &mut out).expect("take call");
    assert_eq!(reported, caller_addr);
    let text = String::from_utf8(out).expect("utf-8 output");
    assert!(
        text.contains(&format!("{caller_addr} called {server}")),
        "{text}"
    );
    assert!(text.contains("6. close()"), "{text}");

    // 서버가 끊었으니 읽기는 곧바로 0바이트(EOF)를 돌려줍니다 · the server hung up: EOF.
    assert_eq!(read_until_hang_up(&mut caller), b"");
}

#[cfg(unix)]
#[test]
fn both_ways_set_so_reuseaddr_on_unix() {
    let by_hand = install_phone(loopback_any_port(), &mut Vec::new()).expect("install");
    let by_std = install_phone_with_std(loopback_any_port()).expect("std bind");
    for listener in [&by_hand, &by_std] {
        let reuse = socket2::SockRef::from(listener)
            .reuse_address()
            .expect("getsockopt");
        assert!(reuse, "SO_REUSEADDR should be on");
    }
}

#[test]
fn the_std_one_liner_gives_a_listening_socket_too() {
    let listener = install_phone_with_std(loopback_any_port()).expect("std bind");
    let addr = listener.local_addr().expect("local addr");
    let _caller = dial(addr);
    let (_call, _) = listener.accept().expect("accept");
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = loopback_listener();
    let addr = taken.local_addr().expect("local addr");
    let error = install_phone(addr, &mut Vec::new()).expect_err("port is taken");
    let message = format!("{error:#}");
    assert!(message.contains("already in use"), "{message}");
    assert!(
        message.contains("another server still running"),
        "{message}"
    );
}

#[test]
fn the_address_argument_defaults_to_the_seed_and_rejects_nonsense() {
    // main이 하는 그대로 · exactly what main does
    let addr = |list: &[&str]| {
        let mut args = cli::Args::parse(list)?;
        let addr = args.addr_or(DEFAULT_ADDR)?;
        args.finish().map(|()| addr)
    };
    assert_eq!(addr(&[]).expect("default").to_string(), "127.0.0.1:9999");
    assert_eq!(addr(&["127.0.0.1:10000"]).expect("given").port(), 10000);
    let error = addr(&["localhost"]).expect_err("not ip:port");
    assert!(
        error.to_string().contains("is not an address (IP:PORT"),
        "{error}"
    );
}
