//! Chapter 12's transcripts: the server (`cargo run -p ch12_http`) and what `curl -v` shows on
//! the wire. `UPDATE_TRANSCRIPTS=1 cargo test -p book_checks --test transcripts -- ch12::`
//! rewrites them. The server's `Date` value (the clock) and curl's own version are masked, and
//! the port the OS picked is shown as the book's 9999.

use std::process::Command;

use book_checks::{BOOK_PORT, Transcript, binary, free_port, loopback, run};

const CHAPTER: &str = "12_http";

/// `curl -sv 인자…`를 실행하고 터미널이 보여 주는 그대로(stderr, 그다음 stdout) 돌려줍니다.
/// Runs `curl -sv ARGS…` and returns what a terminal shows (curl's stderr, then the body).
fn curl(port: u16, args: &[&str]) -> String {
    let output = Command::new("curl")
        .args(["-sv", "--max-time", "20"])
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("curl cannot be started ({e}): install it (Debian: apt-get install curl)")
        });
    let mut text = String::from_utf8(output.stderr).expect("UTF-8");
    text.push_str(&String::from_utf8(output.stdout).expect("UTF-8"));
    text.lines()
        // curl 속사정(메모리 주소가 찍힘) · curl's internals (they print a memory address)
        .filter(|line| {
            !line.starts_with("* Found bundle") && !line.starts_with("* Can not multiplex")
        })
        .map(|line| {
            let line = line.replace(&format!("port {port}"), &format!("port {BOOK_PORT}"));
            // 시계는 매번 다릅니다 · the clock differs every run
            if line.starts_with("< Date: ") {
                return "< Date: *".to_string();
            }
            match line.find("User-Agent: curl/") {
                Some(at) => format!("{}User-Agent: curl/*", &line[..at]),
                None => line,
            }
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn ch12_curl_talks_to_the_server() {
    let port = free_port();
    let addr = loopback(port);
    let _ = binary("ch12_http");
    let mut server = run("ch12_http", &[addr.as_str()]);
    let mut log = vec![
        server.wait_for_line("listening on"),
        server.wait_for_line("open in a browser"),
    ];
    let url = |path: &str| format!("http://{addr}{path}");

    let hello = curl(port, &[&url("/hello.txt")]);
    log.push(server.wait_for_line("GET /hello.txt"));
    Transcript::on_port(port)
        .command("curl -sv http://127.0.0.1:9999/hello.txt")
        .output(&hello)
        .check(CHAPTER, "curl_hello.txt");

    let two = curl(
        port,
        &[
            "-o",
            "/dev/null",
            &url("/hello.txt"),
            "-o",
            "/dev/null",
            &url("/"),
        ],
    );
    assert!(two.contains("Re-using existing connection"), "{two}");
    log.push(server.wait_for_line("GET /hello.txt"));
    log.push(server.wait_for_line("GET / "));
    Transcript::on_port(port)
        .command(
            "curl -sv -o /dev/null http://127.0.0.1:9999/hello.txt -o /dev/null http://127.0.0.1:9999/",
        )
        .output(&two)
        .check(CHAPTER, "curl_keep_alive.txt");

    let echo = curl(port, &["-d", "text=안녕", &url("/echo")]);
    assert!(echo.contains("<q id=\"heard\">안녕</q>"), "{echo}");
    log.push(server.wait_for_line("POST /echo"));
    Transcript::on_port(port)
        .command("curl -sv -d text=안녕 http://127.0.0.1:9999/echo")
        .output(&echo)
        .check(CHAPTER, "curl_echo.txt");

    let escape = curl(port, &["--path-as-is", &url("/../Cargo.toml")]);
    assert!(escape.contains("< HTTP/1.1 404 Not Found"), "{escape}");
    log.push(server.wait_for_line("GET /../Cargo.toml"));
    Transcript::on_port(port)
        .command("curl -sv --path-as-is http://127.0.0.1:9999/../Cargo.toml")
        .output(&escape)
        .check(CHAPTER, "curl_traversal.txt");

    let log: String = log.iter().map(|line| format!("{line}\n")).collect();
    Transcript::on_port(port)
        .command("cargo run -p ch12_http")
        .output(&log)
        .check(CHAPTER, "server.txt");
}
