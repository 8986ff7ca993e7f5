// 8장: 전화 회의 — 한 방에서 모두가 모두의 말을 듣는 채팅 서버와 그 클라이언트.
// Chapter 8: a conference call — a chat server where everyone hears everyone, and its client.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

// ANCHOR: limits
/// 시드 튜토리얼과 같은 기본 주소 · The seed tutorial's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 한 줄의 최대 바이트 수 (줄 끝의 \n이나 \r\n은 빼고) · The longest line, in bytes,
/// not counting its \n or \r\n.
pub const MAX_LINE: usize = 1024;

/// 이름의 최대 글자 수 · The longest name, in characters.
pub const MAX_NAME: usize = 16;

/// 한 사람 앞에 쌓일 수 있는 줄 수. 하나 더 오면 방은 그 사람을 끊습니다.
/// How many lines may wait for one member; one more, and the room hangs up on them.
pub const QUEUE: usize = 64;

/// 방 앞에 쌓일 수 있는 소식 수. 꽉 차면 읽는 스레드들이 자리가 날 때까지 기다립니다.
/// How many events may wait for the room; when it is full, reading threads wait for room.
pub const INBOX: usize = 128;

/// 한 사람의 줄은 이 간격에 한 줄까지만 방으로 갑니다 (1초에 1000줄).
/// One member's lines go to the room at most one per this interval (1000 lines a second).
pub const PACE: Duration = Duration::from_millis(1);

/// 전화를 건 사람이 이름을 말할 때까지 기다리는 시간 · How long a caller has to give a name.
pub const NAME_WAIT: Duration = Duration::from_secs(60);
// ANCHOR_END: limits

/// 전화를 걸 때 기다리는 시간 · How long the client lets it ring.
pub const PATIENCE: Duration = Duration::from_secs(5);

// ANCHOR: heard
/// 한 사람이 보낸 줄 하나 · One line from a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// UTF-8 한 줄, 줄 끝은 뺀 것 · A line of UTF-8, without its line ending.
    Line(String),
    /// UTF-8이 아닌 줄 · A line that is not valid UTF-8.
    NotUtf8,
    /// 너무 긴 줄 · A line longer than the limit.
    TooLong,
}
// ANCHOR_END: heard

// ANCHOR: read_line
/// 줄 하나를 읽습니다. 모아 두는 것은 많아야 max + 1바이트이고, 그보다 긴 줄은 다음 \n까지
/// 읽어서 버립니다. 상대가 끊으면 None입니다. \n 없이 끝난 마지막 조각은 줄이 아니므로 버립니다.
/// Reads one line. At most max + 1 bytes are ever kept; a longer line is read up to its \n
/// and thrown away. None once the caller hangs up; an unfinished last piece (no \n) is not a
/// line, so it is dropped.
pub fn read_line(reader: &mut impl BufRead, max: usize) -> io::Result<Option<Heard>> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buffered = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // 0바이트 = 상대가 끊었습니다 · 0 bytes = the caller hung up.
        if buffered.is_empty() {
            return Ok(None);
        }
        let newline = buffered.iter().position(|&b| b == b'\n');
        let piece = &buffered[..newline.unwrap_or(buffered.len())];
        // \r\n의 \r 한 바이트만큼은 더 받아 둡니다 · one extra byte, for the \r of \r\n.
        if line.len() + piece.len() > max + 1 {
            too_long = true;
        }
        if !too_long {
            line.extend_from_slice(piece);
        }
        let used = piece.len() + usize::from(newline.is_some());
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(judge(line, too_long, max)));
        }
    }
}

/// \n까지 읽은 줄을 판정합니다 · Judges a line read up to its \n.
fn judge(mut line: Vec<u8>, too_long: bool, max: usize) -> Heard {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if too_long || line.len() > max {
        return Heard::TooLong;
    }
    match String::from_utf8(line) {
        Ok(text) => Heard::Line(text),
        Err(_) => Heard::NotUtf8,
    }
}
// ANCHOR_END: read_line

