//! The compact output protocol.

use bytes::Bytes;
use faststr::FastStr;

use super::{
    field_ids::FieldIdStack,
    types::{
        FALSE, PROTOCOL_ID, TRUE, TYPE_SHIFT, VERSION, compact_type, encode_varint, zigzag32,
        zigzag64,
    },
};
use crate::{
    LinkedBytes, WriteBuf,
    thrift::{
        EncodeError, EncodeErrorKind, TMessageIdentifier, TOutputProtocol, TType, UnknownFields,
        transcode::write_foreign_field, unknown::Protocol,
    },
};

/// Writes the compact protocol into a [`WriteBuf`].
///
/// It keeps the previous field id of every open struct (field ids are
/// delta-encoded) and holds back the header of a `bool` field until
/// [`write_bool`](TOutputProtocol::write_bool) folds the value into it.
#[derive(Debug)]
pub struct TCompactProtocol<B> {
    buf: B,
    field_ids: FieldIdStack,
    pending_bool_field: Option<i16>,
}

impl<B: WriteBuf> TCompactProtocol<B> {
    /// A protocol writing into `buf`.
    #[inline]
    pub fn new(buf: B) -> Self {
        Self {
            buf,
            field_ids: FieldIdStack::default(),
            pending_bool_field: None,
        }
    }

    /// The buffer.
    pub fn buf_mut(&mut self) -> &mut B {
        &mut self.buf
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> B {
        self.buf
    }

    #[inline]
    fn write_varint(&mut self, n: u64) {
        if n < 0x80 {
            self.buf.write_u8(n as u8);
        } else {
            let mut out = [0u8; 10];
            let len = encode_varint(n, &mut out);
            self.buf.write_slice(&out[..len]);
        }
    }

    #[inline]
    fn write_len(&mut self, what: &'static str, len: usize) -> Result<(), EncodeError> {
        if i32::try_from(len).is_err() {
            return Err(EncodeError::too_long(what, len));
        }
        self.write_varint(len as u64);
        Ok(())
    }

    #[inline]
    fn write_field_header(&mut self, ctype: u8, id: i16) {
        let delta = i32::from(id) - i32::from(self.field_ids.last);
        if (1..=15).contains(&delta) {
            self.buf.write_u8(((delta as u8) << 4) | ctype);
        } else {
            self.buf.write_u8(ctype);
            self.write_varint(u64::from(zigzag32(i32::from(id))));
        }
        self.field_ids.last = id;
    }

    #[inline]
    fn write_collection_begin(
        &mut self,
        what: &'static str,
        elem: TType,
        len: usize,
    ) -> Result<(), EncodeError> {
        let ctype = ctype(elem)?;
        if len < 15 {
            self.buf.write_u8(((len as u8) << 4) | ctype);
            Ok(())
        } else {
            self.buf.write_u8(0xf0 | ctype);
            self.write_len(what, len)
        }
    }
}

#[inline]
fn ctype(t: TType) -> Result<u8, EncodeError> {
    compact_type(t).ok_or_else(|| {
        EncodeError::new(EncodeErrorKind::InvalidData, "VOID has no compact type id")
    })
}

impl<B: WriteBuf> TOutputProtocol for TCompactProtocol<B> {
    fn write_message_begin(&mut self, id: &TMessageIdentifier) -> Result<(), EncodeError> {
        self.buf.write_slice(&[
            PROTOCOL_ID,
            (id.message_type.as_u8() << TYPE_SHIFT) | VERSION,
        ]);
        self.write_varint(u64::from(id.sequence_number as u32));
        self.write_string(&id.name)
    }

    #[inline]
    fn write_message_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_struct_begin(&mut self, _name: &'static str) -> Result<(), EncodeError> {
        self.field_ids.push();
        Ok(())
    }

    #[inline]
    fn write_struct_end(&mut self) -> Result<(), EncodeError> {
        self.field_ids.pop();
        Ok(())
    }

