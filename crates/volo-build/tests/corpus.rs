//! The service backend over the shared IDL corpus: every file with a service
//! that pilota-build generates code for, volo-build generates glue for too.

use std::path::{Path, PathBuf};

fn thrift_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            thrift_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "thrift")
            // Only files with services exercise the service backend.
            && std::fs::read_to_string(&path).is_ok_and(|s| s.contains("service"))
        {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_pilota_accepts_gets_glue() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus/thrift");
    let mut files = Vec::new();
    thrift_files(&corpus, &mut files);
    files.sort();
    let mut failures = Vec::new();
    let mut generated = 0;
    for file in &files {
        match volo_build::thrift::Builder::new().generate(file) {
            Ok(_) => generated += 1,
            // A file pilota-build rejects on its own is not the backend's failure.
            Err(_) if pilota_build::Builder::thrift().generate(file).is_err() => {}
            Err(d) => failures.push(format!(
                "{}: {}",
                file.display(),
                d.to_string().lines().next().unwrap_or("")
            )),
        }
    }
    let checked = generated + failures.len();
    assert!(
        failures.is_empty(),
        "{checked} checked, failures:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "{generated} of {} corpus files with services generated",
        files.len()
    );
    if corpus.is_dir() {
        assert!(checked > 0);
    }
}
