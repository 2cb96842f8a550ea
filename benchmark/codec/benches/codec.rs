//! Encode, decode and size of one realistic request, in each binding.
//!
//! Every binding encodes the same values and decodes the same bytes (checked
//! before anything is measured). Set `CODEC_BENCH_REVERSE=1` to measure the
//! bindings of each group in reverse order, to spot drift on a noisy machine.

use std::hint::black_box;
use std::time::Duration;

use bytes::BytesMut;
use codec_bench::{Fixture, ours, peer_pilota, peer_thrift, sample};
use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};

/// The bindings of a group, in measuring order.
fn order<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    if std::env::var_os("CODEC_BENCH_REVERSE").is_some_and(|v| v == "1") {
        names.reverse();
    }
    names
}

/// The standard sample in each binding; panics (ending the benchmark) if the
/// bindings do not do the same work.
fn fixture() -> Fixture {
    match Fixture::new(&sample::standard()) {
        Ok(fixture) => fixture,
        Err(mismatch) => panic!("the bindings do not do the same work: {mismatch}"),
    }
}

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group
}

fn binary(c: &mut Criterion) {
    let f = fixture();
    let len = f.binary.len();

    let mut g = group(c, "binary_encode", len);
    for name in order(&["ours", "pilota", "thrift"]) {
        match name {
            "ours" => {
                let mut buf = BytesMut::new();
                g.bench_function(name, |b| {
                    b.iter(|| ours::encode_binary(black_box(&f.ours), &mut buf).unwrap())
                });
            }
            "pilota" => {
                let mut buf = BytesMut::new();
                g.bench_function(name, |b| {
                    b.iter(|| peer_pilota::encode_binary(black_box(&f.pilota), &mut buf).unwrap())
                });
            }
            _ => {
                let mut buf = Vec::new();
                g.bench_function(name, |b| {
                    b.iter(|| peer_thrift::encode_binary(black_box(&f.thrift), &mut buf).unwrap())
                });
            }
        }
    }
    g.finish();

    let mut g = group(c, "binary_decode", len);
    for name in order(&["ours", "pilota", "pilota_unsafe", "thrift"]) {
        g.bench_function(name, |b| match name {
            "ours" => b.iter(|| ours::decode_binary(black_box(f.binary.clone())).unwrap()),
            "pilota" => b.iter(|| peer_pilota::decode_binary(black_box(f.binary.clone())).unwrap()),
            "pilota_unsafe" => b.iter(|| {
                // SAFETY: `f.binary` is a complete encoding of a `Request`,
                // written by an encoder and checked against the other two.
                unsafe { peer_pilota::decode_binary_unchecked(black_box(f.binary.clone())) }
                    .unwrap()
            }),
            _ => b.iter(|| peer_thrift::decode_binary(black_box(&f.binary)).unwrap()),
        });
    }
    g.finish();

    let mut g = group(c, "binary_size", len);
    for name in order(&["ours", "pilota"]) {
        g.bench_function(name, |b| match name {
            "ours" => b.iter(|| ours::binary_size(black_box(&f.ours))),
            _ => b.iter(|| peer_pilota::binary_size(black_box(&f.pilota))),
        });
    }
    g.finish();
}

fn compact(c: &mut Criterion) {
    let f = fixture();
    let len = f.compact.len();

    let mut g = group(c, "compact_encode", len);
    for name in order(&["ours", "pilota", "thrift"]) {
        match name {
            "ours" => {
                let mut buf = BytesMut::new();
                g.bench_function(name, |b| {
                    b.iter(|| ours::encode_compact(black_box(&f.ours), &mut buf).unwrap())
                });
            }
            "pilota" => {
                let mut buf = BytesMut::new();
                g.bench_function(name, |b| {
                    b.iter(|| peer_pilota::encode_compact(black_box(&f.pilota), &mut buf).unwrap())
                });
            }
            _ => {
                let mut buf = Vec::new();
                g.bench_function(name, |b| {
                    b.iter(|| peer_thrift::encode_compact(black_box(&f.thrift), &mut buf).unwrap())
                });
            }
        }
    }
    g.finish();

    // pilota 0.13 panics decoding a compact struct with a bool field, so it
    // has no entry here (see `peer_pilota::decode_compact`).
    let mut g = group(c, "compact_decode", len);
    for name in order(&["ours", "thrift"]) {
        g.bench_function(name, |b| match name {
            "ours" => b.iter(|| ours::decode_compact(black_box(f.compact.clone())).unwrap()),
            _ => b.iter(|| peer_thrift::decode_compact(black_box(&f.compact)).unwrap()),
        });
    }
    g.finish();

    let mut g = group(c, "compact_size", len);
    for name in order(&["ours", "pilota"]) {
        g.bench_function(name, |b| match name {
            "ours" => b.iter(|| ours::compact_size(black_box(&f.ours))),
            _ => b.iter(|| peer_pilota::compact_size(black_box(&f.pilota))),
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60)
}

criterion_group! {
    name = benches;
    config = config();
    targets = binary, compact
}
criterion_main!(benches);
