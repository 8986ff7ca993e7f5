//! 12장의 HTTP 서버를 실제 루프백 소켓으로 시험합니다 · Chapter 12's HTTP server over real
//! loopback sockets. The limits are parameters each test sets small; every read has a timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ch12_http::{
    Limits, content_length, default_site, http_date, percent_decode, serve, site_path, unix_now,
};
use support::{SharedLog, dial, loopback_listener, read_until_hang_up};

/// 한도를 정해 서버를 띄웁니다 · Starts a server with the given limits.
fn start(limits: Limits) -> (SocketAddr, SharedLog) {
    let listener = loopback_listener();
    let addr = listener.local_addr().expect("addr");
    let log = SharedLog::default();
    let sink = Arc::new(Mutex::new(log.clone()));
    thread::spawn(move || serve(listener, default_site(), limits, sink));
    (addr, log)
}

fn small() -> Limits {
    Limits {
        line: 64,
        head: 256,
        body: 16,
        head_time: Duration::from_secs(1),
    }
}

/// 답 하나: 상태, 헤더(소문자), 본문 · One response: status, headers (lower case), body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn read_answer(reader: &mut BufReader<TcpStream>) -> Answer {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line, not {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("name: value");
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = content_length(&headers).expect("Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8(body).expect("UTF-8 body"),
    }
}

/// 바이트를 보내고 답 하나를 읽은 뒤, 서버가 끊었는지 확인합니다.
/// Sends bytes, reads one response, and checks that the server then hung up.
fn once(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = dial(addr);
    stream.write_all(request).expect("send");
    let mut reader = BufReader::new(stream);
    let answer = read_answer(&mut reader);
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).expect("hang-up");
    assert!(rest.is_empty(), "nothing after the answer: {rest:?}");
    answer
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn the_home_page_shows_the_calls_four_tuple() {
    let (addr, log) = start(Limits::default());
    let mut stream = dial(addr);
    let me = stream.local_addr().expect("local");
    stream.write_all(&get("/")).expect("send");
    let answer = read_answer(&mut BufReader::new(stream));
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(
        answer
            .body
            .contains(&format!("<td id=\"server\">{addr}</td>"))
    );
    assert!(
        answer
            .body
            .contains(&format!("<td id=\"browser\">{me}</td>"))
    );
    log.wait_for(&format!("{me} GET / → 200"), 1);
}

#[test]
fn a_thousand_requests_ride_one_keep_alive_call() {
    let (addr, _log) = start(Limits::default());
    let stream = dial(addr);
    let me = stream.local_addr().expect("local");
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    for i in 0..1000 {
        writer
            .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            .expect("send");
        let answer = read_answer(&mut reader);
        assert_eq!(answer.status, 200, "request {i}");
        assert_eq!(answer.header("connection"), Some("keep-alive"));
        // 같은 통화: 브라우저 쪽 포트가 그대로 · the same call: the caller's port is the same
        assert!(
            answer
                .body
                .contains(&format!("<td id=\"browser\">{me}</td>"))
        );
    }
    writer.write_all(&get("/hello.txt")).expect("last");
    let last = read_answer(&mut reader);
    assert_eq!(last.header("connection"), Some("close"));
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).expect("hang-up after close");
    assert!(rest.is_empty());
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let (addr, _log) = start(Limits::default());
    let mut stream = dial(addr);
    // 세 요청을 write 한 번에 · three requests in one write
    stream
        .write_all(
            b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n\
              POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\ntext=a\
              GET /echo?text=b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        )
        .expect("send");
    let mut reader = BufReader::new(stream);
    let first = read_answer(&mut reader);
    assert!(first.body.contains("site/"), "{}", first.body);
    let second = read_answer(&mut reader);
    assert!(
        second.body.contains("<q id=\"heard\">a</q>"),
        "{}",
        second.body
    );
    let third = read_answer(&mut reader);
    assert!(
        third.body.contains("<q id=\"heard\">b</q>"),
        "{}",
        third.body
    );
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).expect("hang-up");
    assert!(rest.is_empty());
}

#[test]
fn http_1_0_hangs_up_unless_asked_to_keep_alive() {
    let (addr, _log) = start(Limits::default());
    let answer = once(addr, b"GET /hello.txt HTTP/1.0\r\n\r\n");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("connection"), Some("close"));
    let mut stream = dial(addr);
    stream
        .write_all(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .expect("send");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    assert_eq!(
        read_answer(&mut reader).header("connection"),
        Some("keep-alive")
    );
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").expect("again");
    assert_eq!(read_answer(&mut reader).status, 200);
}

