use std::io::{BufRead, BufReader, Cursor, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ch08_chat::{
    Bucket, FALLBACK_MEMBERS, Heard, MAX_LINE, MAX_MEMBERS, Rules, capacity, chat, check_name,
    listen, member_cap, parse_open_file_limit, prepare, read_line, serve, write_waiting,
};
use socket2::{Domain, SockRef, Socket, Type};
use support::{
    NotInService, SharedLog, TIMEOUT, dial, hang_up_with_reset, loopback_listener, within,
};

const ASK: &str = "* 이름을 알려 주세요 · what is your name?";
const NOT_UTF8: &str =
    "! UTF-8이 아닌 줄이라 보내지 않았습니다 · that line was not UTF-8: not sent";

fn too_long() -> String {
    format!(
        "! {MAX_LINE}바이트가 넘는 줄이라 보내지 않았습니다 · \
         that line was longer than {MAX_LINE} bytes: not sent"
    )
}

fn joined(name: &str) -> String {
    format!("* {name} 님이 들어왔습니다 · {name} joined")
}

fn left(name: &str) -> String {
    format!("* {name} 님이 나갔습니다 · {name} left")
}

fn welcome(name: &str, here: usize) -> String {
    format!("* 어서 오세요, {name} 님! 지금 {here}명 · welcome, {name}: {here} here")
}

fn stopped_reading(name: &str) -> String {
    format!(
        "* {name} 님이 읽지 않아서 연결을 끊었습니다 · {name} stopped reading and was disconnected"
    )
}

/// 서버를 스레드에서 띄웁니다 (프로세스가 끝날 때까지 돕니다).
/// Starts the server on a thread (it runs until the test process ends).
fn start_server() -> (SocketAddr, SharedLog) {
    start_server_with(Rules::default())
}

fn start_server_with(rules: Rules) -> (SocketAddr, SharedLog) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("local addr");
    let log = SharedLog::default();
    let mut writer = log.clone();
    thread::spawn(move || serve(listener, rules, &mut writer));
    (addr, log)
}

/// 테스트 쪽 참가자: nc처럼 줄을 쓰고 줄을 읽습니다 · A participant, talking lines like nc.
struct Person {
    phone: TcpStream,
    ears: BufReader<TcpStream>,
}

impl Person {
    /// 전화를 걸고 이름을 묻는 줄까지 듣습니다 · Dials and hears the question for a name.
    fn dial(addr: SocketAddr) -> Person {
        Person::on(dial(addr))
    }

    /// 이미 연결된 전화기로 이름을 묻는 줄까지 듣습니다 · The same, on a connected handset.
    fn on(phone: TcpStream) -> Person {
        let mut person = Person::quiet(phone);
        person.expect(ASK);
        person
    }

    /// 아무것도 듣지 않은 참가자 · A participant who has heard nothing yet.
    fn quiet(phone: TcpStream) -> Person {
        phone.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let ears = BufReader::new(phone.try_clone().expect("clone"));
        Person { phone, ears }
    }

    /// 들어와서 환영 인사까지 듣습니다 · Joins and hears the welcome.
    fn join(addr: SocketAddr, name: &str, here: usize) -> Person {
        let mut person = Person::dial(addr);
        person.say(name);
        person.expect(&welcome(name, here));
        person
    }

    fn say(&mut self, line: &str) {
        self.send(format!("{line}\n").as_bytes());
    }

    fn send(&mut self, bytes: &[u8]) {
        self.phone.write_all(bytes).expect("send");
    }

    /// 다음 줄 (줄 끝 없이) · The next line, without its \n.
    fn hear(&mut self) -> String {
        let mut line = String::new();
        match self.ears.read_line(&mut line) {
            Ok(0) => panic!("the server hung up instead of sending a line"),
            Ok(_) => line.trim_end_matches('\n').to_string(),
            Err(e) => panic!("no line within {TIMEOUT:?}: {e}"),
        }
    }

    fn expect(&mut self, line: &str) {
        assert_eq!(self.hear(), line);
    }

