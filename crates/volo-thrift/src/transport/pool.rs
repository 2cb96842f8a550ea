//! [`Pool`]: one call at a time per connection, connections kept for reuse.

use std::{
    collections::{HashMap, VecDeque},
    marker::PhantomData,
    pin::pin,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use motore::Service;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use volo::net::{Address, Dialer, OwnedReadHalf, OwnedWriteHalf};

use super::call;
use crate::util::{lock, poll_once};
use crate::{
    ClientContext, EntryMessage,
    client::ClientError,
    codec::{BodyRef, Decoder, Encoder, Frame},
};

/// Options of a [`Pool`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PoolConfig {
    /// Idle connections kept per host (default 32).
    pub max_idle_per_host: usize,
    /// How long an idle connection is kept (default 30 s).
    pub idle_timeout: Duration,
    /// The most connections open to one host at once, idle ones included;
    /// calls beyond it wait for a connection to be returned to the pool or
    /// closed (default: no limit).
    pub max_connections_per_host: Option<usize>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_idle_per_host: 32,
            idle_timeout: Duration::from_secs(30),
            max_connections_per_host: None,
        }
    }
}

impl PoolConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the idle connections kept per host.
    #[must_use]
    pub fn with_max_idle_per_host(mut self, n: usize) -> Self {
        self.max_idle_per_host = n;
        self
    }

    /// Sets how long an idle connection is kept.
    #[must_use]
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the most connections open to one host.
    #[must_use]
    pub fn with_max_connections_per_host(mut self, n: Option<usize>) -> Self {
        self.max_connections_per_host = n.map(|n| n.max(1));
        self
    }
}

/// A transport that uses each connection for one call at a time and keeps
/// connections for reuse.
///
/// A connection goes back to the pool only after a complete, well-formed
/// exchange, and not if the reply carried `crrst`. A call cancelled midway
/// (a timeout) drops its connection. Idle connections are reused most
/// recent first; one the server has closed (or sent anything on) is
/// noticed before it is used and dropped. A call is retried on a new
/// connection only when writing its request to a reused connection failed,
/// so the server cannot have run it: once a request is written, losing the
/// connection is an error, never a second execution.
///
/// Idle connections past the idle timeout are closed, those of hosts no
/// longer called too: at most once per idle timeout, a call returning its
/// connection sweeps every host, and forgets the hosts left with nothing.
/// (A client that makes no call at all sweeps nothing; the servers' own
/// idle timeouts close those connections.)
pub struct Pool<Resp> {
    inner: Arc<Inner>,
    _resp: PhantomData<fn() -> Resp>,
}

impl<Resp> Clone for Pool<Resp> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            _resp: PhantomData,
        }
    }
}

impl<Resp> std::fmt::Debug for Pool<Resp> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("inner", &self.inner).finish()
    }
}

#[derive(Debug)]
struct Inner {
    idle: Mutex<IdleHosts>,
    limits: Mutex<HashMap<Address, Arc<HostLimit>>>,
    config: PoolConfig,
    dialer: Dialer,
    max_frame_size: usize,
}

/// The idle connections of every host, and when hosts no longer called
/// were last let go of.
#[derive(Debug)]
struct IdleHosts {
    /// Per host, oldest first.
    hosts: HashMap<Address, VecDeque<Idle>>,
    swept: Instant,
}

impl IdleHosts {
    /// Closes the expired connections of every host, and forgets hosts with
    /// none left: with discovery, addresses come and go, and the pool must
    /// not keep connections (or an entry) for every address it ever
    /// called. Runs at most once per idle timeout, from a check-in; returns
    /// whether it ran.
    fn sweep(&mut self, now: Instant, timeout: Duration) -> bool {
        if now.duration_since(self.swept) < timeout {
            return false;
        }
        self.swept = now;
        self.hosts.retain(|_, list| {
            drop_expired(list, now, timeout);
            !list.is_empty()
        });
        true
    }
}

