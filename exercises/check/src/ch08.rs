//! 8장 연습 문제 검사 · Checks for chapter 8.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, SyncSender};
use std::thread;

use ch08_solutions::{Route, Rules, To, serve};

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, dial, expect_eq, fail, loopback_listener, within,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "8.1",
        title: "누가 있나요 · Who is here?",
        file: "exercises/ch08/src/lib.rs",
        function: "who",
        check: check_8_1,
    },
    Exercise {
        id: "8.2",
        title: "귓속말 · A private word",
        file: "exercises/ch08/src/lib.rs",
        function: "whisper",
        check: check_8_2,
    },
    Exercise {
        id: "8.3",
        title: "(도전) 끊지 말고 버리기 · (stretch) Drop lines, don't hang up",
        file: "exercises/ch08/src/lib.rs",
        function: "offer",
        check: check_8_3,
    },
];

type Routed = Vec<(To, String)>;

/// 학생의 route 함수를 (패닉해도 검사기가 멈추지 않게) 부릅니다.
/// Calls the student's route function (a panic becomes a failure, not a crash).
fn route_once(route: Route, from: &str, text: &str, names: &[&str]) -> Result<Routed, Failure> {
    let (from, text) = (from.to_string(), text.to_string());
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let what = format!("your function, given ({from:?}, {text:?}, {names:?})");
    within(PATIENCE, &what, move || {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        route(&from, &text, &names)
    })
}

/// 한 번 불러 기대와 비교합니다 · One call, compared with what is expected.
fn expect_route(route: Route, text: &str, expected: Routed) -> Outcome {
    let names = ["민수", "지영", "철수"];
    let got = route_once(route, "민수", text, &names)?;
    expect_eq(
        &format!("민수 says {text:?} in a room of 민수, 지영, 철수"),
        expected,
        got,
    )
}

fn everyone(line: &str) -> Routed {
    vec![(To::Others, line.to_string())]
}

/// 검사기 쪽 참가자: nc처럼 줄을 쓰고 줄을 읽습니다 · A participant, talking lines like nc.
struct Person {
    name: &'static str,
    phone: TcpStream,
    ears: BufReader<TcpStream>,
}

impl Person {
    /// 전화를 걸어 이름을 말하고, 환영 인사까지 듣습니다 · Dials, says the name, hears the welcome.
    fn join(addr: SocketAddr, name: &'static str) -> Result<Person, Failure> {
        let phone = dial(addr)?;
        let ears = BufReader::new(
            phone
                .try_clone()
                .map_err(|e| fail("try_clone", "a second handle", e))?,
        );
        let mut person = Person { name, phone, ears };
        person.say(name)?;
        loop {
            let line = person.hear()?;
            if line.contains("welcome") {
                return Ok(person);
            }
        }
    }

    fn say(&mut self, line: &str) -> Result<(), Failure> {
        self.phone
            .write_all(format!("{line}\n").as_bytes())
            .map_err(|e| fail(&format!("{} sends {line:?}", self.name), "ok", e))
    }

    fn hear(&mut self) -> Result<String, Failure> {
        let mut line = String::new();
        let what = format!("what {} hears next", self.name);
        match self.ears.read_line(&mut line) {
            Ok(0) => Err(Failure {
                what,
                expected: "a line".into(),
                got: "the server hung up (did the room stop?)".into(),
            }),
            Ok(_) => Ok(line.trim_end_matches('\n').to_string()),
            Err(e) => Err(fail(&what, "a line within 5 s", e)),
        }
    }

    /// 들어왔다는 알림은 건너뛰고 다음 줄을 봅니다 · The next line that is not a join notice.
    fn expect(&mut self, what: &str, expected: &str) -> Outcome {
        let got = loop {
            let line = self.hear()?;
            if !(line.starts_with("* ") && line.ends_with(" joined")) {
                break line;
            }
        };
        expect_eq(what, expected.to_string(), got)
    }
}

/// 학생의 route로 방을 열고 민수, 지영, 철수를 들여보냅니다.
/// Opens a room with the student's route; 민수, 지영 and 철수 join.
fn room_with(route: Route) -> Result<(Person, Person, Person), Failure> {
    let (listener, addr) = loopback_listener()?;
    let rules = Rules {
        route,
        ..Rules::default()
    };
    // 서버는 검사기가 끝날 때까지 돕니다 · the server runs until the checker ends
    thread::spawn(move || serve(listener, rules, &mut std::io::sink()));
    Ok((
        Person::join(addr, "민수")?,
        Person::join(addr, "지영")?,
        Person::join(addr, "철수")?,
    ))
}

