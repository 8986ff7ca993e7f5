//! Chapter 8's transcripts: what each participant's terminal shows, and the server's log.
//!
//! A chat has several terminals at once, so these scenarios type into the real programs'
//! standard input and wait for each expected line before the next step. Every terminal then
//! shows the same lines in the same order on every run. `UPDATE_TRANSCRIPTS=1 cargo test -p
//! book_checks --test transcripts -- ch08::` rewrites them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use book_checks::{DEADLINE, Transcript, binary, free_port, loopback as addr};

/// 터미널 하나: 프로그램을 띄우고, 자판으로 치고, 화면에 찍힌 줄을 받아 적습니다.
/// One terminal: a program we type into, whose printed lines we write down.
struct Terminal {
    child: Child,
    keyboard: Option<ChildStdin>,
    lines: Receiver<String>,
    reader: Option<thread::JoinHandle<()>>,
    /// 화면에 보이는 것: 친 줄과 찍힌 줄 · What the screen shows: typed and printed lines.
    screen: String,
}

impl Terminal {
    fn open(bin: &str, args: &[&str]) -> Terminal {
        let mut command = Command::new(binary(bin));
        command.args(args);
        Terminal::start(command, bin)
    }

    /// 서버는 흔한 기본값인 열린 파일 한도 1024로 띄웁니다: 서버가 시작할 때 그 한도를 찍으므로,
    /// 실행 기록이 기계마다 같아집니다.
    /// The server runs with the common default open-file limit of 1024: it prints that limit
    /// at start, so the transcript is the same on every machine.
    fn server(port: u16) -> Terminal {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg("ulimit -n 1024 && exec \"$0\" \"$@\"")
            .arg(binary("ch08_chat"))
            .arg(addr(port));
        let mut server = Terminal::start(command, "ch08_chat");
        server.expect("server listening");
        server.expect("open-file limit 1024: room for 1000 members");
        server
    }

