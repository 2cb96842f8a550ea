//! A table of hostile inputs, each with the error kind it must produce.

#[allow(dead_code)]
mod common;

use common::{
    all_types::{AllTypes, sample},
    value::DynStruct,
};
use pilota::{
    Bytes,
    thrift::{
        DecodeError, DecodeErrorKind, DecodeLimits, Message, TInputProtocol, TMessageIdentifier,
        TMessageType, binary, compact,
    },
};

#[derive(Clone, Copy, Debug)]
enum Proto {
    Binary,
    Compact,
}

/// What the input is decoded as.
#[derive(Clone, Copy, Debug)]
enum As {
    /// A struct of arbitrary fields (binaries are not UTF-8 checked).
    Dyn,
    /// The typed `AllTypes` struct.
    All,
    /// A message header and a `DynStruct`.
    Msg,
    /// The same with strict binary read.
    StrictMsg,
}

fn h(hex: &str) -> Vec<u8> {
    let hex: String = hex.split_whitespace().collect();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn rep(hex: &str, n: usize) -> String {
    hex.repeat(n)
}

fn decode_with<P: TInputProtocol>(p: &mut P, what: As) -> Result<(), DecodeError> {
    match what {
        As::Dyn => DynStruct::decode(p).map(drop),
        As::All => AllTypes::decode(p).map(drop),
        As::Msg | As::StrictMsg => {
            p.read_message_begin()?;
            DynStruct::decode(p).map(drop)
        }
    }
}

fn run(proto: Proto, input: Vec<u8>, what: As, limits: DecodeLimits) -> Result<(), DecodeError> {
    let input = Bytes::from(input);
    match proto {
        Proto::Binary => {
            let strict = matches!(what, As::StrictMsg);
            let mut p =
                binary::TBinaryInputProtocol::with_limits(input, limits).with_strict_read(strict);
            decode_with(&mut p, what)?;
            p.finish()
        }
        Proto::Compact => {
            let mut p = compact::TCompactInputProtocol::with_limits(input, limits);
            decode_with(&mut p, what)?;
            p.finish()
        }
    }
}

/// Name, protocol, input, decoded as, limits, expected error.
type Case = (
    &'static str,
    Proto,
    Vec<u8>,
    As,
    DecodeLimits,
    DecodeErrorKind,
);

#[test]
fn hostile_inputs_give_typed_errors() {
    use DecodeErrorKind::*;
    use Proto::*;

    let default = DecodeLimits::default();
    let small_strings = DecodeLimits::new().with_max_string_len(16);
    let small_containers = DecodeLimits::new().with_max_container_len(10);
    let shallow = DecodeLimits::new().with_max_depth(2);

    #[rustfmt::skip]
    let table: Vec<Case> = vec![
        // ---- binary ----
        ("empty input", Binary, h(""), As::Dyn, default, Eof),
        ("truncated i32", Binary, h("080001 0000"), As::Dyn, default, Eof),
        ("huge string length", Binary, h("0b0001 7fffffff 6162 00"), As::Dyn, default, Eof),
        ("string over the limit", Binary, h("0b0001 7fffffff 6162 00"), As::Dyn, small_strings, SizeLimit),
        ("huge list count", Binary, h("0f0001 08 7fffffff 0000"), As::Dyn, default, Eof),
        ("huge set count", Binary, h("0e0001 08 7fffffff 00"), As::Dyn, default, Eof),
        ("huge map count", Binary, h("0d0001 0808 7fffffff 00"), As::Dyn, default, Eof),
        ("huge list of structs", Binary, h("0f0001 0c 7fffffff 00"), As::Dyn, default, Eof),
        ("list over the limit", Binary, h(&format!("0f0001 03 0000000b {} 00", rep("01", 11))), As::Dyn, small_containers, SizeLimit),
        ("negative string length", Binary, h("0b0001 ffffffff 00"), As::Dyn, default, NegativeSize),
        ("negative list size", Binary, h("0f0001 08 80000000 00"), As::Dyn, default, NegativeSize),
        ("negative map size", Binary, h("0d0001 0808 fffffffe 00"), As::Dyn, default, NegativeSize),
        ("struct nesting", Binary, h(&(rep("0c0001", 70) + &rep("00", 71))), As::Dyn, default, DepthLimit),
        ("list nesting", Binary, h(&format!("0f0001 {} 00", rep("0f00000001", 70))), As::Dyn, default, DepthLimit),
        ("map nesting", Binary, h(&format!("0d0001 {} 00", rep("080d00000001 00000000", 70))), As::Dyn, default, DepthLimit),
        ("nesting in a skipped field", Binary, h(&format!("0c0063 {}", rep("0c0001", 70))), As::All, default, DepthLimit),
        ("nesting past a lowered limit", Binary, h("0c0001 0c0001 00 00 00"), As::Dyn, shallow, DepthLimit),
        ("invalid UTF-8", Binary, h("0b0007 00000002 c328 00"), As::All, default, InvalidUtf8),
        ("unknown field type", Binary, h("110001 00"), As::Dyn, default, InvalidData),
        ("VOID field type", Binary, h("010001 00"), As::Dyn, default, InvalidData),
        ("unknown list element type", Binary, h("0f0001 11 00000001 00 00"), As::Dyn, default, InvalidData),
        ("list of STOP elements", Binary, h("0f0001 00 7fffffff 00"), As::Dyn, default, InvalidData),
        ("bad strict version", Binary, h("80020001 00000000 00000000 00"), As::Msg, default, BadVersion),
        ("strict read, old header", Binary, h("00000000 01 00000000 00"), As::StrictMsg, default, BadVersion),
        ("unknown message type", Binary, h("80010005 00000000 00000000 00"), As::Msg, default, InvalidData),
        ("trailing bytes", Binary, h("00 00"), As::Dyn, default, InvalidData),
        ("missing required field", Binary, h("00"), As::All, default, MissingRequiredField { r#struct: "AllTypes", field: "a_i32" }),
        // ---- compact ----
        ("empty input", Compact, h(""), As::Dyn, default, Eof),
        ("truncated varint", Compact, h("15 80"), As::Dyn, default, Eof),
        ("bad protocol id", Compact, h("83 21 01 00 00"), As::Msg, default, BadVersion),
        ("bad version", Compact, h("82 22 01 00 00"), As::Msg, default, BadVersion),
        ("unknown message type", Compact, h("82 a1 01 00 00"), As::Msg, default, InvalidData),
        ("i64 varint over 10 bytes", Compact, h(&format!("16 {} 01 00", rep("ff", 10))), As::Dyn, default, InvalidData),
        ("i32 varint over 5 bytes", Compact, h("15 ffffffffff 01 00"), As::Dyn, default, InvalidData),
        ("varint over 32 bits", Compact, h("15 ffffffff1f 00"), As::Dyn, default, InvalidData),
        ("i16 out of range", Compact, h("14 ffff07 00"), As::Dyn, default, InvalidData),
        ("huge string length", Compact, h("18 ffffffff07 61 00"), As::Dyn, default, Eof),
        ("string over the limit", Compact, h("18 11 {} 00".replace("{}", &rep("61", 17)).as_str()), As::Dyn, small_strings, SizeLimit),
        ("negative string length", Compact, h("18 ffffffff0f 00"), As::Dyn, default, NegativeSize),
        ("huge list count", Compact, h("19 f5 ffffffff07 01 00"), As::Dyn, default, Eof),
        ("huge set count", Compact, h("1a f5 ffffffff07 00"), As::Dyn, default, Eof),
        ("huge map count", Compact, h("1b ffffffff07 55 00"), As::Dyn, default, Eof),
        ("huge list of doubles", Compact, h(&format!("19 f7 808004 {} 00", rep("00", 64))), As::Dyn, default, Eof),
        ("list over the limit", Compact, h(&format!("19 f3 0b {} 00", rep("01", 11))), As::Dyn, small_containers, SizeLimit),
        ("negative list count", Compact, h("19 f5 ffffffff0f 00"), As::Dyn, default, NegativeSize),
        ("struct nesting", Compact, h(&(rep("1c", 70) + &rep("00", 71))), As::Dyn, default, DepthLimit),
        ("list nesting", Compact, h(&format!("19 {} 00", rep("19", 70))), As::Dyn, default, DepthLimit),
        ("map nesting", Compact, h(&format!("1b {} 00", rep("01 5b 02", 70))), As::Dyn, default, DepthLimit),
        ("nesting in a skipped field", Compact, h(&format!("0c c601 {}", rep("1c", 70))), As::All, default, DepthLimit),
        ("invalid UTF-8", Compact, h("78 02 c328 00"), As::All, default, InvalidUtf8),
        ("unknown field type", Compact, h("1e 00"), As::Dyn, default, InvalidData),
        ("STOP type with a delta", Compact, h("10 00"), As::Dyn, default, InvalidData),
        ("unknown list element type", Compact, h("19 1e 00"), As::Dyn, default, InvalidData),
        ("bad bool element", Compact, h("19 21 03 01 00"), As::Dyn, default, InvalidData),
        ("map of STOP types", Compact, h("1b 01 00 00"), As::Dyn, default, InvalidData),
        ("field id delta overflow", Compact, h("05 feff03 00 15 00 00"), As::Dyn, default, InvalidData),
        ("trailing bytes", Compact, h("00 00"), As::Dyn, default, InvalidData),
        ("missing required field", Compact, h("00"), As::All, default, MissingRequiredField { r#struct: "AllTypes", field: "a_i32" }),
    ];

    let mut failures = Vec::new();
    for (name, proto, input, what, limits, expected) in table {
        match run(proto, input, what, limits) {
            Err(e) if e.kind() == expected => {}
            other => failures.push(format!(
                "{proto:?} {name}: expected {expected:?}, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Cutting a valid message anywhere gives `Eof`, never another error, a
/// panic, or a bogus success.
#[test]
fn truncated_at_every_position() {
    let id = TMessageIdentifier::new("echo".into(), TMessageType::Reply, -3);
    let mut value = sample();
    value.a_uuid = Some([7; 16]);
    let encodings = [
        (Proto::Binary, binary::encode_message(&id, &value).unwrap()),
        (
            Proto::Compact,
            compact::encode_message(&id, &value).unwrap(),
        ),
    ];
    for (proto, full) in encodings {
        let decode = |b: Bytes| match proto {
            Proto::Binary => binary::decode_message::<AllTypes>(b).map(drop),
            Proto::Compact => compact::decode_message::<AllTypes>(b).map(drop),
        };
        decode(full.clone()).unwrap();
        for cut in 0..full.len() {
            let err = decode(full.slice(..cut)).expect_err("a truncated message decoded");
            assert_eq!(
                err.kind(),
                DecodeErrorKind::Eof,
                "{proto:?} cut at {cut}: {err}"
            );
        }
    }
}

/// A known field id with an unexpected wire type is skipped, as Apache's
/// generated code does; the rest of the struct still decodes.
#[test]
fn wrong_wire_type_is_skipped() {
    // field 4 (i32) sent as a string, then as the right type; field 7
    // (string) sent as an i32.
    let binary_input = h("0b0004 00000002 6869  080004 00000005  080007 00000009 00");
    let got: AllTypes = binary::decode(Bytes::from(binary_input)).unwrap();
    assert_eq!(got.a_i32, 5);
    assert_eq!(got.a_string, "");
    assert!(got.unknown.is_empty());

    let compact_input = h("48 02 6869  05 08 0a  35 12 00");
    let got: AllTypes = compact::decode(Bytes::from(compact_input)).unwrap();
    assert_eq!(got.a_i32, 5);
    assert_eq!(got.a_string, "");

    // Only the wrong type: the required field is missing.
    let err = binary::decode::<AllTypes>(Bytes::from(h("0b0004 00000000 00"))).unwrap_err();
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::MissingRequiredField { field: "a_i32", .. }
    ));
}

/// Skipping any type over hostile input fails cleanly, with the same kinds.
#[test]
fn skip_is_bounded() {
    use pilota::thrift::TType;
    let mut p = binary::TBinaryInputProtocol::new(Bytes::from(h(&rep("0f00000001", 100))));
    assert_eq!(
        p.skip(TType::List).unwrap_err().kind(),
        DecodeErrorKind::DepthLimit
    );
    let mut p = compact::TCompactInputProtocol::new(Bytes::from(h("f9 ffffffff07")));
    assert_eq!(
        p.skip(TType::List).unwrap_err().kind(),
        DecodeErrorKind::Eof
    );
    let mut p = binary::TBinaryInputProtocol::new(Bytes::from(h("00")));
    assert_eq!(
        p.skip(TType::Stop).unwrap_err().kind(),
        DecodeErrorKind::InvalidData
    );
}
