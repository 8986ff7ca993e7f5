//! The rendered book, in a real browser.
//!
//! The book is built with mdBook's library, served over HTTP on 127.0.0.1 by a small server in
//! this file, and loaded in headless Chromium (Debian's `chromium`), which runs the book's
//! JavaScript and prints the resulting page (`--dump-dom`). Every Chromium run has a deadline.
//! Run: `cargo test -p browser_tests` (needs `chromium` on PATH: `apt-get install chromium`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use book_checks::{pages, root};
use mdbook_driver::MDBook;

// 바쁜 기계에서 큰 인쇄용 페이지도 넉넉히 · room for the big print page on a busy machine.
const DEADLINE: Duration = Duration::from_secs(180);

/// The built book and the port it is served on.
struct Site {
    dir: PathBuf,
    port: u16,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = root().join("target/browser-book");
        let _ = std::fs::remove_dir_all(&dir);
        let mut book = MDBook::load(root().join("book")).expect("load the book");
        book.config.build.build_dir = dir.clone();
        book.build().expect("build the book");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("addr").port();
        let served = dir.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = served.clone();
                thread::spawn(move || serve_file(stream, &dir));
            }
        });
        Site { dir, port }
    })
}

/// 아주 작은 정적 파일 서버 · a tiny static file server (GET only, one request per connection).
fn serve_file(mut stream: TcpStream, dir: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let mut file = dir.join(path);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

fn url(path: &str) -> String {
    format!("http://127.0.0.1:{}/{path}", site().port)
}

/// Chromium이 스크립트를 다 돌린 뒤의 페이지 · the page after Chromium ran its scripts.
fn chromium(page: &str, extra: &[String]) -> String {
    // 실행마다 따로 프로필: 동시에 도는 Chromium은 프로필 하나를 나눠 쓰지 못합니다.
    // A profile per run: Chromium instances running at once cannot share one.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::SeqCst);
    let profile = std::env::temp_dir().join(format!("browser-tests-{}-{run}", std::process::id()));
    // 코어마다 Chromium 하나; 마감은 자리를 얻은 뒤부터 · one Chromium per core; the
    // deadline starts once it has its slot.
    let _slot = browser_tests::chromium_slot();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=6000",
            // 밖으로 나가는 이름 풀이는 모두 실패시킵니다 · no name lookups outside this machine.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .args(["--dump-dom", &url(page)])
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
            panic!("chromium did not finish {page} within {DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
    reader
        .join()
        .expect("reader")
        .expect("chromium's output is UTF-8")
}

/// `attr="…"` of the first tag that contains `marker` · the attribute of a marked tag.
fn attribute_of(dom: &str, marker: &str, attr: &str) -> Option<String> {
    let at = dom.find(marker)?;
    let tag_start = dom[..=at].rfind('<')?;
    let tag = &dom[tag_start..tag_start + dom[tag_start..].find('>')?];
    let value = tag.split(&format!("{attr}=\"")).nth(1)?;
    Some(value[..value.find('"')?].to_string())
}

/// 검색 결과 링크들 · the search result links, in order.
fn result_links(dom: &str) -> Vec<String> {
    let Some(start) = dom.find("id=\"mdbook-searchresults\"") else {
        return Vec::new();
    };
    let list = &dom[start..dom[start..].find("</ul>").map_or(dom.len(), |e| start + e)];
    list.split("<li><a href=\"")
        .skip(1)
        .map(|item| item[..item.find('"').unwrap_or(0)].to_string())
        .collect()
}

fn html_lang(dom: &str) -> String {
    attribute_of(dom, "<html", "lang").unwrap_or_default()
}

#[test]
fn every_page_has_its_language_and_switches_to_the_same_page() {
    for lang in ["ko", "en"] {
        let other = if lang == "ko" { "en" } else { "ko" };
        for name in pages(lang) {
            let page = format!("{lang}/{}", name.replace(".md", ".html"));
            let dom = chromium(&page, &[]);
            assert_eq!(html_lang(&dom), lang, "<html lang> of {page}");
            let switch = attribute_of(&dom, "class=\"lang-switch\"", "href")
                .unwrap_or_else(|| panic!("{page} has no language switch"));
            let expected = format!("../{other}/{}", name.replace(".md", ".html"));
            assert_eq!(switch, expected, "the switch on {page}");
            // 사이드바는 읽는 사람의 언어를 펼치고 다른 언어는 접습니다.
            // The sidebar shows the reader's language expanded and folds the other one.
            let part = |l: &str| {
                let at = dom
                    .find(&format!("<a href=\"../{l}/index.html\""))
                    .unwrap_or_else(|| panic!("{page}: no sidebar entry for {l}/"));
                let item = dom[..at].rfind("<li class=\"").expect("the entry's <li>");
                dom[item..at]
                    .split('"')
                    .nth(1)
                    .unwrap_or_default()
                    .to_string()
            };
            assert!(
                part(lang).contains("expanded"),
                "{page}: the {lang} part is folded"
            );
            assert!(
                !part(other).contains("expanded"),
                "{page}: the {other} part is open"
            );
            let landing = site().dir.join(other).join(name.replace(".md", ".html"));
            assert!(
                landing.is_file(),
                "{page} switches to a page that does not exist"
            );
        }
    }
}

#[test]
fn search_finds_korean_words_with_particles_and_english_words() {
    // (page searched from, query, a page that must be among the results)
    let cases = [
        ("ko/index.html", "소켓", "ko/ch01-socket.html"),
        ("ko/index.html", "소켓을", "ko/ch01-socket.html"),
        ("ko/index.html", "소켓은", "ko/ch02-port.html"),
        ("ko/index.html", "안녕", "ko/ch04-client.html"),
        ("en/index.html", "socket", "en/ch01-socket.html"),
        ("ko/index.html", "socket", "ko/ch01-socket.html"),
    ];
    for (from, query, wanted) in cases {
        let dom = chromium(&format!("{from}?search={query}"), &[]);
        let links = result_links(&dom);
        assert!(
            !links.is_empty(),
            "searching {query:?} from {from} found nothing"
        );
        assert!(
            links.iter().any(|l| l.contains(wanted)),
            "searching {query:?} from {from}: {wanted} is not among {links:?}"
        );
        // 읽는 사람의 언어가 먼저 · the reader's language first
        let lang = &from[..3];
        assert!(
            links[0].starts_with(&format!("../{lang}")),
            "{query:?} from {from}: {links:?}"
        );
        if lang == "ko/" {
            assert!(
                dom.contains("검색 결과"),
                "the results header is Korean on Korean pages"
            );
        }
    }
}

#[test]
fn no_request_leaves_the_machine() {
    let origin = format!("http://127.0.0.1:{}", site().port);
    for page in [
        "ko/ch01-socket.html?search=소켓",
        "en/ch04-client.html",
        "print.html?lang=en",
    ] {
        let log =
            std::env::temp_dir().join(format!("netlog-{}-{}.json", std::process::id(), page.len()));
        chromium(page, &[format!("--log-net-log={}", log.display())]);
        let netlog = std::fs::read_to_string(&log).expect("net log");
        // 페이지가 보낸 요청은 모두 이 책의 출처를 initiator로 가집니다 (Chromium 자신의 요청은
        // "not an origin"). · requests the page makes carry the book's origin as initiator.
        let from_page: Vec<&str> = netlog
            .lines()
            .filter(|line| line.contains(&format!("\"initiator\":\"{origin}\"")))
            .filter_map(|line| line.split("\"url\":\"").nth(1))
            .map(|rest| &rest[..rest.find('"').unwrap_or(rest.len())])
            .collect();
        assert!(
            from_page.len() > 5,
            "{page}: the net log shows too few requests: {from_page:?}"
        );
        let outside: Vec<&&str> = from_page
            .iter()
            .filter(|u| !u.starts_with(&origin))
            .collect();
        assert!(
            outside.is_empty(),
            "{page} asked outside this machine: {outside:?}"
        );
        let _ = std::fs::remove_file(log);
    }
}

#[test]
fn the_print_view_is_in_one_language() {
    for lang in ["ko", "en"] {
        let dom = chromium(&format!("print.html?lang={lang}"), &[]);
        assert_eq!(html_lang(&dom), lang);
        let titles: Vec<&str> = dom
            .split("<h1 id=\"")
            .skip(1)
            .map(|h| &h[h.find('>').map_or(0, |i| i + 1)..h.find("</h1>").unwrap_or(0)])
            .collect();
        assert!(
            titles.len() >= 8,
            "print.html?lang={lang} shows {} chapters",
            titles.len()
        );
        for title in titles {
            let korean = title
                .chars()
                .any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c));
            assert_eq!(
                korean,
                lang == "ko",
                "print.html?lang={lang} shows {title:?}"
            );
        }
    }
}

