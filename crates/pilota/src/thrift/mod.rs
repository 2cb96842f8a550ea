//! Thrift: the protocol traits, the binary and compact protocols, and the
//! types generated code shares.
//!
//! Generated code implements [`Message`] by calling the methods of
//! [`TOutputProtocol`], [`TInputProtocol`] and [`TLengthProtocol`]; the
//! [`binary`] and [`compact`] modules implement them. Decoding is zero-copy
//! (strings and binaries are slices of the input [`Bytes`](bytes::Bytes)) and
//! safe on hostile input: see [`DecodeLimits`].

mod application_exception;
pub mod binary;
pub mod compact;
mod error;
mod limits;
mod protocol;
mod reader;
mod transcode;
mod types;
mod unknown;

pub use self::{
    application_exception::{ApplicationException, ApplicationExceptionKind},
    error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind},
    limits::DecodeLimits,
    protocol::{Message, TInputProtocol, TLengthProtocol, TOutputProtocol},
    types::{TMessageIdentifier, TMessageType, TType},
    unknown::{Protocol, UnknownField, UnknownFields},
};