fn check_8_1(code: Code) -> Outcome {
    let who: Route = match code {
        Code::Yours => ch08_exercises::who,
        Code::Reference => ch08_solutions::who,
    };
    let list = "* 지금 3명: 민수, 지영, 철수 · 3 here: 민수, 지영, 철수";
    expect_route(who, "/who", vec![(To::Speaker, list.to_string())])?;
    expect_route(who, "안녕", everyone("민수: 안녕"))?;
    expect_route(who, "/who is here?", everyone("민수: /who is here?"))?;
    let got = route_once(who, "영희", "/who", &["영희"])?;
    let alone = "* 지금 1명: 영희 · 1 here: 영희".to_string();
    expect_eq(
        "영희 says \"/who\" alone in the room",
        vec![(To::Speaker, alone)],
        got,
    )?;

    // 진짜 방에서 · in a real room
    let (mut minsu, mut jiyoung, mut cheolsu) = room_with(who)?;
    minsu.say("/who")?;
    minsu.expect("민수 hears after saying /who in a real room", list)?;
    jiyoung.say("안녕")?;
    cheolsu.expect(
        "철수's next line after 민수's /who and 지영's 안녕 (/who goes to 민수 only)",
        "지영: 안녕",
    )?;
    minsu.expect("민수's next line", "지영: 안녕")
}

fn check_8_2(code: Code) -> Outcome {
    let whisper: Route = match code {
        Code::Yours => ch08_exercises::whisper,
        Code::Reference => ch08_solutions::whisper,
    };
    let secret = "(귓속말 · whisper) 민수: 오늘 저녁 어때요?";
    expect_route(
        whisper,
        "/msg 지영 오늘 저녁 어때요?",
        vec![(To::Member("지영".into()), secret.into())],
    )?;
    let nobody = "! 그런 사람이 없습니다 · nobody here is called 영희";
    expect_route(
        whisper,
        "/msg 영희 안녕",
        vec![(To::Speaker, nobody.into())],
    )?;
    let usage = "! 사용법 · usage: /msg NAME TEXT";
    for text in ["/msg", "/msg 지영", "/msg 지영 "] {
        expect_route(whisper, text, vec![(To::Speaker, usage.into())])?;
    }
    expect_route(whisper, "안녕", everyone("민수: 안녕"))?;
    expect_route(whisper, "/msgs 지영", everyone("민수: /msgs 지영"))?;

    // 진짜 방에서 · in a real room
    let (mut minsu, mut jiyoung, mut cheolsu) = room_with(whisper)?;
    minsu.say("/msg 지영 오늘 저녁 어때요?")?;
    jiyoung.expect("지영 hears after 민수's /msg in a real room", secret)?;
    minsu.say("/msg 영희 안녕")?;
    minsu.expect("민수 hears after /msg to a name not in the room", nobody)?;
    jiyoung.say("좋아요")?;
    cheolsu.expect(
        "철수's next line after 민수's /msg and 지영's 좋아요 (the whisper is for 지영 only)",
        "지영: 좋아요",
    )
}

type Offer = fn(&SyncSender<String>, String, &mut u64) -> bool;

fn dropped(n: u64) -> String {
    format!("* 듣지 않는 동안 {n}줄을 놓쳤습니다 · {n} lines dropped while you were not reading")
}

/// 대기열 두 칸, 읽지 않는 사람 하나로 차례차례 · Step by step, with a queue of two.
fn drop_and_count(offer: Offer) -> Outcome {
    let (outbox, queue) = mpsc::sync_channel(2);
    let mut count = 0;
    let step = |line: &str, count: &mut u64| offer(&outbox, line.to_string(), count);
    let take = || queue.try_recv().ok();

    for line in ["1", "2"] {
        expect_eq(
            &format!("offer({line:?}) to an empty queue of 2"),
            true,
            step(line, &mut count),
        )?;
    }
    for line in ["3", "4", "5"] {
        let kept = step(line, &mut count);
        expect_eq(
            &format!("offer({line:?}) to a full queue: keep the member (true)?"),
            true,
            kept,
        )?;
    }
    expect_eq("the count after 3 lines met a full queue", 3, count)?;
    expect_eq(
        "the writing thread takes a line",
        Some("1".to_string()),
        take(),
    )?;
    expect_eq(
        "the writing thread takes a line",
        Some("2".to_string()),
        take(),
    )?;
    step("6", &mut count);
    expect_eq("the count once the notice is in the queue", 0, count)?;
    expect_eq("the first line after the gap", Some(dropped(3)), take())?;
    expect_eq("the next line", Some("6".to_string()), take())?;
    expect_eq("the queue after that", None, take())?;

    // 알림은 들어가지만 줄은 자리가 없을 때 · room for the notice, none for the line
    step("7", &mut count);
    step("8", &mut count);
    step("9", &mut count);
    expect_eq("the count after 9 met a full queue", 1, count)?;
    expect_eq(
        "the writing thread takes a line",
        Some("7".to_string()),
        take(),
    )?;
    step("10", &mut count);
    expect_eq("the count when the notice fits but 10 does not", 1, count)?;
    expect_eq("the next line", Some("8".to_string()), take())?;
    expect_eq("the next line", Some(dropped(1)), take())?;
    expect_eq("the queue after that", None, take())?;
    step("11", &mut count);
    expect_eq("the next line", Some(dropped(1)), take())?;
    expect_eq("the next line", Some("11".to_string()), take())?;

    drop(queue);
    let kept = step("12", &mut count);
    expect_eq(
        "offer after the member's mouth is gone (the receiver dropped)",
        false,
        kept,
    )
}

fn check_8_3(code: Code) -> Outcome {
    let offer: Offer = match code {
        Code::Yours => ch08_exercises::offer,
        Code::Reference => ch08_solutions::offer,
    };
    within(PATIENCE, "your offer function", move || {
        drop_and_count(offer)
    })?
}
