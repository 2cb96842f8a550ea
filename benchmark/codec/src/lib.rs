//! Codec benchmarks of this repository's Thrift runtime and generated code
//! against two published peers: `pilota` 0.13 (with code from
//! `pilota-build` 0.13) and the Apache `thrift` 0.17 crate (with code from
//! `thrift --gen rs`).
//!
//! Each binding is its own crate (`codec-ours`, `codec-peer-pilota`,
//! `codec-peer-thrift`) because generated code names its runtime
//! `::pilota` in both Pilota generators. This crate builds the same
//! [`sample::Sample`] in each binding, wraps each codec path behind plain
//! functions ([`ours`], [`peer_pilota`], [`peer_thrift`]), and checks with
//! [`check_same_encoding`] that all three write the same bytes, so the
//! benchmarks compare equal work.
//!
//! ```
//! let sample = codec_bench::sample::standard();
//! let len = codec_bench::check_same_encoding(&sample)?;
//! assert!(len > 1024);
//!
//! let fixture = codec_bench::Fixture::new(&sample)?;
//! assert_eq!(fixture.binary.len(), len);
//! assert_eq!(codec_bench::ours::decode_binary(fixture.binary.clone()).ok(), Some(fixture.ours));
//! # Ok::<(), codec_bench::Mismatch>(())
//! ```

pub mod canonical;
pub mod ours;
pub mod peer_pilota;
pub mod peer_thrift;
pub mod sample;

use std::fmt;

use bytes::{Bytes, BytesMut};

use crate::{canonical::canonical_struct, sample::Sample};

/// The bindings do not do the same work for a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch(String);

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Mismatch {}

fn mismatch(what: impl fmt::Display) -> Mismatch {
    Mismatch(what.to_string())
}

/// The three binary encodings of `sample`, in the order ours, pilota 0.13,
/// thrift.
pub fn binary_encodings(sample: &Sample) -> Result<[Vec<u8>; 3], Mismatch> {
    let mut buf = BytesMut::new();
    ours::encode_binary(&ours::build(sample), &mut buf).map_err(mismatch)?;
    let ours = buf.to_vec();
    peer_pilota::encode_binary(&peer_pilota::build(sample), &mut buf).map_err(mismatch)?;
    let pilota = buf.to_vec();
    let mut thrift = Vec::new();
    peer_thrift::encode_binary(&peer_thrift::build(sample), &mut thrift).map_err(mismatch)?;
    Ok([ours, pilota, thrift])
}

/// Checks that the three bindings write the same binary encoding of
/// `sample` (byte for byte, up to the order of map entries; see
/// [`canonical`]) and that both size passes give its exact length, which is
/// returned.
pub fn check_same_encoding(sample: &Sample) -> Result<usize, Mismatch> {
    let [ours, pilota, thrift] = binary_encodings(sample)?;
    let canonical = |name: &str, bytes: &[u8]| {
        canonical_struct(bytes).map_err(|e| mismatch(format!("{name}: {e}")))
    };
    let reference = canonical("thrift", &thrift)?;
    for (name, bytes) in [("ours", &ours), ("pilota 0.13", &pilota)] {
        if canonical(name, bytes)? != reference {
            return Err(mismatch(format!(
                "{name} encodes {} bytes that differ from thrift's {} bytes",
                bytes.len(),
                thrift.len()
            )));
        }
    }
    let sizes = [
        ("ours", ours::binary_size(&ours::build(sample))),
        (
            "pilota 0.13",
            peer_pilota::binary_size(&peer_pilota::build(sample)),
        ),
    ];
    for (name, size) in sizes {
        if size != thrift.len() {
            return Err(mismatch(format!(
                "{name} computes a size of {size} for {} bytes",
                thrift.len()
            )));
        }
    }
    Ok(thrift.len())
}

/// What the benchmarks measure: one sample built in each binding, and the
/// bytes every decoder reads.
#[derive(Debug)]
pub struct Fixture {
    /// The sample in our generated type.
    pub ours: ours::Value,
    /// The sample in pilota 0.13's generated type.
    pub pilota: peer_pilota::Value,
    /// The sample in thrift's generated type.
    pub thrift: peer_thrift::Value,
    /// The binary encoding all decoders read (thrift's: its map is sorted).
    pub binary: Bytes,
    /// The compact encoding all decoders read (thrift's).
    pub compact: Bytes,
}

impl Fixture {
    /// Builds `sample` in each binding, after checking with
    /// [`check_same_encoding`] that they do the same work.
    pub fn new(sample: &Sample) -> Result<Self, Mismatch> {
        check_same_encoding(sample)?;
        let thrift = peer_thrift::build(sample);
        let mut binary = Vec::new();
        peer_thrift::encode_binary(&thrift, &mut binary).map_err(mismatch)?;
        let mut compact = Vec::new();
        peer_thrift::encode_compact(&thrift, &mut compact).map_err(mismatch)?;
        Ok(Fixture {
            ours: ours::build(sample),
            pilota: peer_pilota::build(sample),
            thrift,
            binary: Bytes::from(binary),
            compact: Bytes::from(compact),
        })
    }
}
