//! The generated `Echo` server and client end to end: every codec and both
//! transports, typed exceptions, handler errors, oneway calls, metainfo and
//! routing by `isn`.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use common::{CLIENT_FORMATS, eventually, serve};
use metainfo::MetaInfo;
use pilota::thrift::{TMessageIdentifier, TMessageType};
use pilota::{
    FastStr,
    thrift::{ApplicationException, ApplicationExceptionKind},
};
use volo_codegen_tests::{
    all::{Counter, CounterClient, CounterServer},
    echo::{
        Echo, EchoCallError, EchoClient, EchoEchoException, EchoError, EchoHandlerError, EchoMsg,
        EchoServer,
    },
};
use volo_codegen_tests::{
    all::{CounterNextArgs, CounterNextResult, CounterRequest, CounterResponse},
    echo::EchoRequest,
};
use volo_thrift::{
    client::{CallOpt, ClientErrorKind},
    codec::{
        Body, Decoder, Encoder, Format,
        ttheader::{BizStatus, TTHeader},
    },
    server::{Routed, Router},
    transport::PoolConfig,
};

/// Answers `echo` by the message text: `fail` → the declared exception,
/// `error` → an undeclared error, `app` → an `ApplicationException`, `panic`,
/// `meta` → echoes metainfo and sets a backward value, `sleep` → sleeps,
/// `biz` → a business status.
#[derive(Default)]
struct Handler {
    notified: Arc<AtomicUsize>,
    last_note: std::sync::Mutex<Option<FastStr>>,
}

impl Echo for Handler {
    async fn echo(&self, mut msg: EchoMsg) -> Result<EchoMsg, EchoHandlerError<EchoEchoException>> {
        match msg.text.as_str() {
            "fail" => {
                return Err(EchoError {
                    reason: Some(FastStr::from_string(format!("asked with n = {}", msg.n))),
                    ..Default::default()
                }
                .into());
            }
            "error" => return Err(EchoHandlerError::other("an undeclared failure")),
            "app" => {
                return Err(EchoHandlerError::other(ApplicationException::new(
                    ApplicationExceptionKind::UNKNOWN,
                    "custom",
                )));
            }
            "panic" => panic!("the handler was asked to panic"),
            "biz" => {
                return Err(EchoHandlerError::other(BizStatus::new(
                    4001,
                    format!("n = {} is over quota", msg.n),
                )));
            }
            "meta" => {
                let (tenant, trace) = metainfo::with_current_mut(|mi| {
                    mi.set_backward("cost", "1ms");
                    (
                        mi.get_persistent("tenant").cloned().unwrap_or_default(),
                        mi.get_upstream("trace").cloned().unwrap_or_default(),
                    )
                })
                .map_err(EchoHandlerError::other)?;
                msg.text = FastStr::from_string(format!("{tenant}/{trace}"));
            }
            "sleep" => tokio::time::sleep(Duration::from_secs(3)).await,
            _ => {}
        }
        Ok(msg)
    }

