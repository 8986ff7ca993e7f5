//! 2장 연습 문제 검사 · Checks for chapter 2.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::ops::RangeInclusive;

use crate::{Code, Exercise, Failure, Outcome, PATIENCE, dial, expect, expect_eq, fail, within};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "2.1",
        title: "첫 번째 빈 포트 · The first free port",
        file: "exercises/ch02/src/lib.rs",
        function: "first_free_port",
        check: check_2_1,
    },
    Exercise {
        id: "2.2",
        title: "4-튜플을 문자열로 · The 4-tuple as a string",
        file: "exercises/ch02/src/lib.rs",
        function: "four_tuple",
        check: check_2_2,
    },
    Exercise {
        id: "2.3",
        title: "(도전) 누가 먼저 끊었나 · (stretch) Who hung up first?",
        file: "exercises/ch02/src/lib.rs",
        function: "port_held_after_hang_up",
        check: check_2_3,
    },
];

type FirstFreePort = fn(RangeInclusive<u16>) -> Option<u16>;

/// 검사기가 쥐고 있는 연이은 포트들 · A block of consecutive ports the checker holds.
struct Block {
    low: u16,
    /// 번호 순서대로; 놓은 것은 None · In port order; None once released.
    listeners: Vec<Option<TcpListener>>,
}

impl Block {
    /// 연이은 포트 `size`개를 리스너로 쥡니다. 어떤 번호도 비어 있다고 가정하지 않고, 하나라도
    /// 실패하면 다른 곳에서 다시 합니다. 번호는 발신 번호 범위(리눅스 32768–60999) 아래에서 고릅니다:
    /// 그래야 검사기가 놓은 번호를 다른 프로그램의 나가는 통화가 가져가지 않습니다.
    /// Holds `size` consecutive ports with listeners. No number is assumed free: if any bind
    /// fails we start over elsewhere. The ports lie below the ephemeral range (Linux: 32768–60999),
    /// so no outgoing call of another program is given a port the checker has just released.
    fn hold(size: u16) -> Result<Block, Failure> {
        let start = 20_000 + (std::process::id() % 500) as u16 * 12;
        for low in (start..32_000).step_by(usize::from(size)).take(50) {
            let high = low + (size - 1);
            let mut listeners = Vec::new();
            for port in low..=high {
                match TcpListener::bind(("127.0.0.1", port)) {
                    Ok(listener) => listeners.push(Some(listener)),
                    Err(_) => break,
                }
            }
            if listeners.len() == usize::from(size) {
                return Ok(Block { low, listeners });
            }
        }
        Err(Failure {
            what: "the checker's own setup: hold a block of consecutive ports on 127.0.0.1".into(),
            expected: "to find one within 50 tries".into(),
            got: "every block had a port in use by another program; try again".into(),
        })
    }

    fn range(&self) -> RangeInclusive<u16> {
        let high = self.low + (self.listeners.len() as u16 - 1);
        self.low..=high
    }

    fn release(&mut self, port: u16) {
        self.listeners[usize::from(port - self.low)] = None;
    }

    /// 놓았던 번호를 다시 쥡니다: 곧바로 bind할 수 있어야 합니다.
    /// Takes a released port back: it must bind right away.
    fn take_back(&mut self, port: u16, what: &str) -> Outcome {
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            fail(
                what,
                "the port to be free again once first_free_port has returned (it must not \
                 hold any port)",
                e,
            )
        })?;
        self.listeners[usize::from(port - self.low)] = Some(listener);
        Ok(())
    }
}

fn ask(first_free_port: FirstFreePort, ports: RangeInclusive<u16>) -> Result<Option<u16>, Failure> {
    let call = format!("first_free_port({ports:?})");
    within(PATIENCE, &call, move || first_free_port(ports))
}

fn check_2_1(code: Code) -> Outcome {
    let first_free_port: FirstFreePort = match code {
        Code::Yours => ch02_exercises::first_free_port,
        Code::Reference => ch02_solutions::first_free_port,
    };
    let mut block = Block::hold(4)?;
    let range = block.range();
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| block.low + i);

    // 1. 모두 쥐고 있으면 빈 포트가 없습니다 · all held: nothing is free
    expect_eq(
        &format!(
            "step 1: first_free_port({range:?}) while the checker holds all four ports with listeners"
        ),
        None,
        ask(first_free_port, range.clone())?,
    )?;

    // 2. 하나만 놓으면 정확히 그 번호 · one released: exactly that port
    block.release(c);
    expect_eq(
        &format!(
            "step 2: first_free_port({range:?}) after the checker released {c} only ({a}, {b} \
             and {d} still held)"
        ),
        Some(c),
        ask(first_free_port, range.clone())?,
    )?;
    block.take_back(
        c,
        &format!("step 2: bind 127.0.0.1:{c} right after first_free_port returned it"),
    )?;

    // 3. 둘을 놓으면 낮은 쪽 · two released: the lower one
    block.release(d);
    block.release(b);
    expect_eq(
        &format!(
            "step 3: first_free_port({range:?}) after the checker released {b} and {d} ({a} and \
             {c} still held)"
        ),
        Some(b),
        ask(first_free_port, range.clone())?,
    )?;
    block.take_back(
        b,
        &format!("step 3: bind 127.0.0.1:{b} right after first_free_port returned it"),
    )?;
    block.take_back(
        d,
        &format!("step 3: bind 127.0.0.1:{d}, which first_free_port checked but did not return"),
    )?;

    // 4. 0은 포트가 아닙니다 · 0 is not a port
    expect_eq(
        "step 4: first_free_port(0..=0) (0 means \"pick one\", it is not a port)",
        None,
        ask(first_free_port, 0..=0)?,
    )
}

