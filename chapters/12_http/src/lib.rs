//! 12장: 웹 페이지도 전화 한 통 · Chapter 12: a web page is a phone call too (HTTP/1.1).
//!
//! `TcpListener` 위의 작은 HTTP/1.1 서버입니다: 요청 줄, 헤더, `Content-Length`, keep-alive,
//! `Connection: close`. 표준 라이브러리만 씁니다.
//! A small HTTP/1.1 server on `TcpListener`: request line, headers, `Content-Length`,
//! keep-alive, `Connection: close`. Standard library only.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;

/// 책의 주소 · the book's address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9999";

/// 서버 로그가 가는 곳 · Where the server's log goes.
pub type Log = Arc<Mutex<dyn Write + Send>>;

// ANCHOR: limits
/// 낯선 사람에게서 자신을 지키는 한도 · The limits that protect the server from strangers.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// 요청 줄의 최대 바이트 (넘으면 414) · longest request line in bytes (else 414)
    pub line: usize,
    /// 요청 줄과 헤더 전부의 최대 바이트 (넘으면 431) · longest head in bytes (else 431)
    pub head: usize,
    /// 본문의 최대 바이트 (넘으면 413) · longest body in bytes (else 413)
    pub body: usize,
    /// 헤더를 다 보낼 때까지의 제한 시간 (넘으면 408) · time to send the whole head (else 408)
    pub head_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            line: 2048,
            head: 8192,
            body: 64 * 1024,
            head_time: Duration::from_secs(10),
        }
    }
}
// ANCHOR_END: limits

// ANCHOR: request
/// 요청 하나 · One request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// 요청 대상, 예: `/echo?text=hi` · the request target, e.g. `/echo?text=hi`
    pub target: String,
    /// `HTTP/1.0` 또는 `HTTP/1.1` · `HTTP/1.0` or `HTTP/1.1`
    pub version: String,
    /// 이름은 소문자로 · names in lower case
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// 헤더 하나의 값 (이름은 대소문자 무시) · One header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// 이 요청 다음에도 통화를 이어 갈까? · Does the call go on after this request?
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.version == "HTTP/1.0" {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        }
    }
}
// ANCHOR_END: request

/// 요청을 못 읽은 이유 · Why no request could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 한 바이트도 오기 전에 상대가 끊었거나 조용했습니다: 답 없이 끊습니다.
    /// The caller hung up or stayed silent before a byte: hang up without an answer.
    Silent,
    /// 이 상태 코드로 답하고 끊습니다 · Answer with this status, then hang up.
    Status(u16),
}

/// 상태 코드의 이름 · The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

// ANCHOR: read_line
/// CRLF(또는 LF)로 끝나는 줄 하나를 `max` 바이트 안에서, `deadline` 전에 읽습니다.
/// Reads one line ending in CRLF (or LF), within `max` bytes and before `deadline`.
fn read_line(
    reader: &mut BufReader<TcpStream>,
    max: usize,
    deadline: Instant,
) -> Result<Vec<u8>, LineError> {
    let mut line = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let cut = if line.is_empty() {
            LineError::Nothing
        } else {
            LineError::Cut
        };
        if left.is_zero() || reader.get_ref().set_read_timeout(Some(left)).is_err() {
            return Err(cut);
        }
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(cut), // 시간 초과 · timed out
        };
        if buffer.is_empty() {
            return Err(cut); // 상대가 끊었습니다 · the caller hung up
        }
        let (taken, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (end + 1, true),
            None => (buffer.len(), false),
        };
        line.extend_from_slice(&buffer[..taken]);
        reader.consume(taken);
        if line.len() > max {
            return Err(LineError::TooLong);
        }
        if done {
            line.pop(); // \n
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(line);
        }
    }
}

/// 줄을 못 읽은 이유 · Why a line could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineError {
    /// 한 바이트도 없이 끊김이나 시간 초과 · hung up or timed out before a byte
    Nothing,
    /// 줄 중간에 끊김이나 시간 초과 · hung up or timed out in the middle
    Cut,
    /// `max`보다 깁니다 · longer than `max`
    TooLong,
}
// ANCHOR_END: read_line

