//! The `pilota` command-line front end, run as a real process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pilota(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pilota"))
        .args(args)
        .output()
        .expect("the pilota binary runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/codegen")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A fresh temporary directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pilota-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn generates_to_stdout() {
    let out = pilota(&["gen", &fixture("plugins.thrift")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap();
    assert!(code.contains("pub mod plugins"));
    assert!(code.contains("pub struct Event"));
    assert!(!code.contains("serde"));
}

#[test]
fn writes_to_a_file_with_options() {
    let dir = temp_dir("out");
    let target = dir.join("gen.rs");
    let out = pilota(&[
        "gen",
        &fixture("plugins.thrift"),
        "-o",
        target.to_str().unwrap(),
        "--serde",
        "--no-unknown-fields",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let code = std::fs::read_to_string(&target).unwrap();
    assert!(code.contains("::serde::Serialize"));
    assert!(!code.contains("UnknownFields"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn include_dirs_are_searched() {
    let dir = temp_dir("include");
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("common.thrift"), "struct Id { 1: i64 value }\n").unwrap();
    let root = dir.join("root.thrift");
    std::fs::write(
        &root,
        "include \"common.thrift\"\nstruct User { 1: common.Id id }\n",
    )
    .unwrap();

    let without = pilota(&["gen", root.to_str().unwrap()]);
    assert!(!without.status.success());

    let with = pilota(&["gen", "-I", lib.to_str().unwrap(), root.to_str().unwrap()]);
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let code = String::from_utf8(with.stdout).unwrap();
    assert!(code.contains("pub mod common"));
    assert!(code.contains("super::common::Id"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_idl_exits_non_zero_with_diagnostics() {
    let dir = temp_dir("bad");
    let bad = dir.join("bad.thrift");
    std::fs::write(
        &bad,
        "struct A {\n  1: Missing m\n  2: i32 ok\n}\nstruct B { 1: Other o }\n",
    )
    .unwrap();
    let out = pilota(&["gen", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.thrift:2:6"), "{stderr}");
    assert!(stderr.contains("unknown type `Missing`"), "{stderr}");
    assert!(
        stderr.contains("unknown type `Other`"),
        "every error is reported: {stderr}"
    );
    assert!(
        stderr.contains('^'),
        "the offending text is marked: {stderr}"
    );

    let missing = pilota(&["gen", dir.join("nope.thrift").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(!missing.stderr.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors() {
    let out = pilota(&["gen"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("FILE"));
    let help = pilota(&["gen", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--include"));
}
