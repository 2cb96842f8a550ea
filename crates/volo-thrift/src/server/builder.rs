//! [`Server`]: the builder and the accept loop.

use std::{future::Future, io, pin::pin, sync::Arc, time::Duration};

use motore::{
    BoxError, Layer, Service,
    catch_panic::CatchPanic,
    layer::{Identity, Stack},
};
use tokio::{sync::Semaphore, task::JoinSet};
use volo::net::Incoming;

use super::{
    IntoIncoming,
    conn::{self, Shared},
    shutdown::{Shutdown, TriggerOnDrop},
};
use crate::{EntryMessage, ServerContext, codec::DEFAULT_MAX_FRAME_SIZE};

/// The default time in-flight calls get to finish after a shutdown signal.
const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time a connection may stay idle before the server closes it.
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The default time replies may wait without the client taking a byte of
/// them before the server closes the connection.
const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Options of a server.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) max_frame_size: usize,
    pub(crate) max_connections: Option<usize>,
    pub(crate) max_concurrent_calls: Option<usize>,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) write_timeout: Option<Duration>,
}

/// A Thrift server: a service (the generated dispatcher around a handler)
/// and the layers around it, with connection options.
///
/// Layers form an onion around the service: [`layer`](Self::layer) adds a
/// layer inside those added before it, [`layer_front`](Self::layer_front)
/// outside all of them. A request passes the outermost layer first. The
/// framework itself wraps the whole stack so that a panic anywhere in it
/// becomes an `INTERNAL_ERROR` reply.
///
/// ```no_run
/// # use volo_thrift::{EntryMessage, ServerContext, server::{Server, ctrl_c_or_sigterm}};
/// # async fn example<S, Req, Resp>(service: S) -> std::io::Result<()>
/// # where
/// #     S: motore::Service<ServerContext, Req, Response = Resp> + Send + Sync + 'static,
/// #     S::Error: Into<motore::BoxError>,
/// #     Req: EntryMessage + 'static,
/// #     Resp: EntryMessage + Sync + 'static,
/// # {
/// let addr: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
/// Server::new(service)
///     .max_concurrent_calls(10_000)
///     .shutdown_timeout(std::time::Duration::from_secs(5))
///     .run_with_shutdown(addr, ctrl_c_or_sigterm())
///     .await
/// # }
/// ```
#[derive(Debug)]
#[must_use]
pub struct Server<S, L> {
    service: S,
    layer: L,
    config: Config,
}

impl<S> Server<S, Identity> {
    /// A server for `service`, with the default options: frames up to
    /// 16 MiB, no limit on connections or concurrent calls, idle
    /// connections closed after 10 minutes, connections whose client takes
    /// no reply for 30 s closed, and 10 s for in-flight calls to finish
    /// after a shutdown signal.
    pub fn new(service: S) -> Self {
        Self {
            service,
            layer: Identity::new(),
            config: Config {
                max_frame_size: DEFAULT_MAX_FRAME_SIZE,
                max_connections: None,
                max_concurrent_calls: None,
                shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
                idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
                write_timeout: Some(DEFAULT_WRITE_TIMEOUT),
            },
        }
    }
}

impl<S, L> Server<S, L> {
    /// Adds a layer inside the layers added so far (closest to the service).
    pub fn layer<O>(self, layer: O) -> Server<S, Stack<O, L>> {
        Server {
            service: self.service,
            layer: Stack::new(layer, self.layer),
            config: self.config,
        }
    }

    /// Adds a layer outside the layers added so far (the first to see a
    /// request).
    pub fn layer_front<O>(self, layer: O) -> Server<S, Stack<L, O>> {
        Server {
            service: self.service,
            layer: Stack::new(self.layer, layer),
            config: self.config,
        }
    }

    /// The largest frame (or buffered message) read or written, in bytes.
    pub fn max_frame_size(mut self, max: usize) -> Self {
        self.config.max_frame_size = max;
        self
    }

