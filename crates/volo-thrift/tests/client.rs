//! Client and server end to end, for both transports and every codec.

mod common;

use std::{sync::atomic::Ordering, time::Duration};

use common::{
    ALL_FORMATS, BUFFERED_NON_STRICT,
    echo::{EchoError, EchoRequest, EchoResponse, EchoResult, NotifyArgs, echo},
    server::start,
};
use metainfo::MetaInfo;
use pilota::thrift::ApplicationExceptionKind;
use volo_thrift::{
    client::{Builder, CallOpt, Client, ClientErrorKind},
    codec::Format,
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
    }
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
