use std::io::{self, BufRead, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use ch07_threads::{
    BUSY, BUSY_LINES, Counter, DEFAULT_ADDR, Ending, Log, Mode, Switchboard, echo, hold_calls,
    listen, parse_mode, serve_iterative, serve_pool, serve_thread_per_call, timed_out,
    write_all_within,
};
use support::{
    Running, SharedLog, SlowReader, TIMEOUT, dial, hang_up_with_reset, loopback_listener,
    round_trip_on as talk, within,
};

/// 테스트에서 말없는 상대를 끊지 않을 만큼 긴 시간 · Long enough never to hang up in a test.
const FOREVER: Duration = Duration::from_secs(120);

/// 짧은 제한 시간: 테스트가 정하므로 기다림이 짧습니다 · A short limit the test sets, so it
/// waits only briefly.
const SHORT: Duration = Duration::from_millis(200);

#[derive(Clone, Copy)]
enum Server {
    Iterative,
    Threads,
    Pool { workers: usize, queue: usize },
}

/// 서버를 스레드에서 돌립니다 (테스트가 끝날 때까지) · Runs a server on a thread.
fn start(server: Server, idle: Duration) -> (SocketAddr, Switchboard, SharedLog) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("local addr");
    let log = SharedLog::default();
    let board = Switchboard::new(Log::new(log.clone()), idle);
    let serving = board.clone();
    thread::spawn(move || match server {
        Server::Iterative => serve_iterative(&listener, &serving),
        Server::Threads => serve_thread_per_call(&listener, &serving),
        Server::Pool { workers, queue } => serve_pool(&listener, workers, queue, &serving),
    });
    log.wait_for("·", 1); // 서버가 방식을 알리는 첫 줄 · the line that names the mode
    (addr, board, log)
}

