//! 책의 모든 프로그램이 같은 명령줄 규칙을 지킵니다 · Every program in the book keeps the same
//! command-line rules (the `cli` crate):
//!
//! - `-h`/`--help`: the usage, Korean line then English, exit 0;
//! - a wrong argument, or one that is not UTF-8: what was wrong, then the usage, exit 2;
//! - a failure: `오류 · error: …` and its causes, exit 1, and no backtrace even with
//!   `RUST_BACKTRACE=1`;
//! - an argument shaped like `IP:PORT` is the address wherever it stands, never a message.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use book_checks::{DEADLINE, binary, example, free_port, loopback};

/// 프로그램 하나가 실패하는 방법 · How a program is made to fail.
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// 서버: 이미 쓰이는 주소 · a server given an address already in use
    InUse,
    /// UDP 서버: UDP로 이미 쓰이는 주소 · a UDP server given an address whose UDP port is in use
    UdpInUse,
    /// 클라이언트: 아무도 없는 포트 · a client dialing a port where nothing listens
    Refused,
    /// 출력을 쓸 수 없음(/dev/full) · output that cannot be written (/dev/full)
    FullOutput,
}

/// 책의 프로그램 하나 · One program of the book.
#[derive(Debug)]
struct Program {
    name: &'static str,
    path: PathBuf,
    /// 주소 앞에 오는 인수 · the arguments before the address, in a run that fails
    words: &'static [&'static str],
    failure: Failure,
    /// (잘못된 인수, 오류에 나와야 할 말) · (wrong arguments, what the error must say)
    wrong: &'static [(&'static [&'static str], &'static str)],
}

fn programs() -> Vec<Program> {
    use Failure::*;
    let bin = |name: &'static str, words, failure, wrong| Program {
        name,
        path: binary(name),
        words,
        failure,
        wrong,
    };
    const NOT_AN_ADDRESS: &[(&[&str], &str)] = &[(&["localhost"], "is not an address (IP:PORT")];
    vec![
        bin("ch01_socket", &[], InUse, NOT_AN_ADDRESS),
        bin(
            "ch02_port",
            &["demo"],
            FullOutput,
            &[
                (&["70000"], "is not a port"),
                (&["9999", "demo"], "unexpected argument \"demo\""),
                (&["127.0.0.1:9999"], "takes no address"),
            ],
        ),
        bin("ch03_server", &[], InUse, NOT_AN_ADDRESS),
        bin(
            "ch04_client",
            &["안녕"],
            Refused,
            &[(&["안녕", "잘 가"], "unexpected argument \"잘 가\"")],
        ),
        bin("ch05_byte_stream", &[], InUse, NOT_AN_ADDRESS),
        bin(
            "ch06_framing",
            &["frames"],
            InUse,
            &[(&["framez"], "is not a protocol")],
        ),
        bin(
            "ch06_client",
            &["frames", "안녕!"],
            Refused,
            &[
                (&["framez", "안녕!"], "is not a protocol"),
                (&["lines", "--to"], "--to needs an address"),
            ],
        ),
        bin(
            "ch07_threads",
            &["pool"],
            InUse,
            &[(&["bogus"], "unknown mode \"bogus\"")],
        ),
        bin(
            "hold",
            &["1"],
            Refused,
            &[(&["x"], "is not a number of calls")],
        ),
        bin("ch08_chat", &[], InUse, NOT_AN_ADDRESS),
        bin(
            "chat_client",
            &["민수"],
            Refused,
            &[(&["민수", "철수"], "unexpected argument \"철수\"")],
        ),
        bin("ch09_udp", &[], UdpInUse, NOT_AN_ADDRESS),
        bin(
            "ch09_client",
            &["안녕!"],
            Refused,
            &[(&["안녕!", "잘 가"], "unexpected argument \"잘 가\"")],
        ),
        bin(
            "ch10_errors",
            &[],
            InUse,
            &[(&["0"], "is not a number of seconds")],
        ),
        bin(
            "ch10_failures",
            &[],
            FullOutput,
            &[(&["x"], "unexpected argument \"x\"")],
        ),
        bin(
            "ch11_async",
            &[],
            InUse,
            &[(&["0"], "is not a number of seconds")],
        ),
        bin(
            "ch13_observe",
            &["call"],
            InUse,
            &[
                (&["nine"], "a port is a number"),
                (&["call", "x"], "unexpected argument \"x\""),
                (&["9999", "127.0.0.1:9999"], "only call takes an address"),
                (&["resolve", "localhost", "x"], "a port is a number"),
            ],
        ),
        Program {
            name: "writes_and_reads",
            path: example("writes_and_reads"),
            words: &[],
            failure: FullOutput,
            wrong: &[(&["x"], "unexpected argument \"x\"")],
        },
        Program {
            name: "echo_stall",
            path: example("echo_stall"),
            words: &[],
            failure: Refused,
            wrong: &[(&["soon"], "is not a number of seconds")],
        },
    ]
}

