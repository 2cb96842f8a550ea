//! `volo.yml` parsing and checking: the model of a good file, and the
//! rendered error of every bad one (file plus line:column or key path).

use std::path::{Path, PathBuf};

use volo_build::config::{ConfigError, Protocol, Source, VoloConfig};

const BAD: &str = "tests/fixtures/config/bad";

fn load_error(name: &str) -> ConfigError {
    VoloConfig::load(Path::new(BAD).join(name)).expect_err(name)
}

#[test]
fn good_file_parses_into_the_model() {
    let config = VoloConfig::load("tests/fixtures/config/good/volo.yml").unwrap();
    let names: Vec<&str> = config.entries.keys().map(String::as_str).collect();
    assert_eq!(names, ["default", "remote"]);

    let default = &config.entries["default"];
    assert_eq!(default.protocol, Protocol::Thrift);
    assert_eq!(default.filename, PathBuf::from("volo_gen.rs"));
    assert!(default.repos.is_empty());
    assert_eq!(default.services.len(), 1);
    let service = &default.services[0];
    assert_eq!(service.idl.source, Source::Local);
    assert_eq!(service.idl.repo, None);
    assert_eq!(service.idl.path, PathBuf::from("idl/echo.thrift"));
    assert_eq!(service.idl.includes, [PathBuf::from("idl/common")]);
    assert!(service.codegen_option.keep_unknown_fields);
    assert!(!default.split_generated_files && !default.touch_all);

    let remote = &config.entries["remote"];
    assert_eq!(remote.filename, PathBuf::from("remote_gen.rs"));
    let repo = &remote.repos["common"];
    assert_eq!(repo.url, "https://example.com/org/idl.git");
    assert_eq!(repo.git_ref, "main");
    assert_eq!(repo.lock.as_deref(), Some("0123abcd"));
    let idl = &remote.services[0].idl;
    assert_eq!(idl.source, Source::Git);
    assert_eq!(idl.repo.as_deref(), Some("common"));
    assert_eq!(idl.path, PathBuf::from("base/user.thrift"));
    assert!(!remote.services[0].codegen_option.keep_unknown_fields);
}

#[test]
fn defaults_apply_to_omitted_keys() {
    let config = VoloConfig::from_yaml(
        "entries:\n  e:\n    protocol: thrift\n    filename: a.rs\n    repos:\n      r: { url: u }\n    services:\n      - idl: { path: a.thrift }\n",
        "volo.yml",
    )
    .unwrap();
    let entry = &config.entries["e"];
    assert_eq!(entry.repos["r"].git_ref, "HEAD");
    assert_eq!(entry.repos["r"].lock, None);
    assert_eq!(entry.services[0].idl.source, Source::Local);
    assert!(entry.services[0].idl.includes.is_empty());
    assert!(!entry.services[0].codegen_option.keep_unknown_fields);
}

