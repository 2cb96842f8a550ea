//! Generates the benchmark types with the published pilota-build 0.13.

use std::path::PathBuf;

fn main() {
    let idl = PathBuf::from("../idl/bench.thrift");
    println!("cargo:rerun-if-changed={}", idl.display());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("bench.rs");
    pilota_build::Builder::thrift()
        .ignore_unused(false)
        .compile([&idl], pilota_build::Output::File(out));
}