/// 끝난 프로그램 · A program that has exited.
#[derive(Debug)]
struct Exited {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// 프로그램을 `RUST_BACKTRACE=1`로 돌리고 끝나기를 기다립니다 (기한 있음).
/// Runs a program with `RUST_BACKTRACE=1` and waits (with a deadline) for it to exit.
fn exec(program: &Program, args: &[OsString], stdout: Stdio) -> Exited {
    let mut child = Command::new(&program.path)
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", program.name));
    let collect = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).expect("read the output");
            }
            String::from_utf8(bytes).expect("the output is UTF-8")
        })
    };
    let out = collect(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = collect(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let end = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} {args:?} did not exit within {DEADLINE:?}", program.name);
        }
        thread::sleep(Duration::from_millis(10));
    };
    Exited {
        code: status.code(),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

fn strings(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// 사용법: 한국어 줄, 그다음 영어 줄, 프로그램 이름과 함께 · the usage: a Korean line, then an
/// English one, both naming the program.
fn assert_usage(program: &Program, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.starts_with("사용법: "))
        .unwrap_or_else(|| panic!("{}: no usage in {text:?}", program.name));
    let english = lines.get(at + 1).copied().unwrap_or_default();
    assert!(english.starts_with("usage:  "), "{}: {text}", program.name);
    assert!(
        lines[at].contains(program.name) && english.contains(program.name),
        "{}: {text}",
        program.name
    );
}

fn assert_no_panic_or_backtrace(program: &Program, exited: &Exited) {
    for said in [&exited.stdout, &exited.stderr] {
        assert!(
            !said.contains("panicked") && !said.contains("stack backtrace"),
            "{}: {said}",
            program.name
        );
    }
}

#[test]
fn every_program_answers_help_in_both_languages_and_exits_0() {
    for program in programs() {
        for flag in ["-h", "--help"] {
            // 다른 인수가 있어도 도움말이 먼저입니다 · help wins over any other argument.
            for args in [vec![flag], vec!["127.0.0.1:1", flag]] {
                let exited = exec(&program, &strings(&args), Stdio::piped());
                assert_eq!(
                    exited.code,
                    Some(0),
                    "{} {args:?}: {exited:?}",
                    program.name
                );
                assert_usage(&program, &exited.stdout);
                assert_eq!(exited.stderr, "", "{}", program.name);
            }
        }
    }
}

#[test]
fn a_wrong_argument_says_what_was_wrong_then_the_usage_and_exits_2() {
    for program in programs() {
        let common: &[(&[&str], &str)] = &[
            (&["--verbose"], "unknown option \"--verbose\""),
            (&["localhost:9999"], "did you mean 127.0.0.1:9999?"),
            (&["127.0.0.1"], "has no port"),
            (&["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:1"),
        ];
        for (args, says) in common.iter().chain(program.wrong) {
            let exited = exec(&program, &strings(args), Stdio::piped());
            assert_eq!(
                exited.code,
                Some(2),
                "{} {args:?}: {exited:?}",
                program.name
            );
            assert!(
                exited.stderr.starts_with("오류 · error: ") && exited.stderr.contains(says),
                "{} {args:?} should say {says:?}: {}",
                program.name,
                exited.stderr
            );
            assert_usage(&program, &exited.stderr);
            assert_eq!(exited.stdout, "", "{} {args:?}", program.name);
            assert_no_panic_or_backtrace(&program, &exited);
        }
    }
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_gets_a_clear_answer_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    for program in programs() {
        let args = [OsStr::from_bytes(b"\xff").to_os_string()];
        let exited = exec(&program, &args, Stdio::piped());
        assert_eq!(exited.code, Some(2), "{}: {exited:?}", program.name);
        assert!(
            exited.stderr.starts_with("오류 · error: ")
                && exited
                    .stderr
                    .contains("the argument \"\\xFF\" is not UTF-8 text"),
            "{}: {}",
            program.name,
            exited.stderr
        );
        assert_usage(&program, &exited.stderr);
        assert_no_panic_or_backtrace(&program, &exited);
    }
}

#[test]
fn a_failure_is_explained_in_both_languages_without_a_backtrace_and_exits_1() {
    for program in programs() {
        // 서버에게는 쓰이는 주소를, 클라이언트에게는 아무도 없는 주소를 줍니다.
        // A server gets an address in use; a client, an address where nothing listens.
        let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
        let taken_udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind UDP");
        let addr = match program.failure {
            Failure::InUse => taken.local_addr().expect("addr").to_string(),
            Failure::UdpInUse => taken_udp.local_addr().expect("addr").to_string(),
            Failure::Refused | Failure::FullOutput => loopback(free_port()),
        };
        let mut args = strings(program.words);
        let stdout = match program.failure {
            Failure::FullOutput if cfg!(target_os = "linux") => {
                Stdio::from(std::fs::File::create("/dev/full").expect("open /dev/full"))
            }
            // /dev/full이 없는 곳에서는 건너뜁니다 · skipped where there is no /dev/full
            Failure::FullOutput => continue,
            _ => {
                args.push(addr.into());
                Stdio::piped()
            }
        };
        let exited = exec(&program, &args, stdout);
        assert_eq!(
            exited.code,
            Some(1),
            "{} {args:?}: {exited:?}",
            program.name
        );
        let first = exited.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("오류 · error: ") && first.contains(" · "),
            "{}: {}",
            program.name,
            exited.stderr
        );
        for line in exited.stderr.lines().skip(1) {
            assert!(
                line.starts_with("  원인 · because: "),
                "{}: {}",
                program.name,
                exited.stderr
            );
        }
        assert_no_panic_or_backtrace(&program, &exited);
        assert!(!exited.stderr.contains("usage:"), "{}", program.name);
        drop(taken);
        drop(taken_udp);
    }
}

/// 한 통을 받아 들은 것을 돌려주고, 들은 바이트를 돌려받습니다.
/// Takes one call, echoes what it hears, and hands back the bytes it heard.
fn echo_once() -> (SocketAddr, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = thread::spawn(move || {
        let (mut call, _) = listener.accept().expect("accept");
        call.set_read_timeout(Some(DEADLINE)).expect("timeout");
        let mut heard = Vec::new();
        let mut chunk = [0; 4096];
        loop {
            match call.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    heard.extend_from_slice(&chunk[..n]);
                    if call.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        heard
    });
    (addr, server)
}

#[test]
fn an_argument_shaped_like_an_address_is_dialed_wherever_it_stands() {
    let client = |name: &'static str| Program {
        name,
        path: binary(name),
        words: &[],
        failure: Failure::Refused,
        wrong: &[],
    };
    let ch04 = client("ch04_client");
    // 주소만: 메시지가 아니라 주소입니다 (기본 메시지 "안녕!") · only an address: it is dialed,
    // not sent (the default message "안녕!" is).
    let (addr, server) = echo_once();
    let exited = exec(&ch04, &strings(&[&addr.to_string()]), Stdio::piped());
    assert_eq!(exited.code, Some(0), "{exited:?}");
    assert_eq!(server.join().expect("server"), "안녕!".as_bytes());
    // 주소가 앞에, 메시지가 뒤에 · the address first, the message after it
    let (addr, server) = echo_once();
    let exited = exec(
        &ch04,
        &strings(&[&addr.to_string(), "여보세요"]),
        Stdio::piped(),
    );
    assert_eq!(exited.code, Some(0), "{exited:?}");
    assert_eq!(server.join().expect("server"), "여보세요".as_bytes());
    // 6장 클라이언트, --to 없이 · chapter 6's client, without --to
    let (addr, server) = echo_once();
    let ch06 = client("ch06_client");
    let exited = exec(
        &ch06,
        &strings(&["frames", &addr.to_string()]),
        Stdio::piped(),
    );
    assert_eq!(exited.code, Some(0), "{exited:?}");
    let heard = server.join().expect("server");
    assert_eq!(heard, [&[0, 0, 0, 7][..], "안녕!".as_bytes()].concat());
}
