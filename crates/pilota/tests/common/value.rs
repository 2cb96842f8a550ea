//! A self-describing Thrift value tree, to round-trip arbitrary shapes
//! (any field ids, any nesting) through the protocols.

use pilota::{
    Bytes,
    thrift::{
        DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TOutputProtocol, TType,
    },
};

/// One value; containers carry their element types.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    /// The bits, so that NaN payloads compare exactly.
    Double(u64),
    Uuid([u8; 16]),
    Binary(Bytes),
    Struct(DynStruct),
    List(TType, Vec<Value>),
    Set(TType, Vec<Value>),
    Map(TType, TType, Vec<(Value, Value)>),
}

/// A struct with arbitrary fields, in wire order (ids may repeat).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct DynStruct(pub(crate) Vec<(i16, Value)>);

impl Value {
    pub(crate) fn ttype(&self) -> TType {
        match self {
            Self::Bool(_) => TType::Bool,
            Self::I8(_) => TType::I8,
            Self::I16(_) => TType::I16,
            Self::I32(_) => TType::I32,
            Self::I64(_) => TType::I64,
            Self::Double(_) => TType::Double,
            Self::Uuid(_) => TType::Uuid,
            Self::Binary(_) => TType::Binary,
            Self::Struct(_) => TType::Struct,
            Self::List(..) => TType::List,
            Self::Set(..) => TType::Set,
            Self::Map(..) => TType::Map,
        }
    }

    pub(crate) fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        match self {
            Self::Bool(v) => p.write_bool(*v),
            Self::I8(v) => p.write_i8(*v),
            Self::I16(v) => p.write_i16(*v),
            Self::I32(v) => p.write_i32(*v),
            Self::I64(v) => p.write_i64(*v),
            Self::Double(bits) => p.write_double(f64::from_bits(*bits)),
            Self::Uuid(v) => p.write_uuid(*v),
            Self::Binary(v) => p.write_bytes(v),
            Self::Struct(s) => s.encode(p),
            Self::List(t, items) => {
                p.write_list_begin(*t, items.len())?;
                items.iter().try_for_each(|v| v.encode(p))?;
                p.write_list_end()
            }
            Self::Set(t, items) => {
                p.write_set_begin(*t, items.len())?;
                items.iter().try_for_each(|v| v.encode(p))?;
                p.write_set_end()
            }
            Self::Map(k, v, entries) => {
                p.write_map_begin(*k, *v, entries.len())?;
                for (key, value) in entries {
                    key.encode(p)?;
                    value.encode(p)?;
                }
                p.write_map_end()
            }
        }
    }

    pub(crate) fn decode<P: TInputProtocol>(p: &mut P, t: TType) -> Result<Self, DecodeError> {
        Ok(match t {
            TType::Bool => Self::Bool(p.read_bool()?),
            TType::I8 => Self::I8(p.read_i8()?),
            TType::I16 => Self::I16(p.read_i16()?),
            TType::I32 => Self::I32(p.read_i32()?),
            TType::I64 => Self::I64(p.read_i64()?),
            TType::Double => Self::Double(p.read_double()?.to_bits()),
            TType::Uuid => Self::Uuid(p.read_uuid()?),
            TType::Binary => Self::Binary(p.read_binary()?),
            TType::Struct => Self::Struct(DynStruct::decode(p)?),
            TType::List => {
                let (elem, n) = p.read_list_begin()?;
                let items = (0..n)
                    .map(|_| Self::decode(p, elem))
                    .collect::<Result<_, _>>()?;
                p.read_list_end()?;
                Self::List(elem, items)
            }
            TType::Set => {
                let (elem, n) = p.read_set_begin()?;
                let items = (0..n)
                    .map(|_| Self::decode(p, elem))
                    .collect::<Result<_, _>>()?;
                p.read_set_end()?;
                Self::Set(elem, items)
            }
            TType::Map => {
                let (k, v, n) = p.read_map_begin()?;
                let entries = (0..n)
                    .map(|_| Ok((Self::decode(p, k)?, Self::decode(p, v)?)))
                    .collect::<Result<_, DecodeError>>()?;
                p.read_map_end()?;
                Self::Map(k, v, entries)
            }
            TType::Stop | TType::Void => {
                return Err(DecodeError::invalid_data("not a value type"));
            }
        })
    }

    pub(crate) fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        match self {
            Self::Bool(v) => p.bool_len(*v),
            Self::I8(v) => p.i8_len(*v),
            Self::I16(v) => p.i16_len(*v),
            Self::I32(v) => p.i32_len(*v),
            Self::I64(v) => p.i64_len(*v),
            Self::Double(bits) => p.double_len(f64::from_bits(*bits)),
            Self::Uuid(v) => p.uuid_len(*v),
            Self::Binary(v) => p.bytes_len(v),
            Self::Struct(s) => s.size(p),
            Self::List(t, items) => {
                p.list_begin_len(*t, items.len())
                    + items.iter().map(|v| v.size(p)).sum::<usize>()
                    + p.list_end_len()
            }
            Self::Set(t, items) => {
                p.set_begin_len(*t, items.len())
                    + items.iter().map(|v| v.size(p)).sum::<usize>()
                    + p.set_end_len()
            }
            Self::Map(k, v, entries) => {
                p.map_begin_len(*k, *v, entries.len())
                    + entries
                        .iter()
                        .map(|(key, value)| key.size(p) + value.size(p))
                        .sum::<usize>()
                    + p.map_end_len()
            }
        }
    }

    /// The value as it comes back from the compact protocol: an empty map
    /// carries no key/value types there.
    pub(crate) fn compact_normalized(&self) -> Self {
        match self {
            Self::Struct(s) => Self::Struct(s.compact_normalized()),
            Self::List(t, items) => {
                Self::List(*t, items.iter().map(Self::compact_normalized).collect())
            }
            Self::Set(t, items) => {
                Self::Set(*t, items.iter().map(Self::compact_normalized).collect())
            }
            Self::Map(_, _, entries) if entries.is_empty() => {
                Self::Map(TType::Stop, TType::Stop, Vec::new())
            }
            Self::Map(k, v, entries) => Self::Map(
                *k,
                *v,
                entries
                    .iter()
                    .map(|(a, b)| (a.compact_normalized(), b.compact_normalized()))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

impl DynStruct {
    pub(crate) fn compact_normalized(&self) -> Self {
        Self(
            self.0
                .iter()
                .map(|(id, v)| (*id, v.compact_normalized()))
                .collect(),
        )
    }
}

impl Message for DynStruct {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("DynStruct")?;
        for (id, value) in &self.0 {
            p.write_field_begin(value.ttype(), *id)?;
            value.encode(p)?;
            p.write_field_end()?;
        }
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut fields = Vec::new();
        p.read_struct_begin()?;
        loop {
            let (t, id) = p.read_field_begin()?;
            if t == TType::Stop {
                break;
            }
            fields.push((id, Value::decode(p, t)?));
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(Self(fields))
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        let mut n = p.struct_begin_len("DynStruct");
        for (id, value) in &self.0 {
            n += p.field_begin_len(value.ttype(), *id) + value.size(p) + p.field_end_len();
        }
        n + p.field_stop_len() + p.struct_end_len()
    }
}
