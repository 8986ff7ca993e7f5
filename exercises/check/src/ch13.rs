//! 13장 연습 문제 검사 · Checks for chapter 13.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ch13_solutions::{
    Socket, State, list_sockets, on_port, parse_table, quiet_listener, walk_through_a_call,
};

use crate::{Code, Exercise, Failure, Outcome, PATIENCE, expect_eq, fail, within};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "13.1",
        title: "TIME_WAIT 세기 · Count the reserved lines",
        file: "exercises/ch13/src/lib.rs",
        function: "time_waits",
        check: check_13_1,
    },
    Exercise {
        id: "13.2",
        title: "번갈아 걸기 · Take turns between families",
        file: "exercises/ch13/src/lib.rs",
        function: "interleave",
        check: check_13_2,
    },
];

/// 포트 9999(270F)의 리슨 소켓, 통화 하나, TIME_WAIT 둘, 그리고 다른 포트의 TIME_WAIT 하나.
/// Port 9999 (270F): a listener, one call, two TIME_WAITs; and one TIME_WAIT on another port.
const SAMPLE: &str = "\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:270F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0
   1: 0100007F:270F 0100007F:D432 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1
   2: 0100007F:D432 0100007F:270F 01 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 20 4 30 10 -1
   3: 0100007F:D431 0100007F:270F 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 0
   4: 0100007F:270F 0100007F:D430 06 00000000:00000000 03:00001500 00000000     0        0 0 3 0
   5: 0100007F:D433 0100007F:1F90 06 00000000:00000000 03:00001600 00000000     0        0 0 3 0
";

type Count = fn(&[Socket], u16) -> usize;

fn count_once(count: Count, sockets: &[Socket], port: u16, what: &str) -> Result<usize, Failure> {
    let sockets = sockets.to_vec();
    within(PATIENCE, what, move || count(&sockets, port))
}

fn check_13_1(code: Code) -> Outcome {
    let count: Count = match code {
        Code::Yours => ch13_exercises::time_waits,
        Code::Reference => ch13_solutions::time_waits,
    };
    let sample = parse_table(SAMPLE).map_err(|e| fail("read the sample table", "it reads", e))?;
    for (port, expected) in [(9999, 2), (8080, 1), (1234, 0)] {
        let what = format!("your function on a sample table, port {port}");
        let got = count_once(count, &sample, port, &what)?;
        expect_eq(&what, expected, got)?;
    }
    if cfg!(target_os = "linux") {
        real_time_waits(count)?;
    }
    Ok(())
}

/// 진짜로: 발신자가 먼저 끊는 통화 세 번 → 발신자 쪽 TIME_WAIT 셋.
/// For real: three calls the caller hangs up first → three TIME_WAITs on the callers' side.
fn real_time_waits(count: Count) -> Outcome {
    let listener =
        quiet_listener().map_err(|e| fail("bind 127.0.0.1:0", "a port no other socket uses", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| fail("local_addr", "an address", e))?
        .port();
    let mut callers = Vec::new();
    for _ in 0..3 {
        let caller = walk_through_a_call(&listener, "안녕!".as_bytes(), |_| Ok(()))
            .map_err(|e| fail("a call that the caller hangs up first", "it ends", e))?;
        callers.push(caller);
    }
    let end = Instant::now() + PATIENCE;
    let mine = loop {
        let all = list_sockets().map_err(|e| fail("read /proc/net/tcp", "a listing", e))?;
        let mine = on_port(&all, port);
        let waiting = |caller: &SocketAddr| {
            mine.iter()
                .any(|s| s.state == State::TimeWait && s.local == *caller)
        };
        if callers.iter().all(waiting) {
            break mine;
        }
        if Instant::now() > end {
            return Err(fail(
                "wait for the 3 callers' TIME_WAITs",
                "they show in /proc/net/tcp",
                "they never did",
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let what = format!("your function on this machine's sockets after 3 calls to port {port}");
    expect_eq(&what, 3, count_once(count, &mine, port, &what)?)
}

fn check_13_2(code: Code) -> Outcome {
    let interleave: fn(&[SocketAddr]) -> Vec<SocketAddr> = match code {
        Code::Yours => ch13_exercises::interleave,
        Code::Reference => ch13_solutions::interleave,
    };
    let a = |text: &str| -> SocketAddr { text.parse().expect("a test address") };
    let (v6a, v6b, v6c) = (a("[::1]:9001"), a("[::1]:9002"), a("[::1]:9003"));
    let (v4a, v4b) = (a("127.0.0.1:9001"), a("127.0.0.1:9002"));
    let cases: Vec<(Vec<SocketAddr>, Vec<SocketAddr>)> = vec![
        (vec![v6a, v6b, v4a, v4b], vec![v6a, v4a, v6b, v4b]),
        (vec![v4a, v4b, v6a], vec![v4a, v6a, v4b]),
        (vec![v6a, v6b, v6c, v4a], vec![v6a, v4a, v6b, v6c]),
        (vec![v4a, v6a, v4b, v6b], vec![v4a, v6a, v4b, v6b]),
        (vec![v4a, v4b], vec![v4a, v4b]),
        (vec![v6a], vec![v6a]),
        (vec![], vec![]),
    ];
    for (given, expected) in cases {
        let what = format!("interleave({given:?})");
        let input = given.clone();
        let got = within(PATIENCE, &what, move || interleave(&input))?;
        expect_eq(&what, expected, got)?;
    }
    Ok(())
}
