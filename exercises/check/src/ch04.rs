//! 4장 연습 문제 검사 · Checks for chapter 4.
//!
//! 검사마다 작은 서버를 직접 띄웁니다 · Every check runs its own small test server: an echo
//! server that takes several calls, one that replies in pieces with a pause, one that echoes only
//! 3 bytes, one that never hangs up. Each runs on its own thread, on 127.0.0.1 with a port the OS
//! picks, and every wait in it ends.

use std::fmt;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, Running, expect, expect_eq, fail,
    loopback_listener, show, start, within,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "4.1",
        title: "여러 번 걸기 · Several calls",
        file: "exercises/ch04/src/lib.rs",
        function: "call_many",
        check: check_4_1,
    },
    Exercise {
        id: "4.2",
        title: "보낸 만큼만 읽기 · Read exactly as much as you sent",
        file: "exercises/ch04/src/lib.rs",
        function: "call_exact",
        check: check_4_2,
    },
    Exercise {
        id: "4.3",
        title: "읽은 횟수 세기 · Count the reads",
        file: "exercises/ch04/src/lib.rs",
        function: "call_counting_reads",
        check: check_4_3,
    },
];

/// 학생 함수에 주는 제한 시간: 그 안의 patience보다 넉넉히 · The limit on the student's
/// function: well above any patience it is given.
const LIMIT: Duration = Duration::from_secs(10);

/// 짧은 patience, 그리고 "patience쯤"으로 받아 주는 범위 (바쁜 CI에서도 넉넉하게).
/// A short patience, and what counts as "after about patience" (loose, for a busy CI machine).
const SHORT: Duration = Duration::from_millis(300);
const ABOUT_SHORT_MIN: Duration = Duration::from_millis(150);
const ABOUT_SHORT_MAX: Duration = Duration::from_secs(3);

/// 검사용 서버가 살아 있는 최대 시간 · The longest a test server lives.
const SERVER_LIFETIME: Duration = Duration::from_secs(30);
/// "그만"을 들은 뒤에도 막 걸려 온 전화를 받아 주는 시간 · After "stop", how long it still
/// picks up calls already on their way.
const GRACE: Duration = Duration::from_millis(100);
/// 조각 사이의 쉬는 시간 · The pause between pieces.
const PAUSE: Duration = Duration::from_millis(100);

// ---------------------------------------------------------------------------------------------
// 검사용 서버 · Test servers

/// 검사용 서버가 전화 한 통에 답하는 방식 · How a test server answers each call.
#[derive(Debug, Clone)]
enum Manner {
    /// 읽는 대로 돌려주고, 건 쪽이 말을 마치면 끊습니다 · Echoes as it reads; hangs up once
    /// the caller is done talking.
    Echo,
    /// 읽는 대로 돌려주지만 끊지 않습니다 · Echoes as it reads, and never hangs up.
    EchoAndHold,
    /// 앞의 3바이트만 돌려주고 끊습니다 · Echoes the first 3 bytes only, then hangs up.
    FirstThreeThenHangUp,
    /// 앞의 3바이트만 돌려주고 끊지 않습니다 · Echoes the first 3 bytes only, never hangs up.
    FirstThreeThenHold,
    /// 건 쪽이 말을 마치면 이 조각들을 쉬어 가며 보내고 끊습니다 · Once the caller is done,
    /// sends these pieces with a pause between them, then hangs up.
    Pieces(Vec<Vec<u8>>),
}

/// 자기 스레드에서 도는 검사용 서버. 떨어뜨리면(drop) 끊고 멈춥니다.
/// A test server on its own thread. Dropping it hangs up and stops it.
struct TestServer {
    addr: SocketAddr,
    /// 이것이 사라지면 붙들던 전화를 끊고 멈춥니다 · When this is gone, the server hangs up
    /// any call it holds and stops.
    stop: mpsc::Sender<()>,
    /// 받은 전화마다 들은 바이트 · What it heard, call by call.
    heard: Running<Vec<Vec<u8>>>,
}

