//! The compact input protocol.

use bytes::Bytes;
use faststr::FastStr;

use super::{
    field_ids::FieldIdStack,
    types::{
        FALSE, PROTOCOL_ID, TRUE, TYPE_SHIFT, VERSION, VERSION_MASK, VarintError, decode_varint,
        ttype, unzigzag32, unzigzag64,
    },
};
use crate::thrift::{
    DecodeError, DecodeErrorKind, DecodeLimits, TInputProtocol, TMessageIdentifier, TMessageType,
    TType, UnknownFields,
    reader::{Reader, invalid_type_for, negative_size},
    unknown::Protocol,
};

/// The smallest encoding of a value of type `t` in the compact protocol
/// (0: not a value type).
#[inline]
fn min_size(t: TType) -> usize {
    match t {
        TType::Stop | TType::Void => 0,
        TType::Double => 8,
        TType::Uuid => 16,
        _ => 1,
    }
}

static TRUE_RAW: [u8; 1] = [TRUE];
static FALSE_RAW: [u8; 1] = [FALSE];

/// Reads the compact protocol from a [`Bytes`], zero-copy.
#[derive(Debug, Clone)]
pub struct TCompactInputProtocol {
    r: Reader,
    field_ids: FieldIdStack,
    pending_bool: Option<bool>,
}

impl TCompactInputProtocol {
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
            field_ids: FieldIdStack::default(),
            pending_bool: None,
        }
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
    fn read_varint(&mut self, max_len: usize, max_bits: u32) -> Result<u64, DecodeError> {
        let rest = self.r.rest();
        if let Some(&b) = rest.first()
            && b < 0x80
        {
            self.r.consume(1);
            return Ok(u64::from(b));
        }
        match decode_varint(rest, max_len, max_bits) {
            Ok((v, n)) => {
                self.r.consume(n);
                Ok(v)
            }
            Err(VarintError::Eof) => Err(self.r.eof(rest.len() + 1)),
            Err(VarintError::TooLong) => Err(DecodeError::invalid_data(format!(
                "varint longer than {max_len} bytes at offset {}",
                self.r.position()
            ))),
            Err(VarintError::Overflow) => Err(DecodeError::invalid_data(format!(
                "varint at offset {} does not fit in {max_bits} bits",
                self.r.position()
            ))),
        }
    }

    #[inline]
    fn read_varint32(&mut self) -> Result<u32, DecodeError> {
        self.read_varint(5, 32).map(|v| v as u32)
    }

    /// A length or count: a varint that must fit a non-negative `i32`.
    #[inline]
    fn read_len(&mut self) -> Result<usize, DecodeError> {
        let n = self.read_varint32()? as i32;
        usize::try_from(n).map_err(|_| negative_size(n))
    }

    fn skip_value(&mut self, t: TType) -> Result<(), DecodeError> {
        match t {
            TType::Bool => self.read_bool().map(drop),
            TType::I8 => self.r.advance(1),
            TType::I16 | TType::I32 => self.read_varint(5, 32).map(drop),
            TType::I64 => self.read_varint(10, 64).map(drop),
            TType::Double => self.r.advance(8),
            TType::Uuid => self.r.advance(16),
            TType::Binary => {
                let len = self.read_len()?;
                self.r.check_len(len)?;
                self.r.advance(len)
            }
            TType::Struct => {
                self.read_struct_begin()?;
                loop {
                    let (ft, _) = self.read_field_begin()?;
                    if ft == TType::Stop {
                        break;
                    }
                    self.skip_value(ft)?;
                }
                self.read_struct_end()
            }
            TType::List | TType::Set => {
                let (elem, len) = self.read_list_begin()?;
                match elem {
                    TType::I8 => self.r.advance(len)?,
                    TType::Double => self.r.advance(8 * len)?,
                    TType::Uuid => self.r.advance(16 * len)?,
                    _ => (0..len).try_for_each(|_| self.skip_value(elem))?,
                }
                self.read_list_end()
            }
            TType::Map => {
                let (k, v, len) = self.read_map_begin()?;
                for _ in 0..len {
                    self.skip_value(k)?;
                    self.skip_value(v)?;
                }
                self.read_map_end()
            }
            TType::Stop | TType::Void => Err(invalid_type_for("value", t)),
        }
    }
}

