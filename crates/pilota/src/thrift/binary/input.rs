//! The binary input protocol.

use bytes::Bytes;
use faststr::FastStr;

use super::output::VERSION_1;
use crate::thrift::{
    DecodeError, DecodeErrorKind, DecodeLimits, TInputProtocol, TMessageIdentifier, TMessageType,
    TType, UnknownFields,
    reader::{Reader, invalid_type_for, negative_size},
    unknown::Protocol,
};

/// The smallest encoding of a value of type `t` in the binary protocol, used
/// to bound container counts by the remaining input (0: not a value type).
#[inline]
fn min_size(t: TType) -> usize {
    match t {
        TType::Stop | TType::Void => 0,
        TType::Bool | TType::I8 | TType::Struct => 1,
        TType::I16 => 2,
        TType::I32 | TType::Binary => 4,
        TType::I64 | TType::Double => 8,
        TType::List | TType::Set => 5,
        TType::Map => 6,
        TType::Uuid => 16,
    }
}

/// Fixed width of a value of type `t`, if it has one.
#[inline]
fn fixed_size(t: TType) -> Option<usize> {
    match t {
        TType::Bool | TType::I8 => Some(1),
        TType::I16 => Some(2),
        TType::I32 => Some(4),
        TType::I64 | TType::Double => Some(8),
        TType::Uuid => Some(16),
        _ => None,
    }
}

/// Reads the binary protocol from a [`Bytes`], zero-copy.
///
/// Accepts strict and non-strict message headers unless
/// [`with_strict_read`](Self::with_strict_read) is set.
#[derive(Debug, Clone)]
pub struct TBinaryInputProtocol {
    r: Reader,
    strict_read: bool,
}

impl TBinaryInputProtocol {
    /// Reads `buf` with the default [`DecodeLimits`].
    #[inline]
    pub fn new(buf: Bytes) -> Self {
        Self::with_limits(buf, DecodeLimits::default())
    }

    /// Reads `buf` with the given limits.
    #[inline]
    pub fn with_limits(buf: Bytes, limits: DecodeLimits) -> Self {
        Self {
            r: Reader::new(buf, limits),
            strict_read: false,
        }
    }

    /// Rejects old non-strict message headers (`BadVersion`) when `strict`.
    #[must_use]
    pub fn with_strict_read(mut self, strict: bool) -> Self {
        self.strict_read = strict;
        self
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.r.position()
    }

    /// Bytes left to read.
    pub fn remaining(&self) -> usize {
        self.r.remaining()
    }

    /// Fails with `InvalidData` unless the whole input was read.
    pub fn finish(&self) -> Result<(), DecodeError> {
        self.r.finish()
    }

    #[inline]
    fn read_len(&mut self) -> Result<usize, DecodeError> {
        let n = self.read_i32()?;
        usize::try_from(n).map_err(|_| negative_size(n))
    }

    #[inline]
    fn read_ttype(&mut self) -> Result<TType, DecodeError> {
        TType::try_from(self.r.u8()?)
    }

    fn skip_value(&mut self, ttype: TType) -> Result<(), DecodeError> {
        if let Some(n) = fixed_size(ttype) {
            return self.r.advance(n);
        }
        match ttype {
            TType::Binary => {
                let len = self.read_len()?;
                self.r.check_len(len)?;
                self.r.advance(len)
            }
            TType::Struct => {
                self.read_struct_begin()?;
                loop {
                    let (t, _) = self.read_field_begin()?;
                    if t == TType::Stop {
                        break;
                    }
                    self.skip_value(t)?;
                }
                self.read_struct_end()
            }
            TType::List | TType::Set => {
                let (elem, len) = self.read_list_begin()?;
                self.skip_elements(elem, len)?;
                self.read_list_end()
            }
            TType::Map => {
                let (k, v, len) = self.read_map_begin()?;
                match (fixed_size(k), fixed_size(v)) {
                    (Some(a), Some(b)) => self.r.advance((a + b) * len)?,
                    _ => {
                        for _ in 0..len {
                            self.skip_value(k)?;
                            self.skip_value(v)?;
                        }
                    }
                }
                self.read_map_end()
            }
            _ => Err(invalid_type_for("value", ttype)),
        }
    }

    fn skip_elements(&mut self, elem: TType, len: usize) -> Result<(), DecodeError> {
        match fixed_size(elem) {
            // The count was checked against the remaining input, so this
            // product does not overflow.
            Some(n) => self.r.advance(n * len),
            None => (0..len).try_for_each(|_| self.skip_value(elem)),
        }
    }
}

