//! The byte-level examples of the protocol spec, and uuid encoding.

#[allow(dead_code)]
mod common;

use common::value::{DynStruct, Value};
use pilota::{
    Bytes,
    thrift::{TMessageIdentifier, TMessageType, TType, binary, compact},
};

fn h(hex: &str) -> Bytes {
    let hex: String = hex.split_whitespace().collect();
    Bytes::from(
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect::<Vec<_>>(),
    )
}

fn echo() -> TMessageIdentifier {
    TMessageIdentifier::new("Echo".into(), TMessageType::Call, 1)
}

#[test]
fn binary_strict_call_example() {
    let args = DynStruct(vec![
        (1, Value::Binary(Bytes::from_static(b"hi"))),
        (2, Value::Bool(true)),
        (16, Value::I32(-1)),
    ]);
    let expected = h("80 01 00 01  00 00 00 04  45 63 68 6f  00 00 00 01
                      0b 00 01  00 00 00 02 68 69
                      02 00 02  01
                      08 00 10  ff ff ff ff
                      00");
    assert_eq!(binary::encode_message(&echo(), &args).unwrap(), expected);
    assert_eq!(
        binary::decode_message::<DynStruct>(expected).unwrap(),
        (echo(), args)
    );
}

#[test]
fn binary_non_strict_header_example() {
    let input = h("00 00 00 04 45 63 68 6f 01 00 00 00 01  00");
    let (id, args) = binary::decode_message::<DynStruct>(input).unwrap();
    assert_eq!(id, echo());
    assert!(args.0.is_empty());
}

#[test]
fn compact_call_example() {
    let args = DynStruct(vec![
        (1, Value::Binary(Bytes::from_static(b"hi"))),
        (2, Value::Bool(true)),
        (16, Value::I32(-1)),
        (40, Value::I64(300)),
        (
            41,
            Value::List(
                TType::I32,
                vec![Value::I32(1), Value::I32(2), Value::I32(3)],
            ),
        ),
    ]);
    let expected = h("82 21 01 04 45 63 68 6f
                      18 02 68 69
                      11
                      e5 01
                      06 50 d8 04
                      19 35 02 04 06
                      00");
    assert_eq!(compact::encode_message(&echo(), &args).unwrap(), expected);
    assert_eq!(
        compact::decode_message::<DynStruct>(expected).unwrap(),
        (echo(), args)
    );
}

#[test]
fn compact_message_type_bytes() {
    for (ty, byte) in [
        (TMessageType::Call, 0x21),
        (TMessageType::Reply, 0x41),
        (TMessageType::Exception, 0x61),
        (TMessageType::OneWay, 0x81),
    ] {
        let id = TMessageIdentifier::new("".into(), ty, -1);
        let bytes = compact::encode_message(&id, &DynStruct::default()).unwrap();
        // Negative sequence ids take five varint bytes (not zigzag).
        assert_eq!(bytes, h(&format!("82 {byte:02x} ffffffff0f 00 00")));
    }
}

/// uuid: 16 raw bytes in RFC 4122 (big-endian) order, no length prefix, in
/// both protocols; compact type id 13, binary type id 16.
#[test]
fn uuid_bytes_follow_the_spec() {
    let uuid = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];
    let s = DynStruct(vec![
        (1, Value::Uuid(uuid)),
        (2, Value::List(TType::Uuid, vec![Value::Uuid(uuid)])),
    ]);
    let raw = "00112233445566778899aabbccddeeff";
    assert_eq!(
        binary::encode(&s).unwrap(),
        h(&format!("10 0001 {raw}  0f 0002 10 00000001 {raw}  00"))
    );
    assert_eq!(
        compact::encode(&s).unwrap(),
        h(&format!("1d {raw}  19 1d {raw}  00"))
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

/// Compact field headers: short form for deltas 1..=15, long form for
/// others; bool fields fold the value into the type nibble; lists switch to
/// the long header at 15 elements; an empty map is one byte.
#[test]
fn compact_field_and_container_forms() {
    let s = DynStruct(vec![
        (15, Value::Bool(false)),
        (31, Value::Bool(true)),
        (30, Value::I8(-1)),
        (
            -2,
            Value::List(
                TType::Bool,
                (0..15).map(|i| Value::Bool(i % 2 == 0)).collect(),
            ),
        ),
        (-1, Value::Map(TType::I32, TType::I32, vec![])),
    ]);
    let bools = "01 02 01 02 01 02 01 02 01 02 01 02 01 02 01";
    assert_eq!(
        compact::encode(&s).unwrap(),
        h(&format!(
            "f2  01 3e  03 3c ff  09 03 f1 0f {bools}  1b 00  00"
        ))
    );
}
