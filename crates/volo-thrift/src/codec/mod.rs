//! The Thrift codec: transport detection, framing, TTHeader, and messages.
//!
//! - [`Decoder`] reads [`Frame`]s from an `AsyncRead`. It detects the
//!   transport from the first bytes of the connection (TTHeader with a framed
//!   or bare payload, framed, buffered; binary strict or not, or compact) and
//!   bounds every length by a maximum frame size.
//! - [`Frame::decode`] reads the message inside a frame: its header
//!   ([`TMessageIdentifier`](pilota::thrift::TMessageIdentifier)) and a
//!   [`Body`], a service's [`EntryMessage`](crate::EntryMessage) or an
//!   `ApplicationException`.
//! - [`Encoder`] writes messages in any [`Format`] to an `AsyncWrite`,
//!   computing each message's exact size first and coalescing queued
//!   messages into vectored writes.
//! - [`ttheader`] holds the TTHeader header and its typed keys (metainfo,
//!   timeouts, service and method names, business status, `crrst`, `isn`).

mod detect;
mod error;
mod format;
mod frame;
mod io;
mod message;
pub mod ttheader;

pub use self::{
    error::{CodecError, CodecErrorKind},
    format::{Format, Framing, Protocol},
    frame::Frame,
    io::{DEFAULT_MAX_FRAME_SIZE, Decoder, Encoder},
    message::Body,
};

pub(crate) use self::{io::encode_message, message::BodyRef};