/// `first`가 `second`보다 먼저 로그에 나왔는지 · Whether `first` was logged before `second`.
fn before(log: &SharedLog, first: &str, second: &str) -> bool {
    let text = log.text();
    match (text.find(first), text.find(second)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// 일꾼 하나, 대기 자리 없음, 그리고 그 자리를 차지한 통화 하나: 꽉 찬 풀.
/// One worker, no waiting places, and one call holding that worker: a full pool.
fn full_one_worker_pool() -> (SocketAddr, Switchboard, SharedLog, TcpStream) {
    let (addr, board, log) = start(
        Server::Pool {
            workers: 1,
            queue: 0,
        },
        FOREVER,
    );
    let talking = dial(addr);
    log.wait_for("(live calls: 1)", 1);
    (addr, board, log, talking)
}

/// `check`가 참이 될 때까지 기다립니다 (최대 TIMEOUT) · Waits (bounded) until check holds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let end = Instant::now() + TIMEOUT;
    while !check() {
        assert!(Instant::now() < end, "never happened: {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// 읽기가 `wait` 안에 아무것도 돌려주지 않는지. 이것은 "없음"을 확인하므로, 느린 컴퓨터는
/// 이 검사를 실패시키지 않습니다 · Whether a read gets nothing within `wait`. It checks for
/// an absence, so a slow machine cannot make it fail.
fn hears_nothing_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let heard = stream.read(&mut [0u8; 64]);
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    matches!(heard, Err(e) if timed_out(&e))
}

fn message_for(i: usize) -> Vec<u8> {
    // 통화마다 다른 내용: 번호와 한글, 약 20KB · Different for every caller: ~20 KB.
    format!("{i:02}번 안녕 · caller {i:02} | ")
        .repeat(700)
        .into_bytes()
}

/// 50명이 동시에 걸어, 각자 자기 바이트만 정확히 돌려받습니다.
/// 50 callers at once; each gets exactly its own bytes back.
fn fifty_callers_at_once(server: Server, most_at_once: usize) {
    let (addr, board, log) = start(server, FOREVER);
    let callers = 50;
    let everyone_dialed = Arc::new(Barrier::new(callers + 1));
    let talk_now = Arc::new(Barrier::new(callers + 1));
    let clients: Vec<_> = (0..callers)
        .map(|i| {
            let (everyone_dialed, talk_now) = (Arc::clone(&everyone_dialed), Arc::clone(&talk_now));
            thread::spawn(move || {
                let stream = dial(addr);
                everyone_dialed.wait();
                talk_now.wait();
                let reply = talk(stream, &message_for(i));
                assert!(
                    reply == message_for(i),
                    "caller {i} got someone else's bytes"
                );
            })
        })
        .collect();
    everyone_dialed.wait();
    // 모두 연결된 뒤, 서버가 동시에 붙잡을 수 있는 만큼의 통화가 시작되기를 기다립니다.
    // Everyone has dialed; wait until as many calls are live as this server allows at once.
    eventually(&format!("{most_at_once} live calls"), || {
        board.live.now() == most_at_once
    });
    talk_now.wait();
    while !clients.iter().all(|c| c.is_finished()) {
        assert!(board.live.now() <= most_at_once, "more calls than allowed");
        thread::sleep(Duration::from_millis(1));
    }
    for client in clients {
        client.join().expect("every caller got its own bytes");
    }
    eventually("every call has ended", || board.live.now() == 0);
    let text = log.text();
    assert_eq!(
        text.matches("통화 시작 · call from").count(),
        callers,
        "{text}"
    );
    assert!(!text.contains("turned away"), "{text}");
}

#[test]
fn fifty_callers_at_once_threads() {
    fifty_callers_at_once(Server::Threads, 50);
}

#[test]
fn fifty_callers_at_once_pool() {
    fifty_callers_at_once(
        Server::Pool {
            workers: 8,
            queue: 50,
        },
        8,
    );
}

#[test]
fn fifty_callers_at_once_iterative() {
    fifty_callers_at_once(Server::Iterative, 1);
}

#[test]
fn a_silent_caller_holds_up_the_iterative_server() {
    let (addr, board, log) = start(Server::Iterative, FOREVER);
    let silent = dial(addr);
    let silent_id = silent.local_addr().expect("addr").to_string();
    log.wait_for(&format!("call from {silent_id}"), 1);

    // 둘째의 연결은 성공합니다 (운영체제가 대기 중인 통화로 세워 둡니다). 하지만 답이 없습니다.
    // The second call connects (the OS holds it in the backlog), but nobody answers.
    let mut second = dial(addr);
    let second_id = second.local_addr().expect("addr").to_string();
    second.write_all(b"hello?").expect("write");
    assert!(hears_nothing_within(&mut second, SHORT));
    assert_eq!(board.live.now(), 1);
    assert!(!log.text().contains(&second_id), "{}", log.text());

    // 첫째가 끊어야 둘째 차례입니다 · only when the first hangs up is it the second's turn.
    drop(silent);
    assert_eq!(talk(second, b""), b"hello?");
    log.wait_for(&format!("{second_id} hung up after 6 bytes"), 1);
    assert!(before(
        &log,
        &format!("{silent_id} hung up"),
        &format!("call from {second_id}")
    ));
}

/// 말없는 사람이 통화 중이어도 다른 사람은 바로 통화합니다 · A silent caller holds up nobody else.
fn a_silent_caller_holds_up_nobody(server: Server) {
    let (addr, board, log) = start(server, FOREVER);
    let silent = dial(addr);
    let silent_id = silent.local_addr().expect("addr").to_string();
    log.wait_for(&format!("call from {silent_id}"), 1);
    for i in 0..3 {
        assert_eq!(talk(dial(addr), &message_for(i)), message_for(i));
    }
    eventually("three calls ended", || {
        log.text().matches("hung up after").count() == 3
    });
    assert_eq!(
        board.live.now(),
        1,
        "the silent caller is still on the line"
    );
    drop(silent);
    log.wait_for(
        &format!("{silent_id} hung up after 0 bytes (live calls: 0)"),
        1,
    );
}

#[test]
fn a_silent_caller_holds_up_nobody_threads() {
    a_silent_caller_holds_up_nobody(Server::Threads);
}

#[test]
fn a_silent_caller_holds_up_nobody_pool() {
    a_silent_caller_holds_up_nobody(Server::Pool {
        workers: 2,
        queue: 2,
    });
}

/// 한 사람이 리셋해도 다른 통화는 멀쩡합니다 · One caller's reset leaves the other calls alone.
fn a_reset_affects_no_one_else(server: Server) {
    let (addr, board, log) = start(server, FOREVER);
    // 리셋할 사람이 먼저 통화를 시작합니다 · the one who will reset starts first.
    let mut rude = dial(addr);
    let rude_id = rude.local_addr().expect("addr").to_string();
    rude.write_all(b"hello").expect("write");
    let mut echoed = [0u8; 5];
    rude.read_exact(&mut echoed).expect("echo of hello");
    // 다른 다섯은 통화 중입니다 · five others are mid-call.
    let others: Vec<TcpStream> = (0..5).map(|_| dial(addr)).collect();
    eventually("six live calls", || board.live.now() == 6);
    hang_up_with_reset(rude);
    log.wait_for(&format!("{rude_id} reset the connection after 5 bytes"), 1);
    for (i, other) in others.into_iter().enumerate() {
        assert_eq!(talk(other, &message_for(i)), message_for(i));
    }
    eventually("every call has ended", || board.live.now() == 0);
}

#[test]
fn a_reset_affects_no_one_else_threads() {
    a_reset_affects_no_one_else(Server::Threads);
}

#[test]
fn a_reset_affects_no_one_else_pool() {
    a_reset_affects_no_one_else(Server::Pool {
        workers: 6,
        queue: 0,
    });
}

#[test]
fn a_reset_does_not_stop_the_iterative_server() {
    let (addr, board, log) = start(Server::Iterative, FOREVER);
    let mut rude = dial(addr);
    rude.write_all(b"hello").expect("write");
    rude.read_exact(&mut [0u8; 5]).expect("echo of hello");
    hang_up_with_reset(rude);
    log.wait_for("reset the connection after 5 bytes", 1);
    assert_eq!(talk(dial(addr), b"next"), b"next");
    eventually("no live calls", || board.live.now() == 0);
}

/// 정해 둔 자리 수를 넘는 사람은 통화 중 안내를 듣고 끊깁니다. 자리가 비면 다시 받습니다.
/// Past the last place, a caller hears the busy message and is hung up on; once a place is
/// free again, calls are taken again.
#[test]
fn the_pool_turns_away_the_caller_after_its_last_place() {
    let (addr, board, log) = start(
        Server::Pool {
            workers: 2,
            queue: 1,
        },
        FOREVER,
    );
    // 자리 셋: 둘은 통화, 하나는 작업 스레드를 기다림 · three places: two talking, one
    // waiting for a free worker.
    let first = dial(addr);
    let second = dial(addr);
    let mut waiting = dial(addr);
    let waiting_id = waiting.local_addr().expect("addr").to_string();
    log.wait_for("(live calls: 2)", 1);

    let mut fourth = dial(addr);
    let fourth_id = fourth.local_addr().expect("addr").to_string();
    let mut heard = Vec::new();
    fourth
        .read_to_end(&mut heard)
        .expect("the busy message, then the hang-up");
    assert_eq!(String::from_utf8_lossy(&heard), BUSY);
    log.wait_for(
        &format!("통화 중 · {fourth_id} turned away: all 3 places are taken"),
        1,
    );
    assert_eq!(board.live.now(), 2, "the pool never talks to more than 2");

    // 기다리는 사람은 끊기지 않았지만, 답을 듣지 못합니다 · the waiting caller is not hung up
    // on, but hears nothing.
    waiting.write_all(b"still there?").expect("write");
    assert!(hears_nothing_within(&mut waiting, SHORT));

    // 첫째가 끊으면 기다리던 사람의 차례입니다 · when the first hangs up, the waiting one is next.
    assert_eq!(talk(first, b"bye"), b"bye");
    log.wait_for(&format!("call from {waiting_id}"), 1);
    assert_eq!(talk(waiting, b""), b"still there?");

    // 자리가 다시 났으니 새 사람은 받아 줍니다 · a place is free again, so a new caller gets in.
    assert_eq!(talk(dial(addr), b"my turn"), b"my turn");
    drop(second);
    eventually("every call has ended", || board.live.now() == 0);
    assert_eq!(log.text().matches("turned away").count(), 1);
}

/// 먼저 말하는 사람(4장의 클라이언트처럼)도 리셋이 아니라 안내를 듣습니다.
/// A caller who talks first (like chapter 4's client) hears the message too, not a reset.
#[test]
fn a_caller_who_talks_first_still_hears_the_busy_message() {
    let (addr, _board, log, _talking) = full_one_worker_pool();
    for _ in 0..20 {
        assert_eq!(
            String::from_utf8_lossy(&talk(dial(addr), "안녕!".as_bytes())),
            BUSY
        );
    }
    assert_eq!(log.text().matches("turned away").count(), 20);
}

/// 자리가 없는 서른 사람이 한꺼번에 걸어도, 모두 안내를 듣습니다 (BUSY_LINES보다 적으니까요).
/// Thirty callers with no place, all at once: every one hears the message (fewer than
/// BUSY_LINES). Nobody hangs up until all thirty have heard it, so the messages overlap.
#[test]
fn thirty_callers_at_once_all_hear_the_busy_message() {
    let (addr, board, log, _talking) = full_one_worker_pool();
    let callers = 30;
    assert!(callers < BUSY_LINES);
    let everyone_heard = Arc::new(Barrier::new(callers + 1));
    let clients: Vec<_> = (0..callers)
        .map(|_| {
            let everyone_heard = Arc::clone(&everyone_heard);
            thread::spawn(move || {
                let mut caller = dial(addr);
                // 4장의 클라이언트처럼 먼저 말합니다 · talks first, like chapter 4's client
                let said = caller.write_all("안녕!".as_bytes());
                let mut heard = vec![0u8; BUSY.len()];
                let read = caller.read_exact(&mut heard);
                everyone_heard.wait();
                said.expect("say hello");
                read.expect("the busy message");
                assert_eq!(String::from_utf8_lossy(&heard), BUSY);
            })
        })
        .collect();
    everyone_heard.wait();
    for client in clients {
        client.join().expect("every caller heard the busy message");
    }
    eventually("every message has ended", || board.busy.now() == 0);
    let text = log.text();
    assert_eq!(
        text.matches("turned away: all 1 places are taken").count(),
        callers,
        "{text}"
    );
    assert!(!text.contains("without the message"), "{text}");
}

/// 안내가 이미 BUSY_LINES통 나가는 중이면, 다음 사람은 안내 없이 곧바로 끊깁니다.
/// With BUSY_LINES messages already playing, the next caller is hung up on at once, without one.
#[test]
fn past_the_busy_lines_a_caller_is_hung_up_without_the_message() {
    let (addr, board, log, _talking) = full_one_worker_pool();
    // 안내 BUSY_LINES통이 나가는 중인 것처럼 램프를 켭니다 · light BUSY_LINES lamps, as if
    // that many messages were playing.
    let playing: Vec<_> = (0..BUSY_LINES).map(|_| board.busy.enter()).collect();
    let mut late = dial(addr);
    let late_id = late.local_addr().expect("addr").to_string();
    let mut heard = Vec::new();
    late.read_to_end(&mut heard).expect("a hang-up");
    assert!(heard.is_empty(), "{:?}", String::from_utf8_lossy(&heard));
    log.wait_for(
        &format!(
            "통화 중 · {late_id} turned away without the message: all 1 places are taken and \
         {BUSY_LINES} messages are playing"
        ),
        1,
    );
    // 안내가 끝나면 다음 사람은 다시 안내를 듣습니다 · once they end, the next caller hears it.
    drop(playing);
    assert_eq!(String::from_utf8_lossy(&talk(dial(addr), b"")), BUSY);
}

#[test]
fn a_pool_with_no_queue_turns_away_whoever_finds_every_worker_busy() {
    let (addr, _board, _log, talking) = full_one_worker_pool();
    let mut heard = Vec::new();
    dial(addr).read_to_end(&mut heard).expect("busy message");
    assert_eq!(String::from_utf8_lossy(&heard), BUSY);
    // 서버가 끊는 소리를 들은 뒤에는 자리가 비어 있습니다 · once we hear the server hang up,
    // the place is free.
    assert_eq!(talk(talking, b"bye"), b"bye");
    assert_eq!(talk(dial(addr), b"free now"), b"free now");
}

/// 데모용 `hold`: 받은 통화, 아직 아무도 받지 않은 통화, 거절된 통화를 구별합니다.
/// The demo caller `hold` tells answered, not-yet-answered and turned-away calls apart.
#[test]
fn hold_calls_tells_answered_waiting_and_turned_away_apart() {
    let (addr, board, log) = start(
        Server::Pool {
            workers: 1,
            queue: 1,
        },
        FOREVER,
    );
    let mut out = Vec::new();
    // 둘째 통화는 아무도 받지 않으니 hold가 1초를 기다립니다 · nobody answers the second call,
    // so hold waits out its 1 s.
    let held = hold_calls(addr, 3, Duration::from_secs(1), &mut out).expect("hold");
    let out = String::from_utf8(out).expect("UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("1번 통화: 받았습니다 · call 1 from 127.0.0.1:"),
        "{out}"
    );
    assert!(lines[0].ends_with(": answered"), "{out}");
    assert!(lines[1].ends_with(": connected, no answer yet"), "{out}");
    assert!(
        lines[2].ends_with(r#": turned away: "통화 중 · all lines busy, try again later""#),
        "{out}"
    );
    assert_eq!(held.len(), 3);
    assert_eq!(board.live.now(), 1);
    log.wait_for("turned away: all 2 places are taken", 1);
}

#[test]
fn a_pool_needs_a_worker() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let board = Switchboard::new(Log::new(io::sink()), FOREVER);
    let error = serve_pool(&listener, 0, 4, &board).expect_err("no workers");
    assert!(format!("{error}").contains("at least one worker"));
}

/// 말없는 사람 둘이 풀을 가득 채웁니다. 말없음 제한 시간이 그들을 끊어 자리를 돌려줍니다.
/// Two silent callers fill the pool; the idle timeout hangs up on them and frees it.
#[test]
fn silent_callers_fill_the_pool_until_the_idle_timeout_frees_it() {
    let (addr, board, log) = start(
        Server::Pool {
            workers: 2,
            queue: 1,
        },
        SHORT,
    );
    let silent: Vec<TcpStream> = (0..2).map(|_| dial(addr)).collect();
    log.wait_for("(live calls: 2)", 1);
    let talker = dial(addr);
    let talker_id = talker.local_addr().expect("addr").to_string();
    assert_eq!(talk(talker, b"finally"), b"finally");
    // 말없는 사람 하나가 끊긴 뒤에야 말하는 사람의 차례가 옵니다.
    // Only once a silent caller has been hung up does the talker get a worker.
    assert!(
        before(
            &log,
            "said nothing for 200ms: hanging up",
            &format!("call from {talker_id}")
        ),
        "{}",
        log.text()
    );
    log.wait_for("said nothing for 200ms", 2);
    // 서버가 끊은 뒤 말없는 사람들의 읽기는 0바이트입니다 · the silent callers read the hang-up.
    for mut s in silent {
        assert_eq!(s.read(&mut [0u8; 8]).expect("read"), 0);
    }
    eventually("no live calls", || board.live.now() == 0);
}

/// 말없음 제한은 읽기 한 번마다의 제한입니다: 조금씩 계속 말하는 사람은 얼마든지 머뭅니다.
/// 테스트가 박자를 정합니다: 한 바이트를 보내고, 그 메아리를 들은 뒤 다음을 보냅니다.
/// The idle limit is per read: a caller who keeps dribbling bytes stays as long as it likes.
/// The test sets the pace: one byte, its echo heard, then the next.
#[test]
fn a_caller_who_dribbles_outlasts_the_idle_timeout() {
    let idle = Duration::from_millis(500);
    let (addr, _board, log) = start(Server::Threads, idle);
    let mut dribbler = dial(addr);
    let id = dribbler.local_addr().expect("addr").to_string();
    let started = Instant::now();
    let mut sent = 0;
    // 2 × idle 동안 한 바이트씩, 사이사이 쉬며 · a byte at a time, with pauses, for 2 × idle.
    while started.elapsed() < idle * 2 {
        dribbler.write_all(b".").expect("write");
        dribbler.read_exact(&mut [0u8; 1]).expect("its echo");
        sent += 1;
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(talk(dribbler, b""), b"");
    log.wait_for(&format!("{id} hung up after {sent} bytes"), 1);
    assert!(!log.text().contains("said nothing"), "{}", log.text());
}

/// 보내기만 하고 읽지 않는 사람: 서버의 쓰기가 막히고, 제한 시간이 지나면 끊습니다.
/// 로그는 제한 시간이 지난 뒤에야 그렇게 말하고, 끊김은 실제로 일어납니다: 상대의 쓰기가
/// 실패합니다.
/// A caller who sends and never reads: the server's write blocks, and the limit ends it. The
/// log says so only once the limit has passed, and the hang-up is real: the caller's writes fail.
fn a_caller_who_never_reads_is_hung_up(server: Server) {
    let (addr, board, log) = start(server, SHORT);
    let mut flood = dial(addr);
    let id = flood.local_addr().expect("addr").to_string();
    let began = Instant::now();
    let writer = thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        // 서버가 끊을 때까지 (또는 1 GiB까지) 씁니다 · write until the server hangs up (or 1 GiB).
        (0..16 * 1024).all(|_| flood.write_all(&chunk).is_ok())
    });
    log.wait_for(
        &format!("읽지 않음 · {id} did not read our reply within 200ms: hanging up"),
        1,
    );
    assert!(began.elapsed() >= SHORT, "not before the limit");
    let wrote_it_all = within(TIMEOUT, move || writer.join().expect("writer"));
    assert!(
        !wrote_it_all,
        "the caller's writes fail once it is hung up on"
    );
    eventually("no live calls", || board.live.now() == 0);
}

#[test]
fn a_caller_who_never_reads_is_hung_up_iterative() {
    a_caller_who_never_reads_is_hung_up(Server::Iterative);
}

#[test]
fn a_caller_who_never_reads_is_hung_up_threads() {
    a_caller_who_never_reads_is_hung_up(Server::Threads);
}

#[test]
fn a_caller_who_never_reads_is_hung_up_pool() {
    a_caller_who_never_reads_is_hung_up(Server::Pool {
        workers: 2,
        queue: 1,
    });
}

/// 제한 시간은 쓰기 전체의 마감입니다. 상대가 조금씩 계속 읽어서 쓰기가 조금씩 나아가도,
/// `limit`이 지나면 끝납니다. (시스템 호출마다의 제한 시간이라면, 나아갈 때마다 새로 시작해
/// 64 MiB를 다 쓸 때까지, 이 읽는 속도로는 10초를 훨씬 넘겨 걸립니다.)
/// The limit is a deadline for the whole write. The peer keeps reading a little, so the write
/// keeps making a little progress, and it still ends once `limit` has passed. (A per-call timeout
/// would start again with every bit of progress and go on until all 64 MiB were written: at
/// this reading pace, far more than 10 seconds.)
#[test]
fn write_all_within_is_a_deadline_for_the_whole_write() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    // 50 ms마다 256 KiB 이하, 멈추라고 할 때까지 · at most 256 KiB per 50 ms, until stopped.
    let slow_reader = SlowReader::accept(listener, 256 * 1024, Duration::from_millis(50));
    let stream = dial(addr);
    let began = Instant::now();
    let result = within(TIMEOUT, move || {
        let result = write_all_within(&stream, &vec![b'x'; 64 << 20], SHORT);
        drop(stream);
        result
    });
    let error = result.expect_err("64 MiB cannot be written within 200 ms at this pace");
    assert!(timed_out(&error), "{error:?}");
    assert!(began.elapsed() >= SHORT, "not before the limit");
    let read = slow_reader.stop();
    assert!(read > 0, "the reader was making progress all along");
}

/// 받아 준 소켓은 nodelay입니다: 메아리가 Nagle 때문에 기다리지 않습니다.
/// The accepted socket is set to nodelay: an echo never waits for Nagle's algorithm.
#[test]
fn the_echo_turns_on_nodelay() {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let mut caller = dial(addr);
    caller.write_all(b"hi").expect("write");
    caller
        .shutdown(std::net::Shutdown::Write)
        .expect("half-close");
    let (mut call, _) = listener.accept().expect("accept");
    assert!(
        !call.nodelay().expect("nodelay"),
        "off until echo turns it on"
    );
    assert_eq!(echo(&mut call, TIMEOUT).expect("echo"), (Ending::HungUp, 2));
    assert!(call.nodelay().expect("nodelay"));
}

/// 통화가 오류로 끝나도 통화 중인 수는 줄어듭니다 · An error still takes the call off the count.
#[test]
fn a_call_that_fails_still_comes_off_the_count() {
    // 0초는 읽기 제한 시간으로 쓸 수 없어 echo가 Err를 돌려줍니다.
    // Zero is not a valid read timeout, so echo returns an Err.
    let (addr, board, log) = start(Server::Threads, Duration::ZERO);
    let caller = dial(addr);
    let id = caller.local_addr().expect("addr").to_string();
    let text = log.wait_for(&format!("통화 오류 · {id}"), 1);
    let line = text
        .lines()
        .find(|l| l.contains(&format!("통화 오류 · {id}")))
        .expect("the line");
    assert!(line.contains("could not set the read timeout"), "{line}");
    assert!(line.ends_with("(live calls: 0)"), "{line}");
    assert_eq!(board.live.now(), 0);
    // 서버는 계속 받습니다 · the server keeps answering.
    dial(addr);
    log.wait_for("통화 오류", 2);
}

/// 흔한 실수: `while let Ok(x) = m.lock().unwrap().recv()`는 잠금을 반복문 몸체가 끝날 때까지
/// 쥐고 있습니다. 작업 스레드가 몇이든 한 번에 한 통만 처리됩니다. `let`으로 꺼내면 풀립니다.
/// A classic mistake: `while let Ok(x) = m.lock().unwrap().recv()` holds the lock until the
/// end of the loop body, so however many workers there are, one call is served at a time.
/// Taking the job out with a `let` statement releases it.
#[test]
fn while_let_holds_the_lock_for_the_whole_job() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// 작업 둘, 작업 스레드 둘. 작업은 다른 작업이 동시에 돌기를 (최대 `wait`) 기다립니다.
    /// Two jobs, two workers; each job waits (up to `wait`) for the other to run at the same time.
    fn most_at_once(holds_the_lock: bool, wait: Duration) -> usize {
        let (tx, rx) = mpsc::channel::<()>();
        let rx = Arc::new(Mutex::new(rx));
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (rx, now, most) = (Arc::clone(&rx), Arc::clone(&now), Arc::clone(&most));
                thread::spawn(move || {
                    let job = |now: &AtomicUsize, most: &AtomicUsize| {
                        let here = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(here, Ordering::SeqCst);
                        let end = Instant::now() + wait;
                        while now.load(Ordering::SeqCst) < 2 && Instant::now() < end {
                            thread::sleep(Duration::from_millis(1));
                        }
                        most.fetch_max(now.load(Ordering::SeqCst), Ordering::SeqCst);
                        thread::sleep(Duration::from_millis(20));
                        now.fetch_sub(1, Ordering::SeqCst);
                    };
                    if holds_the_lock {
                        while let Ok(()) = rx.lock().expect("lock").recv() {
                            job(&now, &most);
                        }
                    } else {
                        loop {
                            let next = rx.lock().expect("lock").recv();
                            let Ok(()) = next else { return };
                            job(&now, &most);
                        }
                    }
                })
            })
            .collect();
        tx.send(()).expect("send");
        tx.send(()).expect("send");
        drop(tx);
        for w in workers {
            w.join().expect("worker");
        }
        most.load(Ordering::SeqCst)
    }
    // 둘이 함께 돌 수 있으면 곧 만나므로 기다림은 넉넉해도 짧습니다. 잠금을 쥐고 있으면 결코
    // 만나지 못하니, 느린 컴퓨터도 이 답을 바꾸지 못합니다: 짧게 봅니다.
    // If both can run at once they soon meet, so a generous wait still ends early. Holding the
    // lock, they can never meet, and no slow machine changes that: a short look is enough.
    assert_eq!(
        most_at_once(false, TIMEOUT),
        2,
        "let: both workers busy at once"
    );
    assert_eq!(most_at_once(true, SHORT), 1, "while let: one job at a time");
}

