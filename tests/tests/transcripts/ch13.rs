//! Chapter 13's transcripts: real packet captures (tcpdump on loopback), the socket listing of
//! `ch13_observe` and `ss` for sockets this test creates, and the handshake diagram held
//! against the capture.
//!
//! A capture needs `tcpdump` and the right to capture on `lo` (root or CAP_NET_RAW); the listing
//! needs `ss` (iproute2). Where one is missing the test says so loudly, and fails when `CI` is
//! set. `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test transcripts -- ch13::` rewrites them.
//!
//! A capture is deterministic because the test sets the pace: `walk_through_a_call` stops
//! after each step, and the test waits until the capture has shown that step's packets (a
//! delayed ACK included) before the next step, so no ACK can ride on a later packet.

use std::collections::HashMap;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use book_checks::{BOOK_PORT, DEADLINE, Transcript, loopback as addr, root, run, show_book_port};
use ch13_observe::{
    State, Step, list_sockets, on_port, quiet_listener, walk_through_a_call, walk_through_a_reset,
};
use support::{Capture, tool_unavailable};

const CHAPTER: &str = "13_observe";
const MESSAGE: &str = "안녕!";

/// 단계마다 기대하는 패킷 수 · The packets each step puts on the wire.
fn packets_of(step: Step) -> usize {
    match step {
        Step::PickedUp => 3,
        Step::Reset => 1,
        _ => 2,
    }
}

/// tcpdump 한 줄을 읽은 것 · One line of tcpdump, read.
#[derive(Debug)]
struct Packet {
    from_caller: bool,
    flags: String,
    seq_end: Option<u32>,
    ack: Option<u32>,
    length: u32,
    masked: String,
}

/// `12:00:00.000001 IP 127.0.0.1.54321 > 127.0.0.1.9999: Flags [S], seq 1, win 2, options
/// [mss 3], length 0`: 시각, 발신 번호, 순서 번호, 창 크기, 옵션은 *로 가립니다 (매번
/// 다릅니다); 플래그와 길이는 그대로. Masks the time, the caller's port, sequence numbers,
/// window and options (they differ on every run); keeps the flags and the length.
fn read_packet(line: &str, server_port: u16) -> Packet {
    let bad = || -> ! { panic!("not a tcpdump line: {line:?}") };
    let (_time, rest) = line.split_once(" IP ").unwrap_or_else(|| bad());
    let (route, rest) = rest.split_once(": ").unwrap_or_else(|| bad());
    let (from, _to) = route.split_once(" > ").unwrap_or_else(|| bad());
    let from_caller = !from.ends_with(&format!(".{server_port}"));
    let mut fields: HashMap<&str, &str> = HashMap::new();
    for field in rest.split(", ") {
        let (key, value) = field.split_once(' ').unwrap_or((field, ""));
        fields.insert(key, value);
    }
    let flags = fields["Flags"].trim_matches(['[', ']']).to_string();
    let number = |text: &str| text.parse::<u32>().unwrap_or_else(|_| bad());
    // tcpdump가 아는 포트라면 길이 뒤에 내용 해석이 붙습니다 · on a port tcpdump knows, a decode
    // of the payload follows the length
    let length = number(fields["length"].split(':').next().unwrap_or_default());
    let seq_end = fields.get("seq").map(|seq| match seq.split_once(':') {
        Some((_, end)) => number(end),
        None => number(seq),
    });
    let ack = fields.get("ack").map(|ack| number(ack));
    let (caller, server) = ("127.0.0.1.*", format!("127.0.0.1.{BOOK_PORT}"));
    let (src, dst) = if from_caller {
        (caller, server.as_str())
    } else {
        (server.as_str(), caller)
    };
    let mut masked = format!("* IP {src} > {dst}: Flags [{flags}]");
    for key in ["seq", "ack", "win", "options"] {
        if fields.contains_key(key) {
            masked.push_str(if key == "options" {
                ", options [*]"
            } else {
                match key {
                    "seq" => ", seq *",
                    "ack" => ", ack *",
                    _ => ", win *",
                }
            });
        }
    }
    masked.push_str(&format!(", length {length}"));
    Packet {
        from_caller,
        flags,
        seq_end,
        ack,
        length,
        masked,
    }
}

