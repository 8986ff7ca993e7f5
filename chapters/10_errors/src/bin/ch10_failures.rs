// ANCHOR: main
use std::process::ExitCode;

use anyhow::Context;
use ch10_errors::{full_backlog_row, print_table, table};

const USAGE: &str = "\
사용법: ch10_failures [주소]   실패를 하나씩 일으켜 본 것을 찍습니다; 주소를 주면 거기서 2번(대기열)만
usage:  ch10_failures [ADDR]   provokes each failure, prints what it saw; with ADDR, only row 2 there";

fn main() -> ExitCode {
    cli::run(USAGE, |mut args| {
        let addr = args.addr()?;
        args.finish()?;
        let (rows, first) = match addr {
            Some(addr) => (vec![full_backlog_row(addr)], 2),
            None => (table(), 1),
        };
        print_table(&rows, first, &mut std::io::stdout())
            .context("표를 찍지 못했습니다 · could not print the table")?;
        Ok(())
    })
}
// ANCHOR_END: main