/// Drops the connections of `list` idle for `timeout` or longer.
fn drop_expired(list: &mut VecDeque<Idle>, now: Instant, timeout: Duration) {
    while list
        .front()
        .is_some_and(|e| now.duration_since(e.since) >= timeout)
    {
        list.pop_front();
    }
}

/// The connection limit of one host.
#[derive(Debug)]
struct HostLimit {
    /// One permit per connection open (idle ones included).
    slots: Arc<Semaphore>,
    /// Told when a connection goes back to the idle list: a call waiting for
    /// a slot can take that connection instead.
    returned: Notify,
}

#[derive(Debug)]
struct Idle {
    conn: PooledConn,
    since: Instant,
}

#[derive(Debug)]
struct PooledConn {
    decoder: Decoder<OwnedReadHalf>,
    encoder: Encoder<OwnedWriteHalf>,
    /// The slot of its host's connection limit, if there is one.
    limit: Option<(Arc<HostLimit>, OwnedSemaphorePermit)>,
}

impl PooledConn {
    /// Whether an idle connection can be reused: nothing arrived on it
    /// (no close, no stray bytes). Answers from the reactor's cached
    /// readiness, with a read only when it says something arrived.
    async fn is_open(&mut self) -> bool {
        if poll_once(self.decoder.get_ref().readable()).await.is_some()
            && poll_once(self.decoder.next_frame()).await.is_some()
        {
            // A close, an error, or a whole frame nobody asked for.
            return false;
        }
        // Readable with nothing new was a stale wake-up; but any byte read
        // (now, or after the last reply) would be taken for the next reply.
        self.decoder.buffered() == 0
    }
}

impl<Resp> Pool<Resp> {
    /// A pool dialing with `dialer`.
    pub fn new(dialer: Dialer, config: PoolConfig, max_frame_size: usize) -> Self {
        Self {
            _resp: PhantomData,
            inner: Arc::new(Inner {
                idle: Mutex::new(IdleHosts {
                    hosts: HashMap::new(),
                    swept: Instant::now(),
                }),
                limits: Mutex::default(),
                config,
                dialer,
                max_frame_size,
            }),
        }
    }

    /// The most recently used idle connection that is still open.
    async fn checkout(&self, addr: &Address) -> Option<PooledConn> {
        loop {
            let mut conn = {
                let mut idle = lock(&self.inner.idle);
                let list = idle.hosts.get_mut(addr)?;
                let entry = list.pop_back()?;
                if entry.since.elapsed() >= self.inner.config.idle_timeout {
                    // The newest is too old, so are all the others.
                    list.clear();
                    return None;
                }
                entry.conn
            };
            if conn.is_open().await {
                return Some(conn);
            }
        }
    }

    fn checkin(&self, addr: Address, conn: PooledConn) {
        let limit = conn.limit.as_ref().map(|(limit, _)| Arc::clone(limit));
        let swept = {
            let mut idle = lock(&self.inner.idle);
            // Taken under the lock, so that each list stays time-ordered.
            let now = Instant::now();
            let timeout = self.inner.config.idle_timeout;
            let list = idle.hosts.entry(addr).or_default();
            drop_expired(list, now, timeout);
            if list.len() < self.inner.config.max_idle_per_host {
                list.push_back(Idle { conn, since: now });
            }
            idle.sweep(now, timeout)
        };
        if let Some(limit) = limit {
            limit.returned.notify_one();
        }
        if swept {
            // A host's limit is held by its connections (idle ones too) and
            // by calls waiting for it; with none left, it can go.
            lock(&self.inner.limits).retain(|_, limit| Arc::strong_count(limit) > 1);
        }
    }

