//! Writes `volo.yml`.
//!
//! An edit of an existing file is a targeted text edit ([`edit`]) that keeps
//! the rest of the file, comments included, byte for byte. When the file's
//! layout is not one those edits handle, the file is rendered anew from the
//! model instead, and its comments are lost ([`Saved::Rewritten`], which the
//! tool warns about).
//!
//! Either way, the text is parsed back with volo-build and compared with
//! the config that was meant before it is written: a value that would not
//! survive the trip is an error, never a silently different file.

pub(crate) mod edit;

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use volo_build::config::{Entry, Protocol, Service, Source, VoloConfig};

use crate::error::CliError;

/// The entry `volo init` makes.
pub(crate) const DEFAULT_ENTRY: &str = "default";
/// The generated file of that entry (in `OUT_DIR`).
pub(crate) const GENERATED_FILE: &str = "volo_gen.rs";

/// `volo.yml` of the project around `start`: in `start` or a parent, or in
/// the single `*-gen` directory of one of them (the layout `volo init` makes).
pub(crate) fn find_config(start: &Path) -> Result<PathBuf, CliError> {
    for dir in start.ancestors() {
        let direct = dir.join("volo.yml");
        if direct.is_file() {
            return Ok(direct);
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let generated: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with("-gen"))
            .map(|e| e.path().join("volo.yml"))
            .filter(|p| p.is_file())
            .collect();
        if let [only] = generated.as_slice() {
            return Ok(only.clone());
        }
    }
    Err(CliError::NoConfig(start.to_path_buf()))
}

/// The entry named `wanted`, or the only one.
pub(crate) fn pick_entry(config: &VoloConfig, wanted: Option<&str>) -> Result<String, CliError> {
    match wanted {
        Some(name) if config.entries.contains_key(name) => Ok(name.to_owned()),
        Some(name) => Err(CliError::Unsupported(format!("no entry {name:?}"))),
        None => match config.entries.keys().collect::<Vec<_>>().as_slice() {
            [only] => Ok((*only).clone()),
            _ => Err(CliError::Unsupported(
                "several entries (or none): name one with --entry".into(),
            )),
        },
    }
}

/// A YAML double-quoted scalar.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn path_text(path: &Path) -> Result<String, CliError> {
    path.to_str()
        .map(|p| quoted(&p.replace('\\', "/")))
        .ok_or_else(|| CliError::Unsupported(format!("{} is not UTF-8", path.display())))
}

/// The YAML of one local IDL service, as an item of a `services` list
/// indented by `indent` spaces.
pub(crate) fn local_service(
    path: &Path,
    includes: &[PathBuf],
    indent: usize,
) -> Result<String, CliError> {
    let pad = " ".repeat(indent);
    let mut out = format!(
        "{pad}- idl:\n{pad}    source: local\n{pad}    path: {}\n",
        path_text(path)?
    );
    if !includes.is_empty() {
        let list = includes
            .iter()
            .map(|i| path_text(i))
            .collect::<Result<Vec<_>, _>>()?;
        let _ = writeln!(out, "{pad}    includes: [{}]", list.join(", "));
    }
    Ok(out)
}

/// The first line of a new `volo.yml`.
const HEADER: &str =
    "# What volo-build generates: see the volo-build `config` docs for every key.\n";

/// The `volo.yml` of a new project: one thrift entry with one local IDL.
pub(crate) fn new_config(path: &Path, includes: &[PathBuf]) -> Result<String, CliError> {
    Ok(format!(
        "{HEADER}entries:\n  {DEFAULT_ENTRY}:\n    protocol: thrift\n    filename: {GENERATED_FILE}\n    services:\n{}",
        local_service(path, includes, 6)?
    ))
}

/// A git repository locked at a commit, as `volo.yml` lists it.
#[derive(Debug, Clone)]
pub(crate) struct LockedRepo<'a> {
    /// The repository's name.
    pub(crate) name: &'a str,
    /// Its URL.
    pub(crate) url: &'a str,
    /// The branch, tag or commit followed.
    pub(crate) git_ref: &'a str,
    /// The commit built from.
    pub(crate) lock: &'a str,
}

