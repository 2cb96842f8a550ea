//! Property tests: encode → decode round trips and exact sizes, in both
//! protocols, for every type.

#[allow(dead_code)]
mod common;

use common::{all_types::AllTypes, strategies, value::DynStruct};
use pilota::{
    Bytes, BytesMut, FastStr, LinkedBytes,
    thrift::{
        Message, TInputProtocol, TLengthProtocol, TMessageIdentifier, TMessageType,
        TOutputProtocol, binary, compact,
    },
};
use proptest::prelude::*;

fn any_message_type() -> impl Strategy<Value = TMessageType> {
    prop_oneof![
        Just(TMessageType::Call),
        Just(TMessageType::Reply),
        Just(TMessageType::Exception),
        Just(TMessageType::OneWay),
    ]
}

fn any_identifier() -> impl Strategy<Value = TMessageIdentifier> {
    (strategies::any_faststr(), any_message_type(), any::<i32>())
        .prop_map(|(name, ty, seq)| TMessageIdentifier::new(name, ty, seq))
}

fn binary_len<M: Message>(m: &M) -> usize {
    m.size(&mut binary::TBinaryLengthProtocol::new())
}

fn compact_len<M: Message>(m: &M) -> usize {
    m.size(&mut compact::TCompactLengthProtocol::new())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dyn_struct_binary(s in strategies::dyn_struct(3)) {
        let bytes = binary::encode(&s)?;
        prop_assert_eq!(bytes.len(), binary_len(&s));
        prop_assert_eq!(binary::decode::<DynStruct>(bytes)?, s);
    }

    #[test]
    fn dyn_struct_compact(s in strategies::dyn_struct(3)) {
        let bytes = compact::encode(&s)?;
        prop_assert_eq!(bytes.len(), compact_len(&s));
        prop_assert_eq!(compact::decode::<DynStruct>(bytes)?, s.compact_normalized());
    }

    #[test]
    fn all_types_binary(v in strategies::all_types()) {
        let bytes = binary::encode(&v)?;
        prop_assert_eq!(bytes.len(), binary_len(&v));
        prop_assert_eq!(binary::decode::<AllTypes>(bytes)?, v);
    }

    #[test]
    fn all_types_compact(v in strategies::all_types()) {
        let bytes = compact::encode(&v)?;
        prop_assert_eq!(bytes.len(), compact_len(&v));
        prop_assert_eq!(compact::decode::<AllTypes>(bytes)?, v);
    }

    #[test]
    fn messages_binary_strict(id in any_identifier(), s in strategies::dyn_struct(1)) {
        let bytes = binary::encode_message(&id, &s)?;
        let mut len = binary::TBinaryLengthProtocol::new();
        prop_assert_eq!(bytes.len(), len.message_begin_len(&id) + s.size(&mut len));
        let mut strict = binary::TBinaryInputProtocol::new(bytes).with_strict_read(true);
        prop_assert_eq!(strict.read_message_begin()?, id);
        prop_assert_eq!(DynStruct::decode(&mut strict)?, s);
        strict.finish()?;
    }

    #[test]
    fn messages_binary_non_strict(id in any_identifier(), s in strategies::dyn_struct(1)) {
        let mut buf = BytesMut::new();
        let mut out = binary::TBinaryProtocol::new(&mut buf).with_strict_write(false);
        out.write_message_begin(&id)?;
        s.encode(&mut out)?;
        out.write_message_end()?;
        let mut len = binary::TBinaryLengthProtocol::new().with_strict_write(false);
        prop_assert_eq!(buf.len(), len.message_begin_len(&id) + s.size(&mut len));
        prop_assert_eq!(binary::decode_message::<DynStruct>(buf.freeze())?, (id, s));
    }

    #[test]
    fn messages_compact(id in any_identifier(), s in strategies::dyn_struct(1)) {
        let bytes = compact::encode_message(&id, &s)?;
        let mut len = compact::TCompactLengthProtocol::new();
        prop_assert_eq!(bytes.len(), len.message_begin_len(&id) + s.size(&mut len));
        let (got_id, got) = compact::decode_message::<DynStruct>(bytes)?;
        prop_assert_eq!(got_id, id);
        prop_assert_eq!(got, s.compact_normalized());
    }

    /// Writing into a `LinkedBytes` (big payloads linked, not copied) gives
    /// the same bytes as writing into one contiguous buffer.
    #[test]
    fn linked_bytes_output_is_identical(
        v in strategies::all_types(),
        big in proptest::collection::vec(any::<u8>(), 4096..10_000),
        big_str in "[a-z]{4096,5000}",
    ) {
        let mut v = v;
        v.a_binary = Bytes::from(big);
        v.a_string = FastStr::from(big_str);

        let mut linked = LinkedBytes::new();
        v.encode(&mut binary::TBinaryProtocol::new(&mut linked))?;
        prop_assert!(linked.chunks().count() >= 3);
        prop_assert_eq!(linked.into_bytes(), binary::encode(&v)?);

        let mut linked = LinkedBytes::new();
        v.encode(&mut compact::TCompactProtocol::new(&mut linked))?;
        prop_assert_eq!(linked.into_bytes(), compact::encode(&v)?);
    }

    /// Strings are slices of the input, not copies (past the inline size).
    #[test]
    fn decoded_binaries_share_the_input(payload in proptest::collection::vec(any::<u8>(), 64..256)) {
        let v = AllTypes { a_binary: Bytes::from(payload), ..Default::default() };
        let bytes = binary::encode(&v)?;
        let got = binary::decode::<AllTypes>(bytes.clone())?;
        prop_assert!(bytes.as_ptr_range().contains(&got.a_binary.as_ptr()));
        let bytes = compact::encode(&v)?;
        let got = compact::decode::<AllTypes>(bytes.clone())?;
        prop_assert!(bytes.as_ptr_range().contains(&got.a_binary.as_ptr()));
    }
}

/// A value of every primitive type on its own (as a list element, so no
/// field-header special cases apply), at the edges of its range.
#[test]
fn primitive_edges_round_trip() {
    use common::value::Value;
    use pilota::thrift::TType;

    let lists = vec![
        Value::List(TType::Bool, vec![Value::Bool(true), Value::Bool(false)]),
        Value::List(TType::I8, [i8::MIN, -1, 0, i8::MAX].map(Value::I8).to_vec()),
        Value::List(
            TType::I16,
            [i16::MIN, -1, 0, i16::MAX].map(Value::I16).to_vec(),
        ),
        Value::List(
            TType::I32,
            [i32::MIN, -1, 0, i32::MAX].map(Value::I32).to_vec(),
        ),
        Value::List(
            TType::I64,
            [i64::MIN, -1, 0, i64::MAX].map(Value::I64).to_vec(),
        ),
        Value::List(
            TType::Double,
            [
                f64::NAN,
                -f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
                5e-324,
            ]
            .map(|d| Value::Double(d.to_bits()))
            .to_vec(),
        ),
        Value::List(TType::Uuid, vec![Value::Uuid([0xab; 16])]),
        Value::List(
            TType::Binary,
            vec![Value::Binary(Bytes::from_static(b"\0\xff"))],
        ),
    ];
    let s = DynStruct(
        lists
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as i16, v))
            .collect(),
    );
    assert_eq!(
        binary::decode::<DynStruct>(binary::encode(&s).unwrap()).unwrap(),
        s
    );
    assert_eq!(
        compact::decode::<DynStruct>(compact::encode(&s).unwrap()).unwrap(),
        s
    );
}
