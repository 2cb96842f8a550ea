//! `volo.yml` codegen options: `touch`, `touch_all`, `dedups` and
//! `split_generated_files`.

mod common;

use std::path::{Path, PathBuf};

use common::TempDir;
use volo_build::{ConfigBuilder, config::ConfigError};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

const BASE: &str = "struct Base {\n    1: required string name,\n    2: optional i32 count,\n}\n";

/// Two IDLs, each defining `Base` and a service using it, plus `volo.yml`
/// with the given entry options (YAML lines, indented for the entry).
fn two_idls(tmp: &TempDir, options: &str) -> PathBuf {
    tmp.write(
        "idl/a.thrift",
        &format!(
            "namespace rs a\n/** A's docs. */\n{BASE}service A {{ Base get(1: Base base) }}\n"
        ),
    );
    tmp.write(
        "idl/b.thrift",
        &format!("namespace rs b\n{BASE}struct Wrapper {{ 1: required Base base }}\nservice B {{ Wrapper wrap(1: Base base) }}\n"),
    );
    tmp.write(
        "volo.yml",
        &format!(
            "entries:\n  default:\n    protocol: thrift\n    filename: volo_gen.rs\n{options}    services:\n      - idl: {{ path: idl/a.thrift }}\n      - idl: {{ path: idl/b.thrift }}\n"
        ),
    )
}

fn generate(tmp: &TempDir, config: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    ConfigBuilder::with_file(config)
        .out_dir(tmp.0.join("out"))
        .write()
}

#[test]
fn touch_names_that_exist_generate_as_usual() {
    let tmp = TempDir::new("touch");
    tmp.write(
        "idl/shared.thrift",
        "namespace rs common.shared\nstruct Point { 1: i32 x }\n",
    );
    tmp.write(
        "idl/echo.thrift",
        "namespace rs echo\ninclude \"shared.thrift\"\nstruct Unused { 1: i32 x }\nservice Echo { string echo(1: string msg) }\n",
    );
    let config = tmp.write(
        "volo.yml",
        "entries:\n  default:\n    protocol: thrift\n    filename: gen.rs\n    services:\n      - idl: { path: idl/echo.thrift }\n        codegen_option:\n          touch: [Unused, echo.Unused, common.shared.Point]\n",
    );
    let written = generate(&tmp, &config).unwrap();
    let code = read(&written[0]);
    assert!(code.contains("pub struct Unused {"), "{code}");
    assert!(code.contains("pub struct Point {"));
}