// ANCHOR: check_name
/// 이름 규칙: 1~16글자, 글자·숫자·`-`·`_`만, 방에 아직 없는 이름. 어기면 돌려줄 말을 줍니다.
/// The name rules: 1 to 16 characters; letters, digits, `-` and `_` only; not already in the
/// room. A broken rule gives the line to send back.
pub fn check_name(name: &str, taken: &[&str]) -> Result<(), String> {
    if name.is_empty() {
        return Err("! 이름이 비어 있습니다 · the name is empty: type a name".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "! 이름은 {MAX_NAME}글자까지입니다 · a name has at most {MAX_NAME} characters"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(
            "! 이름에는 글자, 숫자, -, _만 씁니다 · use only letters, digits, - and _ in a name"
                .into(),
        );
    }
    if taken.contains(&name) {
        return Err(format!(
            "! 이미 있는 이름입니다 · {name} is taken: choose another"
        ));
    }
    Ok(())
}
// ANCHOR_END: check_name

// ANCHOR: route
/// 줄 하나가 갈 곳 · Where one line goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    /// 말한 사람을 뺀 모두 · Everyone but the speaker.
    Others,
    /// 말한 사람에게만 · The speaker only.
    Speaker,
    /// 이 이름의 사람에게만 · The member with this name only.
    Member(String),
}

/// 말 한 줄을 누구에게 무엇으로 보낼지 정하는 함수: (말한 사람, 말, 방에 있는 이름들).
/// Decides who gets what for one line: (speaker, text, the names in the room).
pub type Route = fn(&str, &str, &[&str]) -> Vec<(To, String)>;

/// 이 장의 규칙: 말한 사람을 뺀 모두에게 "이름: 말" · This chapter's rule: "name: text" to
/// everyone but the speaker.
pub fn to_everyone(from: &str, text: &str, _names: &[&str]) -> Vec<(To, String)> {
    vec![(To::Others, format!("{from}: {text}"))]
}

/// 방의 규칙 · The room's rules.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// 말 한 줄이 갈 곳 · Where a line of talk goes.
    pub route: Route,
    /// 이름을 말할 때까지 기다리는 시간 · How long a caller has to give a name.
    pub name_wait: Duration,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            route: to_everyone,
            name_wait: NAME_WAIT,
        }
    }
}
// ANCHOR_END: route

// ANCHOR: event
/// 방으로 오는 소식 · What the room hears about.
#[derive(Debug)]
enum Event {
    /// 누군가 전화를 걸어 왔습니다 · Someone called.
    Arrived {
        id: u64,
        peer: SocketAddr,
        outbox: SyncSender<String>,
        phone: TcpStream,
    },
    /// 그 사람이 한 줄을 보냈습니다 · They sent a line.
    Said { id: u64, heard: Heard },
    /// 그 사람의 통화가 끝났습니다. 통화마다 한 번만 옵니다 · Their call ended; sent once per call.
    Left { id: u64, error: Option<io::Error> },
    /// 전화를 받다가 생긴 문제 · Trouble while answering.
    Trouble(String),
}
// ANCHOR_END: event

// ANCHOR: serve
/// 전화 회의를 엽니다: 전화 받는 스레드 하나를 띄우고, 방은 이 스레드에서 돌립니다.
/// 프로그램을 멈출 때까지 돌아오지 않습니다.
/// Opens the conference call: one thread answers calls, and the room runs on this thread.
/// It runs until the program is stopped.
pub fn serve(listener: TcpListener, rules: Rules, out: &mut impl Write) -> Result<()> {
    // 크기가 정해진 채널: 방이 밀리면 보내는 쪽이 기다립니다 · bounded: if the room falls
    // behind, the senders wait.
    let (events, inbox) = mpsc::sync_channel(INBOX);
    spawn(move || answer_calls(listener, events))
        .context("전화 받는 스레드를 띄우지 못했습니다 · could not start the answering thread")?;
    run_room(inbox, rules, out)
}

