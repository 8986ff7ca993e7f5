//! 연습 문제 검사기 · The exercise checker.
//!
//! Every exercise has a check that calls the student's function (in `exercises/chNN`) over real
//! loopback sockets and says what it expected and what happened. The same check runs on the
//! reference solution (in `solutions/chNN`), which must pass, and on the unmodified starting
//! point, which must fail: `tests/proof.rs` proves both, so no check can pass vacuously.
//!
//! Checks run at the same time (`run_all`), so a check never assumes it is alone: it binds
//! `127.0.0.1:0` and keeps hold of what it uses. A starting point should fail at once where it
//! can (a wrong answer, an `Err`, a hang-up) rather than by running into a time limit.
//! A new exercise is registered in its chapter's `EXERCISES` with the file and function the
//! student edits; `tests/tests/exercises.rs` checks they exist.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError, mpsc};
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
pub mod ch09;
pub mod ch10;
pub mod ch11;
pub mod ch12;
pub mod ch13;

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
    /// 학생이 고칠 파일 · The file the student edits: "exercises/ch03/src/lib.rs"
    pub file: &'static str,
    /// 그 파일에서 고칠 함수 · The function to write in it: "echo_upper"
    pub function: &'static str,
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
        ch09::EXERCISES,
        ch10::EXERCISES,
        ch11::EXERCISES,
        ch12::EXERCISES,
        ch13::EXERCISES,
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

/// 명령줄의 이름들("3.1", "3", "all")을 연습 문제로 바꿉니다. 같은 것은 한 번만, 처음 나온
/// 순서대로. 모르는 이름이 하나라도 있으면 아무것도 검사하지 않고, 있는 이름들을 알려 줍니다.
/// Turns the command line's names ("3.1", "3", "all") into exercises, each once, in the order
/// first named. If any name is unknown, nothing is checked and the answer lists the known ids.
pub fn choose(wanted: &[String]) -> Result<Vec<&'static Exercise>, String> {
    let mut chosen: Vec<&'static Exercise> = Vec::new();
    let mut unknown = Vec::new();
    for name in wanted {
        let found = if name == "all" {
            exercises()
        } else {
            select(name)
        };
        if found.is_empty() {
            unknown.push(format!("{name:?}"));
        }
        for exercise in found {
            if !chosen.iter().any(|e| e.id == exercise.id) {
                chosen.push(exercise);
            }
        }
    }
    if unknown.is_empty() {
        return Ok(chosen);
    }
    let ids: Vec<&str> = exercises().iter().map(|e| e.id).collect();
    Err(format!(
        "그런 연습 문제가 없습니다 · no exercise {}\n\
         있는 연습 문제 · the exercises are: {}\n\
         장 번호(예: 3)는 그 장 전체, all은 전부입니다 · a chapter number (e.g. 3) checks that \
         chapter, all checks everything; `cargo run -p check` lists them with their titles",
        unknown.join(", "),
        ids.join(" "),
    ))
}

/// 요약 줄 · The summary line: "3개 통과, 1개 실패 · 3 passed, 1 failed".
pub fn summary(passed: usize, failed: usize) -> String {
    format!("{passed}개 통과, {failed}개 실패 · {passed} passed, {failed} failed")
}

/// 한꺼번에 도는 검사 수의 상한 · At most this many checks run at the same time.
pub const AT_ONCE: usize = 8;

/// 검사 하나가 통째로 걸릴 수 있는 시간: 검사 안의 제한 시간들을 모두 합한 것보다 깁니다.
/// 이보다 오래 걸리면 검사기가 멈춘 것이 아니라 실패로 알립니다.
/// The most one whole check may take, longer than all its own time limits together; past it,
/// the check is reported as a failure instead of stalling the checker.
pub const CHECK_LIMIT: Duration = Duration::from_secs(300);

/// 검사 하나를 돌립니다. 검사 안에서 패닉하거나 끝나지 않아도 실패로 돌아옵니다.
/// Runs one check; a panic in it, or a check that never ends, comes back as a failure.
pub fn run(exercise: &'static Exercise, code: Code) -> Outcome {
    run_within(exercise, code, CHECK_LIMIT)
}

