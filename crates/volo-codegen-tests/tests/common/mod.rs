//! Shared by the end-to-end tests: starting a server of generated code and
//! the formats a client can speak.
#![allow(dead_code, unreachable_pub)]

use std::{net::SocketAddr, time::Duration};

use tokio::{sync::oneshot, task::JoinHandle};
use volo::net::{ListenOptions, Listener};
use volo_thrift::{
    EntryMessage, ServerContext,
    codec::{Format, Framing, Protocol},
    server::Server,
};

/// Every format a client can send and the server detects.
pub const CLIENT_FORMATS: [Format; 11] = [
    Format::new(Framing::TTHeaderFramed, Protocol::Binary),
    Format::new(Framing::TTHeaderFramed, Protocol::BinaryNonStrict),
    Format::new(Framing::TTHeaderFramed, Protocol::Compact),
    Format::new(Framing::TTHeader, Protocol::Binary),
    Format::new(Framing::TTHeader, Protocol::BinaryNonStrict),
    Format::new(Framing::TTHeader, Protocol::Compact),
    Format::new(Framing::Framed, Protocol::Binary),
    Format::new(Framing::Framed, Protocol::Compact),
    Format::new(Framing::Buffered, Protocol::Binary),
    Format::new(Framing::Buffered, Protocol::Compact),
    Format::new(Framing::Buffered, Protocol::BinaryNonStrict),
];

/// A running server; dropping it does not stop it, [`Running::stop`] does.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Shuts the server down and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server did not stop")
            .expect("the server task panicked")
            .expect("the server failed");
    }
}

/// Serves `service` on 127.0.0.1:0.
pub async fn serve<S, Req, Resp>(service: S) -> Running
where
    S: motore::Service<ServerContext, Req, Response = Resp> + Send + Sync + 'static,
    S::Error: Into<motore::BoxError>,
    Req: EntryMessage + 'static,
    Resp: EntryMessage + 'static,
{
    let listener = Listener::bind(
        "127.0.0.1:0".parse::<SocketAddr>().unwrap(),
        ListenOptions::new(),
    )
    .await
    .unwrap();
    let addr = *listener.local_addr().unwrap().as_ip().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let server = Server::new(service).shutdown_timeout(Duration::from_secs(2));
    let task = tokio::spawn(server.run_with_shutdown(listener, async {
        let _ = rx.await;
    }));
    Running {
        addr,
        shutdown: Some(tx),
        task,
    }
}

/// Polls `f` until it holds, for up to five seconds.
pub async fn eventually(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..500 {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}