/// 전화를 받을 때마다 그 통화를 맡을 스레드를 띄웁니다 · Starts a thread for every call.
fn answer_calls(listener: TcpListener, events: SyncSender<Event>) {
    for (id, call) in (1..).zip(listener.incoming()) {
        let trouble = match call {
            Ok(phone) => {
                let events = events.clone();
                spawn(move || answer(id, phone, events)).err()
            }
            Err(error) => Some(error),
        };
        if let Some(error) = trouble {
            let text = format!("전화를 받지 못했습니다 · could not take a call: {error}");
            if events.send(Event::Trouble(text)).is_err() {
                return;
            }
            // 파일 디스크립터가 바닥났을 때 헛돌지 않도록 · don't spin when out of descriptors.
            thread::sleep(Duration::from_millis(100));
        }
    }
}

/// 스레드를 띄웁니다. 실패하면 패닉 대신 오류로 · Spawns a thread; an error, not a panic.
fn spawn(work: impl FnOnce() + Send + 'static) -> io::Result<()> {
    thread::Builder::new().spawn(work).map(drop)
}
// ANCHOR_END: serve

// ANCHOR: answer
/// 전화 한 통: 입(쓰는 스레드)을 달아 주고, 방에 알리고, 끊길 때까지 읽습니다.
/// One call: give it a mouth (a writing thread), tell the room, read until the call ends.
fn answer(id: u64, phone: TcpStream, events: SyncSender<Event>) {
    if let Err(error) = arrive(id, &phone, &events) {
        let text = format!("통화를 시작하지 못했습니다 · could not start a call: {error}");
        let _ = events.send(Event::Trouble(text));
        return;
    }
    let error = pass_on_lines(id, phone, &events);
    // 통화가 어떻게 끝났든, "나갔다"는 여기서 한 번만 보냅니다.
    // However the call ended, "left" is sent here, and only here.
    let _ = events.send(Event::Left { id, error });
}

/// 한 사람 몫의 대기열과 쓰는 스레드를 만들고, 방에 "왔다"고 알립니다.
/// Makes one member's queue and writing thread, and tells the room they arrived.
fn arrive(id: u64, phone: &TcpStream, events: &SyncSender<Event>) -> io::Result<()> {
    let peer = phone.peer_addr()?;
    // 크기가 정해진 대기열 · a bounded queue
    let (outbox, queue) = mpsc::sync_channel(QUEUE);
    let mouth = phone.try_clone()?;
    spawn(move || speak(mouth, queue))?;
    let phone = phone.try_clone()?;
    let arrived = Event::Arrived {
        id,
        peer,
        outbox,
        phone,
    };
    // 방이 없으면 할 일도 없습니다 · no room, nothing to do
    let _ = events.send(arrived);
    Ok(())
}

/// 줄마다 방에 전합니다. 상대가 끊으면 None, 리셋 같은 오류면 그 오류를 돌려줍니다.
/// Passes each line to the room. None when the caller hangs up; the error on a reset or the like.
fn pass_on_lines(id: u64, phone: TcpStream, events: &SyncSender<Event>) -> Option<io::Error> {
    let mut reader = BufReader::new(phone);
    loop {
        let started = Instant::now();
        // 말이 없는 것은 채팅에서 정상이라, 다음 줄을 끝없이 기다립니다.
        // Silence is normal in a chat, so this waits for the next line as long as it takes.
        match read_line(&mut reader, MAX_LINE) {
            Ok(Some(heard)) => {
                // 방이 밀려 INBOX가 꽉 찼으면 여기서 기다립니다 · waits here while the inbox is full.
                if events.send(Event::Said { id, heard }).is_err() {
                    return None;
                }
            }
            Ok(None) => return None,
            Err(error) => return Some(error),
        }
        // PACE보다 빨리 보내는 사람은 기다리게 합니다. 그동안 읽지 않으므로, TCP가 그 사람의
        // 프로그램도 늦춥니다. 사람이 치는 속도라면 잠들 일이 없습니다.
        // Someone who sends faster than PACE is made to wait. Meanwhile this thread reads
        // nothing, so TCP slows their program down too. At typing speed, this never sleeps.
        thread::sleep(PACE.saturating_sub(started.elapsed()));
    }
}
// ANCHOR_END: answer

