//! Reading and checking a `volo.yml`: [`VoloConfig::from_yaml`] and
//! [`VoloConfig::load`].

use std::{
    collections::BTreeMap,
    path::{Component, Path, PathBuf},
};

use super::{ConfigError, Entry, Source, VoloConfig};

impl VoloConfig {
    /// Parses the text of a `volo.yml` against the schema: every key known,
    /// every value of the right type, every required key present. `file`
    /// only names the file in errors; nothing is read from disk.
    pub fn from_yaml(text: &str, file: impl Into<PathBuf>) -> Result<Self, ConfigError> {
        serde_yaml_ng::from_str(text).map_err(|e| {
            let location = e.location();
            let mut message = e.to_string();
            if let Some(location) = &location {
                let suffix = format!(" at line {} column {}", location.line(), location.column());
                if let Some(stripped) = message.strip_suffix(&suffix) {
                    message = stripped.to_string();
                }
            }
            ConfigError::Parse {
                file: file.into(),
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
                message,
            }
        })
    }

    /// Reads, parses and checks a `volo.yml`: on top of
    /// [`from_yaml`](Self::from_yaml), every local IDL file and include
    /// directory must exist (relative to the directory of `file`), every git
    /// IDL must name a repository of its entry, and output file names must
    /// be distinct plain names.
    pub fn load(file: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let file = file.as_ref();
        let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
            file: file.to_path_buf(),
            source,
        })?;
        let config = Self::from_yaml(&text, file)?;
        config.check(file, &base_dir(file))?;
        Ok(config)
    }

    /// The checks of [`load`](Self::load), with local paths relative to
    /// `base_dir`.
    fn check(&self, file: &Path, base_dir: &Path) -> Result<(), ConfigError> {
        let invalid = |key: String, message: String| ConfigError::Invalid {
            file: file.to_path_buf(),
            key,
            message,
        };
        let mut filenames: BTreeMap<&Path, &str> = BTreeMap::new();
        for (name, entry) in &self.entries {
            let key = format!("entries.{name}");
            if !is_plain_relative(&entry.filename) {
                return Err(invalid(
                    format!("{key}.filename"),
                    format!(
                        "`{}` must be a relative path without `..` (it is written in the output directory)",
                        entry.filename.display()
                    ),
                ));
            }
            if let Some(other) = filenames.insert(&entry.filename, name) {
                return Err(invalid(
                    format!("{key}.filename"),
                    format!(
                        "`{}` is also the filename of entry `{other}`",
                        entry.filename.display()
                    ),
                ));
            }
            for repo in entry.repos.keys() {
                if !is_plain_name(repo) {
                    return Err(invalid(
                        format!("{key}.repos.{repo}"),
                        "a repo name may only hold letters, digits, `-`, `_` and `.`".to_string(),
                    ));
                }
            }
            if entry.services.is_empty() {
                return Err(invalid(
                    format!("{key}.services"),
                    "an entry needs at least one service".to_string(),
                ));
            }
            check_services(entry, &key, base_dir)
                .map_err(|(key, message)| invalid(key, message))?;
        }
        Ok(())
    }
}

/// Checks the IDL of every service of an entry; an error is a key path and
/// a message.
fn check_services(entry: &Entry, entry_key: &str, base_dir: &Path) -> Result<(), (String, String)> {
    for (i, service) in entry.services.iter().enumerate() {
        let key = format!("{entry_key}.services[{i}].idl");
        let idl = &service.idl;
        match idl.source {
            Source::Local => {
                if idl.repo.is_some() {
                    return Err((
                        format!("{key}.repo"),
                        "`repo` is only used with `source: git`".to_string(),
                    ));
                }
                if !base_dir.join(&idl.path).is_file() {
                    return Err((
                        format!("{key}.path"),
                        format!(
                            "`{}` does not exist (local paths are relative to the directory of the config file)",
                            idl.path.display()
                        ),
                    ));
                }
                for (j, include) in idl.includes.iter().enumerate() {
                    if !base_dir.join(include).is_dir() {
                        return Err((
                            format!("{key}.includes[{j}]"),
                            format!(
                                "directory `{}` does not exist (local paths are relative to the directory of the config file)",
                                include.display()
                            ),
                        ));
                    }
                }
            }
            Source::Git => {
                let Some(repo) = &idl.repo else {
                    return Err((
                        key,
                        format!(
                            "`source: git` needs `repo`, the name of a repository in `{entry_key}.repos`"
                        ),
                    ));
                };
                if !entry.repos.contains_key(repo) {
                    let known: Vec<&str> = entry.repos.keys().map(String::as_str).collect();
                    let known = if known.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("it has: {}", known.join(", "))
                    };
                    return Err((
                        format!("{key}.repo"),
                        format!("unknown repo `{repo}`: not in `{entry_key}.repos` ({known})"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The directory that relative paths of `file` are relative to.
pub(super) fn base_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A non-empty relative path made of normal components only.
fn is_plain_relative(path: &Path) -> bool {
    path.components().next().is_some()
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// A name usable as one path component: `[A-Za-z0-9._-]+`, not `.` or `..`.
pub(super) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