impl TInputProtocol for TCompactInputProtocol {
    fn read_message_begin(&mut self) -> Result<TMessageIdentifier, DecodeError> {
        let id = self.r.u8()?;
        if id != PROTOCOL_ID {
            return Err(DecodeError::new(
                DecodeErrorKind::BadVersion,
                format!("bad compact protocol id {id:#04x}"),
            ));
        }
        let b = self.r.u8()?;
        if b & VERSION_MASK != VERSION {
            return Err(DecodeError::new(
                DecodeErrorKind::BadVersion,
                format!("unsupported compact protocol version {}", b & VERSION_MASK),
            ));
        }
        let message_type = TMessageType::try_from(b >> TYPE_SHIFT)?;
        let sequence_number = self.read_varint32()? as i32;
        let name = self.read_string()?;
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
        self.r.enter()?;
        self.field_ids.push();
        Ok(())
    }

    #[inline]
    fn read_struct_end(&mut self) -> Result<(), DecodeError> {
        self.r.leave();
        self.field_ids.pop();
        Ok(())
    }

    #[inline]
    fn read_field_begin(&mut self) -> Result<(TType, i16), DecodeError> {
        let b = self.r.u8()?;
        if b == 0 {
            return Ok((TType::Stop, 0));
        }
        let ctype = b & 0x0f;
        let t = ttype(ctype)?;
        if t == TType::Stop {
            return Err(DecodeError::invalid_data(
                "field header with a STOP type and a field id delta",
            ));
        }
        let delta = b >> 4;
        let id = if delta == 0 {
            self.read_i16()?
        } else {
            self.field_ids
                .last
                .checked_add(i16::from(delta))
                .ok_or_else(|| DecodeError::invalid_data("field id delta overflows i16"))?
        };
        if t == TType::Bool {
            self.pending_bool = Some(ctype == TRUE);
        }
        self.field_ids.last = id;
        Ok((t, id))
    }

    #[inline]
    fn read_field_end(&mut self) -> Result<(), DecodeError> {
        Ok(())
    }

    #[inline]
    fn read_bool(&mut self) -> Result<bool, DecodeError> {
        if let Some(v) = self.pending_bool.take() {
            return Ok(v);
        }
        match self.r.u8()? {
            TRUE => Ok(true),
            FALSE | 0 => Ok(false),
            b => Err(DecodeError::invalid_data(format!(
                "invalid compact bool byte {b}"
            ))),
        }
    }

    #[inline]
    fn read_i8(&mut self) -> Result<i8, DecodeError> {
        Ok(self.r.u8()? as i8)
    }

    #[inline]
    fn read_i16(&mut self) -> Result<i16, DecodeError> {
        let v = unzigzag32(self.read_varint(3, 16)? as u32);
        i16::try_from(v).map_err(|_| DecodeError::invalid_data("i16 out of range"))
    }

    #[inline]
    fn read_i32(&mut self) -> Result<i32, DecodeError> {
        Ok(unzigzag32(self.read_varint32()?))
    }

    #[inline]
    fn read_i64(&mut self) -> Result<i64, DecodeError> {
        Ok(unzigzag64(self.read_varint(10, 64)?))
    }

    #[inline]
    fn read_double(&mut self) -> Result<f64, DecodeError> {
        self.r
            .array()
            .map(|b| f64::from_bits(u64::from_le_bytes(b)))
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
        let b = self.r.u8()?;
        let elem = ttype(b & 0x0f)?;
        let len = match b >> 4 {
            15 => self.read_len()?,
            short => usize::from(short),
        };
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
        let len = self.read_len()?;
        let (key, value) = if len == 0 {
            (TType::Stop, TType::Stop)
        } else {
            let kv = self.r.u8()?;
            let (key, value) = (ttype(kv >> 4)?, ttype(kv & 0x0f)?);
            let (k, v) = (min_size(key), min_size(value));
            self.r
                .check_count(len, if k == 0 || v == 0 { 0 } else { k + v })?;
            (key, value)
        };
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
        let raw = match (ttype, self.pending_bool.take()) {
            (TType::Bool, Some(v)) => Bytes::from_static(if v { &TRUE_RAW } else { &FALSE_RAW }),
            _ => {
                let start = self.r.position();
                self.skip_value(ttype)?;
                self.r.slice_from(start)
            }
        };
        into.push(id, ttype, Protocol::Compact, raw);
        Ok(())
    }
}
