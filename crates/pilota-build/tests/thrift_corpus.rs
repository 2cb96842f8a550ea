//! Every Thrift file of the shared IDL corpus: the files Apache Thrift 0.25 accepts
//! parse and resolve without error, the files it rejects are rejected with a diagnostic.

use std::fs;
use std::path::{Path, PathBuf};

use pilota_build::thrift::{self, ParseOptions};

/// The corpus lives next to the workspace: `<workspace>/../shared/idl-corpus`.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus")
}

/// The extra `-I` directories the corpus README lists, relative to `thrift/`.
fn extra_include_dirs(rel: &str) -> Vec<&'static str> {
    if rel == "apache-thrift/lib/go/test/IncludesTest.thrift"
        || rel == "apache-thrift/lib/go/test/NamespacedTest.thrift"
    {
        vec!["apache-thrift/test"]
    } else if rel == "scribe/if/scribe.thrift" {
        vec!["apache-thrift/contrib"]
    } else if rel.starts_with("apache-thrift/lib/rs/test_recursive/src/") {
        let base = "apache-thrift/lib/rs/test_recursive/src";
        vec![
            base,
            "apache-thrift/lib/rs/test_recursive/src/transit",
            "apache-thrift/lib/rs/test_recursive/src/transit/light",
            "apache-thrift/lib/rs/test_recursive/src/transit/services",
        ]
    } else {
        Vec::new()
    }
}

struct Row {
    file: String,
    accepted: bool,
    error: String,
}

fn results(corpus: &Path) -> Vec<Row> {
    let tsv = fs::read_to_string(corpus.join("compiler-results.tsv"))
        .expect("compiler-results.tsv must be readable");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header line").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name} missing"))
    };
    let (file_col, result_col, error_col) = (col("file"), col("result_b"), col("error_b"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols[file_col].starts_with("thrift/"))
        .map(|cols| Row {
            file: cols[file_col].to_owned(),
            accepted: match cols[result_col] {
                "accept" => true,
                "reject" => false,
                other => panic!("unexpected result {other}"),
            },
            error: cols.get(error_col).copied().unwrap_or("").to_owned(),
        })
        .collect()
}

#[test]
fn corpus_matches_thrift_0_25() {
    let corpus = corpus_dir();
    assert!(
        corpus.join("thrift").is_dir(),
        "the IDL corpus is missing: expected it at {} (clone the shared folder next to the \
         workspace)",
        corpus.display()
    );
    let thrift_dir = corpus.join("thrift");
    let rows = results(&corpus);
    assert!(
        rows.len() >= 200,
        "only {} thrift rows in the results",
        rows.len()
    );

    let (mut accepted_ok, mut accepted_total) = (0, 0);
    let (mut rejected_ok, mut rejected_total) = (0, 0);
    let mut failures = Vec::new();
    for row in &rows {
        let path = corpus.join(&row.file);
        let rel = row.file.strip_prefix("thrift/").unwrap_or(&row.file);
        // Mirrors the reference run: `-I <dir of FILE>` plus the README's extras.
        let mut options =
            ParseOptions::new().include_dir(path.parent().expect("file has a parent"));
        for dir in extra_include_dirs(rel) {
            options = options.include_dir(thrift_dir.join(dir));
        }
        let result = thrift::parse_files_with(&path, &options);
        if row.accepted {
            accepted_total += 1;
            match result {
                Ok(_) => accepted_ok += 1,
                Err(diags) => failures.push(format!("{rel} should be accepted:\n{diags}")),
            }
        } else {
            rejected_total += 1;
            match result {
                Ok(_) => failures.push(format!(
                    "{rel} should be rejected (reference: {})",
                    row.error
                )),
                Err(diags) => {
                    assert!(diags.has_errors());
                    let first = diags.errors().next().expect("an error");
                    assert!(
                        first.line() > 0,
                        "{rel}: the error has no position: {first}"
                    );
                    println!("{rel} rejected as expected:\n{diags}\n");
                    rejected_ok += 1;
                }
            }
        }
    }
    println!("{accepted_ok}/{accepted_total} accepted, {rejected_ok}/{rejected_total} rejected");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(rejected_total, 2, "the reference rejects two corpus files");
}

#[test]
fn rejected_corpus_files_get_the_expected_diagnostics() {
    let thrift_dir = corpus_dir().join("thrift");
    assert!(
        thrift_dir.is_dir(),
        "the IDL corpus is missing at {}",
        thrift_dir.display()
    );

    let broken = thrift_dir.join("apache-thrift/test/BrokenConstants.thrift");
    let diags = thrift::parse_files(&broken, &[]).expect_err("BrokenConstants must fail");
    let overflow = diags
        .errors()
        .find(|d| d.message().contains("9876543210987654321"))
        .unwrap_or_else(|| panic!("no overflow error in:\n{diags}"));
    assert!(overflow.message().contains("too big"), "{overflow}");

    let cassandra = thrift_dir.join("cassandra/interface/cassandra.thrift");
    let diags = thrift::parse_files(&cassandra, &[]).expect_err("cassandra must fail");
    let unqualified: Vec<_> = diags
        .errors()
        .filter(|d| d.message().contains("unqualified enum value `ONE`"))
        .collect();
    assert!(!unqualified.is_empty(), "{diags}");
    // The reference reports line 342 first; every use is reported here.
    assert!(unqualified.iter().any(|d| d.line() == 342), "{diags}");
}
