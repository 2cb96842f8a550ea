//! Client and server end to end, for both transports and every codec.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use common::{
    ALL_FORMATS, BUFFERED_NON_STRICT,
    echo::{EchoError, EchoMsg, EchoRequest, EchoResponse, EchoResult, NotifyArgs, echo},
    server::start,
};
use metainfo::MetaInfo;
use pilota::thrift::{ApplicationExceptionKind, TMessageIdentifier, TMessageType};
use tokio::{
    io::AsyncWriteExt,
    net::tcp::{OwnedReadHalf, OwnedWriteHalf},
};
use volo_thrift::{
    client::{Builder, CallOpt, Client, ClientErrorKind},
    codec::{Body, Decoder, Format, Frame, Framing, Protocol, ttheader::TTHeader},
    transport::PoolConfig,
};

fn clients(addr: std::net::SocketAddr, format: Format) -> [Client<EchoRequest, EchoResponse>; 2] {
    [
        Builder::new("echo")
            .address(addr)
            .caller_name("test")
            .format(format)
            .pool(PoolConfig::new().with_max_idle_per_host(4))
            .build(),
        Builder::new("echo")
            .address(addr)
            .caller_name("test")
            .format(format)
            .multiplex()
            .build(),
    ]
}

fn text(resp: EchoResponse) -> String {
    match resp {
        EchoResponse::Echo(EchoResult::Ok(m)) => m.text.to_string(),
        other => panic!("not a successful echo: {other:?}"),
    }
}

