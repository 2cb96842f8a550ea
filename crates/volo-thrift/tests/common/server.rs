//! A test handler for the `Echo` service, a server runner and a raw client
//! built on the codec.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use motore::{BoxError, Service};
use pilota::{
    FastStr,
    thrift::{ApplicationException, ApplicationExceptionKind, TMessageIdentifier, TMessageType},
};
use tokio::{
    io::{ReadHalf, WriteHalf},
    net::TcpStream,
    sync::{Semaphore, oneshot},
    task::JoinHandle,
};
use volo::net::{ListenOptions, Listener};
use volo_thrift::{
    ServerContext,
    codec::{Body, Decoder, Encoder, Format, Frame, ttheader::BizStatus, ttheader::TTHeader},
    server::Server,
};

use super::echo::{EchoError, EchoMsg, EchoRequest, EchoResponse, EchoResult};

/// Answers `echo` by the request text:
/// - `panic`: panics; `error`: fails with an undeclared error;
///   `app`: fails with an `ApplicationException`; `fail`: the declared exception;
/// - `wait...` (any text starting with `wait`): waits until a `release` call
///   (on any connection) lets it go;
/// - `sleep:<ms>`: sleeps, then echoes;
/// - `meta`: echoes the persistent `tenant` and upstream `trace` values and sets the
///   backward `cost`;
/// - `biz`: echoes with business status 1001 (set on the context);
/// - `bizerr`: answers business status 1002 by returning it as the error;
/// - `isn`: echoes the TTHeader `isn`;
/// - anything else: echoes.
///
/// `notify` counts the calls.
#[derive(Debug, Clone)]
pub struct Handler {
    gate: Arc<Semaphore>,
    pub notified: Arc<AtomicUsize>,
    /// Calls that started waiting at the gate.
    pub waits: Arc<AtomicUsize>,
}

impl Handler {
    pub fn new() -> Self {
        Self {
            gate: Arc::new(Semaphore::new(0)),
            notified: Arc::default(),
            waits: Arc::default(),
        }
    }
}

impl Service<ServerContext, EchoRequest> for Handler {
    type Response = EchoResponse;
    type Error = BoxError;

    async fn call(
        &self,
        cx: &mut ServerContext,
        req: EchoRequest,
    ) -> Result<EchoResponse, BoxError> {
        let mut msg = match req {
            EchoRequest::Notify(_) => {
                self.notified.fetch_add(1, Ordering::SeqCst);
                return Ok(EchoResponse::Echo(EchoResult::Ok(EchoMsg::default())));
            }
            EchoRequest::Echo(args) => args.msg,
        };
        let text = msg.text.clone();
        match text.as_str() {
            "panic" => panic!("the handler was asked to panic"),
            "error" => return Err("an undeclared failure".into()),
            "app" => {
                return Err(Box::new(ApplicationException::new(
                    ApplicationExceptionKind::UNKNOWN,
                    "custom",
                )));
            }
            "fail" => {
                return Ok(EchoResponse::Echo(EchoResult::Err(EchoError {
                    reason: "as asked".into(),
                })));
            }
            wait if wait.starts_with("wait") => {
                self.waits.fetch_add(1, Ordering::SeqCst);
                self.gate.acquire().await?.forget();
            }
            "release" => self.gate.add_permits(1),
            "meta" => {
                let (tenant, trace) = metainfo::with_current_mut(|mi| {
                    mi.set_backward("cost", "1ms");
                    (
                        mi.get_persistent("tenant").cloned().unwrap_or_default(),
                        mi.get_upstream("trace").cloned().unwrap_or_default(),
                    )
                })?;
                msg.text = FastStr::from_string(format!("{tenant}/{trace}"));
            }
            "isn" => {
                msg.text = cx.isn().cloned().unwrap_or_default();
            }
            "bizerr" => {
                return Err(BizStatus::new(1002, "no such user")
                    .with_extra(r#"{"user":"7"}"#)
                    .into());
            }
            "biz" => cx.set_biz_status(BizStatus {
                code: 1001,
                message: "quota".into(),
                extra: None,
            }),
            other => {
                if let Some(ms) = other.strip_prefix("sleep:") {
                    tokio::time::sleep(Duration::from_millis(ms.parse()?)).await;
                }
            }
        }
        Ok(EchoResponse::Echo(EchoResult::Ok(msg)))
    }
}

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    pub handler: Handler,
    shutdown: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Signals shutdown.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a server on 127.0.0.1:0; `configure` sets its options.
pub async fn start_with(
    configure: impl FnOnce(
        Server<Handler, motore::layer::Identity>,
    ) -> Server<Handler, motore::layer::Identity>,
) -> Running {
    let listener = Listener::bind(
        "127.0.0.1:0".parse::<SocketAddr>().unwrap(),
        ListenOptions::new(),
    )
    .await
    .unwrap();
    let addr = *listener.local_addr().unwrap().as_ip().unwrap();
    let handler = Handler::new();
    let (tx, rx) = oneshot::channel::<()>();
    let server = configure(Server::new(handler.clone()).shutdown_timeout(Duration::from_secs(2)));
    let task = tokio::spawn(server.run_with_shutdown(listener, async {
        let _ = rx.await;
    }));
    Running {
        addr,
        handler,
        shutdown: Some(tx),
        task,
    }
}

/// Starts a server with the default options.
pub async fn start() -> Running {
    start_with(|s| s).await
}

/// A client speaking raw frames.
pub struct RawClient {
    pub dec: Decoder<ReadHalf<TcpStream>>,
    pub enc: Encoder<WriteHalf<TcpStream>>,
}

impl RawClient {
    pub async fn connect(addr: SocketAddr) -> Self {
        let (r, w) = tokio::io::split(TcpStream::connect(addr).await.unwrap());
        Self {
            dec: Decoder::new(r),
            enc: Encoder::new(w),
        }
    }

    /// Queues a call (flush to send).
    pub fn queue(&mut self, format: Format, header: Option<&TTHeader>, seq: i32, req: EchoRequest) {
        let ty = match req {
            EchoRequest::Notify(_) => TMessageType::OneWay,
            EchoRequest::Echo(_) => TMessageType::Call,
        };
        let id = TMessageIdentifier::new(req.method().into(), ty, seq);
        self.enc
            .encode(format, header, &id, &Body::Message(req))
            .unwrap();
    }

    /// Sends a call and reads the next reply.
    pub async fn call(
        &mut self,
        format: Format,
        header: Option<&TTHeader>,
        seq: i32,
        req: EchoRequest,
    ) -> (Frame, TMessageIdentifier, Body<EchoResponse>) {
        self.queue(format, header, seq, req);
        self.enc.flush().await.unwrap();
        self.reply().await
    }

    /// Reads the next reply.
    pub async fn reply(&mut self) -> (Frame, TMessageIdentifier, Body<EchoResponse>) {
        let frame = tokio::time::timeout(Duration::from_secs(10), self.dec.next_frame())
            .await
            .expect("no reply in time")
            .unwrap()
            .expect("connection closed");
        let (id, body) = frame.decode::<EchoResponse>().unwrap();
        (frame, id, body)
    }
}

/// The text of a successful echo reply.
pub fn echoed(body: &Body<EchoResponse>) -> &str {
    match body {
        Body::Message(EchoResponse::Echo(EchoResult::Ok(m))) => m.text.as_str(),
        other => panic!("not a successful echo: {other:?}"),
    }
}

/// The exception of an exception reply.
pub fn exception(body: &Body<EchoResponse>) -> &ApplicationException {
    match body {
        Body::Exception(e) => e,
        other => panic!("not an exception: {other:?}"),
    }
}
