// 8장: 전화 회의 — 한 방에서 모두가 모두의 말을 듣는 채팅 서버와 그 클라이언트.
// Chapter 8: a conference call — a chat server where everyone hears everyone, and its client.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
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

/// 방의 수신함에 쌓일 수 있는 소식 수. 꽉 차면 읽는 스레드들이 자리가 날 때까지 기다립니다.
/// How many events may wait in the room's inbox; when it is full, reading threads wait.
pub const INBOX: usize = 128;

/// 발신자가 이름을 말할 때까지 기다리는 시간 · How long a caller has to give a name.
pub const NAME_WAIT: Duration = Duration::from_secs(60);

/// 이름을 말한 뒤, 줄 하나 없이 있을 수 있는 시간 · How long a member may send no line at all.
pub const IDLE: Duration = Duration::from_secs(10 * 60);

/// 한 사람에게 쓰는 write가 한 바이트도 보내지 못하고 기다릴 수 있는 시간.
/// How long a write to one member may wait without sending a single byte.
pub const STALL: Duration = Duration::from_secs(30);

/// 한 사람 앞에 쌓여 아직 쓰지 못한 바이트의 한도 · The most bytes that may wait, unwritten,
/// for one member.
pub const BUDGET: usize = 1 << 20;

/// 토큰 양동이: 한꺼번에 BURST줄까지, 그 뒤로는 1초에 PER_SECOND줄.
/// The token bucket: up to BURST lines at once, then PER_SECOND lines a second.
pub const BURST: u32 = 100;
pub const PER_SECOND: u32 = 1000;

/// 방 인원의 기본 한도 · The default cap on callers in the room.
pub const MAX_MEMBERS: usize = 1000;

/// 참가자 한 사람이 쓰는 파일 디스크립터: 소켓 하나 (세 스레드가 함께 씁니다).
/// File descriptors per member: one socket, which three threads share.
pub const FDS_PER_MEMBER: usize = 1;

/// 참가자 몫이 아닌 파일 디스크립터 (표준 입출력, 리스너, 거절하는 중인 전화).
/// File descriptors kept for other things: stdio, the listener, callers being refused.
pub const SPARE_FDS: usize = 24;

/// 열린 파일 한도를 모르는 시스템에서의 인원 한도 · The cap where the open-file limit is unknown.
pub const FALLBACK_MEMBERS: usize = 200;
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

/// 방의 규칙과 한도. 테스트는 한도를 작게 잡아 기다리는 시간을 스스로 정합니다.
/// The room's rules and limits; tests set the limits small, so they decide how long they wait.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// 말 한 줄이 갈 곳 · Where a line of talk goes.
    pub route: Route,
    /// 이름을 말할 때까지 기다리는 시간 · How long a caller has to give a name.
    pub name_wait: Duration,
    /// 이름을 말한 뒤 줄 하나 없이 있을 수 있는 시간 · How long a member may send no line.
    pub idle: Duration,
    /// 한 사람에게 쓰는 write가 진척 없이 기다릴 수 있는 시간 (0보다 커야 합니다).
    /// How long a write to one member may make no progress (more than zero).
    pub stall: Duration,
    /// 한 사람 앞에 쌓일 수 있는 바이트 · The most bytes waiting for one member.
    pub budget: usize,
    /// 한 사람이 한꺼번에 보낼 수 있는 줄 수 · Lines one member may send at once.
    pub burst: u32,
    /// 그 뒤로 1초에 보낼 수 있는 줄 수 · Lines a second after that.
    pub per_second: u32,
    /// 방에 함께 있을 수 있는 전화 수 (이름이 없는 사람도 셉니다).
    /// How many callers may be in the room at once, nameless ones included.
    pub max_members: usize,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            route: to_everyone,
            name_wait: NAME_WAIT,
            idle: IDLE,
            stall: STALL,
            budget: BUDGET,
            burst: BURST,
            per_second: PER_SECOND,
            max_members: member_cap(open_file_limit()),
        }
    }
}
// ANCHOR_END: route

// ANCHOR: cap
/// 이 프로세스가 열 수 있는 파일 수(soft limit). 리눅스에서는 /proc/self/limits에 있고,
/// 다른 시스템에서는 None입니다.
/// How many files this process may open (the soft limit): on Linux it is in
/// /proc/self/limits; elsewhere, None.
pub fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_file_limit(&limits)
}