#[test]
fn admonition_titles_are_in_the_pages_language() {
    let titles = |page: &str| -> Vec<String> {
        chromium(page, &[])
            .split("class=\"blockquote-tag-title\">")
            .skip(1)
            .map(|t| {
                let text = &t[..t.find("</p>").unwrap_or(0)];
                text.rsplit('>')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let ko = titles("ko/instructor-guide.html");
    let en = titles("en/instructor-guide.html");
    assert!(!ko.is_empty(), "the instructor guide has an admonition");
    assert_eq!(ko.len(), en.len());
    for (k, e) in ko.iter().zip(&en) {
        assert!(
            ["참고", "팁", "중요", "경고", "주의"].contains(&k.as_str()),
            "ko title {k:?}"
        );
        assert!(
            ["Note", "Tip", "Important", "Warning", "Caution"].contains(&e.as_str()),
            "{e:?}"
        );
    }
}

#[test]
fn the_diagrams_are_inline_svg_that_take_the_themes_colour() {
    for (page, diagrams) in [("ko/ch01-socket.html", 1), ("en/ch02-port.html", 2)] {
        let dom = chromium(page, &[]);
        let inline = dom
            .matches("<svg xmlns=\"http://www.w3.org/2000/svg\"")
            .count();
        assert!(inline >= diagrams, "{page}: {inline} inline diagrams");
        assert!(
            dom.contains("currentColor"),
            "{page}: diagrams draw in currentColor"
        );
    }
}

/// HTML의 글: 태그를 떼고, 흔한 문자 참조를 풀고, 공백을 하나로 · an HTML fragment's text.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 잘라 낸 조각들: `start`부터 `end`까지의 각 구간 · every piece from `start` to the next `end`.
fn pieces<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .map(|rest| &rest[..rest.find(end).unwrap_or(rest.len())])
        .collect()
}

/// 빌드된 책의 숨긴 줄과, 숨기지 않은 글 전부 · the built book's hidden lines, and all the
/// text that is not hidden (every page, scripts and hidden lines left out).
fn hidden_and_visible() -> (Vec<String>, String) {
    let mut hidden = Vec::new();
    let mut visible = String::new();
    let mut files = vec![site().dir.join("index.html")];
    for lang in ["ko", "en"] {
        for name in pages(lang) {
            files.push(site().dir.join(lang).join(name.replace(".md", ".html")));
        }
    }
    for file in files {
        let html = std::fs::read_to_string(&file).expect("a built page");
        let mut rest = html.as_str();
        let mut shown = String::new();
        while let Some(at) = rest.find("<span class=\"boring\">") {
            shown.push_str(&rest[..at]);
            let after = &rest[at..];
            let end = after.find("</span>").expect("a hidden line ends");
            hidden.push(text_of(&after[..end]));
            rest = &after[end..];
        }
        shown.push_str(rest);
        let without_scripts: String = shown
            .split("<script")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once("</script>").map_or("", |(_, after)| after)
                }
            })
            .collect();
        visible.push_str(&text_of(&without_scripts));
        visible.push(' ');
    }
    (hidden, visible)
}

