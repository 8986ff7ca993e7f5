//! 책의 모든 프로그램이 같은 방식으로 쓰는 명령줄 · The command line every program in the book
//! shares.
//!
//! - `-h`/`--help`는 사용법을 보이고 0으로 끝납니다 · `-h`/`--help` prints the usage, exit 0.
//! - 잘못된 인수는 무엇이 틀렸는지와 사용법을 보이고 2로 끝납니다 · a wrong argument prints what
//!   was wrong and the usage, exit 2.
//! - 프로그램의 오류는 두 언어로, 원인까지, 백트레이스 없이 보이고 1로 끝납니다 · a program's
//!   error prints in both languages with its causes and no backtrace, exit 1.
//!
//! 주소 규칙 · The address rule: an argument that parses as `IP:PORT` is the address, wherever it
//! stands; every other argument is a word (a mode, a message, a name, a number), in order. An
//! argument that only looks like an address (`localhost:9999`, `127.0.0.1`, `127.0.0.1:70000`) is
//! refused with a hint, so it is never sent as a message by mistake. Chapter 6's older spelling
//! `--to ADDR` is the same as `ADDR`.
//!
//! ```
//! let mut args = cli::Args::parse(["안녕", "127.0.0.1:47000"]).unwrap();
//! assert_eq!(args.addr_or("127.0.0.1:9999").unwrap().port(), 47000);
//! assert_eq!(args.word().unwrap().as_deref(), Some("안녕"));
//! args.finish().unwrap();
//! ```

use std::collections::VecDeque;
use std::error::Error;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

/// 잘못된 인수로 끝날 때의 종료 코드 · The exit code for a wrong argument.
pub const USAGE_EXIT: u8 = 2;

/// 프로그램이 오류로 끝날 때의 종료 코드 · The exit code when the program fails.
pub const FAILURE_EXIT: u8 = 1;

/// 인수가 잘못되었습니다(종료 코드 2) · A wrong argument (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(String);

impl UsageError {
    /// 무엇이 틀렸는지 한 줄로 · What was wrong, in one line (Korean · English).
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError(message.into())
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for UsageError {}

/// 명령줄 인수: 주소와 나머지 낱말 · The arguments: the address, and the other words in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    addrs: Vec<SocketAddr>,
    words: VecDeque<String>,
    takes_addr: bool,
}