/// 그림이 그리는 패킷들: 데이터에 대한 ACK는 빼고 (그림도 뺍니다), SYN과 FIN에 대한 ACK는
/// 넣습니다. `→`는 발신자에서 서버로. The packets the diagram draws: ACKs of data left out
/// (as the diagram leaves them out), ACKs of a SYN or FIN kept. `→` is caller to server.
fn as_drawn(packets: &[Packet]) -> Vec<String> {
    // 방향마다, 아직 확인받지 못한 SYN/FIN이 기다리는 ack 번호
    // per direction, the ack number an unanswered SYN or FIN waits for
    let mut waiting: [Option<u32>; 2] = [None, None];
    let mut drawn = Vec::new();
    for packet in packets {
        let (mine, theirs) = if packet.from_caller { (0, 1) } else { (1, 0) };
        let name = match packet.flags.as_str() {
            "S" => "SYN",
            "S." => "SYN-ACK",
            "F." | "F" | "FP." => "FIN",
            "R" | "R." => "RST",
            _ if packet.length > 0 => "data",
            "." if packet.ack.is_some() && packet.ack == waiting[theirs] => "ACK",
            _ => continue,
        };
        if packet.ack.is_some() && packet.ack == waiting[theirs] {
            waiting[theirs] = None;
        }
        if matches!(name, "SYN" | "SYN-ACK" | "FIN") {
            waiting[mine] = packet.seq_end.map(|end| end + 1);
        }
        let arrow = if packet.from_caller { "→" } else { "←" };
        drawn.push(format!("{arrow}{name}"));
    }
    drawn
}

/// 그림(handshake.{ko,en}.svg)의 `data-flags`, 그리고 그 옆 화살표의 방향과 글자가 같은지.
/// The diagram's `data-flags`, checked against its own arrows' directions and labels.
fn drawn_in(lang: &str) -> Vec<String> {
    let path = root().join(format!("book/src/images/handshake.{lang}.svg"));
    let svg = std::fs::read_to_string(&path).expect("handshake diagram");
    let at = svg
        .find("data-flags=\"")
        .expect("the diagram marks its arrows with data-flags");
    let rest = &svg[at + "data-flags=\"".len()..];
    let flags: Vec<String> = rest[..rest.find('"').expect("quote")]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let group = &rest[..rest.find("</g>").expect("end of the arrows")];
    let arrows: Vec<&str> = group
        .split("<path d=\"M")
        .skip(1)
        .map(|d| {
            let x1: u32 = d
                .split(' ')
                .next()
                .and_then(|x| x.parse().ok())
                .expect("x1");
            let x2: u32 = d
                .split('L')
                .nth(1)
                .and_then(|p| p.split(' ').next())
                .and_then(|x| x.parse().ok())
                .expect("x2");
            if x1 < x2 { "→" } else { "←" }
        })
        .collect();
    let labels_group = &rest[rest.find("</g>").expect("end") + 4..];
    let labels_group = &labels_group[..labels_group.find("</g>").expect("labels")];
    let labels: Vec<String> = labels_group
        .split("<text ")
        .skip(1)
        .map(|text| {
            let inner = &text[text.find('>').expect(">") + 1..];
            let inner = &inner[..inner.find("</text>").expect("</text>")];
            match inner {
                "SYN" | "SYN-ACK" | "ACK" | "FIN" | "RST" => inner.to_string(),
                _ => "data".to_string(),
            }
        })
        .collect();
    let from_drawing: Vec<String> = arrows
        .iter()
        .zip(&labels)
        .map(|(arrow, label)| format!("{arrow}{label}"))
        .collect();
    assert_eq!(
        flags,
        from_drawing,
        "{}: data-flags disagrees with the arrows and labels drawn",
        path.display()
    );
    flags
}

/// 멈출 때마다 그 단계의 패킷을 기다리는 `pause` · A `pause` that waits for each step's packets.
fn paced(capture: &Capture) -> impl FnMut(Step) -> anyhow::Result<()> + '_ {
    let mut seen = 0;
    move |step| {
        seen += packets_of(step);
        capture.wait_for(seen);
        Ok(())
    }
}

fn capture_text(lines: &[String], port: u16) -> (String, Vec<Packet>) {
    let packets: Vec<Packet> = lines.iter().map(|line| read_packet(line, port)).collect();
    let text = packets
        .iter()
        .map(|p| format!("{}\n", p.masked))
        .collect::<String>();
    (text, packets)
}

const TCPDUMP: &str = "sudo tcpdump -i lo -n -l -S 'tcp port 9999'";

#[test]
fn ch13_capture_of_a_call_matches_the_handshake_diagram() {
    let listener = quiet_listener().expect("a port no other socket uses");
    let port = listener.local_addr().expect("addr").port();
    let total = 3 + 2 + 2 + 2 + 2;
    let Some(capture) = Capture::start(&format!("tcp port {port}"), total, &["-S"]) else {
        return;
    };
    walk_through_a_call(&listener, MESSAGE.as_bytes(), paced(&capture)).expect("the call");
    let (text, packets) = capture_text(&capture.wait_for(total), port);
    Transcript::default()
        .command(TCPDUMP)
        .output(&text)
        .check(CHAPTER, "capture_call.txt");
    let captured = as_drawn(&packets);
    assert_eq!(
        packets[3].length,
        MESSAGE.len() as u32,
        "the data packet carries 안녕!"
    );
    for lang in ["ko", "en"] {
        assert_eq!(
            drawn_in(lang),
            captured,
            "handshake.{lang}.svg draws other packets than the capture shows"
        );
    }
}

