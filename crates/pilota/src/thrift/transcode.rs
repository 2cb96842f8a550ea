//! Re-encoding unknown fields read by one protocol with another.

use bytes::Bytes;
use faststr::FastStr;

use super::{
    DecodeError, DecodeLimits, EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier,
    TOutputProtocol, TType, UnknownFields, binary::TBinaryInputProtocol,
    compact::TCompactInputProtocol, unknown::Protocol, unknown::UnknownField,
};

/// Raw values were validated (and depth-checked) when they were read, so
/// transcoding only needs the nesting they actually have.
const TRANSCODE_LIMITS: DecodeLimits = DecodeLimits::new().with_max_depth(usize::MAX);

/// Writes `field` (read by another protocol than `out`'s) with `out`:
/// a field header, then the value decoded from its raw bytes and re-encoded.
pub(crate) fn write_foreign_field<O: TOutputProtocol>(
    out: &mut O,
    field: &UnknownField,
) -> Result<(), EncodeError> {
    out.write_field_begin(field.ttype(), field.id())?;
    let raw = field.raw().clone();
    match field.protocol() {
        Protocol::Binary => transcode(
            &mut TBinaryInputProtocol::with_limits(raw, TRANSCODE_LIMITS),
            out,
            field.ttype(),
        )?,
        Protocol::Compact => transcode(
            &mut TCompactInputProtocol::with_limits(raw, TRANSCODE_LIMITS),
            out,
            field.ttype(),
        )?,
    }
    out.write_field_end()
}

/// The size of `field` as [`write_foreign_field`] writes it with the output
/// protocol that `len` measures. A raw value that does not decode counts for
/// its header only; writing it fails anyway.
pub(crate) fn foreign_field_len<L: TLengthProtocol>(len: &mut L, field: &UnknownField) -> usize {
    let mut m = Measure { len, total: 0 };
    // An error leaves the partial total; `write_foreign_field` then fails.
    let _ = write_foreign_field(&mut m, field);
    m.total
}

/// Copies one value of type `t` from `i` to `o`.
fn transcode<I: TInputProtocol, O: TOutputProtocol>(
    i: &mut I,
    o: &mut O,
    t: TType,
) -> Result<(), EncodeError> {
    match t {
        TType::Bool => o.write_bool(i.read_bool()?),
        TType::I8 => o.write_i8(i.read_i8()?),
        TType::I16 => o.write_i16(i.read_i16()?),
        TType::I32 => o.write_i32(i.read_i32()?),
        TType::I64 => o.write_i64(i.read_i64()?),
        TType::Double => o.write_double(i.read_double()?),
        TType::Uuid => o.write_uuid(i.read_uuid()?),
        TType::Binary => o.write_bytes(&i.read_binary()?),
        TType::Struct => {
            i.read_struct_begin()?;
            o.write_struct_begin("")?;
            loop {
                let (ft, id) = i.read_field_begin()?;
                if ft == TType::Stop {
                    break;
                }
                o.write_field_begin(ft, id)?;
                transcode(i, o, ft)?;
                i.read_field_end()?;
                o.write_field_end()?;
            }
            o.write_field_stop()?;
            i.read_struct_end()?;
            o.write_struct_end()
        }
        TType::List => {
            let (elem, n) = i.read_list_begin()?;
            o.write_list_begin(elem, n)?;
            (0..n).try_for_each(|_| transcode(i, o, elem))?;
            i.read_list_end()?;
            o.write_list_end()
        }
        TType::Set => {
            let (elem, n) = i.read_set_begin()?;
            o.write_set_begin(elem, n)?;
            (0..n).try_for_each(|_| transcode(i, o, elem))?;
            i.read_set_end()?;
            o.write_set_end()
        }
        TType::Map => {
            let (k, v, n) = i.read_map_begin()?;
            o.write_map_begin(k, v, n)?;
            for _ in 0..n {
                transcode(i, o, k)?;
                transcode(i, o, v)?;
            }
            i.read_map_end()?;
            o.write_map_end()
        }
        TType::Stop | TType::Void => {
            Err(DecodeError::invalid_data(format!("unknown field of type {t:?}")).into())
        }
    }
}