    /// 서버가 끊을 때까지 읽고, 그동안 받은 바이트 수를 돌려줍니다.
    /// Reads until the server hangs up; returns how many bytes came before that.
    fn until_hung_up(&mut self) -> usize {
        let mut rest = Vec::new();
        match self.ears.read_to_end(&mut rest) {
            Ok(_) => rest.len(),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => rest.len(),
            Err(e) => panic!("the server did not hang up within {TIMEOUT:?} per read: {e}"),
        }
    }
}

/// 민수, 지영, 철수가 차례로 들어온 방 · A room that 민수, 지영 and 철수 joined in turn.
fn three_people() -> (SocketAddr, SharedLog, Person, Person, Person) {
    three_people_with(Rules::default())
}

fn three_people_with(rules: Rules) -> (SocketAddr, SharedLog, Person, Person, Person) {
    let (addr, log) = start_server_with(rules);
    let mut a = Person::join(addr, "민수", 1);
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    let c = Person::join(addr, "철수", 3);
    a.expect(&joined("철수"));
    b.expect(&joined("철수"));
    (addr, log, a, b, c)
}

#[test]
fn a_line_from_a_reaches_b_and_c_but_not_a() {
    let (_, _, mut a, mut b, mut c) = three_people();
    a.say("안녕하세요!");
    b.expect("민수: 안녕하세요!");
    c.expect("민수: 안녕하세요!");
    // 민수가 다음에 듣는 것은 자기 말이 아니라 지영의 말입니다.
    // The next thing 민수 hears is 지영, not their own line.
    b.say("반가워요");
    a.expect("지영: 반가워요");
    c.expect("지영: 반가워요");
}

#[test]
fn c_leaving_does_not_disturb_a_and_b() {
    let (_, log, mut a, mut b, c) = three_people();
    drop(c); // 철수가 끊습니다 · 철수 hangs up
    a.expect(&left("철수"));
    b.expect(&left("철수"));
    // 알림은 한 번뿐, 그리고 둘은 계속 이야기합니다 · one notice only, and the two talk on
    a.say("철수 님 안녕히");
    b.expect("민수: 철수 님 안녕히");
    b.say("네");
    a.expect("지영: 네");
    assert!(
        log.text().contains("퇴장 · 철수 left: hung up"),
        "{}",
        log.text()
    );
}

#[test]
fn a_half_closed_caller_hears_goodbye_then_the_server_hangs_up() {
    let (_, _, mut a, mut b, mut c) = three_people();
    // "내 말은 끝, 듣기는 계속" · "I'm done talking; I can still hear you"
    c.phone.shutdown(Shutdown::Write).expect("half-close");
    c.expect("* 안녕히 가세요, 철수 님 · goodbye, 철수");
    assert_eq!(c.until_hung_up(), 0, "nothing after the goodbye");
    a.expect(&left("철수"));
    b.expect(&left("철수"));
}

#[test]
fn a_caller_who_hangs_up_before_giving_a_name_leaves_no_notice() {
    let (addr, log, mut a, mut b, _c) = three_people();
    drop(Person::dial(addr));
    // 민수가 다음에 듣는 것은 지영의 말입니다 · 민수's next line is 지영's
    b.say("누가 왔었나요?");
    a.expect("지영: 누가 왔었나요?");
    log.wait_for("without a name", 1);
}

#[test]
fn a_caller_who_gives_no_name_in_time_is_told_and_hung_up_on() {
    let rules = Rules {
        name_wait: Duration::from_millis(200),
        ..Rules::default()
    };
    let (addr, log) = start_server_with(rules);
    let mut a = Person::join(addr, "민수", 1);
    let mut nameless = Person::dial(addr);
    nameless.expect("! 이름을 0.2초 동안 기다렸습니다 · no name within 0.2 s: hanging up");
    assert_eq!(nameless.until_hung_up(), 0, "nothing after the notice");
    log.wait_for("no name within 0.2 s", 1);
    // 이름이 있는 사람은 말이 없어도 그대로 있습니다 · a named member may stay silent
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    b.say("민수 님 계세요?");
    a.expect("지영: 민수 님 계세요?");
}

#[test]
fn invalid_utf8_is_answered_to_the_sender_only_and_the_call_goes_on() {
    let (_, log, mut a, mut b, mut c) = three_people();
    a.send(b"\xff\xfe\n");
    a.expect(NOT_UTF8);
    a.say("이건 괜찮아요");
    // 지영과 철수에게는 잘못된 줄이 오지 않았습니다 · the bad line never reached them
    b.expect("민수: 이건 괜찮아요");
    c.expect("민수: 이건 괜찮아요");
    assert!(log.text().contains("refused a line from 민수: not UTF-8"));
}

