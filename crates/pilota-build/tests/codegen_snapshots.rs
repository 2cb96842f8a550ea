//! Snapshot tests: the generated code for the fixtures in `tests/fixtures/codegen` is
//! compared with `tests/snapshots/*.rs`. Run with `UPDATE_SNAPSHOTS=1` to rewrite them
//! after an intended change (and review the diff).

use std::path::{Path, PathBuf};

use pilota_build::Builder;
use pilota_build::codegen::SerdePlugin;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn check(builder: Builder, fixture: &str, snapshot: &str) {
    let idl = dir().join("fixtures/codegen").join(fixture);
    let code = builder
        .generate(&idl)
        .unwrap_or_else(|d| panic!("generation failed:\n{d}"));
    let path = dir().join("snapshots").join(snapshot);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &code).expect("snapshot is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SNAPSHOTS=1)", path.display()));
    if code != expected {
        let line = code
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| code.lines().count().min(expected.lines().count()));
        panic!(
            "{} differs from the generated code at line {} (run with UPDATE_SNAPSHOTS=1 to \
             update):\n  generated: {:?}\n  snapshot:  {:?}",
            path.display(),
            line + 1,
            code.lines().nth(line),
            expected.lines().nth(line),
        );
    }
}

#[test]
fn all_features() {
    check(Builder::thrift(), "all.thrift", "all.rs");
}

#[test]
fn serde_plugin() {
    check(
        Builder::thrift().plugin(SerdePlugin),
        "plugins.thrift",
        "plugins_serde.rs",
    );
}

#[test]
fn generation_is_deterministic() {
    let idl = dir().join("fixtures/codegen/all.thrift");
    let first = Builder::thrift().generate(&idl).unwrap();
    for _ in 0..3 {
        assert_eq!(Builder::thrift().generate(&idl).unwrap(), first);
    }
}

#[test]
fn serde_plugin_output() {
    let idl = dir().join("fixtures/codegen/plugins.thrift");
    let code = Builder::thrift()
        .plugin(SerdePlugin)
        .generate(&idl)
        .unwrap();
    // Event, Payload and Level derive serde; unknown fields are skipped.
    assert_eq!(
        code.matches("#[derive(::serde::Serialize, ::serde::Deserialize)]")
            .count(),
        3
    );
    assert_eq!(code.matches("#[serde(skip)]").count(), 2);
    let plain = Builder::thrift().generate(&idl).unwrap();
    assert!(!plain.contains("serde"));
}

#[test]
fn unknown_fields_can_be_turned_off() {
    let idl = dir().join("fixtures/codegen/plugins.thrift");
    let with = Builder::thrift().generate(&idl).unwrap();
    let without = Builder::thrift()
        .unknown_fields(false)
        .generate(&idl)
        .unwrap();
    assert!(with.contains("pub _unknown_fields: ::pilota::thrift::UnknownFields"));
    assert!(with.contains("_UnknownFields(::pilota::thrift::UnknownFields)"));
    assert!(!without.contains("UnknownFields"));
}

#[test]
fn bad_idl_gives_diagnostics_with_positions() {
    let tmp = std::env::temp_dir().join(format!("pilota-build-snap-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let bad = tmp.join("bad.thrift");
    std::fs::write(&bad, "struct A {\n  1: Missing m\n}\n").unwrap();
    let err = Builder::thrift().generate(&bad).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad.thrift:2:6"), "{text}");
    assert!(text.contains("unknown type `Missing`"), "{text}");

    let missing = Builder::thrift()
        .generate(Path::new("/nonexistent/x.thrift"))
        .unwrap_err();
    assert!(missing.has_errors());

    // A rename annotation that is not an identifier is reported at the field.
    std::fs::write(
        &bad,
        "struct A {\n  1: i32 a (rust.name = \"not-an-ident\")\n}\n",
    )
    .unwrap();
    let err = Builder::thrift().generate(&bad).unwrap_err().to_string();
    assert!(err.contains("bad.thrift:2:3"), "{err}");
    assert!(err.contains("not a valid Rust identifier"), "{err}");
    std::fs::remove_dir_all(&tmp).unwrap();
}