#[test]
fn schema_errors_carry_file_line_column_and_key_path() {
    let cases = [
        (
            "unknown_key.yml",
            7,
            11,
            "entries.default.services[0].idl: unknown field `sourc`, expected one of `source`, `repo`, `path`, `includes`",
        ),
        (
            "wrong_type.yml",
            9,
            32,
            "entries.default.services[0].codegen_option.keep_unknown_fields: invalid type: string \"maybe\", expected a boolean",
        ),
        (
            "missing_key.yml",
            3,
            5,
            "entries.default: missing field `filename`",
        ),
        (
            "bad_protocol.yml",
            3,
            15,
            "entries.default.protocol: unknown variant `grpc`, expected `thrift` or `protobuf`",
        ),
    ];
    for (name, line, column, message) in cases {
        let error = load_error(name);
        match &error {
            ConfigError::Parse {
                line: l,
                column: c,
                message: m,
                ..
            } => {
                assert_eq!((*l, *c, m.as_str()), (Some(line), Some(column), message));
            }
            other => panic!("{name}: expected a parse error, got {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            format!("{BAD}/{name}:{line}:{column}: {message}")
        );
    }
}

#[test]
fn yaml_syntax_error_has_a_location() {
    let error = load_error("not_yaml.yml");
    let ConfigError::Parse { line, column, .. } = &error else {
        panic!("expected a parse error, got {error:?}");
    };
    let (line, column) = (line.unwrap(), column.unwrap());
    assert!(line >= 3, "line {line}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("{BAD}/not_yaml.yml:{line}:{column}: ")),
        "{error}"
    );
}

#[test]
fn value_errors_carry_file_and_key_path() {
    let cases = [
        (
            "git_without_repo.yml",
            "entries.default.services[0].idl: `source: git` needs `repo`, the name of a repository in `entries.default.repos`",
        ),
        (
            "unknown_repo.yml",
            "entries.default.services[0].idl.repo: unknown repo `other`: not in `entries.default.repos` (it has: common)",
        ),
        (
            "local_with_repo.yml",
            "entries.default.services[0].idl.repo: `repo` is only used with `source: git`",
        ),
        (
            "missing_local.yml",
            "entries.default.services[0].idl.path: `idl/missing.thrift` does not exist (local paths are relative to the directory of the config file)",
        ),
        (
            "missing_include.yml",
            "entries.default.services[0].idl.includes[1]: directory `nowhere` does not exist (local paths are relative to the directory of the config file)",
        ),
        (
            "duplicate_filename.yml",
            "entries.second.filename: `gen.rs` is also the filename of entry `first`",
        ),
        (
            "escaping_filename.yml",
            "entries.default.filename: `../escape.rs` must be a relative path without `..` (it is written in the output directory)",
        ),
    ];
    for (name, expected) in cases {
        let error = load_error(name);
        assert!(
            matches!(error, ConfigError::Invalid { .. }),
            "{name}: {error:?}"
        );
        assert_eq!(error.to_string(), format!("{BAD}/{name}: {expected}"));
    }
}

#[test]
fn local_paths_are_relative_to_the_config_directory() {
    // The same file loads from any working directory: `idl/echo.thrift` is
    // looked up next to the config, not in the current directory.
    let absolute = std::env::current_dir()
        .unwrap()
        .join("tests/fixtures/config/good/volo.yml");
    assert!(VoloConfig::load(&absolute).is_ok());
    assert!(!Path::new("idl/echo.thrift").exists());
}

#[test]
fn unreadable_file_is_a_read_error() {
    let error = VoloConfig::load(Path::new(BAD).join("absent.yml")).unwrap_err();
    assert!(matches!(error, ConfigError::Read { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot read `{BAD}/absent.yml`: ")),
        "{error}"
    );
}

#[test]
fn empty_and_hostile_input_are_errors_not_panics() {
    for text in [
        "",
        "entries: 3",
        "- a\n- b",
        "entries:\n  x: &a [*a]",
        "\u{0}",
    ] {
        let error = VoloConfig::from_yaml(text, "volo.yml").unwrap_err();
        assert!(error.to_string().starts_with("volo.yml"), "{error}");
    }
}

#[test]
fn repeated_keys_are_errors_not_silent_overrides() {
    let entries = "entries:\n  a:\n    protocol: thrift\n    filename: a.rs\n    services: []\n  a:\n    protocol: thrift\n    filename: b.rs\n    services: []\n";
    let error = VoloConfig::from_yaml(entries, "volo.yml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "volo.yml:2:3: entries: duplicate key `a`"
    );

    let repos = "entries:\n  a:\n    protocol: thrift\n    filename: a.rs\n    repos:\n      r: { url: x }\n      r: { url: y }\n    services: []\n";
    let error = VoloConfig::from_yaml(repos, "volo.yml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "volo.yml:6:7: entries.a.repos: duplicate key `r`"
    );
}

#[test]
fn entry_without_services_is_an_error() {
    let dir = std::env::temp_dir().join(format!("volo-build-config-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("volo.yml");
    std::fs::write(
        &file,
        "entries:\n  a:\n    protocol: thrift\n    filename: a.rs\n    services: []\n",
    )
    .unwrap();
    let error = VoloConfig::load(&file).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: entries.a.services: an entry needs at least one service",
            file.display()
        )
    );
}
