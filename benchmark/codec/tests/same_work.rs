//! The bindings encode the same bytes, decode each other's bytes, and size
//! their encodings exactly, so the benchmarks compare equal work.

use bytes::{Bytes, BytesMut};
use codec_bench::{
    binary_encodings,
    canonical::{CanonicalError, canonical_struct},
    check_same_encoding, ours, peer_pilota, peer_thrift,
    sample::{self, Sample},
};

fn samples() -> Vec<Sample> {
    let mut no_attachment = sample::sample(3, 2, 10);
    no_attachment.attachment = None;
    vec![
        sample::standard(),
        sample::sample(0, 0, 0),
        sample::sample(1, 1, 1),
        no_attachment,
        sample::sample(200, 64, 64 * 1024),
    ]
}

#[test]
fn bindings_write_the_same_binary_encoding() {
    for sample in samples() {
        let len = check_same_encoding(&sample).unwrap();
        let [ours, pilota, thrift] = binary_encodings(&sample).unwrap();
        assert_eq!((ours.len(), pilota.len()), (len, len));
        // With at most one map entry there is no order to normalise: the
        // bytes themselves are identical.
        if sample.tags.len() <= 1 {
            assert_eq!(ours, thrift);
            assert_eq!(pilota, thrift);
        }
    }
}

#[test]
fn a_different_value_is_caught() {
    let sample = sample::standard();
    let [ours, _, thrift] = binary_encodings(&sample).unwrap();
    let mut other = sample.clone();
    other.items[7].quantity += 1;
    let [changed, _, _] = binary_encodings(&other).unwrap();
    assert_eq!(changed.len(), ours.len());
    assert_ne!(
        canonical_struct(&changed).unwrap(),
        canonical_struct(&thrift).unwrap()
    );
}

#[test]
fn every_decoder_reads_thrifts_bytes_back_to_the_sample() {
    for sample in samples() {
        let mut binary = Vec::new();
        peer_thrift::encode_binary(&peer_thrift::build(&sample), &mut binary).unwrap();
        let binary = Bytes::from(binary);
        assert_eq!(
            ours::decode_binary(binary.clone()).unwrap(),
            ours::build(&sample)
        );
        assert_eq!(
            peer_pilota::decode_binary(binary.clone()).unwrap(),
            peer_pilota::build(&sample)
        );
        // SAFETY: `binary` is a complete encoding written by the thrift crate.
        let unchecked = unsafe { peer_pilota::decode_binary_unchecked(binary.clone()) }.unwrap();
        assert_eq!(unchecked, peer_pilota::build(&sample));
        assert_eq!(
            peer_thrift::decode_binary(&binary).unwrap(),
            peer_thrift::build(&sample)
        );
    }
}

#[test]
fn compact_encodings_are_the_same_work() {
    for sample in samples() {
        let mut buf = BytesMut::new();
        ours::encode_compact(&ours::build(&sample), &mut buf).unwrap();
        let from_ours = buf.split().freeze();
        assert_eq!(from_ours.len(), ours::compact_size(&ours::build(&sample)));
        let mut from_thrift = Vec::new();
        peer_thrift::encode_compact(&peer_thrift::build(&sample), &mut from_thrift).unwrap();
        assert_eq!(from_ours.len(), from_thrift.len());
        if sample.tags.len() <= 1 {
            assert_eq!(from_ours, from_thrift);
        }
        // Each decoder reads the other's bytes back to the same value (pilota
        // 0.13 cannot decode compact `Request`s: see below).
        for bytes in [from_ours, Bytes::from(from_thrift)] {
            assert_eq!(
                ours::decode_compact(bytes.clone()).unwrap(),
                ours::build(&sample)
            );
            assert_eq!(
                peer_thrift::decode_compact(&bytes).unwrap(),
                peer_thrift::build(&sample)
            );
        }
    }
}

