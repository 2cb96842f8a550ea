//! Decoding arbitrary bytes never panics, in either protocol.

#[allow(dead_code)]
mod common;

use common::{all_types::AllTypes, strategies, value::DynStruct};
use pilota::{
    Bytes,
    thrift::{Message, TInputProtocol, TType, binary, compact},
};
use proptest::prelude::*;

const TYPES: [TType; 14] = [
    TType::Stop,
    TType::Void,
    TType::Bool,
    TType::I8,
    TType::Double,
    TType::I16,
    TType::I32,
    TType::I64,
    TType::Binary,
    TType::Struct,
    TType::Map,
    TType::Set,
    TType::List,
    TType::Uuid,
];

/// Runs every decoder over `input`; only the absence of panics matters.
fn decode_everything(input: &Bytes) {
    let _ = binary::decode::<AllTypes>(input.clone());
    let _ = binary::decode::<DynStruct>(input.clone());
    let _ = binary::decode_message::<AllTypes>(input.clone());
    let _ = compact::decode::<AllTypes>(input.clone());
    let _ = compact::decode::<DynStruct>(input.clone());
    let _ = compact::decode_message::<DynStruct>(input.clone());
    for t in TYPES {
        let _ = binary::TBinaryInputProtocol::new(input.clone()).skip(t);
        let _ = compact::TCompactInputProtocol::new(input.clone()).skip(t);
    }
}

/// A valid encoding with a few bytes overwritten: reaches deeper than noise.
fn mutated(valid: Bytes, edits: Vec<(usize, u8)>, cut: usize) -> Bytes {
    let mut bytes = valid.to_vec();
    if !bytes.is_empty() {
        let len = bytes.len();
        for (at, b) in edits {
            bytes[at % len] = b;
        }
        bytes.truncate(len - cut % len);
    }
    Bytes::from(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn random_bytes(input in proptest::collection::vec(any::<u8>(), 0..256)) {
        decode_everything(&Bytes::from(input));
    }

    #[test]
    fn mutated_binary(
        v in strategies::all_types(),
        edits in proptest::collection::vec(any::<(usize, u8)>(), 1..4),
        cut in any::<usize>(),
    ) {
        let valid = binary::encode(&v)?;
        decode_everything(&mutated(valid, edits, cut));
    }

    #[test]
    fn mutated_compact(
        s in strategies::dyn_struct(3),
        edits in proptest::collection::vec(any::<(usize, u8)>(), 1..4),
        cut in any::<usize>(),
    ) {
        let valid = compact::encode(&s)?;
        decode_everything(&mutated(valid, edits, cut));
    }
}

/// The decoders also accept what they produce after a mutation-free pass:
/// a sanity check that the mutation tests start from valid input.
#[test]
fn unmutated_inputs_decode() {
    let s = DynStruct(vec![(1, common::value::Value::I32(3))]);
    let valid = compact::encode(&s).unwrap();
    assert_eq!(compact::decode::<DynStruct>(valid.clone()).unwrap(), s);
    let mut p = compact::TCompactInputProtocol::new(valid);
    p.skip(TType::Struct).unwrap();
    assert_eq!(p.remaining(), 0);
    let _ = DynStruct::decode(&mut p);
}
