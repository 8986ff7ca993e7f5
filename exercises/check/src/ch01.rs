//! 1장 연습 문제 검사 · Checks for chapter 1.

use std::io::Read;
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::{
    Code, Exercise, Failure, Outcome, PATIENCE, dial, expect, expect_eq, fail, loopback_listener,
    start, within,
};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "1.1",
        title: "IPv6 인터폰 · The IPv6 intercom",
        file: "exercises/ch01/src/lib.rs",
        function: "install_phone_v6",
        check: check_1_1,
    },
    Exercise {
        id: "1.2",
        title: "내선은 계속 울린다 · The extension keeps ringing",
        file: "exercises/ch01/src/lib.rs",
        function: "take_calls",
        check: check_1_2,
    },
    Exercise {
        id: "1.3",
        title: "아무도 걸지 않았다 · Nobody called",
        file: "exercises/ch01/src/lib.rs",
        function: "take_one_call_within",
        check: check_1_3,
    },
];

/// 출력을 줄 단위로 · The output, line by line.
fn lines(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .lines()
        .map(str::to_string)
        .collect()
}

fn local_addr(stream: &TcpStream) -> Result<SocketAddr, Failure> {
    stream
        .local_addr()
        .map_err(|e| fail("the caller's local_addr", "an address", e))
}

/// 건 사람이 0바이트(끊김)를 읽어야 합니다 · The caller must read 0 bytes: hung up.
fn hears_hang_up(what: &str, caller: &mut TcpStream) -> Outcome {
    let mut buf = [0u8; 16];
    match caller.read(&mut buf) {
        Ok(n) => expect_eq(what, 0, n),
        Err(e) => Err(fail(what, "to read 0 bytes within 5 s (hung up)", e)),
    }
}

/// 그 뒤에도 리스너가 전처럼 동작하는지: 평범한 accept(take_one_call이 하는 것)가 다음 전화를
/// 기다렸다가 받습니다.
/// The listener still works as before: a plain accept (what take_one_call does) waits for the
/// next call and takes it.
fn takes_the_next_call(listener: Arc<TcpListener>, step: &str) -> Outcome {
    let addr = listener
        .local_addr()
        .map_err(|e| fail("the listener's local_addr", "an address", e))?;
    let waiting = start(&format!("{step}: take_one_call"), move || {
        listener
            .accept()
            .map(|(_call, caller)| caller)
            .map_err(|e| e.to_string())
    });
    // 아무도 걸기 전에는 기다려야 합니다 · before anyone dials, it must wait.
    thread::sleep(Duration::from_millis(200));
    if !waiting.is_running() {
        let result = waiting.wait(PATIENCE)?;
        return Err(Failure {
            what: format!(
                "{step}: a plain take_one_call on the same listener, before anyone dialed"
            ),
            expected: "to wait for the next caller (is the listener still non-blocking?)".into(),
            got: format!("returned at once: {result:?}"),
        });
    }
    let caller = dial(addr)?;
    let me = local_addr(&caller)?;
    let picked = waiting.wait(PATIENCE)?.map_err(|e| Failure {
        what: format!("{step}: a plain take_one_call on the same listener"),
        expected: "to pick up the next caller".into(),
        got: format!("error: {e}"),
    })?;
    expect_eq(
        &format!("{step}: the caller take_one_call picked up"),
        me,
        picked,
    )
}

type InstallV6 = fn(&mut Vec<u8>) -> anyhow::Result<TcpListener>;

fn check_1_1(code: Code) -> Outcome {
    let install_phone_v6: InstallV6 = match code {
        Code::Yours => ch01_exercises::install_phone_v6,
        Code::Reference => ch01_solutions::install_phone_v6,
    };
    let (result, out) = within(PATIENCE, "install_phone_v6", move || {
        let mut out = Vec::new();
        let result = install_phone_v6(&mut out);
        (result, out)
    })?;
    let listener = result.map_err(|e| fail("install_phone_v6", "Ok(a listener on [::1])", e))?;
    let local = listener
        .local_addr()
        .map_err(|e| fail("the listener's local_addr", "an address", e))?;
    expect(
        "the listener's local_addr()",
        local.ip() == Ipv6Addr::LOCALHOST && local.port() != 0,
        "[::1]:P with P not 0 (the IPv6 loopback, a port the OS picked)",
        local,
    )?;

    let lines = lines(&out);
    expect_eq("the number of lines in out", 4, lines.len())?;
    expect(
        "the first line of out (step 1)",
        lines[0].contains("socket(AF_INET6, SOCK_STREAM)"),
        "a line containing socket(AF_INET6, SOCK_STREAM)",
        &lines[0],
    )?;
    let bind = format!("bind({local})");
    expect(
        "the third line of out (step 3)",
        lines[2].contains(&bind),
        &format!("a line containing {bind}"),
        &lines[2],
    )?;

    dial(local).map_err(|f| Failure {
        what: format!("a caller dialing the listener: {}", f.what),
        ..f
    })?;
    Ok(())
}

type TakeCalls = fn(&TcpListener, usize, &mut Vec<u8>) -> anyhow::Result<Vec<SocketAddr>>;

