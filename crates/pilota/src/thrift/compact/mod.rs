//! The Thrift compact protocol.
//!
//! Zigzag varints for integers, field ids delta-encoded against the previous
//! field of the same struct, `bool` field values folded into the field header,
//! one-byte headers for lists and sets shorter than 15, and little-endian
//! doubles.
//!
//! ```
//! use pilota::thrift::{compact, ApplicationException, ApplicationExceptionKind};
//!
//! let e = ApplicationException::new(ApplicationExceptionKind::INTERNAL_ERROR, "boom");
//! let bytes = compact::encode(&e)?;
//! assert_eq!(&bytes[..], b"\x18\x04boom\x15\x0c\x00");
//! assert_eq!(compact::decode::<ApplicationException>(bytes)?, e);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod field_ids;
mod input;
mod length;
mod output;
mod types;

use bytes::{Bytes, BytesMut};

pub use self::{
    input::TCompactInputProtocol, length::TCompactLengthProtocol, output::TCompactProtocol,
};
use super::{
    DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TMessageIdentifier,
    TOutputProtocol,
};

/// Encodes `value` (a struct, without a message header) into a buffer of
/// exactly the right size.
pub fn encode<M: Message>(value: &M) -> Result<Bytes, EncodeError> {
    let size = value.size(&mut TCompactLengthProtocol::new());
    let mut buf = BytesMut::with_capacity(size);
    value.encode(&mut TCompactProtocol::new(&mut buf))?;
    Ok(buf.freeze())
}

/// Decodes one value from the whole of `buf` (trailing bytes are an
/// `InvalidData` error), with the default limits.
pub fn decode<M: Message>(buf: Bytes) -> Result<M, DecodeError> {
    let mut p = TCompactInputProtocol::new(buf);
    let value = M::decode(&mut p)?;
    p.finish()?;
    Ok(value)
}

/// Encodes a message: a header for `id` followed by `value`.
pub fn encode_message<M: Message>(
    id: &TMessageIdentifier,
    value: &M,
) -> Result<Bytes, EncodeError> {
    let mut len = TCompactLengthProtocol::new();
    let size = len.message_begin_len(id) + value.size(&mut len) + len.message_end_len();
    let mut buf = BytesMut::with_capacity(size);
    let mut p = TCompactProtocol::new(&mut buf);
    p.write_message_begin(id)?;
    value.encode(&mut p)?;
    p.write_message_end()?;
    Ok(buf.freeze())
}

/// Decodes a message filling the whole of `buf`.
pub fn decode_message<M: Message>(buf: Bytes) -> Result<(TMessageIdentifier, M), DecodeError> {
    let mut p = TCompactInputProtocol::new(buf);
    let id = p.read_message_begin()?;
    let value = M::decode(&mut p)?;
    p.read_message_end()?;
    p.finish()?;
    Ok((id, value))
}
