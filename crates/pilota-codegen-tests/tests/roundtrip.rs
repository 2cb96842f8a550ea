//! Round trips of the generated fixture types through the binary and compact
//! protocols, plus the behaviours the generator promises (defaults, unknown fields,
//! unknown enum values, required fields, type mismatches, unions, results).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use pilota::thrift::{DecodeError, DecodeErrorKind, EncodeError, Message, binary, compact};
use pilota::{Bytes, FastStr, OrderedFloat};
use pilota_codegen_tests::all::all::{
    AnnotatedStruct, Color, Containers, Defaults, DefaultsOnly, EmptyUnion, Forest, Invalid,
    NotFound, PersonV1, PersonV2, Primitives, Shape, StoreGetArgs2, StoreGetResult, StorePutResult,
    StoreResultResult, Tree,
};
use pilota_codegen_tests::all::shared::{SharedKind, SharedPoint};
use pilota_codegen_tests::all_no_unknown;

type Encode<M> = fn(&M) -> Result<Bytes, EncodeError>;
type Decode<M> = fn(Bytes) -> Result<M, DecodeError>;

/// Both protocols, by name.
fn protocols<M: Message>() -> [(&'static str, Encode<M>, Decode<M>); 2] {
    [
        ("binary", binary::encode::<M>, binary::decode::<M>),
        ("compact", compact::encode::<M>, compact::decode::<M>),
    ]
}

/// Encodes in both protocols, checks the exact size, decodes and compares.
fn round_trip<M: Message + PartialEq + std::fmt::Debug>(value: &M) {
    for (name, encode, decode) in protocols::<M>() {
        let bytes = encode(value).unwrap_or_else(|e| panic!("{name}: encode: {e}"));
        let size = match name {
            "binary" => value.size(&mut binary::TBinaryLengthProtocol::new()),
            _ => value.size(&mut compact::TCompactLengthProtocol::new()),
        };
        assert_eq!(
            size,
            bytes.len(),
            "{name}: size() must equal the encoded length"
        );
        let back = decode(bytes).unwrap_or_else(|e| panic!("{name}: decode: {e}"));
        assert_eq!(&back, value, "{name}: round trip");
    }
}

fn point(x: i32, y: i32) -> SharedPoint {
    SharedPoint {
        x,
        y,
        ..Default::default()
    }
}

fn primitives() -> Primitives {
    Primitives {
        a_bool: true,
        a_byte: -8,
        a_i16: -1600,
        a_i32: 1 << 20,
        a_i64: -(1 << 40),
        a_double: -2.5e100,
        a_string: FastStr::from_static_str("héllo wörld"),
        a_binary: Bytes::from_static(b"\x00\x01\xff"),
        a_uuid: *b"0123456789abcdef",
        a_timestamp: 1_700_000_000,
        ..Default::default()
    }
}

#[test]
fn primitives_round_trip() {
    round_trip(&primitives());
    round_trip(&Primitives::default());
}

#[test]
fn containers_round_trip() {
    let value = Containers {
        ints: Some(vec![1, -2, i32::MAX]),
        names: Some(HashSet::from(["a".into(), "b".into()])),
        nested: Some(HashMap::from([
            ("k".into(), vec![1, 2]),
            ("e".into(), vec![]),
        ])),
        deep: Some(vec![
            HashMap::from([(1, HashSet::from([1i64, 2]))]),
            HashMap::new(),
        ]),
        doubles: Some(HashSet::from([OrderedFloat(1.5), OrderedFloat(-0.0)])),
        by_double: Some(HashMap::from([(OrderedFloat(2.0), "two".into())])),
        structs: Some(vec![primitives(), Primitives::default()]),
        points: Some(HashMap::from([
            (Color::RED, point(1, 2)),
            (Color(77), point(3, 4)),
        ])),
        blobs: Some(vec![vec![vec![Bytes::from_static(b"x")], vec![]]]),
        point_set: Some(vec![point(5, 6), point(5, 6)]),
        aliased: Some(vec!["alias".into()]),
        flags: Some(vec![true, false, true]),
        weights: Some(HashMap::from([(7, 0.25)])),
        ..Default::default()
    };
    round_trip(&value);
    round_trip(&Containers::default());
}

#[test]
fn defaults_are_applied() {
    let d = Defaults::default();
    assert_eq!(d.req_plain, 0);
    assert_eq!(d.req_default, 42);
    assert_eq!(d.opt_plain, None);
    assert_eq!(d.opt_default.as_deref(), Some("hello"));
    assert_eq!(d.def_plain, None);
    assert_eq!(d.def_default, "world");
    assert_eq!(d.def_scalar, 0);
    assert_eq!(d.ratio, 1.5);
    assert_eq!(d.color, Color::GREEN);
    assert_eq!(d.numbers, vec![1, 2, 3]);
    assert_eq!(d.table, HashMap::from([("a".into(), 1), ("b".into(), 2)]));
    assert_eq!((d.origin.x, d.origin.y), (3, 4));
    assert!(d.flag);
    assert_eq!(d.created, 1000);
    assert_eq!(d.kind, SharedKind::B);
    assert_eq!(d.id[0], 0x00);
    assert_eq!(d.id[15], 0xff);
    assert_eq!(d.tags, HashSet::from(["x".into()]));
    assert_eq!(d.opt_scalar, None);
    round_trip(&d);

    // An empty struct on the wire: absent fields take their IDL defaults.
    for (name, _, decode) in protocols::<DefaultsOnly>() {
        let empty = Bytes::from_static(&[0]);
        let d = decode(empty).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.number, 5, "{name}");
        assert_eq!(d.text, "x", "{name}");
        assert_eq!(
            d.maybe, None,
            "{name}: an absent optional field stays unset"
        );
        assert_eq!(d.items, None, "{name}");
        assert_eq!(d.color, Color::BLUE, "{name}");
    }
    assert_eq!(DefaultsOnly::default().maybe, Some(3));
}

