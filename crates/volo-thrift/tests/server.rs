//! End to end: the server on 127.0.0.1, a raw client built on the codec.

mod common;

use std::{sync::atomic::Ordering, time::Duration};

use common::{
    ALL_FORMATS, BUFFERED_NON_STRICT,
    echo::{EchoError, EchoRequest, EchoResponse, EchoResult, NotifyArgs, echo},
    server::{RawClient, echoed, exception, start, start_with},
};
use metainfo::MetaInfo;
use pilota::thrift::{ApplicationExceptionKind, TMessageType};
use tokio::io::AsyncWriteExt;
use volo_thrift::codec::{
    Body, Format, Framing, Protocol,
    ttheader::{TTHeader, flags},
};

const FRAMED: Format = Format::new(Framing::Framed, Protocol::Binary);

fn tt_header() -> TTHeader {
    let mut h = TTHeader::new();
    h.set_to_method("echo");
    h
}

#[tokio::test]
async fn every_format_is_answered_in_kind() {
    let server = start().await;
    for format in ALL_FORMATS.into_iter().chain([BUFFERED_NON_STRICT]) {
        let mut client = RawClient::connect(server.addr).await;
        let header = format.framing.is_ttheader().then(tt_header);
        for seq in [1, 2] {
            let (frame, id, body) = client
                .call(format, header.as_ref(), seq, echo("hi", seq.into()))
                .await;
            assert_eq!(frame.format(), format);
            assert_eq!(frame.header().is_some(), format.framing.is_ttheader());
            assert_eq!(id.message_type, TMessageType::Reply);
            assert_eq!(id.sequence_number, seq);
            assert_eq!(&*id.name, "echo");
            assert_eq!(echoed(&body), "hi");
        }
    }
}

#[tokio::test]
async fn pipelined_calls_run_concurrently_and_reply_in_order() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    // `wait` only finishes once `release` has run: with calls handled one
    // by one this would never answer.
    client.queue(FRAMED, None, 1, echo("wait", 0));
    client.queue(FRAMED, None, 2, echo("release", 0));
    client.queue(FRAMED, None, 3, echo("third", 0));
    client.enc.flush().await.unwrap();
    for (seq, text) in [(1, "wait"), (2, "release"), (3, "third")] {
        let (_, id, body) = client.reply().await;
        assert_eq!(id.sequence_number, seq);
        assert_eq!(echoed(&body), text);
    }
}

#[tokio::test]
async fn out_of_order_clients_get_replies_when_ready() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    let mut header = tt_header();
    header.set_flags(flags::SUPPORT_OUT_OF_ORDER);
    let format = Format::default();
    client.queue(format, Some(&header), 1, echo("wait", 0));
    client.queue(format, Some(&header), 2, echo("release", 0));
    client.enc.flush().await.unwrap();
    let (_, first, _) = client.reply().await;
    let (_, second, _) = client.reply().await;
    assert_eq!((first.sequence_number, second.sequence_number), (2, 1));
}

#[tokio::test]
async fn handler_failures_become_exceptions_and_the_connection_lives_on() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    let (_, id, body) = client.call(FRAMED, None, 1, echo("panic", 0)).await;
    assert_eq!(id.message_type, TMessageType::Exception);
    let e = exception(&body);
    assert_eq!(e.kind(), ApplicationExceptionKind::INTERNAL_ERROR);
    assert!(e.message().contains("asked to panic"), "{e}");

    let (_, _, body) = client.call(FRAMED, None, 2, echo("error", 0)).await;
    let e = exception(&body);
    assert_eq!(e.kind(), ApplicationExceptionKind::INTERNAL_ERROR);
    assert!(e.message().contains("undeclared"), "{e}");

    let (_, _, body) = client.call(FRAMED, None, 3, echo("app", 0)).await;
    assert_eq!(exception(&body).kind(), ApplicationExceptionKind::UNKNOWN);

    let (_, id, body) = client.call(FRAMED, None, 4, echo("fail", 0)).await;
    assert_eq!(id.message_type, TMessageType::Reply);
    assert_eq!(
        body,
        Body::Message(EchoResponse::Echo(EchoResult::Err(EchoError {
            reason: "as asked".into()
        })))
    );
    let (_, _, body) = client.call(FRAMED, None, 5, echo("still here", 0)).await;
    assert_eq!(echoed(&body), "still here");
}

