//! One server connection: a reader that decodes requests and starts a task
//! per call, and a writer that sends the replies in order, coalesced.

use std::{collections::BTreeMap, sync::Arc};

use faststr::FastStr;
use metainfo::MetaInfo;
use motore::{BoxError, Service, catch_panic::Panicked};
use pilota::thrift::{
    ApplicationException, ApplicationExceptionKind, TMessageIdentifier, TMessageType,
};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch},
    task::JoinSet,
};
use tracing::Instrument;
use volo::{
    context::{Endpoint, Role, RpcInfo},
    net::Address,
};

use crate::{
    EntryMessage, ServerContext, ServerInfo,
    codec::{
        Body, CodecErrorKind, Decoder, Encoder, Format, Frame,
        ttheader::{TTHeader, flags},
    },
};

/// What every connection of a server shares.
#[derive(Debug)]
pub(crate) struct Shared<S> {
    pub(crate) service: S,
    pub(crate) max_frame_size: usize,
    pub(crate) calls: Option<Arc<Semaphore>>,
    pub(crate) shutdown: watch::Receiver<bool>,
}

/// A reply on its way to the writer.
struct Reply<Resp> {
    format: Format,
    header: Option<TTHeader>,
    id: TMessageIdentifier,
    body: Body<Resp>,
}

/// What the writer receives: a reply (or nothing, for a oneway call) with
/// its place in request order, or `None` if it may go out of order, and the
/// connection's in-flight permit, released once the reply is written.
struct Outgoing<Resp> {
    slot: Option<u64>,
    reply: Option<Reply<Resp>>,
    permit: OwnedSemaphorePermit,
}

/// Requests one connection may have between being read and their reply
/// being written; past it the connection stops reading, so a client that
/// pipelines without reading replies cannot grow the server's memory.
pub(crate) const MAX_IN_FLIGHT_PER_CONNECTION: usize = 1024;

