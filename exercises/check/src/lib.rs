//! 연습 문제 검사기 · The exercise checker.
//!
//! Every exercise has a check that calls the student's function (in `exercises/chNN`) over real
//! loopback sockets and says what it expected and what happened. The same check runs on the
//! reference solution (in `solutions/chNN`), which must pass, and on the unmodified starting
//! point, which must fail: `tests/proof.rs` proves both, so no check can pass vacuously.

use std::fmt;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;

/// 어느 코드를 검사할지 · Whose code a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `exercises/chNN`: 학생이 고치는 코드 · what the student edits.
    Yours,
    /// `solutions/chNN`: 참고 해답 · the reference solution.
    Reference,
}

/// 연습 문제 하나 · One exercise.
#[derive(Debug)]
pub struct Exercise {
    /// "3.1"
    pub id: &'static str,
    /// "대문자 에코 · An uppercase echo"
    pub title: &'static str,
    /// 검사: 기대와 다르면 첫 번째 어긋남을 돌려줍니다 · the check: the first mismatch, if any.
    pub check: fn(Code) -> Outcome,
}

/// 검사 결과 · What a check found.
pub type Outcome = Result<(), Failure>;

/// 기대와 실제가 어긋난 곳 · Where expectation and reality parted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub what: String,
    pub expected: String,
    pub got: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.what)?;
        writeln!(f, "  기대 · expected: {}", self.expected)?;
        write!(f, "  실제 · got:      {}", self.got)
    }
}

/// 모든 연습 문제, 장 순서대로 · Every exercise, in chapter order.
pub fn exercises() -> Vec<&'static Exercise> {
    [
        ch01::EXERCISES,
        ch02::EXERCISES,
        ch03::EXERCISES,
        ch04::EXERCISES,
        ch05::EXERCISES,
        ch06::EXERCISES,
        ch07::EXERCISES,
        ch08::EXERCISES,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// "3.1" 하나, 또는 "3"이면 3장 전체 · One id ("3.1"), or a whole chapter ("3").
pub fn select(wanted: &str) -> Vec<&'static Exercise> {
    exercises()
        .into_iter()
        .filter(|e| e.id == wanted || e.id.split('.').next() == Some(wanted))
        .collect()
}

/// 같으면 통과, 다르면 무엇이 어긋났는지 · Pass if equal, else say what differs.
pub fn expect_eq<T: PartialEq + fmt::Debug>(what: &str, expected: T, got: T) -> Outcome {
    if expected == got {
        Ok(())
    } else {
        Err(Failure {
            what: what.into(),
            expected: format!("{expected:?}"),
            got: format!("{got:?}"),
        })
    }
}

/// 조건이 참이어야 합니다 · A condition that must hold.
pub fn expect(what: &str, holds: bool, expected: &str, got: impl fmt::Debug) -> Outcome {
    if holds {
        Ok(())
    } else {
        Err(Failure {
            what: what.into(),
            expected: expected.into(),
            got: format!("{got:?}"),
        })
    }
}

/// 검사 도중 일어난 오류를 실패로 바꿉니다 · Turns an error during a check into a failure.
pub fn fail(what: &str, expected: &str, error: impl fmt::Display) -> Failure {
    Failure {
        what: what.into(),
        expected: expected.into(),
        got: format!("error: {error:#}"),
    }
}

/// 다른 스레드에서 돌고 있는 학생 코드 · Student code running on another thread.
#[derive(Debug)]
pub struct Running<T> {
    what: String,
    result: mpsc::Receiver<T>,
    worker: thread::JoinHandle<()>,
}

/// 학생 코드를 다른 스레드에서 시작합니다 · Starts student code on another thread.
pub fn start<T: Send + 'static>(
    what: &str,
    run: impl FnOnce() -> T + Send + 'static,
) -> Running<T> {
    let (tx, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(run());
    });
    Running {
        what: what.into(),
        result,
        worker,
    }
}

impl<T> Running<T> {
    /// 제한 시간 안에 끝나기를 기다립니다. 패닉(todo! 포함)과 시간 초과는 실패입니다.
    /// Waits for it within a limit; a panic (todo! included) or a timeout is a failure,
    /// never a hung checker.
    pub fn wait(self, limit: Duration) -> Result<T, Failure> {
        let what = self.what;
        match self.result.recv_timeout(limit) {
            Ok(value) => Ok(value),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure {
                what,
                expected: format!("to return within {limit:?}"),
                got: "still running (waiting forever?)".into(),
            }),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let message = match self.worker.join() {
                    Err(panic) => panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                    Ok(()) => String::new(),
                };
                Err(Failure {
                    what,
                    expected: "to return".into(),
                    got: format!("panicked: {message}"),
                })
            }
        }
    }

    /// 아직 끝나지 않았는지 · Whether it is still running.
    pub fn is_running(&self) -> bool {
        !self.worker.is_finished()
    }
}

/// 학생 코드를 제한 시간 안에 돌립니다 · Runs student code within a time limit.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    run: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Failure> {
    start(what, run).wait(limit)
}

/// 검사에 쓰는 제한 시간 · The time limit used in checks.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// 127.0.0.1:0에 bind한 리스너 · A listener on 127.0.0.1, port chosen by the OS.
pub fn loopback_listener() -> Result<(TcpListener, SocketAddr), Failure> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| fail("bind 127.0.0.1:0", "a listener", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| fail("local_addr", "an address", e))?;
    Ok((listener, addr))
}

/// 전화를 걸고, 읽기 제한 시간을 겁니다 · Dials, with a read timeout.
pub fn dial(addr: SocketAddr) -> Result<TcpStream, Failure> {
    let stream = TcpStream::connect_timeout(&addr, PATIENCE)
        .map_err(|e| fail(&format!("dial {addr}"), "the call to go through", e))?;
    stream
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("set_read_timeout", "ok", e))?;
    Ok(stream)
}

/// 보내고, "내 말은 끝"이라 하고, 끝까지 읽습니다 · Send, say "done", read to the end.
pub fn send_and_read_all(stream: &mut TcpStream, message: &[u8]) -> Result<Vec<u8>, Failure> {
    stream
        .write_all(message)
        .map_err(|e| fail("send", "to send the message", e))?;
    stream
        .shutdown(Shutdown::Write)
        .map_err(|e| fail("shutdown(Write)", "ok", e))?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).map_err(|e| {
        fail(
            "read the reply to the end",
            "the server to hang up after the reply",
            e,
        )
    })?;
    Ok(reply)
}

/// 연결을 리셋합니다 (SO_LINGER 0으로 닫기) · Resets a connection (close with SO_LINGER 0).
pub fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// 사람이 읽을 바이트 표시: 비교할 수 있고, 따옴표 없이 찍힙니다.
/// Bytes shown for people: comparable, printed as is.
#[derive(Clone, PartialEq, Eq)]
pub struct Shown(String);

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 바이트를 읽기 쉽게 (긴 것은 줄여서) · Bytes for people, long runs shortened.
pub fn show(bytes: &[u8]) -> Shown {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() > 60 {
        let head: String = text.chars().take(24).collect();
        Shown(format!("{head:?}… ({} bytes)", bytes.len()))
    } else {
        Shown(format!("{text:?} ({} bytes)", bytes.len()))
    }
}