/// pilota 0.13 writes compact doubles big-endian (the compact protocol's are
/// little-endian): the same amount of work as the others, but not the same
/// bytes. Everything else matches.
#[test]
fn pilota_013_compact_encoding_differs_only_in_double_byte_order() {
    for sample in samples() {
        let mut buf = BytesMut::new();
        peer_pilota::encode_compact(&peer_pilota::build(&sample), &mut buf).unwrap();
        let from_pilota = buf.freeze();
        assert_eq!(
            from_pilota.len(),
            peer_pilota::compact_size(&peer_pilota::build(&sample))
        );
        let mut expected = ours::build(&sample);
        expected.score = f64::from_bits(sample.score.to_bits().swap_bytes());
        assert_eq!(ours::decode_compact(from_pilota).unwrap(), expected);
    }
}

/// Why the benchmarks skip pilota 0.13's compact decode: it panics on a
/// struct with a bool field. If this test fails, the peer was fixed: add
/// its compact decode to the benchmarks.
#[test]
fn pilota_013_compact_decode_panics_on_a_bool_field() {
    let mut buf = BytesMut::new();
    ours::encode_compact(&ours::build(&sample::standard()), &mut buf).unwrap();
    let bytes = buf.freeze();
    let outcome = std::panic::catch_unwind(|| peer_pilota::decode_compact(bytes));
    assert!(
        outcome.is_err(),
        "pilota 0.13 now decodes compact bools: {outcome:?}"
    );
}

#[test]
fn canonical_form_sorts_maps_and_keeps_the_rest() {
    // struct { 1: i32 7, 2: map<string, i16> {"b": 2, "a": 1}, 3: list<byte> [9, 8] }
    let unsorted: Vec<u8> = [
        &[8, 0, 1, 0, 0, 0, 7][..],
        &[13, 0, 2, 11, 6, 0, 0, 0, 2],
        &[0, 0, 0, 1, b'b', 0, 2],
        &[0, 0, 0, 1, b'a', 0, 1],
        &[15, 0, 3, 3, 0, 0, 0, 2, 9, 8],
        &[0],
    ]
    .concat();
    let sorted: Vec<u8> = [
        &[8, 0, 1, 0, 0, 0, 7][..],
        &[13, 0, 2, 11, 6, 0, 0, 0, 2],
        &[0, 0, 0, 1, b'a', 0, 1],
        &[0, 0, 0, 1, b'b', 0, 2],
        &[15, 0, 3, 3, 0, 0, 0, 2, 9, 8],
        &[0],
    ]
    .concat();
    assert_eq!(canonical_struct(&unsorted).unwrap(), sorted);
    assert_eq!(canonical_struct(&sorted).unwrap(), sorted);
}

#[test]
fn canonical_form_rejects_malformed_input() {
    let err = |bytes: &[u8]| canonical_struct(bytes).unwrap_err();
    assert_eq!(
        err(&[]),
        CanonicalError {
            offset: 0,
            reason: "truncated input"
        }
    );
    assert_eq!(err(&[8, 0, 1, 0, 0]).reason, "truncated input");
    assert_eq!(
        err(&[0, 0]),
        CanonicalError {
            offset: 1,
            reason: "trailing bytes after the struct"
        }
    );
    assert_eq!(err(&[7, 0, 1]).reason, "unknown type byte");
    assert_eq!(
        err(&[11, 0, 1, 0xff, 0xff, 0xff, 0xff]).reason,
        "negative length"
    );
    assert_eq!(
        err(&[13, 0, 1, 11, 11, 0x7f, 0xff, 0xff, 0xff]).reason,
        "map count larger than the input"
    );
    // A list of a billion structs with no bytes behind it fails at once.
    assert_eq!(
        err(&[15, 0, 1, 12, 0x3b, 0x9a, 0xca, 0x00]).reason,
        "truncated input"
    );
    let deep: Vec<u8> = std::iter::repeat_n([12u8, 0, 1], 100).flatten().collect();
    assert_eq!(err(&deep).reason, "nesting too deep");
}
