//! Hostile and greedy clients while a well-behaved one keeps being served.

mod common;

use std::time::Duration;

use common::{
    ALL_FORMATS,
    echo::echo,
    server::{RawClient, echoed, start, start_with},
};
use pilota::thrift::{TMessageIdentifier, TMessageType};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use volo_thrift::codec::{Body, Format, Framing, Protocol};

const FRAMED: Format = Format::new(Framing::Framed, Protocol::Binary);

/// Reads until the server closes the connection; fails if it does not
/// within a few seconds.
async fn closed_by_server(mut stream: TcpStream) {
    let mut sink = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink))
        .await
        .expect("the server kept a hostile connection open")
        .ok();
}

/// A client connecting now gets its call answered.
async fn a_new_client_is_served(addr: std::net::SocketAddr) {
    let mut good = RawClient::connect(addr).await;
    let (_, _, body) = good.call(FRAMED, None, 1, echo("still here", 0)).await;
    assert_eq!(echoed(&body), "still here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_clients_do_not_disturb_a_good_one() {
    let server = start().await;
    let addr = server.addr;

    let mut idle = Vec::new();
    for _ in 0..1000 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }

    let garbage = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        closed_by_server(s).await;
    });
    let huge = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(&[0x7f, 0xff, 0xff, 0xff, 0x80, 0x01])
            .await
            .unwrap();
        closed_by_server(s).await;
    });
    let vanishing = tokio::spawn(async move {
        let mut c = RawClient::connect(addr).await;
        c.queue(FRAMED, None, 1, echo("sleep:100", 0));
        c.enc.flush().await.unwrap();
        drop(c);
    });
    let slow = tokio::spawn(async move {
        let id = TMessageIdentifier::new("echo".into(), TMessageType::Call, 5);
        let bytes = common::encode_to_vec(FRAMED, None, &id, &Body::Message(echo("slow", 5))).await;
        let (r, mut w) = tokio::io::split(TcpStream::connect(addr).await.unwrap());
        for b in bytes {
            w.write_all(&[b]).await.unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut dec = volo_thrift::codec::Decoder::new(r);
        let frame = dec.next_frame().await.unwrap().unwrap();
        let (id, body) = frame.decode::<common::echo::EchoResponse>().unwrap();
        assert_eq!(id.sequence_number, 5);
        assert_eq!(echoed(&body), "slow");
    });

    // Meanwhile a good client, in every format, keeps getting right answers.
    let mut good = Vec::new();
    for _ in ALL_FORMATS {
        good.push(RawClient::connect(addr).await);
    }
    let header = volo_thrift::codec::ttheader::TTHeader::new();
    for round in 0..20 {
        for (client, format) in good.iter_mut().zip(ALL_FORMATS) {
            let header = format.framing.is_ttheader().then_some(&header);
            let text = format!("round {round}");
            let (_, id, body) = client.call(format, header, round, echo(&text, 0)).await;
            assert_eq!(id.sequence_number, round);
            assert_eq!(echoed(&body), text);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    for task in [garbage, huge, vanishing, slow] {
        task.await.unwrap();
    }
    // The idle connections are still open and usable.
    let mut last = idle.pop().unwrap();
    let id = TMessageIdentifier::new("echo".into(), TMessageType::Call, 9);
    let bytes = common::encode_to_vec(FRAMED, None, &id, &Body::Message(echo("idle", 0))).await;
    last.write_all(&bytes).await.unwrap();
    let mut dec = volo_thrift::codec::Decoder::new(last);
    let (_, body) = dec
        .next_frame()
        .await
        .unwrap()
        .unwrap()
        .decode::<common::echo::EchoResponse>()
        .unwrap();
    assert_eq!(echoed(&body), "idle");
}

#[tokio::test]
async fn max_connections_makes_extra_clients_wait() {
    let server = start_with(|s| s.max_connections(1)).await;
    let mut first = RawClient::connect(server.addr).await;
    let (_, _, body) = first.call(FRAMED, None, 1, echo("one", 0)).await;
    assert_eq!(echoed(&body), "one");

    let mut second = RawClient::connect(server.addr).await;
    second.queue(FRAMED, None, 1, echo("two", 0));
    second.enc.flush().await.unwrap();
    let early = tokio::time::timeout(Duration::from_millis(300), second.dec.next_frame()).await;
    assert!(early.is_err(), "a connection over the limit was served");
    drop(first);
    let (_, _, body) = second.reply().await;
    assert_eq!(echoed(&body), "two");
}

#[tokio::test]
async fn max_concurrent_calls_is_shared_by_connections() {
    let server = start_with(|s| s.max_concurrent_calls(1)).await;
    let mut a = RawClient::connect(server.addr).await;
    let mut b = RawClient::connect(server.addr).await;
    a.queue(FRAMED, None, 1, echo("wait", 0));
    a.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // `release` cannot start while `wait` holds the only call slot.
    b.queue(FRAMED, None, 1, echo("release", 0));
    b.enc.flush().await.unwrap();
    let early = tokio::time::timeout(Duration::from_millis(300), b.dec.next_frame()).await;
    assert!(early.is_err(), "a call over the limit ran");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_its_replies_is_pushed_back() {
    let server = start().await;
    // 64 KiB echoes, pipelined, replies never read: 128 MiB in all. Once the
    // socket buffers hold what they can, the server must stop reading rather
    // than keep every reply in memory, so the writes stall.
    let text = "x".repeat(64 * 1024);
    let id = TMessageIdentifier::new("echo".into(), TMessageType::Call, 1);
    let one = common::encode_to_vec(FRAMED, None, &id, &Body::Message(echo(&text, 0))).await;
    let mut greedy = TcpStream::connect(server.addr).await.unwrap();
    let total = 2048 * one.len();
    let mut written = 0;
    let stalled = tokio::time::timeout(Duration::from_secs(3), async {
        while written < total {
            greedy.write_all(&one).await.unwrap();
            written += one.len();
        }
    })
    .await
    .is_err();
    assert!(
        stalled,
        "the server read all {total} bytes without the client reading a reply"
    );
    assert!(written < total / 4, "{written} of {total} bytes were taken");

    // Everyone else is still served.
    a_new_client_is_served(server.addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_disconnected_after_the_write_timeout() {
    let server = start_with(|s| s.write_timeout(Some(Duration::from_millis(300)))).await;
    // Pipelined 64 KiB echoes whose replies are never read, until the
    // server stops taking them (or has already given up on the client).
    let text = "x".repeat(64 * 1024);
    let id = TMessageIdentifier::new("echo".into(), TMessageType::Call, 1);
    let one = common::encode_to_vec(FRAMED, None, &id, &Body::Message(echo(&text, 0))).await;
    let mut greedy = TcpStream::connect(server.addr).await.unwrap();
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while greedy.write_all(&one).await.is_ok() {}
    })
    .await;
    // What the socket holds can still be read, then the connection ends:
    // the server closed it rather than wait for the client for ever.
    closed_by_server(greedy).await;

    a_new_client_is_served(server.addr).await;
}

#[tokio::test]
async fn an_idle_connection_holds_no_call_slot() {
    let server = start_with(|s| s.max_concurrent_calls(1)).await;
    // `a` makes a call and stays connected, idle: it must not keep the only
    // call slot from `b`.
    let mut a = RawClient::connect(server.addr).await;
    let (_, _, body) = a.call(FRAMED, None, 1, echo("one", 0)).await;
    assert_eq!(echoed(&body), "one");
    let mut b = RawClient::connect(server.addr).await;
    let (_, _, body) = b.call(FRAMED, None, 1, echo("two", 0)).await;
    assert_eq!(echoed(&body), "two");
    let (_, _, body) = a.call(FRAMED, None, 2, echo("three", 0)).await;
    assert_eq!(echoed(&body), "three");
}

#[tokio::test]
async fn idle_connections_are_closed_and_calls_in_flight_are_not() {
    let server = start_with(|s| s.idle_timeout(Some(Duration::from_millis(300)))).await;
    // A call that outlasts the idle timeout keeps its connection.
    let mut slow = RawClient::connect(server.addr).await;
    let (_, _, body) = slow.call(FRAMED, None, 1, echo("sleep:600", 0)).await;
    assert_eq!(echoed(&body), "sleep:600");
    // Calls closer together than the timeout keep a connection open.
    let mut busy = RawClient::connect(server.addr).await;
    for seq in 0..6 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, _, body) = busy.call(FRAMED, None, seq, echo("tick", 0)).await;
        assert_eq!(echoed(&body), "tick");
    }
    // Then, left alone, both are closed.
    for client in [slow, busy] {
        let closed =
            tokio::time::timeout(Duration::from_secs(5), client.dec.into_inner().read_u8()).await;
        assert!(
            matches!(closed, Ok(Err(_))),
            "an idle connection was not closed: {closed:?}"
        );
    }
}

#[tokio::test]
async fn large_pipelined_requests_to_slow_handlers_are_pushed_back() {
    let server = start().await;
    // 40 one-MiB requests whose handler waits: 40 MiB the server would hold
    // at once if it read them all. It must stop reading at its per-connection
    // request budget (16 MiB, plus one frame) instead.
    const COUNT: usize = 40;
    let text = format!("wait{}", "x".repeat(1024 * 1024));
    let id = TMessageIdentifier::new("echo".into(), TMessageType::Call, 1);
    let one = common::encode_to_vec(FRAMED, None, &id, &Body::Message(echo(&text, 0))).await;
    let (r, mut w) = TcpStream::connect(server.addr).await.unwrap().into_split();
    let writer = tokio::spawn(async move {
        for _ in 0..COUNT {
            w.write_all(&one).await.unwrap();
        }
        w
    });
    // Let the server read what it will.
    let waits = &server.handler.waits;
    let mut seen = 0;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        seen = waits.load(std::sync::atomic::Ordering::SeqCst);
    }
    assert!(
        seen >= 2,
        "pipelined calls should still run concurrently: {seen}"
    );
    assert!(seen <= 17, "{seen} one-MiB requests were taken in at once");

    // Everyone else is still served, and releasing the handlers lets the
    // rest of the pipeline in: every request is answered.
    let len = text.len();
    let reader = tokio::spawn(async move {
        let mut dec = volo_thrift::codec::Decoder::new(r);
        for _ in 0..COUNT {
            let frame = dec.next_frame().await.unwrap().expect("connection closed");
            let (_, body) = frame.decode::<common::echo::EchoResponse>().unwrap();
            assert_eq!(echoed(&body).len(), len);
        }
    });
    let mut good = RawClient::connect(server.addr).await;
    for seq in 0..COUNT as i32 {
        let (_, _, body) = good.call(FRAMED, None, seq, echo("release", 0)).await;
        assert_eq!(echoed(&body), "release");
    }
    tokio::time::timeout(Duration::from_secs(20), async {
        writer.await.unwrap();
        reader.await.unwrap();
    })
    .await
    .expect("the pipeline was not answered in time");
    assert_eq!(waits.load(std::sync::atomic::Ordering::SeqCst), COUNT);
}