#[test]
fn a_syllable_split_across_writes_arrives_whole() {
    let (_, _, mut a, mut b, _c) = three_people();
    a.phone.set_nodelay(true).expect("nodelay");
    let bytes = "가나다\n".as_bytes();
    // "가"의 첫 두 바이트만 먼저 · only the first two bytes of "가" first
    a.send(&bytes[..2]);
    thread::sleep(Duration::from_millis(50));
    a.send(&bytes[2..]);
    b.expect("민수: 가나다");
}

#[test]
fn an_overlong_line_is_refused_and_the_next_line_still_works() {
    let (_, _, mut a, mut b, _c) = three_people();
    // 정확히 한계만큼은 됩니다. \r\n으로 끝나도 됩니다 · exactly the limit is fine, \r\n too
    let longest = "x".repeat(MAX_LINE);
    a.say(&longest);
    b.expect(&format!("민수: {longest}"));
    a.send(format!("{longest}\r\n").as_bytes());
    b.expect(&format!("민수: {longest}"));

    // 한 바이트 넘으면 거절 · one byte over is refused
    a.say(&"x".repeat(MAX_LINE + 1));
    a.expect(&too_long());
    // 1 MiB짜리 한 줄도: 서버는 읽어서 버리고, 다음 줄에서 다시 맞춥니다
    // A 1 MiB line too: the server reads and discards it, and picks up at the next line
    a.say(&"가".repeat(1 << 18));
    a.expect(&too_long());
    a.say("다음 줄 · the next line");
    b.expect("민수: 다음 줄 · the next line");
}

#[test]
fn crlf_from_nc_on_windows_is_accepted_and_empty_lines_are_skipped() {
    let (addr, _) = start_server();
    let mut a = Person::dial(addr);
    a.send("민수\r\n".as_bytes());
    a.expect(&welcome("민수", 1));
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    a.send(b"\r\n\nhello\r\n");
    b.expect("민수: hello");
}

#[test]
fn the_name_rules_are_enforced_and_a_caller_may_try_again() {
    let (addr, log) = start_server();
    let _a = Person::join(addr, "민수", 1);
    let mut b = Person::dial(addr);
    for (name, answer) in [
        (
            "",
            "! 이름이 비어 있습니다 · the name is empty: type a name",
        ),
        (
            "가나다라마바사아자차카타파하가나다",
            "! 이름은 16글자까지입니다 · a name has at most 16 characters",
        ),
        (
            "민 수",
            "! 이름에는 글자, 숫자, -, _만 씁니다 · use only letters, digits, - and _ in a name",
        ),
        (
            "민수:",
            "! 이름에는 글자, 숫자, -, _만 씁니다 · use only letters, digits, - and _ in a name",
        ),
        (
            "민수",
            "! 이미 있는 이름입니다 · 민수 is taken: choose another",
        ),
    ] {
        b.say(name);
        b.expect(answer);
    }
    // 16글자는 됩니다 · 16 characters are fine
    b.say("가나다라마바사아자차카타파하가나");
    b.expect(&welcome("가나다라마바사아자차카타파하가나", 2));
    assert!(log.text().contains("이름 거절 · name \"민수\" refused"));
}

#[test]
fn a_line_without_its_newline_is_not_sent() {
    let (_, _, mut a, mut b, _c) = three_people();
    a.send("반쪽".as_bytes());
    a.phone.shutdown(Shutdown::Write).expect("half-close");
    // 지영이 듣는 다음 줄은 "민수: 반쪽"이 아니라 나갔다는 알림입니다
    // 지영's next line is the leave notice, not "민수: 반쪽"
    b.expect(&left("민수"));
}

#[test]
fn a_caller_who_resets_mid_line_does_not_disturb_the_room() {
    let (addr, log, a, mut b, mut c) = three_people();
    let Person { mut phone, ears } = a;
    phone.write_all("반만 보낸 줄".as_bytes()).expect("send");
    drop(ears);
    hang_up_with_reset(phone);
    b.expect(&left("민수"));
    c.expect(&left("민수"));
    log.wait_for("퇴장 · 민수 left: reset the connection", 1);
    b.say("괜찮아요?");
    c.expect("지영: 괜찮아요?");
    // 방은 여전히 새 사람을 받습니다 · the room still takes new people
    let _d = Person::join(addr, "영희", 3);
    b.expect(&joined("영희"));
}