#[test]
fn the_echo_form_posts_a_body_and_escapes_what_it_heard() {
    let (addr, _log) = start(Limits::default());
    let body = "text=%EC%95%88%EB%85%95+%3Cb%3E";
    let request = format!(
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = once(addr, request.as_bytes());
    assert_eq!(answer.status, 200);
    assert!(
        answer.body.contains("<q id=\"heard\">안녕 &lt;b&gt;</q>"),
        "{}",
        answer.body
    );
}

#[test]
fn head_sends_the_length_but_no_body() {
    let (addr, _log) = start(Limits::default());
    let mut stream = dial(addr);
    stream
        .write_all(b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .expect("send");
    let all = String::from_utf8(read_until_hang_up(&mut stream)).expect("UTF-8");
    let size = std::fs::metadata(default_site().join("hello.txt"))
        .expect("hello.txt")
        .len();
    assert!(
        all.contains(&format!("Content-Length: {size}\r\n")),
        "{all}"
    );
    assert!(all.ends_with("\r\n\r\n"), "no body after the head: {all:?}");
}

#[test]
fn a_request_line_over_the_limit_gets_414() {
    let (addr, _log) = start(small());
    let long = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "a".repeat(100));
    assert_eq!(once(addr, long.as_bytes()).status, 414);
    // 한도 안쪽은 괜찮습니다 · under the limit is fine
    assert_eq!(once(addr, &get("/hello.txt")).status, 200);
}

#[test]
fn headers_over_the_limit_get_431() {
    let (addr, _log) = start(small());
    let mut request = b"GET / HTTP/1.1\r\nHost: t\r\n".to_vec();
    for i in 0..20 {
        request.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "b".repeat(20)).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    assert_eq!(once(addr, &request).status, 431);
}

#[test]
fn a_body_over_the_limit_gets_413() {
    let (addr, _log) = start(small());
    // 본문은 보내지 않습니다: 서버는 헤더만 보고 거절합니다
    // the body is not sent: the server refuses on the head alone
    let answer = once(
        addr,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n",
    );
    assert_eq!(answer.status, 413);
    let fits =
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nConnection: close\r\n\r\ntext=x";
    assert_eq!(once(addr, fits).status, 200);
}

#[test]
fn a_slow_sender_that_never_finishes_its_headers_gets_408() {
    let (addr, log) = start(small());
    let stream = dial(addr);
    let me = stream.local_addr().expect("local");
    let mut trickle = stream.try_clone().expect("clone");
    // 한 바이트씩 천천히, 빈 줄은 끝내 보내지 않습니다 (최대 60바이트)
    // one byte at a time, slowly, never the empty line (60 bytes at most)
    let slow = thread::spawn(move || {
        for byte in b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter()
        {
            if trickle.write_all(&[*byte]).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(100));
        }
    });
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let answer = read_answer(&mut reader);
    assert_eq!(answer.status, 408);
    log.wait_for(&format!("{me} ? → 408"), 1);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    slow.join().expect("trickle");
}

#[test]
fn a_quiet_call_is_hung_up_without_an_answer() {
    let (addr, _log) = start(small());
    let mut stream = dial(addr);
    // 아무것도 보내지 않습니다: 1초 뒤 서버가 조용히 끊습니다
    // nothing is sent: after 1 s the server hangs up without a word
    assert!(read_until_hang_up(&mut stream).is_empty());
}

#[test]
fn no_path_escapes_the_site() {
    let (addr, _log) = start(Limits::default());
    let outside = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    assert!(
        std::fs::read_to_string(&outside)
            .expect("Cargo.toml")
            .contains("[package]")
    );
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/..%2FCargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/hello.txt/../../Cargo.toml",
        "/./../Cargo.toml",
        "/..%5cCargo.toml",
        "/%2e%2e%5c%2e%2e%5cCargo.toml",
        "//../Cargo.toml",
    ] {
        let answer = once(addr, &get(path));
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.body.contains("[package]"), "{path}");
    }
    // 대상이 /로 시작하지 않으면 400 · a target not starting with / is 400
    assert_eq!(
        once(addr, b"GET ../Cargo.toml HTTP/1.1\r\nHost: t\r\n\r\n").status,
        400
    );
    // 잘못된 퍼센트 인코딩도 밖으로 못 나갑니다 · broken percent-encoding does not escape either
    assert_eq!(once(addr, &get("/%zz/Cargo.toml")).status, 404);
    // 안쪽 파일은 나옵니다: 이 테스트는 실패할 수 있습니다 · a file inside is served
    assert_eq!(once(addr, &get("/hello.txt")).status, 200);
    assert_eq!(once(addr, &get("/%68ello.txt")).status, 200);
}

