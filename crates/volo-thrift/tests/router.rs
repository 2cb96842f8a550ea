//! Several IDL services on one server, routed by TTHeader `isn`.

mod common;

use std::net::SocketAddr;

use common::{
    echo::{EchoRequest, EchoResponse, EchoResult, echo},
    server::{Handler, RawClient, echoed, exception},
};
use motore::{BoxError, Service};
use pilota::thrift::{
    ApplicationExceptionKind, EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier,
    TOutputProtocol,
};
use volo::net::{ListenOptions, Listener};
use volo_thrift::{
    EntryMessage, ServerContext,
    codec::{CodecError, Format, Framing, Protocol, ttheader::TTHeader},
    server::{NamedService, Router, Server},
};

/// The `Echo` messages under another IDL service name, `EchoV2`.
#[derive(Debug, Clone, PartialEq)]
struct V2<T>(T);

impl<T: EntryMessage> EntryMessage for V2<T> {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        self.0.encode(p)
    }

    fn decode<P: TInputProtocol>(p: &mut P, id: &TMessageIdentifier) -> Result<Self, CodecError> {
        T::decode(p, id).map(V2)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        self.0.size(p)
    }
}

impl<T> NamedService for V2<T> {
    const SERVICE_NAME: &'static str = "EchoV2";
}

/// Echoes with a `v2:` prefix.
struct V2Handler;

impl Service<ServerContext, V2<EchoRequest>> for V2Handler {
    type Response = V2<EchoResponse>;
    type Error = BoxError;

    async fn call(
        &self,
        _cx: &mut ServerContext,
        req: V2<EchoRequest>,
    ) -> Result<V2<EchoResponse>, BoxError> {
        let EchoRequest::Echo(mut args) = req.0 else {
            return Err("v2 has no notify".into());
        };
        args.msg.text = format!("v2:{}", args.msg.text).into();
        Ok(V2(EchoResponse::Echo(EchoResult::Ok(args.msg))))
    }
}

#[tokio::test]
async fn requests_go_to_the_service_their_isn_names() {
    let listener = Listener::bind(
        "127.0.0.1:0".parse::<SocketAddr>().unwrap(),
        ListenOptions::new(),
    )
    .await
    .unwrap();
    let addr = *listener.local_addr().unwrap().as_ip().unwrap();
    let router = Router::new(Handler::new(), V2Handler);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(Server::new(router).run_with_shutdown(listener, async {
        let _ = stopped.await;
    }));

    let mut client = RawClient::connect(addr).await;
    let format = Format::default();
    let with_isn = |isn: &str| {
        let mut h = TTHeader::new();
        h.set_isn(pilota::FastStr::new(isn));
        h
    };
    let (_, _, body) = client
        .call(format, Some(&with_isn("EchoV2")), 1, echo("hi", 0))
        .await;
    assert_eq!(echoed(&body), "v2:hi");
    let (_, _, body) = client
        .call(format, Some(&with_isn("Echo")), 2, echo("hi", 0))
        .await;
    assert_eq!(echoed(&body), "hi");
    let (_, _, body) = client
        .call(format, Some(&TTHeader::new()), 3, echo("hi", 0))
        .await;
    assert_eq!(echoed(&body), "hi", "no isn: the first service");
    let (_, id, body) = client
        .call(format, Some(&with_isn("Nope")), 4, echo("hi", 0))
        .await;
    assert_eq!(id.sequence_number, 4);
    assert_eq!(
        exception(&body).kind(),
        ApplicationExceptionKind::from_i32(20)
    );

    let mut framed = RawClient::connect(addr).await;
    let (_, _, body) = framed
        .call(
            Format::new(Framing::Framed, Protocol::Binary),
            None,
            1,
            echo("plain", 0),
        )
        .await;
    assert_eq!(echoed(&body), "plain");

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
