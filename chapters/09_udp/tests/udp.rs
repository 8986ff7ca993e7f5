//! 9장의 주장을 루프백 위의 진짜 UDP 소켓으로 · Chapter 9's claims, on real UDP sockets over
//! loopback. Every socket binds port 0, every receive has a timeout, and loss is made by a relay
//! in the test that drops exactly the datagrams the test says, never at random.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use ch09_udp::{BUF, MAX_DATAGRAM, Patience, describe, send_text, serve, show_reply};
use support::{SharedLog, TIMEOUT, dial, loopback_listener};

/// 스레드에서 도는 에코 서버와 그 로그 · An echo server on a thread, and its log.
fn server() -> (SocketAddr, SharedLog) {
    server_on(UdpSocket::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"))
}

fn server_on(socket: UdpSocket) -> (SocketAddr, SharedLog) {
    let addr = socket.local_addr().expect("addr");
    let log = SharedLog::default();
    let mut writer = log.clone();
    // 서버는 테스트가 끝날 때까지 돕니다 · the server runs until the test process ends
    thread::spawn(move || serve(&socket, &mut writer));
    (addr, log)
}

/// 받기에 제한 시간이 있는 소켓 · A socket whose receives time out after [`TIMEOUT`].
fn peer() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    socket.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    socket
}

/// 문자 하나를 받습니다 (64 KiB 버퍼) · Receives one datagram (into a 64 KiB buffer).
fn hear(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = vec![0; BUF];
    let (n, from) = socket.recv_from(&mut buf).expect("a datagram in time");
    (buf[..n].to_vec(), from)
}

/// 보내고 답을 받습니다 · Sends and hears the reply.
fn echo(addr: SocketAddr, message: &[u8]) -> Vec<u8> {
    let socket = peer();
    socket.send_to(message, addr).expect("send_to");
    let (reply, from) = hear(&socket);
    assert_eq!(from, addr, "the reply comes from the server");
    reply
}

#[test]
fn three_sends_arrive_as_three_receives_whatever_their_sizes() {
    let (sender, receiver) = (peer(), peer());
    let to = receiver.local_addr().expect("addr");
    let sizes = [1, 30_000, 7];
    // 셋을 먼저 다 보내고, 그다음에 받습니다: 받는 쪽 수신함에 셋이 함께 있습니다.
    // All three are sent before any is received: they wait together in the receiver's queue.
    for (i, size) in sizes.into_iter().enumerate() {
        let datagram = vec![b'a' + i as u8; size];
        assert_eq!(sender.send_to(&datagram, to).expect("send_to"), size);
    }
    for (i, size) in sizes.into_iter().enumerate() {
        let (got, _) = hear(&receiver);
        assert_eq!(got, vec![b'a' + i as u8; size], "datagram {i} whole, alone");
    }
}

#[test]
fn one_socket_hears_many_peers_and_recv_from_says_who() {
    let (addr, log) = server();
    let (minsu, jiyoung) = (peer(), peer());
    minsu.send_to("민수야".as_bytes(), addr).expect("send");
    jiyoung.send_to("지영이야".as_bytes(), addr).expect("send");
    assert_eq!(hear(&minsu).0, "민수야".as_bytes());
    assert_eq!(hear(&jiyoung).0, "지영이야".as_bytes());
    let log = log.wait_for("문자 · datagram from", 2);
    for (who, said) in [(&minsu, "민수야"), (&jiyoung, "지영이야")] {
        let line = describe(who.local_addr().expect("addr"), said.as_bytes());
        assert!(log.contains(&line), "{line:?} in\n{log}");
    }
}

