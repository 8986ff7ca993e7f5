//! 3장 연습 문제 검사 · Checks for chapter 3.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, Running, dial, expect, expect_eq, fail,
    loopback_listener, reset, send_and_read_all, show, start,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "3.1",
        title: "대문자 메아리 · An uppercase echo",
        file: "exercises/ch03/src/lib.rs",
        function: "echo_upper",
        check: check_3_1,
    },
    Exercise {
        id: "3.2",
        title: "몇 바이트를 돌려주었나 · How many bytes went back?",
        file: "exercises/ch03/src/lib.rs",
        function: "echo_counted",
        check: check_3_2,
    },
    Exercise {
        id: "3.3",
        title: "한 통씩, N통 · N calls, one at a time",
        file: "exercises/ch03/src/lib.rs",
        function: "serve_calls",
        check: check_3_3,
    },
];

type Echo<T> = fn(&mut TcpStream, SocketAddr, &mut Vec<u8>) -> anyhow::Result<T>;

/// 돌고 있는 에코 함수: 결과와 로그를 돌려줍니다 · A running echo: its result and log.
type Answering<T> = Running<(anyhow::Result<T>, String)>;

/// 전화 한 통을 받아 학생의 에코 함수에 넘깁니다 · Takes one call and hands it to `echo`.
fn answer_with<T: Send + 'static>(echo: Echo<T>) -> Result<(SocketAddr, Answering<T>), Failure> {
    let (listener, addr) = loopback_listener()?;
    let running = start("your echo function", move || {
        let (mut call, caller) = listener.accept().expect("accept a loopback call");
        let mut log = Vec::new();
        let result = echo(&mut call, caller, &mut log);
        (result, String::from_utf8_lossy(&log).into_owned())
    });
    Ok((addr, running))
}

/// 메시지 하나를 보내고 돌아온 바이트와 함수의 결과·로그를 받습니다.
/// Sends one message; returns the reply, and the function's result and log.
fn one_call<T: Send + 'static>(
    echo: Echo<T>,
    message: &[u8],
) -> Result<(Vec<u8>, T, String), Failure> {
    let (addr, running) = answer_with(echo)?;
    let reply = send_and_read_all(&mut dial(addr)?, message)?;
    let (result, log) = running.wait(PATIENCE)?;
    let value =
        result.map_err(|e| fail("the function's result", "Ok after the caller hung up", e))?;
    Ok((reply, value, log))
}

fn check_3_1(code: Code) -> Outcome {
    let echo_upper: Echo<()> = match code {
        Code::Yours => ch03_exercises::echo_upper,
        Code::Reference => ch03_solutions::echo_upper,
    };
    let mut message = "hello, 안녕! abc".as_bytes().to_vec();
    message.push(0xff);
    let mut expected = "HELLO, 안녕! ABC".as_bytes().to_vec();
    expected.push(0xff);
    let (reply, (), _) = one_call(echo_upper, &message)?;
    expect_eq(
        "the reply to \"hello, 안녕! abc\" + 0xff",
        show(&expected),
        show(&reply),
    )?;

    let (reply, (), _) = one_call(echo_upper, &[b'a'; 2000])?;
    expect_eq("the reply to 2000 × 'a'", show(&[b'A'; 2000]), show(&reply))?;

    let ga = "가".repeat(342).into_bytes();
    let (reply, (), _) = one_call(echo_upper, &ga)?;
    expect(
        "the reply to 342 × \"가\" (1026 bytes)",
        reply == ga,
        "the same 1026 bytes, untouched",
        show(&reply),
    )
}

fn check_3_2(code: Code) -> Outcome {
    let echo_counted: Echo<u64> = match code {
        Code::Yours => ch03_exercises::echo_counted,
        Code::Reference => ch03_solutions::echo_counted,
    };
    let ga = "가".repeat(342).into_bytes();
    let (reply, total, log) = one_call(echo_counted, &ga)?;
    expect(
        "the reply to 342 × \"가\"",
        reply == ga,
        "the same 1026 bytes",
        show(&reply),
    )?;
    expect_eq("the count for 342 × \"가\"", 1026, total)?;
    let last = log.lines().last().unwrap_or_default().to_string();
    expect(
        "the last log line",
        last.contains("1026"),
        "a line that says 1026",
        last,
    )?;

    let (_, total, _) = one_call(echo_counted, b"")?;
    expect_eq("the count for a caller who says nothing", 0, total)?;

    // "hello"의 에코를 받은 뒤 리셋 · reset after receiving the echo of "hello"
    let (addr, running) = answer_with(echo_counted)?;
    let mut caller = dial(addr)?;
    caller
        .write_all(b"hello")
        .map_err(|e| fail("send hello", "ok", e))?;
    let mut echoed = [0u8; 5];
    std::io::Read::read_exact(&mut caller, &mut echoed)
        .map_err(|e| fail("read the echo of hello", "5 bytes", e))?;
    reset(caller);
    let (result, _) = running.wait(PATIENCE)?;
    match result {
        Ok(total) => expect_eq("the count when the caller resets after hello", 5, total),
        Err(e) => Err(fail("a caller who resets", "Ok(5), not an error", e)),
    }
}