/// `Max open files            1024                 4096                 files` → 1024.
pub fn parse_open_file_limit(limits: &str) -> Option<usize> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line["Max open files".len()..].split_whitespace().next()?;
    soft.parse().ok()
}

/// 인원 한도: 열린 파일 한도 안에 들어가는 만큼, 많아야 MAX_MEMBERS.
/// The member cap: as many as the open-file limit holds, at most MAX_MEMBERS.
pub fn member_cap(open_files: Option<usize>) -> usize {
    match open_files {
        Some(limit) => (limit.saturating_sub(SPARE_FDS) / FDS_PER_MEMBER).min(MAX_MEMBERS),
        None => FALLBACK_MEMBERS,
    }
}

/// 시작할 때 찍는 한 줄 · The line printed at start.
pub fn capacity(max_members: usize, open_files: Option<usize>) -> String {
    match open_files {
        Some(limit) if member_cap(Some(limit)) < MAX_MEMBERS => format!(
            "열린 파일 한도 {limit}개, 참가자는 {max_members}명까지 (ulimit -n으로 늘릴 수 있습니다) · \
             open-file limit {limit}: room for {max_members} members (raise it with ulimit -n)"
        ),
        Some(limit) => format!(
            "열린 파일 한도 {limit}개, 참가자는 {max_members}명까지 · \
             open-file limit {limit}: room for {max_members} members"
        ),
        None => format!(
            "열린 파일 한도를 모릅니다, 참가자는 {max_members}명까지 · \
             open-file limit unknown: room for {max_members} members"
        ),
    }
}
// ANCHOR_END: cap

// ANCHOR: bucket
/// 토큰 양동이(token bucket): 줄 하나에 토큰 하나. 양동이에는 토큰이 `burst`개까지 담기고,
/// 1초에 `per_second`개씩 다시 찹니다. 그래서 짧은 몰아치기는 기다리지 않고, 오래 쏟아붓는
/// 사람만 1초에 `per_second`줄로 늦춰집니다.
/// A token bucket: one token per line. It holds up to `burst` tokens and refills at
/// `per_second`, so a short burst never waits; only a long flood is held to `per_second`.
#[derive(Debug, Clone)]
pub struct Bucket {
    burst: f64,
    per_second: f64,
    tokens: f64,
    filled_at: Instant,
}

impl Bucket {
    /// 가득 찬 양동이 · A full bucket.
    pub fn new(burst: u32, per_second: u32, now: Instant) -> Bucket {
        Bucket {
            burst: f64::from(burst),
            per_second: f64::from(per_second.max(1)),
            tokens: f64::from(burst),
            filled_at: now,
        }
    }

    /// 줄 하나의 토큰을 가져가고, 그 토큰이 찰 때까지 기다릴 시간을 돌려줍니다 (있었으면 0).
    /// Takes the token for one line; returns how long to wait until it is there (0 if it was).
    pub fn take(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.filled_at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        self.filled_at = now;
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.per_second)
        }
    }
}
// ANCHOR_END: bucket

// ANCHOR: event
/// 방으로 오는 소식 · What the room hears about.
#[derive(Debug)]
enum Event {
    /// 누군가 전화를 걸어 왔습니다 · Someone called.
    Arrived {
        id: u64,
        peer: SocketAddr,
        /// 그 사람의 입에게 줄을 건네는 곳 · Where lines go to their mouth.
        outbox: Sender<String>,
        /// 건넸지만 아직 쓰지 못한 바이트 · Bytes handed over but not yet written.
        pending: Arc<AtomicUsize>,
        phone: Arc<TcpStream>,
    },
    /// 그 사람이 한 줄을 보냈습니다 · They sent a line.
    Said { id: u64, heard: Heard },
    /// 그 사람에게 쓰는 write가 `stall` 동안 한 바이트도 보내지 못했습니다.
    /// A write to them sent not one byte for `stall`.
    Stalled { id: u64 },
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
    writeln!(out, "{}", capacity(rules.max_members, open_file_limit()))?;
    // 크기가 정해진 채널: 방이 밀리면 보내는 쪽이 기다립니다 · bounded: if the room falls
    // behind, the senders wait.
    let (events, inbox) = mpsc::sync_channel(INBOX);
    spawn(move || answer_calls(listener, events, rules))
        .context("전화 받는 스레드를 띄우지 못했습니다 · could not start the answering thread")?;
    run_room(inbox, rules, out)
}

