//! The Thrift binary protocol.
//!
//! Fixed-width big-endian integers, `i32` lengths, and three header bytes per
//! field. Message headers are strict (`0x8001` version word) or, for old
//! peers, non-strict; [`TBinaryInputProtocol`] accepts both by default.
//!
//! ```
//! use pilota::thrift::{binary, ApplicationException, ApplicationExceptionKind};
//!
//! let e = ApplicationException::new(ApplicationExceptionKind::UNKNOWN_METHOD, "no such method");
//! let bytes = binary::encode(&e)?;
//! assert_eq!(binary::decode::<ApplicationException>(bytes)?, e);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod input;
mod length;
mod output;

use bytes::{Bytes, BytesMut};

pub use self::{
    input::TBinaryInputProtocol, length::TBinaryLengthProtocol, output::TBinaryProtocol,
};
use super::{
    DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TMessageIdentifier,
    TOutputProtocol,
};

/// Encodes `value` (a struct, without a message header) into a buffer of
/// exactly the right size.
pub fn encode<M: Message>(value: &M) -> Result<Bytes, EncodeError> {
    let size = value.size(&mut TBinaryLengthProtocol::new());
    let mut buf = BytesMut::with_capacity(size);
    value.encode(&mut TBinaryProtocol::new(&mut buf))?;
    Ok(buf.freeze())
}

/// Decodes one value from the whole of `buf` (trailing bytes are an
/// `InvalidData` error), with the default limits.
pub fn decode<M: Message>(buf: Bytes) -> Result<M, DecodeError> {
    let mut p = TBinaryInputProtocol::new(buf);
    let value = M::decode(&mut p)?;
    p.finish()?;
    Ok(value)
}

/// Encodes a message: a strict header for `id` followed by `value`.
pub fn encode_message<M: Message>(
    id: &TMessageIdentifier,
    value: &M,
) -> Result<Bytes, EncodeError> {
    let mut len = TBinaryLengthProtocol::new();
    let size = len.message_begin_len(id) + value.size(&mut len) + len.message_end_len();
    let mut buf = BytesMut::with_capacity(size);
    let mut p = TBinaryProtocol::new(&mut buf);
    p.write_message_begin(id)?;
    value.encode(&mut p)?;
    p.write_message_end()?;
    Ok(buf.freeze())
}

/// Decodes a message (strict or non-strict header) filling the whole of
/// `buf`.
pub fn decode_message<M: Message>(buf: Bytes) -> Result<(TMessageIdentifier, M), DecodeError> {
    let mut p = TBinaryInputProtocol::new(buf);
    let id = p.read_message_begin()?;
    let value = M::decode(&mut p)?;
    p.read_message_end()?;
    p.finish()?;
    Ok((id, value))
}