    /// A connection for a call that found none idle: a new one or, while
    /// the host is at its connection limit, whichever comes first of a free
    /// slot (then a new one) and a connection returned to the pool.
    async fn dial(&self, addr: &Address, cx: &ClientContext) -> Result<PooledConn, ClientError> {
        let limit = match self.inner.config.max_connections_per_host {
            Some(n) => {
                let limit = Arc::clone(
                    lock(&self.inner.limits)
                        .entry(addr.clone())
                        .or_insert_with(|| {
                            Arc::new(HostLimit {
                                slots: Arc::new(Semaphore::new(n)),
                                returned: Notify::new(),
                            })
                        }),
                );
                // Made once: the call keeps its place in the queue for a
                // slot while it also looks at returned connections.
                let mut slot = pin!(Arc::clone(&limit.slots).acquire_owned());
                loop {
                    // A connection returned after the caller's checkout
                    // found none is not missed: `notify_one` keeps the
                    // wake-up for the next waiter.
                    tokio::select! {
                        permit = &mut slot => {
                            break permit.ok().map(|p| (limit, p));
                        }
                        () = limit.returned.notified() => {
                            if let Some(conn) = self.checkout(addr).await {
                                return Ok(conn);
                            }
                        }
                    }
                }
            }
            None => None,
        };
        let dialer = match cx.rpc_info().config().connect_timeout() {
            Some(t) => self.inner.dialer.clone().with_connect_timeout(Some(t)),
            None => self.inner.dialer.clone(),
        };
        let (r, w) = dialer
            .dial(addr)
            .await
            .map_err(ClientError::transport)?
            .into_split();
        Ok(PooledConn {
            decoder: Decoder::new(r).with_max_frame_size(self.inner.max_frame_size),
            encoder: Encoder::new(w).with_max_frame_size(self.inner.max_frame_size),
            limit,
        })
    }

    /// One exchange on `conn`: `Ok(None)` for oneway, `Err` with whether the
    /// request could not be written (so the server never saw all of it, and
    /// a retry cannot run the call twice).
    async fn exchange(
        conn: &mut PooledConn,
        cx: &ClientContext,
        req: &impl EntryMessage,
    ) -> Result<Option<Frame>, (ClientError, bool)> {
        // Straight into the connection's buffers, which are reused.
        let head = call::request_head(cx, false);
        conn.encoder
            .encode_ref(
                head.format,
                head.header.as_ref(),
                &head.id,
                BodyRef::Message(req),
            )
            .map_err(|e| (ClientError::from(e), false))?;
        conn.encoder
            .flush()
            .await
            .map_err(|e| (ClientError::from(e), true))?;
        if cx.is_oneway() {
            return Ok(None);
        }
        match conn.decoder.next_frame().await {
            Ok(Some(frame)) => Ok(Some(frame)),
            Ok(None) => Err((ClientError::connection_lost(), false)),
            Err(e) => Err((ClientError::from(e), false)),
        }
    }
}

impl<Req, Resp> Service<ClientContext, Req> for Pool<Resp>
where
    Req: EntryMessage + Sync + 'static,
    Resp: EntryMessage + 'static,
{
    type Response = Option<Resp>;
    type Error = ClientError;

    async fn call(&self, cx: &mut ClientContext, req: Req) -> Result<Option<Resp>, ClientError> {
        let addr = call::address(cx)?;
        let (conn, frame) = match self.checkout(&addr).await {
            Some(mut conn) => match Self::exchange(&mut conn, cx, &req).await {
                Ok(frame) => (conn, frame),
                // The request did not get out: try a new connection.
                Err((_, true)) => {
                    let mut conn = self.dial(&addr, cx).await?;
                    let frame = Self::exchange(&mut conn, cx, &req)
                        .await
                        .map_err(|(e, _)| e)?;
                    (conn, frame)
                }
                Err((e, false)) => return Err(e),
            },
            None => {
                let mut conn = self.dial(&addr, cx).await?;
                let frame = Self::exchange(&mut conn, cx, &req)
                    .await
                    .map_err(|(e, _)| e)?;
                (conn, frame)
            }
        };
        let Some(frame) = frame else {
            self.checkin(addr, conn);
            return Ok(None);
        };
        let reply = call::decode_reply(cx, &frame);
        let reusable = !frame.header().is_some_and(|h| h.crrst())
            && reply.as_ref().err().is_none_or(|e| !e.is_protocol());
        if reusable {
            self.checkin(addr, conn);
        }
        reply.map(Some)
    }
}
