// 8장 연습 문제 참고 해답 · Chapter 8 exercises: reference solutions.

use std::sync::mpsc::{SyncSender, TrySendError};

// 검사기도 이 길로 8장의 방을 띄웁니다 · the checker opens chapter 8's room through these
pub use ch08_chat::{Route, Rules, To, serve, to_everyone};

// ANCHOR: who
/// 연습 8.1: `/who`에는 말한 사람에게만 명단을, 다른 말은 모두에게.
/// Exercise 8.1: `/who` gets the list, to the speaker only; any other line goes to everyone.
pub fn who(from: &str, text: &str, names: &[&str]) -> Vec<(To, String)> {
    if text != "/who" {
        return to_everyone(from, text, names);
    }
    let (n, list) = (names.len(), names.join(", "));
    vec![(
        To::Speaker,
        format!("* 지금 {n}명: {list} · {n} here: {list}"),
    )]
}
// ANCHOR_END: who

// ANCHOR: whisper
/// 연습 8.2: `/msg 이름 말`은 그 사람에게만. 없는 이름이나 빈 말에는 말한 사람에게 알려 줍니다.
/// Exercise 8.2: `/msg NAME TEXT` goes to that member only; an unknown name or no text gets an
/// answer to the speaker.
pub fn whisper(from: &str, text: &str, names: &[&str]) -> Vec<(To, String)> {
    let rest = match text.strip_prefix("/msg") {
        Some("") => "",
        Some(rest) if rest.starts_with(' ') => &rest[1..],
        // /msg로 시작하지 않거나 /msgx 같은 말 · not /msg, or something like /msgx
        _ => return to_everyone(from, text, names),
    };
    let usage = "! 사용법 · usage: /msg NAME TEXT".to_string();
    let Some((name, words)) = rest.split_once(' ') else {
        return vec![(To::Speaker, usage)];
    };
    if words.is_empty() {
        return vec![(To::Speaker, usage)];
    }
    if !names.contains(&name) {
        let answer = format!("! 그런 사람이 없습니다 · nobody here is called {name}");
        return vec![(To::Speaker, answer)];
    }
    let line = format!("(귓속말 · whisper) {from}: {words}");
    vec![(To::Member(name.to_string()), line)]
}
// ANCHOR_END: whisper

// ANCHOR: offer
/// 연습 8.3: 꽉 찬 대기열에는 줄을 버리고 세어 둡니다. 자리가 나면 몇 줄을 놓쳤는지 먼저 알립니다.
/// Exercise 8.3: a full queue means the line is dropped and counted; once there is room, the
/// member first hears how many lines they missed.
pub fn offer(outbox: &SyncSender<String>, line: String, dropped: &mut u64) -> bool {
    if *dropped > 0 {
        match outbox.try_send(dropped_notice(*dropped)) {
            Ok(()) => *dropped = 0,
            // 알림도 들어가지 않으면, 이 줄도 놓칩니다 · no room for the notice: this line is lost too
            Err(TrySendError::Full(_)) => {
                *dropped += 1;
                return true;
            }
            Err(TrySendError::Disconnected(_)) => return false,
        }
    }
    match outbox.try_send(line) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => {
            *dropped += 1;
            true
        }
        Err(TrySendError::Disconnected(_)) => false,
    }
}

/// 놓친 줄을 알리는 말 · The notice of dropped lines.
pub fn dropped_notice(n: u64) -> String {
    format!("* 듣지 않는 동안 {n}줄을 놓쳤습니다 · {n} lines dropped while you were not reading")
}
// ANCHOR_END: offer