/// 평범한 부하: 100명이 저마다 100줄을 한꺼번에 보내고, 있는 힘껏 읽습니다. 모두가 남의 줄을
/// 하나도 빠짐없이, 말한 사람마다 차례대로 듣고, 아무도 끊기지 않습니다. 기본 한도 그대로입니다.
/// 60초는 실패를 알리는 시한일 뿐, 기계가 빠르다고 가정하지 않습니다.
/// Ordinary load: 100 members each send 100 lines at once and read as fast as they can.
/// Everyone hears every other member's lines, in each speaker's order, and nobody is hung up;
/// default limits. The 60 s are only a deadline for failing, not an assumption about speed.
#[test]
fn a_hundred_members_sending_a_hundred_lines_each_all_hear_everything() {
    const MEMBERS: usize = 100;
    const LINES: usize = 100;
    let (addr, log) = start_server();
    within(Duration::from_secs(60), move || {
        // 차례로 들어옵니다. 말은 모두 들어온 뒤에 시작합니다.
        // They join one after another; the talking starts once everyone is in.
        let people: Vec<Person> = (0..MEMBERS)
            .map(|i| Person::join(addr, &format!("p{i}"), i + 1))
            .collect();
        let talkers: Vec<_> = people
            .into_iter()
            .enumerate()
            .map(|(me, mut person)| {
                thread::spawn(move || {
                    let lines: String = (0..LINES).map(|n| format!("{n}\n")).collect();
                    person.send(lines.as_bytes());
                    // 나보다 늦게 들어온 사람들의 입장 알림이 먼저 옵니다.
                    // First the join notices of those who came after me.
                    for later in me + 1..MEMBERS {
                        person.expect(&joined(&format!("p{later}")));
                    }
                    let mut next = [0; MEMBERS];
                    for _ in 0..(MEMBERS - 1) * LINES {
                        let line = person.hear();
                        let (who, n) = line.split_once(": ").expect("name: text");
                        let who: usize = who[1..].parse().expect("p<number>");
                        assert_ne!(who, me, "my own line came back");
                        assert_eq!(n, next[who].to_string(), "p{who}'s lines out of order");
                        next[who] += 1;
                    }
                })
            })
            .collect();
        for talker in talkers {
            talker.join().expect("every member heard every line");
        }
    });
    assert!(!log.text().contains("끊음"), "{}", log.text());
}

/// 받기 버퍼가 아주 작은 전화기로 겁니다: 읽지 않는 사람이 빨리 차오릅니다.
/// Dials with a tiny receive buffer, so a member who never reads fills up sooner.
fn dial_with_a_small_receive_buffer(addr: SocketAddr) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    socket.connect_timeout(&addr.into(), TIMEOUT).expect("dial");
    socket.into()
}