/// `run`과 같되, 검사 전체의 제한을 정해서 · Like `run`, with a limit for the whole check.
pub fn run_within(exercise: &'static Exercise, code: Code, limit: Duration) -> Outcome {
    let check = exercise.check;
    let what = format!("the check of exercise {}", exercise.id);
    start(&what, move || check(code)).wait(limit)?
}

/// 검사들을 동시에(최대 `AT_ONCE`개씩) 돌립니다. 결과는 `chosen`의 순서대로 받는 수신기로
/// 돌아옵니다: 앞의 것을 기다리는 동안 뒤의 것들도 돌고 있습니다.
/// Runs the checks at the same time (`AT_ONCE` at most). The results come back through one
/// receiver per exercise, in the order of `chosen`: while you wait for one, the next ones run.
pub fn run_all(chosen: &[&'static Exercise], code: Code) -> Vec<mpsc::Receiver<Outcome>> {
    let (senders, receivers): (Vec<_>, Vec<_>) = chosen.iter().map(|_| mpsc::channel()).unzip();
    let queue: VecDeque<_> = chosen.iter().copied().zip(senders).collect();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..AT_ONCE.min(chosen.len()) {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            loop {
                let next = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop_front();
                let Some((exercise, done)) = next else { return };
                let _ = done.send(run(exercise, code));
            }
        });
    }
    receivers
}

/// 한 수신기의 결과를 기다립니다 · Waits for one result from `run_all`.
pub fn outcome(receiver: &mpsc::Receiver<Outcome>) -> Outcome {
    receiver.recv().unwrap_or_else(|_| {
        Err(Failure {
            what: "the checker".into(),
            expected: "a result for every check".into(),
            got: "the thread running this check stopped without one".into(),
        })
    })
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

// 검사 스레드의 패닉은 조용히: 메시지는 FAIL 칸에 나옵니다.
// Panics on check threads stay quiet: their message goes into the FAIL block.
thread_local! {
    /// 이 스레드가 학생 코드나 검사를 돌리는지 · Whether this thread runs a check or student code.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// 마지막 패닉의 위치 · Where the last panic on this thread happened.
    static PANICKED_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// 표시된 스레드가 아닌 곳의 패닉도 한 줄로 줄일지 · Shorten panics on other threads too.
static EVERYWHERE: AtomicBool = AtomicBool::new(false);

/// 패닉 훅을 한 번 설치합니다. 검사 스레드에서는 아무것도 찍지 않고 위치만 적어 둡니다. 다른
/// 스레드에서는 원래 훅을 부릅니다 (테스트의 실패 메시지가 그대로 보이도록).
/// Installs the panic hook once. On check threads it prints nothing and notes where; on other
/// threads it calls the previous hook (so a test's own failure still shows).
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| l.to_string());
            if QUIET.get() {
                PANICKED_AT.set(at);
            } else if EVERYWHERE.load(Ordering::SeqCst) {
                let at = at.map(|l| format!(" ({l})")).unwrap_or_default();
                eprintln!("  패닉 · panic{at}: {}", panic_message(info.payload()));
            } else {
                previous(info);
            }
        }));
    });
}

/// 검사기 명령이 부릅니다: 다른 스레드의 패닉도 백트레이스 없이 한 줄로 찍습니다.
/// For the checker command: a panic on any other thread is one line too, with no backtrace.
pub fn quiet_panics_everywhere() {
    install_quiet_hook();
    EVERYWHERE.store(true, Ordering::SeqCst);
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("")
}

/// 패닉을 사람의 말로: `todo!`면 "아직 작성하지 않았습니다".
/// A panic in words: a `todo!` is "not written yet".
pub fn describe_panic(message: &str, at: Option<&str>) -> String {
    let at = at.map(|l| format!(" ({l})")).unwrap_or_default();
    let todo = ["not yet implemented", "not implemented"]
        .iter()
        .find_map(|start| message.strip_prefix(start));
    match todo {
        Some(rest) => format!("아직 작성하지 않았습니다 · not written yet: todo!{at}{rest}"),
        None => format!("패닉 · panicked{at}: {message}"),
    }
}