type ServeCalls = fn(&TcpListener, usize, &mut Vec<u8>) -> anyhow::Result<Vec<SocketAddr>>;
type Serving = Running<anyhow::Result<Vec<SocketAddr>>>;

fn serve(serve_calls: ServeCalls, n: usize) -> Result<(SocketAddr, Serving), Failure> {
    let (listener, addr) = loopback_listener()?;
    let running = start("serve_calls", move || {
        serve_calls(&listener, n, &mut Vec::new())
    });
    Ok((addr, running))
}

fn check_3_3(code: Code) -> Outcome {
    let serve_calls: ServeCalls = match code {
        Code::Yours => ch03_exercises::serve_calls,
        Code::Reference => ch03_solutions::serve_calls,
    };
    // 세 사람이 차례로 · three callers, one after another
    let (addr, running) = serve(serve_calls, 3)?;
    let mut callers = Vec::new();
    for (i, message) in ["첫째 · first", "둘째 · second", "셋째 · third"]
        .iter()
        .enumerate()
    {
        let mut talk = || -> Result<(), Failure> {
            let mut caller = dial(addr)?;
            callers.push(
                caller
                    .local_addr()
                    .map_err(|e| fail("local_addr", "an address", e))?,
            );
            let reply = send_and_read_all(&mut caller, message.as_bytes())?;
            expect_eq("the reply", show(message.as_bytes()), show(&reply))
        };
        let nth = i + 1;
        talk().map_err(|f| Failure {
            what: format!("caller {nth} of 3, after the others hung up: {}", f.what),
            ..f
        })?;
    }
    let served = running
        .wait(PATIENCE)?
        .map_err(|e| fail("serve_calls(3)", "Ok", e))?;
    expect_eq("the callers serve_calls(3) returns", callers, served)?;

    // 둘째가 리셋해도 셋째는 답을 받습니다 · a reset by the second does not stop the third
    let (addr, running) = serve(serve_calls, 3)?;
    send_and_read_all(&mut dial(addr)?, b"one")?;
    let second = dial(addr)?;
    thread::sleep(Duration::from_millis(50));
    reset(second);
    let reply = send_and_read_all(&mut dial(addr)?, b"three")?;
    expect_eq(
        "the third caller's reply after the second reset",
        show(b"three"),
        show(&reply),
    )?;
    running
        .wait(PATIENCE)?
        .map_err(|e| fail("serve_calls(3) with a reset", "Ok", e))?;

    let (_, running) = serve(serve_calls, 0)?;
    let served = running
        .wait(Duration::from_secs(1))?
        .map_err(|e| fail("serve_calls(0)", "Ok", e))?;
    expect_eq("serve_calls(0)", Vec::<SocketAddr>::new(), served)?;

    // 첫째가 통화 중이면 둘째는 대기 · while the first is on the line, the second waits
    let (addr, running) = serve(serve_calls, 2)?;
    let first = dial(addr)?;
    let mut second = dial(addr)?;
    second
        .write_all(b"waiting")
        .map_err(|e| fail("second caller sends", "ok", e))?;
    second
        .set_read_timeout(Some(Duration::from_millis(500)))
        .map_err(|e| fail("timeout", "ok", e))?;
    let early = std::io::Read::read(&mut second, &mut [0u8; 16]);
    expect(
        "the second caller while the first is on the line",
        early.is_err(),
        "no reply within 500 ms",
        &early,
    )?;
    drop(first);
    second
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("timeout", "ok", e))?;
    let reply = send_and_read_all(&mut second, b"")?;
    expect_eq(
        "the second caller's reply after the first hung up",
        show(b"waiting"),
        show(&reply),
    )?;
    running
        .wait(PATIENCE)?
        .map_err(|e| fail("serve_calls(2)", "Ok", e))?;
    Ok(())
}
