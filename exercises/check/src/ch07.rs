//! 7장 연습 문제 검사 · Checks for chapter 7.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ch07_exercises::{Log, Switchboard};

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, dial, expect, expect_eq, fail, loopback_listener,
    reset, send_and_read_all, show, start,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "7.1",
        title: "통화 수 세기 · Counting the calls",
        file: "exercises/ch07/src/lib.rs",
        function: "serve_counting",
        check: check_7_1,
    },
    Exercise {
        id: "7.2",
        title: "통화 전체의 제한 시간 · A time limit for the whole call",
        file: "exercises/ch07/src/lib.rs",
        function: "echo_within",
        check: check_7_2,
    },
    Exercise {
        id: "7.3",
        title: "(도전) 영업 끝 · (stretch) Closing time",
        file: "exercises/ch07/src/lib.rs",
        function: "serve_then_close",
        check: check_7_3,
    },
];

/// 검사에 쓰는 교환대: 기록은 버리고, 말없는 사람은 오래 기다려 줍니다.
/// The switchboard the checks use: the log goes nowhere, silent callers may wait long.
fn switchboard() -> Switchboard {
    Switchboard::new(Log::new(std::io::sink()), Duration::from_secs(60))
}

/// `check`가 `within` 안에 참이 되는지 · Whether `check` holds within `within`.
fn becomes(within: Duration, check: impl Fn() -> bool) -> bool {
    let end = Instant::now() + within;
    loop {
        if check() {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// 말을 하고 에코를 받은 채 끊지 않는 사람 · A caller who talks, hears the echo, and stays.
fn caller_on_the_line(addr: SocketAddr) -> Result<TcpStream, Failure> {
    let mut caller = dial(addr)?;
    caller
        .write_all(b"hi")
        .map_err(|e| fail("a caller says hi", "ok", e))?;
    let mut echo = [0u8; 2];
    caller
        .read_exact(&mut echo)
        .map_err(|e| fail("a caller waits for the echo of hi", "the echo", e))?;
    Ok(caller)
}

type ServeCounting = fn(&TcpListener, &Switchboard, Arc<AtomicUsize>) -> anyhow::Result<()>;

fn check_7_1(code: Code) -> Outcome {
    let serve_counting: ServeCounting = match code {
        Code::Yours => ch07_exercises::serve_counting,
        Code::Reference => ch07_solutions::serve_counting,
    };
    let (listener, addr) = loopback_listener()?;
    let served = Arc::new(AtomicUsize::new(0));
    let board = switchboard();
    let running = {
        let (served, board) = (Arc::clone(&served), board.clone());
        start("serve_counting", move || {
            serve_counting(&listener, &board, served)
        })
    };
    let count = || served.load(Ordering::SeqCst);

    // 세 통을 차례로 · three calls, one after another
    for message in ["하나 · one", "둘 · two", "셋 · three"] {
        let reply = send_and_read_all(&mut dial(addr)?, message.as_bytes())?;
        expect_eq("the echo", show(message.as_bytes()), show(&reply))?;
    }
    expect(
        "`served` after 3 calls have ended",
        becomes(PATIENCE, || count() == 3),
        "3",
        count(),
    )?;
    drop(running);

    // 아직 끝나지 않은 통화는 세지 않습니다 · a call still going on does not count yet.
    let staying = caller_on_the_line(addr)?;
    let early = becomes(Duration::from_millis(300), || count() != 3);
    expect(
        "the count while a fourth call is still going on",
        !early,
        "3: only calls that have ended count",
        count(),
    )?;

    // 다섯이 한꺼번에 · five at once
    let five: Vec<_> = (0..5)
        .map(|i| {
            thread::spawn(move || -> Result<bool, Failure> {
                let message = format!("{i}번째 · caller {i}");
                let reply = send_and_read_all(&mut dial(addr)?, message.as_bytes())?;
                Ok(reply == message.as_bytes())
            })
        })
        .collect();
    for caller in five {
        let echoed = caller
            .join()
            .map_err(|_| fail("five callers at once", "no panic", "a caller panicked"))??;
        expect(
            "five callers at once",
            echoed,
            "each hears its own words",
            "someone heard other words",
        )?;
    }
    expect(
        "the count after 5 more calls have ended (one call still going on)",
        becomes(PATIENCE, || count() == 8),
        "8",
        count(),
    )?;

    // 리셋으로 끝난 통화도 끝난 통화입니다 · a call that ends with a reset has ended too.
    reset(caller_on_the_line(addr)?);
    expect(
        "the count after a caller reset the connection",
        becomes(PATIENCE, || count() == 9),
        "9",
        count(),
    )?;
    drop(staying);
    expect(
        "the count after the fourth caller finally hung up",
        becomes(PATIENCE, || count() == 10),
        "10",
        count(),
    )
}

type EchoWithin = fn(&mut TcpStream, Duration) -> anyhow::Result<u64>;

/// 한 통을 받아 학생의 함수에 넘깁니다 · Takes one call and hands it to the student's function.
fn answer_within(
    echo_within: EchoWithin,
    limit: Duration,
) -> Result<(SocketAddr, crate::Running<anyhow::Result<u64>>), Failure> {
    let (listener, addr) = loopback_listener()?;
    let running = start("echo_within", move || {
        let (mut call, _) = listener.accept().expect("accept a loopback call");
        echo_within(&mut call, limit)
    });
    Ok((addr, running))
}

fn check_7_2(code: Code) -> Outcome {
    let echo_within: EchoWithin = match code {
        Code::Yours => ch07_exercises::echo_within,
        Code::Reference => ch07_solutions::echo_within,
    };

    // 보통의 통화 · an ordinary call
    let (addr, running) = answer_within(echo_within, PATIENCE)?;
    let reply = send_and_read_all(&mut dial(addr)?, "안녕!".as_bytes())?;
    expect_eq("the echo of 안녕!", show("안녕!".as_bytes()), show(&reply))?;
    let echoed = running
        .wait(PATIENCE)?
        .map_err(|e| fail("echo_within after the caller hung up", "Ok(7)", e))?;
    expect_eq("what echo_within returns after echoing 안녕!", 7, echoed)?;

    // 50ms마다 한 바이트씩 4초 동안 흘리는 사람 · a caller who drips a byte every 50 ms for 4 s
    let limit = Duration::from_millis(500);
    let (addr, running) = answer_within(echo_within, limit)?;
    let mut dripper = dial(addr)?;
    let stop = Arc::new(AtomicBool::new(false));
    let drips = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let started = Instant::now();
            let mut sent = 0u64;
            while !stop.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(4) {
                if dripper.write_all(b".").is_err() {
                    break;
                }
                sent += 1;
                thread::sleep(Duration::from_millis(50));
            }
            sent
        })
    };
    let result = running.wait(Duration::from_millis(2500));
    stop.store(true, Ordering::SeqCst);
    let sent = drips.join().unwrap_or_default();
    let echoed = result
        .map_err(|f| Failure {
            what: "echo_within(limit 500 ms) with a caller who sends a byte every 50 ms".into(),
            ..f
        })?
        .map_err(|e| fail("echo_within with a dripping caller", "Ok", e))?;
    expect(
        "the bytes echo_within echoed to the dripping caller before its limit",
        echoed >= 1 && echoed <= sent,
        &format!("at least 1 and at most the {sent} bytes sent"),
        echoed,
    )?;

    // 아무 말 없는 사람 · a caller who says nothing
    let (addr, running) = answer_within(echo_within, Duration::from_millis(300))?;
    let silent = dial(addr)?;
    let echoed = running
        .wait(Duration::from_secs(2))?
        .map_err(|e| fail("echo_within with a silent caller", "Ok(0)", e))?;
    drop(silent);
    expect_eq("what echo_within returns for a silent caller", 0, echoed)?;

    // 보내기만 하고 읽지 않는 사람 · a caller who sends and never reads
    let (addr, running) = answer_within(echo_within, limit)?;
    let mut flood = dial(addr)?;
    let flooding = thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..1024 {
            if flood.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let result = running
        .wait(Duration::from_millis(2500))
        .map_err(|f| Failure {
            what: "echo_within(limit 500 ms) with a caller who sends and never reads".into(),
            ..f
        });
    let _ = flooding.join();
    result?.map_err(|e| fail("echo_within with a caller who never reads", "Ok", e))?;
    Ok(())
}

type ServeThenClose = fn(&TcpListener, usize, usize, &Switchboard) -> anyhow::Result<()>;

fn check_7_3(code: Code) -> Outcome {
    let serve_then_close: ServeThenClose = match code {
        Code::Yours => ch07_exercises::serve_then_close,
        Code::Reference => ch07_solutions::serve_then_close,
    };
    // 통화 0통: 곧바로 문을 닫습니다 · zero calls: closes at once
    let (listener, _) = loopback_listener()?;
    let board = switchboard();
    start("serve_then_close(2 workers, 0 calls)", move || {
        serve_then_close(&listener, 2, 0, &board)
    })
    .wait(PATIENCE)?
    .map_err(|e| fail("serve_then_close(2 workers, 0 calls)", "Ok", e))?;

    // 작업 스레드 둘, 통화 넷 · two workers, four calls
    let (listener, addr) = loopback_listener()?;
    let board = switchboard();
    let running = {
        let board = board.clone();
        start("serve_then_close(2 workers, 4 calls)", move || {
            serve_then_close(&listener, 2, 4, &board)
        })
    };
    let first = caller_on_the_line(addr)?;
    let second = caller_on_the_line(addr)?;
    expect_eq(
        "live calls with the first two callers on the line",
        2,
        board.live.now(),
    )?;
    // 셋째와 넷째는 두 작업 스레드를 기다립니다 · the third and fourth wait for the two workers.
    let later: Vec<_> = ["셋째 · third", "넷째 · fourth"]
        .into_iter()
        .map(|message| {
            let mut caller = dial(addr)?;
            caller
                .write_all(message.as_bytes())
                .map_err(|e| fail("a waiting caller talks", "ok", e))?;
            Ok((caller, message))
        })
        .collect::<Result<_, Failure>>()?;
    thread::sleep(Duration::from_millis(300));
    expect(
        "serve_then_close after taking its 4 calls, while they are still going on",
        running.is_running(),
        "to keep going until every call has ended",
        "it returned while calls were still going on",
    )?;

    drop(first);
    drop(second);
    for (mut caller, message) in later {
        let reply = send_and_read_all(&mut caller, b"")?;
        expect_eq(
            "a waiting caller's echo, once the first two hung up",
            show(message.as_bytes()),
            show(&reply),
        )?;
    }
    running
        .wait(PATIENCE)
        .map_err(|f| Failure {
            what: "serve_then_close(2 workers, 4 calls) after its 4 callers hung up".into(),
            ..f
        })?
        .map_err(|e| fail("serve_then_close(2 workers, 4 calls)", "Ok", e))?;
    expect_eq(
        "live calls when serve_then_close returned",
        0,
        board.live.now(),
    )
}