#[test]
fn touch_of_a_missing_item_names_the_key_and_the_name() {
    let tmp = TempDir::new("touch-missing");
    tmp.write(
        "idl/shared.thrift",
        "namespace rs shared\nstruct Point { 1: i32 x }\n",
    );
    tmp.write(
        "idl/echo.thrift",
        "namespace rs echo\ninclude \"shared.thrift\"\nservice Echo { string echo(1: string msg) }\n",
    );
    let config = tmp.write(
        "volo.yml",
        // `Point` is not an item of `echo.thrift` itself: it needs its namespace.
        "entries:\n  default:\n    protocol: thrift\n    filename: gen.rs\n    services:\n      - idl: { path: idl/echo.thrift }\n        codegen_option:\n          touch: [Echo, shared.Point, Point]\n",
    );
    let error = generate(&tmp, &config).unwrap_err();
    assert!(matches!(error, ConfigError::Invalid { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "{}: entries.default.services[0].codegen_option.touch[2]: `Point` is not an item of `idl/echo.thrift` (a name is `Type` for an item of this IDL file, or `namespace.path.Type`)",
            config.display()
        )
    );
    assert!(!tmp.0.join("out/gen.rs").exists());
}

#[test]
fn touch_all_generates_what_is_always_generated() {
    let tmp = TempDir::new("touch-all");
    let config = two_idls(&tmp, "");
    let without = read(&generate(&tmp, &config).unwrap()[0]);
    let config = two_idls(&tmp, "    touch_all: true\n");
    let with = read(&generate(&tmp, &config).unwrap()[0]);
    assert_eq!(with, without);
}

#[test]
fn without_dedups_each_idl_has_its_own_copy() {
    let tmp = TempDir::new("no-dedup");
    let config = two_idls(&tmp, "");
    let code = read(&generate(&tmp, &config).unwrap()[0]);
    assert_eq!(code.matches("pub struct Base {").count(), 2, "{code}");
}

#[test]
fn dedups_generate_one_type_that_both_modules_use() {
    let tmp = TempDir::new("dedup");
    let config = two_idls(&tmp, "    dedups: [Base]\n");
    let code = read(&generate(&tmp, &config).unwrap()[0]);
    assert_eq!(code.matches("pub struct Base {").count(), 1, "{code}");
    let b = &code[code.find("pub mod b {").unwrap()..];
    assert!(b.contains("pub use super::a::Base;"), "{b}");
    // The glue of both services is there, each naming `Base` in its module.
    assert!(code.contains("pub trait A:") && code.contains("pub trait B:"));
}

#[test]
fn dedups_of_differing_copies_name_both_files() {
    let tmp = TempDir::new("dedup-differ");
    let config = two_idls(&tmp, "    dedups: [Base]\n");
    tmp.write(
        "idl/b.thrift",
        "namespace rs b\nstruct Base { 1: required string name, 2: optional i64 count }\nservice B { Base get() }\n",
    );
    let error = generate(&tmp, &config).unwrap_err();
    assert!(matches!(error, ConfigError::Idl { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("cannot deduplicate `Base`: their definitions differ: `a.Base` in "),
        "{message}"
    );
    assert!(
        message.contains("a.thrift:3:1") && message.contains("b.thrift:2:1"),
        "{message}"
    );
}

#[test]
fn dedups_of_an_undefined_name_is_an_error() {
    let tmp = TempDir::new("dedup-missing");
    let config = two_idls(&tmp, "    dedups: [Bsae]\n");
    let message = generate(&tmp, &config).unwrap_err().to_string();
    assert!(
        message.contains("cannot deduplicate `Bsae`: no IDL file defines it"),
        "{message}"
    );
}

#[test]
fn split_generated_files_writes_one_file_per_module() {
    let tmp = TempDir::new("split");
    let whole = read(&generate(&tmp, &two_idls(&tmp, "    dedups: [Base]\n")).unwrap()[0]);

    let config = two_idls(
        &tmp,
        "    dedups: [Base]\n    split_generated_files: true\n",
    );
    let out = tmp.0.join("out");
    let stale = out.join("volo_gen/old.rs");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "compile_error!(\"left by an earlier run\");").unwrap();

    let written = generate(&tmp, &config).unwrap();
    assert_eq!(written, [out.join("volo_gen.rs")]);
    let main = read(&written[0]);
    assert!(main.contains("include!(\"volo_gen/a.rs\");"), "{main}");
    assert!(main.contains("include!(\"volo_gen/b.rs\");"));
    assert!(!stale.exists(), "stale module files are removed");
    let (a, b) = (
        read(&out.join("volo_gen/a.rs")),
        read(&out.join("volo_gen/b.rs")),
    );
    assert!(
        a.contains("pub struct Base {") && a.contains("pub trait A:"),
        "{a}"
    );
    assert!(
        b.contains("pub use super::a::Base;") && b.contains("pub trait B:"),
        "{b}"
    );

    // The same items as the single file: each item of the split files is in it.
    for item in [
        "pub struct Base {",
        "pub trait A:",
        "pub trait B:",
        "pub struct Wrapper {",
    ] {
        assert_eq!(
            whole.matches(item).count(),
            a.matches(item).count() + b.matches(item).count(),
            "{item}"
        );
    }

    // Nothing changed: nothing is rewritten.
    let modified = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before = (modified(&written[0]), modified(&out.join("volo_gen/a.rs")));
    std::thread::sleep(std::time::Duration::from_millis(20));
    generate(&tmp, &config).unwrap();
    assert_eq!(
        (modified(&written[0]), modified(&out.join("volo_gen/a.rs"))),
        before
    );

    // Back to one file: it holds everything again.
    let config = two_idls(&tmp, "    dedups: [Base]\n");
    generate(&tmp, &config).unwrap();
    assert_eq!(read(&written[0]), whole);
}

#[test]
fn entry_code_is_the_whole_entry_in_memory() {
    let tmp = TempDir::new("entry-code");
    let whole = read(&generate(&tmp, &two_idls(&tmp, "    dedups: [Base]\n")).unwrap()[0]);
    let config_file = two_idls(
        &tmp,
        "    dedups: [Base]\n    split_generated_files: true\n",
    );
    let config = volo_build::config::VoloConfig::load(&config_file).unwrap();
    let out = tmp.0.join("elsewhere");
    let builder = ConfigBuilder::with_file(&config_file).out_dir(&out);
    // Split or not, the code is one string, and nothing is written.
    assert_eq!(builder.entry_code(&config, "default").unwrap(), whole);
    assert!(!out.exists());
    let missing = builder.entry_code(&config, "nope").unwrap_err();
    assert!(missing.to_string().contains("no entry `nope`"), "{missing}");
}

#[test]
fn split_directory_cannot_hold_another_entry() {
    let tmp = TempDir::new("split-clash");
    tmp.write("idl/a.thrift", "namespace rs a\nstruct A { 1: i32 x }\n");
    let entry = |name: &str, filename: &str, split: bool| {
        format!(
            "  {name}:\n    protocol: thrift\n    filename: {filename}\n    split_generated_files: {split}\n    services:\n      - idl: {{ path: idl/a.thrift }}\n"
        )
    };
    for (second, message) in [
        (
            entry("two", "gen/two.rs", false),
            "entries.one.split_generated_files: the module files go to `gen`, where entry `two` writes too",
        ),
        (
            // `gen.txt` splits into `gen/` as well.
            entry("two", "gen.txt", true),
            "entries.one.split_generated_files: the module files go to `gen`, where entry `two` writes too",
        ),
    ] {
        let config = tmp.write(
            "volo.yml",
            &format!("entries:\n{}{second}", entry("one", "gen.rs", true)),
        );
        let error = generate(&tmp, &config).unwrap_err();
        assert!(matches!(error, ConfigError::Invalid { .. }), "{error:?}");
        assert!(error.to_string().ends_with(message), "{error}");
    }
    // Side by side is fine.
    let config = tmp.write(
        "volo.yml",
        &format!(
            "entries:\n{}{}",
            entry("one", "gen.rs", true),
            entry("two", "other.rs", true)
        ),
    );
    generate(&tmp, &config).unwrap();
    assert!(tmp.0.join("out/gen/a.rs").is_file());
    assert!(tmp.0.join("out/other/a.rs").is_file());
}

/// `tests/fixtures/config/options` generated into `tests/snapshots/options`
/// (compiled by `tests/generated_glue.rs`); run with `UPDATE_SNAPSHOTS=1` to
/// rewrite it after an intended change.
#[test]
fn options_snapshot_is_up_to_date() {
    let snapshot = Path::new("tests/snapshots/options");
    let config = "tests/fixtures/config/options/volo.yml";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        ConfigBuilder::with_file(config)
            .out_dir(snapshot)
            .write()
            .unwrap();
        return;
    }
    let tmp = TempDir::new("options-snapshot");
    ConfigBuilder::with_file(config)
        .out_dir(&tmp.0)
        .write()
        .unwrap();
    for file in ["volo_gen.rs", "volo_gen/a.rs", "volo_gen/b.rs"] {
        assert!(
            read(&tmp.0.join(file)) == read(&snapshot.join(file)),
            "{file} differs from the snapshot (run with UPDATE_SNAPSHOTS=1 to update)"
        );
    }
    let mut files = 0;
    for dir in [tmp.0.clone(), tmp.0.join("volo_gen")] {
        files += std::fs::read_dir(dir).unwrap().count();
    }
    assert_eq!(files, 4, "volo_gen.rs, volo_gen/ and its two files");
}
