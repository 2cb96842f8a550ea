//! Byte equality with Apache Thrift's Python library.
//!
//! Needs the `thrift` compiler (Debian: `apt-get install thrift-compiler`) and
//! the Python package (`pip install thrift`); `scripts/test.sh` installs both.
//! The test fails, saying what to install, when either is missing.

#[allow(dead_code)]
mod common;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
};

use common::all_types::{AllTypes, sample};
use pilota::{
    Bytes, BytesMut,
    thrift::{Message, TMessageIdentifier, TMessageType, TOutputProtocol, binary, compact},
};

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

fn require_tools() {
    let thrift = Command::new("thrift").arg("--version").output();
    assert!(
        thrift.is_ok_and(|o| o.status.success()),
        "the `thrift` compiler is missing: install it (Debian: `apt-get install -y \
         thrift-compiler`) to run the Apache Thrift interop test"
    );
    let python = Command::new("python3")
        .args(["-c", "import thrift"])
        .output();
    assert!(
        python.is_ok_and(|o| o.status.success()),
        "python3 with Apache Thrift's library is missing: install it \
         (`pip install thrift`) to run the Apache Thrift interop test"
    );
}

/// Runs the Python encoder and returns its outputs by name.
fn python_encodings() -> HashMap<String, Bytes> {
    require_tools();
    let out_dir = std::env::temp_dir().join(format!("pilota-interop-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("create a temp dir");
    let gen_status = Command::new("thrift")
        .args(["--gen", "py", "--allow-neg-keys", "-out"])
        .arg(&out_dir)
        .arg(interop_dir().join("all_types.thrift"))
        .status()
        .expect("run thrift");
    assert!(gen_status.success(), "thrift --gen py failed");
    let output = Command::new("python3")
        .arg(interop_dir().join("encode.py"))
        .arg(&out_dir)
        .output()
        .expect("run python3");
    // Best effort: a leftover temp dir does no harm.
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        output.status.success(),
        "encode.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8 output")
        .lines()
        .map(|line| {
            let (name, hex) = line.split_once(' ').expect("`name hex` lines");
            (name.to_owned(), Bytes::from(decode_hex(hex)))
        })
        .collect()
}

fn decode_hex(hex: &str) -> Vec<u8> {
    assert!(hex.len() % 2 == 0, "odd hex length");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
        .collect()
}

fn call() -> TMessageIdentifier {
    TMessageIdentifier::new("echo".into(), TMessageType::Call, 7)
}

/// Encodes a message the way the Python script does, with the given output
/// protocol (strict or not).
fn message_with<P: TOutputProtocol>(mut p: P, value: &AllTypes) -> P {
    p.write_message_begin(&call()).unwrap();
    value.encode(&mut p).unwrap();
    p.write_message_end().unwrap();
    p
}

#[test]
fn byte_equal_with_apache_thrift_python() {
    let python = python_encodings();
    let value = sample();
    let get = |name: &str| {
        python
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}"))
    };

    // Struct bytes (TMemoryBuffer), both directions.
    assert_eq!(binary::encode(&value).unwrap(), get("binary_struct"));
    assert_eq!(compact::encode(&value).unwrap(), get("compact_struct"));
    assert_eq!(
        binary::decode::<AllTypes>(get("binary_struct")).unwrap(),
        value
    );
    assert_eq!(
        compact::decode::<AllTypes>(get("compact_struct")).unwrap(),
        value
    );

    // Full messages.
    assert_eq!(
        binary::encode_message(&call(), &value).unwrap(),
        get("binary_message")
    );
    let non_strict = message_with(
        binary::TBinaryProtocol::new(BytesMut::new()).with_strict_write(false),
        &value,
    );
    assert_eq!(
        non_strict.into_inner().freeze(),
        get("binary_nonstrict_message")
    );
    assert_eq!(
        compact::encode_message(&call(), &value).unwrap(),
        get("compact_message")
    );

    for (name, decoded) in [
        (
            "binary_message",
            binary::decode_message::<AllTypes>(get("binary_message")),
        ),
        (
            "binary_nonstrict_message",
            binary::decode_message::<AllTypes>(get("binary_nonstrict_message")),
        ),
        (
            "compact_message",
            compact::decode_message::<AllTypes>(get("compact_message")),
        ),
    ] {
        let (id, got) = decoded.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(id, call(), "{name}");
        assert_eq!(got, value, "{name}");
    }
}
