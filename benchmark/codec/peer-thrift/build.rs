//! Generates the benchmark types with the Apache Thrift compiler (`thrift --gen rs`).

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let idl = PathBuf::from("../idl/bench.thrift");
    println!("cargo:rerun-if-changed={}", idl.display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let status = match Command::new("thrift")
        .args(["--gen", "rs", "-out"])
        .arg(&out_dir)
        .arg(&idl)
        .status()
    {
        Ok(status) => status,
        Err(e) => panic!(
            "cannot run the `thrift` compiler ({e}): install thrift-compiler (0.17, e.g. `apt-get install thrift-compiler`)"
        ),
    };
    assert!(
        status.success(),
        "`thrift --gen rs` failed on {}: {status}",
        idl.display()
    );
    // The compiler writes a crate-root file with inner attributes, which `include!`
    // cannot take inside a module: drop them (lib.rs carries the equivalent allows).
    let generated = out_dir.join("bench.rs");
    let code = std::fs::read_to_string(&generated).expect("thrift wrote bench.rs");
    let code: String = code
        .lines()
        .filter(|line| !line.starts_with("#!["))
        .flat_map(|line| [line, "\n"])
        .collect();
    std::fs::write(&generated, code).expect("rewrite bench.rs");
}