impl Args {
    /// 인수를 읽습니다 (프로그램 이름은 빼고) · Reads the arguments (without the program name).
    pub fn parse<I>(args: I) -> Result<Args, UsageError>
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        let mut parsed = Args::default();
        let mut after_to = false;
        for arg in args {
            let arg = arg.as_ref();
            let text = arg.to_str().ok_or_else(|| {
                UsageError::new(format!(
                    "UTF-8 글자가 아닌 인수입니다 · the argument {arg:?} is not UTF-8 text"
                ))
            })?;
            // 6장의 예전 꼴 `--to ADDR`은 그냥 `ADDR`입니다 · chapter 6's older `--to ADDR`
            // is just `ADDR`.
            if std::mem::take(&mut after_to) && text.parse::<SocketAddr>().is_err() {
                return Err(to_needs_an_address());
            }
            if text == "--to" {
                after_to = true;
                continue;
            }
            match text.parse::<SocketAddr>() {
                Ok(addr) => parsed.addrs.push(addr),
                Err(_) => {
                    refuse_what_only_looks_like_an_address(text)?;
                    parsed.words.push_back(text.to_string());
                }
            }
        }
        if after_to {
            return Err(to_needs_an_address());
        }
        Ok(parsed)
    }

    /// 주소가 있으면 그 주소 · The address, if one was given. Two addresses are an error.
    pub fn addr(&mut self) -> Result<Option<SocketAddr>, UsageError> {
        self.takes_addr = true;
        match self.addrs.as_slice() {
            [first, second, ..] => Err(UsageError::new(format!(
                "주소는 하나만 받습니다 · two addresses, {first} and {second}: give one"
            ))),
            _ => Ok(self.addrs.pop()),
        }
    }

    /// 주소, 없으면 `default` · The address given, or `default`.
    pub fn addr_or(&mut self, default: &str) -> Result<SocketAddr, UsageError> {
        match self.addr()? {
            Some(addr) => Ok(addr),
            None => default.parse().map_err(|_| {
                UsageError::new(format!(
                    "기본 주소가 주소 형식이 아닙니다 · the default {default:?} is not IP:PORT"
                ))
            }),
        }
    }

    /// 주소가 아닌 다음 낱말 · The next word that is not the address, if any.
    pub fn word(&mut self) -> Result<Option<String>, UsageError> {
        match self.words.pop_front() {
            Some(word) if is_option(&word) => Err(unknown_option(&word)),
            word => Ok(word),
        }
    }

    /// 다음 낱말을 `parse`로 읽고, 없으면 `default` · The next word, read with `parse`; with no
    /// word left, `default`. A word that `parse` refuses is a usage error, with `parse`'s message.
    pub fn word_or<T, E: fmt::Display>(
        &mut self,
        default: T,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, UsageError> {
        match self.word()? {
            None => Ok(default),
            Some(word) => parse(&word).map_err(|error| UsageError::new(error.to_string())),
        }
    }

    /// 남은 낱말 전부 · All the words left.
    pub fn words(&mut self) -> Result<Vec<String>, UsageError> {
        let mut words = Vec::new();
        while let Some(word) = self.word()? {
            words.push(word);
        }
        Ok(words)
    }

    /// 아무것도 남지 않았는지 확인합니다 · Checks that nothing is left over.
    pub fn finish(mut self) -> Result<(), UsageError> {
        if let Some(addr) = self.addrs.first() {
            return Err(UsageError::new(format!(
                "이 프로그램은 주소를 받지 않습니다 · this program takes no address, but got {addr}"
            )));
        }
        match self.word()? {
            None => Ok(()),
            Some(word) => {
                let hint = match word.parse::<u16>() {
                    Ok(port) if self.takes_addr => format!(": did you mean 127.0.0.1:{port}?"),
                    _ if self.takes_addr => {
                        ": it is not an address (IP:PORT, like 127.0.0.1:9999)".into()
                    }
                    _ => String::new(),
                };
                Err(UsageError::new(format!(
                    "알 수 없는 인수입니다 · unexpected argument {word:?}{hint}"
                )))
            }
        }
    }
}

/// `-h`, `--bogus`는 옵션, `-1`은 아닙니다 · `-h` and `--bogus` are options; `-1` is not.
fn is_option(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next() == Some('-') && chars.next().is_some_and(|c| !c.is_ascii_digit())
}

fn to_needs_an_address() -> UsageError {
    UsageError::new("--to 뒤에 주소가 없습니다 · --to needs an address, like --to 127.0.0.1:9998")
}

fn unknown_option(word: &str) -> UsageError {
    UsageError::new(format!(
        "알 수 없는 옵션입니다 · unknown option {word:?} (-h shows the usage)"
    ))
}

/// 주소처럼 보이지만 주소가 아닌 것을 거절합니다 · Refuses what looks like an address but is not.
fn refuse_what_only_looks_like_an_address(text: &str) -> Result<(), UsageError> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        let meant = SocketAddr::new(ip, 9999);
        return Err(UsageError::new(format!(
            "포트가 빠졌습니다 · {text:?} has no port: did you mean {meant}?"
        )));
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Ok(());
    };
    let host_chars = |c: char| c.is_ascii_alphanumeric() || ".-[]:".contains(c);
    let named = host.eq_ignore_ascii_case("localhost");
    let looks_like_a_host = !host.is_empty()
        && host.chars().all(host_chars)
        && (named || host.contains(['.', ':', '[']));
    if !looks_like_a_host || !port.chars().all(|c| c.is_ascii_digit()) {
        return Ok(());
    }
    let why = if port.is_empty() {
        "has no port: write IP:PORT, like 127.0.0.1:9999".to_string()
    } else if port.parse::<u16>().is_err() {
        format!("has {port} as its port, but a port is 0 to 65535")
    } else if named {
        format!("is a name, and these programs take an IP: did you mean 127.0.0.1:{port}?")
    } else {
        "is not an IP address: write IP:PORT, like 127.0.0.1:9999".to_string()
    };
    Err(UsageError::new(format!(
        "주소 형식이 아닙니다 · {text:?} {why}"
    )))
}

