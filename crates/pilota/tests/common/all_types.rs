//! `AllTypes`: a struct using every Thrift type, written by hand the way
//! generated code is (kept in sync with `tests/interop/all_types.thrift`).

use std::collections::{BTreeMap, BTreeSet};

use pilota::{
    Bytes, FastStr, OrderedFloat,
    thrift::{
        DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TOutputProtocol, TType,
        UnknownFields,
    },
};

/// `enum Color`, an i32 on the wire; unknown values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Color(pub(crate) i32);

impl Color {
    pub(crate) const RED: Self = Self(1);
    pub(crate) const BLUE: Self = Self(7);
}

/// `struct Inner { 1: i32 id, 2: string name, 3: bool flag }`
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Inner {
    pub(crate) id: i32,
    pub(crate) name: FastStr,
    pub(crate) flag: bool,
}

impl Message for Inner {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("Inner")?;
        p.write_field_begin(TType::I32, 1)?;
        p.write_i32(self.id)?;
        p.write_field_end()?;
        p.write_field_begin(TType::Binary, 2)?;
        p.write_faststr(&self.name)?;
        p.write_field_end()?;
        p.write_field_begin(TType::Bool, 3)?;
        p.write_bool(self.flag)?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::I32, 1) => out.id = p.read_i32()?,
                (TType::Binary, 2) => out.name = p.read_string()?,
                (TType::Bool, 3) => out.flag = p.read_bool()?,
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(out)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("Inner")
            + p.field_begin_len(TType::I32, 1)
            + p.i32_len(self.id)
            + p.field_end_len()
            + p.field_begin_len(TType::Binary, 2)
            + p.faststr_len(&self.name)
            + p.field_end_len()
            + p.field_begin_len(TType::Bool, 3)
            + p.bool_len(self.flag)
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

/// Every type. Fields are written in id order, as Apache's generated code
/// writes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct AllTypes {
    pub(crate) a_bool: bool,
    pub(crate) a_byte: i8,
    pub(crate) a_i16: i16,
    /// `required`.
    pub(crate) a_i32: i32,
    pub(crate) a_i64: i64,
    pub(crate) a_double: OrderedFloat,
    pub(crate) a_string: FastStr,
    pub(crate) a_binary: Bytes,
    pub(crate) a_list: Vec<i32>,
    pub(crate) a_set: BTreeSet<i32>,
    pub(crate) a_map: BTreeMap<FastStr, i64>,
    pub(crate) nested_list: Vec<Vec<FastStr>>,
    pub(crate) map_of_lists: BTreeMap<i32, Vec<bool>>,
    pub(crate) inner: Inner,
    pub(crate) inners: Vec<Inner>,
    pub(crate) color: Color,
    pub(crate) opt_unset: Option<FastStr>,
    pub(crate) opt_set: Option<i32>,
    pub(crate) false_bool: bool,
    /// Field id -1.
    pub(crate) negative_id: i16,
    /// Field id 300.
    pub(crate) big_id: i64,
    pub(crate) double_set: BTreeSet<OrderedFloat>,
    pub(crate) struct_map: BTreeMap<i32, Inner>,
    /// Field 40, `optional uuid` (not in the interop IDL: thrift 0.17 has no
    /// uuid).
    pub(crate) a_uuid: Option<[u8; 16]>,
    pub(crate) unknown: UnknownFields,
}

/// The ids `AllTypes` knows; a known id with the wrong wire type is skipped.
pub(crate) fn is_all_types_field(id: i16) -> bool {
    matches!(id, 1..=23 | -1 | 300 | 40)
}

fn write_field<P: TOutputProtocol>(
    p: &mut P,
    ttype: TType,
    id: i16,
    value: impl FnOnce(&mut P) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    p.write_field_begin(ttype, id)?;
    value(p)?;
    p.write_field_end()
}

fn field_len<P: TLengthProtocol>(
    p: &mut P,
    ttype: TType,
    id: i16,
    value: impl FnOnce(&mut P) -> usize,
) -> usize {
    p.field_begin_len(ttype, id) + value(p) + p.field_end_len()
}

pub(crate) fn write_list<'a, P: TOutputProtocol, T: 'a>(
    p: &mut P,
    elem: TType,
    items: impl ExactSizeIterator<Item = &'a T>,
    mut f: impl FnMut(&mut P, &'a T) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    p.write_list_begin(elem, items.len())?;
    for item in items {
        f(p, item)?;
    }
    p.write_list_end()
}

pub(crate) fn read_list<P: TInputProtocol, T>(
    p: &mut P,
    mut f: impl FnMut(&mut P) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let (_, n) = p.read_list_begin()?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(f(p)?);
    }
    p.read_list_end()?;
    Ok(out)
}