/// 검색 결과의 미리 보기 글 · the teasers of the search results.
fn teasers(dom: &str) -> Vec<String> {
    pieces(dom, "class=\"teaser\"", "</span>")
        .into_iter()
        .map(|t| text_of(&t[t.find('>').map_or(0, |i| i + 1)..]))
        .collect()
}

#[test]
fn search_results_never_show_hidden_lines() {
    let (hidden, visible) = hidden_and_visible();
    // 어디에도 보이지 않는 숨긴 줄 · hidden lines that are visible nowhere
    let only_hidden: Vec<&String> = hidden
        .iter()
        .filter(|h| h.chars().count() >= 30 && !visible.contains(h.as_str()))
        .collect();
    assert!(
        !only_hidden.is_empty(),
        "the book has hidden lines (# extern crate …, rustdoc_include's context)"
    );
    for (from, query) in [("en/index.html", "socket"), ("ko/index.html", "소켓")] {
        let dom = chromium(&format!("{from}?search={query}"), &[]);
        let shown = teasers(&dom);
        assert!(shown.len() >= 5, "{query:?} from {from}: {shown:?}");
        for teaser in &shown {
            assert!(
                !teaser.contains("extern crate"),
                "{query:?} from {from} shows a hidden line: {teaser:?}"
            );
            if let Some(line) = only_hidden.iter().find(|h| teaser.contains(h.as_str())) {
                panic!("{query:?} from {from} shows the hidden line {line:?} in {teaser:?}");
            }
        }
    }
    // 숨긴 줄에만 있는 낱말로는 아무것도 찾지 못합니다 · a word found only in hidden lines finds
    // nothing: "extern" in English, and a Korean word ("…니다", which no particle rule shortens).
    let korean = hidden
        .iter()
        .flat_map(|h| h.split(|c: char| !('\u{ac00}'..='\u{d7a3}').contains(&c)))
        .find(|w| w.chars().count() >= 4 && w.ends_with("니다") && !visible.contains(*w))
        .expect("a Korean word that only hidden lines contain");
    assert!(
        !visible.contains("extern"),
        "\"extern\" is visible somewhere"
    );
    for (from, query) in [("en/index.html", "extern"), ("ko/index.html", korean)] {
        let dom = chromium(&format!("{from}?search={query}"), &[]);
        assert_eq!(
            result_links(&dom),
            Vec::<String>::new(),
            "{query:?} is only in hidden lines, yet {from} finds it: {:?}",
            teasers(&dom)
        );
    }
}

