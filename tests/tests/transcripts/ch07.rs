//! Chapter 7's transcripts: what the servers and their callers really print.
//!
//! Every scenario waits for the server's own log lines before the next caller dials, so the
//! order of the lines is the same on every run. `UPDATE_TRANSCRIPTS=1` rewrites them.

use book_checks::{Program, Transcript, free_port, loopback as addr, run};

/// 프로그램이 찍는 다음 `n`줄 · The next `n` lines a program prints.
fn lines(program: &mut Program, n: usize) -> String {
    (0..n).map(|_| program.wait_for_line("") + "\n").collect()
}

/// 한 번에 한 통: 둘째는 연결은 되지만 첫째가 끊을 때까지 아무도 받지 않습니다.
/// One call at a time: the second caller gets through, but nobody answers until the first
/// hangs up.
#[test]
fn ch07_the_iterative_server_keeps_the_second_caller_waiting() {
    let port = free_port();
    let mut server = run("ch07_threads", &["iterative", &addr(port)]);
    let mut shown = lines(&mut server, 2);
    let mut hold = run("hold", &["1", &addr(port)]);
    let held = lines(&mut hold, 2);
    shown += &lines(&mut server, 1);
    assert!(shown.contains("call from"), "{shown}");

    let (ok, client, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(!ok, "the second caller gives up: {client}");
    // 첫째가 끊습니다 (Ctrl+C) · the first caller hangs up (Ctrl+C).
    drop(hold);
    shown += &lines(&mut server, 3);

    Transcript::on_port(port)
        .command("cargo run -p ch07_threads -- iterative")
        .output(&shown)
        .check("07_threads", "iterative_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads --bin hold")
        .output(&held)
        .check("07_threads", "iterative_hold.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&client)
        .output(&err)
        .check("07_threads", "iterative_client.txt");
}

/// 풀은 두 사람이 통화 중이어도 셋째를 바로 받습니다 · The pool answers a third caller while
/// two others hold their lines.
#[test]
fn ch07_the_pool_answers_while_others_hold() {
    let port = free_port();
    let mut server = run("ch07_threads", &["pool", &addr(port)]);
    let mut shown = lines(&mut server, 2);
    let mut hold = run("hold", &["2", &addr(port)]);
    let held = lines(&mut hold, 3);
    shown += &lines(&mut server, 2);

    let (ok, client, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(ok, "{err}");
    shown += &lines(&mut server, 2);

    Transcript::on_port(port)
        .command("cargo run -p ch07_threads")
        .output(&shown)
        .check("07_threads", "pool_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads --bin hold -- 2")
        .output(&held)
        .check("07_threads", "pool_hold.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&client)
        .check("07_threads", "pool_client.txt");
}

/// 일곱째 전화: 풀의 자리(작업 스레드 4 + 작업 스레드를 기다리는 자리 2)가 다 찼습니다.
/// 통화마다 스레드를 만드는 서버는 일곱 통을 모두 받습니다.
/// The seventh call: every place in the pool (4 workers + 2 waiting for a free worker) is
/// taken. The thread-per-call server takes all seven.
#[test]
fn ch07_seven_callers_for_the_pool_and_for_threads() {
    let port = free_port();
    let mut server = run("ch07_threads", &["pool", &addr(port)]);
    let mut shown = lines(&mut server, 2);
    let mut hold = run("hold", &["6", &addr(port)]);
    let held = lines(&mut hold, 7);
    shown += &lines(&mut server, 4);
    let (ok, client, err) = run("ch04_client", &["안녕!", &addr(port)]).finish();
    assert!(ok, "{err}");
    shown += &lines(&mut server, 1);
    assert!(shown.contains("turned away"), "{shown}");
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads")
        .output(&shown)
        .check("07_threads", "full_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads --bin hold -- 6")
        .output(&held)
        .check("07_threads", "full_hold.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch04_client")
        .output(&client)
        .check("07_threads", "full_client.txt");
    drop(hold);
    drop(server);

    let port = free_port();
    let mut server = run("ch07_threads", &["threads", &addr(port)]);
    let mut shown = lines(&mut server, 2);
    let mut hold = run("hold", &["7", &addr(port)]);
    let held = lines(&mut hold, 8);
    shown += &lines(&mut server, 7);
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads -- threads")
        .output(&shown)
        .check("07_threads", "threads_server.txt");
    Transcript::on_port(port)
        .command("cargo run -p ch07_threads --bin hold -- 7")
        .output(&held)
        .check("07_threads", "threads_hold.txt");
}