fn check_1_2(code: Code) -> Outcome {
    let take_calls: TakeCalls = match code {
        Code::Yours => ch01_exercises::take_calls,
        Code::Reference => ch01_solutions::take_calls,
    };
    let (listener, addr) = loopback_listener()?;
    let listener = Arc::new(listener);

    // 세 사람이 먼저 겁니다: 운영체제가 대기열에 세워 둡니다.
    // Three callers dial first: the OS keeps them on hold.
    let mut callers = Vec::new();
    for i in 1..=3 {
        let caller = dial(addr).map_err(|f| Failure {
            what: format!("caller {i} of 3: {}", f.what),
            ..f
        })?;
        callers.push(caller);
    }
    let mut expected = callers
        .iter()
        .map(local_addr)
        .collect::<Result<Vec<_>, _>>()?;

    let on_the_line = Arc::clone(&listener);
    let (result, out) = within(PATIENCE, "take_calls(&listener, 3, …)", move || {
        let mut out = Vec::new();
        let result = take_calls(&on_the_line, 3, &mut out);
        (result, out)
    })?;
    let mut returned = result.map_err(|e| fail("take_calls(&listener, 3, …)", "Ok", e))?;
    // 받는 순서는 운영체제가 정하므로 집합으로 비교합니다.
    // The OS decides the order calls are picked up in, so compare as sets.
    expected.sort();
    returned.sort();
    expect_eq(
        "the callers take_calls(&listener, 3, …) returns (in any order)",
        expected,
        returned,
    )?;

    // 통화마다 5단계 줄 하나 (6단계 줄 등 다른 줄은 상관없음)
    // One step-5 line per call (other lines, such as step 6, may be there too)
    let called: Vec<String> = lines(&out)
        .into_iter()
        .filter(|line| line.contains("called"))
        .collect();
    expect_eq(
        "the number of lines in out that contain \"called\"",
        3,
        called.len(),
    )?;
    for line in &called {
        expect(
            "a line of out that contains \"called\"",
            line.contains(&addr.to_string()),
            &format!("the listener's address {addr} in it"),
            line,
        )?;
    }

    for (i, caller) in callers.iter_mut().enumerate() {
        hears_hang_up(
            &format!("bytes caller {} of 3 reads after take_calls", i + 1),
            caller,
        )?;
    }

    takes_the_next_call(listener, "a fourth call after take_calls")?;

    // n = 0: 아무도 걸지 않아도 곧바로 · with n = 0: at once, with nobody calling.
    let (listener, _) = loopback_listener()?;
    let returned = within(
        Duration::from_secs(1),
        "take_calls(&listener, 0, …) with nobody calling",
        move || take_calls(&listener, 0, &mut Vec::new()),
    )?
    .map_err(|e| fail("take_calls(&listener, 0, …)", "Ok(an empty Vec)", e))?;
    expect_eq("take_calls(&listener, 0, …)", Vec::new(), returned)
}

type TakeOneCallWithin =
    fn(&TcpListener, Duration, &mut Vec<u8>) -> anyhow::Result<Option<SocketAddr>>;

fn check_1_3(code: Code) -> Outcome {
    let take_one_call_within: TakeOneCallWithin = match code {
        Code::Yours => ch01_exercises::take_one_call_within,
        Code::Reference => ch01_solutions::take_one_call_within,
    };

    // 아무도 걸지 않을 때 · nobody calls
    let (listener, _) = loopback_listener()?;
    let listener = Arc::new(listener);
    let on_the_line = Arc::clone(&listener);
    let wait = Duration::from_millis(200);
    let (result, out, took) = within(
        Duration::from_secs(1),
        "take_one_call_within(200 ms) with nobody calling",
        move || {
            let mut out = Vec::new();
            let begun = Instant::now();
            let result = take_one_call_within(&on_the_line, wait, &mut out);
            (result, out, begun.elapsed())
        },
    )?;
    let result = result.map_err(|e| {
        fail(
            "take_one_call_within(200 ms) with nobody calling",
            "Ok(None)",
            e,
        )
    })?;
    expect_eq(
        "take_one_call_within(200 ms) with nobody calling",
        None,
        result,
    )?;
    expect(
        "how long take_one_call_within(200 ms) waited",
        took >= wait,
        "no sooner than 200 ms",
        took,
    )?;
    let lines = lines(&out);
    expect(
        "out after nobody called",
        lines.len() == 1,
        "one line saying that nobody called",
        &lines,
    )?;
    takes_the_next_call(listener, "after Ok(None)")?;

    // 이미 대기 중인 전화가 있을 때 · a caller already on hold
    let (listener, addr) = loopback_listener()?;
    let listener = Arc::new(listener);
    let mut caller = dial(addr)?;
    let me = local_addr(&caller)?;
    let on_the_line = Arc::clone(&listener);
    let result = within(
        PATIENCE,
        "take_one_call_within(2 s) with a caller on hold",
        move || take_one_call_within(&on_the_line, Duration::from_secs(2), &mut Vec::new()),
    )?
    .map_err(|e| {
        fail(
            "take_one_call_within(2 s) with a caller on hold",
            "Ok(Some(the caller))",
            e,
        )
    })?;
    expect_eq(
        "take_one_call_within(2 s) with a caller on hold",
        Some(me),
        result,
    )?;
    hears_hang_up("bytes the caller reads after being picked up", &mut caller)?;
    takes_the_next_call(listener, "after Ok(Some(caller))")
}