/// 다른 스레드에서 돌고 있는 학생 코드 · Student code running on another thread.
#[derive(Debug)]
pub struct Running<T> {
    what: String,
    /// 값, 또는 패닉을 설명한 글 · The value, or a panic described.
    result: mpsc::Receiver<Result<T, String>>,
    worker: thread::JoinHandle<()>,
}

/// 학생 코드를 다른 스레드에서 시작합니다 · Starts student code on another thread.
pub fn start<T: Send + 'static>(
    what: &str,
    run: impl FnOnce() -> T + Send + 'static,
) -> Running<T> {
    install_quiet_hook();
    let (tx, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        QUIET.set(true);
        let value = panic::catch_unwind(AssertUnwindSafe(run)).map_err(|payload| {
            describe_panic(panic_message(&*payload), PANICKED_AT.take().as_deref())
        });
        let _ = tx.send(value);
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
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => Err(Failure {
                what,
                expected: "to return".into(),
                got: panic,
            }),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure {
                what,
                expected: format!("to return within {limit:?}"),
                got: "still running (waiting forever?)".into(),
            }),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure {
                what,
                expected: "to return".into(),
                got: "its thread ended without a value".into(),
            }),
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

/// 흔한 소켓 오류의 흔한 원인 · The usual cause of a common socket error.
pub fn usual_cause(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::ConnectionRefused => Some(
            "없는 번호: 그 주소에서 리슨하는 소켓이 없습니다. 보통은 함수가 할 일을 다 하기 전에 \
             돌아와서 리스너가 닫힌 것입니다 · number not in service: nothing is listening at that \
             address. Usually your function returned, and its listener closed, before it had \
             taken every call",
        ),
        ErrorKind::AddrInUse => Some(
            "그 포트는 이미 다른 소켓이 쓰고 있습니다. 보통은 아직 돌고 있는 다른 프로그램(전에 \
             띄운 서버)입니다 · another socket already holds that port. Usually another program \
             (a server you started earlier) is still running",
        ),
        ErrorKind::ConnectionReset => Some(
            "상대가 통화를 리셋했습니다. 보통은 읽지 않은 바이트를 남긴 채 소켓을 닫았거나, 대기 \
             중인 통화를 받지 않고 리스너를 닫은 것입니다 · the other side reset the call. Usually \
             it closed its socket with bytes left unread, or closed its listener with the call \
             still on hold",
        ),
        _ => None,
    }
}

/// 소켓 오류를 실패로 바꾸고, 흔한 원인을 덧붙입니다 · A socket error as a failure, with its
/// usual cause.
pub fn io_fail(what: &str, expected: &str, error: &io::Error) -> Failure {
    let mut failure = fail(what, expected, error);
    if let Some(cause) = usual_cause(error.kind()) {
        failure.got = format!("{}\n  원인? · why?    {cause}", failure.got);
    }
    failure
}

/// 127.0.0.1:0에 bind한 리스너 · A listener on 127.0.0.1, port chosen by the OS.
pub fn loopback_listener() -> Result<(TcpListener, SocketAddr), Failure> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| io_fail("bind 127.0.0.1:0", "a listener", &e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| fail("local_addr", "an address", e))?;
    Ok((listener, addr))
}

/// 전화를 걸고, 읽기 제한 시간을 겁니다 · Dials, with a read timeout.
pub fn dial(addr: SocketAddr) -> Result<TcpStream, Failure> {
    let stream = TcpStream::connect_timeout(&addr, PATIENCE)
        .map_err(|e| io_fail(&format!("dial {addr}"), "the call to go through", &e))?;
    stream
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| fail("set_read_timeout", "ok", e))?;
    Ok(stream)
}

/// 보내고, "내 말은 끝"이라 하고, 끝까지 읽습니다 · Send, say "done", read to the end.
pub fn send_and_read_all(stream: &mut TcpStream, message: &[u8]) -> Result<Vec<u8>, Failure> {
    stream
        .write_all(message)
        .map_err(|e| io_fail("send", "to send the message", &e))?;
    stream
        .shutdown(Shutdown::Write)
        .map_err(|e| io_fail("shutdown(Write)", "ok", &e))?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).map_err(|e| {
        io_fail(
            "read the reply to the end",
            "the server to hang up after the reply",
            &e,
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