/// 느림은 들어온 뒤로 한 번도 읽지 않고, 민수가 긴 줄을 보내며, 지영은 열 줄마다 제때 듣습니다.
/// 알림이 올 때까지 보냅니다: 운영체제의 버퍼가 얼마나 받아 주는지는 기계마다 다르니까요.
/// 지영 앞에는 많아야 열 줄이 쌓이므로, 어떤 한도에도 닿지 않습니다.
/// 느림 never reads after joining; 민수 sends long lines; 지영 hears every ten in time. The
/// sending goes on until the notice, since how much the OS's buffers take differs between
/// machines. At most ten lines ever wait for 지영, so no limit can catch her.
fn a_reader_stops_while_others_talk(rules: Rules, why: &str) {
    let (addr, log) = start_server_with(rules);
    let mut slow = Person::on(dial_with_a_small_receive_buffer(addr));
    slow.say("느림");
    slow.expect(&welcome("느림", 1));
    let mut a = Person::join(addr, "민수", 2);
    let mut b = Person::join(addr, "지영", 3);
    a.expect(&joined("지영"));
    let kicked = stopped_reading("느림");
    let log_in_thread = log.clone();
    let (a, mut b) = within(Duration::from_secs(60), move || {
        let mut sent = 0;
        'talking: loop {
            assert!(
                sent < 100_000,
                "{sent} lines and 느림 is still in the room:\n{}",
                log_in_thread.text()
            );
            let lines: Vec<String> = (sent..sent + 10)
                .map(|n| format!("{n:06} {}", "가".repeat(300)))
                .collect();
            a.send(format!("{}\n", lines.join("\n")).as_bytes());
            sent += 10;
            for line in &lines {
                let heard = b.hear();
                if heard == kicked {
                    break 'talking;
                }
                assert_eq!(heard, format!("민수: {line}"));
            }
        }
        a.expect(&kicked);
        (a, b)
    });
    log.wait_for(&format!("끊음 · hung up on 느림: {why}, not reading"), 1);
    // 느림이 이제 읽으면, 쌓여 있던 것을 받고 끊긴 것을 봅니다.
    // If 느림 reads now, it gets what was buffered, then finds the line hung up.
    assert!(slow.until_hung_up() > 0);
    // 나간 알림이 또 오지 않고, 둘은 계속 이야기합니다 · no second notice; the two talk on
    let mut a = a;
    // 지영은 민수의 마지막 몇 줄을 아직 다 듣지 않았을 수 있습니다 · 지영 may have a few of
    // 민수's last lines still to hear
    a.say("조용해졌네요");
    while b.hear() != "민수: 조용해졌네요" {}
    b.say("그러네요");
    a.expect("지영: 그러네요");
}

/// 멈춘 사람은 쓰기가 `stall` 동안 진척이 없으면 끊깁니다. 바이트 한도는 닿을 수 없게 크게.
/// A member who stopped is hung up once a write makes no progress for `stall`; the byte
/// budget is too large to matter here.
#[test]
fn a_member_who_stops_reading_is_hung_up_after_the_stall_limit() {
    let rules = Rules {
        stall: Duration::from_millis(300),
        budget: usize::MAX / 2,
        burst: 1_000_000,
        per_second: 1_000_000,
        ..Rules::default()
    };
    a_reader_stops_while_others_talk(rules, "nothing written for 0.3 s");
}

/// 멈춘 사람 앞에 쓰지 못한 바이트가 `budget`을 넘으면 끊깁니다. stall은 한 시간으로.
/// A member who stopped is hung up once more than `budget` bytes wait for them; stall is an
/// hour here.
#[test]
fn a_member_who_stops_reading_is_hung_up_past_the_byte_budget() {
    let rules = Rules {
        stall: Duration::from_secs(3600),
        budget: 64 * 1024,
        burst: 1_000_000,
        per_second: 1_000_000,
        ..Rules::default()
    };
    a_reader_stops_while_others_talk(rules, "over 65536 bytes waiting");
}

/// 한 사람이 속도 제한도 없이 있는 힘껏 쏟아내도, 계속 읽는 사람은 끊기지 않고 모든 줄을
/// 차례대로 듣습니다. 5000줄은 한 사람에게 60KB쯤이라, 1MiB 한도에 닿을 수 없습니다.
/// One member floods with no rate limit at all; the members who keep reading are never hung up
/// on and hear every line, in order. 5000 lines are about 60 KB per reader, far below 1 MiB.
#[test]
fn a_flood_from_one_member_drops_no_reader() {
    let rules = Rules {
        burst: 1_000_000,
        per_second: 1_000_000,
        ..Rules::default()
    };
    let (_, log, mut a, mut b, mut c) = three_people_with(rules);
    let lines = 5000;
    let flood: String = (0..lines).map(|i| format!("{i:04}\n")).collect();
    a.send(flood.as_bytes());
    for i in 0..lines {
        let line = format!("민수: {i:04}");
        b.expect(&line);
        c.expect(&line);
    }
    assert!(!log.text().contains("끊음"), "{}", log.text());
    b.say("다 들었어요");
    a.expect("지영: 다 들었어요");
}

