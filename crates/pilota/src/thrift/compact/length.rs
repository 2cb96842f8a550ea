//! The compact length protocol.

use bytes::Bytes;
use faststr::FastStr;

use super::{
    field_ids::FieldIdStack,
    types::{varint_len, zigzag32, zigzag64},
};
use crate::thrift::{
    TLengthProtocol, TMessageIdentifier, TType, UnknownFields, transcode::foreign_field_len,
    unknown::Protocol,
};

/// Computes the size of values in the compact protocol.
///
/// Like [`TCompactProtocol`](super::TCompactProtocol) it tracks the previous
/// field id of every open struct, so it must see the same calls in the same
/// order as the output protocol.
#[derive(Debug, Default)]
pub struct TCompactLengthProtocol {
    field_ids: FieldIdStack,
    pending_bool_field: bool,
}

impl TCompactLengthProtocol {
    /// A fresh length protocol.
    #[inline]
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    fn len_len(len: usize) -> usize {
        varint_len(len as u64) + len
    }
}

impl TLengthProtocol for TCompactLengthProtocol {
    fn message_begin_len(&mut self, id: &TMessageIdentifier) -> usize {
        2 + varint_len(u64::from(id.sequence_number as u32)) + Self::len_len(id.name.len())
    }

    #[inline]
    fn message_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn struct_begin_len(&mut self, _name: &'static str) -> usize {
        self.field_ids.push();
        0
    }

    #[inline]
    fn struct_end_len(&mut self) -> usize {
        self.field_ids.pop();
        0
    }

    #[inline]
    fn field_begin_len(&mut self, ttype: TType, id: i16) -> usize {
        let delta = i32::from(id) - i32::from(self.field_ids.last);
        self.field_ids.last = id;
        self.pending_bool_field = ttype == TType::Bool;
        if (1..=15).contains(&delta) {
            1
        } else {
            1 + varint_len(u64::from(zigzag32(i32::from(id))))
        }
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
        if std::mem::take(&mut self.pending_bool_field) {
            0
        } else {
            1
        }
    }

    #[inline]
    fn i8_len(&mut self, _v: i8) -> usize {
        1
    }

    #[inline]
    fn i16_len(&mut self, v: i16) -> usize {
        varint_len(u64::from(zigzag32(i32::from(v))))
    }

    #[inline]
    fn i32_len(&mut self, v: i32) -> usize {
        varint_len(u64::from(zigzag32(v)))
    }

    #[inline]
    fn i64_len(&mut self, v: i64) -> usize {
        varint_len(zigzag64(v))
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
        Self::len_len(v.len())
    }

    #[inline]
    fn faststr_len(&mut self, v: &FastStr) -> usize {
        Self::len_len(v.len())
    }

    #[inline]
    fn binary_len(&mut self, v: &[u8]) -> usize {
        Self::len_len(v.len())
    }

    #[inline]
    fn bytes_len(&mut self, v: &Bytes) -> usize {
        Self::len_len(v.len())
    }

    #[inline]
    fn list_begin_len(&mut self, _elem: TType, len: usize) -> usize {
        if len < 15 {
            1
        } else {
            1 + varint_len(len as u64)
        }
    }

    #[inline]
    fn list_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn set_begin_len(&mut self, elem: TType, len: usize) -> usize {
        self.list_begin_len(elem, len)
    }

    #[inline]
    fn set_end_len(&mut self) -> usize {
        0
    }

    #[inline]
    fn map_begin_len(&mut self, _key: TType, _value: TType, len: usize) -> usize {
        if len == 0 {
            1
        } else {
            varint_len(len as u64) + 1
        }
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
                if field.protocol() != Protocol::Compact {
                    foreign_field_len(self, field)
                } else {
                    let header = self.field_begin_len(field.ttype(), field.id());
                    if field.ttype() == TType::Bool {
                        self.pending_bool_field = false;
                        header
                    } else {
                        header + field.raw().len()
                    }
                }
            })
            .sum()
    }
}