#[test]
fn ch13_capture_of_a_reset() {
    let listener = quiet_listener().expect("a port no other socket uses");
    let port = listener.local_addr().expect("addr").port();
    let total = 3 + 2 + 1;
    let Some(capture) = Capture::start(&format!("tcp port {port}"), total, &["-S"]) else {
        return;
    };
    let error =
        walk_through_a_reset(&listener, MESSAGE.as_bytes(), paced(&capture)).expect("the reset");
    assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
    let (text, packets) = capture_text(&capture.wait_for(total), port);
    assert_eq!(
        as_drawn(&packets),
        ["→SYN", "←SYN-ACK", "→ACK", "→data", "←RST"]
    );
    Transcript::default()
        .command(TCPDUMP)
        .output(&text)
        .check(CHAPTER, "capture_reset.txt");
}

#[test]
fn ch13_call_program() {
    let port = book_checks::free_port();
    let (ok, out, err) = run("ch13_observe", &["call", &addr(port)]).finish();
    assert!(ok, "{err}");
    Transcript::on_port(port)
        .command("cargo run -p ch13_observe -- call")
        .output(&out)
        .check(CHAPTER, "call.txt");
}

/// 소켓 목록과 ss를 나란히: 리슨 소켓, 통화 하나(서버가 읽지 않은 7바이트), TIME_WAIT 하나.
/// The listing and ss side by side: a listener, one call (7 bytes the server has not read),
/// one call in TIME_WAIT.
#[test]
fn ch13_sockets_and_ss() {
    let listener = quiet_listener().expect("a port no other socket uses");
    let port = listener.local_addr().expect("addr").port();
    walk_through_a_call(&listener, MESSAGE.as_bytes(), |_| Ok(())).expect("first call");
    let mut caller =
        std::net::TcpStream::connect(listener.local_addr().expect("addr")).expect("second call");
    let (_server, _) = listener.accept().expect("accept");
    std::io::Write::write_all(&mut caller, MESSAGE.as_bytes()).expect("talk");
    let end = Instant::now() + DEADLINE;
    // 7바이트가 도착하고, 끝난 통화의 서버 쪽이 사라질 때까지 (목록은 네 줄)
    // until the 7 bytes have arrived and the ended call's server side is gone (four lines)
    let settled = |sockets: &[ch13_observe::Socket]| {
        sockets.len() == 4
            && sockets
                .iter()
                .any(|s| s.state == State::Established && s.recv_queue == 7)
    };
    while !settled(&on_port(&list_sockets().expect("list"), port)) {
        assert!(
            Instant::now() < end,
            "the 7 bytes never showed in /proc/net/tcp"
        );
        thread::sleep(Duration::from_millis(10));
    }
    let (ok, listing, err) = run("ch13_observe", &[&port.to_string()]).finish();
    assert!(ok, "{err}");
    assert_eq!(listing.lines().count(), 4, "{listing}");
    Transcript::on_port(port)
        .command("cargo run -p ch13_observe -- 9999")
        .output(&listing)
        .check(CHAPTER, "sockets.txt");

    let filter = format!("( sport = :{port} or dport = :{port} )");
    let ss = match Command::new("ss").args(["-tan", &filter]).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => {
            return tool_unavailable(&format!(
                "ss failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Err(error) => {
            return tool_unavailable(&format!(
                "ss is missing ({error}): apt-get install iproute2"
            ));
        }
    };
    Transcript::on_port(port)
        .command("ss -tan '( sport = :9999 or dport = :9999 )'")
        .output(&ss_columns(&show_book_port(&ss, port)))
        .check(CHAPTER, "ss.txt");
}

/// ss의 칸을 다시 맞춥니다 (포트를 9999로 보이면 칸 너비가 바뀌므로), 목록과 같은 순서로.
/// Re-spaces ss's columns (showing the port as 9999 changes their widths), in the listing's order.
fn ss_columns(ss: &str) -> String {
    let rank = |state: &str| match state {
        "LISTEN" => 0,
        "ESTAB" => 1,
        "TIME-WAIT" => 2,
        _ => 3,
    };
    let mut rows: Vec<Vec<String>> = ss
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().map(str::to_string).collect())
        .collect();
    rows.sort_by_key(|row| (rank(&row[0]), !row[3].ends_with(&format!(":{BOOK_PORT}"))));
    let mut text = format!(
        "{:<10} {:<6} {:<6} {:<16} {}\n",
        "State", "Recv-Q", "Send-Q", "Local", "Peer"
    );
    for row in rows {
        text.push_str(&format!(
            "{:<10} {:<6} {:<6} {:<16} {}\n",
            row[0], row[1], row[2], row[3], row[4]
        ));
    }
    text
}