/// The `volo.yml` of a new project whose IDL is `path` (and `includes`)
/// inside `repo`: one thrift entry listing the locked repo, in the shape
/// `volo repo add` writes.
pub(crate) fn new_git_config(
    repo: &LockedRepo<'_>,
    path: &Path,
    includes: &[PathBuf],
) -> Result<String, CliError> {
    let mut text = format!(
        "entries:\n  {DEFAULT_ENTRY}:\n    protocol: thrift\n    filename: {GENERATED_FILE}\n    \
         repos:\n      {name}:\n        url: {}\n        ref: {}\n        lock: {}\n    \
         services:\n      - idl:\n          source: git\n          repo: {name}\n          path: {}\n",
        quoted(repo.url),
        quoted(repo.git_ref),
        quoted(repo.lock),
        path_text(path)?,
        name = quoted(repo.name),
    );
    if !includes.is_empty() {
        let list = includes
            .iter()
            .map(|i| path_text(i))
            .collect::<Result<Vec<_>, _>>()?;
        let _ = writeln!(text, "          includes: [{}]", list.join(", "));
    }
    let config = VoloConfig::from_yaml(&text, "volo.yml")?;
    Ok(format!("{HEADER}{}", render(&config)?))
}

/// A local IDL service, built through the parser (the model cannot be
/// constructed directly).
pub(crate) fn service(path: &Path, includes: &[PathBuf]) -> Result<Service, CliError> {
    let text = format!(
        "entries:\n  x:\n    protocol: thrift\n    filename: x.rs\n    services:\n{}",
        local_service(path, includes, 6)?
    );
    let mut config = VoloConfig::from_yaml(&text, "volo.yml")?;
    config
        .entries
        .remove("x")
        .and_then(|mut e| e.services.pop())
        .ok_or_else(|| CliError::Unsupported("internal: the service did not parse back".into()))
}

/// Reads `volo.yml`: its text and its checked config.
pub(crate) fn load(path: &Path) -> Result<(String, VoloConfig), CliError> {
    let config = VoloConfig::load(path)?;
    let text = std::fs::read_to_string(path).map_err(CliError::io(path))?;
    Ok((text, config))
}

/// How an edited `volo.yml` was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Saved {
    /// Edited in place: everything else in the file, comments included, is kept.
    InPlace,
    /// Rendered anew from the config: its comments and layout are gone.
    Rewritten,
}

/// The new text of `volo.yml`: `edited` (a text edit of the file) when it
/// reads back as `expected`, else `expected` rendered anew.
pub(crate) fn updated_text(
    edited: Option<String>,
    expected: &VoloConfig,
) -> Result<(String, Saved), CliError> {
    if let Some(text) = edited
        && VoloConfig::from_yaml(&text, "volo.yml").is_ok_and(|back| &back == expected)
    {
        return Ok((text, Saved::InPlace));
    }
    Ok((render(expected)?, Saved::Rewritten))
}

/// Renders `config`, checking that it reads back equal.
pub(crate) fn render(config: &VoloConfig) -> Result<String, CliError> {
    let mut out = String::from("entries:\n");
    for (name, entry) in &config.entries {
        let _ = writeln!(out, "  {}:", quoted(name));
        render_entry(&mut out, name, entry)?;
    }
    let back = VoloConfig::from_yaml(&out, "volo.yml")?;
    if &back != config {
        return Err(CliError::Unsupported(
            "the edited file would not read back the same".into(),
        ));
    }
    Ok(out)
}

