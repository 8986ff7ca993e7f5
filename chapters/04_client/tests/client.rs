use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use ch04_client::{PATIENCE, call, show_reply};

const SHORT: Duration = Duration::from_millis(300);

/// 바이트를 어떻게 나눠 보낼지 정하는 가짜 에코 서버 · A fake echo server that sends its
/// reply in the pieces we choose, with pauses between them.
fn server_replying_in_pieces(pieces: Vec<Vec<u8>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        call.set_read_timeout(Some(PATIENCE)).expect("timeout");
        call.read_to_end(&mut Vec::new())
            .expect("wait for the client's half-close");
        for piece in pieces {
            call.write_all(&piece).expect("write piece");
            thread::sleep(Duration::from_millis(20));
        }
    });
    addr
}

#[test]
fn reads_the_whole_reply_even_when_it_arrives_in_pieces() {
    // 1026바이트를 1024 + 2로: 시드의 recv(1024)라면 글자 중간에서 잘립니다.
    // 1026 bytes as 1024 + 2: the seed's single recv(1024) would cut a syllable.
    let whole = "가".repeat(342).into_bytes();
    let addr = server_replying_in_pieces(vec![whole[..1024].to_vec(), whole[1024..].to_vec()]);
    let reply = call(addr, &whole, PATIENCE).expect("call");
    assert_eq!(reply, whole);
    assert!(
        std::str::from_utf8(&whole[..1024]).is_err(),
        "1024 bytes end mid-syllable"
    );
}

#[test]
fn nothing_listening_says_so_and_what_to_run() {
    let free = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("addr");
    drop(free); // 이제 아무도 없는 번호 · now a number not in service
    let error = call(addr, b"hi", PATIENCE).expect_err("refused");
    let message = format!("{error:#}");
    assert!(
        message.contains(&format!("nothing is listening on {addr}")),
        "{message}"
    );
    assert!(message.contains("cargo run -p ch03_server"), "{message}");
}

#[test]
fn a_server_that_never_hangs_up_times_out_with_a_clear_error() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let holder = thread::spawn(move || {
        let (call, _) = listener.accept().expect("accept");
        thread::sleep(SHORT * 3); // 받기만 하고 답도, 끊기도 안 함 · picks up, says nothing
        drop(call);
    });
    let error = call(addr, b"hi", SHORT).expect_err("times out");
    assert!(
        format!("{error:#}").contains("stopped answering (0 bytes so far)"),
        "{error:#}"
    );
    holder.join().expect("holder");
}

#[test]
fn a_huge_message_to_an_echo_server_fails_clearly_instead_of_hanging() {
    // 에코 서버는 우리가 읽지 않는 답을 쓰다 막히고, 그러면 우리 쓰기도 막힙니다.
    // The echo server blocks writing replies we don't read yet; then our writes block too.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let echo = thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        call.set_write_timeout(Some(PATIENCE)).expect("timeout");
        let mut buf = [0u8; 1024];
        while let Ok(n @ 1..) = call.read(&mut buf) {
            if call.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    let huge = vec![b'x'; 64 << 20];
    let error = call(addr, &huge, SHORT).expect_err("stalls");
    assert!(format!("{error:#}").contains("stalled"), "{error:#}");
    echo.join().expect("echo thread");
}

#[test]
fn show_reply_matches_the_seed_and_flags_bad_bytes() {
    assert_eq!(
        show_reply("안녕!".as_bytes()),
        r#"받은 답 · Received "안녕!""#
    );
    assert!(show_reply(&[0xea, 0xb0]).contains("not valid UTF-8"));
}

#[test]
fn the_binary_explains_a_refused_call_without_a_raw_os_error_alone() {
    let free = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("addr").to_string();
    drop(free);
    let out = Command::new(env!("CARGO_BIN_EXE_ch04_client"))
        .args(["안녕!", &addr])
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .expect("run ch04_client");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("Error: "), "{stderr}");
    assert!(stderr.contains("start the server first"), "{stderr}");
}

#[test]
fn our_client_talks_to_the_seed_python_server() {
    // 빈 포트를 하나 얻어 시드 서버에게 넘깁니다 · find a free port for the seed server.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let interop = concat!(env!("CARGO_MANIFEST_DIR"), "/../../interop");
    let mut server = Command::new("python3")
        .arg("-u")
        .arg(format!("{interop}/run_seed.py"))
        .arg(format!("{interop}/seed_server.py"))
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is needed for the interop tests");
    let mut stdout = BufReader::new(server.stdout.take().expect("stdout"));
    let mut started = String::new();
    stdout.read_line(&mut started).expect("server started");
    assert_eq!(started, "서버가 실행되었습니다.\n");

    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let reply = call(addr, "안녕!".as_bytes(), PATIENCE).expect("call the seed server");
    assert_eq!(reply, "안녕!".as_bytes());

    let mut log = String::new();
    stdout.read_to_string(&mut log).expect("seed server log");
    assert!(server.wait().expect("exit").success(), "{log}");
    assert!(log.contains("Received from"), "{log}");
}
