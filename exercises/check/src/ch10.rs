//! 10장 연습 문제 검사 · Checks for chapter 10.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use ch10_errors::{Limits, Log, Stop, serve};
use ch10_exercises::Ending;
use socket2::SockRef;

use crate::{Code, Exercise, Failure, Outcome, dial, expect_eq, fail, loopback_listener};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "10.1",
        title: "끊김, 리셋, 침묵 · Hung up, reset, or silent?",
        file: "exercises/ch10/src/lib.rs",
        function: "how_it_ended",
        check: check_10_1,
    },
    Exercise {
        id: "10.2",
        title: "하트비트로 통화 지키기 · Heartbeats keep a quiet call open",
        file: "exercises/ch10/src/lib.rs",
        function: "stay_on_the_line",
        check: check_10_2,
    },
];

const SECOND: Duration = Duration::from_secs(1);

/// 상대가 `peer`대로 행동하는 통화 하나에서 `how_it_ended`를 부릅니다 · Calls `how_it_ended`
/// on a call whose peer behaves as `peer` says.
fn ending_with(
    code: Code,
    peer: impl FnOnce(TcpStream) -> Option<TcpStream>,
) -> Result<Ending, Failure> {
    let how_it_ended = match code {
        Code::Yours => ch10_exercises::how_it_ended,
        Code::Reference => ch10_solutions::how_it_ended,
    };
    let (listener, addr) = loopback_listener()?;
    let mut call = dial(addr)?;
    let (answered, _) = listener.accept().map_err(|e| fail("accept", "a call", e))?;
    let _kept = peer(answered);
    Ok(how_it_ended(&mut call, SECOND))
}

fn check_10_1(code: Code) -> Outcome {
    let hung_up = ending_with(code, |mut peer| {
        let _ = peer.write_all(b"bye");
        None // 말하고 끊습니다 · says bye, hangs up
    })?;
    expect_eq(
        "the peer says \"bye\" and hangs up",
        Ending::HungUp,
        hung_up,
    )?;
    let reset = ending_with(code, |peer| {
        let _ = SockRef::from(&peer).set_linger(Some(Duration::ZERO));
        None // RST
    })?;
    expect_eq("the peer resets the call (linger 0)", Ending::Reset, reset)?;
    let silent = ending_with(code, Some)?; // 받고 아무 말도 하지 않습니다 · picks up, says nothing
    expect_eq(
        "the peer picks up and says nothing (limit 1 s)",
        Ending::Silent,
        silent,
    )
}

/// 조용히 3초가 지나면 끊는 10장의 서버 · Chapter 10's server, hanging up after 3 quiet seconds.
fn server() -> Result<(SocketAddr, Stop), Failure> {
    let (listener, addr) = loopback_listener()?;
    let stop = Stop::new(addr);
    let limits = Limits {
        idle: 3 * SECOND,
        ..Limits::default()
    };
    let for_server = stop.clone();
    thread::spawn(move || serve(listener, limits, &for_server, &Log::new(std::io::sink())));
    Ok((addr, stop))
}

fn check_10_2(code: Code) -> Outcome {
    let stay_on_the_line = match code {
        Code::Yours => ch10_exercises::stay_on_the_line,
        Code::Reference => ch10_solutions::stay_on_the_line,
    };
    let (addr, stop) = server()?;
    let mut call = dial(addr)?;
    let stayed = stay_on_the_line(&mut call, 4 * SECOND, SECOND);
    let result = stayed
        .map_err(|e| fail("stay_on_the_line for 4 s, every 1 s", "Ok(())", e))
        .and_then(|()| {
            call.write_all(b"still here\n")
                .map_err(|e| fail("after 4 s, say \"still here\"", "the call is open", e))?;
            let mut heard = String::new();
            BufReader::new(&call)
                .read_line(&mut heard)
                .map_err(|e| fail("hear the echo of \"still here\"", "the echo", e))?;
            expect_eq(
                "after 4 s on a server that hangs up after 3 quiet seconds, say \"still here\"",
                "still here\n".to_string(),
                heard,
            )
        });
    stop.stop();
    result
}