impl TInputProtocol for TBinaryInputProtocol {
    fn read_message_begin(&mut self) -> Result<TMessageIdentifier, DecodeError> {
        let word = self.read_i32()?;
        let (name, message_type) = if word < 0 {
            let word = word as u32;
            if word & 0xffff_0000 != VERSION_1 {
                return Err(DecodeError::new(
                    DecodeErrorKind::BadVersion,
                    format!("bad binary protocol version word {word:#010x}"),
                ));
            }
            let message_type = TMessageType::try_from((word & 0xff) as u8)?;
            (self.read_string()?, message_type)
        } else {
            if self.strict_read {
                return Err(DecodeError::new(
                    DecodeErrorKind::BadVersion,
                    "non-strict message header while strict read is on",
                ));
            }
            // Non-strict: the word is the name's length.
            let name = self.r.string(word as usize)?;
            (name, TMessageType::try_from(self.r.u8()?)?)
        };
        let sequence_number = self.read_i32()?;
        Ok(TMessageIdentifier {
            name,
            message_type,
            sequence_number,
        })
    }

    #[inline]
    fn read_message_end(&mut self) -> Result<(), DecodeError> {
        Ok(())
    }

    #[inline]
    fn read_struct_begin(&mut self) -> Result<(), DecodeError> {
        self.r.enter()
    }

    #[inline]
    fn read_struct_end(&mut self) -> Result<(), DecodeError> {
        self.r.leave();
        Ok(())
    }

    #[inline]
    fn read_field_begin(&mut self) -> Result<(TType, i16), DecodeError> {
        let t = self.read_ttype()?;
        if t == TType::Stop {
            return Ok((TType::Stop, 0));
        }
        Ok((t, self.read_i16()?))
    }

    #[inline]
    fn read_field_end(&mut self) -> Result<(), DecodeError> {
        Ok(())
    }

    #[inline]
    fn read_bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.r.u8()? != 0)
    }

    #[inline]
    fn read_i8(&mut self) -> Result<i8, DecodeError> {
        Ok(self.r.u8()? as i8)
    }

    #[inline]
    fn read_i16(&mut self) -> Result<i16, DecodeError> {
        self.r.array().map(i16::from_be_bytes)
    }

    #[inline]
    fn read_i32(&mut self) -> Result<i32, DecodeError> {
        self.r.array().map(i32::from_be_bytes)
    }

    #[inline]
    fn read_i64(&mut self) -> Result<i64, DecodeError> {
        self.r.array().map(i64::from_be_bytes)
    }

    #[inline]
    fn read_double(&mut self) -> Result<f64, DecodeError> {
        self.r
            .array()
            .map(|b| f64::from_bits(u64::from_be_bytes(b)))
    }

    #[inline]
    fn read_uuid(&mut self) -> Result<[u8; 16], DecodeError> {
        self.r.array()
    }

    #[inline]
    fn read_string(&mut self) -> Result<FastStr, DecodeError> {
        let len = self.read_len()?;
        self.r.string(len)
    }

    #[inline]
    fn read_binary(&mut self) -> Result<Bytes, DecodeError> {
        let len = self.read_len()?;
        self.r.bytes(len)
    }

    #[inline]
    fn read_list_begin(&mut self) -> Result<(TType, usize), DecodeError> {
        let elem = self.read_ttype()?;
        let len = self.read_len()?;
        self.r.check_count(len, min_size(elem))?;
        self.r.enter()?;
        Ok((elem, len))
    }

    #[inline]
    fn read_list_end(&mut self) -> Result<(), DecodeError> {
        self.r.leave();
        Ok(())
    }

    #[inline]
    fn read_set_begin(&mut self) -> Result<(TType, usize), DecodeError> {
        self.read_list_begin()
    }

    #[inline]
    fn read_set_end(&mut self) -> Result<(), DecodeError> {
        self.read_list_end()
    }

    #[inline]
    fn read_map_begin(&mut self) -> Result<(TType, TType, usize), DecodeError> {
        let key = self.read_ttype()?;
        let value = self.read_ttype()?;
        let len = self.read_len()?;
        let (k, v) = (min_size(key), min_size(value));
        self.r
            .check_count(len, if k == 0 || v == 0 { 0 } else { k + v })?;
        self.r.enter()?;
        Ok((key, value, len))
    }

    #[inline]
    fn read_map_end(&mut self) -> Result<(), DecodeError> {
        self.r.leave();
        Ok(())
    }

    fn skip(&mut self, ttype: TType) -> Result<(), DecodeError> {
        self.skip_value(ttype)
    }

    fn read_unknown_field(
        &mut self,
        ttype: TType,
        id: i16,
        into: &mut UnknownFields,
    ) -> Result<(), DecodeError> {
        let start = self.r.position();
        self.skip_value(ttype)?;
        into.push(id, ttype, Protocol::Binary, self.r.slice_from(start));
        Ok(())
    }
}