#[test]
fn site_path_refuses_dot_dot_after_decoding() {
    let site = Path::new("/srv/site");
    assert_eq!(
        site_path(site, "/a/b.txt"),
        Some(site.join("a").join("b.txt"))
    );
    assert_eq!(site_path(site, "/%2e%2e/x"), None);
    assert_eq!(site_path(site, "/a/%2E%2E%2F%2E%2E%2Fx"), None);
    assert_eq!(site_path(site, "/a%00b"), None);
    assert_eq!(percent_decode("a%20b+c", true).as_deref(), Some("a b c"));
    assert_eq!(percent_decode("a+c", false).as_deref(), Some("a+c"));
    assert_eq!(percent_decode("%ff", false), None, "not UTF-8");
    assert_eq!(percent_decode("%4", false), None, "cut short");
}

#[test]
fn malformed_requests_get_400() {
    let (addr, _log) = start(Limits::default());
    for (request, status) in [
        (&b"GARBAGE\r\n\r\n"[..], 400),
        (b"GET /\r\n\r\n", 400),
        (b"get / HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        (b"GET  / HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n\r\n", 400), // Host 없음 · no Host
        (b"GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n", 400),
        (
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
            400,
        ),
        (
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
            400,
        ),
        (
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            400,
        ),
        (b"GET / \xff\xfe\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        (
            b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
            501,
        ),
        (
            b"DELETE / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            405,
        ),
    ] {
        let answer = once(addr, request);
        assert_eq!(
            answer.status,
            status,
            "{:?}",
            String::from_utf8_lossy(request)
        );
    }
}

#[test]
fn content_length_rules() {
    let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(content_length(&h(&[])), Ok(0));
    assert_eq!(content_length(&h(&[("content-length", "12")])), Ok(12));
    assert_eq!(
        content_length(&h(&[("Content-Length", "3"), ("content-length", "3")])),
        Ok(3)
    );
    assert!(content_length(&h(&[("content-length", "+3")])).is_err());
    assert!(content_length(&h(&[("content-length", "1"), ("content-length", "2")])).is_err());
    assert!(content_length(&h(&[("content-length", "99999999999999999999999")])).is_err());
}

#[test]
fn http_date_writes_known_times_in_imf_fixdate() {
    // RFC 9110의 예 · the example in RFC 9110
    assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    // 윤일: 2000년은 400으로 나뉘므로 윤년 · a leap day: 2000 is divisible by 400, so it leaps
    assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(http_date(951_868_800), "Wed, 01 Mar 2000 00:00:00 GMT");
    // 한 해의 마지막 초 · the last second of a year
    assert_eq!(http_date(1_798_761_599), "Thu, 31 Dec 2026 23:59:59 GMT");
    assert_eq!(http_date(1_796_169_600), "Wed, 02 Dec 2026 00:00:00 GMT");
    assert_eq!(http_date(1_796_212_799), "Wed, 02 Dec 2026 11:59:59 GMT");
}

/// `Date` 값이 IMF-fixdate 모양인지 · Whether a `Date` value has the IMF-fixdate shape,
/// `Www, DD Mon YYYY HH:MM:SS GMT`.
fn is_imf_fixdate(date: &str) -> bool {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = date.split(' ').collect();
    let [weekday, day, month, year, time, zone] = parts[..] else {
        return false;
    };
    let time: Vec<&str> = time.split(':').collect();
    weekday
        .strip_suffix(',')
        .is_some_and(|w| WEEKDAYS.contains(&w))
        && digits(day, 2)
        && MONTHS.contains(&month)
        && digits(year, 4)
        && time.len() == 3
        && time.iter().all(|t| digits(t, 2))
        && zone == "GMT"
}

#[test]
fn every_response_carries_the_date_it_was_sent() {
    assert!(is_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"));
    assert!(!is_imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT"));
    let (addr, _log) = start(small());
    let before = unix_now();
    let ok = once(addr, &get("/hello.txt"));
    let refused = once(addr, b"NOT HTTP\r\n\r\n");
    let after = unix_now();
    assert_eq!((ok.status, refused.status), (200, 400));
    for answer in [ok, refused] {
        let date = answer.header("date").expect("a Date header");
        assert!(is_imf_fixdate(date), "{date:?}");
        // 보내기 전과 받은 뒤 사이의 어느 초 · some second between before sending and after reading
        assert!(
            (before..=after).any(|t| http_date(t) == date),
            "{date:?} is not between {} and {}",
            http_date(before),
            http_date(after)
        );
    }
}
