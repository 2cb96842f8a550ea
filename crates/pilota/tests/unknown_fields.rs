//! Unknown fields survive decode → encode, in the same protocol byte for
//! byte, and across protocols by transcoding.

#[allow(dead_code)]
mod common;

use common::{
    all_types::{AllTypes, sample},
    strategies,
};
use pilota::thrift::{
    DecodeError, EncodeError, Message, Protocol, TInputProtocol, TLengthProtocol, TOutputProtocol,
    TType, UnknownFields, binary, compact,
};
use proptest::prelude::*;

/// An old version of `AllTypes` that only knows field -1 and field 1 (the
/// first two on the wire) and keeps everything else.
#[derive(Debug, Clone, PartialEq, Default)]
struct Sparse {
    negative_id: i16,
    a_bool: bool,
    unknown: UnknownFields,
}

impl Message for Sparse {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("Sparse")?;
        p.write_field_begin(TType::I16, -1)?;
        p.write_i16(self.negative_id)?;
        p.write_field_end()?;
        p.write_field_begin(TType::Bool, 1)?;
        p.write_bool(self.a_bool)?;
        p.write_field_end()?;
        p.write_unknown_fields(&self.unknown)?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::I16, -1) => out.negative_id = p.read_i16()?,
                (TType::Bool, 1) => out.a_bool = p.read_bool()?,
                (t, id) => p.read_unknown_field(t, id, &mut out.unknown)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(out)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("Sparse")
            + p.field_begin_len(TType::I16, -1)
            + p.i16_len(self.negative_id)
            + p.field_end_len()
            + p.field_begin_len(TType::Bool, 1)
            + p.bool_len(self.a_bool)
            + p.field_end_len()
            + p.unknown_fields_len(&self.unknown)
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

fn binary_size<M: Message>(m: &M) -> usize {
    m.size(&mut binary::TBinaryLengthProtocol::new())
}

fn compact_size<M: Message>(m: &M) -> usize {
    m.size(&mut compact::TCompactLengthProtocol::new())
}

#[test]
fn unknown_fields_are_kept_as_slices_of_the_input() {
    let bytes = compact::encode(&sample()).unwrap();
    let sparse: Sparse = compact::decode(bytes.clone()).unwrap();
    // Every field that is set but -1 and 1, in wire order (17 is unset);
    // field 19 is a compact bool.
    let ids: Vec<i16> = sparse.unknown.iter().map(|f| f.id()).collect();
    let mut expected: Vec<i16> = (2..=21).filter(|&id| id != 17).collect();
    expected.push(300);
    assert_eq!(ids, expected);
    let range = bytes.as_ptr_range();
    for field in &sparse.unknown {
        assert_eq!(field.protocol(), Protocol::Compact);
        if field.ttype() == TType::Bool {
            assert_eq!(&field.raw()[..], [2], "false_bool keeps its value");
        } else {
            assert!(
                range.contains(&field.raw().as_ptr()),
                "field {}",
                field.id()
            );
        }
    }
}

#[test]
fn unknown_bool_fields_in_both_protocols() {
    let mut value = sample();
    value.a_bool = false;
    value.false_bool = true;
    for (from_binary, to_binary) in [(true, true), (true, false), (false, true), (false, false)] {
        let bytes = if from_binary {
            binary::encode(&value)
        } else {
            compact::encode(&value)
        };
        let sparse: Sparse = if from_binary {
            binary::decode(bytes.unwrap()).unwrap()
        } else {
            compact::decode(bytes.unwrap()).unwrap()
        };
        let back: AllTypes = if to_binary {
            binary::decode(binary::encode(&sparse).unwrap()).unwrap()
        } else {
            compact::decode(compact::encode(&sparse).unwrap()).unwrap()
        };
        assert_eq!(
            back, value,
            "from_binary={from_binary} to_binary={to_binary}"
        );
    }
}

/// Unknown structs (with bool fields, so compact deltas and folded bools),
/// lists of structs and maps cross protocols both ways byte for byte. (All
/// maps are non-empty: an empty compact map has no key/value types to give
/// the binary protocol.)
#[test]
fn nested_unknown_struct_transcodes() {
    let mut value = sample();
    value.a_uuid = Some([0x5a; 16]);
    value.inners = vec![value.inner.clone(); 20];
    let from_compact: Sparse = compact::decode(compact::encode(&value).unwrap()).unwrap();
    let as_binary = binary::encode(&from_compact).unwrap();
    assert_eq!(as_binary.len(), binary_size(&from_compact));
    assert_eq!(as_binary, binary::encode(&value).unwrap());

    let from_binary: Sparse = binary::decode(as_binary).unwrap();
    let as_compact = compact::encode(&from_binary).unwrap();
    assert_eq!(as_compact.len(), compact_size(&from_binary));
    assert_eq!(as_compact, compact::encode(&value).unwrap());
}

/// An empty map read from compact is written to binary with type ids 0.
#[test]
fn empty_compact_map_to_binary() {
    let value = AllTypes {
        a_i32: 1,
        ..Default::default()
    };
    let sparse: Sparse = compact::decode(compact::encode(&value).unwrap()).unwrap();
    let bytes = binary::encode(&sparse).unwrap();
    assert_eq!(bytes.len(), binary_size(&sparse));
    let field_11 = [0x0d, 0x00, 0x0b, 0, 0, 0, 0, 0, 0];
    assert!(bytes.windows(field_11.len()).any(|w| w == field_11));
    assert_eq!(binary::decode::<AllTypes>(bytes).unwrap(), value);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Same protocol: the re-encoded bytes equal the input.
    #[test]
    fn same_protocol_is_byte_identical(v in strategies::all_types()) {
        let bytes = binary::encode(&v)?;
        let sparse: Sparse = binary::decode(bytes.clone())?;
        prop_assert_eq!(binary_size(&sparse), bytes.len());
        prop_assert_eq!(binary::encode(&sparse)?, bytes);

        let bytes = compact::encode(&v)?;
        let sparse: Sparse = compact::decode(bytes.clone())?;
        prop_assert_eq!(compact_size(&sparse), bytes.len());
        prop_assert_eq!(compact::encode(&sparse)?, bytes);
    }

    /// Across protocols: the transcoded value decodes to the original, and the
    /// sizes are exact.
    #[test]
    fn across_protocols_values_survive(v in strategies::all_types()) {
        let sparse: Sparse = binary::decode(binary::encode(&v)?)?;
        let bytes = compact::encode(&sparse)?;
        prop_assert_eq!(bytes.len(), compact_size(&sparse));
        prop_assert_eq!(&bytes, &compact::encode(&v)?);
        prop_assert_eq!(compact::decode::<AllTypes>(bytes)?, v.clone());

        let sparse: Sparse = compact::decode(compact::encode(&v)?)?;
        let bytes = binary::encode(&sparse)?;
        prop_assert_eq!(bytes.len(), binary_size(&sparse));
        prop_assert_eq!(binary::decode::<AllTypes>(bytes)?, v);
    }
}