/// 쏟아내는 사람은 느려지고, 읽는 사람은 끊기지 않습니다. 토큰이 1초에 100개뿐이면 서버는 그만큼만
/// 읽으므로 쏟아내는 사람의 쓰기는 버퍼가 찬 뒤 기다리고, 지영은 그동안 받은 줄을 차례대로 듣습니다.
/// 받은 것을 끝없이 읽어 가는 서버라면 64MiB를 기다림 없이 받았을 것입니다.
/// Someone who floods is slowed down, and the reader is not dropped. With 100 tokens a second
/// the server reads only that much, so the flooder's writes wait once the buffers are full,
/// while 지영 hears the lines that got through, in order. A server that read everything would
/// have taken all 64 MiB without a single write waiting.
#[test]
fn a_member_who_floods_is_slowed_down_and_no_reader_is_dropped() {
    let rules = Rules {
        burst: 50,
        per_second: 100,
        ..Rules::default()
    };
    let (addr, log) = start_server_with(rules);
    let mut a = Person::join(addr, "민수", 1);
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    // 우리 쪽 보내기 버퍼는 작게: 홍수를 받아 줄 곳은 서버뿐입니다.
    // A small send buffer on our side, so only the server could soak up the flood.
    SockRef::from(&a.phone)
        .set_send_buffer_size(64 * 1024)
        .expect("SO_SNDBUF");
    a.phone
        .set_write_timeout(Some(Duration::from_millis(500)))
        .expect("write timeout");
    let line = |i: usize| format!("{i:04} {}", "x".repeat(94));
    let chunk: String = (0..1000).map(|i| format!("{}\n", line(i))).collect();
    let (mut sent, mut at) = (0, 0);
    let waited = loop {
        if sent >= 64 << 20 {
            break false;
        }
        match a.phone.write(&chunk.as_bytes()[at..]) {
            Ok(n) => {
                sent += n;
                at = (at + n) % chunk.len();
            }
            // 서버가 읽지 않아 쓰기가 기다렸습니다 · the write waited: the server is not reading
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break true;
            }
            Err(e) => panic!("writing the flood failed: {e}"),
        }
    };
    assert!(
        waited,
        "the server took {sent} bytes without making us wait"
    );
    for i in 0..100 {
        b.expect(&format!("민수: {}", line(i)));
    }
    assert!(!log.text().contains("끊음"), "{}", log.text());
}

/// 토큰 양동이는 시계 없이 시험합니다: 시각을 테스트가 정해 줍니다.
/// The token bucket, tested without a clock: the test supplies the instants.
#[test]
fn the_token_bucket_lets_a_burst_through_then_paces() {
    let start = Instant::now();
    let ms = |n| start + Duration::from_millis(n);
    let mut bucket = Bucket::new(3, 10, start);
    // 한꺼번에 세 줄은 기다리지 않습니다 · three lines at once never wait
    for _ in 0..3 {
        assert_eq!(bucket.take(start), Duration::ZERO);
    }
    // 넷째 줄은 토큰 하나가 찰 때까지, 1초에 10개이니 100ms · the fourth waits 100 ms
    assert_eq!(bucket.take(start), Duration::from_millis(100));
    // 그만큼 기다린 뒤에는 한 줄에 100ms씩 · after that wait, 100 ms per line
    assert_eq!(bucket.take(ms(100)), Duration::from_millis(100));
    // 쉬고 나면 다시 가득 차지만, 셋보다 많이 차지는 않습니다 · after a rest it is full
    // again, but never more than three
    let later = ms(10_000);
    for _ in 0..3 {
        assert_eq!(bucket.take(later), Duration::ZERO);
    }
    assert!(bucket.take(later) > Duration::ZERO);
}

/// 대기열에 와 있는 줄은 write 한 번으로 나갑니다 · The lines waiting go out in one write.
#[test]
fn the_lines_waiting_for_a_member_go_out_in_one_write() {
    /// write가 불릴 때마다 받은 바이트를 적어 둡니다 · Records every call to write.
    #[derive(Default)]
    struct Counting(Vec<Vec<u8>>);
    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (outbox, queue) = mpsc::channel();
    outbox.send("지영: 둘\n".to_string()).expect("queue");
    outbox
        .send("철수: 셋\n민수: 넷\n".to_string())
        .expect("queue");
    let mut phone = Counting::default();
    let mut batch = Vec::new();
    let written =
        write_waiting("민수: 하나\n".into(), &queue, &mut batch, &mut phone).expect("write");
    let all = "민수: 하나\n지영: 둘\n철수: 셋\n민수: 넷\n";
    assert_eq!(
        phone.0,
        vec![all.as_bytes().to_vec()],
        "one write for all four"
    );
    assert_eq!(written, all.len());
}

