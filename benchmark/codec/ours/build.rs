//! Generates the benchmark types with this repository's pilota-build.

use std::path::PathBuf;

fn main() {
    let idl = PathBuf::from("../idl/bench.thrift");
    println!("cargo:rerun-if-changed={}", idl.display());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("bench.rs");
    if let Err(diagnostics) = pilota_build::Builder::thrift().write_to(&idl, &out) {
        panic!("pilota-build failed on {}:\n{diagnostics}", idl.display());
    }
}