/// 리눅스에서 실제 서버의 스레드 수: 풀은 고정, 통화마다 스레드는 통화만큼 늘어납니다.
/// (풀이 거절하는 통화는 없게 합니다: 안내하는 동안은 스레드가 하나 더 있습니다.)
/// On Linux, the real server's thread count: fixed for the pool, one more per call for threads.
/// (No call is turned away here: while a busy message plays, there is one more thread.)
#[cfg(target_os = "linux")]
#[test]
fn the_pool_keeps_its_threads_and_threads_mode_grows() {
    fn threads_of(pid: u32) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a Threads: line")
    }
    // (방식, 한 통일 때, 더 걸 통화 수, 그때, hold가 답을 기다리는 시간). 풀의 스레드 수는
    // 답과 상관없이 같으니 짧게, 통화마다 스레드는 모두 답을 받아야 하니 넉넉하게.
    // (mode, with one call, calls to add, then, how long hold waits for an answer). The pool's
    // thread count is the same whatever the answers, so briefly; thread-per-call must see
    // every call answered, so generously.
    for (mode, with_one, more, with_more, patience) in [
        ("pool", 1 + 4, 5, 1 + 4, SHORT),
        ("threads", 2, 6, 1 + 7, TIMEOUT),
    ] {
        let server = Running::start(env!("CARGO_BIN_EXE_ch07_threads"), &[mode, "127.0.0.1:0"]);
        let pid = server.child.id();
        // 받은 통화마다 스레드가 이미 돌고 있습니다 · every answered call already has its thread.
        let first = hold_calls(server.addr, 1, TIMEOUT, &mut io::sink()).expect("hold");
        assert_eq!(threads_of(pid), with_one, "{mode} with one call");
        let more = hold_calls(server.addr, more, patience, &mut io::sink()).expect("hold");
        assert_eq!(
            threads_of(pid),
            with_more,
            "{mode} with {} calls",
            1 + more.len()
        );
        drop((first, more));
    }
}