#[tokio::test]
async fn unknown_methods_and_bad_message_types_are_answered() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    let id = pilota::thrift::TMessageIdentifier::new("nope".into(), TMessageType::Call, 7);
    client
        .enc
        .send(FRAMED, None, &id, &Body::Message(echo("x", 0)))
        .await
        .unwrap();
    let (_, id, body) = client.reply().await;
    assert_eq!(id.sequence_number, 7);
    assert_eq!(&*id.name, "nope");
    assert_eq!(
        exception(&body).kind(),
        ApplicationExceptionKind::UNKNOWN_METHOD
    );

    let id = pilota::thrift::TMessageIdentifier::new("echo".into(), TMessageType::Reply, 8);
    client
        .enc
        .send(FRAMED, None, &id, &Body::Message(echo("x", 0)))
        .await
        .unwrap();
    let (_, id, body) = client.reply().await;
    assert_eq!(id.sequence_number, 8);
    assert_eq!(
        exception(&body).kind(),
        ApplicationExceptionKind::INVALID_MESSAGE_TYPE
    );
    let (_, _, body) = client.call(FRAMED, None, 9, echo("ok", 0)).await;
    assert_eq!(echoed(&body), "ok");
}

#[tokio::test]
async fn a_malformed_request_gets_protocol_error_then_close() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    // A framed echo call whose args struct holds a field of unknown type 0x63.
    let mut msg = vec![0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4];
    msg.extend_from_slice(b"echo");
    msg.extend_from_slice(&[0, 0, 0, 42, 0x63, 0, 1, 0]);
    let mut bytes = (msg.len() as u32).to_be_bytes().to_vec();
    bytes.extend(msg);
    let mut raw = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    raw.write_all(&bytes).await.unwrap();
    let (r, _w) = tokio::io::split(raw);
    let mut dec = volo_thrift::codec::Decoder::new(r);
    let frame = dec.next_frame().await.unwrap().unwrap();
    let (id, body) = frame.decode::<EchoResponse>().unwrap();
    assert_eq!(id.sequence_number, 42);
    match body {
        Body::Exception(e) => assert_eq!(e.kind(), ApplicationExceptionKind::PROTOCOL_ERROR),
        other => panic!("{other:?}"),
    }
    assert!(dec.next_frame().await.unwrap().is_none());

    // A TTHeader frame with an unknown info block: the header's sequence id
    // is known, so the client hears why before the connection closes.
    let mut bad = vec![
        0, 0, 0, 14, 0x10, 0x00, 0, 0, 0, 0, 0, 43, 0, 1, 0, 0, 0x07, 0,
    ];
    let len = (bad.len() - 4) as u32;
    bad[..4].copy_from_slice(&len.to_be_bytes());
    let mut raw = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    raw.write_all(&bad).await.unwrap();
    let mut dec = volo_thrift::codec::Decoder::new(raw);
    let frame = dec.next_frame().await.unwrap().unwrap();
    assert!(frame.header().is_some());
    let (id, body) = frame.decode::<EchoResponse>().unwrap();
    assert_eq!(id.sequence_number, 43);
    assert_eq!(
        exception(&body).kind(),
        ApplicationExceptionKind::PROTOCOL_ERROR
    );
    assert!(dec.next_frame().await.unwrap().is_none());

    // Other connections are unaffected.
    let (_, _, body) = client.call(FRAMED, None, 1, echo("fine", 0)).await;
    assert_eq!(echoed(&body), "fine");
}

#[tokio::test]
async fn oneway_calls_get_no_reply() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    client.queue(
        FRAMED,
        None,
        1,
        EchoRequest::Notify(NotifyArgs { text: "a".into() }),
    );
    let (_, id, body) = client.call(FRAMED, None, 2, echo("after", 0)).await;
    assert_eq!(id.sequence_number, 2);
    assert_eq!(echoed(&body), "after");
    assert_eq!(server.handler.notified.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn metainfo_deadline_and_biz_status_travel_in_ttheader() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    let format = Format::default();
    let mut mi = MetaInfo::new();
    mi.set_persistent("tenant", "blue");
    mi.set_transient("trace", "t1");
    let mut header = tt_header();
    header.extend_request_metainfo(&mi);
    let (frame, _, body) = client.call(format, Some(&header), 1, echo("meta", 0)).await;
    assert_eq!(echoed(&body), "blue/t1");
    let mut back = MetaInfo::new();
    frame.header().unwrap().store_response_metainfo(&mut back);
    assert_eq!(back.get_downstream("cost").map(|v| v.as_str()), Some("1ms"));
    assert_eq!(
        frame.header().unwrap().msg_type(),
        Some(TMessageType::Reply)
    );

    let (frame, _, body) = client.call(format, Some(&header), 2, echo("biz", 0)).await;
    assert_eq!(echoed(&body), "biz");
    let status = frame.header().unwrap().biz_status().unwrap();
    assert_eq!((status.code, status.message.as_str()), (1001, "quota"));

    let mut with_isn = tt_header();
    with_isn.set_isn("EchoService");
    let (_, _, body) = client
        .call(format, Some(&with_isn), 3, echo("isn", 0))
        .await;
    assert_eq!(echoed(&body), "EchoService");

    header.set_rpc_timeout(Duration::from_millis(50));
    let (frame, id, body) = client
        .call(format, Some(&header), 4, echo("sleep:5000", 0))
        .await;
    assert_eq!(id.message_type, TMessageType::Exception);
    let e = exception(&body);
    assert_eq!(e.kind(), ApplicationExceptionKind::INTERNAL_ERROR);
    assert!(e.message().contains("deadline exceeded"), "{e}");
    assert_eq!(
        frame.header().unwrap().msg_type(),
        Some(TMessageType::Exception)
    );
}

