//! Generates code with volo-build into `OUT_DIR`: the test IDLs of `idl/`
//! (once as they are, once without unknown fields into `OUT_DIR/no_unknown`),
//! and, with the `corpus` feature, every file of the shared IDL corpus that
//! declares a service (into `OUT_DIR/corpus`), so that all of it compiles
//! under `#![deny(warnings)]`.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

fn main() {
    volo_build::thrift::Builder::new()
        .include_dir("idl")
        .add_idl("idl/echo.thrift")
        .add_idl("idl/all.thrift")
        .write_or_exit();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    volo_build::thrift::Builder::new()
        .add_idl("idl/all.thrift")
        .unknown_fields(false)
        .out_dir(out.join("no_unknown"))
        .write_or_exit();
    if std::env::var_os("CARGO_FEATURE_CORPUS").is_some() {
        let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
        corpus(&manifest.join("../../../shared/idl-corpus/thrift"), &out);
    }
}

/// Generates every corpus file with a service that generates at all (the
/// `volo-build` tests check which ones do) and lists them in `corpus/mod.rs`.
fn corpus(thrift: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", thrift.display());
    let dir = out.join("corpus");
    let mut files = Vec::new();
    service_files(thrift, &mut files);
    files.sort();
    let mut modules = String::new();
    let mut count = 0usize;
    for (index, file) in files.iter().enumerate() {
        let includes = extra_includes(thrift, file);
        let builder = includes
            .into_iter()
            .fold(volo_build::thrift::Builder::new(), |b, d| b.include_dir(d));
        let Ok(generated) = builder.generate(file) else {
            continue;
        };
        std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
        let name = format!("f{index:03}.rs");
        std::fs::write(dir.join(&name), generated.code).expect("OUT_DIR is writable");
        let relative = file
            .strip_prefix(thrift)
            .unwrap_or(file)
            .display()
            .to_string();
        writeln!(
            modules,
            "/// Generated from `{relative}`.\npub mod f{index:03} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/corpus/{name}\"));\n}}"
        )
        .expect("write to a String");
        count += 1;
    }
    writeln!(modules, "/// How many corpus files were generated and compiled.\npub const COMPILED: usize = {count};")
        .expect("write to a String");
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    std::fs::write(dir.join("mod.rs"), modules).expect("OUT_DIR is writable");
}

fn service_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            service_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "thrift")
            && std::fs::read_to_string(&path).is_ok_and(|s| s.contains("service"))
        {
            out.push(path);
        }
    }
}

/// The include directories some corpus files need besides their own.
fn extra_includes(thrift: &Path, file: &Path) -> Vec<PathBuf> {
    let relative = file
        .strip_prefix(thrift)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/");
    let rs = "apache-thrift/lib/rs/test_recursive/src";
    if relative.starts_with("apache-thrift/lib/go/test/") {
        vec![thrift.join("apache-thrift/test")]
    } else if relative == "scribe/if/scribe.thrift" {
        vec![thrift.join("apache-thrift/contrib")]
    } else if relative.starts_with(rs) {
        ["", "/transit", "/transit/light", "/transit/services"]
            .iter()
            .map(|sub| thrift.join(format!("{rs}{sub}")))
            .collect()
    } else {
        Vec::new()
    }
}
