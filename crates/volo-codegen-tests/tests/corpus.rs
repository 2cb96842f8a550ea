//! With the `corpus` feature, the glue of the shared IDL corpus compiled
//! (`build.rs` generated it, `src/lib.rs` included it).
#![cfg(feature = "corpus")]

use std::path::Path;

fn service_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                service_files(&path)
            } else {
                usize::from(
                    path.extension().is_some_and(|e| e == "thrift")
                        && std::fs::read_to_string(&path).is_ok_and(|s| s.contains("service")),
                )
            }
        })
        .sum()
}

#[test]
fn nearly_every_corpus_file_with_a_service_compiled() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus/thrift");
    let total = service_files(&corpus);
    let compiled = volo_codegen_tests::corpus::COMPILED;
    // The others are files the parser rejects (the reference compiler does too).
    assert!(
        compiled <= total && compiled * 10 >= total * 9,
        "{compiled} of {total}"
    );
}