#[test]
fn missing_required_field_is_an_error() {
    for (name, _, decode) in protocols::<Primitives>() {
        let err = decode(Bytes::from_static(&[0])).unwrap_err();
        assert_eq!(
            err.kind(),
            DecodeErrorKind::MissingRequiredField {
                r#struct: "Primitives",
                field: "a_bool"
            },
            "{name}"
        );
    }
    // `Defaults` has required fields with and without a default value.
    let bytes = binary::encode(&DefaultsOnly::default()).unwrap();
    let err = binary::decode::<Defaults>(bytes).unwrap_err();
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::MissingRequiredField { .. }
    ));
}

#[test]
fn unknown_fields_are_preserved() {
    let v2 = PersonV2 {
        name: "ann".into(),
        age: 41,
        tags: Some(vec!["a".into(), "b".into()]),
        active: true,
        home: Some(point(-1, 9)),
        color: Color(1234),
        ..Default::default()
    };
    for (name, encode, decode) in protocols::<PersonV2>() {
        let bytes = encode(&v2).unwrap();
        // An older reader keeps what it does not know...
        let old: PersonV1 = match name {
            "binary" => binary::decode(bytes.clone()).unwrap(),
            _ => compact::decode(bytes.clone()).unwrap(),
        };
        assert_eq!(old.name, "ann");
        assert_eq!(old._unknown_fields.len(), 5, "{name}");
        // ...and writes it back byte for byte.
        let again = match name {
            "binary" => binary::encode(&old).unwrap(),
            _ => compact::encode(&old).unwrap(),
        };
        assert_eq!(again, bytes, "{name}: re-encoding keeps the unknown fields");
        assert_eq!(decode(again).unwrap(), v2, "{name}");
    }

    // Without unknown fields, they are skipped.
    let bytes = binary::encode(&v2).unwrap();
    let old: all_no_unknown::all::PersonV1 = binary::decode(bytes).unwrap();
    assert_eq!(old.name, "ann");
    let again = binary::encode(&old).unwrap();
    let v2_again: PersonV2 = binary::decode(again).unwrap();
    assert_eq!(v2_again.age, 0);
    assert_eq!(v2_again.tags, None);
}

#[test]
fn unknown_enum_values_survive() {
    let value = Defaults {
        color: Color(99),
        kind: SharedKind(-7),
        ..Default::default()
    };
    round_trip(&value);
    assert_eq!(Color(99).name(), None);
    assert_eq!(Color(99).to_string(), "99");
    assert_eq!(format!("{:?}", Color(99)), "Color(99)");
    assert_eq!(Color::GREEN.0, 2);
    assert_eq!(Color::BLUE.0, 16);
    assert_eq!(Color::NEGATIVE.0, -3);
    assert_eq!(Color::GREEN.to_string(), "GREEN");
    assert_eq!(format!("{:?}", Color::RED), "Color::RED");
    assert_eq!(Color::from_name("BLUE"), Some(Color::BLUE));
    assert_eq!(Color::from_name("name"), Some(Color::NAME));
    assert_eq!(Color::FROM_NAME.name(), Some("from_name"));
    assert_eq!(Color::from_name("PURPLE"), None);
    assert_eq!(i32::from(Color::from(5)), 5);
}