/// 참가자의 소켓은 TCP_NODELAY가 켜지고, 쓰기에 stall만큼의 제한 시간이 붙습니다.
/// A member's socket gets TCP_NODELAY, and its writes a timeout of `stall`.
#[test]
fn a_members_socket_sends_at_once_and_its_writes_have_the_stall_limit() {
    let listener = loopback_listener();
    let _caller = dial(listener.local_addr().expect("addr"));
    let (phone, _) = listener.accept().expect("accept");
    prepare(&phone, Duration::from_secs(7)).expect("prepare");
    assert!(phone.nodelay().expect("nodelay"));
    assert_eq!(
        phone.write_timeout().expect("timeout"),
        Some(Duration::from_secs(7))
    );
}

/// 이름을 말한 뒤 줄 하나 없이 `idle`이 지나면, 까닭을 듣고 끊기며 다른 사람들이 알림을 듣습니다.
/// 민수가 먼저 들어왔으니 먼저 끊깁니다: 지영은 민수의 알림을 듣고 나서 자기 알림을 듣습니다.
/// After `idle` with no line, a member is told why and hung up on, and the others hear it.
/// 민수 joined first, so 민수 goes first: 지영 hears 민수's notice, then her own.
#[test]
fn a_member_silent_past_the_idle_limit_is_told_and_hung_up_on() {
    let rules = Rules {
        idle: Duration::from_millis(300),
        ..Rules::default()
    };
    let (addr, log) = start_server_with(rules);
    let mut a = Person::join(addr, "민수", 1);
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    let told = "! 0.3초 동안 아무 줄도 없었습니다 · nothing from you for 0.3 s: hanging up";
    a.expect(told);
    assert_eq!(a.until_hung_up(), 0, "nothing after the notice");
    b.expect("* 민수 님이 0.3초 동안 말이 없어 연결을 끊었습니다 · 민수 was silent for 0.3 s and was disconnected");
    b.expect(told);
    assert_eq!(b.until_hung_up(), 0, "nothing after the notice");
    log.wait_for("끊음 · hung up on 민수: no line for 0.3 s", 1);
    log.wait_for("끊음 · hung up on 지영: no line for 0.3 s", 1);
}

/// 인원 한도를 넘은 전화는 까닭을 듣고 끊깁니다. 자리가 나면 다시 들어올 수 있습니다.
/// A caller past the member cap is told why and hung up on; once a place is free, a caller
/// gets in again.
#[test]
fn past_the_member_cap_a_caller_hears_the_room_is_full() {
    let rules = Rules {
        max_members: 2,
        ..Rules::default()
    };
    let (addr, log) = start_server_with(rules);
    let a = Person::join(addr, "민수", 1);
    let mut b = Person::join(addr, "지영", 2);
    let mut third = Person::quiet(dial(addr));
    third.expect("! 방이 꽉 찼습니다 · the room is full (2 members): try again later");
    assert_eq!(third.until_hung_up(), 0, "nothing after the refusal");
    log.wait_for("거절 · refused a call from", 1);
    assert!(log.text().contains("the room is full (2 members)"));
    drop(a);
    b.expect(&left("민수"));
    let _c = Person::join(addr, "철수", 2);
    b.expect(&joined("철수"));
}

/// 인원 한도는 열린 파일 한도에서 나옵니다 · The member cap comes from the open-file limit.
#[test]
fn the_member_cap_follows_the_open_file_limit() {
    let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                  Max open files            1024                 524288               files     \n";
    assert_eq!(parse_open_file_limit(limits), Some(1024));
    assert_eq!(parse_open_file_limit("Max processes 10 10\n"), None);
    // 1024개면 여유분 24개를 빼고 소켓 하나씩 · 1024 leaves 1000 after the 24 spare
    assert_eq!(member_cap(Some(1024)), MAX_MEMBERS);
    assert_eq!(member_cap(Some(524)), 500);
    assert_eq!(member_cap(Some(20_000)), MAX_MEMBERS);
    assert_eq!(member_cap(None), FALLBACK_MEMBERS);
    assert!(capacity(500, Some(524)).ends_with("room for 500 members (raise it with ulimit -n)"));
    assert!(capacity(1000, Some(1024)).ends_with("open-file limit 1024: room for 1000 members"));
    assert!(capacity(200, None).contains("open-file limit unknown"));
}

