// 10장 연습 문제 참고 해답 · Chapter 10 exercises: reference solutions.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

pub use ch10_errors::Ending;
use ch10_errors::is_timeout;

// ANCHOR: how_it_ended
/// 연습 10.1: 끝까지 읽고, 어떻게 끝났는지 이름을 붙입니다 · Exercise 10.1: reads to the end
/// and names how it ended.
pub fn how_it_ended(call: &mut TcpStream, limit: Duration) -> Ending {
    if let Err(error) = call.set_read_timeout(Some(limit)) {
        return Ending::Other(error.kind());
    }
    let mut buffer = [0; 1024];
    loop {
        match call.read(&mut buffer) {
            Ok(0) => return Ending::HungUp,
            Ok(_) => continue, // 말은 들었고, 끝을 기다립니다 · words heard; wait for the end
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) if is_timeout(&error) => return Ending::Silent,
            Err(error) if error.kind() == ErrorKind::ConnectionReset => return Ending::Reset,
            Err(error) => return Ending::Other(error.kind()),
        }
    }
}
// ANCHOR_END: how_it_ended

// ANCHOR: stay_on_the_line
/// 연습 10.2: `every`마다 "ping"을 보내고 "pong"을 들으며 `total` 동안 통화를 지킵니다.
/// Exercise 10.2: keeps the call open for `total`, sending "ping" and hearing "pong" every
/// `every`.
pub fn stay_on_the_line(call: &mut TcpStream, total: Duration, every: Duration) -> io::Result<()> {
    let end = Instant::now() + total;
    let mut reader = BufReader::new(call.try_clone()?);
    while Instant::now() < end {
        call.write_all(b"ping\n")?;
        let mut pong = String::new();
        reader.read_line(&mut pong)?;
        if pong != "pong\n" {
            return Err(io::Error::new(
                ErrorKind::InvalidData,
                format!("하트비트에 다른 답 · the heartbeat got {pong:?}"),
            ));
        }
        thread::sleep(every.min(end.saturating_duration_since(Instant::now())));
    }
    Ok(())
}
// ANCHOR_END: stay_on_the_line
