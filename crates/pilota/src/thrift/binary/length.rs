//! The binary length protocol.

use bytes::Bytes;
use faststr::FastStr;

use crate::thrift::{
    TLengthProtocol, TMessageIdentifier, TType, UnknownFields, transcode::foreign_field_len,
    unknown::Protocol,
};

/// Computes the size of values in the binary protocol.
///
/// Pass the same strictness as the [`TBinaryProtocol`](super::TBinaryProtocol)
/// that will write: it changes the size of message headers.
#[derive(Debug, Clone, Copy)]
pub struct TBinaryLengthProtocol {
    strict_write: bool,
}

impl TBinaryLengthProtocol {
    /// A length protocol for strict message headers.
    #[inline]
    pub fn new() -> Self {
        Self { strict_write: true }
    }

    /// Counts strict (the default) or non-strict message headers.
    #[must_use]
    pub fn with_strict_write(mut self, strict: bool) -> Self {
        self.strict_write = strict;
        self
    }
}

impl Default for TBinaryLengthProtocol {
    fn default() -> Self {
        Self::new()
    }
}

impl TLengthProtocol for TBinaryLengthProtocol {
    fn message_begin_len(&mut self, id: &TMessageIdentifier) -> usize {
        // strict: version word + name + seq; non-strict: name + type byte + seq.
        let header = if self.strict_write { 4 } else { 1 };
        header + 4 + id.name.len() + 4
    }

    #[inline]
    fn message_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn struct_begin_len(&mut self, _name: &'static str) -> usize {
        0
    }

    #[inline]
    fn struct_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn field_begin_len(&mut self, _ttype: TType, _id: i16) -> usize {
        3
    }

    #[inline]
    fn field_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn field_stop_len(&mut self) -> usize {
        1
    }

    #[inline]
    fn bool_len(&mut self, _v: bool) -> usize {
        1
    }

    #[inline]
    fn i8_len(&mut self, _v: i8) -> usize {
        1
    }

    #[inline]
    fn i16_len(&mut self, _v: i16) -> usize {
        2
    }

    #[inline]
    fn i32_len(&mut self, _v: i32) -> usize {
        4
    }

    #[inline]
    fn i64_len(&mut self, _v: i64) -> usize {
        8
    }

    #[inline]
    fn double_len(&mut self, _v: f64) -> usize {
        8
    }

    #[inline]
    fn uuid_len(&mut self, _v: [u8; 16]) -> usize {
        16
    }

    #[inline]
    fn string_len(&mut self, v: &str) -> usize {
        4 + v.len()
    }

    #[inline]
    fn faststr_len(&mut self, v: &FastStr) -> usize {
        4 + v.len()
    }

    #[inline]
    fn binary_len(&mut self, v: &[u8]) -> usize {
        4 + v.len()
    }

    #[inline]
    fn bytes_len(&mut self, v: &Bytes) -> usize {
        4 + v.len()
    }

    #[inline]
    fn list_begin_len(&mut self, _elem: TType, _len: usize) -> usize {
        5
    }

    #[inline]
    fn list_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn set_begin_len(&mut self, _elem: TType, _len: usize) -> usize {
        5
    }

    #[inline]
    fn set_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn map_begin_len(&mut self, _key: TType, _value: TType, _len: usize) -> usize {
        6
    }

    #[inline]
    fn map_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn unknown_fields_len(&mut self, fields: &UnknownFields) -> usize {
        if fields.is_empty() {
            return 0;
        }
        fields
            .iter()
            .map(|field| {
                if field.protocol() == Protocol::Binary {
                    3 + field.raw().len()
                } else {
                    foreign_field_len(self, field)
                }
            })
            .sum()
    }
}