// ANCHOR: read_request
/// 요청 하나를 읽습니다: 요청 줄, 헤더, 빈 줄, 그리고 `Content-Length` 바이트의 본문.
/// Reads one request: the request line, headers, an empty line, then `Content-Length` bytes.
pub fn read_request(
    reader: &mut BufReader<TcpStream>,
    limits: &Limits,
) -> Result<Request, Refusal> {
    let deadline = Instant::now() + limits.head_time;
    let first = match read_line(reader, limits.line, deadline) {
        Ok(line) => line,
        // 아무것도 안 보낸 채 끊거나 조용한 (keep-alive) 통화는 그냥 끊습니다
        // a (keep-alive) call that hangs up or stays quiet before a byte is simply hung up
        Err(LineError::Nothing) => return Err(Refusal::Silent),
        Err(LineError::TooLong) => return Err(Refusal::Status(414)),
        Err(LineError::Cut) => return Err(Refusal::Status(408)),
    };
    let first = String::from_utf8(first).map_err(|_| Refusal::Status(400))?;
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Status(400));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Refusal::Status(400));
    }
    if !target.starts_with('/') {
        return Err(Refusal::Status(400));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        let looks_like_http = version.starts_with("HTTP/");
        return Err(Refusal::Status(if looks_like_http { 505 } else { 400 }));
    }
    let mut used = first.len();
    let mut headers = Vec::new();
    loop {
        let line = match read_line(reader, limits.head.saturating_sub(used), deadline) {
            Ok(line) => line,
            Err(LineError::TooLong) => return Err(Refusal::Status(431)),
            Err(_) => return Err(Refusal::Status(408)),
        };
        used += line.len() + 2;
        if line.is_empty() {
            break; // 헤더의 끝 · end of the head
        }
        let line = String::from_utf8(line).map_err(|_| Refusal::Status(400))?;
        let Some((name, value)) = line.split_once(':') else {
            return Err(Refusal::Status(400));
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(Refusal::Status(400));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
        body: Vec::new(),
    };
    if request.version == "HTTP/1.1" && request.header("host").is_none() {
        return Err(Refusal::Status(400));
    }
    if request.header("transfer-encoding").is_some() {
        return Err(Refusal::Status(501)); // chunked는 더 깊이에서 · chunked: see Going deeper
    }
    let length = content_length(&request.headers).map_err(|_| Refusal::Status(400))?;
    if length > limits.body {
        return Err(Refusal::Status(413));
    }
    request.body = vec![0; length];
    let _ = reader.get_ref().set_read_timeout(Some(limits.head_time));
    std::io::Read::read_exact(reader, &mut request.body).map_err(|_| Refusal::Status(400))?;
    Ok(request)
}
// ANCHOR_END: read_request

// ANCHOR: content_length
/// `Content-Length` 헤더의 값: 없으면 0, 숫자가 아니거나 서로 다른 값이 둘이면 오류.
/// The `Content-Length` value: 0 when absent, an error when not a number or given twice
/// with different values.
pub fn content_length(headers: &[(String, String)]) -> Result<usize, String> {
    let mut found: Option<usize> = None;
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Content-Length {value:?} is not a number"));
        }
        let n: usize = value
            .parse()
            .map_err(|_| format!("Content-Length {value:?} is too big"))?;
        if found.is_some_and(|seen| seen != n) {
            return Err("two different Content-Length values".to_string());
        }
        found = Some(n);
    }
    Ok(found.unwrap_or(0))
}
// ANCHOR_END: content_length

// ANCHOR: percent_decode
/// `%41` 같은 퍼센트 인코딩을 풉니다 (`plus_is_space`면 `+`는 공백); 잘못된 `%`나 UTF-8이
/// 아닌 결과는 `None`. · Decodes percent-encoding such as `%41` (`+` is a space when
/// `plus_is_space`); `None` for a broken `%` or a result that is not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
// ANCHOR_END: percent_decode

// ANCHOR: site_path
/// 요청 경로를 `site` 안의 파일 경로로 바꿉니다. `..`, `.`, `\`, NUL이 든 조각은 (퍼센트
/// 인코딩을 푼 뒤에도) 거절하므로 `site` 밖으로 나갈 수 없습니다.
/// Maps a request path to a file under `site`. A segment that is `..` or `.`, or holds `\` or
/// NUL (after percent-decoding too), is refused, so no path leaves `site`.
pub fn site_path(site: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path, false)?;
    let mut file = site.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    Some(file)
}
// ANCHOR_END: site_path