    #[inline]
    fn write_field_begin(&mut self, ttype: TType, id: i16) -> Result<(), EncodeError> {
        if ttype == TType::Bool {
            self.pending_bool_field = Some(id);
        } else {
            let ctype = ctype(ttype)?;
            self.write_field_header(ctype, id);
        }
        Ok(())
    }

    #[inline]
    fn write_field_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_field_stop(&mut self) -> Result<(), EncodeError> {
        self.buf.write_u8(0);
        Ok(())
    }

    #[inline]
    fn write_bool(&mut self, v: bool) -> Result<(), EncodeError> {
        let b = if v { TRUE } else { FALSE };
        match self.pending_bool_field.take() {
            Some(id) => self.write_field_header(b, id),
            None => self.buf.write_u8(b),
        }
        Ok(())
    }

    #[inline]
    fn write_i8(&mut self, v: i8) -> Result<(), EncodeError> {
        self.buf.write_u8(v as u8);
        Ok(())
    }

    #[inline]
    fn write_i16(&mut self, v: i16) -> Result<(), EncodeError> {
        self.write_varint(u64::from(zigzag32(i32::from(v))));
        Ok(())
    }

    #[inline]
    fn write_i32(&mut self, v: i32) -> Result<(), EncodeError> {
        self.write_varint(u64::from(zigzag32(v)));
        Ok(())
    }

    #[inline]
    fn write_i64(&mut self, v: i64) -> Result<(), EncodeError> {
        self.write_varint(zigzag64(v));
        Ok(())
    }

    #[inline]
    fn write_double(&mut self, v: f64) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    #[inline]
    fn write_uuid(&mut self, v: [u8; 16]) -> Result<(), EncodeError> {
        self.buf.write_slice(&v);
        Ok(())
    }

    #[inline]
    fn write_string(&mut self, v: &str) -> Result<(), EncodeError> {
        self.write_binary(v.as_bytes())
    }

    #[inline]
    fn write_faststr(&mut self, v: &FastStr) -> Result<(), EncodeError> {
        if v.len() >= LinkedBytes::ZERO_COPY_THRESHOLD {
            self.write_bytes(&v.clone().into_bytes())
        } else {
            self.write_binary(v.as_bytes())
        }
    }

    #[inline]
    fn write_binary(&mut self, v: &[u8]) -> Result<(), EncodeError> {
        self.write_len("binary", v.len())?;
        self.buf.write_slice(v);
        Ok(())
    }

    #[inline]
    fn write_bytes(&mut self, v: &Bytes) -> Result<(), EncodeError> {
        if v.len() < LinkedBytes::ZERO_COPY_THRESHOLD {
            return self.write_binary(v);
        }
        self.write_len("binary", v.len())?;
        self.buf.write_bytes(v.clone());
        Ok(())
    }

    #[inline]
    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError> {
        self.write_collection_begin("list", elem, len)
    }

    #[inline]
    fn write_list_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError> {
        self.write_collection_begin("set", elem, len)
    }

    #[inline]
    fn write_set_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<(), EncodeError> {
        if len == 0 {
            self.buf.write_u8(0);
        } else {
            let kv = (ctype(key)? << 4) | ctype(value)?;
            self.write_len("map", len)?;
            self.buf.write_u8(kv);
        }
        Ok(())
    }

    #[inline]
    fn write_map_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_unknown_fields(&mut self, fields: &UnknownFields) -> Result<(), EncodeError> {
        if fields.is_empty() {
            return Ok(());
        }
        for field in fields {
            if field.protocol() != Protocol::Compact {
                write_foreign_field(self, field)?;
            } else if field.ttype() == TType::Bool {
                self.write_field_begin(TType::Bool, field.id())?;
                self.write_bool(field.raw().first() == Some(&TRUE))?;
            } else {
                self.write_field_begin(field.ttype(), field.id())?;
                self.buf.write_bytes(field.raw().clone());
            }
        }
        Ok(())
    }
}