#[tokio::test]
async fn every_codec_over_both_transports() {
    let server = start().await;
    for format in ALL_FORMATS.into_iter().chain([BUFFERED_NON_STRICT]) {
        for client in clients(server.addr, format) {
            for i in 0..3 {
                let reply = client.call("echo", echo(&format!("hi {i}"), i)).await;
                assert_eq!(text(reply.unwrap()), format!("hi {i}"), "{format:?}");
            }
            let declared = client.call("echo", echo("fail", 0)).await.unwrap();
            assert_eq!(
                declared,
                EchoResponse::Echo(EchoResult::Err(EchoError {
                    reason: "as asked".into()
                }))
            );
            let e = client.call("echo", echo("panic", 0)).await.unwrap_err();
            assert_eq!(e.kind(), ClientErrorKind::Application);
            assert_eq!(
                e.application_exception().map(|a| a.kind()),
                Some(ApplicationExceptionKind::INTERNAL_ERROR)
            );
            let before = server.handler.notified.load(Ordering::SeqCst);
            client
                .oneway(
                    "notify",
                    EchoRequest::Notify(NotifyArgs { text: "n".into() }),
                )
                .await
                .unwrap();
            let reply = client.call("echo", echo("after oneway", 0)).await.unwrap();
            assert_eq!(text(reply), "after oneway");
            for _ in 0..100 {
                if server.handler.notified.load(Ordering::SeqCst) > before {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert_eq!(server.handler.notified.load(Ordering::SeqCst), before + 1);
        }
    }
}

#[tokio::test]
async fn concurrent_calls_share_connections() {
    let server = start().await;
    for client in clients(server.addr, Format::default()) {
        let mut tasks = Vec::new();
        for i in 0..50 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let t = format!("c{i}");
                assert_eq!(text(client.call("echo", echo(&t, i)).await.unwrap()), t);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    }
}

#[tokio::test]
async fn timeouts_fail_the_call_and_not_the_client() {
    let server = start().await;
    for client in clients(server.addr, Format::default()) {
        let opt = CallOpt::new().with_rpc_timeout(Duration::from_millis(100));
        let e = client
            .call_with(opt, "echo", echo("sleep:3000", 0))
            .await
            .unwrap_err();
        assert!(e.is_timeout(), "{e}");
        assert_eq!(
            text(client.call("echo", echo("ok", 0)).await.unwrap()),
            "ok"
        );
    }
}

#[tokio::test]
async fn metainfo_and_biz_status_travel_both_ways() {
    let server = start().await;
    for client in clients(server.addr, Format::default()) {
        let mut mi = MetaInfo::new();
        mi.set_persistent("tenant", "blue");
        mi.set_transient("trace", "t1");
        let (reply, mi) = metainfo::scope_and_take(mi, client.call("echo", echo("meta", 0))).await;
        assert_eq!(text(reply.unwrap()), "blue/t1");
        assert_eq!(mi.get_downstream("cost").map(|v| v.as_str()), Some("1ms"));

        let e = client.call("echo", echo("biz", 0)).await.unwrap_err();
        assert_eq!(e.kind(), ClientErrorKind::Biz);
        assert_eq!(e.biz_status().map(|s| s.code), Some(1001));

        // A handler that returns a business status as its error.
        let e = client.call("echo", echo("bizerr", 0)).await.unwrap_err();
        assert_eq!(e.kind(), ClientErrorKind::Biz, "{e}");
        let status = e.biz_status().unwrap();
        assert_eq!(status.code, 1002);
        assert_eq!(status.message, "no such user");
        assert_eq!(status.extra.as_deref(), Some(r#"{"user":"7"}"#));
        // The connection is still good.
        assert_eq!(
            text(client.call("echo", echo("after", 0)).await.unwrap()),
            "after"
        );
    }
}

#[tokio::test]
async fn a_business_status_without_ttheader_is_an_internal_error() {
    let server = start().await;
    let framed = Format::new(Framing::Framed, Protocol::Binary);
    for client in clients(server.addr, framed) {
        let e = client.call("echo", echo("bizerr", 0)).await.unwrap_err();
        assert_eq!(e.kind(), ClientErrorKind::Application, "{e}");
        let app = e.application_exception().unwrap();
        assert_eq!(app.kind(), ApplicationExceptionKind::INTERNAL_ERROR);
        assert!(app.message().contains("1002"), "{}", app.message());
    }
}

/// A peer on 127.0.0.1:0 that runs `serve` on every connection it accepts,
/// with the count of requests it read; returns its address and the counts
/// of connections and requests.
async fn peer<F, Fut>(serve: F) -> (std::net::SocketAddr, Arc<AtomicUsize>, Arc<AtomicUsize>)
where
    F: Fn(Decoder<OwnedReadHalf>, OwnedWriteHalf, Arc<AtomicUsize>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let (conns, reqs) = (Arc::clone(&connections), Arc::clone(&requests));
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            conns.fetch_add(1, Ordering::SeqCst);
            let (r, w) = s.into_split();
            tokio::spawn(serve(Decoder::new(r), w, Arc::clone(&reqs)));
        }
    });
    (addr, connections, requests)
}

/// The reply to the echo request in `frame`, with `text` and `header`.
async fn reply_bytes(frame: &Frame, text: &'static str, header: Option<&TTHeader>) -> Vec<u8> {
    let (id, _) = frame.decode::<EchoRequest>().unwrap();
    let reply = TMessageIdentifier::new(id.name, TMessageType::Reply, id.sequence_number);
    let body = Body::Message(EchoResponse::Echo(EchoResult::Ok(EchoMsg {
        text: text.into(),
        ..Default::default()
    })));
    common::encode_to_vec(frame.format(), header, &reply, &body).await
}

/// A peer that answers each connection's first call with "first", then
/// hangs up at once (`close_after_reply`) or after reading one more request.
async fn flaky(
    close_after_reply: bool,
) -> (std::net::SocketAddr, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    peer(move |mut dec, mut w, requests| async move {
        let Ok(Some(frame)) = dec.next_frame().await else {
            return;
        };
        requests.fetch_add(1, Ordering::SeqCst);
        w.write_all(&reply_bytes(&frame, "first", None).await)
            .await
            .unwrap();
        if close_after_reply {
            return;
        }
        if let Ok(Some(_)) = dec.next_frame().await {
            requests.fetch_add(1, Ordering::SeqCst);
        }
    })
    .await
}

#[tokio::test]
async fn pool_does_not_reuse_a_connection_the_server_closed() {
    let (addr, connections, requests) = flaky(true).await;
    let client = &clients(addr, Format::default())[0];
    assert_eq!(
        text(client.call("echo", echo("a", 0)).await.unwrap()),
        "first"
    );
    // Let the close arrive; the idle connection is then known dead and the
    // next call dials instead of failing.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        text(client.call("echo", echo("b", 0)).await.unwrap()),
        "first"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 2);
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn pool_never_resends_a_request_the_server_may_have_run() {
    let (addr, connections, requests) = flaky(false).await;
    let client = &clients(addr, Format::default())[0];
    assert_eq!(
        text(client.call("echo", echo("a", 0)).await.unwrap()),
        "first"
    );
    // The server reads this request and hangs up: it may have run it, so
    // the client reports the loss rather than sending it again.
    let e = client.call("echo", echo("b", 0)).await.unwrap_err();
    assert!(e.is_transport(), "{e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_loss_fails_pending_calls_fast() {
    // A peer that reads requests, never answers, and hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = tokio::io::AsyncReadExt::read(&mut s, &mut buf).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            });
        }
    });
    for client in clients(addr, Format::default()) {
        let mut tasks = Vec::new();
        for i in 0..5 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                client.call("echo", echo("never", i)).await
            }));
        }
        for t in tasks {
            let e = tokio::time::timeout(Duration::from_secs(5), t)
                .await
                .expect("a pending call hung")
                .unwrap()
                .unwrap_err();
            assert!(e.is_transport(), "{e}");
        }
    }
}

