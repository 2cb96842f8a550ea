//! The shared Thrift IDL corpus: how many files parse, generate and compile.
//!
//! `build.rs` generated every corpus file the parser accepts, and this crate compiled
//! the result under `#![deny(warnings)]`: reaching this test means it all compiled.

use pilota_codegen_tests::corpus_stats::{FAILURES, FOUND, GENERATED, PARSED, TOTAL};

#[test]
fn corpus_parses_generates_and_compiles() {
    if !FOUND {
        panic!(
            "the Thrift IDL corpus is missing: expected `shared/idl-corpus/thrift` next to \
             the workspace root (rebuild after restoring it)"
        );
    }
    println!("thrift corpus: {TOTAL} files, {PARSED} parsed, {GENERATED} generated and compiled");
    for (file, why) in FAILURES {
        println!("  not generated: {file}: {why}");
    }
    assert_eq!(TOTAL, 232, "files in the corpus");
    // The two files Apache Thrift 0.25 rejects are the only ones the parser rejects.
    let rejected: Vec<&str> = FAILURES.iter().map(|(file, _)| *file).collect();
    assert_eq!(
        rejected,
        [
            "apache-thrift/test/BrokenConstants.thrift",
            "cassandra/interface/cassandra.thrift"
        ]
    );
    assert_eq!(PARSED, 230);
    assert_eq!(GENERATED, 230);
}