    async fn notify(&self, text: FastStr) -> Result<(), motore::BoxError> {
        *self.last_note.lock().unwrap() = Some(text);
        self.notified.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn msg(text: &str, n: i64) -> EchoMsg {
    EchoMsg {
        text: FastStr::new(text),
        n,
        blob: Some(pilota::Bytes::from_static(b"\x00\xffblob")),
        ..Default::default()
    }
}

/// A pool client and a multiplex client of the server at `addr`.
fn clients(addr: std::net::SocketAddr, format: Format) -> [EchoClient; 2] {
    [
        EchoClient::builder("echo")
            .address(addr)
            .caller_name("test")
            .format(format)
            .pool(PoolConfig::new().with_max_idle_per_host(2))
            .build(),
        EchoClient::builder("echo")
            .address(addr)
            .caller_name("test")
            .format(format)
            .multiplex()
            .build(),
    ]
}

fn application_kind<E: std::fmt::Debug>(e: &EchoCallError<E>) -> Option<ApplicationExceptionKind> {
    e.client_error()
        .and_then(|c| c.application_exception())
        .map(|a| a.kind())
}

#[tokio::test]
async fn every_codec_and_transport_against_one_server() {
    let handler = Handler::default();
    let notified = Arc::clone(&handler.notified);
    let server = serve(EchoServer::new(handler)).await;
    for format in CLIENT_FORMATS {
        for client in clients(server.addr, format) {
            let sent = msg(&format!("hi {format:?}"), 7);
            assert_eq!(client.echo(sent.clone()).await.unwrap(), sent, "{format:?}");

            let e = client.echo(msg("fail", 3)).await.unwrap_err();
            assert_eq!(
                e.exception(),
                Some(&EchoEchoException::Err(EchoError {
                    reason: Some("asked with n = 3".into()),
                    ..Default::default()
                })),
                "{format:?}"
            );

            let e = client.echo(msg("error", 0)).await.unwrap_err();
            assert_eq!(
                application_kind(&e),
                Some(ApplicationExceptionKind::INTERNAL_ERROR)
            );
            assert!(e.to_string().contains("an undeclared failure"), "{e}");

            let before = notified.load(Ordering::SeqCst);
            client.notify("note".into()).await.unwrap();
            assert!(
                eventually(|| notified.load(Ordering::SeqCst) > before).await,
                "oneway not delivered over {format:?}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn handler_failures_become_application_exceptions() {
    let server = serve(EchoServer::new(Handler::default())).await;
    let [client, _] = clients(server.addr, Format::default());

    let e = client.echo(msg("app", 0)).await.unwrap_err();
    let app = e.client_error().unwrap().application_exception().unwrap();
    assert_eq!(app.kind(), ApplicationExceptionKind::UNKNOWN);
    assert_eq!(app.message(), "custom");

    let e = client.echo(msg("panic", 0)).await.unwrap_err();
    assert_eq!(
        application_kind(&e),
        Some(ApplicationExceptionKind::INTERNAL_ERROR)
    );
    assert!(e.exception().is_none());

    // The server keeps serving after a panic.
    assert_eq!(client.echo(msg("after", 1)).await.unwrap().text, "after");
    server.stop().await;
}

#[tokio::test]
async fn generated_handlers_answer_business_statuses() {
    let server = serve(EchoServer::new(Handler::default())).await;
    for client in clients(server.addr, Format::default()) {
        let e = client.echo(msg("biz", 7)).await.unwrap_err();
        let status = e.client_error().and_then(|c| c.biz_status()).unwrap();
        assert_eq!(status.code, 4001);
        assert_eq!(status.message, "n = 7 is over quota");
        assert!(e.exception().is_none());
    }
    server.stop().await;
}

#[tokio::test]
async fn oneway_arguments_arrive() {
    let handler = Arc::new(Handler::default());
    let server = serve(EchoServer::from_arc(Arc::clone(&handler))).await;
    let [pool, multiplex] = clients(server.addr, Format::default());
    pool.notify("from pool".into()).await.unwrap();
    assert!(eventually(|| handler.notified.load(Ordering::SeqCst) == 1).await);
    assert_eq!(
        handler.last_note.lock().unwrap().as_deref(),
        Some("from pool")
    );
    multiplex.notify("from multiplex".into()).await.unwrap();
    assert!(eventually(|| handler.notified.load(Ordering::SeqCst) == 2).await);
    assert_eq!(
        handler.last_note.lock().unwrap().as_deref(),
        Some("from multiplex")
    );
    server.stop().await;
}

#[tokio::test]
async fn metainfo_travels_both_ways() {
    let server = serve(EchoServer::new(Handler::default())).await;
    for client in clients(server.addr, Format::default()) {
        let mut mi = MetaInfo::new();
        mi.set_persistent("tenant", "blue");
        mi.set_transient("trace", "t1");
        let (reply, mi) = metainfo::scope_and_take(mi, client.echo(msg("meta", 0))).await;
        assert_eq!(reply.unwrap().text, "blue/t1");
        assert_eq!(mi.get_downstream("cost").map(|v| v.as_str()), Some("1ms"));
    }
    server.stop().await;
}

#[tokio::test]
async fn call_options_apply_to_generated_methods() {
    let server = serve(EchoServer::new(Handler::default())).await;
    for client in clients(server.addr, Format::default()) {
        let hasty =
            client.with_call_opt(CallOpt::new().with_rpc_timeout(Duration::from_millis(100)));
        let e = hasty.echo(msg("sleep", 0)).await.unwrap_err();
        assert_eq!(
            e.client_error().map(|c| c.kind()),
            Some(ClientErrorKind::Timeout)
        );
        // The original client has no timeout and still works.
        assert_eq!(client.echo(msg("ok", 0)).await.unwrap().text, "ok");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_method_the_server_does_not_have_is_unknown_method() {
    let server = serve(EchoServer::new(Handler::default())).await;
    // A `Counter` client against an `Echo` server.
    let client = CounterClient::builder("echo").address(server.addr).build();
    let e = client.next().await.unwrap_err();
    assert_eq!(
        e.application_exception().map(|a| a.kind()),
        Some(ApplicationExceptionKind::UNKNOWN_METHOD)
    );
    server.stop().await;
}

#[derive(Default)]
struct Count(AtomicI64);

impl Counter for Count {
    async fn next(&self) -> Result<i64, motore::BoxError> {
        Ok(self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

#[tokio::test]
async fn generated_services_route_by_isn() {
    use volo_thrift::server::NamedService;
    assert_eq!(
        <volo_codegen_tests::echo::EchoRequest as NamedService>::SERVICE_NAME,
        "Echo"
    );
    assert_eq!(
        <volo_codegen_tests::all::CounterResponse as NamedService>::SERVICE_NAME,
        "Counter"
    );

    let server = serve(Router::new(
        EchoServer::new(Handler::default()),
        CounterServer::new(Count::default()),
    ))
    .await;
    let echo = EchoClient::builder("echo").address(server.addr).build();
    assert_eq!(echo.echo(msg("routed", 0)).await.unwrap().text, "routed");
    let counter = CounterClient::builder("counter")
        .address(server.addr)
        .build();
    // Without an `isn`, requests go to the first service, which has no `next`.
    let e = counter.next().await.unwrap_err();
    assert_eq!(
        e.application_exception().map(|a| a.kind()),
        Some(ApplicationExceptionKind::UNKNOWN_METHOD)
    );

    // With `isn = "Counter"` (the generated clients cannot send one yet), the
    // router picks the generated `Counter` dispatcher.
    let (r, w) = tokio::io::split(tokio::net::TcpStream::connect(server.addr).await.unwrap());
    let (mut dec, mut enc) = (Decoder::new(r), Encoder::new(w));
    let mut header = TTHeader::new();
    header.set_isn("Counter");
    for (seq, expected) in [(1, 1), (2, 2)] {
        let id = TMessageIdentifier::new("next".into(), TMessageType::Call, seq);
        let req = Routed::<EchoRequest, CounterRequest>::Second(CounterRequest::Next(
            CounterNextArgs::default(),
        ));
        enc.encode(Format::default(), Some(&header), &id, &Body::Message(req))
            .unwrap();
        enc.flush().await.unwrap();
        let frame = dec.next_frame().await.unwrap().expect("a reply");
        let (reply_id, body) = frame.decode::<CounterResponse>().unwrap();
        assert_eq!(reply_id.sequence_number, seq);
        match body {
            Body::Message(CounterResponse::Next(CounterNextResult::Ok(n))) => {
                assert_eq!(n, expected)
            }
            other => panic!("not a `next` result: {other:?}"),
        }
    }
    server.stop().await;
}