/// Serves one connection until the peer closes it, it breaks, or the server
/// shuts down.
pub(crate) async fn serve<S, Req, IO>(io: IO, peer: Address, shared: Arc<Shared<S>>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: Service<ServerContext, Req, Error = BoxError> + Send + Sync + 'static,
    S::Response: EntryMessage + 'static,
    Req: EntryMessage + 'static,
{
    let (r, w) = tokio::io::split(io);
    let mut decoder = Decoder::new(r).with_max_frame_size(shared.max_frame_size);
    let encoder = Encoder::new(w).with_max_frame_size(shared.max_frame_size);
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_loop(encoder, rx, shared.shutdown.clone()));
    let mut shutdown = shared.shutdown.clone();
    let mut calls = JoinSet::new();
    let mut next_slot = 0u64;
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT_PER_CONNECTION));
    loop {
        // Wait for room before reading: a connection over a limit stops
        // reading, which pushes back on the client.
        let conn_permit = tokio::select! {
            biased;
            _ = shutdown.wait_for(|down| *down) => break,
            permit = Arc::clone(&in_flight).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let permit = match &shared.calls {
            Some(sem) => tokio::select! {
                biased;
                _ = shutdown.wait_for(|down| *down) => break,
                permit = Arc::clone(sem).acquire_owned() => permit.ok(),
            },
            None => None,
        };
        let frame = tokio::select! {
            biased;
            _ = shutdown.wait_for(|down| *down) => break,
            Some(_) = calls.join_next(), if !calls.is_empty() => continue,
            frame = decoder.next_frame() => frame,
        };
        let frame = match frame {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(e) if e.is_io() => {
                tracing::debug!(%peer, error = %e, "connection lost");
                break;
            }
            Err(e) => {
                tracing::warn!(%peer, error = %e, "malformed frame; closing the connection");
                if let (Some(seq), Some(format)) = (e.seq_id(), decoder.failed_frame_format()) {
                    let id =
                        TMessageIdentifier::new(FastStr::empty(), TMessageType::Exception, seq);
                    let reply = Reply {
                        format,
                        header: format
                            .framing
                            .is_ttheader()
                            .then(|| reply_header(TMessageType::Exception)),
                        id,
                        body: Body::Exception(ApplicationException::new(
                            ApplicationExceptionKind::PROTOCOL_ERROR,
                            FastStr::from_string(e.to_string()),
                        )),
                    };
                    let _ = tx.send(Outgoing {
                        slot: Some(next_slot),
                        reply: Some(reply),
                        permit: conn_permit,
                    });
                }
                break;
            }
        };
        let slot = if frame
            .header()
            .is_some_and(|h| h.has_flag(flags::SUPPORT_OUT_OF_ORDER))
        {
            None
        } else {
            next_slot += 1;
            Some(next_slot - 1)
        };
        let call = match accept_call::<Req, S::Response>(frame) {
            Accepted::Call(call) => call,
            Accepted::Refused { reply, close } => {
                let _ = tx.send(Outgoing {
                    slot,
                    reply,
                    permit: conn_permit,
                });
                if close {
                    break;
                }
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        let tx = tx.clone();
        let peer = peer.clone();
        calls.spawn(async move {
            let reply = handle(&shared, call, peer).await;
            drop(permit);
            let _ = tx.send(Outgoing {
                slot,
                reply,
                permit: conn_permit,
            });
        });
    }
    // In-flight calls finish (and are answered) before the writer closes.
    while calls.join_next().await.is_some() {}
    drop(tx);
    let _ = writer.await;
}

/// Kitex's exception code for an `isn` the server does not host.
const UNKNOWN_SERVICE: ApplicationExceptionKind = ApplicationExceptionKind::from_i32(20);

/// A decoded call, ready for the handler.
struct Call<Req> {
    format: Format,
    header: Option<TTHeader>,
    id: TMessageIdentifier,
    req: Req,
}

/// What becomes of a request frame.
enum Accepted<Req, Resp> {
    /// A call for the handler.
    Call(Call<Req>),
    /// Not a call: the reply to send instead (if the sequence id is known),
    /// and whether the connection must close.
    Refused {
        reply: Option<Reply<Resp>>,
        close: bool,
    },
}

/// Decodes a frame into a call, or into the answer to send instead.
fn accept_call<Req: EntryMessage, Resp>(mut frame: Frame) -> Accepted<Req, Resp> {
    let format = frame.format();
    let decoded = frame.decode::<Req>();
    let header = frame.take_header();
    let exception = |header: Option<TTHeader>, id: TMessageIdentifier, kind, message: String| {
        let id = TMessageIdentifier::new(id.name, TMessageType::Exception, id.sequence_number);
        Some(Reply {
            format,
            header: header.map(|_| reply_header(TMessageType::Exception)),
            id,
            body: Body::Exception(ApplicationException::new(kind, message)),
        })
    };
    match decoded {
        Ok((id, Body::Message(req)))
            if matches!(id.message_type, TMessageType::Call | TMessageType::OneWay) =>
        {
            Accepted::Call(Call {
                format,
                header,
                id,
                req,
            })
        }
        Ok((id, _)) => {
            let message = format!("a {:?} message is not a request", id.message_type);
            Accepted::Refused {
                reply: exception(
                    header,
                    id,
                    ApplicationExceptionKind::INVALID_MESSAGE_TYPE,
                    message,
                ),
                close: false,
            }
        }
        Err(e) => {
            let (kind, fatal) = match e.kind() {
                CodecErrorKind::UnknownMethod => (ApplicationExceptionKind::UNKNOWN_METHOD, false),
                CodecErrorKind::UnknownService => (UNKNOWN_SERVICE, false),
                _ => (ApplicationExceptionKind::PROTOCOL_ERROR, true),
            };
            if fatal {
                tracing::warn!(error = %e, "request does not decode; closing the connection");
            }
            let reply = e.seq_id().and_then(|seq| {
                // The method name, from the message header if it can be
                // read, else from the TTHeader.
                let name = frame
                    .message_id()
                    .ok()
                    .map(|id| id.name)
                    .or_else(|| header.as_ref().and_then(|h| h.to_method().cloned()))
                    .unwrap_or_default();
                let id = TMessageIdentifier::new(name, TMessageType::Exception, seq);
                exception(header, id, kind, e.to_string())
            });
            Accepted::Refused {
                reply,
                close: fatal,
            }
        }
    }
}

fn reply_header(ty: TMessageType) -> TTHeader {
    let mut h = TTHeader::new();
    h.set_msg_type(ty);
    h
}

/// Runs the handler for one call and builds its reply (`None` for oneway).
async fn handle<S, Req>(
    shared: &Shared<S>,
    call: Call<Req>,
    peer: Address,
) -> Option<Reply<S::Response>>
where
    S: Service<ServerContext, Req, Error = BoxError> + Send + Sync,
{
    let Call {
        format,
        header,
        id,
        req,
    } = call;
    let mut mi = MetaInfo::new();
    let mut caller = Endpoint::default().with_address(peer);
    let mut callee = Endpoint::default();
    let mut deadline = None;
    if let Some(h) = &header {
        h.store_request_metainfo(&mut mi);
        if let Some(name) = h.from_service() {
            caller.set_service_name(name.clone());
        }
        if let Some(name) = h.to_service() {
            callee.set_service_name(name.clone());
        }
        deadline = h.rpc_timeout();
    }
    let info = RpcInfo::new(Role::Server)
        .with_caller(caller)
        .with_callee(callee)
        .with_method(id.name.clone());
    let mut inner = ServerInfo::default();
    inner.set_seq_id(id.sequence_number);
    inner.set_message_type(id.message_type);
    inner.set_format(format);
    inner.set_isn(header.as_ref().and_then(|h| h.isn().cloned()));
    let start = inner.timings_mut().record_start();
    if let Some(timeout) = deadline {
        inner.timings_mut().set_deadline(start.checked_add(timeout));
    }
    let span = tracing::debug_span!(
        "thrift_call",
        service = %info.callee().service_name(),
        method = %id.name,
        seq_id = id.sequence_number,
    );
    let mut cx = ServerContext::new(info, inner);
    let call = async {
        let fut = shared.service.call(&mut cx, req);
        match deadline {
            Some(timeout) => tokio::time::timeout(timeout, fut)
                .await
                .unwrap_or_else(|_| Err(Box::new(DeadlineExceeded(timeout)) as BoxError)),
            None => fut.await,
        }
    };
    let (result, mi) = metainfo::scope_and_take(mi, call.instrument(span)).await;
    cx.timings_mut().record_end();
    if id.message_type == TMessageType::OneWay {
        if let Err(e) = result {
            tracing::warn!(method = %id.name, error = %e, "oneway call failed");
        }
        return None;
    }
    let (ty, body) = match result {
        Ok(resp) => (TMessageType::Reply, Body::Message(resp)),
        Err(e) => (TMessageType::Exception, Body::Exception(to_exception(e))),
    };
    let header = header.map(|_| {
        let mut h = reply_header(ty);
        h.extend_response_metainfo(&mi);
        if let Some(status) = cx.biz_status() {
            h.set_biz_status(status);
        }
        h
    });
    Some(Reply {
        format,
        header,
        id: TMessageIdentifier::new(id.name, ty, id.sequence_number),
        body,
    })
}

/// The handler did not finish within the caller's TTHeader timeout.
#[derive(Debug)]
struct DeadlineExceeded(std::time::Duration);

impl std::fmt::Display for DeadlineExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "deadline exceeded: the caller's timeout of {:?} passed",
            self.0
        )
    }
}