#[test]
fn korean_pages_label_the_menu_and_the_code_buttons_in_korean() {
    let ko = chromium("ko/ch01-socket.html", &[]);
    let en = chromium("en/ch01-socket.html", &[]);
    // (English, Korean): one of each kind · 종류마다 하나씩
    let labels = [
        ("title", "Toggle Table of Contents", "목차 열기·닫기"),
        ("aria-label", "Table of contents", "목차"),
        ("title", "Change theme", "테마 바꾸기"),
        ("title", "Search (`/`)", "찾기 (`/`)"),
        ("title", "Print this book", "이 책 인쇄하기"),
        ("title", "Previous chapter", "이전 장"),
        ("title", "Next chapter", "다음 장"),
        ("title", "Copy to clipboard", "클립보드에 복사"),
        ("title", "Show hidden lines", "숨긴 줄 보기"),
    ];
    for (attr, english, korean) in labels {
        assert!(
            ko.contains(&format!("{attr}=\"{korean}\"")),
            "ko: no {attr}=\"{korean}\""
        );
        assert!(
            !ko.contains(&format!("{attr}=\"{english}\"")),
            "ko still has {attr}=\"{english}\""
        );
        assert!(
            en.contains(&format!("{attr}=\"{english}\"")),
            "en: no {attr}=\"{english}\""
        );
    }
    assert!(
        ko.contains("id=\"mdbook-theme-light\">밝게</button>"),
        "theme names in Korean"
    );
    assert!(en.contains("id=\"mdbook-theme-light\">Light</button>"));
}

/// 책 페이지를 1280×900 iframe에 열고, 다 읽힌 뒤 `script`를 돌려 `report(…)`한 글을 돌려받습니다
/// (작은 시험 페이지는 빌드 결과 폴더에만 씁니다). `script` sees `d` (the page's document) and
/// `w` (its window) · opens a book page in a 1280×900 iframe, runs `script` once it has loaded,
/// and returns what the script passed to `report(…)`.
fn in_frame(name: &str, page: &str, script: &str) -> String {
    let harness = format!(
        r#"<!DOCTYPE html><html><body><pre id="out">waiting</pre>
<iframe id="f" src="{page}" style="width:1280px;height:900px"></iframe>
<script>
function report(text) {{ document.getElementById("out").textContent = "report:" + text; }}
document.getElementById("f").onload = function () {{
  var d = this.contentDocument, w = this.contentWindow;
  try {{ {script} }} catch (e) {{ report("error " + e); }}
}};
</script></body></html>"#
    );
    std::fs::write(site().dir.join(name), harness).expect("write the harness page");
    let dom = chromium(name, &[]);
    pieces(&dom, "<pre id=\"out\">report:", "</pre>")
        .first()
        .map(|r| r.to_string())
        .unwrap_or_else(|| panic!("{name}: the script did not report"))
}

#[test]
fn the_hidden_lines_button_still_works_on_korean_pages() {
    // 누르고, 다시 누릅니다. 단추의 제목은 한국어로 남고 숨긴 줄은 보였다가 다시 숨습니다.
    // Click, click again: the title stays Korean and the hidden lines show, then hide again.
    let script = r#"
  var b = d.querySelector(".buttons button:not(.clip-button)");
  var titles = [b.title];
  var code = b.closest("pre").querySelector("code");
  b.click();
  var shown = !code.classList.contains("hide-boring");
  setTimeout(function () {
    titles.push(b.title);
    b.click();
    var hiddenAgain = code.classList.contains("hide-boring");
    setTimeout(function () {
      titles.push(b.title);
      report("titles=" + titles.join("|") + " shown=" + shown + " hidden_again=" + hiddenAgain);
    }, 50);
  }, 50);"#;
    assert_eq!(
        in_frame("hidden-lines-harness.html", "ko/ch01-socket.html", script),
        "titles=숨긴 줄 보기|숨긴 줄 감추기|숨긴 줄 보기 shown=true hidden_again=true"
    );
}

