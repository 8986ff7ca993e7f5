// 3장 연습 문제 · Chapter 3 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 3.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};

use anyhow::Result;
use ch03_server::{echo, serve_one_call};

/// 연습 3.1 · Exercise 3.1: 대문자 에코 · An uppercase echo.
pub fn echo_upper(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<()> {
    // 시작점: 그대로 돌려줍니다 · Starting point: echoes unchanged.
    echo(call, caller, out)
}

/// 연습 3.2 · Exercise 3.2: 돌려준 바이트 수 · How many bytes went back?
pub fn echo_counted(call: &mut TcpStream, caller: SocketAddr, out: &mut impl Write) -> Result<u64> {
    // 시작점: 에코는 하지만 세지 않습니다 · Starting point: echoes, but does not count.
    echo(call, caller, out)?;
    Ok(0)
}

/// 연습 3.3 · Exercise 3.3: 한 번에 한 통씩, N통 · N calls, one at a time.
pub fn serve_calls(
    listener: &TcpListener,
    n: usize,
    out: &mut impl Write,
) -> Result<Vec<SocketAddr>> {
    // 시작점: n과 상관없이 한 통만 받고, 누가 걸었는지 돌려주지 않습니다.
    // Starting point: takes one call whatever n is, and returns no callers.
    let _ = n;
    serve_one_call(listener, out)?;
    Ok(Vec::new())
}
