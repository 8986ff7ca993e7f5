// 10장 연습 문제 · Chapter 10 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 10.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::io::{self, Read};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

// 검사기도 이 이름을 씁니다 · The checker uses this name too.
pub use ch10_errors::Ending;

/// 연습 10.1 · Exercise 10.1: 끊김, 리셋, 침묵 · Hung up, reset, or silent?
pub fn how_it_ended(call: &mut TcpStream, limit: Duration) -> Ending {
    // 시작점: 한 번 읽고, 무슨 일이든 "끊었다"고 합니다. 제한 시간도 걸지 않습니다.
    // Starting point: reads once and calls anything a hang-up. It sets no timeout either.
    let _ = limit;
    let _ = call.read(&mut [0; 1024]);
    Ending::HungUp
}

/// 연습 10.2 · Exercise 10.2: 하트비트로 통화 지키기 · Heartbeats keep a quiet call open.
pub fn stay_on_the_line(call: &mut TcpStream, total: Duration, every: Duration) -> io::Result<()> {
    // 시작점: 아무 말 없이 기다리기만 합니다. 서버는 조용한 통화를 끊습니다.
    // Starting point: it just waits, saying nothing; the server hangs up on quiet calls.
    let _ = (call, every);
    thread::sleep(total);
    Ok(())
}