#[test]
fn read_line_frames_lines_and_bounds_memory() {
    let mut input = Cursor::new(b"a\nb\r\n\xff\n\nxyz\nno newline".to_vec());
    let mut next = || read_line(&mut input, 3).expect("read");
    assert_eq!(next(), Some(Heard::Line("a".into())));
    assert_eq!(next(), Some(Heard::Line("b".into())));
    assert_eq!(next(), Some(Heard::NotUtf8));
    assert_eq!(next(), Some(Heard::Line(String::new())));
    assert_eq!(next(), Some(Heard::Line("xyz".into())));
    // \n 없이 끝난 조각은 줄이 아닙니다 · a piece without \n is not a line
    assert_eq!(next(), None);

    // 한계 + \r은 되지만, 한계 + 1은 안 됩니다 · limit + \r is fine, limit + 1 is not
    let mut input = Cursor::new(b"abc\r\nabcd\nok\n".to_vec());
    let mut next = || read_line(&mut input, 3).expect("read");
    assert_eq!(next(), Some(Heard::Line("abc".into())));
    assert_eq!(next(), Some(Heard::TooLong));
    assert_eq!(next(), Some(Heard::Line("ok".into())));

    // 작은 버퍼로 읽어도 같습니다: 줄은 여러 read에 걸쳐 옵니다
    // The same through a tiny buffer: lines come across many reads
    let text = "가나다\n라마바사아자차카타파하\n끝\n";
    let mut input = BufReader::with_capacity(2, text.as_bytes());
    let mut next = || read_line(&mut input, 12).expect("read");
    assert_eq!(next(), Some(Heard::Line("가나다".into())));
    assert_eq!(next(), Some(Heard::TooLong));
    assert_eq!(next(), Some(Heard::Line("끝".into())));
    assert_eq!(next(), None);
}

#[test]
fn check_name_says_what_is_wrong() {
    assert_eq!(check_name("민수", &[]), Ok(()));
    assert_eq!(check_name("kim_min-su2", &["민수"]), Ok(()));
    assert!(check_name("민수", &["지영", "민수"]).is_err_and(|e| e.contains("taken")));
    assert!(check_name("", &[]).is_err_and(|e| e.contains("empty")));
    assert!(check_name("*", &[]).is_err_and(|e| e.contains("only letters")));
    assert!(check_name(&"a".repeat(17), &[]).is_err_and(|e| e.contains("at most 16")));
}

#[test]
fn the_client_sends_its_name_and_what_was_typed_then_hears_goodbye() {
    let (addr, _) = start_server();
    let mut b = Person::join(addr, "지영", 1);
    let typed = Cursor::new("안녕하세요\n".as_bytes().to_vec());
    let client = thread::spawn(move || {
        let mut shown = Vec::new();
        chat(addr, Some("민수"), typed, &mut shown).map(|()| shown)
    });
    b.expect(&joined("민수"));
    b.expect("민수: 안녕하세요");
    b.expect(&left("민수"));
    let shown = client.join().expect("client thread").expect("chat");
    assert_eq!(
        String::from_utf8(shown).expect("UTF-8"),
        format!(
            "{ASK}\n{}\n* 안녕히 가세요, 민수 님 · goodbye, 민수\n연결 종료 · the server hung up\n",
            welcome("민수", 2)
        )
    );
}

#[test]
fn the_client_with_nothing_listening_says_what_to_run() {
    let nobody = NotInService::new(); // 없는 번호 · a number not in service
    let addr = nobody.addr;
    let error = chat(addr, Some("민수"), std::io::empty(), &mut Vec::new()).expect_err("refused");
    let message = format!("{error:#}");
    assert!(message.contains("cargo run -p ch08_chat"), "{message}");
}

#[test]
fn a_port_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let error = listen(taken.local_addr().expect("addr")).expect_err("in use");
    assert!(format!("{error:#}").contains("is another server still running?"));
}