#[test]
fn a_small_buffer_truncates_the_datagram_and_the_rest_is_gone() {
    let (sender, receiver) = (peer(), peer());
    let to = receiver.local_addr().expect("addr");
    sender.send_to(b"0123456789", to).expect("send");
    sender.send_to(b"next", to).expect("send");
    let mut small = [0u8; 4];
    match receiver.recv_from(&mut small) {
        // 리눅스와 맥OS: 아무 말 없이 앞 4바이트만 · Linux, macOS: the first 4 bytes, silently
        Ok((n, _)) => assert_eq!(&small[..n], b"0123"),
        // 윈도우는 WSAEMSGSIZE로 알리지만, 나머지는 역시 사라집니다.
        // Windows says WSAEMSGSIZE, but the rest is gone all the same.
        Err(e) if cfg!(windows) => assert_eq!(e.raw_os_error(), Some(10040), "{e}"),
        Err(e) => panic!("unexpected {e}"),
    }
    // 다음 받기는 "456789"가 아니라 다음 문자입니다 · the next receive is the next datagram
    assert_eq!(hear(&receiver).0, b"next");
}

#[test]
fn the_largest_ipv4_datagram_fits_the_buffer_and_one_byte_more_cannot_be_sent() {
    let (sender, receiver) = (peer(), peer());
    let to = receiver.local_addr().expect("addr");
    let largest = vec![7u8; MAX_DATAGRAM];
    assert_eq!(sender.send_to(&largest, to).expect("65,507 bytes"), 65_507);
    assert_eq!(hear(&receiver).0, largest);
    let error = sender
        .send_to(&vec![7u8; MAX_DATAGRAM + 1], to)
        .expect_err("65,508 bytes do not fit in an IPv4 datagram");
    // EMSGSIZE: 메시지가 너무 깁니다 · "Message too long"
    assert_ne!(error.kind(), ErrorKind::WouldBlock, "{error}");
    // 서버의 버퍼는 가장 큰 문자보다 큽니다 · the server's buffer is larger than the largest
    const { assert!(BUF > MAX_DATAGRAM) };
}

#[test]
fn tcp_and_udp_use_the_same_port_number_at_once() {
    // TCP 리스너가 잡은 번호로 UDP 소켓도 bind합니다. 다른 프로그램이 마침 그 UDP 번호를
    // 쓰고 있으면 다른 번호로 다시 해 봅니다(한도 있음).
    // The UDP socket binds the number the TCP listener holds; if some other program happens to
    // hold that UDP number, try another (a bounded number of times).
    let (listener, udp) = (0..50)
        .find_map(|_| {
            let listener = loopback_listener();
            let port = listener.local_addr().expect("addr").port();
            UdpSocket::bind(("127.0.0.1", port))
                .ok()
                .map(|udp| (listener, udp))
        })
        .expect("a port free for both TCP and UDP");
    let port = listener.local_addr().expect("addr").port();
    assert_eq!(udp.local_addr().expect("addr").port(), port);
    let (addr, _) = server_on(udp);
    // 같은 번호, 두 내선: TCP 전화는 리스너가 받고, UDP 문자는 UDP 서버가 답합니다.
    // The same number, two extensions: the listener takes the TCP call, the UDP server answers.
    let _call = dial(addr);
    listener.accept().expect("the TCP listener takes the call");
    assert_eq!(echo(addr, b"udp"), b"udp");
}

#[test]
fn a_connected_socket_hears_only_its_peer() {
    let (phone, friend, stranger) = (peer(), peer(), peer());
    let at = phone.local_addr().expect("addr");
    phone
        .connect(friend.local_addr().expect("addr"))
        .expect("connect");
    // 모르는 사람이 먼저 보내고, 그다음 친구가 보냅니다 · the stranger sends first, then the friend
    stranger.send_to(b"stranger", at).expect("send");
    friend.send_to(b"friend", at).expect("send");
    let mut buf = [0u8; 64];
    let n = phone.recv(&mut buf).expect("a datagram in time");
    assert_eq!(
        &buf[..n],
        b"friend",
        "the stranger's datagram was filtered out"
    );
}

/// bind했다가 닫은 포트: 지금은 아무도 없습니다 · A port that was bound and closed: nobody there now.
fn closed_port() -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket.local_addr().expect("addr")
}

#[test]
fn a_datagram_to_a_closed_port_comes_back_as_connection_refused() {
    let phone = peer();
    phone.connect(closed_port()).expect("connect needs nobody");
    // 보내기는 성공합니다: 문자는 떠났습니다 · sending succeeds: the datagram left
    assert_eq!(phone.send(b"hello?").expect("send"), 6);
    // ICMP "포트에 아무도 없음"이 다음 받기에서 오류로 돌아옵니다.
    // The ICMP "port unreachable" comes back as the error of the next receive.
    let mut buf = [0u8; 64];
    let error = phone.recv(&mut buf).expect_err("no datagram, an error");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset
        ),
        "{error:?}"
    );
}