#[test]
fn the_count_comes_down_even_when_a_thread_panics() {
    let live = Counter::default();
    let inside = live.clone();
    let crashed = thread::spawn(move || {
        let _on_the_line = inside.enter();
        panic!("a bug in the middle of a call");
    })
    .join();
    assert!(crashed.is_err());
    assert_eq!(live.now(), 0);
}

#[test]
fn enter_reports_the_count_including_itself() {
    let live = Counter::default();
    let a = live.enter();
    let b = live.enter();
    assert_eq!((a.inside, b.inside, live.now()), (1, 2, 2));
    drop(a);
    assert_eq!(live.now(), 1);
    let _ = b;
}

#[test]
fn lines_from_many_threads_never_mix() {
    let shared = SharedLog::default();
    let log = Log::new(shared.clone());
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let log = log.clone();
            thread::spawn(move || {
                for i in 0..200 {
                    log.line(&format!(
                        "스레드 {t} · thread {t} line {i} {}",
                        "가".repeat(50)
                    ));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    drop(log);
    let text = shared.text();
    let all: Vec<&str> = text.lines().collect();
    assert_eq!(all.len(), 1600);
    for line in all {
        let t = &line["스레드 ".len().."스레드 ".len() + 1];
        assert!(
            line.starts_with(&format!("스레드 {t} · thread {t} line "))
                && line.ends_with(&"가".repeat(50)),
            "{line}"
        );
    }
}

#[test]
fn the_arguments_choose_the_mode_and_the_address() {
    // main이 하는 그대로 · exactly what main does
    let parse = |list: &[&str]| {
        let mut args = cli::Args::parse(list)?;
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let mode = args.word_or(Mode::Pool, parse_mode)?;
        args.finish().map(|()| (mode, addr))
    };
    let default_addr: SocketAddr = DEFAULT_ADDR.parse().expect("addr");
    assert_eq!(parse(&[]).expect("defaults"), (Mode::Pool, default_addr));
    assert_eq!(parse(&["iterative"]).expect("iterative").0, Mode::Iterative);
    assert_eq!(parse(&["threads"]).expect("threads").0, Mode::Threads);
    assert_eq!(
        parse(&["pool", "127.0.0.1:10000"]).expect("pool"),
        (Mode::Pool, "127.0.0.1:10000".parse().expect("addr"))
    );
    // 주소는 어느 자리든 됩니다 · the address may stand anywhere
    assert_eq!(
        parse(&["127.0.0.1:10000", "threads"]).expect("address first"),
        (Mode::Threads, "127.0.0.1:10000".parse().expect("addr"))
    );
    let error = parse(&["bogus"]).expect_err("not a mode");
    assert!(format!("{error}").contains("use iterative, threads or pool"));
    let error = parse(&["pool", "localhost"]).expect_err("not an address");
    assert!(format!("{error}").contains("is not an address (IP:PORT, like 127.0.0.1:9999)"));
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    assert!(format!("{error:#}").contains("is another server still running?"));
}

/// 실제 바이너리가 세 방식으로 뜨고, 받은 말을 돌려줍니다.
/// The real binary starts in each mode and echoes.
#[test]
fn the_binary_runs_in_each_mode() {
    for (mode, says) in [
        ("iterative", "iterative: one call at a time"),
        ("threads", "threads: a new thread for every call"),
        (
            "pool",
            "pool: 4 workers, room for 2 waiting for a free worker",
        ),
    ] {
        let mut server = Running::start(env!("CARGO_BIN_EXE_ch07_threads"), &[mode, "127.0.0.1:0"]);
        let mut second = String::new();
        server.stdout.read_line(&mut second).expect("second line");
        assert!(second.contains(says), "{mode}: {second}");
        assert_eq!(
            talk(dial(server.addr), "안녕!".as_bytes()),
            "안녕!".as_bytes()
        );
    }
}
