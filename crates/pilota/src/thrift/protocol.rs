//! The protocol traits that generated code is written against.
//!
//! Generated code never names a concrete protocol: it is generic over
//! [`TOutputProtocol`], [`TInputProtocol`] and [`TLengthProtocol`], and each
//! protocol ([`binary`](super::binary), [`compact`](super::compact))
//! implements all three. Calls come in the order of the value on the wire:
//! `struct_begin`, then per field `field_begin`, the value, `field_end`, then
//! `field_stop` and `struct_end`; containers are bracketed by their
//! `*_begin`/`*_end` pair, which must always be called in pairs (the compact
//! protocol keeps per-struct state, and the input protocols count nesting
//! depth in them).

use bytes::Bytes;
use faststr::FastStr;

use super::{DecodeError, EncodeError, TMessageIdentifier, TType, UnknownFields};

/// Writes Thrift values into a buffer.
///
/// Methods only fail on lengths the protocol cannot express (longer than
/// `i32::MAX`) and on unknown fields that cannot be re-encoded.
pub trait TOutputProtocol {
    /// Writes a message header.
    fn write_message_begin(&mut self, id: &TMessageIdentifier) -> Result<(), EncodeError>;
    /// Ends a message (writes nothing in binary and compact).
    fn write_message_end(&mut self) -> Result<(), EncodeError>;
    /// Starts a struct (the name is not written).
    fn write_struct_begin(&mut self, name: &'static str) -> Result<(), EncodeError>;
    /// Ends a struct (call after [`write_field_stop`](Self::write_field_stop)).
    fn write_struct_end(&mut self) -> Result<(), EncodeError>;
    /// Writes a field header; the field's value follows.
    ///
    /// In the compact protocol the header of a `bool` field is written by the
    /// following [`write_bool`](Self::write_bool), which folds the value in.
    fn write_field_begin(&mut self, ttype: TType, id: i16) -> Result<(), EncodeError>;
    /// Ends a field (writes nothing in binary and compact).
    fn write_field_end(&mut self) -> Result<(), EncodeError>;
    /// Writes the STOP marker that ends a struct's fields.
    fn write_field_stop(&mut self) -> Result<(), EncodeError>;
    /// Writes a `bool`.
    fn write_bool(&mut self, v: bool) -> Result<(), EncodeError>;
    /// Writes an `i8`.
    fn write_i8(&mut self, v: i8) -> Result<(), EncodeError>;
    /// Writes an `i16`.
    fn write_i16(&mut self, v: i16) -> Result<(), EncodeError>;
    /// Writes an `i32` (also enums).
    fn write_i32(&mut self, v: i32) -> Result<(), EncodeError>;
    /// Writes an `i64`.
    fn write_i64(&mut self, v: i64) -> Result<(), EncodeError>;
    /// Writes a `double`.
    fn write_double(&mut self, v: f64) -> Result<(), EncodeError>;
    /// Writes a `uuid` (16 bytes, big-endian / RFC 4122 order).
    fn write_uuid(&mut self, v: [u8; 16]) -> Result<(), EncodeError>;
    /// Writes a `string` by copying it.
    fn write_string(&mut self, v: &str) -> Result<(), EncodeError>;
    /// Writes a `string`; a long one is linked into the buffer without a copy
    /// (see [`LinkedBytes`](crate::LinkedBytes)), a short one is copied (no
    /// reference count is touched).
    fn write_faststr(&mut self, v: &FastStr) -> Result<(), EncodeError>;
    /// Writes a `binary` by copying it.
    fn write_binary(&mut self, v: &[u8]) -> Result<(), EncodeError>;
    /// Writes a `binary`; a long one is linked into the buffer without a copy
    /// (see [`LinkedBytes`](crate::LinkedBytes)), a short one is copied.
    fn write_bytes(&mut self, v: &Bytes) -> Result<(), EncodeError>;
    /// Writes a list header for `len` elements of type `elem`.
    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError>;
    /// Ends a list (writes nothing in binary and compact).
    fn write_list_end(&mut self) -> Result<(), EncodeError>;
    /// Writes a set header for `len` elements of type `elem`.
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError>;
    /// Ends a set (writes nothing in binary and compact).
    fn write_set_end(&mut self) -> Result<(), EncodeError>;
    /// Writes a map header for `len` entries.
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<(), EncodeError>;
    /// Ends a map (writes nothing in binary and compact).
    fn write_map_end(&mut self) -> Result<(), EncodeError>;
    /// Writes the fields kept by [`TInputProtocol::read_unknown_field`], each
    /// with its header, as if they were fields of the struct being written.
    ///
    /// Fields decoded by the same protocol are written back byte for byte
    /// (zero-copy); fields decoded by the other protocol are transcoded.
    fn write_unknown_fields(&mut self, fields: &UnknownFields) -> Result<(), EncodeError>;
}

/// Reads Thrift values from a [`Bytes`] input without copying.
///
/// Every method fails with a typed [`DecodeError`] on malformed, truncated or
/// hostile input; none of them panics, and no length or count read from the
/// input is trusted before it has been checked against the remaining input.
pub trait TInputProtocol {
    /// Reads a message header.
    fn read_message_begin(&mut self) -> Result<TMessageIdentifier, DecodeError>;
    /// Ends a message (reads nothing in binary and compact).
    fn read_message_end(&mut self) -> Result<(), DecodeError>;
    /// Starts a struct; fails with `DepthLimit` past the nesting limit.
    fn read_struct_begin(&mut self) -> Result<(), DecodeError>;
    /// Ends a struct (after a field header of type [`TType::Stop`]).
    fn read_struct_end(&mut self) -> Result<(), DecodeError>;
    /// Reads a field header: its wire type and id. STOP gives `(Stop, 0)`.
    fn read_field_begin(&mut self) -> Result<(TType, i16), DecodeError>;
    /// Ends a field (reads nothing in binary and compact).
    fn read_field_end(&mut self) -> Result<(), DecodeError>;
    /// Reads a `bool` (in the compact protocol, a `bool` field's value comes
    /// from its header).
    fn read_bool(&mut self) -> Result<bool, DecodeError>;
    /// Reads an `i8`.
    fn read_i8(&mut self) -> Result<i8, DecodeError>;
    /// Reads an `i16`.
    fn read_i16(&mut self) -> Result<i16, DecodeError>;
    /// Reads an `i32`.
    fn read_i32(&mut self) -> Result<i32, DecodeError>;
    /// Reads an `i64`.
    fn read_i64(&mut self) -> Result<i64, DecodeError>;
    /// Reads a `double`.
    fn read_double(&mut self) -> Result<f64, DecodeError>;
    /// Reads a `uuid`.
    fn read_uuid(&mut self) -> Result<[u8; 16], DecodeError>;
    /// Reads a `string`: a slice of the input, validated as UTF-8.
    fn read_string(&mut self) -> Result<FastStr, DecodeError>;
    /// Reads a `binary`: a slice of the input.
    fn read_binary(&mut self) -> Result<Bytes, DecodeError>;
    /// Reads a list header: element type and count. The count has been
    /// checked against the remaining input, so it is safe to pre-allocate.
    fn read_list_begin(&mut self) -> Result<(TType, usize), DecodeError>;
    /// Ends a list.
    fn read_list_end(&mut self) -> Result<(), DecodeError>;
    /// Reads a set header: element type and count (checked like a list's).
    fn read_set_begin(&mut self) -> Result<(TType, usize), DecodeError>;
    /// Ends a set.
    fn read_set_end(&mut self) -> Result<(), DecodeError>;
    /// Reads a map header: key type, value type and count (checked like a
    /// list's). An empty compact map carries no types and gives
    /// `(Stop, Stop, 0)`.
    fn read_map_begin(&mut self) -> Result<(TType, TType, usize), DecodeError>;
    /// Ends a map.
    fn read_map_end(&mut self) -> Result<(), DecodeError>;
    /// Skips a value of type `ttype`, within the nesting limit.
    fn skip(&mut self, ttype: TType) -> Result<(), DecodeError>;
    /// Skips a field's value (its header has just been read) and keeps it in
    /// `into` as a zero-copy slice of the input, so that it can be written
    /// back with [`TOutputProtocol::write_unknown_fields`].
    fn read_unknown_field(
        &mut self,
        ttype: TType,
        id: i16,
        into: &mut UnknownFields,
    ) -> Result<(), DecodeError>;
}

/// Computes the exact number of bytes a [`TOutputProtocol`] will write.
///
/// It mirrors [`TOutputProtocol`] call by call (generated `size` code makes the
/// same calls as `encode`), so it carries the same state: the compact
/// protocol's field-id deltas depend on the previous field. Lengths beyond the
/// protocol's limits are counted as if they could be written; `encode` then
/// fails on them.
pub trait TLengthProtocol {
    /// Size of a message header.
    fn message_begin_len(&mut self, id: &TMessageIdentifier) -> usize;
    /// Size of a message end (0 in binary and compact).
    fn message_end_len(&mut self) -> usize;
    /// Size of a struct start (0 in binary and compact; call it for the state).
    fn struct_begin_len(&mut self, name: &'static str) -> usize;
    /// Size of a struct end (0 in binary and compact; call it for the state).
    fn struct_end_len(&mut self) -> usize;
    /// Size of a field header (in compact, a `bool` field's value is counted
    /// here and the following [`bool_len`](Self::bool_len) adds 0).
    fn field_begin_len(&mut self, ttype: TType, id: i16) -> usize;
    /// Size of a field end (0 in binary and compact).
    fn field_end_len(&mut self) -> usize;
    /// Size of the STOP marker.
    fn field_stop_len(&mut self) -> usize;
    /// Size of a `bool`.
    fn bool_len(&mut self, v: bool) -> usize;
    /// Size of an `i8`.
    fn i8_len(&mut self, v: i8) -> usize;
    /// Size of an `i16`.
    fn i16_len(&mut self, v: i16) -> usize;
    /// Size of an `i32`.
    fn i32_len(&mut self, v: i32) -> usize;
    /// Size of an `i64`.
    fn i64_len(&mut self, v: i64) -> usize;
    /// Size of a `double`.
    fn double_len(&mut self, v: f64) -> usize;
    /// Size of a `uuid`.
    fn uuid_len(&mut self, v: [u8; 16]) -> usize;
    /// Size of a `string`.
    fn string_len(&mut self, v: &str) -> usize;
    /// Size of a `string` held in a [`FastStr`].
    fn faststr_len(&mut self, v: &FastStr) -> usize;
    /// Size of a `binary`.
    fn binary_len(&mut self, v: &[u8]) -> usize;
    /// Size of a `binary` held in [`Bytes`].
    fn bytes_len(&mut self, v: &Bytes) -> usize;
    /// Size of a list header.
    fn list_begin_len(&mut self, elem: TType, len: usize) -> usize;
    /// Size of a list end (0 in binary and compact).
    fn list_end_len(&mut self) -> usize;
    /// Size of a set header.
    fn set_begin_len(&mut self, elem: TType, len: usize) -> usize;
    /// Size of a set end (0 in binary and compact).
    fn set_end_len(&mut self) -> usize;
    /// Size of a map header.
    fn map_begin_len(&mut self, key: TType, value: TType, len: usize) -> usize;
    /// Size of a map end (0 in binary and compact).
    fn map_end_len(&mut self) -> usize;
    /// Size of the unknown fields as [`TOutputProtocol::write_unknown_fields`]
    /// writes them (transcoded if they come from the other protocol).
    fn unknown_fields_len(&mut self, fields: &UnknownFields) -> usize;
}

/// A value that can be written to and read from any Thrift protocol.
///
/// Generated structs, unions, exceptions and RPC argument/result wrappers
/// implement it.
pub trait Message: Sized + Send {
    /// Writes the value.
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError>;
    /// Reads a value.
    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError>;
    /// The exact number of bytes [`encode`](Self::encode) writes with the
    /// matching output protocol.
    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize;
}

impl<M: Message> Message for Box<M> {
    #[inline]
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        (**self).encode(p)
    }

    #[inline]
    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        M::decode(p).map(Box::new)
    }

    #[inline]
    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        (**self).size(p)
    }
}