#[tokio::test]
async fn no_address_is_a_load_balance_error() {
    let client: Client<EchoRequest, EchoResponse> = Builder::new("echo").build();
    let e = client.call("echo", echo("x", 0)).await.unwrap_err();
    assert_eq!(e.kind(), ClientErrorKind::LoadBalance);
}

#[tokio::test]
async fn pool_at_its_connection_limit_hands_a_returned_connection_to_a_waiting_call() {
    let server = start().await;
    let client: Client<EchoRequest, EchoResponse> = Builder::new("echo")
        .address(server.addr)
        .pool(PoolConfig::new().with_max_connections_per_host(Some(1)))
        .build();
    // The second call finds no idle connection and waits for the limit;
    // the first call's connection, once back in the pool, must serve it.
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.call("echo", echo("sleep:100", 0)).await }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = tokio::time::timeout(Duration::from_secs(5), client.call("echo", echo("b", 1)))
        .await
        .expect("a call waiting for the connection limit hung");
    assert_eq!(text(second.unwrap()), "b");
    assert_eq!(text(first.await.unwrap().unwrap()), "sleep:100");
}

#[tokio::test]
async fn pool_closes_idle_connections_of_hosts_no_longer_called() {
    // A peer that answers every call, and counts the connections the client
    // closed.
    let answering = || async {
        let closed = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&closed);
        let (addr, ..) = peer(move |mut dec, mut w, requests| {
            let closed = Arc::clone(&counter);
            async move {
                while let Ok(Some(frame)) = dec.next_frame().await {
                    requests.fetch_add(1, Ordering::SeqCst);
                    let reply = reply_bytes(&frame, "ok", None).await;
                    if w.write_all(&reply).await.is_err() {
                        return;
                    }
                }
                closed.fetch_add(1, Ordering::SeqCst);
            }
        })
        .await;
        (addr, closed)
    };
    let (gone, gone_closed) = answering().await;
    let (live, _) = answering().await;
    let client: Client<EchoRequest, EchoResponse> = Builder::new("echo")
        .pool(
            PoolConfig::new()
                .with_idle_timeout(Duration::from_millis(200))
                .with_max_connections_per_host(Some(4)),
        )
        .build();
    let to = |addr: std::net::SocketAddr| CallOpt::new().with_address(addr.into());
    // A host called once (one a discovery update took away, say), then
    // only another one.
    let reply = client.call_with(to(gone), "echo", echo("a", 0)).await;
    assert_eq!(text(reply.unwrap()), "ok");
    for seq in 0..8 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let reply = client.call_with(to(live), "echo", echo("b", seq)).await;
        assert_eq!(text(reply.unwrap()), "ok");
    }
    // The pool closed the first host's idle connection on its own.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(gone_closed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn pool_does_not_reuse_a_connection_whose_reply_carried_crrst() {
    // A peer that answers every call, with `crrst`, and keeps the
    // connection open.
    let (addr, connections, _) = peer(|mut dec, mut w, _| async move {
        let mut header = TTHeader::new();
        header.set_crrst();
        while let Ok(Some(frame)) = dec.next_frame().await {
            w.write_all(&reply_bytes(&frame, "draining", Some(&header)).await)
                .await
                .unwrap();
        }
    })
    .await;
    let client = &clients(addr, Format::default())[0];
    for i in 0..2 {
        assert_eq!(
            text(client.call("echo", echo("x", i)).await.unwrap()),
            "draining"
        );
    }
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn pool_does_not_reuse_a_connection_with_stray_bytes() {
    // A peer that answers one call per connection, then sends the first
    // bytes of a frame nobody asked for and keeps the connection open.
    let (addr, connections, _) = peer(|mut dec, mut w, _| async move {
        let Ok(Some(frame)) = dec.next_frame().await else {
            return;
        };
        let mut bytes = reply_bytes(&frame, "answered", None).await;
        bytes.extend_from_slice(&[0, 0, 0]);
        w.write_all(&bytes).await.unwrap();
        let _ = dec.next_frame().await;
    })
    .await;
    let client = &clients(addr, Format::default())[0];
    assert_eq!(
        text(client.call("echo", echo("a", 0)).await.unwrap()),
        "answered"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::time::timeout(Duration::from_secs(5), client.call("echo", echo("b", 1)))
        .await
        .expect("the call was sent on a connection holding stray bytes");
    assert_eq!(text(second.unwrap()), "answered");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}
