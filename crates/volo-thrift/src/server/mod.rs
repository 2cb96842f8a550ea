//! The Thrift server: a [`Server`] builder over a `motore` service stack; the
//! framework owns the accept loop and each connection.
//!
//! Each connection is served by one task, which runs the first call in
//! flight itself and spawns the others: a client that sends one call at a
//! time costs no task spawn and no channel per call, and calls pipelined on
//! one connection still run concurrently.
//!
//! Per connection, the transport and protocol are detected from the first
//! bytes, and every reply goes back in the format of its request. Calls
//! pipelined on one connection run concurrently; their replies are written
//! in request order (what Apache Thrift clients expect), except for TTHeader
//! requests with the support-out-of-order flag, whose replies go as soon as
//! they are ready. Replies that are ready together are written together.
//!
//! # Errors on the wire
//!
//! | what happened | the client gets |
//! |---|---|
//! | a declared exception | a normal reply (the generated response encodes it) |
//! | the handler returned an [`ApplicationException`](pilota::thrift::ApplicationException) | that exception |
//! | the handler returned a [`BizStatus`](crate::codec::ttheader::BizStatus) | the status in the TTHeader (`biz-status`, `biz-message`, `biz-extra`: the client reports a business error) over an `INTERNAL_ERROR` exception with its text (what clients without TTHeader get) |
//! | any other handler error | `INTERNAL_ERROR` with the error's text |
//! | the handler panicked | `INTERNAL_ERROR` "handler panicked: ..."; the server keeps serving |
//! | the TTHeader rpc timeout passed | `INTERNAL_ERROR` "deadline exceeded ..." |
//! | an unknown method | `UNKNOWN_METHOD` |
//! | an `isn` a [`Router`] does not host | code 20, Kitex's "unknown service" |
//! | a Reply or Exception sent as a request | `INVALID_MESSAGE_TYPE` |
//! | a request that does not decode | `PROTOCOL_ERROR` (when its sequence id is known), then the connection closes |
//! | bytes that are not a valid frame | the connection closes |
//!
//! Oneway calls get no reply, whatever happens.
//!
//! # Limits
//!
//! Every length on the wire is checked against the maximum frame size before
//! anything is buffered for it. A connection has at most 1,024 requests
//! between being read and their reply being encoded, at most 16 MiB of
//! requests whose calls have not finished (one more frame is read while
//! under it), and at most 64 KiB of encoded replies the socket has not taken
//! yet (and the server at most
//! [`max_concurrent_calls`](Server::max_concurrent_calls) in handlers); past
//! any limit it stops reading, which pushes back on the client: one that
//! sends without reading its replies, or pipelines large requests to slow
//! handlers, cannot grow the server's memory.
//! A connection with no request and no call in flight for the
//! [idle timeout](Server::idle_timeout) (10 minutes by default) is closed,
//! and so is one whose replies wait for the
//! [write timeout](Server::write_timeout) (30 s by default) without the
//! client taking a byte of them: a client that stops reading holds its
//! connection (and its few buffered replies) no longer than that. Both are
//! checked on a coarse timer, so the close comes between one and one and a
//! half timeouts after the connection's last progress.
//!
//! # Several services on one server
//!
//! A [`Router`] serves several IDL services, picked by the TTHeader `isn` of
//! each request (the first service when a request names none). The `isn` is
//! also available to layers as [`ServerInfo::isn`](crate::ServerInfo::isn).

mod builder;
mod conn;
mod incoming;
mod router;
mod shutdown;
mod signal;
mod watchdog;

pub use self::{
    builder::Server,
    incoming::IntoIncoming,
    router::{NamedService, Routed, Router, Routes},
    signal::ctrl_c_or_sigterm,
};
