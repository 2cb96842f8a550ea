//! [`spawn`]: a server running in a background task, and how to stop it.

use std::{future::Future, io, net::SocketAddr, time::Duration};

use motore::{BoxError, Layer, Service};
use tokio::{sync::oneshot, task::JoinHandle};
use volo::net::{ListenOptions, Listener};
use volo_thrift::{EntryMessage, ServerContext, server::Server};

/// A server running in the background; [`Running::stop`] shuts it down.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

/// Binds 127.0.0.1 on a free port and runs `server` there in a background
/// task, until [`Running::stop`].
pub async fn spawn<S, L, Req, Resp>(server: Server<S, L>) -> io::Result<Running>
where
    S: Send + 'static,
    L: Layer<S> + Send + 'static,
    L::Service: Service<ServerContext, Req, Response = Resp> + Send + Sync + 'static,
    <L::Service as Service<ServerContext, Req>>::Error: Into<BoxError>,
    Req: EntryMessage + 'static,
    Resp: EntryMessage + 'static,
{
    let listener =
        Listener::bind(SocketAddr::from(([127, 0, 0, 1], 0)), ListenOptions::new()).await?;
    let addr = listener
        .local_addr()?
        .as_ip()
        .copied()
        .ok_or_else(|| io::Error::other("not an IP listener"))?;
    let (shutdown, signal) = oneshot::channel::<()>();
    // The server stops when `signal` completes: when `stop` sends, or when
    // the `Running` is dropped.
    let task = tokio::spawn(server.run_with_shutdown(listener, ignore(signal)));
    Ok(Running {
        addr,
        shutdown,
        task,
    })
}

async fn ignore<T>(fut: impl Future<Output = T>) {
    let _ = fut.await;
}

impl Running {
    /// Signals the server to shut down gracefully and waits (at most 30 s)
    /// until it has: the listener closed, in-flight calls drained.
    pub async fn stop(self) -> io::Result<()> {
        // An error means the server is already gone; `task` tells why.
        let _ = self.shutdown.send(());
        match tokio::time::timeout(Duration::from_secs(30), self.task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => Err(io::Error::other("the server did not stop within 30 s")),
        }
    }
}
