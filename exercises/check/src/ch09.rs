//! 9장 연습 문제 검사 · Checks for chapter 9.
//!
//! 검사기의 소켓은 모두 127.0.0.1:0에 bind하고, 받기마다 제한 시간이 있습니다.
//! Every socket of the checker binds 127.0.0.1:0, and every receive has a timeout.

use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::Duration;

use ch09_udp::Patience;

use crate::{Code, Exercise, Failure, Outcome, PATIENCE, expect, expect_eq, fail, within};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "9.1",
        title: "대문자 문자 메시지 · An uppercase text message",
        file: "exercises/ch09/src/lib.rs",
        function: "serve_upper",
        check: check_9_1,
    },
    Exercise {
        id: "9.2",
        title: "잘린 문자 알아채기 · Notice a cut-off datagram",
        file: "exercises/ch09/src/lib.rs",
        function: "receive_at_most",
        check: check_9_2,
    },
    Exercise {
        id: "9.3",
        title: "(도전) 번호 붙은 문자 · (stretch) Numbered text messages",
        file: "exercises/ch09/src/lib.rs",
        function: "ask_numbered",
        check: check_9_3,
    },
];

/// 받기에 제한 시간이 있는 UDP 소켓 · A UDP socket whose receives time out.
fn socket() -> Result<(UdpSocket, SocketAddr), Failure> {
    let socket =
        UdpSocket::bind("127.0.0.1:0").map_err(|e| fail("bind UDP 127.0.0.1:0", "a socket", e))?;
    socket
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("set_read_timeout", "ok", e))?;
    let addr = socket
        .local_addr()
        .map_err(|e| fail("local_addr", "an address", e))?;
    Ok((socket, addr))
}

/// 문자 하나를 받습니다 · Receives one datagram.
fn hear(socket: &UdpSocket, what: &str) -> Result<(Vec<u8>, SocketAddr), Failure> {
    let mut buf = vec![0u8; ch09_udp::BUF];
    let (n, from) = socket
        .recv_from(&mut buf)
        .map_err(|e| fail(what, "a datagram within 5 s", e))?;
    Ok((buf[..n].to_vec(), from))
}

fn send(socket: &UdpSocket, datagram: &[u8], to: SocketAddr) -> Outcome {
    socket
        .send_to(datagram, to)
        .map(drop)
        .map_err(|e| fail(&format!("send {datagram:?}"), "sent", e))
}

fn check_9_1(code: Code) -> Outcome {
    let serve_upper = match code {
        Code::Yours => ch09_exercises::serve_upper,
        Code::Reference => ch09_solutions::serve_upper,
    };
    let (server, addr) = socket()?;
    // 서버는 검사기가 끝날 때까지 돕니다 · the server runs until the checker ends
    thread::spawn(move || serve_upper(server));
    let (minsu, _) = socket()?;
    let (jiyoung, _) = socket()?;
    send(&minsu, "hello, 민수".as_bytes(), addr)?;
    send(&jiyoung, b"", addr)?;
    send(&jiyoung, b"bye", addr)?;
    for (who, name, expected) in [
        (&minsu, "민수", "HELLO, 민수"),
        (&jiyoung, "지영", ""),
        (&jiyoung, "지영", "BYE"),
    ] {
        let (reply, from) = hear(who, &format!("the reply {name} hears"))?;
        expect_eq(
            &format!("the reply {name} hears"),
            expected,
            &String::from_utf8_lossy(&reply),
        )?;
        expect_eq("who the reply comes from", addr, from)?;
    }
    Ok(())
}

fn check_9_2(code: Code) -> Outcome {
    let receive_at_most = match code {
        Code::Yours => ch09_exercises::receive_at_most,
        Code::Reference => ch09_solutions::receive_at_most,
    };
    let (yours, addr) = socket()?;
    let (sender, from) = socket()?;
    send(&sender, b"12345678", addr)?;
    send(&sender, b"123456789", addr)?;
    send(&sender, b"ok", addr)?;
    let got = within(PATIENCE * 4, "your function", move || {
        let results: Vec<_> = (0..3)
            .map(|_| {
                receive_at_most(&yours, 8)
                    .map(|(bytes, from)| (String::from_utf8_lossy(&bytes).into_owned(), from))
                    .map_err(|e| format!("{e:#}"))
            })
            .collect();
        results
    })?;
    expect_eq(
        "receive_at_most(socket, 8) for an 8-byte datagram",
        Ok(("12345678".to_string(), from)),
        got[0].clone(),
    )?;
    expect(
        "receive_at_most(socket, 8) for a 9-byte datagram",
        got[1].is_err(),
        "an error: the datagram is longer than 8 bytes",
        &got[1],
    )?;
    expect_eq(
        "receive_at_most(socket, 8) for the next datagram, \"ok\"",
        Ok(("ok".to_string(), from)),
        got[2].clone(),
    )
}

/// 번호 붙은 요청에 답하는 가짜 서버. 요청마다 먼저 옛 번호의 답을, 그다음에 맞는 답을 두 번
/// 보냅니다. 다만 8번의 첫 요청은 버립니다(잃어버린 문자).
/// A fake server for numbered requests: to each, it sends a reply with an old number first, then
/// the right reply twice; but the first request numbered 8 it drops (a lost datagram).
fn tricky_server(server: UdpSocket) {
    let mut buf = vec![0u8; 2048];
    let mut lost_8 = false;
    while let Ok((n, from)) = server.recv_from(&mut buf) {
        if n < 4 {
            continue;
        }
        let number = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
        if number == 8 && !std::mem::replace(&mut lost_8, true) {
            continue;
        }
        let mut old = number.wrapping_sub(1).to_be_bytes().to_vec();
        old.extend_from_slice(b"an old reply");
        let _ = server.send_to(&old, from);
        for _ in 0..2 {
            let _ = server.send_to(&buf[..n], from);
        }
    }
}

fn check_9_3(code: Code) -> Outcome {
    let ask_numbered = match code {
        Code::Yours => ch09_exercises::ask_numbered,
        Code::Reference => ch09_solutions::ask_numbered,
    };
    let (server, addr) = socket()?;
    thread::spawn(move || tricky_server(server));
    let (yours, _) = socket()?;
    yours.connect(addr).map_err(|e| fail("connect", "ok", e))?;
    let patience = Patience {
        wait: Duration::from_secs(1),
        tries: 3,
    };
    let got = within(PATIENCE * 4, "your function", move || {
        let first = ask_numbered(&yours, 7, "안녕".as_bytes(), patience);
        let second = ask_numbered(&yours, 8, b"again", patience);
        [first, second].map(|r| {
            r.map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .map_err(|e| format!("{e:#}"))
        })
    })?;
    expect_eq(
        "ask_numbered(7, \"안녕\"): an old reply (numbered 6) comes first",
        Ok("안녕".to_string()),
        got[0].clone(),
    )?;
    expect_eq(
        "ask_numbered(8, \"again\") right after: the copy of reply 7 is still waiting, and the first request 8 is lost",
        Ok("again".to_string()),
        got[1].clone(),
    )
}