impl TestServer {
    fn start(manner: Manner) -> Result<TestServer, Failure> {
        let (listener, addr) = loopback_listener()?;
        listener
            .set_nonblocking(true)
            .map_err(|e| fail("the test server's listener", "non-blocking", e))?;
        let (stop, stopped) = mpsc::channel();
        let heard = start("the check's own test server", move || {
            serve(&listener, &manner, &stopped)
        });
        Ok(TestServer { addr, stop, heard })
    }

    /// 끊고 멈추게 한 뒤, 받은 전화마다 들은 바이트를 돌려줍니다.
    /// Hangs up and stops; returns what it heard, call by call.
    fn finish(self) -> Result<Vec<Vec<u8>>, Failure> {
        let TestServer { stop, heard, .. } = self;
        drop(stop);
        heard.wait(PATIENCE + PATIENCE)
    }
}

/// 멈추라는 말을 들을 때까지 전화를 차례로 받습니다 · Takes calls one after another until
/// told to stop.
fn serve(listener: &TcpListener, manner: &Manner, stopped: &mpsc::Receiver<()>) -> Vec<Vec<u8>> {
    let born = Instant::now();
    let mut told: Option<Instant> = None;
    let mut heard = Vec::new();
    while born.elapsed() < SERVER_LIFETIME {
        match listener.accept() {
            Ok((call, _)) => heard.push(answer(call, manner, stopped)),
            Err(_) => {
                if told.is_none() && stopped.try_recv() == Err(mpsc::TryRecvError::Disconnected) {
                    told = Some(Instant::now());
                }
                if told.is_some_and(|t| t.elapsed() > GRACE) {
                    break;
                }
                thread::sleep(Duration::from_millis(5));
            }
        }
    }
    heard
}

/// 전화 한 통에 답하고, 들은 바이트를 돌려줍니다 · Answers one call; returns what it heard.
fn answer(mut call: TcpStream, manner: &Manner, stopped: &mpsc::Receiver<()>) -> Vec<u8> {
    // 모든 읽기와 쓰기는 PATIENCE 안에 끝납니다 · every read and write ends within PATIENCE.
    let _ = call.set_nonblocking(false);
    let _ = call.set_read_timeout(Some(PATIENCE));
    let _ = call.set_write_timeout(Some(PATIENCE));
    let _ = call.set_nodelay(true);
    let mut heard = Vec::new();
    match manner {
        Manner::Echo | Manner::EchoAndHold => {
            let mut buf = [0u8; 1024];
            while let Ok(n @ 1..) = call.read(&mut buf) {
                heard.extend_from_slice(&buf[..n]);
                if call.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
        Manner::FirstThreeThenHangUp | Manner::FirstThreeThenHold => {
            let mut three = [0u8; 3];
            if call.read_exact(&mut three).is_ok() {
                heard.extend_from_slice(&three);
                let _ = call.write_all(&three);
            }
        }
        Manner::Pieces(pieces) => {
            // 건 쪽이 말을 마칠 때까지 · until the caller is done talking
            let _ = call.read_to_end(&mut heard);
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    thread::sleep(PAUSE);
                }
                let _ = call.write_all(piece);
            }
        }
    }
    match manner {
        Manner::EchoAndHold | Manner::FirstThreeThenHold => {
            // 검사가 끝날 때까지 회선을 붙들고 있습니다 · hold the line until the check is over
            let _ = stopped.recv_timeout(SERVER_LIFETIME);
        }
        Manner::FirstThreeThenHangUp => {
            // 끊습니다(FIN), 그리고 건 쪽이 끊을 때까지 남은 것을 읽어 버립니다.
            // Hang up (FIN), and drain what is left until the caller hangs up too.
            let _ = call.shutdown(Shutdown::Write);
            let _ = call.read_to_end(&mut Vec::new());
        }
        Manner::Echo | Manner::Pieces(_) => {}
    }
    heard
}

// ---------------------------------------------------------------------------------------------
// 도우미 · Helpers

