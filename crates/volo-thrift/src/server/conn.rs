//! One server connection, served by one task: it reads requests, runs the
//! first call in flight itself and spawns the others (so calls pipelined on
//! the connection run concurrently), and writes the replies, coalesced.
//!
//! A client that sends one call at a time (a pooled connection) thus costs
//! one task and no channel: the call is read, handled and answered without
//! leaving the connection's task.

use std::{
    collections::BTreeMap,
    future::{Future, poll_fn},
    pin::{Pin, pin},
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use faststr::FastStr;
use metainfo::MetaInfo;
use motore::{BoxError, Service, catch_panic::Panicked};
use pilota::thrift::{
    ApplicationException, ApplicationExceptionKind, TMessageIdentifier, TMessageType,
};
use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep, sleep_until};
use tokio::{
    io::AsyncWrite,
    sync::{OwnedSemaphorePermit, Semaphore},
    task::{JoinError, JoinSet},
};
use tracing::Instrument;
use volo::{
    context::{Role, RpcInfo},
    net::{Address, SplitIo},
};

use crate::{
    EntryMessage, ServerContext, ServerInfo,
    codec::{
        Body, CodecErrorKind, Decoder, Encoder, Format, Frame,
        ttheader::{BizStatus, TTHeader, flags},
    },
    server::{
        shutdown::Shutdown,
        watchdog::{State, Verdict, Watchdog},
    },
    util::poll_once,
};

/// What every connection of a server shares.
#[derive(Debug)]
pub(crate) struct Shared<S> {
    pub(crate) service: S,
    pub(crate) max_frame_size: usize,
    pub(crate) calls: Option<Arc<Semaphore>>,
    pub(crate) shutdown: Arc<Shutdown>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) write_timeout: Option<Duration>,
}

/// A reply on its way to the wire.
struct Reply<Resp> {
    format: Format,
    header: Option<TTHeader>,
    id: TMessageIdentifier,
    body: Body<Resp>,
}

/// A finished request: its reply (`None` for a oneway call), its place in
/// request order (`None` if its reply may go out of order), and the bytes
/// it was counted for when read.
struct Done<Resp> {
    slot: Option<u64>,
    size: usize,
    reply: Option<Reply<Resp>>,
}

/// Requests one connection may have between being read and their reply
/// being written; past it the connection stops reading, so a client that
/// pipelines without reading replies cannot grow the server's memory.
pub(crate) const MAX_IN_FLIGHT_PER_CONNECTION: usize = 1024;

/// Request bytes one connection may hold in calls not finished yet; past it
/// the connection stops reading. With the count above, this bounds what a
/// client pipelining large requests to slow handlers can make the server
/// keep: 16 MiB, plus the one frame read when under it (itself at most the
/// maximum frame size).
pub(crate) const MAX_REQUEST_BYTES_PER_CONNECTION: usize = 16 * 1024 * 1024;

/// Bytes of encoded replies waiting for the socket past which a connection
/// writes before it reads more requests. Replies are written once nothing
/// else is ready; under a steady stream of requests this bounds how long
/// they wait (about 64 one-KiB replies), and it is also all the memory a
/// client that never reads its replies can make the server keep.
pub(crate) const MAX_UNWRITTEN_PER_CONNECTION: usize = 64 * 1024;

