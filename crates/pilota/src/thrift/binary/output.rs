//! The binary output protocol.

use bytes::Bytes;
use faststr::FastStr;

use crate::{
    LinkedBytes, WriteBuf,
    thrift::{
        EncodeError, TMessageIdentifier, TOutputProtocol, TType, UnknownFields,
        transcode::write_foreign_field, unknown::Protocol,
    },
};

/// The version word of a strict message header, without the message type.
pub(super) const VERSION_1: u32 = 0x8001_0000;

/// Writes the binary protocol into a [`WriteBuf`].
///
/// Message headers are strict (versioned) by default; see
/// [`TBinaryProtocol::with_strict_write`].
#[derive(Debug)]
pub struct TBinaryProtocol<B> {
    buf: B,
    strict_write: bool,
}

impl<B: WriteBuf> TBinaryProtocol<B> {
    /// A protocol writing strict message headers into `buf`.
    #[inline]
    pub fn new(buf: B) -> Self {
        Self {
            buf,
            strict_write: true,
        }
    }

    /// Chooses strict (versioned, the default) or old non-strict message
    /// headers.
    #[must_use]
    pub fn with_strict_write(mut self, strict: bool) -> Self {
        self.strict_write = strict;
        self
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
    fn write_len(&mut self, what: &'static str, len: usize) -> Result<(), EncodeError> {
        let len = i32::try_from(len).map_err(|_| EncodeError::too_long(what, len))?;
        self.buf.write_slice(&len.to_be_bytes());
        Ok(())
    }
}

impl<B: WriteBuf> TOutputProtocol for TBinaryProtocol<B> {
    fn write_message_begin(&mut self, id: &TMessageIdentifier) -> Result<(), EncodeError> {
        if self.strict_write {
            let word = VERSION_1 | u32::from(id.message_type.as_u8());
            self.buf.write_slice(&word.to_be_bytes());
            self.write_string(&id.name)?;
        } else {
            self.write_string(&id.name)?;
            self.buf.write_u8(id.message_type.as_u8());
        }
        self.write_i32(id.sequence_number)
    }

    #[inline]
    fn write_message_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_struct_begin(&mut self, _name: &'static str) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_struct_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_field_begin(&mut self, ttype: TType, id: i16) -> Result<(), EncodeError> {
        let id = id.to_be_bytes();
        self.buf.write_slice(&[ttype.as_u8(), id[0], id[1]]);
        Ok(())
    }

    #[inline]
    fn write_field_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_field_stop(&mut self) -> Result<(), EncodeError> {
        self.buf.write_u8(TType::Stop.as_u8());
        Ok(())
    }

    #[inline]
    fn write_bool(&mut self, v: bool) -> Result<(), EncodeError> {
        self.buf.write_u8(u8::from(v));
        Ok(())
    }

    #[inline]
    fn write_i8(&mut self, v: i8) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_i16(&mut self, v: i16) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_i32(&mut self, v: i32) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_i64(&mut self, v: i64) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_double(&mut self, v: f64) -> Result<(), EncodeError> {
        self.buf.write_slice(&v.to_bits().to_be_bytes());
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
        self.buf.write_u8(elem.as_u8());
        self.write_len("list", len)
    }

    #[inline]
    fn write_list_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError> {
        self.buf.write_u8(elem.as_u8());
        self.write_len("set", len)
    }

    #[inline]
    fn write_set_end(&mut self) -> Result<(), EncodeError> {
        Ok(())
    }

    #[inline]
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<(), EncodeError> {
        self.buf.write_slice(&[key.as_u8(), value.as_u8()]);
        self.write_len("map", len)
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
            if field.protocol() == Protocol::Binary {
                self.write_field_begin(field.ttype(), field.id())?;
                self.buf.write_bytes(field.raw().clone());
            } else {
                write_foreign_field(self, field)?;
            }
        }
        Ok(())
    }
}