/// 학생 함수를 제한 시간 안에 돌리며 걸린 시간을 잽니다 · Runs the student's function within
/// a limit, timing it.
fn timed<T: Send + 'static>(
    what: &str,
    limit: Duration,
    run: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<(anyhow::Result<T>, Duration), Failure> {
    within(limit, what, move || {
        let began = Instant::now();
        let result = run();
        (result, began.elapsed())
    })
}

/// 오류여야 합니다 · It must be an error.
fn expect_error<T: fmt::Debug>(
    what: &str,
    expected: &str,
    result: Result<T, anyhow::Error>,
) -> Outcome {
    match result {
        Err(_) => Ok(()),
        Ok(value) => Err(Failure {
            what: what.into(),
            expected: expected.into(),
            got: format!("Ok({value:?})"),
        }),
    }
}

/// "patience쯤 지나서"인지 · Whether it gave up "after about patience".
fn expect_about_short(what: &str, took: Duration) -> Outcome {
    expect(
        what,
        (ABOUT_SHORT_MIN..=ABOUT_SHORT_MAX).contains(&took),
        &format!(
            "about the {SHORT:?} patience (the check accepts {ABOUT_SHORT_MIN:?} to \
             {ABOUT_SHORT_MAX:?}): not at once, and not much later"
        ),
        took,
    )
}

/// 아무도 기다리지 않는 번호 · A number nobody listens on.
fn number_not_in_service() -> Result<SocketAddr, Failure> {
    let (listener, addr) = loopback_listener()?;
    drop(listener);
    Ok(addr)
}

// ---------------------------------------------------------------------------------------------
// 4.1

type CallMany = fn(SocketAddr, &[&str], Duration) -> anyhow::Result<Vec<String>>;