/// An output protocol that writes nothing and sums the sizes a length
/// protocol gives, so [`transcode`] also serves for sizing.
struct Measure<'a, L> {
    len: &'a mut L,
    total: usize,
}

impl<L: TLengthProtocol> Measure<'_, L> {
    #[inline]
    fn add(&mut self, n: usize) -> Result<(), EncodeError> {
        self.total += n;
        Ok(())
    }
}

impl<L: TLengthProtocol> TOutputProtocol for Measure<'_, L> {
    fn write_message_begin(&mut self, id: &TMessageIdentifier) -> Result<(), EncodeError> {
        let n = self.len.message_begin_len(id);
        self.add(n)
    }
    fn write_message_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.message_end_len();
        self.add(n)
    }
    fn write_struct_begin(&mut self, name: &'static str) -> Result<(), EncodeError> {
        let n = self.len.struct_begin_len(name);
        self.add(n)
    }
    fn write_struct_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.struct_end_len();
        self.add(n)
    }
    fn write_field_begin(&mut self, ttype: TType, id: i16) -> Result<(), EncodeError> {
        let n = self.len.field_begin_len(ttype, id);
        self.add(n)
    }
    fn write_field_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.field_end_len();
        self.add(n)
    }
    fn write_field_stop(&mut self) -> Result<(), EncodeError> {
        let n = self.len.field_stop_len();
        self.add(n)
    }
    fn write_bool(&mut self, v: bool) -> Result<(), EncodeError> {
        let n = self.len.bool_len(v);
        self.add(n)
    }
    fn write_i8(&mut self, v: i8) -> Result<(), EncodeError> {
        let n = self.len.i8_len(v);
        self.add(n)
    }
    fn write_i16(&mut self, v: i16) -> Result<(), EncodeError> {
        let n = self.len.i16_len(v);
        self.add(n)
    }
    fn write_i32(&mut self, v: i32) -> Result<(), EncodeError> {
        let n = self.len.i32_len(v);
        self.add(n)
    }
    fn write_i64(&mut self, v: i64) -> Result<(), EncodeError> {
        let n = self.len.i64_len(v);
        self.add(n)
    }
    fn write_double(&mut self, v: f64) -> Result<(), EncodeError> {
        let n = self.len.double_len(v);
        self.add(n)
    }
    fn write_uuid(&mut self, v: [u8; 16]) -> Result<(), EncodeError> {
        let n = self.len.uuid_len(v);
        self.add(n)
    }
    fn write_string(&mut self, v: &str) -> Result<(), EncodeError> {
        let n = self.len.string_len(v);
        self.add(n)
    }
    fn write_faststr(&mut self, v: &FastStr) -> Result<(), EncodeError> {
        let n = self.len.faststr_len(v);
        self.add(n)
    }
    fn write_binary(&mut self, v: &[u8]) -> Result<(), EncodeError> {
        let n = self.len.binary_len(v);
        self.add(n)
    }
    fn write_bytes(&mut self, v: &Bytes) -> Result<(), EncodeError> {
        let n = self.len.bytes_len(v);
        self.add(n)
    }
    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError> {
        let n = self.len.list_begin_len(elem, len);
        self.add(n)
    }
    fn write_list_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.list_end_len();
        self.add(n)
    }
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<(), EncodeError> {
        let n = self.len.set_begin_len(elem, len);
        self.add(n)
    }
    fn write_set_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.set_end_len();
        self.add(n)
    }
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<(), EncodeError> {
        let n = self.len.map_begin_len(key, value, len);
        self.add(n)
    }
    fn write_map_end(&mut self) -> Result<(), EncodeError> {
        let n = self.len.map_end_len();
        self.add(n)
    }
    fn write_unknown_fields(&mut self, fields: &UnknownFields) -> Result<(), EncodeError> {
        let n = self.len.unknown_fields_len(fields);
        self.add(n)
    }
}