#[test]
fn mismatched_wire_type_is_skipped() {
    // `DefaultsOnly.number` (id 1) is an i32; send it as a string, then field 5 as i32.
    let mut bytes = vec![11u8, 0, 1, 0, 0, 0, 3, b'a', b'b', b'c'];
    bytes.extend([8, 0, 5, 0, 0, 0, 1, 0]);
    let d: DefaultsOnly = binary::decode(Bytes::from(bytes)).unwrap();
    assert_eq!(
        d.number, 5,
        "the mismatched field is skipped: the default stays"
    );
    assert_eq!(d.color, Color::RED);
    assert!(d._unknown_fields.is_empty(), "a skipped field is not kept");
}

#[test]
fn unions() {
    round_trip(&Shape::Point(point(1, 2)));
    round_trip(&Shape::Radius(0.5));
    round_trip(&Shape::Label("l".into()));
    assert_eq!(Shape::default(), Shape::Point(SharedPoint::default()));

    for (name, _, decode) in protocols::<Shape>() {
        let err = decode(Bytes::from_static(&[0])).unwrap_err();
        assert_eq!(
            err.kind(),
            DecodeErrorKind::InvalidData,
            "{name}: empty union"
        );
    }
    // Two fields set.
    let two = [
        11u8, 0, 3, 0, 0, 0, 1, b'a', 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let err = binary::decode::<Shape>(Bytes::copy_from_slice(&two)).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::InvalidData);

    // A variant this code does not know is kept and written back.
    let unknown = Bytes::from_static(&[8, 0, 9, 0, 0, 0, 7, 0]);
    let shape: Shape = binary::decode(unknown.clone()).unwrap();
    assert!(matches!(&shape, Shape::_UnknownFields(f) if f.len() == 1));
    assert_eq!(binary::encode(&shape).unwrap(), unknown);
    // Unknown fields off: the same input is an error.
    assert!(binary::decode::<all_no_unknown::all::Shape>(unknown).is_err());

    round_trip(&EmptyUnion::default());
}

#[test]
fn recursive_structs_are_boxed() {
    let tree = Tree {
        value: 1,
        left: Some(Box::new(Tree {
            value: 2,
            ..Default::default()
        })),
        children: Some(vec![Tree::default()]),
        // Tree -> Forest -> Tree: both links are boxed.
        forest: Some(Box::new(Forest {
            first: Some(Box::new(Tree::default())),
            ..Default::default()
        })),
        ..Default::default()
    };
    round_trip(&tree);
}

#[test]
fn exceptions_are_errors() {
    let e = NotFound {
        message: Some("no tree 7".into()),
        code: 404,
        ..Default::default()
    };
    assert_eq!(e.to_string(), "NotFound: no tree 7");
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), "NotFound: no tree 7");
    let invalid = Invalid {
        reason: "bad".into(),
        ..Default::default()
    };
    assert_eq!(invalid.to_string(), "Invalid");
    round_trip(&e);
}

#[test]
fn service_results() {
    round_trip(&StoreGetResult::Ok(Tree::default()));
    round_trip(&StoreGetResult::NotFound(NotFound::default()));
    round_trip(&StoreGetResult::Invalid(Invalid::default()));
    round_trip(&StorePutResult::Ok(()));
    round_trip(&StorePutResult::Invalid(Invalid::default()));
    round_trip(&StoreResultResult::Ok(Default::default()));

    // A void result is an empty struct; a non-void one without a field is an error.
    assert_eq!(
        binary::encode(&StorePutResult::Ok(())).unwrap(),
        Bytes::from_static(&[0])
    );
    assert_eq!(
        binary::decode::<StorePutResult>(Bytes::from_static(&[0])).unwrap(),
        StorePutResult::Ok(())
    );
    assert!(binary::decode::<StoreGetResult>(Bytes::from_static(&[0])).is_err());

    // The IDL's own `StoreGetArgs` struct kept its name; the generated one got a suffix.
    let args = StoreGetArgs2 {
        id: 7,
        hint: Some("h".into()),
        ..Default::default()
    };
    round_trip(&args);
}

#[test]
fn annotations_change_types() {
    let value = AnnotatedStruct {
        std_string: Some(String::from("std")),
        ordered: Some(BTreeSet::from([3, 1, 2])),
        ordered_map: Some(BTreeMap::from([("b".into(), 2), ("a".into(), 1)])),
        shared_point: Some(Arc::new(point(1, 1))),
        new_name: 5,
        other_name: 6,
        ..Default::default()
    };
    round_trip(&value);
}