// ANCHOR: speak
/// 한 사람의 입: 대기열에서 줄을 꺼내 씁니다. 방이 대기열을 닫거나 쓰기가 실패하면 끝납니다.
/// One member's mouth: takes lines from the queue and writes them. It ends when the room
/// closes the queue or a write fails.
fn speak(mut phone: TcpStream, queue: Receiver<String>) {
    // 상대가 읽지 않으면 write_all은 여기서 막힙니다. 막히는 것은 이 스레드뿐입니다.
    // If the caller stops reading, write_all blocks here, and only this thread waits.
    for line in queue {
        if phone.write_all(format!("{line}\n").as_bytes()).is_err() {
            break;
        }
    }
    // 끊습니다. 읽는 스레드도 깨어나 "나갔다"를 알립니다.
    // Hang up; this also wakes the reading thread, which reports the leave.
    let _ = phone.shutdown(Shutdown::Both);
}
// ANCHOR_END: speak

// ANCHOR: room
/// 방에 있는 한 사람 · One person on the call.
#[derive(Debug)]
struct Member {
    /// 맞는 이름을 말하기 전에는 None · None until they give a good name.
    name: Option<String>,
    peer: SocketAddr,
    /// 전화가 연결된 때 · When the call came in.
    since: Instant,
    /// 이 사람에게 갈 줄의 대기열 (QUEUE줄까지) · Lines on their way to them (up to QUEUE).
    outbox: SyncSender<String>,
    /// 이 사람을 끊을 때 쓰는 전화기 핸들 · A handle to their handset, to hang up on them.
    phone: TcpStream,
}

/// 누가 방에 있는지 아는 곳은 여기 하나뿐입니다 · The one place that knows who is in the room.
struct Room {
    members: BTreeMap<u64, Member>,
    rules: Rules,
}