fn list_len<'a, P: TLengthProtocol, T: 'a>(
    p: &mut P,
    elem: TType,
    items: impl ExactSizeIterator<Item = &'a T>,
    mut f: impl FnMut(&mut P, &'a T) -> usize,
) -> usize {
    let mut n = p.list_begin_len(elem, items.len());
    for item in items {
        n += f(p, item);
    }
    n + p.list_end_len()
}

fn write_set<'a, P: TOutputProtocol, T: 'a>(
    p: &mut P,
    elem: TType,
    items: impl ExactSizeIterator<Item = &'a T>,
    mut f: impl FnMut(&mut P, &'a T) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    p.write_set_begin(elem, items.len())?;
    for item in items {
        f(p, item)?;
    }
    p.write_set_end()
}

fn read_set<P: TInputProtocol, T: Ord>(
    p: &mut P,
    mut f: impl FnMut(&mut P) -> Result<T, DecodeError>,
) -> Result<BTreeSet<T>, DecodeError> {
    let (_, n) = p.read_set_begin()?;
    let mut out = BTreeSet::new();
    for _ in 0..n {
        out.insert(f(p)?);
    }
    p.read_set_end()?;
    Ok(out)
}

fn set_len<'a, P: TLengthProtocol, T: 'a>(
    p: &mut P,
    elem: TType,
    items: impl ExactSizeIterator<Item = &'a T>,
    mut f: impl FnMut(&mut P, &'a T) -> usize,
) -> usize {
    let mut n = p.set_begin_len(elem, items.len());
    for item in items {
        n += f(p, item);
    }
    n + p.set_end_len()
}

fn write_map<'a, P: TOutputProtocol, K: 'a, V: 'a>(
    p: &mut P,
    (kt, vt): (TType, TType),
    map: &'a BTreeMap<K, V>,
    mut fk: impl FnMut(&mut P, &'a K) -> Result<(), EncodeError>,
    mut fv: impl FnMut(&mut P, &'a V) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    p.write_map_begin(kt, vt, map.len())?;
    for (k, v) in map {
        fk(p, k)?;
        fv(p, v)?;
    }
    p.write_map_end()
}

fn read_map<P: TInputProtocol, K: Ord, V>(
    p: &mut P,
    mut fk: impl FnMut(&mut P) -> Result<K, DecodeError>,
    mut fv: impl FnMut(&mut P) -> Result<V, DecodeError>,
) -> Result<BTreeMap<K, V>, DecodeError> {
    let (_, _, n) = p.read_map_begin()?;
    let mut out = BTreeMap::new();
    for _ in 0..n {
        let k = fk(p)?;
        out.insert(k, fv(p)?);
    }
    p.read_map_end()?;
    Ok(out)
}

fn map_len<'a, P: TLengthProtocol, K: 'a, V: 'a>(
    p: &mut P,
    (kt, vt): (TType, TType),
    map: &'a BTreeMap<K, V>,
    mut fk: impl FnMut(&mut P, &'a K) -> usize,
    mut fv: impl FnMut(&mut P, &'a V) -> usize,
) -> usize {
    let mut n = p.map_begin_len(kt, vt, map.len());
    for (k, v) in map {
        n += fk(p, k) + fv(p, v);
    }
    n + p.map_end_len()
}

impl Message for AllTypes {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("AllTypes")?;
        write_field(p, TType::I16, -1, |p| p.write_i16(self.negative_id))?;
        write_field(p, TType::Bool, 1, |p| p.write_bool(self.a_bool))?;
        write_field(p, TType::I8, 2, |p| p.write_i8(self.a_byte))?;
        write_field(p, TType::I16, 3, |p| p.write_i16(self.a_i16))?;
        write_field(p, TType::I32, 4, |p| p.write_i32(self.a_i32))?;
        write_field(p, TType::I64, 5, |p| p.write_i64(self.a_i64))?;
        write_field(p, TType::Double, 6, |p| p.write_double(self.a_double.0))?;
        write_field(p, TType::Binary, 7, |p| p.write_faststr(&self.a_string))?;
        write_field(p, TType::Binary, 8, |p| p.write_bytes(&self.a_binary))?;
        write_field(p, TType::List, 9, |p| {
            write_list(p, TType::I32, self.a_list.iter(), |p, v| p.write_i32(*v))
        })?;
        write_field(p, TType::Set, 10, |p| {
            write_set(p, TType::I32, self.a_set.iter(), |p, v| p.write_i32(*v))
        })?;
        write_field(p, TType::Map, 11, |p| {
            write_map(
                p,
                (TType::Binary, TType::I64),
                &self.a_map,
                |p, k| p.write_faststr(k),
                |p, v| p.write_i64(*v),
            )
        })?;
        write_field(p, TType::List, 12, |p| {
            write_list(p, TType::List, self.nested_list.iter(), |p, l| {
                write_list(p, TType::Binary, l.iter(), |p, s| p.write_string(s))
            })
        })?;
        write_field(p, TType::Map, 13, |p| {
            write_map(
                p,
                (TType::I32, TType::List),
                &self.map_of_lists,
                |p, k| p.write_i32(*k),
                |p, l| write_list(p, TType::Bool, l.iter(), |p, b| p.write_bool(*b)),
            )
        })?;
        write_field(p, TType::Struct, 14, |p| self.inner.encode(p))?;
        write_field(p, TType::List, 15, |p| {
            write_list(p, TType::Struct, self.inners.iter(), |p, s| s.encode(p))
        })?;
        write_field(p, TType::I32, 16, |p| p.write_i32(self.color.0))?;
        if let Some(v) = &self.opt_unset {
            write_field(p, TType::Binary, 17, |p| p.write_faststr(v))?;
        }
        if let Some(v) = self.opt_set {
            write_field(p, TType::I32, 18, |p| p.write_i32(v))?;
        }
        write_field(p, TType::Bool, 19, |p| p.write_bool(self.false_bool))?;
        write_field(p, TType::Set, 20, |p| {
            write_set(p, TType::Double, self.double_set.iter(), |p, d| {
                p.write_double(d.0)
            })
        })?;
        write_field(p, TType::Map, 21, |p| {
            write_map(
                p,
                (TType::I32, TType::Struct),
                &self.struct_map,
                |p, k| p.write_i32(*k),
                |p, v| v.encode(p),
            )
        })?;
        if let Some(v) = self.a_uuid {
            write_field(p, TType::Uuid, 40, |p| p.write_uuid(v))?;
        }
        write_field(p, TType::I64, 300, |p| p.write_i64(self.big_id))?;
        p.write_unknown_fields(&self.unknown)?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut has_a_i32 = false;
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Bool, 1) => out.a_bool = p.read_bool()?,
                (TType::I8, 2) => out.a_byte = p.read_i8()?,
                (TType::I16, 3) => out.a_i16 = p.read_i16()?,
                (TType::I32, 4) => {
                    out.a_i32 = p.read_i32()?;
                    has_a_i32 = true;
                }
                (TType::I64, 5) => out.a_i64 = p.read_i64()?,
                (TType::Double, 6) => out.a_double = OrderedFloat(p.read_double()?),
                (TType::Binary, 7) => out.a_string = p.read_string()?,
                (TType::Binary, 8) => out.a_binary = p.read_binary()?,
                (TType::List, 9) => out.a_list = read_list(p, |p| p.read_i32())?,
                (TType::Set, 10) => out.a_set = read_set(p, |p| p.read_i32())?,
                (TType::Map, 11) => {
                    out.a_map = read_map(p, |p| p.read_string(), |p| p.read_i64())?;
                }
                (TType::List, 12) => {
                    out.nested_list = read_list(p, |p| read_list(p, |p| p.read_string()))?;
                }
                (TType::Map, 13) => {
                    out.map_of_lists =
                        read_map(p, |p| p.read_i32(), |p| read_list(p, |p| p.read_bool()))?;
                }
                (TType::Struct, 14) => out.inner = Inner::decode(p)?,
                (TType::List, 15) => out.inners = read_list(p, Inner::decode)?,
                (TType::I32, 16) => out.color = Color(p.read_i32()?),
                (TType::Binary, 17) => out.opt_unset = Some(p.read_string()?),
                (TType::I32, 18) => out.opt_set = Some(p.read_i32()?),
                (TType::Bool, 19) => out.false_bool = p.read_bool()?,
                (TType::I16, -1) => out.negative_id = p.read_i16()?,
                (TType::I64, 300) => out.big_id = p.read_i64()?,
                (TType::Set, 20) => {
                    out.double_set = read_set(p, |p| p.read_double().map(OrderedFloat))?;
                }
                (TType::Map, 21) => out.struct_map = read_map(p, |p| p.read_i32(), Inner::decode)?,
                (TType::Uuid, 40) => out.a_uuid = Some(p.read_uuid()?),
                (t, id) if is_all_types_field(id) => p.skip(t)?,
                (t, id) => p.read_unknown_field(t, id, &mut out.unknown)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        if !has_a_i32 {
            return Err(DecodeError::missing_field("AllTypes", "a_i32"));
        }
        Ok(out)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        let mut n = p.struct_begin_len("AllTypes");
        n += field_len(p, TType::I16, -1, |p| p.i16_len(self.negative_id));
        n += field_len(p, TType::Bool, 1, |p| p.bool_len(self.a_bool));
        n += field_len(p, TType::I8, 2, |p| p.i8_len(self.a_byte));
        n += field_len(p, TType::I16, 3, |p| p.i16_len(self.a_i16));
        n += field_len(p, TType::I32, 4, |p| p.i32_len(self.a_i32));
        n += field_len(p, TType::I64, 5, |p| p.i64_len(self.a_i64));
        n += field_len(p, TType::Double, 6, |p| p.double_len(self.a_double.0));
        n += field_len(p, TType::Binary, 7, |p| p.faststr_len(&self.a_string));
        n += field_len(p, TType::Binary, 8, |p| p.bytes_len(&self.a_binary));
        n += field_len(p, TType::List, 9, |p| {
            list_len(p, TType::I32, self.a_list.iter(), |p, v| p.i32_len(*v))
        });
        n += field_len(p, TType::Set, 10, |p| {
            set_len(p, TType::I32, self.a_set.iter(), |p, v| p.i32_len(*v))
        });
        n += field_len(p, TType::Map, 11, |p| {
            map_len(
                p,
                (TType::Binary, TType::I64),
                &self.a_map,
                |p, k| p.faststr_len(k),
                |p, v| p.i64_len(*v),
            )
        });
        n += field_len(p, TType::List, 12, |p| {
            list_len(p, TType::List, self.nested_list.iter(), |p, l| {
                list_len(p, TType::Binary, l.iter(), |p, s| p.string_len(s))
            })
        });
        n += field_len(p, TType::Map, 13, |p| {
            map_len(
                p,
                (TType::I32, TType::List),
                &self.map_of_lists,
                |p, k| p.i32_len(*k),
                |p, l| list_len(p, TType::Bool, l.iter(), |p, b| p.bool_len(*b)),
            )
        });
        n += field_len(p, TType::Struct, 14, |p| self.inner.size(p));
        n += field_len(p, TType::List, 15, |p| {
            list_len(p, TType::Struct, self.inners.iter(), |p, s| s.size(p))
        });
        n += field_len(p, TType::I32, 16, |p| p.i32_len(self.color.0));
        if let Some(v) = &self.opt_unset {
            n += field_len(p, TType::Binary, 17, |p| p.faststr_len(v));
        }
        if let Some(v) = self.opt_set {
            n += field_len(p, TType::I32, 18, |p| p.i32_len(v));
        }
        n += field_len(p, TType::Bool, 19, |p| p.bool_len(self.false_bool));
        n += field_len(p, TType::Set, 20, |p| {
            set_len(p, TType::Double, self.double_set.iter(), |p, d| {
                p.double_len(d.0)
            })
        });
        n += field_len(p, TType::Map, 21, |p| {
            map_len(
                p,
                (TType::I32, TType::Struct),
                &self.struct_map,
                |p, k| p.i32_len(*k),
                |p, v| v.size(p),
            )
        });
        if let Some(v) = self.a_uuid {
            n += field_len(p, TType::Uuid, 40, |p| p.uuid_len(v));
        }
        n += field_len(p, TType::I64, 300, |p| p.i64_len(self.big_id));
        n + p.unknown_fields_len(&self.unknown) + p.field_stop_len() + p.struct_end_len()
    }
}

/// The fixed values the interop script also builds.
pub(crate) fn sample() -> AllTypes {
    let inner = |id: i32, name: &'static str, flag: bool| Inner {
        id,
        name: FastStr::from_static_str(name),
        flag,
    };
    AllTypes {
        a_bool: true,
        a_byte: -128,
        a_i16: -12345,
        a_i32: 2_000_000_000,
        a_i64: -9_000_000_000_000_000_000,
        a_double: OrderedFloat(-1.25e-300),
        a_string: FastStr::from_static_str("héllo, wörld ✓ 🦀"),
        a_binary: Bytes::from_static(&[0, 1, 2, 0xfe, 0xff]),
        a_list: vec![1, -1, 1000, i32::MIN, i32::MAX],
        a_set: [1, 2, 3].into_iter().collect(),
        a_map: [("a", 1), ("bb", -2), ("ccc", 300)]
            .into_iter()
            .map(|(k, v)| (FastStr::from_static_str(k), v))
            .collect(),
        nested_list: vec![
            vec![],
            vec![FastStr::from_static_str("x")],
            vec![FastStr::from_static_str("y"), FastStr::from_static_str("z")],
        ],
        map_of_lists: [(1, vec![true, false, true]), (2, vec![])]
            .into_iter()
            .collect(),
        inner: inner(42, "inner", true),
        inners: (0..16).map(|i| inner(i, "n", i % 2 == 0)).collect(),
        color: Color::BLUE,
        opt_unset: None,
        opt_set: Some(-7),
        false_bool: false,
        negative_id: 32767,
        big_id: 1 << 40,
        double_set: [OrderedFloat(2.5)].into_iter().collect(),
        struct_map: [(-5, inner(-5, "", false)), (9, inner(9, "nine", true))]
            .into_iter()
            .collect(),
        a_uuid: None,
        unknown: UnknownFields::default(),
    }
}