#[test]
fn an_unconnected_socket_is_not_told_about_a_closed_port() {
    // connect 없는 소켓에게는 (리눅스에서) 아무도 알리지 않습니다: 받기는 시간 초과로 끝납니다.
    // A socket that did not connect is not told (on Linux): its receive simply times out.
    let phone = UdpSocket::bind("127.0.0.1:0").expect("bind");
    phone
        .set_read_timeout(Some(Duration::from_secs(1)))
        .expect("timeout");
    phone.send_to(b"hello?", closed_port()).expect("send_to");
    let mut buf = [0u8; 64];
    let error = phone.recv_from(&mut buf).expect_err("nothing comes back");
    if cfg!(target_os = "linux") {
        assert!(
            matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "{error:?}"
        );
    }
}

#[test]
fn the_client_explains_a_refused_port() {
    let patience = Patience {
        wait: TIMEOUT,
        tries: 3,
    };
    let error = send_text(closed_port(), b"hello?", patience, &mut Vec::new())
        .expect_err("nobody is there");
    let text = format!("{error:#}");
    assert!(
        text.contains("nothing is listening on 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("(ICMP port unreachable)"), "{text}");
}

/// 테스트 안의 중계기: 클라이언트와 서버 사이에서, 정한 만큼의 문자를 버립니다.
/// A relay inside the test, between one client and `server`: it drops the first
/// `drop_requests` datagrams from the client and the first `drop_replies` from the server.
/// Returns the relay's address and how many datagrams it heard from the client.
fn relay(server: SocketAddr, drop_requests: usize, drop_replies: usize) -> (SocketAddr, Counter) {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = socket.local_addr().expect("addr");
    let requests = Counter::default();
    let heard = requests.clone();
    thread::spawn(move || {
        let mut buf = vec![0u8; BUF];
        let (mut replies, mut client) = (0, None);
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            if from == server {
                replies += 1;
                if let Some(client) = client.filter(|_| replies > drop_replies) {
                    let _ = socket.send_to(&buf[..n], client);
                }
            } else {
                client = Some(from);
                if heard.add() > drop_requests {
                    let _ = socket.send_to(&buf[..n], server);
                }
            }
        }
    });
    (addr, requests)
}

/// 여러 스레드가 함께 세는 수 · A count shared between threads.
#[derive(Debug, Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Counter {
    /// 하나 더하고 새 값을 돌려줍니다 · Adds one, returns the new count.
    fn add(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

#[test]
fn the_client_retries_until_a_datagram_gets_through() {
    let (server, log) = server();
    let (addr, requests) = relay(server, 2, 0);
    let patience = Patience {
        wait: Duration::from_secs(2),
        tries: 3,
    };
    let mut said = Vec::new();
    let (reply, try_number) = send_text(addr, "안녕!".as_bytes(), patience, &mut said)
        .expect("the third try gets through");
    assert_eq!((reply.as_slice(), try_number), ("안녕!".as_bytes(), 3));
    assert_eq!(requests.get(), 3, "two lost, one through");
    let said = String::from_utf8(said).expect("utf-8");
    assert!(said.contains("no reply within 2 s (try 1 of 3)"), "{said}");
    assert!(said.contains("no reply within 2 s (try 2 of 3)"), "{said}");
    // 서버는 세 번째 것 하나만 들었습니다 · the server heard only the third
    assert_eq!(log.wait_for("안녕!", 1).matches("안녕!").count(), 1);
}

#[test]
fn the_client_gives_up_after_its_tries_and_says_so() {
    // 받기만 하고 답하지 않는 상대: 수신함에 쌓인 문자를 세면 몇 번 보냈는지 압니다.
    // A peer that never answers: the datagrams in its queue count the tries.
    let silent = peer();
    let patience = Patience {
        wait: Duration::from_secs(1),
        tries: 3,
    };
    let error = send_text(
        silent.local_addr().expect("addr"),
        b"anyone?",
        patience,
        &mut Vec::new(),
    )
    .expect_err("no reply ever");
    let text = format!("{error:#}");
    assert!(
        text.contains(
            "no reply after 3 tries: the message or its reply was lost, or nothing is there"
        ),
        "{text}"
    );
    for _ in 0..3 {
        assert_eq!(hear(&silent).0, b"anyone?");
    }
    silent.set_nonblocking(true).expect("nonblocking");
    let fourth = silent.recv_from(&mut [0u8; 16]).expect_err("no fourth try");
    assert_eq!(fourth.kind(), ErrorKind::WouldBlock);
}

#[test]
fn a_lost_reply_makes_the_server_hear_the_message_twice() {
    let (server, log) = server();
    // 첫 답만 버립니다: 클라이언트는 다시 보내고, 서버는 같은 문자를 두 번 듣습니다.
    // Only the first reply is dropped: the client sends again, and the server hears it twice.
    let (addr, requests) = relay(server, 0, 1);
    let patience = Patience {
        wait: Duration::from_secs(2),
        tries: 3,
    };
    let (reply, try_number) =
        send_text(addr, b"pay 10000 won", patience, &mut Vec::new()).expect("second try");
    assert_eq!((reply.as_slice(), try_number), (&b"pay 10000 won"[..], 2));
    assert_eq!(requests.get(), 2);
    log.wait_for("pay 10000 won", 2);
}

#[test]
fn datagrams_can_arrive_out_of_order_or_twice_and_nobody_tells_the_sender() {
    // 여기서는 테스트가 네트워크입니다: 1, 2, 3을 받아 3, 1, 1로 넘기고 2는 버립니다.
    // Here the test is the network: it takes 1, 2, 3 and passes on 3, 1, 1; 2 is lost.
    let (sender, network, receiver) = (peer(), peer(), peer());
    let via = network.local_addr().expect("addr");
    for datagram in [b"1", b"2", b"3"] {
        assert_eq!(sender.send_to(datagram, via).expect("send_to"), 1);
    }
    let heard: Vec<Vec<u8>> = (0..3).map(|_| hear(&network).0).collect();
    let to = receiver.local_addr().expect("addr");
    for i in [2, 0, 0] {
        network.send_to(&heard[i], to).expect("send_to");
    }
    let got: Vec<Vec<u8>> = (0..3).map(|_| hear(&receiver).0).collect();
    assert_eq!(got, [b"3", b"1", b"1"]);
    // 보낸 쪽에는 아무것도 오지 않았습니다: 잃어버린 2도, 순서도, 중복도 모릅니다.
    // Nothing came back to the sender: it knows nothing of the lost 2, the order, the copy.
    sender.set_nonblocking(true).expect("nonblocking");
    let nothing = sender.recv_from(&mut [0u8; 16]).expect_err("no news");
    assert_eq!(nothing.kind(), ErrorKind::WouldBlock);
}

#[test]
fn an_empty_datagram_is_logged_and_echoed_as_an_empty_datagram() {
    let (addr, log) = server();
    assert_eq!(echo(addr, b""), b"");
    log.wait_for("\"\" (0 bytes)", 1);
    assert_eq!(echo(addr, b"still here"), b"still here");
}

#[test]
fn the_largest_datagram_is_echoed_whole_and_logged_short() {
    let (addr, log) = server();
    let largest = vec![b'x'; MAX_DATAGRAM];
    assert_eq!(echo(addr, &largest), largest);
    let log = log.wait_for("(65507 bytes)", 1);
    assert!(
        log.contains(&format!("\"{}…\" (65507 bytes)", "x".repeat(40))),
        "{log}"
    );
    assert_eq!(echo(addr, b"still here"), b"still here");
}

#[test]
fn invalid_utf8_is_logged_with_a_note_and_echoed_byte_for_byte() {
    let (addr, log) = server();
    let bytes = b"\xff\xfe hi \xea\xb0";
    assert_eq!(echo(addr, bytes), bytes);
    log.wait_for("(8 bytes, not valid UTF-8: � marks the bytes)", 1);
    assert_eq!(echo(addr, b"still here"), b"still here");
}

#[test]
fn after_a_flood_of_10000_datagrams_the_server_still_answers() {
    let (addr, log) = server();
    let flooder = UdpSocket::bind("127.0.0.1:0").expect("bind");
    // 100개씩 100번. 묶음마다 새 클라이언트가 답을 받아야 다음 묶음을 보냅니다. 커널이 무엇을
    // 버리든(서버의 수신함이 차거나, 읽지 않는 flooder의 수신함이 차거나) 서버는 멈추지 않습니다.
    // 100 bursts of 100. After each burst a fresh client must get its reply before the next
    // burst; whatever the kernel drops (a full queue), the server must not stop.
    let patient = Patience {
        wait: Duration::from_secs(2),
        tries: 5,
    };
    for burst in 0..100 {
        for i in 0..100 {
            let datagram = format!("flood {}", burst * 100 + i);
            flooder.send_to(datagram.as_bytes(), addr).expect("send_to");
        }
        let probe = format!("probe {burst}");
        let (reply, _) =
            send_text(addr, probe.as_bytes(), patient, &mut Vec::new()).expect("an answer");
        assert_eq!(reply, probe.as_bytes());
    }
    let (reply, _) = send_text(addr, "안녕!".as_bytes(), patient, &mut Vec::new())
        .expect("a fresh client is answered after the flood");
    assert_eq!(reply, "안녕!".as_bytes());
    let heard = log.wait_for("안녕!", 1).matches("\"flood ").count();
    // 몇 개를 들었는지는 커널에 달렸습니다. 보낸 것보다 많을 수는 없습니다.
    // How many it heard is the kernel's business; never more than were sent.
    assert!(heard <= 10_000, "{heard}");
    eprintln!("the server heard {heard} of 10000 flood datagrams");
}

#[test]
fn over_ipv6_a_datagram_can_be_65527_bytes_and_the_buffer_still_holds_it() {
    // IPv6 루프백이 꺼진 기계(드묾)에서는 IPv4만 있으니 이 주장도 없습니다.
    // On a machine with IPv6 loopback turned off (rare), there is only IPv4 and nothing to show.
    // CI에는 IPv6 루프백이 있으니, 거기서 없으면 실패입니다 · CI has IPv6 loopback: missing there fails.
    let Ok(receiver) = UdpSocket::bind("[::1]:0") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no IPv6 loopback ([::1]) on this CI machine"
        );
        eprintln!("NOT CHECKED: no IPv6 loopback ([::1]) on this machine");
        return;
    };
    receiver.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let sender = UdpSocket::bind("[::1]:0").expect("a second IPv6 socket");
    let to = receiver.local_addr().expect("addr");
    let largest = vec![6u8; 65_527];
    assert_eq!(sender.send_to(&largest, to).expect("65,527 bytes"), 65_527);
    assert_eq!(hear(&receiver).0, largest);
    assert!(
        sender.send_to(&vec![6u8; 65_528], to).is_err(),
        "one byte more"
    );
}

#[test]
fn the_reply_line_shows_the_text_the_size_and_a_late_try() {
    let from: SocketAddr = "127.0.0.1:9999".parse().expect("addr");
    assert_eq!(
        show_reply(from, "안녕!".as_bytes(), 1),
        "받은 답 · reply from 127.0.0.1:9999: \"안녕!\" (7 bytes)"
    );
    assert_eq!(
        show_reply(from, b"hi", 3),
        "받은 답 · reply from 127.0.0.1:9999: \"hi\" (2 bytes), 3번째 시도 · on try 3"
    );
}

#[test]
fn the_client_refuses_a_message_too_long_for_one_datagram_and_says_the_limit() {
    let (addr, _) = server();
    let patience = Patience {
        wait: TIMEOUT,
        tries: 1,
    };
    let error = send_text(addr, &vec![b'x'; 70_000], patience, &mut Vec::new())
        .expect_err("70,000 bytes are no datagram");
    let text = format!("{error:#}");
    assert!(
        text.contains("70000 bytes do not fit in one datagram (at most 65507 over IPv4)"),
        "{text}"
    );
}