    fn start(mut command: Command, bin: &str) -> Terminal {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .spawn()
            .unwrap_or_else(|e| panic!("start {bin}: {e}"));
        let keyboard = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        let reader = thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let _ = tx.send(line.expect("output is UTF-8"));
            }
        });
        Terminal {
            child,
            keyboard,
            lines,
            reader: Some(reader),
            screen: String::new(),
        }
    }

    /// 다음 줄을 (제한 시간 안에) 받아 적습니다. 그 줄에 `needle`이 있어야 합니다.
    /// Writes down the next line (within a deadline); it must contain `needle`.
    fn expect(&mut self, needle: &str) {
        self.expect_within(needle, DEADLINE);
    }

    /// `expect`와 같되, 제한 시간을 정해 줍니다 · Like `expect`, with a deadline of our own.
    fn expect_within(&mut self, needle: &str, deadline: Duration) {
        let line = self.lines.recv_timeout(deadline).unwrap_or_else(|_| {
            panic!(
                "no line with {needle:?}; the screen so far:\n{}",
                self.screen
            )
        });
        self.screen.push_str(&format!("{line}\n"));
        assert!(
            line.contains(needle),
            "expected a line with {needle:?}; the screen so far:\n{}",
            self.screen
        );
    }

    /// 한 줄을 칩니다. 터미널은 친 것을 화면에 보여 줍니다.
    /// Types a line; the terminal echoes it on the screen.
    fn type_line(&mut self, text: &str) {
        let keyboard = self.keyboard.as_mut().expect("the keyboard is still there");
        keyboard
            .write_all(format!("{text}\n").as_bytes())
            .expect("type");
        keyboard.flush().expect("flush");
        self.screen.push_str(&format!("{text}\n"));
    }

    /// Ctrl+D: 입력의 끝. 화면에는 아무것도 남지 않습니다 · Ctrl+D: end of input; nothing shows.
    fn end_input(&mut self) {
        self.keyboard = None;
    }

    /// 프로그램이 스스로 끝나기를 기다리고, 남은 줄까지 적습니다.
    /// Waits for the program to end by itself, writing down the lines that are left.
    fn finish(mut self) -> String {
        let end = Instant::now() + DEADLINE;
        while self.child.try_wait().expect("try_wait").is_none() {
            assert!(
                Instant::now() < end,
                "the program did not end; the screen so far:\n{}",
                self.screen
            );
            thread::sleep(Duration::from_millis(10));
        }
        self.rest()
    }

    /// 스스로 끝나지 않는 서버: 멈추고 (Ctrl+C), 남은 줄까지 적습니다.
    /// A server never ends by itself: stop it (Ctrl+C) and write down the lines that are left.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.rest()
    }

    fn rest(&mut self) -> String {
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        while let Ok(line) = self.lines.try_recv() {
            self.screen.push_str(&format!("{line}\n"));
        }
        std::mem::take(&mut self.screen)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        // 테스트가 실패해도 프로그램을 남기지 않습니다 · never leave a program behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CLIENT: &str = "cargo run -p ch08_chat --bin chat_client --";

/// 세 사람의 전화 회의. 세 번째 사람도 민수라고 했다가 철수로 들어옵니다.
/// A conference call of three; the third caller also asks for 민수, then joins as 철수.
#[test]
fn ch08_three_people_on_one_call() {
    let port = free_port();
    let mut server = Terminal::server(port);

    let mut minsu = Terminal::open("chat_client", &["민수", &addr(port)]);
    minsu.expect("what is your name?");
    minsu.expect("welcome, 민수: 1 here");

    let mut jiyoung = Terminal::open("chat_client", &["지영", &addr(port)]);
    jiyoung.expect("what is your name?");
    jiyoung.expect("welcome, 지영: 2 here");
    minsu.expect("지영 joined");

    let mut third = Terminal::open("chat_client", &["민수", &addr(port)]);
    third.expect("what is your name?");
    third.expect("민수 is taken");
    third.type_line("철수");
    third.expect("welcome, 철수: 3 here");
    minsu.expect("철수 joined");
    jiyoung.expect("철수 joined");

    minsu.type_line("안녕하세요! 다들 들리세요?");
    jiyoung.expect("민수: 안녕하세요!");
    third.expect("민수: 안녕하세요!");
    jiyoung.type_line("네, 잘 들려요");
    minsu.expect("지영: 네, 잘 들려요");
    third.expect("지영: 네, 잘 들려요");
    third.type_line("저는 먼저 갈게요");
    minsu.expect("철수: 저는 먼저 갈게요");
    jiyoung.expect("철수: 저는 먼저 갈게요");

    third.end_input();
    third.expect("goodbye, 철수");
    let third = third.finish();
    minsu.expect("철수 left");
    jiyoung.expect("철수 left");

    minsu.type_line("잘 가요");
    jiyoung.expect("민수: 잘 가요");
    jiyoung.end_input();
    jiyoung.expect("goodbye, 지영");
    let jiyoung = jiyoung.finish();
    minsu.expect("지영 left");
    minsu.end_input();
    minsu.expect("goodbye, 민수");
    let minsu = minsu.finish();

    for needle in [
        "call from",
        "민수 joined",
        "call from",
        "지영 joined",
        "call from",
        "name \"민수\" refused",
        "철수 joined",
        "철수 left",
        "지영 left",
        "민수 left",
    ] {
        server.expect(needle);
    }
    let server = server.stop();

    Transcript::on_port(port)
        .command("cargo run -p ch08_chat")
        .output(&server)
        .check("08_chat", "session_server.txt");
    Transcript::on_port(port)
        .command(&format!("{CLIENT} 민수"))
        .output(&minsu)
        .check("08_chat", "session_minsu.txt");
    Transcript::on_port(port)
        .command(&format!("{CLIENT} 지영"))
        .output(&jiyoung)
        .check("08_chat", "session_jiyoung.txt");
    Transcript::on_port(port)
        .command(&format!("{CLIENT} 민수"))
        .output(&third)
        .check("08_chat", "session_cheolsu.txt");
}

/// 잘못된 줄 두 개: UTF-8이 아닌 줄과 1025바이트짜리 줄 · Two bad lines: not UTF-8, and 1025 bytes.
#[test]
fn ch08_bad_lines_get_an_answer() {
    let port = free_port();
    let mut server = Terminal::server(port);

    let mut younghee = Terminal::open("chat_client", &["영희", &addr(port)]);
    let mut typed = b"\xff\xfe\n".to_vec();
    typed.extend_from_slice(format!("{}\n", "0".repeat(1025)).as_bytes());
    let keyboard = younghee.keyboard.as_mut().expect("keyboard");
    keyboard.write_all(&typed).expect("type");
    younghee.end_input();
    for needle in [
        "what is your name?",
        "welcome, 영희: 1 here",
        "not UTF-8: not sent",
        "longer than 1024 bytes: not sent",
        "goodbye, 영희",
    ] {
        younghee.expect(needle);
    }
    let younghee = younghee.finish();
    for needle in [
        "call from",
        "영희 joined",
        "not UTF-8",
        "over 1024 bytes",
        "영희 left",
    ] {
        server.expect(needle);
    }
    let server = server.stop();

    Transcript::on_port(port)
        .command(&format!(
            "printf '\\xff\\xfe\\n%01025d\\n' 0 | {CLIENT} 영희"
        ))
        .output(&younghee)
        .check("08_chat", "bad_lines_client.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch08_chat")
        .output(&server)
        .check("08_chat", "bad_lines_server.txt");
}

/// 읽지 않는 사람: 지영은 nc로 들어와 Ctrl+Z로 멈춘 사람처럼 읽지 않고, 민수는 긴 줄을 쏟아냅니다.
/// 서버의 버퍼가 얼마나 큰지는 기계마다 다르므로, 알림이 올 때까지 칩니다 (많아야 10만 줄).
/// A reader who stopped reading: 지영 never reads (like nc suspended with Ctrl+Z) while 민수
/// pours out long lines. How much the server's buffers hold differs between machines, so the
/// typing goes on until the notice comes (at most 100,000 lines).
#[test]
fn ch08_a_reader_who_stopped_reading() {
    // 방은 한 사람에게서 1초에 1000줄까지만 받으므로, 넉넉히 기다립니다 (실패를 알리는 시한일 뿐).
    // The room takes at most 1000 lines a second from one member, so allow plenty of time
    // (only a deadline for failing).
    let patience = Duration::from_secs(120);
    let port = free_port();
    let mut server = Terminal::server(port);

    let mut jiyoung = TcpStream::connect(addr(port)).expect("dial");
    jiyoung.write_all("지영\n".as_bytes()).expect("name");
    server.expect("call from");
    server.expect("지영 joined");

    let mut minsu = Terminal::open("chat_client", &["민수", &addr(port)]);
    let mut keyboard = minsu.keyboard.take().expect("keyboard");
    // yes "…" | head -n …: 333 × "가" (999바이트)짜리 줄 · lines of 333 × "가" (999 bytes)
    let enough = Arc::new(AtomicBool::new(false));
    let typing = thread::spawn({
        let enough = Arc::clone(&enough);
        move || {
            let line = format!("{}\n", "가".repeat(333));
            for n in 0..100_000 {
                if enough.load(Ordering::SeqCst) || keyboard.write_all(line.as_bytes()).is_err() {
                    break;
                }
                // 방이 받는 속도(1초에 1000줄)쯤으로 칩니다. 그래야 알림 뒤에 버퍼에 남아 흘러갈
                // 줄이 적습니다. 결과는 속도와 상관없이 같고, 시간만 줄어듭니다.
                // Type at about the rate the room takes (1000 lines a second), so that few lines
                // are left in the buffers to drain after the notice. The outcome does not depend
                // on this pace; only the time does.
                if n % 100 == 99 {
                    thread::sleep(Duration::from_millis(100));
                }
            }
            // 여기서 keyboard가 버려집니다: 입력의 끝 · the keyboard is dropped: end of input
        }
    });
    minsu.expect("what is your name?");
    minsu.expect("welcome, 민수: 2 here");
    minsu.expect_within("지영 stopped reading and was disconnected", patience);
    enough.store(true, Ordering::SeqCst);
    typing.join().expect("typing");
    minsu.expect_within("goodbye, 민수", patience);
    let minsu = minsu.finish();
    for needle in ["call from", "민수 joined", "hung up on 지영", "민수 left"] {
        server.expect_within(needle, patience);
    }
    let server = server.stop();
    drop(jiyoung);

    Transcript::on_port(port)
        .command("cargo run -p ch08_chat")
        .output(&server)
        .check("08_chat", "slow_server.txt");
    Transcript::on_port(port)
        .command(&format!(
            "yes \"$(printf '가%.0s' $(seq 333))\" | head -n 10000 | {CLIENT} 민수"
        ))
        .output(&minsu)
        .check("08_chat", "slow_minsu.txt");
}