/// 오류와 그 원인들을 책의 두 언어 형식으로 · An error and its causes, in the book's form.
///
/// ```text
/// 오류 · error: <무엇이 일어났고 무엇을 할지 · what happened, and what to do>
///   원인 · because: <원인 · the cause>
/// ```
pub fn explain(error: &anyhow::Error) -> String {
    let mut text = format!("오류 · error: {error}");
    for reason in error.chain().skip(1) {
        text.push_str(&format!("\n  원인 · because: {reason}"));
    }
    text
}

/// 프로그램을 돌리고 종료 코드를 정합니다 · Runs a program on its arguments and decides the
/// exit code: `fn main() -> ExitCode { cli::run(USAGE, |mut args| { … }) }`.
pub fn run(usage: &str, program: impl FnOnce(Args) -> anyhow::Result<()>) -> ExitCode {
    let args = std::env::args_os().skip(1);
    let code = run_with(usage, args, program, &mut io::stdout(), &mut io::stderr());
    ExitCode::from(code)
}

/// [`run`]과 같고, 인수와 출력을 받습니다 (테스트용) · [`run`] with the arguments and the
/// outputs given, for tests. Returns the exit code.
pub fn run_with(
    usage: &str,
    args: impl IntoIterator<Item = OsString>,
    program: impl FnOnce(Args) -> anyhow::Result<()>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    // 출력이 닫혀 있어도 패닉하지 않습니다 · a closed output is no reason to panic.
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        let _ = writeln!(out, "{usage}");
        return 0;
    }
    let result = Args::parse(&args)
        .map_err(anyhow::Error::from)
        .and_then(program);
    match result {
        Ok(()) => 0,
        Err(error) if error.chain().any(|e| e.is::<UsageError>()) => {
            let _ = writeln!(err, "{}\n{usage}", explain(&error));
            USAGE_EXIT
        }
        // 백트레이스는 보이지 않습니다: 오류를 Debug로 찍지 않으니까요.
        // No backtrace: the error is never printed with Debug.
        Err(error) => {
            let _ = writeln!(err, "{}", explain(&error));
            FAILURE_EXIT
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USAGE: &str = "사용법: demo [낱말] [주소]\nusage:  demo [WORD] [ADDR]";

    fn parse(list: &[&str]) -> Result<Args, UsageError> {
        Args::parse(list)
    }

    fn addr_and_word(list: &[&str]) -> Result<(SocketAddr, Option<String>), UsageError> {
        let mut args = parse(list)?;
        let addr = args.addr_or("127.0.0.1:9999")?;
        let word = args.word()?;
        args.finish()?;
        Ok((addr, word))
    }

    /// 프로그램 하나를 돌려 (종료 코드, stdout, stderr) · runs a program: (code, stdout, stderr).
    fn outcome(
        list: &[&str],
        program: impl FnOnce(Args) -> anyhow::Result<()>,
    ) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = list.iter().map(OsString::from);
        let code = run_with(USAGE, args, program, &mut out, &mut err);
        let text = |bytes| String::from_utf8(bytes).expect("utf-8");
        (code, text(out), text(err))
    }

    #[test]
    fn the_address_is_found_wherever_it_stands() {
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        let word = Some("안녕".to_string());
        assert_eq!(
            addr_and_word(&["안녕", "127.0.0.1:47000"]),
            Ok((at(47000), word.clone()))
        );
        assert_eq!(
            addr_and_word(&["127.0.0.1:47000", "안녕"]),
            Ok((at(47000), word.clone()))
        );
        assert_eq!(addr_and_word(&["127.0.0.1:47000"]), Ok((at(47000), None)));
        assert_eq!(addr_and_word(&["안녕"]), Ok((at(9999), word)));
        assert_eq!(addr_and_word(&[]), Ok((at(9999), None)));
        let v6 = addr_and_word(&["[::1]:9998"]).expect("IPv6");
        assert_eq!(v6.0.to_string(), "[::1]:9998");
    }

    #[test]
    fn the_words_keep_their_order_around_the_address() {
        let mut args = parse(&["frames", "a", "127.0.0.1:9998", "b"]).expect("parse");
        assert_eq!(args.addr_or("127.0.0.1:9999").expect("addr").port(), 9998);
        assert_eq!(args.words().expect("words"), ["frames", "a", "b"]);
        args.finish().expect("nothing left");
    }

    #[test]
    fn what_only_looks_like_an_address_is_refused_with_a_hint() {
        for (text, says) in [
            ("127.0.0.1", "did you mean 127.0.0.1:9999?"),
            ("::1", "did you mean [::1]:9999?"),
            ("localhost:9998", "did you mean 127.0.0.1:9998?"),
            ("127.0.0.1:70000", "a port is 0 to 65535"),
            ("127.0.0.1:", "has no port"),
            ("1.2.3:80", "is not an IP address"),
            ("example.com:80", "is not an IP address"),
        ] {
            let error = parse(&[text]).expect_err(text).to_string();
            assert!(error.contains(says), "{text}: {error}");
            assert!(error.contains(" · "), "both languages: {error}");
        }
        // 주소처럼 보이지 않는 말은 그냥 낱말입니다 · what does not look like one is a word.
        for text in [
            "time:10",
            "안녕: 잘 지내?",
            "a:b",
            "hello",
            "9999",
            "-1",
            "",
        ] {
            let mut args = parse(&[text]).expect(text);
            assert_eq!(args.word().expect("word").as_deref(), Some(text));
        }
    }

    #[test]
    fn two_addresses_and_leftovers_are_refused() {
        let error = addr_and_word(&["127.0.0.1:1", "127.0.0.1:2"]).expect_err("two");
        assert!(error.to_string().contains("two addresses"), "{error}");
        let error = addr_and_word(&["a", "b"]).expect_err("too many");
        assert!(
            error.to_string().contains("unexpected argument \"b\""),
            "{error}"
        );
        let error = addr_and_word(&["a", "9998"]).expect_err("a bare port");
        assert!(
            error.to_string().contains("did you mean 127.0.0.1:9998?"),
            "{error}"
        );
        let error = addr_and_word(&["a", "here"]).expect_err("not an address");
        assert!(
            error.to_string().contains("is not an address (IP:PORT"),
            "{error}"
        );
        let error = parse(&["9998"])
            .and_then(Args::finish)
            .expect_err("takes nothing");
        assert!(
            error.to_string().ends_with("unexpected argument \"9998\""),
            "{error}"
        );
        let error = parse(&["127.0.0.1:1"])
            .and_then(Args::finish)
            .expect_err("no address");
        assert!(error.to_string().contains("takes no address"), "{error}");
    }

    #[test]
    fn a_word_is_read_by_the_programs_own_parser_or_defaults() {
        let number = |text: &str| {
            text.parse::<u8>()
                .map_err(|_| format!("{text:?} 숫자 아님 · not a number"))
        };
        assert_eq!(parse(&[]).expect("parse").word_or(7, number), Ok(7));
        assert_eq!(parse(&["3"]).expect("parse").word_or(7, number), Ok(3));
        let error = parse(&["x"])
            .expect("parse")
            .word_or(7, number)
            .expect_err("x");
        assert_eq!(error.to_string(), "\"x\" 숫자 아님 · not a number");
        let error = parse(&["--x"])
            .expect("parse")
            .word_or(7, number)
            .expect_err("option");
        assert!(error.to_string().contains("unknown option"), "{error}");
    }

    #[test]
    fn options_are_refused_unless_the_program_asks_for_them() {
        let error = addr_and_word(&["--verbose"]).expect_err("unknown option");
        assert!(
            error.to_string().contains("unknown option \"--verbose\""),
            "{error}"
        );
        // `--to ADDR`은 `ADDR`과 같습니다 · `--to ADDR` is the same as `ADDR`
        let (addr, word) = addr_and_word(&["a", "--to", "127.0.0.1:9998"]).expect("--to");
        assert_eq!((addr.port(), word.as_deref()), (9998, Some("a")));
        for args in [&["--to"][..], &["--to", "a"], &["a", "--to"]] {
            let error = parse(args).expect_err("--to without an address");
            assert!(
                error.to_string().contains("--to needs an address"),
                "{error}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_refused_clearly() {
        use std::os::unix::ffi::OsStrExt;
        let error = Args::parse([OsStr::from_bytes(b"\xff")]).expect_err("not UTF-8");
        assert!(error.to_string().contains("is not UTF-8 text"), "{error}");
        let args = [OsStr::from_bytes(b"\xff").to_os_string()];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_with(USAGE, args, |_| Ok(()), &mut out, &mut err);
        assert_eq!(code, USAGE_EXIT);
        assert!(String::from_utf8_lossy(&err).contains("usage:"));
    }

    #[test]
    fn help_prints_the_usage_and_runs_nothing() {
        for flag in ["-h", "--help"] {
            let (code, out, err) = outcome(&["127.0.0.1:1", flag], |_| panic!("not run"));
            assert_eq!(
                (code, out.as_str(), err.as_str()),
                (
                    0,
                    "사용법: demo [낱말] [주소]\nusage:  demo [WORD] [ADDR]\n",
                    ""
                )
            );
        }
    }

    #[test]
    fn a_usage_error_prints_what_was_wrong_then_the_usage_and_exits_2() {
        let (code, out, err) = outcome(&["a", "b"], |mut args| {
            args.word()?;
            args.finish()?;
            Ok(())
        });
        assert_eq!((code, out.as_str()), (USAGE_EXIT, ""));
        assert_eq!(
            err,
            "오류 · error: 알 수 없는 인수입니다 · unexpected argument \"b\"\n\
             사용법: demo [낱말] [주소]\nusage:  demo [WORD] [ADDR]\n"
        );
        let (code, _, err) = outcome(&["localhost:1"], |_| Ok(()));
        assert_eq!(code, USAGE_EXIT);
        assert!(
            err.starts_with("오류 · error: 주소 형식이 아닙니다"),
            "{err}"
        );
    }

    #[test]
    fn a_failure_prints_the_error_and_its_causes_without_a_backtrace_and_exits_1() {
        use anyhow::Context;
        // RUST_BACKTRACE=1인 실제 프로그램은 tests/tests/cli.rs(book_checks)가 확인합니다.
        // The real programs, run with RUST_BACKTRACE=1, are checked in book_checks' tests/cli.rs.
        let (code, out, err) = outcome(&[], |_| {
            let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused");
            Err(refused).context("아무도 없습니다 · nothing is listening: start the server")?;
            Ok(())
        });
        assert_eq!((code, out.as_str()), (FAILURE_EXIT, ""));
        assert_eq!(
            err,
            "오류 · error: 아무도 없습니다 · nothing is listening: start the server\n  \
             원인 · because: Connection refused\n"
        );
        assert!(!err.contains("backtrace"));
    }

    #[test]
    fn a_usage_error_under_context_is_still_a_usage_error() {
        use anyhow::Context;
        let (code, _, err) = outcome(&[], |_| {
            Err(UsageError::new("틀림 · wrong")).context("인수 · the arguments")?;
            Ok(())
        });
        assert_eq!(code, USAGE_EXIT);
        assert!(
            err.contains("원인 · because: 틀림 · wrong\n사용법"),
            "{err}"
        );
    }
}
