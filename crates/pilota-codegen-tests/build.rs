//! Generates code from the codegen fixtures of `pilota-build` and from every file of the
//! shared Thrift IDL corpus into `OUT_DIR`, for `src/lib.rs` to `include!`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pilota_build::Builder;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let fixtures = manifest.join("../pilota-build/tests/fixtures/codegen");
    println!("cargo:rerun-if-changed={}", fixtures.display());

    let all = fixtures.join("all.thrift");
    write(Builder::thrift(), &all, &out.join("all.rs"));
    write(
        Builder::thrift().unknown_fields(false),
        &all,
        &out.join("all_no_unknown.rs"),
    );

    write(
        Builder::thrift().plugin(pilota_build::codegen::SerdePlugin),
        &fixtures.join("plugins.thrift"),
        &out.join("plugins_serde.rs"),
    );

    corpus(&manifest, &out);
}

/// Generates `idl` into `out`; a fixture that fails is a build error with diagnostics.
fn write(builder: Builder, idl: &Path, out: &Path) {
    if let Err(diagnostics) = builder.write_to(idl, out) {
        panic!(
            "code generation failed for {}:\n{diagnostics}",
            idl.display()
        );
    }
}

/// Extra include directories the corpus README lists, by path prefix (relative to the
/// corpus's `thrift/` folder).
fn extra_includes(thrift: &Path, relative: &str) -> Vec<PathBuf> {
    let rs = "apache-thrift/lib/rs/test_recursive/src";
    if relative == "apache-thrift/lib/go/test/IncludesTest.thrift"
        || relative == "apache-thrift/lib/go/test/NamespacedTest.thrift"
    {
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

fn thrift_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            thrift_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "thrift") {
            out.push(path);
        }
    }
}

/// Generates every corpus file the parser accepts into `OUT_DIR/corpus/`, and
/// `corpus_stats.rs` with the counts (and whether the corpus was found at all).
fn corpus(manifest: &Path, out: &Path) {
    let thrift = manifest.join("../../../shared/idl-corpus/thrift");
    println!("cargo:rerun-if-changed={}", thrift.display());
    let dir = out.join("corpus");
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    let mut files = Vec::new();
    thrift_files(&thrift, &mut files);
    files.sort();

    let mut modules = String::new();
    let mut failures = String::new();
    let (mut parsed, mut generated) = (0usize, 0usize);
    for (index, file) in files.iter().enumerate() {
        let relative = file
            .strip_prefix(&thrift)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let includes = extra_includes(&thrift, &relative);
        if pilota_build::thrift::parse_files(file, &includes).is_err() {
            writeln!(failures, "    ({relative:?}, \"parse\"),").expect("write to String");
            continue;
        }
        parsed += 1;
        let mut builder = Builder::thrift();
        for dir in includes {
            builder = builder.include_dir(dir);
        }
        let target = dir.join(format!("f{index:03}.rs"));
        match builder.write_to(file, &target) {
            Ok(()) => {
                generated += 1;
                let stem: String = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    .unwrap_or_default()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                writeln!(
                    modules,
                    "/// Generated from `{relative}`.\npub mod f{index:03}_{stem} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/corpus/f{index:03}.rs\"));\n}}"
                )
                .expect("write to String");
            }
            Err(diagnostics) => {
                let first = diagnostics
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                writeln!(failures, "    ({relative:?}, {first:?}),").expect("write to String");
            }
        }
    }
    std::fs::write(dir.join("mod.rs"), modules).expect("OUT_DIR is writable");
    let stats = format!(
        "/// Whether the corpus folder exists.\npub const FOUND: bool = {found};\n\
         /// Thrift files in the corpus.\npub const TOTAL: usize = {total};\n\
         /// Files the parser accepted.\npub const PARSED: usize = {parsed};\n\
         /// Files whose code was generated (and, since this crate built, compiled).\npub const GENERATED: usize = {generated};\n\
         /// Files that failed, with the stage or first diagnostic line.\npub const FAILURES: &[(&str, &str)] = &[\n{failures}];\n",
        found = thrift.is_dir(),
        total = files.len(),
    );
    std::fs::write(out.join("corpus_stats.rs"), stats).expect("OUT_DIR is writable");
}