/// Serves one connection until the peer closes it, it breaks, or the server
/// shuts down.
pub(crate) async fn serve<S, Req, IO>(io: IO, peer: Address, shared: Arc<Shared<S>>)
where
    IO: SplitIo,
    S: Service<ServerContext, Req, Error = BoxError> + Send + Sync + 'static,
    S::Response: EntryMessage + 'static,
    Req: EntryMessage + 'static,
{
    let (r, w) = io.split_io();
    let mut decoder = Decoder::new(r).with_max_frame_size(shared.max_frame_size);
    let mut out = Outbox::new(Encoder::new(w).with_max_frame_size(shared.max_frame_size));
    let mut down = shared.shutdown.watch();
    // The call this task runs itself, and the ones it spawned.
    let mut inline = pin!(None);
    let mut spawned = JoinSet::new();
    // With a server-wide call limit, a call waits here for a permit, and the
    // connection reads nothing more meanwhile.
    let mut waiting: Option<(Call<Req>, Option<u64>, usize)> = None;
    // A call to start once the select below is done with its branches.
    let mut ready = None;
    let mut next_slot = 0u64;
    let mut reading = true;
    let mut watchdog = Watchdog::new(shared.idle_timeout, shared.write_timeout, Instant::now());
    let mut check = pin!(watchdog.as_ref().map(|w| sleep_until(w.first_check())));
    loop {
        let quiet = reading
            && out.in_flight == 0
            && waiting.is_none()
            && inline.is_none()
            && spawned.is_empty();
        let writing = out.encoder.needs_flush();
        let room = out.in_flight < MAX_IN_FLIGHT_PER_CONNECTION
            && out.request_bytes < MAX_REQUEST_BYTES_PER_CONNECTION
            && out.encoder.queued() < MAX_UNWRITTEN_PER_CONNECTION;
        tokio::select! {
            biased;
            () = &mut down, if reading => {
                reading = false;
                out.closing = true;
            }
            Some(joined) = spawned.join_next(), if !spawned.is_empty() => {
                if !out.finish_joined(joined, &peer) {
                    return;
                }
            }
            done = poll_inline(inline.as_mut()), if inline.is_some() => {
                inline.set(None);
                out.finish(done);
            }
            permit = acquire(shared.calls.as_ref()), if waiting.is_some() => {
                if let Some((call, slot, size)) = waiting.take() {
                    ready = Some((call, slot, size, permit));
                }
            }
            frame = decoder.next_frame(), if reading && room && waiting.is_none() => {
                let frame = match frame {
                    Ok(Some(frame)) => frame,
                    Ok(None) => {
                        reading = false;
                        continue;
                    }
                    Err(e) if e.is_io() => {
                        tracing::debug!(%peer, error = %e, "connection lost");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(%peer, error = %e, "malformed frame; closing the connection");
                        if let (Some(seq), Some(format)) = (e.seq_id(), decoder.failed_frame_format()) {
                            out.start(0);
                            out.finish(Done {
                                slot: Some(next_slot),
                                size: 0,
                                reply: Some(exception_reply(
                                    format,
                                    TMessageIdentifier::new(FastStr::empty(), TMessageType::Exception, seq),
                                    ApplicationExceptionKind::PROTOCOL_ERROR,
                                    e.to_string(),
                                )),
                            });
                        }
                        reading = false;
                        continue;
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
                let size = frame.payload().len();
                out.start(size);
                match accept_call::<Req, S::Response>(frame) {
                    Accepted::Call(call) if shared.calls.is_some() => {
                        waiting = Some((call, slot, size));
                    }
                    Accepted::Call(call) => ready = Some((call, slot, size, None)),
                    Accepted::Refused { reply, close } => {
                        out.finish(Done { slot, size, reply });
                        if close {
                            reading = false;
                        }
                    }
                }
            }
            flushed = out.encoder.flush(), if writing => {
                if let Err(e) = flushed {
                    tracing::debug!(%peer, error = %e, "writing replies failed");
                    return;
                }
            }
            // After the flush: a connection whose replies go out is polled
            // here only while the socket does not take them.
            () = poll_inline(check.as_mut()), if quiet || writing => {
                if let (Some(dog), Some(sleep)) = (watchdog.as_mut(), check.as_mut().as_pin_mut()) {
                    let state = if writing { State::Writing } else { State::Idle };
                    let progress = out.progress.wrapping_add(out.encoder.written());
                    match dog.check(Instant::now(), progress, state) {
                        Verdict::Keep(next) => sleep.reset(next),
                        Verdict::Idle => {
                            tracing::debug!(%peer, "idle connection closed");
                            break;
                        }
                        Verdict::Stalled => {
                            tracing::debug!(%peer, "the client takes no replies; closing the connection");
                            return;
                        }
                    }
                }
            }
            else => break,
        }
        if let Some((call, slot, size, permit)) = ready.take() {
            let shared = Arc::clone(&shared);
            let peer = peer.clone();
            let run = async move {
                let reply = handle(&shared, call, peer).await;
                drop(permit);
                Done { slot, size, reply }
            };
            if inline.is_none() {
                inline.set(Some(run));
            } else {
                spawned.spawn(run);
            }
        }
        // Take every other reply that is ready too; a call just read may
        // well finish on its first poll. Replies are written by the flush
        // branch, which comes last: only once no request is left to read
        // and no reply is ready, so that they go out in as few writes as
        // possible. (Under a steady stream of requests they thus wait until
        // the reader pauses or 64 KiB of them stop it: tokio's cooperative
        // budget does not help, as writes spend it too.)
        loop {
            let mut progressed = false;
            while let Some(joined) = spawned.try_join_next() {
                if !out.finish_joined(joined, &peer) {
                    return;
                }
                progressed = true;
            }
            if inline.is_some()
                && let Some(done) = poll_once(poll_inline(inline.as_mut())).await
            {
                inline.set(None);
                out.finish(done);
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
        if !reading
            && out.in_flight == 0
            && waiting.is_none()
            && inline.is_none()
            && spawned.is_empty()
        {
            break;
        }
    }
    let _ = out.encoder.shutdown().await;
}

/// Polls the call this task runs itself; pending when there is none.
async fn poll_inline<F: Future>(mut slot: Pin<&mut Option<F>>) -> F::Output {
    poll_fn(|cx| match slot.as_mut().as_pin_mut() {
        Some(f) => f.poll(cx),
        None => Poll::Pending,
    })
    .await
}

/// A permit of the server's call limit (none without a limit, or if the
/// semaphore closed).
async fn acquire(calls: Option<&Arc<Semaphore>>) -> Option<OwnedSemaphorePermit> {
    Arc::clone(calls?).acquire_owned().await.ok()
}

/// The replies of one connection on their way out: encoded in request order
/// (parked until their turn) unless they may go out of order.
struct Outbox<W, Resp> {
    encoder: Encoder<W>,
    /// Requests read and not yet encoded.
    in_flight: usize,
    /// Bytes of the requests read whose calls have not finished.
    request_bytes: usize,
    /// The server is shutting down: replies carry `crrst`.
    closing: bool,
    /// Grows with every request read and reply queued (for the watchdog).
    progress: u64,
    next: u64,
    parked: BTreeMap<u64, Option<Reply<Resp>>>,
}

impl<W: AsyncWrite + Unpin, Resp: EntryMessage> Outbox<W, Resp> {
    fn new(encoder: Encoder<W>) -> Self {
        Self {
            encoder,
            in_flight: 0,
            request_bytes: 0,
            closing: false,
            progress: 0,
            next: 0,
            parked: BTreeMap::new(),
        }
    }

    /// Counts a request read, of `size` bytes.
    fn start(&mut self, size: usize) {
        self.progress += 1;
        self.in_flight += 1;
        self.request_bytes += size;
    }

    /// Takes a finished request: encodes its reply now, or once the replies
    /// before it are out.
    fn finish(&mut self, done: Done<Resp>) {
        self.request_bytes -= done.size;
        match done.slot {
            None => self.encode(done.reply),
            Some(slot) if slot == self.next => {
                self.next += 1;
                self.encode(done.reply);
                while let Some(reply) = self.parked.remove(&self.next) {
                    self.next += 1;
                    self.encode(reply);
                }
            }
            Some(slot) => {
                self.parked.insert(slot, done.reply);
            }
        }
    }

    /// Takes the result of a spawned call; `false` if its task failed.
    /// Calls catch panics, so that is a bug or the runtime shutting down:
    /// the reply's place is lost, and the connection must close.
    fn finish_joined(&mut self, joined: Result<Done<Resp>, JoinError>, peer: &Address) -> bool {
        match joined {
            Ok(done) => {
                self.finish(done);
                true
            }
            Err(e) => {
                tracing::error!(%peer, error = %e, "a call task failed; closing the connection");
                false
            }
        }
    }

    fn encode(&mut self, reply: Option<Reply<Resp>>) {
        self.progress += 1;
        self.in_flight -= 1;
        let Some(Reply {
            format,
            mut header,
            id,
            body,
        }) = reply
        else {
            return;
        };
        if self.closing
            && let Some(h) = &mut header
        {
            h.set_crrst();
        }
        let Err(e) = self.encoder.encode(format, header.as_ref(), &id, &body) else {
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
        let header = header.map(|mut h| {
            h.set_msg_type(TMessageType::Exception);
            h
        });
        if let Err(e) = self.encoder.encode(format, header.as_ref(), &id, &body) {
            tracing::error!(error = %e, "error reply does not encode either");
        }
    }
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
                reply: Some(exception_reply(
                    format,
                    id,
                    ApplicationExceptionKind::INVALID_MESSAGE_TYPE,
                    message,
                )),
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
            let known = frame.message_id().ok();
            // A oneway call is never answered: its client reads no reply.
            let oneway = known
                .as_ref()
                .is_some_and(|id| id.message_type == TMessageType::OneWay);
            let reply = e.seq_id().filter(|_| !oneway).map(|seq| {
                // The method name, from the message header if it can be
                // read, else from the TTHeader.
                let name = known
                    .map(|id| id.name)
                    .or_else(|| header.as_ref().and_then(|h| h.to_method().cloned()))
                    .unwrap_or_default();
                let id = TMessageIdentifier::new(name, TMessageType::Exception, seq);
                exception_reply(format, id, kind, e.to_string())
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

/// An Exception reply to the call `id`, in `format`.
fn exception_reply<Resp>(
    format: Format,
    id: TMessageIdentifier,
    kind: ApplicationExceptionKind,
    message: String,
) -> Reply<Resp> {
    Reply {
        format,
        header: format
            .framing
            .is_ttheader()
            .then(|| reply_header(TMessageType::Exception)),
        id: TMessageIdentifier::new(id.name, TMessageType::Exception, id.sequence_number),
        body: Body::Exception(ApplicationException::new(kind, message)),
    }
}

/// Runs the handler for one call and builds its reply (`None` for oneway).
async fn handle<S, Req>(
    shared: &Shared<S>,
    Call {
        format,
        header,
        id,
        req,
    }: Call<Req>,
    peer: Address,
) -> Option<Reply<S::Response>>
where
    S: Service<ServerContext, Req, Error = BoxError> + Send + Sync,
{
    // The context is built in place: building it by value moved a few
    // hundred bytes per step, a measurable part of a pooled call.
    let mut cx = ServerContext::new(RpcInfo::new(Role::Server), ServerInfo::default());
    let mut mi = MetaInfo::new();
    let mut deadline = None;
    {
        let info = cx.rpc_info_mut();
        info.caller_mut().set_address(Some(peer));
        info.set_method(id.name.clone());
        if let Some(h) = &header {
            h.store_request_metainfo(&mut mi);
            if let Some(name) = h.from_service() {
                info.caller_mut().set_service_name(name.clone());
            }
            if let Some(name) = h.to_service() {
                info.callee_mut().set_service_name(name.clone());
            }
            deadline = h.rpc_timeout();
        }
    }
    let inner = cx.inner_mut();
    inner.set_seq_id(id.sequence_number);
    inner.set_message_type(id.message_type);
    inner.set_format(format);
    inner.set_isn(header.as_ref().and_then(|h| h.isn().cloned()));
    let start = inner.timings_mut().record_start();
    if let Some(timeout) = deadline {
        inner.timings_mut().set_deadline(start.checked_add(timeout));
    }
    // The handler's future is built inside a block: a local of this
    // function keeps its place in this future's state across the await,
    // even once moved out. (Measured: a pooled call's whole future went
    // from 3.9 KiB to 2.3 KiB; the request is taken apart in the signature
    // for the same reason.)
    let (result, mi) = {
        let span = tracing::debug_span!(
            "thrift_call",
            service = %cx.rpc_info().callee().service_name(),
            method = %id.name,
            seq_id = id.sequence_number,
        );
        let call = Deadline::new(shared.service.call(&mut cx, req), deadline);
        metainfo::scope_and_take(mi, call.instrument(span))
    }
    .await;
    cx.timings_mut().record_end();
    if id.message_type == TMessageType::OneWay {
        if let Err(e) = result {
            tracing::warn!(method = %id.name, error = %e, "oneway call failed");
        }
        return None;
    }
    let mut biz = None;
    let (ty, body) = match result {
        Ok(resp) => (TMessageType::Reply, Body::Message(resp)),
        Err(e) => {
            let exception = match e.downcast::<BizStatus>() {
                // The status goes in the TTHeader; the body is an exception
                // with its text, for clients that do not read the header.
                Ok(status) => {
                    let exception = ApplicationException::new(
                        ApplicationExceptionKind::INTERNAL_ERROR,
                        FastStr::from_string(status.to_string()),
                    );
                    biz = Some(*status);
                    exception
                }
                Err(e) => to_exception(e),
            };
            (TMessageType::Exception, Body::Exception(exception))
        }
    };
    // The request's header, emptied, becomes the reply's: its vectors are
    // reused rather than freed and allocated again.
    let header = header.map(|mut h| {
        h.clear();
        h.set_msg_type(ty);
        h.extend_response_metainfo(&mi);
        if let Some(status) = biz.as_ref().or(cx.biz_status()) {
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

pin_project! {
    /// The handler's future, cut off at the caller's TTHeader timeout if it
    /// sent one. (One future for both cases keeps the call's state small:
    /// it is moved as a whole on every call.)
    struct Deadline<F> {
        #[pin]
        fut: F,
        #[pin]
        sleep: Option<Sleep>,
        timeout: Duration,
    }
}

impl<F> Deadline<F> {
    fn new(fut: F, timeout: Option<Duration>) -> Self {
        Self {
            fut,
            sleep: timeout.map(tokio::time::sleep),
            timeout: timeout.unwrap_or_default(),
        }
    }
}

impl<F, T> Future for Deadline<F>
where
    F: Future<Output = Result<T, BoxError>>,
{
    type Output = Result<T, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(out) = this.fut.poll(cx) {
            return Poll::Ready(out);
        }
        match this.sleep.as_pin_mut() {
            Some(sleep) => sleep
                .poll(cx)
                .map(|()| Err(Box::new(DeadlineExceeded(*this.timeout)) as BoxError)),
            None => Poll::Pending,
        }
    }
}

/// The handler did not finish within the caller's TTHeader timeout.
#[derive(Debug)]
struct DeadlineExceeded(Duration);

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