type FourTuple = fn(&TcpStream) -> io::Result<String>;

/// 학생의 four_tuple을 제한 시간 안에 부릅니다 · Calls four_tuple within the limit.
fn tuple_of(four_tuple: FourTuple, stream: &TcpStream, side: &str) -> Result<String, Failure> {
    let call = format!("four_tuple(the {side})");
    let stream = stream
        .try_clone()
        .map_err(|e| fail("try_clone", "a second handle", e))?;
    within(PATIENCE, &call, move || four_tuple(&stream))?
        .map_err(|e| fail(&call, "Ok(a string)", e))
}

fn check_2_2(code: Code) -> Outcome {
    let four_tuple: FourTuple = match code {
        Code::Yours => ch02_exercises::four_tuple,
        Code::Reference => ch02_solutions::four_tuple,
    };
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| fail("bind 127.0.0.1:0", "a listener", e))?;
    let server = listener
        .local_addr()
        .map_err(|e| fail("local_addr", "an address", e))?;
    let mut calls = Vec::new();
    for _ in 0..2 {
        let dialer = dial(server)?;
        let (accepted, _) = listener
            .accept()
            .map_err(|e| fail("accept", "to pick up the call", e))?;
        let caller = dialer
            .local_addr()
            .map_err(|e| fail("local_addr", "an address", e))?;
        calls.push((dialer, accepted, caller));
    }
    let (s_ip, s_port) = (server.ip(), server.port());

    let (dialer, accepted, caller) = &calls[0];
    let (c_ip, c_port) = (caller.ip(), caller.port());
    expect_eq(
        &format!(
            "four_tuple of the accepted side of a call to {server} from {caller} (2nd value: the \
             listener's port; 4th: the dialer's local_addr().port())"
        ),
        format!("({s_ip}, {s_port}, {c_ip}, {c_port})"),
        tuple_of(four_tuple, accepted, "accepted side")?,
    )?;
    expect_eq(
        "four_tuple of the dialing side of the same call (the same four values, with the two \
         (IP, port) pairs swapped)",
        format!("({c_ip}, {c_port}, {s_ip}, {s_port})"),
        tuple_of(four_tuple, dialer, "dialing side")?,
    )?;

    let (_, accepted, caller) = &calls[1];
    let (c_ip, c_port) = (caller.ip(), caller.port());
    let second = tuple_of(four_tuple, accepted, "second accepted call")?;
    expect_eq(
        &format!(
            "four_tuple of a second call accepted on the same listener, from {caller} (only the \
             4th value differs from the first call's)"
        ),
        format!("({s_ip}, {s_port}, {c_ip}, {c_port})"),
        second,
    )
}

type PortHeld = fn(bool) -> io::Result<bool>;

fn check_2_3(code: Code) -> Outcome {
    let port_held_after_hang_up: PortHeld = match code {
        Code::Yours => ch02_exercises::port_held_after_hang_up,
        Code::Reference => ch02_solutions::port_held_after_hang_up,
    };
    // TIME_WAIT가 어떻게 포트를 묶는지는 운영체제마다 다릅니다: 답은 리눅스에서만 봅니다.
    // How TIME_WAIT ties up a port differs between systems: the answers are checked on Linux.
    let linux = cfg!(target_os = "linux");
    for round in 1..=5 {
        for server_first in [true, false] {
            let call = format!("round {round} of 5: port_held_after_hang_up({server_first})");
            let answer = within(PATIENCE, &call, move || {
                port_held_after_hang_up(server_first)
            })?
            .map_err(|e| fail(&call, "Ok(true or false)", e))?;
            if !linux {
                continue;
            }
            let why = if server_first {
                "the server hung up first, so TIME_WAIT is on the server's port and the bind \
                 fails with AddrInUse"
            } else {
                "the dialing side hung up first, so TIME_WAIT is on its caller ID, not on the \
                 server's port, and the bind succeeds"
            };
            expect(
                &format!("{call}: {why}"),
                answer == server_first,
                &format!("Ok({server_first})"),
                format_args!("Ok({answer})"),
            )?;
        }
    }
    Ok(())
}
