//! [`Multiplex`]: many calls in flight on one connection per host.

use std::{
    collections::HashMap,
    marker::PhantomData,
    sync::{Arc, Mutex},
};

use motore::Service;
use pilota::LinkedBytes;
use tokio::sync::{mpsc, oneshot};
use volo::net::{Address, Conn, Dialer};

use super::call;
use crate::{
    ClientContext, EntryMessage,
    client::ClientError,
    codec::{Decoder, Encoder, Frame},
    util::lock,
};

/// Calls waiting for their reply, by sequence id; `None` once the
/// connection is gone, so that no call can wait on it any more.
type Pending = Arc<Mutex<Option<HashMap<i32, oneshot::Sender<Frame>>>>>;

/// A transport that sends every call to a host over one connection and
/// matches replies by sequence id, so calls never wait for each other.
///
/// A connection task writes the queued requests (coalesced) and reads
/// replies. When the connection breaks, every pending call fails at once
/// with a transport error; the next call dials again. A reply marked `crrst`
/// retires the connection: calls already on it finish, new ones dial.
pub struct Multiplex<Resp> {
    inner: Arc<Inner>,
    _resp: PhantomData<fn() -> Resp>,
}

impl<Resp> Clone for Multiplex<Resp> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            _resp: PhantomData,
        }
    }
}

impl<Resp> std::fmt::Debug for Multiplex<Resp> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Multiplex")
            .field("inner", &self.inner)
            .finish()
    }
}

#[derive(Debug)]
struct Inner {
    conns: Mutex<HashMap<Address, Arc<MuxConn>>>,
    dialer: Dialer,
    max_frame_size: usize,
}

#[derive(Debug)]
struct MuxConn {
    tx: mpsc::UnboundedSender<LinkedBytes>,
    pending: Pending,
}

impl MuxConn {
    fn is_open(&self) -> bool {
        !self.tx.is_closed() && lock(&self.pending).is_some()
    }
}

/// Removes a pending call when its caller stops waiting (a timeout).
struct PendingGuard<'a> {
    pending: &'a Pending,
    seq_id: i32,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        if let Some(map) = lock(self.pending).as_mut() {
            map.remove(&self.seq_id);
        }
    }
}

impl<Resp> Multiplex<Resp> {
    /// A multiplexing transport dialing with `dialer`.
    pub fn new(dialer: Dialer, max_frame_size: usize) -> Self {
        Self {
            _resp: PhantomData,
            inner: Arc::new(Inner {
                conns: Mutex::default(),
                dialer,
                max_frame_size,
            }),
        }
    }

    async fn conn(&self, addr: &Address, cx: &ClientContext) -> Result<Arc<MuxConn>, ClientError> {
        if let Some(conn) = lock(&self.inner.conns).get(addr)
            && conn.is_open()
        {
            return Ok(Arc::clone(conn));
        }
        let dialer = match cx.rpc_info().config().connect_timeout() {
            Some(t) => self.inner.dialer.clone().with_connect_timeout(Some(t)),
            None => self.inner.dialer.clone(),
        };
        let io = dialer.dial(addr).await.map_err(ClientError::transport)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let pending: Pending = Arc::new(Mutex::new(Some(HashMap::new())));
        tokio::spawn(run(io, rx, Arc::clone(&pending), self.inner.max_frame_size));
        let conn = Arc::new(MuxConn { tx, pending });
        lock(&self.inner.conns).insert(addr.clone(), Arc::clone(&conn));
        Ok(conn)
    }

    /// Stops handing out `conn` for new calls.
    fn retire(&self, addr: &Address, conn: &Arc<MuxConn>) {
        let mut conns = lock(&self.inner.conns);
        if conns.get(addr).is_some_and(|c| Arc::ptr_eq(c, conn)) {
            conns.remove(addr);
        }
    }
}

impl<Req, Resp> Service<ClientContext, Req> for Multiplex<Resp>
where
    Req: EntryMessage + Sync + 'static,
    Resp: EntryMessage + 'static,
{
    type Response = Option<Resp>;
    type Error = ClientError;

    async fn call(&self, cx: &mut ClientContext, req: Req) -> Result<Option<Resp>, ClientError> {
        let addr = call::address(cx)?;
        let conn = self.conn(&addr, cx).await?;
        let buf = call::encode_request(cx, &req, true, self.inner.max_frame_size)?;
        if cx.is_oneway() {
            conn.tx
                .send(buf)
                .map_err(|_| ClientError::connection_lost())?;
            return Ok(None);
        }
        let (tx, rx) = oneshot::channel();
        let seq_id = cx.seq_id();
        match lock(&conn.pending).as_mut() {
            Some(map) => map.insert(seq_id, tx),
            None => return Err(ClientError::connection_lost()),
        };
        let _guard = PendingGuard {
            pending: &conn.pending,
            seq_id,
        };
        conn.tx
            .send(buf)
            .map_err(|_| ClientError::connection_lost())?;
        let frame = rx.await.map_err(|_| ClientError::connection_lost())?;
        if frame.header().is_some_and(|h| h.crrst()) {
            self.retire(&addr, &conn);
        }
        call::decode_reply(cx, &frame).map(Some)
    }
}

/// The connection task: writes queued requests, hands replies to their
/// callers, and fails every pending call when the connection ends.
async fn run(
    io: Conn,
    mut rx: mpsc::UnboundedReceiver<LinkedBytes>,
    pending: Pending,
    max_frame_size: usize,
) {
    let (r, w) = io.into_split();
    let mut decoder = Decoder::new(r).with_max_frame_size(max_frame_size);
    let mut encoder = Encoder::new(w).with_max_frame_size(max_frame_size);
    loop {
        tokio::select! {
            buf = rx.recv() => {
                let Some(buf) = buf else { break };
                encoder.queue_encoded(buf);
                while let Ok(buf) = rx.try_recv() {
                    encoder.queue_encoded(buf);
                }
                if let Err(e) = encoder.flush().await {
                    tracing::debug!(error = %e, "multiplexed connection: write failed");
                    break;
                }
            }
            frame = decoder.next_frame() => {
                let frame = match frame {
                    Ok(Some(frame)) => frame,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::debug!(error = %e, "multiplexed connection: read failed");
                        break;
                    }
                };
                let Ok(seq_id) = frame.message_id().map(|id| id.sequence_number) else {
                    tracing::warn!("multiplexed connection: a reply without a readable header");
                    break;
                };
                let waiter = lock(&pending).as_mut().and_then(|map| map.remove(&seq_id));
                if let Some(waiter) = waiter {
                    let _ = waiter.send(frame);
                }
            }
        }
    }
    // Dropping the senders wakes every pending call with an error.
    lock(&pending).take();
    rx.close();
}
