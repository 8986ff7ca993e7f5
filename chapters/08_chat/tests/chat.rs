use std::io::{BufRead, BufReader, Cursor, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use ch08_chat::{Heard, MAX_LINE, QUEUE, Rules, chat, check_name, listen, read_line, serve};
use socket2::{Domain, SockRef, Socket, Type};

/// 모든 읽기의 제한 시간 · The time limit on every read.
const TIMEOUT: Duration = Duration::from_secs(5);

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

/// 서버 로그: 테스트가 서버가 도는 동안 들여다봅니다 · The server's log, readable while it runs.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log lock")).into_owned()
    }
}

/// 서버를 스레드에서 띄웁니다 (프로세스가 끝날 때까지 돕니다).
/// Starts the server on a thread (it runs until the test process ends).
fn start_server() -> (SocketAddr, Log) {
    start_server_with(Rules::default())
}

fn start_server_with(rules: Rules) -> (SocketAddr, Log) {
    let listener = listen("127.0.0.1:0".parse().expect("addr")).expect("listen");
    let addr = listener.local_addr().expect("local addr");
    let log = Log::default();
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
        let phone = TcpStream::connect_timeout(&addr, TIMEOUT).expect("dial");
        Person::on(phone)
    }

    /// 이미 연결된 전화기로 이름을 묻는 줄까지 듣습니다 · The same, on a connected handset.
    fn on(phone: TcpStream) -> Person {
        phone.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let ears = BufReader::new(phone.try_clone().expect("clone"));
        let mut person = Person { phone, ears };
        person.expect(ASK);
        person
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
fn three_people() -> (SocketAddr, Log, Person, Person, Person) {
    let (addr, log) = start_server();
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
    // "내 말은 끝, 듣기는 계속" · "I'm done talking, still listening"
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
    wait_for_log(&log, "without a name");
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
    wait_for_log(&log, "no name within 0.2 s");
    // 이름이 있는 사람은 말이 없어도 그대로 있습니다 · a named member may stay silent
    let mut b = Person::join(addr, "지영", 2);
    a.expect(&joined("지영"));
    b.say("민수 님 계세요?");
    a.expect("지영: 민수 님 계세요?");
}

/// 서버 로그에 한 줄이 찍힐 때까지 (제한 시간 안에) · Until the log has a line (within a limit).
fn wait_for_log(log: &Log, needle: &str) {
    for _ in 0..500 {
        if log.text().contains(needle) {
            return;
        }
        thread::sleep(Duration::from_millis(10));
    }
    panic!("no {needle:?} in the log:\n{}", log.text());
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

/// SO_LINGER 0으로 닫으면 FIN 대신 RST가 갑니다 · Closing with linger 0 sends RST, not FIN.
fn reset(phone: TcpStream) {
    socket2::SockRef::from(&phone)
        .set_linger(Some(Duration::ZERO))
        .expect("linger");
    drop(phone);
}

#[test]
fn a_caller_who_resets_mid_line_does_not_disturb_the_room() {
    let (addr, log, a, mut b, mut c) = three_people();
    let Person { mut phone, ears } = a;
    phone.write_all("반만 보낸 줄".as_bytes()).expect("send");
    drop(ears);
    reset(phone);
    b.expect(&left("민수"));
    c.expect(&left("민수"));
    wait_for_log(&log, "퇴장 · 민수 left: reset the connection");
    b.say("괜찮아요?");
    c.expect("지영: 괜찮아요?");
    // 방은 여전히 새 사람을 받습니다 · the room still takes new people
    let _d = Person::join(addr, "영희", 3);
    b.expect(&joined("영희"));
}

/// 받기 버퍼가 아주 작은 전화기로 겁니다: 읽지 않는 사람이 빨리 차오릅니다.
/// Dials with a tiny receive buffer, so a member who never reads fills up sooner.
fn dial_with_a_small_receive_buffer(addr: SocketAddr) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    socket.connect_timeout(&addr.into(), TIMEOUT).expect("dial");
    socket.into()
}

#[test]
fn a_reader_who_stops_reading_is_disconnected_and_the_others_keep_hearing() {
    let (addr, log) = start_server();
    // 느림: 이름을 말한 뒤로 한 번도 읽지 않습니다 · 느림 never reads after joining
    let mut slow = Person::on(dial_with_a_small_receive_buffer(addr));
    slow.say("느림");
    slow.expect(&welcome("느림", 1));
    let mut a = Person::join(addr, "민수", 2);
    let mut b = Person::join(addr, "지영", 3);
    a.expect(&joined("지영"));
    let kicked =
        "* 느림 님이 듣지 않아서 연결을 끊었습니다 · 느림 stopped listening and was disconnected";

    // 민수가 긴 줄을 보내고, 지영은 한 줄 한 줄 제때 듣습니다. 서버의 보내기 버퍼가 얼마나
    // 큰지는 기계마다 다르므로, 알림이 올 때까지 보냅니다 (많아야 10만 줄, 2분).
    // 민수 sends long lines; 지영 hears every one of them in time. How much the server's send
    // buffer holds differs between machines, so keep sending until the notice comes (at most
    // 100,000 lines, 2 minutes).
    let started = Instant::now();
    let mut disconnected = false;
    let mut sent = 0;
    while !disconnected {
        assert!(
            sent < 100_000 && started.elapsed() < Duration::from_secs(120),
            "{sent} lines and 느림 is still in the room:\n{}",
            log.text()
        );
        let line = format!("{sent:06} {}", "가".repeat(300));
        a.say(&line);
        sent += 1;
        loop {
            let heard = b.hear();
            if heard == kicked {
                disconnected = true;
            } else {
                assert_eq!(heard, format!("민수: {line}"));
                break;
            }
        }
    }
    a.expect(kicked);
    assert!(
        sent > QUEUE,
        "the kernel's buffers and the queue held {sent} lines"
    );
    assert!(
        log.text().contains(&format!(
            "끊음 · hung up on 느림: {QUEUE} lines waiting, not reading"
        )),
        "{}",
        log.text()
    );

    // 느림이 이제 읽으면, 쌓여 있던 것을 받고 끊긴 것을 봅니다.
    // If 느림 reads now, it gets what was buffered, then finds the line hung up.
    let buffered = slow.until_hung_up();
    assert!(buffered > 0);

    // 나간 알림이 또 오지 않고, 둘은 계속 이야기합니다 · no second notice; the two talk on
    a.say("조용해졌네요");
    b.expect("민수: 조용해졌네요");
    b.say("그러네요");
    a.expect("지영: 그러네요");
}

/// 한 사람이 있는 힘껏 쏟아내도, 제때 읽는 사람은 끊기지 않고 모든 줄을 차례대로 듣습니다.
/// One member sends as fast as they can; the members who keep reading are never hung up on,
/// and hear every line, in order.
#[test]
fn a_flood_from_one_member_drops_no_reader() {
    let (_, log, mut a, mut b, mut c) = three_people();
    // 짧은 줄 2000개를 한 번에 씁니다 (버퍼에 다 들어가므로 곧바로 돌아옵니다).
    // 2000 short lines in one write (it fits in the buffers, so it returns at once).
    let lines = 2000;
    let flood: String = (0..lines).map(|i| format!("{i:04}\n")).collect();
    a.send(flood.as_bytes());
    for i in 0..lines {
        let line = format!("민수: {i:04}");
        b.expect(&line);
        c.expect(&line);
    }
    assert!(!log.text().contains("끊음"), "{}", log.text());
    // 방은 여전히 말을 전합니다 · the room still passes lines on
    b.say("다 들었어요");
    a.expect("지영: 다 들었어요");
}

/// 쏟아내는 사람은 느려집니다: 서버가 PACE보다 빨리 읽지 않으므로, 그 사람의 쓰기가 기다립니다.
/// 받은 것을 끝없이 쌓아 두는 서버라면 2초 안에 16MiB를 모두 받아 갔을 것입니다.
/// Someone who floods is slowed down: the server reads no faster than PACE, so their writes
/// wait. A server that piled up whatever it received would take all 16 MiB within 2 seconds.
#[test]
fn a_member_who_floods_is_slowed_down() {
    let (addr, _log) = start_server();
    let mut a = Person::join(addr, "민수", 1);
    // 우리 쪽 보내기 버퍼는 작게: 홍수를 받아 줄 곳은 서버뿐입니다.
    // A small send buffer on our side, so only the server could soak up the flood.
    SockRef::from(&a.phone)
        .set_send_buffer_size(64 * 1024)
        .expect("SO_SNDBUF");
    a.phone
        .set_write_timeout(Some(Duration::from_millis(500)))
        .expect("write timeout");
    // 100바이트짜리 줄을 끝없이 이어 보냅니다 · an endless stream of 100-byte lines
    let chunk: String = (0..1000)
        .map(|i| format!("{i:04} {}\n", "x".repeat(94)))
        .collect();
    let (mut sent, mut at) = (0, 0);
    let started = Instant::now();
    while sent < 16 << 20 && started.elapsed() < Duration::from_secs(2) {
        match a.phone.write(&chunk.as_bytes()[at..]) {
            Ok(n) => {
                sent += n;
                at = (at + n) % chunk.len();
            }
            // 서버가 읽지 않아 쓰기가 기다렸습니다 · the write waited: the server is not reading
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("writing the flood failed: {e}"),
        }
    }
    assert!(
        sent < 16 << 20,
        "the server took {sent} bytes within 2 seconds without making us wait"
    );
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
    let free = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("addr");
    drop(free);
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