#[test]
fn korean_wraps_between_words_in_the_sidebar_too() {
    let script = r##"
  var link = d.querySelector("#mdbook-sidebar a[href$='ch02-port.html']");
  var main = d.querySelector("#mdbook-content main p");
  report(w.getComputedStyle(link).wordBreak + " " + w.getComputedStyle(main).wordBreak);"##;
    assert_eq!(
        in_frame("keep-all-ko.html", "ko/ch01-socket.html", script),
        "keep-all keep-all"
    );
    assert_eq!(
        in_frame("keep-all-en.html", "en/ch01-socket.html", script),
        "normal normal"
    );
}

#[test]
fn the_glossarys_meaning_column_gets_the_room() {
    // 뜻 칸이 표 너비의 절반쯤 · the meaning column takes about half the table's width
    let script = r#"
  var table = d.querySelector(".glossary table");
  var th = table.querySelectorAll("th");
  report(Array.prototype.map.call(th, function (h) {
    return Math.round(100 * h.getBoundingClientRect().width / table.getBoundingClientRect().width);
  }).join(" "));"#;
    for lang in ["ko", "en"] {
        let widths = in_frame(
            &format!("glossary-{lang}.html"),
            &format!("{lang}/glossary.html"),
            script,
        );
        let widths: Vec<u32> = widths
            .split(' ')
            .map(|w| w.parse().unwrap_or_else(|_| panic!("{lang}: {widths:?}")))
            .collect();
        assert_eq!(widths.len(), 4, "{lang}: {widths:?}");
        assert!(
            widths[1] >= 45 && widths.iter().all(|w| *w >= 8),
            "{lang}: column widths {widths:?} (percent of the table)"
        );
    }
}

#[test]
fn callout_icons_need_no_emoji_font() {
    for page in [
        "ko/ch01-socket.html",
        "en/ch01-socket.html",
        "ko/index.html",
    ] {
        let dom = chromium(page, &[]);
        let boxes = pieces(&dom, "<blockquote", "</blockquote>");
        assert!(!boxes.is_empty(), "{page} has boxes");
        for b in &boxes {
            assert!(
                !b.contains('\u{1f4de}') && !b.contains('\u{26a0}'),
                "{page}: a box still shows an emoji: {}",
                text_of(b)
            );
        }
        if page.contains("ch01") {
            assert!(dom.contains("class=\"callout callout-phone\""), "{page}");
        }
        assert!(dom.contains("class=\"callout callout-warning\""), "{page}");
    }
    let css = std::fs::read_to_string(root().join("book/theme/lang.css")).expect("lang.css");
    assert!(
        css.contains("data:image/svg+xml"),
        "the icons are inline SVG"
    );
}

#[test]
fn the_landing_pages_tab_title_names_the_book_once() {
    let dom = chromium("index.html", &[]);
    let title = pieces(&dom, "<title>", "</title>").join("");
    assert_eq!(title, "소켓과 포트 · Sockets &amp; Ports");
}

#[test]
fn the_glossarys_utf8_byte_counts_are_what_rust_counts() {
    // (글자, 바이트, 코드 포인트) · (text, bytes, code points), as the UTF-8 row states them
    let claims = [
        ("é", 2, 1),
        ("가", 3, 1),
        ("😀", 4, 1),
        ("❤", 3, 1),
        ("👍🏽", 8, 2),
    ];
    for lang in ["ko", "en"] {
        let page = std::fs::read_to_string(root().join(format!("book/src/{lang}/glossary.md")))
            .expect("the glossary");
        let row = page
            .lines()
            .find(|l| l.starts_with("| UTF-8 |"))
            .expect("a UTF-8 row");
        for (text, bytes, points) in claims {
            assert!(
                row.contains(&format!("`{text}`")),
                "{lang}: {text} in the UTF-8 row"
            );
            assert_eq!(text.len(), bytes, "{text}");
            assert_eq!(text.chars().count(), points, "{text}");
        }
    }
}
