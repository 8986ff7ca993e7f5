// ANCHOR: main
use std::process::ExitCode;

use anyhow::Context;
use ch11_async::{DEFAULT_ADDR, Limits, Log, listen, parse_seconds, serve};

const USAGE: &str = "\
사용법: ch11_async [주소] [조용히 기다릴 초] [종료 때 기다릴 초]   기본 127.0.0.1:9999 30 5
usage:  ch11_async [ADDR] [IDLE_SECONDS] [GRACE_SECONDS]   default 127.0.0.1:9999 30 5
tokio 위의 에코 서버. Ctrl+C: 새 통화를 받지 않고, 진행 중인 통화를 기다린 뒤 끝냅니다 ·
an echo server on tokio. Ctrl+C: stops accepting, lets the calls in progress finish, then exits";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr_or(DEFAULT_ADDR)?;
        let defaults = Limits::default();
        let idle = args.word_or(defaults.idle, parse_seconds)?;
        let grace = args.word_or(defaults.grace, parse_seconds)?;
        args.finish()?;
        let limits = Limits { idle, grace };
        // 기능을 고른 런타임: 스레드 여러 개, 소켓과 시계 · a runtime with what we use:
        // several threads, sockets and timers.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("런타임을 만들 수 없습니다 · cannot build the tokio runtime")?;
        runtime.block_on(async {
            let listener = listen(addr).await?;
            let here = listener.local_addr()?;
            // Ctrl+C(SIGINT)가 종료 요청입니다 · Ctrl+C (SIGINT) is the stop request.
            let ctrl_c = async {
                if tokio::signal::ctrl_c().await.is_err() {
                    // 신호를 받을 수 없으면 멈추지 않고 계속 받습니다 · without signals, keep serving.
                    std::future::pending::<()>().await;
                }
            };
            println!("서버가 실행되었습니다 · server listening on {here}");
            serve(listener, limits, ctrl_c, &Log::new(std::io::stdout())).await?;
            Ok(())
        })
    })
}
// ANCHOR_END: main