/// 방: 소식을 하나씩 받아 처리합니다. 적어도 1초에 한 번은 깨어나 이름을 말하지 않은 사람을 살핍니다.
/// The room: handles news one event at a time, and wakes at least every second to look at
/// callers who have not given a name.
fn run_room(inbox: Receiver<Event>, rules: Rules, out: &mut impl Write) -> Result<()> {
    let mut room = Room {
        members: BTreeMap::new(),
        rules,
    };
    loop {
        match inbox.recv_timeout(Duration::from_secs(1)) {
            Ok(event) => room.handle(event, out)?,
            Err(RecvTimeoutError::Timeout) => {}
            // 소식을 보낼 스레드가 하나도 남지 않았습니다 · no thread is left to send news
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        room.hang_up_on_the_nameless(out)?;
    }
}
// ANCHOR_END: room

impl Room {
    // ANCHOR: handle
    /// 소식 하나 · One piece of news.
    fn handle(&mut self, event: Event, out: &mut impl Write) -> Result<()> {
        match event {
            Event::Arrived {
                id,
                peer,
                outbox,
                phone,
            } => {
                writeln!(out, "접속 · call from {peer}")?;
                let member = Member {
                    name: None,
                    peer,
                    since: Instant::now(),
                    outbox,
                    phone,
                };
                self.members.insert(id, member);
                self.tell(id, "* 이름을 알려 주세요 · what is your name?", out)
            }
            Event::Said { id, heard } => self.said(id, heard, out),
            Event::Left { id, error } => self.left(id, error, out),
            Event::Trouble(text) => Ok(writeln!(out, "문제 · trouble: {text}")?),
        }
    }
    // ANCHOR_END: handle

    /// 이름이 있는 사람들, 들어온 순서대로 · The named members, in the order they called.
    fn names(&self) -> Vec<&str> {
        self.members
            .values()
            .filter_map(|m| m.name.as_deref())
            .collect()
    }

    // ANCHOR: said
    /// 한 줄을 받았을 때: 잘못된 줄은 보낸 사람에게만 답하고, 첫 줄은 이름, 그다음은 말.
    /// A line arrived: a bad line gets an answer to its sender only; the first good line is the
    /// name, the rest are talk.
    fn said(&mut self, id: u64, heard: Heard, out: &mut impl Write) -> Result<()> {
        // 이미 끊은 사람의 줄은 버립니다 · lines from someone we hung up on are dropped
        let Some(member) = self.members.get(&id) else {
            return Ok(());
        };
        let who = member
            .name
            .clone()
            .unwrap_or_else(|| member.peer.to_string());
        let text = match heard {
            Heard::Line(text) => text,
            Heard::NotUtf8 => {
                writeln!(out, "거절 · refused a line from {who}: not UTF-8")?;
                let answer =
                    "! UTF-8이 아닌 줄이라 보내지 않았습니다 · that line was not UTF-8: not sent";
                return self.tell(id, answer, out);
            }
            Heard::TooLong => {
                writeln!(
                    out,
                    "거절 · refused a line from {who}: over {MAX_LINE} bytes"
                )?;
                let answer = format!(
                    "! {MAX_LINE}바이트가 넘는 줄이라 보내지 않았습니다 · \
                     that line was longer than {MAX_LINE} bytes: not sent"
                );
                return self.tell(id, &answer, out);
            }
        };
        match member.name.clone() {
            None => self.name(id, text, out),
            // 빈 줄은 조용히 넘어갑니다 · empty lines are quietly skipped
            Some(_) if text.is_empty() => Ok(()),
            Some(from) => self.talk(id, &from, &text, out),
        }
    }
    // ANCHOR_END: said

    // ANCHOR: name
    /// 이름을 받습니다. 규칙에 맞으면 들어오고, 아니면 무엇이 틀렸는지 듣고 다시 말합니다.
    /// Takes a name: a good one joins; otherwise they hear what was wrong and try again.
    fn name(&mut self, id: u64, name: String, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.get(&id) else {
            return Ok(());
        };
        let peer = member.peer;
        if let Err(refusal) = check_name(&name, &self.names()) {
            writeln!(out, "이름 거절 · name {name:?} refused for {peer}")?;
            return self.tell(id, &refusal, out);
        }
        writeln!(out, "입장 · {name} joined from {peer}")?;
        if let Some(member) = self.members.get_mut(&id) {
            member.name = Some(name.clone());
        }
        let here = self.names().len();
        let welcome =
            format!("* 어서 오세요, {name} 님! 지금 {here}명 · welcome, {name}: {here} here");
        self.tell(id, &welcome, out)?;
        let joined = format!("* {name} 님이 들어왔습니다 · {name} joined");
        self.tell_others(Some(id), &joined, out)
    }
    // ANCHOR_END: name

    // ANCHOR: talk
    /// 말 한 줄을 route가 정한 곳으로 보냅니다 · Sends one line of talk where `route` says.
    fn talk(&mut self, id: u64, from: &str, text: &str, out: &mut impl Write) -> Result<()> {
        let lines = (self.rules.route)(from, text, &self.names());
        for (to, line) in lines {
            match to {
                To::Others => self.tell_others(Some(id), &line, out)?,
                To::Speaker => self.tell(id, &line, out)?,
                To::Member(name) => {
                    let found = self
                        .members
                        .iter()
                        .find(|(_, m)| m.name.as_deref() == Some(name.as_str()));
                    if let Some((&target, _)) = found {
                        self.tell(target, &line, out)?;
                    }
                }
            }
        }
        Ok(())
    }
    // ANCHOR_END: talk

    // ANCHOR: tell
    /// 한 사람에게 한 줄. 방은 기다리지 않습니다: 대기열이 꽉 찼으면 그 사람을 끊습니다.
    /// One line to one member. The room never waits: if their queue is full, it hangs up on them.
    fn tell(&mut self, id: u64, line: &str, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.get(&id) else {
            return Ok(());
        };
        match member.outbox.try_send(line.to_string()) {
            Ok(()) => Ok(()),
            // QUEUE줄이 쌓였습니다: 읽지 않는 사람 · QUEUE lines waiting: not reading
            Err(TrySendError::Full(_)) => self.hang_up_on(id, out),
            // 입이 이미 닫혔습니다. 곧 Left가 옵니다 · their mouth is gone; Left is on its way
            Err(TrySendError::Disconnected(_)) => Ok(()),
        }
    }

    /// 이름 있는 모두에게, `except`만 빼고 · To every named member except `except`.
    fn tell_others(&mut self, except: Option<u64>, line: &str, out: &mut impl Write) -> Result<()> {
        let readers: Vec<u64> = self
            .members
            .iter()
            .filter(|(id, m)| m.name.is_some() && Some(**id) != except)
            .map(|(id, _)| *id)
            .collect();
        for id in readers {
            self.tell(id, line, out)?;
        }
        Ok(())
    }

    /// 읽지 않는 사람을 끊고, 이름이 있었다면 모두에게 알립니다.
    /// Hangs up on someone who is not reading, and tells everyone if they had a name.
    fn hang_up_on(&mut self, id: u64, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.remove(&id) else {
            return Ok(());
        };
        // 막힌 쓰기와 기다리는 읽기를 모두 깨웁니다 · wakes the blocked write and the waiting read
        let _ = member.phone.shutdown(Shutdown::Both);
        let who = member
            .name
            .clone()
            .unwrap_or_else(|| member.peer.to_string());
        writeln!(
            out,
            "끊음 · hung up on {who}: {QUEUE} lines waiting, not reading"
        )?;
        match member.name {
            Some(name) => {
                let notice = format!(
                    "* {name} 님이 듣지 않아서 연결을 끊었습니다 · {name} stopped listening and was disconnected"
                );
                self.tell_others(None, &notice, out)
            }
            None => Ok(()),
        }
    }
    // ANCHOR_END: tell

    // ANCHOR: left
    /// 통화가 끝났을 때. 이미 끊은 사람이면 아무 일도 없습니다: 나간 알림은 한 번뿐입니다.
    /// A call ended. If we already hung up on them, nothing happens: one notice per person.
    fn left(&mut self, id: u64, error: Option<io::Error>, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.get(&id) else {
            return Ok(());
        };
        let (peer, name) = (member.peer, member.name.clone());
        let how = match &error {
            None => "hung up".to_string(),
            Some(e) if is_reset(e) => "reset the connection".to_string(),
            Some(e) => format!("error: {e}"),
        };
        let Some(name) = name else {
            self.members.remove(&id);
            writeln!(out, "통화 종료 · {peer} {how} without a name")?;
            return Ok(());
        };
        // "내 말은 끝"만 한 사람은 아직 듣고 있습니다 · a half-close still listens
        if error.is_none() {
            self.tell(
                id,
                &format!("* 안녕히 가세요, {name} 님 · goodbye, {name}"),
                out,
            )?;
        }
        // 대기열을 닫으면 입이 남은 줄을 다 말하고 끊습니다.
        // Dropping the queue's sender lets the mouth say what is left, then hang up.
        if self.members.remove(&id).is_none() {
            return Ok(());
        }
        writeln!(out, "퇴장 · {name} left: {how}")?;
        self.tell_others(
            None,
            &format!("* {name} 님이 나갔습니다 · {name} left"),
            out,
        )
    }
    // ANCHOR_END: left

    // ANCHOR: nameless
    /// 이름을 말하지 않고 `name_wait`가 지난 사람에게 까닭을 말하고 끊습니다.
    /// Says why, and hangs up on, callers who gave no name within `name_wait`.
    fn hang_up_on_the_nameless(&mut self, out: &mut impl Write) -> Result<()> {
        let wait = self.rules.name_wait;
        let late: Vec<u64> = self
            .members
            .iter()
            .filter(|(_, m)| m.name.is_none() && m.since.elapsed() >= wait)
            .map(|(id, _)| *id)
            .collect();
        let seconds = wait.as_secs_f64();
        for id in late {
            let notice = format!(
                "! 이름을 {seconds}초 동안 기다렸습니다 · no name within {seconds} s: hanging up"
            );
            self.tell(id, &notice, out)?;
            // 대기열을 닫으면 입이 남은 줄을 말하고 끊습니다 · the mouth says what is left, then hangs up
            if let Some(member) = self.members.remove(&id) {
                let peer = member.peer;
                writeln!(
                    out,
                    "통화 종료 · hung up on {peer}: no name within {seconds} s"
                )?;
            }
        }
        Ok(())
    }
    // ANCHOR_END: nameless
}

fn is_reset(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

// ANCHOR: listen
/// 주소에 bind하고 벨을 켭니다. 실패하면 무엇을 할지 알려 줍니다 (3장과 같음).
/// Binds and listens; on failure, says what to do (as in chapter 3).
pub fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|error| {
        let advice = match error.kind() {
            ErrorKind::AddrInUse => format!(
                "이미 사용 중인 주소입니다 · {addr} is already in use: \
                 is another server still running? Stop it, or pass another address"
            ),
            ErrorKind::PermissionDenied => format!(
                "{addr}에 대한 권한이 없습니다 · no permission to bind {addr}: use a port above 1024"
            ),
            _ => format!("{addr}에 bind할 수 없습니다 · could not bind {addr}"),
        };
        anyhow::Error::new(error).context(advice)
    })
}
// ANCHOR_END: listen