/// 답 하나 · One response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    fn html(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
        }
    }

    /// 오류 답 · An error response.
    pub fn error(status: u16) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {}\n", reason(status)).into_bytes(),
        }
    }

    // ANCHOR: to_bytes
    /// 회선에 나가는 바이트: 상태 줄, 헤더, 빈 줄, 본문 (HEAD면 본문 없이).
    /// The bytes on the wire: status line, headers, an empty line, the body (none for HEAD).
    /// `date`는 `http_date`가 만든 `Date` 헤더 값 · `date` is the `Date` value from `http_date`.
    pub fn to_bytes(&self, keep_alive: bool, with_body: bool, date: &str) -> Vec<u8> {
        let head = format!(
            "HTTP/1.1 {} {}\r\nDate: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n",
            self.status,
            reason(self.status),
            date,
            self.content_type,
            self.body.len(),
            if keep_alive { "keep-alive" } else { "close" },
        );
        let mut bytes = head.into_bytes();
        if with_body {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
    // ANCHOR_END: to_bytes
}

// ANCHOR: http_date
/// 유닉스 시각(1970-01-01 00:00 UTC부터의 초)을 `Date` 헤더의 날짜(RFC 9110 IMF-fixdate)로.
/// A Unix time (seconds since 1970-01-01 00:00 UTC) as a `Date` header (RFC 9110 IMF-fixdate),
/// e.g. `784111777` → `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(unix_secs: u64) -> String {
    // 1970-01-01은 목요일이었습니다 · 1970-01-01 was a Thursday
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_secs / 86_400;
    let secs = unix_secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[month - 1],
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
    )
}

/// 윤년: 4로 나뉘고, 100으로 나뉘면 400으로도 · A leap year: divisible by 4, and by 400 if by 100.
fn is_leap(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// 1970-01-01부터의 날 수를 (연, 월 1–12, 일 1–31)로 · Days since 1970-01-01 as
/// (year, month 1–12, day 1–31).
fn civil_from_days(mut days: u64) -> (u64, usize, u64) {
    // 한 해씩 빼 나갑니다 · take away one year at a time
    let mut year = 1970;
    loop {
        let in_year = if is_leap(year) { 366 } else { 365 };
        if days < in_year {
            break;
        }
        days -= in_year;
        year += 1;
    }
    // 그 해 안에서 한 달씩 · then one month at a time within that year
    let february = if is_leap(year) { 29 } else { 28 };
    let lengths = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    (year, month + 1, days + 1)
}

/// 지금의 유닉스 시각 (시계가 1970년보다 이르면 0) · The Unix time now (0 if the clock is before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or(0)
}
// ANCHOR_END: http_date

/// HTML에 넣을 글자를 안전하게 · Makes text safe to put inside HTML.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// 어느 통화인지: 4-튜플 · Which call this is: the 4-tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub server: SocketAddr,
    pub browser: SocketAddr,
}

const ECHO_FORM: &str = r#"<form method="post" action="/echo">
<label>한마디 · Say something: <input name="text" id="text"></label>
<button type="submit" id="send">보내기 · Send</button>
</form>"#;

fn page(title: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ko\">\n<head><meta charset=\"utf-8\">\
         <title>{title}</title><link rel=stylesheet href=/style.css></head>\n\
         <body>\n{main}\n</body>\n</html>\n"
    )
}

// ANCHOR: home
/// 첫 페이지: 이 통화의 4-튜플을 보여 줍니다 · The home page: shows this call's 4-tuple.
pub fn home(call: Call) -> String {
    page(
        "전화 한 통 · A phone call",
        &format!(
            "<h1>웹 페이지도 전화 한 통 · A web page is a phone call too</h1>\n\
             <p>이 페이지를 가져온 통화 · The call that fetched this page:</p>\n\
             <table id=\"call\">\n\
             <tr><th>서버 · server</th><td id=\"server\">{}</td></tr>\n\
             <tr><th>브라우저 · browser</th><td id=\"browser\">{}</td></tr>\n\
             </table>\n\
             <p>새로 고치면 브라우저 쪽 포트가 같거나(keep-alive) 바뀝니다(새 통화).<br>\
             Reload: the browser's port stays (keep-alive) or changes (a new call).</p>\n{ECHO_FORM}",
            call.server, call.browser
        ),
    )
}
// ANCHOR_END: home

fn echo_page(text: &str) -> String {
    page(
        "메아리 · Echo",
        &format!(
            "<h1>메아리 · Echo</h1>\n<p>들은 말 · I heard: <q id=\"heard\">{}</q></p>\n{ECHO_FORM}\n\
             <p><a href=/ >처음으로 · Home</a></p>",
            escape_html(text)
        ),
    )
}

