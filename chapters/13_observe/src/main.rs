// ANCHOR: main
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use ch13_observe::{list_sockets, on_port, resolve, walk_through_a_call};

const USAGE: &str = "\
사용법: ch13_observe [포트 | call [주소] | resolve 이름 [포트]]
usage:  ch13_observe [PORT | call [ADDR] | resolve NAME [PORT]]
  (없음) · (nothing)   이 기계의 TCP 소켓 · this machine's TCP sockets (/proc/net/tcp)
  포트 · PORT          그 포트의 소켓만 · only the sockets of PORT
  call [ADDR]          한 걸음씩 가는 통화 · a call one step at a time, default 127.0.0.1:9999
  resolve NAME [PORT]  전화번호부 찾기 · look NAME up in the phone book, default port 9999
리눅스가 아니면 목록은 netstat/lsof를 알려 주며 1로 끝납니다.
Not on Linux, the listing points to netstat/lsof and exits with code 1.";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr()?;
        let word = args.word()?;
        if word.as_deref() == Some("call") {
            args.finish()?;
            let addr = addr.unwrap_or(SocketAddr::from(([127, 0, 0, 1], 9999)));
            return call(addr);
        }
        if let Some(addr) = addr {
            return Err(cli::UsageError::new(format!(
                "주소는 call에만 줍니다 · only call takes an address, not {addr}"
            ))
            .into());
        }
        if word.as_deref() == Some("resolve") {
            let name = args.word()?.unwrap_or_else(|| "localhost".to_string());
            let port = args.word_or(9999, parse_port)?;
            args.finish()?;
            for found in resolve(&name, port)? {
                println!("{name} → {found}");
            }
            return Ok(());
        }
        let port = word.as_deref().map(parse_port).transpose()?;
        args.finish()?;
        let sockets = list_sockets()?;
        let shown = match port {
            Some(port) => on_port(&sockets, port),
            None => sockets,
        };
        for socket in shown {
            println!("{socket}");
        }
        Ok(())
    })
}

fn parse_port(word: &str) -> Result<u16, cli::UsageError> {
    word.parse().map_err(|_| {
        cli::UsageError::new(format!(
            "포트는 0~65535의 숫자입니다 · {word:?}: a port is a number, 0 to 65535"
        ))
    })
}

/// 다른 터미널에서 `tcpdump -i lo -n -S 'tcp port 9999'`를 켜 두고 보세요.
/// Watch it with `tcpdump -i lo -n -S 'tcp port 9999'` in another terminal.
fn call(addr: SocketAddr) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).with_context(|| {
        format!(
            "이미 사용 중인 주소입니다 · {addr} is in use: is another server running? \
             give another address, such as 127.0.0.1:9998"
        )
    })?;
    let port = listener.local_addr()?.port();
    println!(
        "서버가 실행되었습니다 · server listening on {}",
        listener.local_addr()?
    );
    let caller = walk_through_a_call(&listener, "안녕!".as_bytes(), |step| {
        println!("{}", step.describe());
        // 지연된 ACK(최대 0.2초)가 나갈 시간 · time for a delayed ACK (at most 0.2 s) to leave
        std::thread::sleep(Duration::from_millis(500));
        Ok(())
    })?;
    println!("발신자 · caller {caller}");
    for socket in on_port(&list_sockets()?, port) {
        println!("{socket}");
    }
    Ok(())
}
// ANCHOR_END: main