#[tokio::test]
async fn graceful_shutdown_drains_in_flight_calls() {
    let mut server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    let format = Format::default();
    client.queue(format, Some(&tt_header()), 1, echo("sleep:300", 0));
    client.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown();
    let (frame, id, body) = client.reply().await;
    assert_eq!(id.sequence_number, 1);
    assert_eq!(echoed(&body), "sleep:300");
    assert!(frame.header().unwrap().crrst());
    assert!(client.dec.next_frame().await.unwrap().is_none());
    tokio::time::timeout(Duration::from_secs(5), &mut server.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err());
}

#[tokio::test]
async fn shutdown_gives_up_on_calls_past_the_timeout() {
    let mut server = start_with(|s| s.shutdown_timeout(Duration::from_millis(100))).await;
    let mut client = RawClient::connect(server.addr).await;
    client.queue(FRAMED, None, 1, echo("wait", 0));
    client.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown();
    tokio::time::timeout(Duration::from_secs(5), &mut server.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let end = tokio::time::timeout(Duration::from_secs(5), client.dec.next_frame())
        .await
        .unwrap();
    assert!(matches!(end, Ok(None) | Err(_)));
}

#[cfg(unix)]
#[tokio::test]
async fn serves_on_a_unix_socket() {
    let path = std::env::temp_dir().join(format!("volo-thrift-test-{}.sock", std::process::id()));
    let addr = volo::net::Address::from(path.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = volo_thrift::server::Server::new(common::server::Handler::new());
    let task = tokio::spawn(server.run_with_shutdown(addr.clone(), async {
        let _ = rx.await;
    }));
    let conn = loop {
        match volo::net::Dialer::new().dial(&addr).await {
            Ok(conn) => break conn,
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    };
    let (r, w) = tokio::io::split(conn);
    let mut enc = volo_thrift::codec::Encoder::new(w);
    let mut dec = volo_thrift::codec::Decoder::new(r);
    let id = pilota::thrift::TMessageIdentifier::new("echo".into(), TMessageType::Call, 1);
    enc.send(FRAMED, None, &id, &Body::Message(echo("unix", 0)))
        .await
        .unwrap();
    let (_, body) = dec
        .next_frame()
        .await
        .unwrap()
        .unwrap()
        .decode::<EchoResponse>()
        .unwrap();
    assert_eq!(echoed(&body), "unix");
    let _ = tx.send(());
    task.await.unwrap().unwrap();
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn deep_pipelines_are_answered_in_order() {
    let server = start().await;
    let client = RawClient::connect(server.addr).await;
    let RawClient { mut dec, mut enc } = client;
    const N: i32 = 3000;
    let writer = tokio::spawn(async move {
        for seq in 0..N {
            let id =
                pilota::thrift::TMessageIdentifier::new("echo".into(), TMessageType::Call, seq);
            enc.encode(FRAMED, None, &id, &Body::Message(echo("p", seq.into())))
                .unwrap();
            if seq % 100 == 99 {
                enc.flush().await.unwrap();
            }
        }
        enc.flush().await.unwrap();
        enc
    });
    for seq in 0..N {
        let frame = dec.next_frame().await.unwrap().unwrap();
        let (id, _) = frame.decode::<EchoResponse>().unwrap();
        assert_eq!(id.sequence_number, seq);
    }
    writer.await.unwrap();
}

#[tokio::test]
async fn a_refused_oneway_call_gets_no_reply_either() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    // A oneway call to a method the service does not have: a client that
    // sent it expects nothing back, so any answer would be read as the
    // reply to its next call.
    let id = pilota::thrift::TMessageIdentifier::new("nope".into(), TMessageType::OneWay, 1);
    client
        .enc
        .encode(
            FRAMED,
            None,
            &id,
            &Body::Message(EchoRequest::Notify(NotifyArgs { text: "a".into() })),
        )
        .unwrap();
    let (_, id, body) = client.call(FRAMED, None, 2, echo("after", 0)).await;
    assert_eq!(id.sequence_number, 2);
    assert_eq!(echoed(&body), "after");
}

/// A connection that holds what is written until it is flushed, and whose
/// first flush stalls until the task is polled again (as a TLS stream's
/// does while the socket is busy).
struct StallingFlush {
    io: tokio::io::BufWriter<volo::net::Conn>,
    stalled: bool,
}

impl tokio::io::AsyncRead for StallingFlush {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for StallingFlush {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if !self.stalled {
            // Woken by the next request this test sends.
            self.stalled = true;
            return std::task::Poll::Pending;
        }
        std::pin::Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

impl volo::net::SplitIo for StallingFlush {
    type ReadHalf = tokio::io::ReadHalf<Self>;
    type WriteHalf = tokio::io::WriteHalf<Self>;

    fn split_io(self) -> (Self::ReadHalf, Self::WriteHalf) {
        tokio::io::split(self)
    }
}

struct StallingListener(volo::net::Listener);

impl volo::net::Incoming for StallingListener {
    type Conn = StallingFlush;

    async fn accept(&mut self) -> std::io::Result<(StallingFlush, volo::net::Address)> {
        let (io, peer) = self.0.accept().await?;
        let io = StallingFlush {
            io: tokio::io::BufWriter::new(io),
            stalled: false,
        };
        Ok((io, peer))
    }
}

impl volo_thrift::server::IntoIncoming for StallingListener {
    type Incoming = Self;

    async fn into_incoming(self) -> std::io::Result<Self> {
        Ok(self)
    }
}

#[tokio::test]
async fn a_reply_written_but_not_flushed_is_flushed_later() {
    let listener = volo::net::Listener::bind(
        "127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap(),
        volo::net::ListenOptions::new(),
    )
    .await
    .unwrap();
    let addr = *listener.local_addr().unwrap().as_ip().unwrap();
    let server = volo_thrift::server::Server::new(common::server::Handler::new());
    tokio::spawn(server.run(StallingListener(listener)));
    let mut client = RawClient::connect(addr).await;
    client.queue(FRAMED, None, 1, echo("first", 0));
    client.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Read while the first reply's flush stalls; this call never answers.
    client.queue(FRAMED, None, 2, echo("wait", 0));
    client.enc.flush().await.unwrap();
    let (_, id, body) = client.reply().await;
    assert_eq!(id.sequence_number, 1);
    assert_eq!(echoed(&body), "first");
}

#[tokio::test]
async fn shutdown_drains_calls_waiting_for_a_call_slot() {
    let mut server = start_with(|s| s.max_concurrent_calls(1)).await;
    let format = Format::default();
    let mut a = RawClient::connect(server.addr).await;
    let mut b = RawClient::connect(server.addr).await;
    // `a`'s first call holds the only slot; its second and `b`'s wait.
    a.queue(format, Some(&tt_header()), 1, echo("sleep:200", 0));
    a.queue(format, Some(&tt_header()), 2, echo("second", 0));
    a.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    b.queue(format, Some(&tt_header()), 1, echo("other", 0));
    b.enc.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown();
    for (seq, text) in [(1, "sleep:200"), (2, "second")] {
        let (frame, id, body) = a.reply().await;
        assert_eq!((id.sequence_number, echoed(&body)), (seq, text));
        assert!(frame.header().unwrap().crrst());
    }
    let (frame, _, body) = b.reply().await;
    assert_eq!(echoed(&body), "other");
    assert!(frame.header().unwrap().crrst());
    assert!(a.dec.next_frame().await.unwrap().is_none());
    assert!(b.dec.next_frame().await.unwrap().is_none());
    tokio::time::timeout(Duration::from_secs(5), &mut server.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_client_that_stops_sending_still_gets_every_reply() {
    let server = start().await;
    let mut client = RawClient::connect(server.addr).await;
    // One call inline, two spawned, then the client's side closes.
    client.queue(FRAMED, None, 1, echo("sleep:100", 0));
    client.queue(FRAMED, None, 2, echo("sleep:50", 0));
    client.queue(
        FRAMED,
        None,
        3,
        EchoRequest::Notify(NotifyArgs { text: "n".into() }),
    );
    client.queue(FRAMED, None, 4, echo("now", 0));
    client.enc.flush().await.unwrap();
    client.enc.shutdown().await.unwrap();
    for (seq, text) in [(1, "sleep:100"), (2, "sleep:50"), (4, "now")] {
        let (_, id, body) = client.reply().await;
        assert_eq!((id.sequence_number, echoed(&body)), (seq, text));
    }
    assert!(client.dec.next_frame().await.unwrap().is_none());
    assert_eq!(server.handler.notified.load(Ordering::SeqCst), 1);
}
