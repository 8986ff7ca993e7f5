// ANCHOR: client
use std::process::ExitCode;

use ch06_framing::{
    DEFAULT_ADDR, PATIENCE, Protocol, call, describe, explain_short_call, parse_protocol,
};

const USAGE: &str = "\
사용법: ch06_client [lines|frames] [메시지...] [주소]   기본 lines, \"안녕!\", 127.0.0.1:9999
usage:  ch06_client [lines|frames] [MESSAGE...] [ADDR]  default lines, \"안녕!\", 127.0.0.1:9999";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let protocol = args.word_or(Protocol::Lines, parse_protocol)?;
        // 메시지가 없으면 "안녕!" 하나 · with no message, one "안녕!"
        let mut messages: Vec<Vec<u8>> = args.words()?.into_iter().map(Vec::from).collect();
        if messages.is_empty() {
            messages.push("안녕!".into());
        }
        let replies = call(addr, protocol, &messages, PATIENCE)?;
        for (i, reply) in replies.iter().enumerate() {
            println!("답 {0} · reply {0}: {1}", i + 1, describe(reply));
        }
        if let Some(why) = explain_short_call(protocol, messages.len(), &replies) {
            anyhow::bail!(why);
        }
        Ok(())
    })
}
// ANCHOR_END: client
