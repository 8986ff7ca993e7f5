//! 12장의 서버를 진짜 브라우저(헤드리스 Chromium)로 엽니다 · Chapter 12's server opened in a
//! real browser (headless Chromium, `--dump-dom`), with a deadline on every Chromium run.

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use book_checks::DEADLINE;
use ch12_http::{Limits, default_site, serve};

/// 로그를 모으는 서버 하나 · One server whose log the test reads.
fn start() -> (SocketAddr, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    thread::spawn(move || serve(listener, default_site(), Limits::default(), sink));
    (addr, log)
}

/// Chromium이 가져와 그린 페이지 · The page as Chromium fetched and built it.
fn chromium(url: &str, name: &str) -> String {
    let profile = std::env::temp_dir().join(format!("ch12-page-{}-{name}", std::process::id()));
    // 코어마다 Chromium 하나; 마감은 자리를 얻은 뒤부터 · one Chromium per core; the
    // deadline starts once it has its slot.
    let _slot = browser_tests::chromium_slot();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium is needed for the browser tests: apt-get install chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = thread::spawn(move || {
        let mut dom = String::new();
        stdout.read_to_string(&mut dom).map(|_| dom)
    });
    let end = Instant::now() + DEADLINE;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            panic!("chromium did not finish {url} within {DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
    reader.join().expect("reader").expect("UTF-8")
}

#[test]
fn chromium_sees_its_own_call_on_the_chapter_12_page() {
    let (addr, log) = start();
    let dom = chromium(&format!("http://{addr}/"), "home");
    assert!(
        dom.contains(&format!("<td id=\"server\">{addr}</td>")),
        "{dom}"
    );
    let text = String::from_utf8(log.lock().expect("log").clone()).expect("UTF-8");
    // 로그의 발신자가 페이지의 "브라우저" 칸과 같습니다 · the caller in the log is the page's
    // "browser" cell
    let caller = text
        .lines()
        .find_map(|line| line.strip_suffix(" GET / → 200"))
        .unwrap_or_else(|| panic!("the log shows Chromium's request: {text}"));
    assert!(
        dom.contains(&format!("<td id=\"browser\">{caller}</td>")),
        "{dom}"
    );
}

#[test]
fn chromium_gets_the_echo_page_back_escaped() {
    let (addr, _log) = start();
    let dom = chromium(
        &format!("http://{addr}/echo?text=%EC%95%88%EB%85%95+%3Cb%3E"),
        "echo",
    );
    assert!(dom.contains("<q id=\"heard\">안녕 &lt;b&gt;</q>"), "{dom}");
    assert!(
        dom.contains("<form method=\"post\" action=\"/echo\">"),
        "{dom}"
    );
}
