//! `ConfigBuilder`: generating every entry of a `volo.yml`, git sources
//! from the local cache, and the errors for what cannot be generated.

mod common;

use std::path::Path;

use common::TempDir;
use volo_build::{ConfigBuilder, config::ConfigError};

const GOOD: &str = "tests/fixtures/config/good/volo.yml";
const BAD: &str = "tests/fixtures/config/bad";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn generates_local_and_cached_git_entries() {
    let tmp = TempDir::new("good");
    let cache = tmp.0.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let cached = TempDir(cache.clone());
    cached.write(
        "common/0123abcd/base/user.thrift",
        "namespace rs user\nstruct User { 1: string name }\nservice UserService { User get(1: i64 id) }\n",
    );

    let out = tmp.0.join("out");
    let written = ConfigBuilder::with_file(GOOD)
        .out_dir(&out)
        .git_cache_dir(&cache)
        .write()
        .unwrap();
    assert_eq!(
        written,
        [out.join("volo_gen.rs"), out.join("remote_gen.rs")]
    );

    let local = read(&written[0]);
    assert!(local.contains("pub trait Echo:"), "{local}");
    assert!(local.contains("pub struct EchoClient {"));
    // The include found through `includes: [idl/common]` is generated too.
    assert!(local.contains("pub struct Meta"));
    // `keep_unknown_fields: true` keeps them.
    assert!(local.contains("_unknown_fields"));

    let remote = read(&written[1]);
    assert!(remote.contains("pub trait UserService:"), "{remote}");
    assert!(remote.contains("pub struct User"));
    // Volo's default: unknown fields are dropped.
    assert!(!remote.contains("_unknown_fields"));
}

#[test]
fn rewriting_an_unchanged_entry_keeps_the_file() {
    let tmp = TempDir::new("unchanged");
    tmp.write(
        "idl/echo.thrift",
        "namespace rs echo\nservice Echo { string echo(1: string msg) }\n",
    );
    let config = tmp.write(
        "volo.yml",
        "entries:\n  default:\n    protocol: thrift\n    filename: gen/echo_gen.rs\n    services:\n      - idl: { path: idl/echo.thrift }\n",
    );
    let builder = ConfigBuilder::with_file(&config).out_dir(tmp.0.join("out"));
    let first = builder.write().unwrap();
    assert_eq!(first, [tmp.0.join("out/gen/echo_gen.rs")]);
    let code = read(&first[0]);
    let modified = std::fs::metadata(&first[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(builder.write().unwrap(), first);
    assert_eq!(read(&first[0]), code);
    assert_eq!(
        std::fs::metadata(&first[0]).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn services_of_one_entry_are_generated_into_one_file() {
    let tmp = TempDir::new("two");
    tmp.write("a.thrift", "namespace rs a\nservice A { void ping() }\n");
    tmp.write("b.thrift", "namespace rs b\nservice B { void pong() }\n");
    let config = tmp.write(
        "volo.yml",
        "entries:\n  both:\n    protocol: thrift\n    filename: both.rs\n    services:\n      - idl: { path: a.thrift }\n      - idl: { path: b.thrift }\n",
    );
    let written = ConfigBuilder::with_file(&config)
        .out_dir(tmp.0.join("out"))
        .write()
        .unwrap();
    let code = read(&written[0]);
    let a = code.find("pub trait A:").expect("A generated");
    let b = code.find("pub trait B:").expect("B generated");
    assert!(a < b);
}

#[test]
fn services_sharing_an_include_generate_it_once() {
    let tmp = TempDir::new("shared");
    tmp.write(
        "common.thrift",
        "namespace rs common\nstruct C { 1: i32 x }\n",
    );
    tmp.write(
        "a.thrift",
        "namespace rs a\ninclude \"common.thrift\"\nservice A { common.C get() }\n",
    );
    tmp.write(
        "b.thrift",
        "namespace rs b\ninclude \"common.thrift\"\nservice B { common.C get() }\n",
    );
    let config = tmp.write(
        "volo.yml",
        "entries:\n  both:\n    protocol: thrift\n    filename: both.rs\n    services:\n      - idl: { path: a.thrift }\n        codegen_option: { keep_unknown_fields: true }\n      - idl: { path: b.thrift }\n",
    );
    let written = ConfigBuilder::with_file(&config)
        .out_dir(tmp.0.join("out"))
        .write()
        .unwrap();
    let code = read(&written[0]);
    assert_eq!(code.matches("pub mod common {").count(), 1, "{code}");
    assert_eq!(code.matches("pub struct C {").count(), 1);
    assert!(code.contains("pub trait A:") && code.contains("pub trait B:"));
    // `a.thrift` keeps unknown fields, so the file it includes does too.
    let common = &code[code.find("pub mod common {").unwrap()..];
    assert!(common.contains("_unknown_fields"), "{common}");
}

#[test]
fn protobuf_entry_is_not_supported_yet() {
    let tmp = TempDir::new("protobuf");
    let error = ConfigBuilder::with_file(format!("{BAD}/protobuf.yml"))
        .out_dir(&tmp.0)
        .write()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::Unsupported { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{BAD}/protobuf.yml: entries.grpc.protocol: not supported yet: entry `grpc` is `protobuf`; only `thrift` entries generate code"
        )
    );
    assert!(std::fs::read_dir(&tmp.0).unwrap().next().is_none());
}

#[test]
fn unsupported_volo_option_is_named() {
    let tmp = TempDir::new("option");
    let error = ConfigBuilder::with_file(format!("{BAD}/unsupported_option.yml"))
        .out_dir(&tmp.0)
        .write()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{BAD}/unsupported_option.yml: entries.default.with_field_mask: not supported yet: option `with_field_mask`"
        )
    );
}

#[test]
fn git_source_without_cache_names_repo_and_expected_path() {
    let tmp = TempDir::new("nocache");
    let cache = tmp.0.join("cache");
    let error = ConfigBuilder::with_file(format!("{BAD}/git_not_cached.yml"))
        .out_dir(tmp.0.join("out"))
        .git_cache_dir(&cache)
        .write()
        .unwrap_err();
    let ConfigError::GitNotCached {
        repo,
        url,
        expected,
        ..
    } = &error
    else {
        panic!("expected GitNotCached, got {error:?}");
    };
    assert_eq!(repo, "common");
    assert_eq!(url, "https://example.com/org/idl.git");
    assert_eq!(expected, &cache.join("common").join("0123abcd"));
    assert_eq!(
        error.to_string(),
        format!(
            "{BAD}/git_not_cached.yml: entries.default.services[0].idl: git repo `common` (https://example.com/org/idl.git) is not in the local cache: expected a checkout at `{}` (build scripts never fetch; fill the cache with the volo command line tool)",
            expected.display()
        )
    );
}

#[test]
fn default_git_cache_is_next_to_the_config() {
    let tmp = TempDir::new("defaultcache");
    let error = ConfigBuilder::with_file(format!("{BAD}/git_not_cached.yml"))
        .out_dir(&tmp.0)
        .write()
        .unwrap_err();
    let ConfigError::GitNotCached { expected, .. } = &error else {
        panic!("expected GitNotCached, got {error:?}");
    };
    assert_eq!(expected, &Path::new(BAD).join(".volo/git/common/0123abcd"));
}

#[test]
fn cached_git_checkout_without_the_idl_is_named() {
    let tmp = TempDir::new("noidl");
    let cache = tmp.0.join("cache");
    std::fs::create_dir_all(cache.join("common/0123abcd")).unwrap();
    let error = ConfigBuilder::with_file(format!("{BAD}/git_not_cached.yml"))
        .out_dir(tmp.0.join("out"))
        .git_cache_dir(&cache)
        .write()
        .unwrap_err();
    assert!(matches!(error, ConfigError::Invalid { .. }), "{error:?}");
    assert!(
        error.to_string().contains(
            "entries.default.services[0].idl.path: `echo.thrift` does not exist in the checkout"
        ),
        "{error}"
    );
}

#[test]
fn git_repo_without_lock_is_an_error() {
    let tmp = TempDir::new("unlocked");
    let error = ConfigBuilder::with_file(format!("{BAD}/git_unlocked.yml"))
        .out_dir(&tmp.0)
        .git_cache_dir(&tmp.0)
        .write()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{BAD}/git_unlocked.yml: entries.default.repos.common.lock: repo `common` needs `lock`, the commit to build from (the volo command line tool fills it)"
        )
    );
}