/// 명령줄의 주소(없으면 기본값)를 읽습니다 · Reads the address argument, or the default.
pub fn parse_addr(arg: Option<String>) -> Result<SocketAddr> {
    let text = arg.unwrap_or_else(|| DEFAULT_ADDR.to_string());
    text.parse().with_context(|| {
        format!("주소 형식이 아닙니다 · {text:?} is not an address like 127.0.0.1:9999")
    })
}

// ANCHOR: chat
/// 채팅 클라이언트: 이름이 있으면 먼저 보내고, 친 것은 서버로, 받은 것은 화면으로 보냅니다.
/// 입력이 끝나면(Ctrl+D) "내 말은 끝"만 알리고, 서버가 끊을 때까지 계속 듣습니다.
/// The chat client: sends the name first, if given; what you type goes to the server, what
/// arrives goes to the screen. When typing ends (Ctrl+D), it says "I'm done talking" and
/// keeps listening until the server hangs up.
pub fn chat(
    addr: SocketAddr,
    name: Option<&str>,
    typed: impl Read + Send + 'static,
    shown: &mut impl Write,
) -> Result<()> {
    let mut phone =
        TcpStream::connect_timeout(&addr, PATIENCE).map_err(|e| explain_dial_error(e, addr))?;
    let mut mouth = phone
        .try_clone()
        .context("전화기를 복제하지 못했습니다 · could not clone the socket")?;
    if let Some(name) = name {
        mouth
            .write_all(format!("{name}\n").as_bytes())
            .context("이름을 보내지 못했습니다 · could not send the name")?;
    }
    // 말하기는 다른 스레드에서: 치는 동안에도 받은 줄이 화면에 나옵니다.
    // Talking happens on another thread, so lines arrive on screen while you type.
    thread::spawn(move || {
        let mut typed = typed;
        let _ = io::copy(&mut typed, &mut mouth);
        // 내 말은 끝, 듣기는 계속 · I'm done talking, still listening
        let _ = mouth.shutdown(Shutdown::Write);
    });
    // 서버가 끊을 때까지 듣습니다. 채팅에서 말이 없는 것은 정상이라 시간 제한이 없습니다.
    // Listen until the server hangs up; silence is normal in a chat, so there is no time limit.
    io::copy(&mut phone, shown)
        .context("서버와의 연결이 끊어졌습니다 · the connection to the server broke")?;
    writeln!(shown, "연결 종료 · the server hung up")?;
    Ok(())
}
// ANCHOR_END: chat

/// 연결 실패를 무엇이 일어났고 무엇을 할지로 바꿉니다 (4장과 같음).
/// Turns a failed dial into what happened and what to do (as in chapter 4).
pub fn explain_dial_error(error: io::Error, addr: SocketAddr) -> anyhow::Error {
    let advice = match error.kind() {
        ErrorKind::ConnectionRefused => format!(
            "{addr}에서 기다리는 서버가 없습니다 (없는 번호) · nothing is listening on {addr} \
             (connection refused): start the server first with `cargo run -p ch08_chat`"
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => format!(
            "신호만 가고 아무도 받지 않습니다 · no answer from {addr}: \
             is the address right? is a firewall dropping the call?"
        ),
        _ => format!("{addr}에 연결할 수 없습니다 · could not connect to {addr}"),
    };
    anyhow::Error::new(error).context(advice)
}