/// 폼 본문이나 쿼리에서 `text=` 값을 찾습니다 · Finds `text=` in a form body or a query.
fn form_text(form: &str) -> Option<String> {
    form.split('&')
        .find_map(|pair| pair.strip_prefix("text="))
        .and_then(|value| percent_decode(value, true))
}

// ANCHOR: respond
/// 요청 하나에 답을 만듭니다 · Makes the response to one request.
pub fn respond(request: &Request, call: Call, site: &Path) -> Response {
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    match (request.method.as_str(), path) {
        ("GET" | "HEAD", "/") => Response::html(200, home(call)),
        ("GET" | "HEAD", "/echo") => match form_text(query) {
            Some(text) => Response::html(200, echo_page(&text)),
            None => Response::html(200, echo_page("")),
        },
        ("POST", "/echo") => {
            let text = std::str::from_utf8(&request.body).ok().and_then(form_text);
            match text {
                Some(text) => Response::html(200, echo_page(&text)),
                None => Response::error(400),
            }
        }
        ("GET" | "HEAD", _) => match site_path(site, path) {
            Some(file) => match std::fs::read(&file) {
                Ok(body) if file.is_file() => Response {
                    status: 200,
                    content_type: content_type(&file),
                    body,
                },
                _ => Response::error(404),
            },
            None => Response::error(404),
        },
        _ => Response::error(405),
    }
}
// ANCHOR_END: respond

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn log_line(log: &Log, line: &str) {
    if let Ok(mut log) = log.lock() {
        let _ = writeln!(log, "{line}");
        let _ = log.flush();
    }
}

// ANCHOR: handle_call
/// 통화 하나: 요청을 읽고 답하기를, 어느 쪽이 끊을 때까지 되풀이합니다 (keep-alive).
/// One call: read a request and answer it, again and again, until a side hangs up (keep-alive).
pub fn handle_call(
    stream: TcpStream,
    site: &Path,
    limits: &Limits,
    log: &Log,
) -> anyhow::Result<()> {
    let call = Call {
        server: stream.local_addr()?,
        browser: stream.peer_addr()?,
    };
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, limits) {
            Ok(request) => request,
            Err(Refusal::Silent) => return Ok(()),
            Err(Refusal::Status(status)) => {
                log_line(log, &format!("{} ? → {status}", call.browser));
                let date = http_date(unix_now());
                writer.write_all(&Response::error(status).to_bytes(false, true, &date))?;
                return Ok(());
            }
        };
        let response = respond(&request, call, site);
        let keep_alive = request.keep_alive();
        log_line(
            log,
            &format!(
                "{} {} {} → {}",
                call.browser, request.method, request.target, response.status
            ),
        );
        // 답 전체를 write 한 번에 · the whole response in one write
        let date = http_date(unix_now());
        writer.write_all(&response.to_bytes(keep_alive, request.method != "HEAD", &date))?;
        if !keep_alive {
            return Ok(());
        }
    }
}
// ANCHOR_END: handle_call

// ANCHOR: serve
/// 7장처럼 통화마다 스레드 하나 · One thread per call, as in chapter 7.
pub fn serve(listener: TcpListener, site: PathBuf, limits: Limits, log: Log) -> anyhow::Result<()> {
    let site = Arc::new(site);
    for stream in listener.incoming() {
        let stream = stream.context("전화를 받지 못했습니다 · accept failed")?;
        let (site, log) = (Arc::clone(&site), Arc::clone(&log));
        thread::spawn(move || {
            if let Err(error) = handle_call(stream, &site, &limits, &log) {
                log_line(&log, &format!("통화 오류 · call error: {error:#}"));
            }
        });
    }
    Ok(())
}
// ANCHOR_END: serve

/// 이 장의 `site/` 폴더 · This chapter's `site/` folder.
pub fn default_site() -> PathBuf {
    // 빌드할 때의 크레이트 폴더 · the crate's folder at build time
    Path::new(option_env!("CARGO_MANIFEST_DIR").unwrap_or(".")).join("site")
}

/// 주소에 리스너를 엽니다 · Opens a listener on `addr`.
pub fn listen(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).with_context(|| {
        format!(
            "이미 사용 중인 주소입니다 · {addr} is in use: is another server running? \
             give another address, such as 127.0.0.1:9998"
        )
    })
}
