// 8장 연습 문제 · Chapter 8 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 8.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::sync::mpsc::SyncSender;

use ch08_chat::{To, to_everyone};

/// 연습 8.1 · Exercise 8.1: 누가 있나요 · Who is here?
pub fn who(from: &str, text: &str, names: &[&str]) -> Vec<(To, String)> {
    // 시작점: /who도 다른 말처럼 모두에게 보냅니다.
    // Starting point: /who goes to everyone, like any other line.
    to_everyone(from, text, names)
}

/// 연습 8.2 · Exercise 8.2: 귓속말 · A private word.
pub fn whisper(from: &str, text: &str, names: &[&str]) -> Vec<(To, String)> {
    // 시작점: /msg도 다른 말처럼 모두에게 보냅니다. 비밀이 새어 나갑니다.
    // Starting point: /msg goes to everyone, like any other line; the secret is out.
    to_everyone(from, text, names)
}

/// 연습 8.3 · Exercise 8.3: 끊지 말고 버리기 · Drop lines, don't hang up.
/// 듣는 사람을 방에 둘 것이면 true, 그 사람의 입이 이미 닫혔으면 false.
/// true: keep the member in the room; false: their mouth is already gone.
pub fn offer(outbox: &SyncSender<String>, line: String, dropped: &mut u64) -> bool {
    // 시작점: 이 장의 규칙 그대로. 대기열이 꽉 차면 false, 곧 "끊으세요"입니다.
    // Starting point: this chapter's rule: a full queue gives false, "hang up on them".
    let _ = dropped;
    outbox.try_send(line).is_ok()
}

/// 놓친 줄을 알리는 말 (연습 8.3) · The notice of dropped lines (exercise 8.3).
pub fn dropped_notice(n: u64) -> String {
    format!("* 듣지 않는 동안 {n}줄을 놓쳤습니다 · {n} lines dropped while you were not reading")
}