impl std::error::Error for DeadlineExceeded {}

/// The exception a handler error is answered with.
fn to_exception(e: BoxError) -> ApplicationException {
    match e.downcast::<ApplicationException>() {
        Ok(app) => *app,
        Err(e) => {
            let message = match e.downcast_ref::<Panicked>() {
                Some(p) => {
                    tracing::error!(panic = %p, "handler panicked");
                    format!("handler panicked: {}", p.message())
                }
                None => e.to_string(),
            };
            ApplicationException::new(ApplicationExceptionKind::INTERNAL_ERROR, message)
        }
    }
}

/// Writes replies: in request order for ordered calls, at once for the
/// others, everything that is ready in one flush.
async fn write_loop<W, Resp>(
    mut encoder: Encoder<W>,
    mut rx: mpsc::UnboundedReceiver<Outgoing<Resp>>,
    shutdown: watch::Receiver<bool>,
) where
    W: AsyncWrite + Unpin,
    Resp: EntryMessage,
{
    let mut next = 0u64;
    let mut parked: BTreeMap<u64, Outgoing<Resp>> = BTreeMap::new();
    let mut written = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut item = Some(first);
        while let Some(outgoing) = item.take() {
            match outgoing.slot {
                None => {
                    encode(&mut encoder, outgoing.reply, &shutdown);
                    written.push(outgoing.permit);
                }
                Some(slot) => {
                    parked.insert(slot, outgoing);
                    while let Some(outgoing) = parked.remove(&next) {
                        next += 1;
                        encode(&mut encoder, outgoing.reply, &shutdown);
                        written.push(outgoing.permit);
                    }
                }
            }
            item = rx.try_recv().ok();
        }
        if encoder.queued() > 0
            && let Err(e) = encoder.flush().await
        {
            tracing::debug!(error = %e, "writing replies failed");
            return;
        }
        written.clear();
    }
    let _ = encoder.shutdown().await;
}

fn encode<W: AsyncWrite + Unpin, Resp: EntryMessage>(
    encoder: &mut Encoder<W>,
    reply: Option<Reply<Resp>>,
    shutdown: &watch::Receiver<bool>,
) {
    let Some(Reply {
        format,
        mut header,
        id,
        body,
    }) = reply
    else {
        return;
    };
    if *shutdown.borrow()
        && let Some(h) = &mut header
    {
        h.set_crrst();
    }
    let Err(e) = encoder.encode(format, header.as_ref(), &id, &body) else {
        return;
    };
    // The reply itself cannot be written (too large, or broken generated
    // code): tell the client instead of leaving it waiting.
    tracing::error!(method = %id.name, error = %e, "reply does not encode");
    let id = TMessageIdentifier::new(id.name, TMessageType::Exception, id.sequence_number);
    let body = Body::<Resp>::Exception(ApplicationException::new(
        ApplicationExceptionKind::INTERNAL_ERROR,
        FastStr::from_string(format!("the reply could not be encoded: {e}")),
    ));
    if let Some(h) = &mut header {
        h.set_msg_type(TMessageType::Exception);
    }
    if let Err(e) = encoder.encode(format, header.as_ref(), &id, &body) {
        tracing::error!(error = %e, "error reply does not encode either");
    }
}