    /// The most connections served at once; further clients wait in the
    /// listen backlog until a connection closes.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.config.max_connections = Some(max.max(1));
        self
    }

    /// The most calls handled at once across all connections. A request read
    /// while the limit is reached waits for a slot, and its connection reads
    /// nothing more meanwhile; an idle connection holds no slot.
    pub fn max_concurrent_calls(mut self, max: usize) -> Self {
        self.config.max_concurrent_calls = Some(max.max(1));
        self
    }

    /// How long a connection may go without a request, with no call in
    /// flight, before the server closes it (`None`: never; default 10
    /// minutes). Clients that keep idle connections notice the close before
    /// reusing one (this crate's pool does); a call in flight, however long,
    /// keeps its connection open. The close comes between one and one and
    /// a half timeouts after the last request or reply.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// How long replies may wait for the socket, with the client taking
    /// not a byte of them, before the server closes the connection (`None`:
    /// never; default 30 s). A client that stops reading its replies would
    /// otherwise hold its connection, and its share of the connection
    /// limit, for ever; one that reads slowly keeps it. Like the idle
    /// timeout, it is checked coarsely: the close comes between one and one
    /// and a half timeouts after the last byte written.
    pub fn write_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.write_timeout = timeout;
        self
    }

    /// How long in-flight calls get to finish after a shutdown signal before
    /// their connections are closed anyway.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.config.shutdown_timeout = timeout;
        self
    }

    /// Serves on `target` until the process ends. See
    /// [`run_with_shutdown`](Self::run_with_shutdown).
    pub async fn run<T, Req, Resp>(self, target: T) -> io::Result<()>
    where
        T: IntoIncoming,
        L: Layer<S>,
        L::Service: Service<ServerContext, Req, Response = Resp> + Send + Sync + 'static,
        <L::Service as Service<ServerContext, Req>>::Error: Into<BoxError>,
        Req: EntryMessage + 'static,
        Resp: EntryMessage + 'static,
    {
        self.run_with_shutdown(target, std::future::pending()).await
    }

    /// Serves on `target` (an address to bind or a bound listener) until
    /// `signal` completes, then shuts down gracefully: stops accepting, stops
    /// reading new requests, marks the remaining replies with TTHeader's
    /// `crrst` ("do not reuse this connection"), lets in-flight calls finish
    /// within the [shutdown timeout](Self::shutdown_timeout), and closes.
    ///
    /// Fails only if binding fails; errors on single connections are logged
    /// and affect no other connection.
    pub async fn run_with_shutdown<T, Req, Resp>(
        self,
        target: T,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()>
    where
        T: IntoIncoming,
        L: Layer<S>,
        L::Service: Service<ServerContext, Req, Response = Resp> + Send + Sync + 'static,
        <L::Service as Service<ServerContext, Req>>::Error: Into<BoxError>,
        Req: EntryMessage + 'static,
        Resp: EntryMessage + 'static,
    {
        let mut incoming = target.into_incoming().await?;
        let shutdown = TriggerOnDrop(Arc::new(Shutdown::default()));
        let shared = Arc::new(Shared {
            service: CatchPanic::new(self.layer.layer(self.service)),
            max_frame_size: self.config.max_frame_size,
            calls: self
                .config
                .max_concurrent_calls
                .map(|n| Arc::new(Semaphore::new(n))),
            shutdown: Arc::clone(&shutdown.0),
            idle_timeout: self.config.idle_timeout,
            write_timeout: self.config.write_timeout,
        });
        let connections = self
            .config
            .max_connections
            .map(|n| Arc::new(Semaphore::new(n)));
        let mut conns = JoinSet::new();
        let mut signal = pin!(signal);
        loop {
            let permit = match &connections {
                Some(sem) => tokio::select! {
                    () = &mut signal => break,
                    permit = Arc::clone(sem).acquire_owned() => permit.ok(),
                },
                None => None,
            };
            tokio::select! {
                () = &mut signal => break,
                accepted = incoming.accept() => match accepted {
                    Ok((io, peer)) => {
                        let shared = Arc::clone(&shared);
                        conns.spawn(async move {
                            conn::serve::<_, Req, _>(io, peer, shared).await;
                            drop(permit);
                        });
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        // Out of file descriptors, most likely: let some close.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
        drop(incoming);
        shutdown.0.trigger();
        let drained = tokio::time::timeout(self.config.shutdown_timeout, async {
            while conns.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                connections = conns.len(),
                "shutdown timeout passed; closing the remaining connections"
            );
            conns.shutdown().await;
        }
        Ok(())
    }
}