fn render_entry(out: &mut String, name: &str, entry: &Entry) -> Result<(), CliError> {
    let unsupported = !entry.special_namings.is_empty()
        || entry.with_descriptor
        || entry.with_field_mask
        || entry.with_comments;
    if unsupported {
        return Err(CliError::Unsupported(format!(
            "entry {name:?} sets an option this tool does not rewrite; edit the file by hand"
        )));
    }
    let protocol = match entry.protocol {
        Protocol::Thrift => "thrift",
        Protocol::Protobuf => "protobuf",
    };
    let _ = writeln!(out, "    protocol: {protocol}");
    let _ = writeln!(out, "    filename: {}", path_text(&entry.filename)?);
    if entry.touch_all {
        out.push_str("    touch_all: true\n");
    }
    if !entry.dedups.is_empty() {
        let list: Vec<_> = entry.dedups.iter().map(|d| quoted(d)).collect();
        let _ = writeln!(out, "    dedups: [{}]", list.join(", "));
    }
    if entry.split_generated_files {
        out.push_str("    split_generated_files: true\n");
    }
    if !entry.repos.is_empty() {
        out.push_str("    repos:\n");
        for (repo_name, repo) in &entry.repos {
            let _ = writeln!(out, "      {}:", quoted(repo_name));
            let _ = writeln!(out, "        url: {}", quoted(&repo.url));
            let _ = writeln!(out, "        ref: {}", quoted(&repo.git_ref));
            if let Some(lock) = &repo.lock {
                let _ = writeln!(out, "        lock: {}", quoted(lock));
            }
        }
    }
    out.push_str("    services:\n");
    for service in &entry.services {
        let option = &service.codegen_option;
        if option.crate_name.is_some() || option.config.is_some() {
            return Err(CliError::Unsupported(format!(
                "{}: a codegen option this tool does not rewrite; edit the file by hand",
                service.idl.path.display()
            )));
        }
        let idl = &service.idl;
        let source = match idl.source {
            Source::Local => "local",
            Source::Git => "git",
        };
        let _ = writeln!(out, "      - idl:\n          source: {source}");
        if let Some(repo) = &idl.repo {
            let _ = writeln!(out, "          repo: {}", quoted(repo));
        }
        let _ = writeln!(out, "          path: {}", path_text(&idl.path)?);
        if !idl.includes.is_empty() {
            let list = idl
                .includes
                .iter()
                .map(|i| path_text(i))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = writeln!(out, "          includes: [{}]", list.join(", "));
        }
        if option.keep_unknown_fields || !option.touch.is_empty() {
            out.push_str("        codegen_option:\n");
        }
        if option.keep_unknown_fields {
            out.push_str("          keep_unknown_fields: true\n");
        }
        if !option.touch.is_empty() {
            let list: Vec<_> = option.touch.iter().map(|t| quoted(t)).collect();
            let _ = writeln!(out, "          touch: [{}]", list.join(", "));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes() {
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn rendered_config_reads_back() {
        let text = "entries:\n  main:\n    protocol: thrift\n    filename: gen.rs\n    touch_all: true\n    dedups: [Base]\n    split_generated_files: true\n    repos:\n      common: { url: \"https://x/y.git\", ref: main, lock: abc }\n    services:\n      - idl: { source: git, repo: common, path: a.thrift, includes: [inc] }\n        codegen_option: { keep_unknown_fields: true, touch: [a.B] }\n";
        let config = VoloConfig::from_yaml(text, "volo.yml").unwrap();
        let rendered = render(&config).unwrap();
        assert_eq!(
            VoloConfig::from_yaml(&rendered, "volo.yml").unwrap(),
            config
        );
    }

    #[test]
    fn unsupported_options_are_refused() {
        let text = "entries:\n  main:\n    protocol: thrift\n    filename: gen.rs\n    with_field_mask: true\n    services:\n      - idl: { source: git, repo: r, path: a.thrift }\n    repos: { r: { url: u } }\n";
        let config = VoloConfig::from_yaml(text, "volo.yml").unwrap();
        assert!(matches!(render(&config), Err(CliError::Unsupported(_))));
    }

    #[test]
    fn a_new_service_parses() {
        let service = service(Path::new("idl/a \"b\".thrift"), &[PathBuf::from("idl")]).unwrap();
        assert_eq!(service.idl.path, Path::new("idl/a \"b\".thrift"));
        assert_eq!(service.idl.includes, [PathBuf::from("idl")]);
    }
}