#[test]
fn bad_idl_is_reported_with_its_diagnostics() {
    let tmp = TempDir::new("badidl");
    tmp.write("bad.thrift", "service Echo { Missing echo() }\n");
    let config = tmp.write(
        "volo.yml",
        "entries:\n  broken:\n    protocol: thrift\n    filename: broken.rs\n    services:\n      - idl: { path: bad.thrift }\n",
    );
    let error = ConfigBuilder::with_file(&config)
        .out_dir(tmp.0.join("out"))
        .write()
        .unwrap_err();
    assert!(matches!(error, ConfigError::Idl { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{}: entries.broken: cannot generate code:\n",
            config.display()
        )),
        "{message}"
    );
    assert!(message.contains("bad.thrift:1:16"), "{message}");
    assert!(!tmp.0.join("out/broken.rs").exists());
}

#[test]
fn default_reads_volo_yml_in_the_manifest_dir() {
    // This crate has no volo.yml: the default builder names the file it
    // looked for.
    let tmp = TempDir::new("default");
    let error = ConfigBuilder::default()
        .out_dir(&tmp.0)
        .write()
        .unwrap_err();
    let ConfigError::Read { file, .. } = &error else {
        panic!("expected a read error, got {error:?}");
    };
    assert_eq!(
        file,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("volo.yml")
    );
}

#[test]
fn schema_errors_stop_the_build_before_writing() {
    let tmp = TempDir::new("schema");
    let error = ConfigBuilder::with_file(format!("{BAD}/unknown_key.yml"))
        .out_dir(&tmp.0)
        .write()
        .unwrap_err();
    assert!(matches!(error, ConfigError::Parse { .. }), "{error:?}");
    assert!(std::fs::read_dir(&tmp.0).unwrap().next().is_none());
}