/// 전화를 받을 때마다 그 통화를 맡을 스레드를 띄웁니다 · Starts a thread for every call.
fn answer_calls(listener: TcpListener, events: SyncSender<Event>, rules: Rules) {
    for (id, call) in (1..).zip(listener.incoming()) {
        let trouble = match call {
            Ok(phone) => {
                let events = events.clone();
                spawn(move || answer(id, phone, events, rules)).err()
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
fn answer(id: u64, phone: TcpStream, events: SyncSender<Event>, rules: Rules) {
    // 소켓 하나를 읽는 스레드, 입, 방이 함께 씁니다 (&TcpStream도 읽고 씁니다).
    // One socket, shared by the reading thread, the mouth and the room (&TcpStream reads and
    // writes too), so a member costs one file descriptor.
    let phone = Arc::new(phone);
    if let Err(error) = arrive(id, &phone, &events, rules) {
        let text = format!("통화를 시작하지 못했습니다 · could not start a call: {error}");
        let _ = events.send(Event::Trouble(text));
        return;
    }
    let error = pass_on_lines(id, &phone, &events, rules);
    // 통화가 어떻게 끝났든, "나갔다"는 여기서 한 번만 보냅니다.
    // However the call ended, "left" is sent here, and only here.
    let _ = events.send(Event::Left { id, error });
}

/// 참가자의 소켓: 작은 줄도 모으지 않고 바로 보내고(TCP_NODELAY), write 하나가 `stall` 동안
/// 한 바이트도 보내지 못하면 실패하게 합니다.
/// A member's socket: small lines go out at once (TCP_NODELAY), and a write fails once it has
/// sent not one byte for `stall`.
pub fn prepare(phone: &TcpStream, stall: Duration) -> io::Result<()> {
    phone.set_nodelay(true)?;
    phone.set_write_timeout(Some(stall))
}

/// 한 사람 몫의 대기열과 쓰는 스레드를 만들고, 방에 "왔다"고 알립니다.
/// Makes one member's queue and writing thread, and tells the room they arrived.
fn arrive(
    id: u64,
    phone: &Arc<TcpStream>,
    events: &SyncSender<Event>,
    rules: Rules,
) -> io::Result<()> {
    let peer = phone.peer_addr()?;
    prepare(phone, rules.stall)?;
    // 줄 수가 아니라 바이트로 잽니다: 방이 더하고, 입이 뺍니다.
    // Measured in bytes, not lines: the room adds, the mouth subtracts.
    let pending = Arc::new(AtomicUsize::new(0));
    let (outbox, queue) = mpsc::channel();
    let (mouth, waiting, news) = (Arc::clone(phone), Arc::clone(&pending), events.clone());
    spawn(move || speak(id, &mouth, queue, &waiting, &news))?;
    let phone = Arc::clone(phone);
    let arrived = Event::Arrived {
        id,
        peer,
        outbox,
        pending,
        phone,
    };
    // 방이 없으면 할 일도 없습니다 · no room, nothing to do
    let _ = events.send(arrived);
    Ok(())
}

/// 줄마다 방에 전합니다. 상대가 끊으면 None, 리셋 같은 오류면 그 오류를 돌려줍니다.
/// Passes each line to the room. None when the caller hangs up; the error on a reset or the like.
fn pass_on_lines(
    id: u64,
    phone: &TcpStream,
    events: &SyncSender<Event>,
    rules: Rules,
) -> Option<io::Error> {
    let mut reader = BufReader::new(phone);
    let mut bucket = Bucket::new(rules.burst, rules.per_second, Instant::now());
    loop {
        // 말이 없는 것은 채팅에서 정상이라, 다음 줄을 기다립니다 (너무 오래면 방이 끊습니다).
        // Silence is normal in a chat, so this waits for the next line (the room hangs up on
        // someone silent for too long).
        match read_line(&mut reader, MAX_LINE) {
            Ok(Some(heard)) => {
                // 토큰이 없으면 기다립니다. 그동안 읽지 않으므로 TCP가 보내는 쪽도 늦춥니다.
                // Out of tokens: wait. Meanwhile nothing is read, so TCP slows the sender too.
                thread::sleep(bucket.take(Instant::now()));
                // 방의 수신함이 꽉 찼으면 여기서 기다립니다 · waits here while the inbox is full.
                if events.send(Event::Said { id, heard }).is_err() {
                    return None;
                }
            }
            Ok(None) => return None,
            Err(error) => return Some(error),
        }
    }
}
// ANCHOR_END: answer

// ANCHOR: speak
/// 한 사람의 입: 대기열에 와 있는 줄을 모두 모아 write 한 번으로 씁니다. 방이 대기열을
/// 닫거나 쓰기가 실패하면 끝납니다.
/// One member's mouth: gathers every line waiting in the queue and writes them with one
/// write. It ends when the room closes the queue or a write fails.
fn speak(
    id: u64,
    phone: &TcpStream,
    queue: Receiver<String>,
    pending: &AtomicUsize,
    events: &SyncSender<Event>,
) {
    let mut batch = Vec::new();
    while let Ok(first) = queue.recv() {
        let mut writer = phone;
        match write_waiting(first, &queue, &mut batch, &mut writer) {
            Ok(written) => {
                pending.fetch_sub(written, Ordering::SeqCst);
            }
            // 상대가 읽지 않아 `stall` 동안 한 바이트도 못 보냈습니다: 방에 알립니다.
            // The caller has not read a byte for `stall`: tell the room.
            Err(error) if is_timeout(&error) => {
                let _ = events.send(Event::Stalled { id });
                break;
            }
            Err(_) => break,
        }
    }
    // 끊습니다. 읽는 스레드도 깨어나 "나갔다"를 알립니다.
    // Hang up; this also wakes the reading thread, which reports the leave.
    let _ = phone.shutdown(Shutdown::Both);
}

/// `first`와 대기열에 이미 와 있는 줄들(저마다 \n으로 끝납니다)을 모두 한 버퍼에 모아 한 번에
/// 씁니다. 쓴 바이트 수를 돌려줍니다.
/// Gathers `first` and everything already waiting in the queue (lines, each ending in \n)
/// into one buffer, and writes it at once. Returns how many bytes were written.
pub fn write_waiting(
    first: String,
    queue: &Receiver<String>,
    batch: &mut Vec<u8>,
    phone: &mut impl Write,
) -> io::Result<usize> {
    batch.clear();
    let mut next = Some(first);
    while let Some(lines) = next {
        batch.extend_from_slice(lines.as_bytes());
        next = queue.try_recv().ok();
    }
    phone.write_all(batch)?;
    Ok(batch.len())
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
    /// 마지막으로 줄을 보낸 때 · When they last sent a line.
    heard_at: Instant,
    /// 이번 차례에 모아 둔 줄들, 차례가 끝나면 입에게 한 번에 건넵니다.
    /// The lines gathered this round; at the end of the round they go to the mouth at once.
    unsent: String,
    /// 이 사람의 입에게 줄을 건네는 곳 · Where lines go to their mouth.
    outbox: Sender<String>,
    /// 건넸지만 아직 쓰지 못한 바이트 · Bytes handed over but not yet written.
    pending: Arc<AtomicUsize>,
    /// 이 사람을 끊을 때 쓰는 전화기 · Their handset, to hang up on them.
    phone: Arc<TcpStream>,
}

impl Member {
    /// 모아 둔 줄을 입에게 건넵니다 · Hands the gathered lines to the mouth.
    fn hand_over(&mut self) {
        if self.unsent.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.unsent);
        self.pending.fetch_add(lines.len(), Ordering::SeqCst);
        // 입이 이미 닫혔다면 줄은 버려지고, 머지않아 Left가 옵니다.
        // If their mouth is already gone, the lines are dropped; Left will follow shortly.
        let _ = self.outbox.send(lines);
    }
}

/// 누가 방에 있는지 아는 곳은 여기 하나뿐입니다 · The one place that knows who is in the room.
struct Room {
    members: BTreeMap<u64, Member>,
    /// 이번 차례에 줄을 받은 사람들 · The members who got lines this round.
    told: Vec<u64>,
    rules: Rules,
}

/// 방: 소식을 차례로 처리합니다. 한 차례는 소식 하나와 그때 이미 와 있던 소식(많아야 INBOX개)이고,
/// 차례가 끝나면 사람마다 모인 줄을 입에게 한 번에 건넵니다. 틈틈이 (많아야 1초마다) 말 없는
/// 사람을 살핍니다.
/// The room: handles news in rounds. A round is one event plus those already waiting (at most
/// INBOX); at the end of a round, each member's gathered lines go to their mouth at once. Now
/// and then (at least every second) it looks for callers silent too long.
fn run_room(inbox: Receiver<Event>, rules: Rules, out: &mut impl Write) -> Result<()> {
    let mut room = Room {
        members: BTreeMap::new(),
        told: Vec::new(),
        rules,
    };
    let tick = rules.name_wait.min(rules.idle).min(Duration::from_secs(1));
    let mut looked_at = Instant::now();
    loop {
        match inbox.recv_timeout(tick) {
            Ok(event) => {
                room.handle(event, out)?;
                for event in inbox.try_iter().take(INBOX) {
                    room.handle(event, out)?;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            // 소식을 보낼 스레드가 하나도 남지 않았습니다 · no thread is left to send news
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if looked_at.elapsed() >= tick {
            room.hang_up_on_the_silent(out)?;
            looked_at = Instant::now();
        }
        room.hand_over();
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
                pending,
                phone,
            } => {
                let max = self.rules.max_members;
                if self.members.len() >= max {
                    writeln!(
                        out,
                        "거절 · refused a call from {peer}: the room is full ({max} members)"
                    )?;
                    // 명단에 넣지 않습니다. outbox가 버려지면 입이 이 줄을 말하고 끊습니다.
                    // Not added; once outbox is dropped, the mouth says this line and hangs up.
                    let refusal = format!(
                        "! 방이 꽉 찼습니다 · the room is full ({max} members): try again later\n"
                    );
                    pending.fetch_add(refusal.len(), Ordering::SeqCst);
                    let _ = outbox.send(refusal);
                    return Ok(());
                }
                writeln!(out, "접속 · call from {peer}")?;
                let member = Member {
                    name: None,
                    peer,
                    since: Instant::now(),
                    heard_at: Instant::now(),
                    unsent: String::new(),
                    outbox,
                    pending,
                    phone,
                };
                self.members.insert(id, member);
                self.tell(id, "* 이름을 알려 주세요 · what is your name?", out)
            }
            Event::Said { id, heard } => self.said(id, heard, out),
            Event::Stalled { id } => {
                let seconds = self.rules.stall.as_secs_f64();
                let why = format!("nothing written for {seconds} s");
                self.hang_up_on(id, &why, out)
            }
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
        let Some(member) = self.members.get_mut(&id) else {
            return Ok(());
        };
        member.heard_at = Instant::now();
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
    /// 한 사람에게 한 줄. 방은 기다리지 않습니다: 줄을 모아 두고 바로 돌아옵니다. 그 사람 앞에
    /// 쓰지 못한 바이트가 `budget`을 넘게 되면, 모으는 대신 그 사람을 끊습니다.
    /// One line to one member. The room never waits: it puts the line aside and returns. If the
    /// bytes not yet written for them would pass `budget`, it hangs up on them instead.
    fn tell(&mut self, id: u64, line: &str, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.get_mut(&id) else {
            return Ok(());
        };
        let waiting = member.pending.load(Ordering::SeqCst) + member.unsent.len();
        if waiting + line.len() + 1 > self.rules.budget {
            let why = format!("over {} bytes waiting", self.rules.budget);
            return self.hang_up_on(id, &why, out);
        }
        if member.unsent.is_empty() {
            self.told.push(id);
        }
        member.unsent.push_str(line);
        member.unsent.push('\n');
        Ok(())
    }

    /// 차례가 끝났습니다: 줄을 받은 사람마다 모인 줄을 입에게 건넵니다.
    /// The round is over: every member who got lines has them handed to their mouth.
    fn hand_over(&mut self) {
        for id in std::mem::take(&mut self.told) {
            if let Some(member) = self.members.get_mut(&id) {
                member.hand_over();
            }
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
    fn hang_up_on(&mut self, id: u64, why: &str, out: &mut impl Write) -> Result<()> {
        let Some(member) = self.members.remove(&id) else {
            return Ok(());
        };
        // 막힌 쓰기와 기다리는 읽기를 모두 깨웁니다 · wakes the blocked write and the waiting read
        let _ = member.phone.shutdown(Shutdown::Both);
        let who = member
            .name
            .clone()
            .unwrap_or_else(|| member.peer.to_string());
        writeln!(out, "끊음 · hung up on {who}: {why}, not reading")?;
        match member.name {
            Some(name) => {
                let notice = format!(
                    "* {name} 님이 읽지 않아서 연결을 끊었습니다 · {name} stopped reading and was disconnected"
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
        // "내 말은 끝"만 한 사람은 아직 듣고 있습니다 · a half-close can still hear
        if error.is_none() {
            self.tell(
                id,
                &format!("* 안녕히 가세요, {name} 님 · goodbye, {name}"),
                out,
            )?;
        }
        // 남은 줄을 건네고 대기열을 닫으면, 입이 그 줄을 다 말하고 끊습니다.
        // Handing over what is left and dropping the queue lets the mouth say it, then hang up.
        let Some(mut member) = self.members.remove(&id) else {
            return Ok(());
        };
        member.hand_over();
        writeln!(out, "퇴장 · {name} left: {how}")?;
        self.tell_others(
            None,
            &format!("* {name} 님이 나갔습니다 · {name} left"),
            out,
        )
    }
    // ANCHOR_END: left

    // ANCHOR: silent
    /// 너무 오래 말이 없는 사람에게 까닭을 말하고 끊습니다: 이름 없이 `name_wait`, 또는
    /// 이름을 말한 뒤 줄 하나 없이 `idle`.
    /// Says why, and hangs up on, callers silent too long: no name within `name_wait`, or no
    /// line for `idle` after giving one.
    fn hang_up_on_the_silent(&mut self, out: &mut impl Write) -> Result<()> {
        let (name_wait, idle) = (self.rules.name_wait, self.rules.idle);
        let silent: Vec<u64> = self
            .members
            .iter()
            .filter(|(_, m)| match m.name {
                None => m.since.elapsed() >= name_wait,
                Some(_) => m.heard_at.elapsed() >= idle,
            })
            .map(|(id, _)| *id)
            .collect();
        for id in silent {
            let Some(name) = self.members.get(&id).map(|m| m.name.clone()) else {
                continue;
            };
            let notice = match &name {
                None => {
                    let s = name_wait.as_secs_f64();
                    format!("! 이름을 {s}초 동안 기다렸습니다 · no name within {s} s: hanging up")
                }
                Some(_) => {
                    let s = idle.as_secs_f64();
                    format!(
                        "! {s}초 동안 아무 줄도 없었습니다 · nothing from you for {s} s: hanging up"
                    )
                }
            };
            self.tell(id, &notice, out)?;
            // 남은 줄을 건네고 대기열을 닫으면, 입이 그 줄을 말하고 끊습니다.
            // Handing over what is left and dropping the queue: the mouth says it, then hangs up.
            let Some(mut member) = self.members.remove(&id) else {
                continue;
            };
            member.hand_over();
            let peer = member.peer;
            match name {
                None => {
                    let s = name_wait.as_secs_f64();
                    writeln!(out, "통화 종료 · hung up on {peer}: no name within {s} s")?;
                }
                Some(name) => {
                    let s = idle.as_secs_f64();
                    writeln!(out, "끊음 · hung up on {name}: no line for {s} s")?;
                    let notice = format!(
                        "* {name} 님이 {s}초 동안 말이 없어 연결을 끊었습니다 · {name} was silent for {s} s and was disconnected"
                    );
                    self.tell_others(None, &notice, out)?;
                }
            }
        }
        Ok(())
    }
    // ANCHOR_END: silent
}

fn is_reset(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

/// 쓰기의 제한 시간이 지났습니다 (유닉스는 WouldBlock, 윈도우는 TimedOut).
/// A write's timeout passed (WouldBlock on Unix, TimedOut on Windows).
fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
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

// ANCHOR: chat
/// 채팅 클라이언트: 이름이 있으면 먼저 보내고, 친 것은 서버로, 받은 것은 화면으로 보냅니다.
/// 입력이 끝나면(Ctrl+D) "내 말은 끝"만 알리고, 서버가 끊을 때까지 계속 듣습니다.
/// The chat client: sends the name first, if given; what you type goes to the server, what
/// arrives goes to the screen. When typing ends (Ctrl+D), it says "I'm done talking" and
/// keeps reading until the server hangs up.
pub fn chat(
    addr: SocketAddr,
    name: Option<&str>,
    typed: impl Read + Send + 'static,
    shown: &mut impl Write,
) -> Result<()> {
    let mut phone =
        TcpStream::connect_timeout(&addr, PATIENCE).map_err(|e| explain_dial_error(e, addr))?;
    // 친 줄은 모아 두지 않고 바로 보냅니다 · typed lines go out at once
    phone
        .set_nodelay(true)
        .context("TCP_NODELAY를 켜지 못했습니다 · could not set TCP_NODELAY")?;
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
        // 내 말은 끝, 듣기는 계속 · I'm done talking; I can still hear you
        let _ = mouth.shutdown(Shutdown::Write);
    });
    // 서버가 끊을 때까지 듣습니다. 채팅에서 말이 없는 것은 정상이라 제한 시간이 없습니다.
    // Hear until the server hangs up; silence is normal in a chat, so there is no timeout.
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
