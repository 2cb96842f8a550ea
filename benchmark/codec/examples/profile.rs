//! Runs one codec operation in a loop, for a profiler: noise-free
//! instruction counts under callgrind, or `perf record` call graphs.
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind --toggle-collect='profile::measured' \
//!     target/release/examples/profile binary_decode/ours 1000
//! ```
//!
//! Only `measured` is collected (one call per iteration, plus one before the
//! loop), so the total instruction count divided by the iterations + 1 is the
//! cost of one operation.

use std::hint::black_box;
use std::process::ExitCode;

use bytes::BytesMut;
use codec_bench::{Fixture, ours, peer_pilota, peer_thrift, sample};

const OPERATIONS: &[&str] = &[
    "binary_encode/ours",
    "binary_encode/pilota",
    "binary_encode/thrift",
    "binary_decode/ours",
    "binary_decode/pilota",
    "binary_decode/pilota_unsafe",
    "binary_decode/thrift",
    "binary_size/ours",
    "binary_size/pilota",
    "compact_encode/ours",
    "compact_encode/pilota",
    "compact_encode/thrift",
    "compact_decode/ours",
    "compact_decode/thrift",
    "compact_size/ours",
    "compact_size/pilota",
];

/// The shared values plus the reused output buffers.
struct State {
    f: Fixture,
    bytes_mut: BytesMut,
    vec: Vec<u8>,
}

/// One run of `op`; never inlined, so a profiler can collect it alone.
#[inline(never)]
fn measured(op: &str, state: &mut State) {
    let State { f, bytes_mut, vec } = state;
    match op {
        "binary_encode/ours" => ours::encode_binary(&f.ours, bytes_mut).unwrap(),
        "binary_encode/pilota" => peer_pilota::encode_binary(&f.pilota, bytes_mut).unwrap(),
        "binary_encode/thrift" => peer_thrift::encode_binary(&f.thrift, vec).unwrap(),
        "binary_decode/ours" => drop(black_box(ours::decode_binary(f.binary.clone()).unwrap())),
        "binary_decode/pilota" => {
            drop(black_box(
                peer_pilota::decode_binary(f.binary.clone()).unwrap(),
            ));
        }
        "binary_decode/pilota_unsafe" => {
            // SAFETY: `f.binary` is a complete encoding of a `Request`,
            // written by the thrift crate and checked against the others.
            let value = unsafe { peer_pilota::decode_binary_unchecked(f.binary.clone()) };
            drop(black_box(value.unwrap()));
        }
        "binary_decode/thrift" => drop(black_box(peer_thrift::decode_binary(&f.binary).unwrap())),
        "binary_size/ours" => drop(black_box(ours::binary_size(&f.ours))),
        "binary_size/pilota" => drop(black_box(peer_pilota::binary_size(&f.pilota))),
        "compact_encode/ours" => ours::encode_compact(&f.ours, bytes_mut).unwrap(),
        "compact_encode/pilota" => {
            peer_pilota::encode_compact(&f.pilota, bytes_mut).unwrap();
        }
        "compact_encode/thrift" => peer_thrift::encode_compact(&f.thrift, vec).unwrap(),
        "compact_decode/ours" => drop(black_box(ours::decode_compact(f.compact.clone()).unwrap())),
        "compact_decode/thrift" => {
            drop(black_box(peer_thrift::decode_compact(&f.compact).unwrap()));
        }
        "compact_size/ours" => drop(black_box(ours::compact_size(&f.ours))),
        "compact_size/pilota" => drop(black_box(peer_pilota::compact_size(&f.pilota))),
        _ => unreachable!("operations are checked against OPERATIONS first"),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (op, iterations) = match args.as_slice() {
        [op, n] if OPERATIONS.contains(&op.as_str()) => match n.parse::<u64>() {
            Ok(n) => (op.as_str(), n),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    let mut state = match Fixture::new(&sample::standard()) {
        Ok(f) => State {
            f,
            bytes_mut: BytesMut::new(),
            vec: Vec::new(),
        },
        Err(mismatch) => {
            eprintln!("the bindings do not do the same work: {mismatch}");
            return ExitCode::FAILURE;
        }
    };
    // One run before the loop, so that the reused buffers have their
    // capacity (callgrind.sh counts it: iterations + 1 calls).
    measured(op, &mut state);
    for _ in 0..iterations {
        measured(black_box(op), &mut state);
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: profile OPERATION ITERATIONS\noperations:");
    for op in OPERATIONS {
        eprintln!("  {op}");
    }
    ExitCode::FAILURE
}