fn check_4_1(code: Code) -> Outcome {
    let call_many: CallMany = match code {
        Code::Yours => ch04_exercises::call_many,
        Code::Reference => ch04_solutions::call_many,
    };

    // 몇 통이든 받는 에코 서버에 세 통 · three calls to an echo server that takes any number
    let messages = ["안녕!", "잘 지내?", ""];
    let server = TestServer::start(Manner::Echo)?;
    let addr = server.addr;
    let replies = within(
        LIMIT,
        "call_many(addr, &[\"안녕!\", \"잘 지내?\", \"\"], 5 s)",
        move || call_many(addr, &messages, PATIENCE),
    )?
    .map_err(|e| {
        fail(
            "call_many(addr, &[\"안녕!\", \"잘 지내?\", \"\"], 5 s) to an echo server",
            "Ok with three replies",
            e,
        )
    })?;
    expect_eq(
        "the replies to [\"안녕!\", \"잘 지내?\", \"\"]",
        messages.map(String::from).to_vec(),
        replies,
    )?;
    let heard = server.finish()?;
    expect_eq(
        "how many calls the echo server accepted for three messages",
        3,
        heard.len(),
    )?;
    expect_eq(
        "what the echo server heard, call by call",
        messages.map(|m| show(m.as_bytes())).to_vec(),
        heard.iter().map(|h| show(h)).collect(),
    )?;

    // 빈 목록: 걸지 않습니다 · an empty list: no calls
    let server = TestServer::start(Manner::Echo)?;
    let addr = server.addr;
    let replies = within(LIMIT, "call_many(addr, &[], 5 s)", move || {
        call_many(addr, &[], PATIENCE)
    })?
    .map_err(|e| fail("call_many(addr, &[], 5 s)", "Ok(an empty Vec)", e))?;
    expect_eq("call_many with no messages", Vec::<String>::new(), replies)?;
    expect_eq(
        "how many calls call_many made for an empty list",
        0,
        server.finish()?.len(),
    )?;

    // 없는 번호 · a number not in service
    let addr = number_not_in_service()?;
    let result = within(
        LIMIT,
        "call_many to a number nobody listens on",
        move || call_many(addr, &["안녕!"], PATIENCE),
    )?;
    match result {
        Ok(replies) => Err(Failure {
            what: format!("call_many(&[\"안녕!\"]) when nothing listens on {addr}"),
            expected: "an error".into(),
            got: format!("Ok({replies:?})"),
        }),
        Err(e) => {
            let message = format!("{e:#}");
            expect(
                &format!("the error from call_many when nothing listens on {addr}"),
                message.contains("nothing is listening on"),
                "a message that contains \"nothing is listening on\" (call's own explanation)",
                message,
            )
        }
    }?;

    // UTF-8이 아닌 답 · a reply that is not UTF-8
    let server = TestServer::start(Manner::Pieces(vec![vec![0xEA, 0xB0]]))?;
    let addr = server.addr;
    let result = within(
        LIMIT,
        "call_many when the reply is not UTF-8 (a panic is a failure too)",
        move || call_many(addr, &["가"], PATIENCE),
    )?;
    expect_error(
        "call_many(&[\"가\"]) when the server replies with the bytes [0xEA, 0xB0] \
         (the first 2 of the 3 bytes of \"가\")",
        "an error: not a panic, and not a lossy \"�\"",
        result,
    )?;
    server.finish()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 4.2

type CallExact = fn(SocketAddr, &[u8], Duration) -> anyhow::Result<Vec<u8>>;

fn check_4_2(code: Code) -> Outcome {
    let call_exact: CallExact = match code {
        Code::Yours => ch04_exercises::call_exact,
        Code::Reference => ch04_solutions::call_exact,
    };

    // 돌려주지만 끊지 않는 에코 서버 · an echo server that never hangs up
    let ga = "가".repeat(342).into_bytes();
    let server = TestServer::start(Manner::EchoAndHold)?;
    let addr = server.addr;
    let message = ga.clone();
    let (result, took) = timed("call_exact(addr, 342 × \"가\", 2 s)", LIMIT, move || {
        call_exact(addr, &message, Duration::from_secs(2))
    })?;
    let reply = result.map_err(|e| {
        fail(
            "call_exact(addr, 342 × \"가\", 2 s) to an echo server that echoes and never hangs up",
            "all 1026 bytes back, without waiting for a hang-up that never comes",
            e,
        )
    })?;
    expect(
        "the reply to 342 × \"가\" (1026 bytes)",
        reply == ga,
        "the same 1026 bytes",
        show(&reply),
    )?;
    let well_under = Duration::from_millis(1500);
    expect(
        "how long call_exact(addr, 342 × \"가\", 2 s) took",
        took < well_under,
        &format!(
            "well under the 2 s patience (the check accepts up to {well_under:?}): \
             it stops after 1026 bytes instead of waiting for a read to time out"
        ),
        took,
    )?;
    server.finish()?;

    // 3바이트만 돌려주고 끊는 서버 · a server that echoes 3 bytes, then hangs up
    let server = TestServer::start(Manner::FirstThreeThenHangUp)?;
    let addr = server.addr;
    let result = within(
        LIMIT,
        "call_exact(addr, \"안녕!\", 5 s) to a server that echoes 3 bytes and hangs up",
        move || call_exact(addr, "안녕!".as_bytes(), PATIENCE),
    )?;
    expect_error(
        "call_exact(addr, \"안녕!\", 5 s) to a server that echoes only the first 3 bytes, \
         then hangs up",
        "an error: 7 bytes went out, only 3 came back",
        result.map(|reply| show(&reply)),
    )?;
    server.finish()?;

    // 3바이트만 돌려주고 붙들고 있는 서버 · a server that echoes 3 bytes and holds the line
    let server = TestServer::start(Manner::FirstThreeThenHold)?;
    let addr = server.addr;
    let (result, took) = timed(
        "call_exact(addr, \"안녕!\", 300 ms) to a server that echoes 3 bytes and holds the line",
        PATIENCE,
        move || call_exact(addr, "안녕!".as_bytes(), SHORT),
    )?;
    expect_error(
        "call_exact(addr, \"안녕!\", 300 ms) to a server that echoes only the first 3 bytes \
         and keeps the line open",
        "an error once the read times out",
        result.map(|reply| show(&reply)),
    )?;
    expect_about_short(
        "how long call_exact(addr, \"안녕!\", 300 ms) took to give up",
        took,
    )?;
    server.finish()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 4.3

type CallCounting = fn(SocketAddr, &[u8], Duration) -> anyhow::Result<(Vec<u8>, usize)>;

/// 한 통 걸고 (답, 읽은 횟수)를 받습니다 · One call; the reply and the count.
fn counted(
    call_counting_reads: CallCounting,
    server: &TestServer,
    message: &[u8],
    what: &str,
) -> Result<(Vec<u8>, usize), Failure> {
    let addr = server.addr;
    let message = message.to_vec();
    within(LIMIT, what, move || {
        call_counting_reads(addr, &message, PATIENCE)
    })?
    .map_err(|e| fail(what, "Ok((the reply, the number of reads))", e))
}

fn check_4_3(code: Code) -> Outcome {
    let call_counting_reads: CallCounting = match code {
        Code::Yours => ch04_exercises::call_counting_reads,
        Code::Reference => ch04_solutions::call_counting_reads,
    };

    // 1024바이트, 쉬고, 2바이트 · 1024 bytes, a pause, 2 bytes
    let whole = "가".repeat(342).into_bytes();
    let server = TestServer::start(Manner::Pieces(vec![
        whole[..1024].to_vec(),
        whole[1024..].to_vec(),
    ]))?;
    let (reply, reads) = counted(
        call_counting_reads,
        &server,
        &whole,
        "call_counting_reads(addr, 342 × \"가\", 5 s) to a server that replies with \
         1024 bytes, a pause, then 2 bytes",
    )?;
    expect(
        "the reply sent as 1024 bytes, a pause, then 2 bytes",
        reply == whole,
        "all 1026 bytes of 342 × \"가\"",
        show(&reply),
    )?;
    expect(
        "the number of reads for a reply sent as 1024 bytes, a pause, then 2 bytes",
        (2..=1026).contains(&reads),
        "from 2 to 1026: a 1024-byte buffer cannot take 1026 bytes in one read",
        reads,
    )?;
    server.finish()?;

    // 에코 서버: "안녕!", 그리고 빈 메시지 · an echo server: "안녕!", then an empty message
    let server = TestServer::start(Manner::Echo)?;
    let hello = "안녕!".as_bytes();
    let (reply, reads) = counted(
        call_counting_reads,
        &server,
        hello,
        "call_counting_reads(addr, \"안녕!\", 5 s) to an echo server",
    )?;
    expect_eq("the echo of \"안녕!\"", show(hello), show(&reply))?;
    expect(
        "the number of reads for the echo of \"안녕!\" (7 bytes)",
        (1..=7).contains(&reads),
        "from 1 to 7: at least one read, and each read brings at least one byte",
        reads,
    )?;
    let (reply, reads) = counted(
        call_counting_reads,
        &server,
        b"",
        "call_counting_reads(addr, b\"\", 5 s) to an echo server",
    )?;
    expect_eq("the echo of an empty message", show(b""), show(&reply))?;
    expect_eq(
        "the number of reads for an empty reply (the final 0-byte read does not count)",
        0,
        reads,
    )?;
    server.finish()?;

    // 끊지 않는 서버 · a server that never hangs up
    let server = TestServer::start(Manner::EchoAndHold)?;
    let addr = server.addr;
    let (result, took) = timed(
        "call_counting_reads(addr, \"안녕!\", 300 ms) to a server that never hangs up",
        PATIENCE,
        move || call_counting_reads(addr, "안녕!".as_bytes(), SHORT),
    )?;
    expect_error(
        "call_counting_reads(addr, \"안녕!\", 300 ms) to an echo server that never hangs up",
        "an error once a read times out (the reply is not complete until the server hangs up)",
        result.map(|(reply, reads)| (show(&reply), reads)),
    )?;
    expect_about_short(
        "how long call_counting_reads(addr, \"안녕!\", 300 ms) took to give up",
        took,
    )?;
    server.finish()?;
    Ok(())
}
