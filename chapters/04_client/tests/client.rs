use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use ch04_client::{PATIENCE, call, hear_the_reply, show_reply};
use support::{
    NotInService, TIMEOUT, a_call_reset_by_the_other_end, loopback_listener, read_until_hang_up,
};

const SHORT: Duration = Duration::from_millis(300);

/// 바이트를 어떻게 나눠 보낼지 정하는 가짜 에코 서버 · A fake echo server that sends its
/// reply in the pieces we choose, one write each.
fn server_replying_in_pieces(pieces: Vec<Vec<u8>>) -> SocketAddr {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        call.set_nodelay(true).expect("nodelay");
        read_until_hang_up(&mut call);
        for piece in pieces {
            call.write_all(&piece).expect("write piece");
        }
    });
    addr
}

#[test]
fn reads_the_whole_reply_even_when_it_arrives_in_pieces() {
    // 1026바이트를 1024 + 2로: 시드의 recv(1024)라면 글자 중간에서 잘립니다. 한 번의 읽기로는
    // 1024바이트보다 많이 받을 수 없으니, 조각이 어떻게 도착하든 한 번 읽는 클라이언트는 실패합니다.
    // 1026 bytes as 1024 + 2: the seed's single recv(1024) would cut a syllable. One read can
    // never bring more than 1024 bytes, so a one-read client fails however the pieces arrive.
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
    let nobody = NotInService::new(); // 없는 번호 · a number not in service
    let addr = nobody.addr;
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
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let (done, client_gave_up) = mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let (call, _) = listener.accept().expect("accept");
        // 받기만 하고 답도, 끊기도 안 합니다. 클라이언트가 포기한 뒤에야 끊습니다.
        // Picks up, says nothing, and hangs up only after the client has given up.
        let _ = client_gave_up.recv_timeout(TIMEOUT);
        drop(call);
    });
    let error = call(addr, b"hi", SHORT).expect_err("times out");
    done.send(()).expect("holder waits");
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
    let listener = loopback_listener();
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
    let free = loopback_listener();
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
    assert!(stderr.starts_with("오류 · error: "), "{stderr}");
    assert!(stderr.contains("\n  원인 · because: "), "{stderr}");
    assert!(stderr.contains("start the server first"), "{stderr}");
}

#[test]
fn our_client_talks_to_the_seed_python_server() {
    // 빈 포트를 하나 얻어 시드 서버에게 넘깁니다 · find a free port for the seed server.
    let port = loopback_listener().local_addr().expect("free port").port();
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

/// shutdown이 "연결 안 됨"(NotConnected)을 봐도, 클라이언트는 리셋이라고 알립니다.
/// When shutdown sees "not connected", the client still reports the reset.
#[test]
fn a_reset_before_the_half_close_is_reported_as_a_reset() {
    let (mut phone, addr) = a_call_reset_by_the_other_end();
    let error = hear_the_reply(&mut phone, addr).expect_err("the server reset the call");
    let message = format!("{error:#}");
    assert!(
        message.contains(&format!("{addr} reset the connection (0 bytes so far)")),
        "{message}"
    );
}

/// 리셋 오류를 누가 먼저 읽어 가서 읽기에 EOF만 남아도, 리셋이라고 알립니다.
/// Even when someone already took the reset error and the read finds only EOF, it is a reset.
#[test]
fn a_reset_already_taken_is_still_reported_as_a_reset() {
    let (mut phone, addr) = a_call_reset_by_the_other_end();
    let taken = phone.take_error().expect("getsockopt");
    assert_eq!(
        taken.map(|e| e.kind()),
        Some(std::io::ErrorKind::ConnectionReset)
    );
    let error = hear_the_reply(&mut phone, addr).expect_err("the server reset the call");
    assert!(
        format!("{error:#}").contains("reset the connection"),
        "{error:#}"
    );
}
