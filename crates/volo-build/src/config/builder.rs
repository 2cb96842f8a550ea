//! [`ConfigBuilder`]: generates the code of every entry of a `volo.yml`.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use super::{ConfigError, Entry, Protocol, Source, VoloConfig, load};
use crate::thrift::Builder;

/// Generates the code of every entry of a `volo.yml`, one file per entry
/// (its `filename`), for a crate to `include!`.
///
/// In `build.rs`:
///
/// ```no_run
/// volo_build::ConfigBuilder::default().write_or_exit();
/// ```
///
/// By default it reads `volo.yml` in `CARGO_MANIFEST_DIR`, writes into
/// `OUT_DIR` and looks for git checkouts under `.volo/git` next to
/// `volo.yml`. It prints `cargo:rerun-if-changed` for `volo.yml` and every
/// IDL file read, and rewrites an output only when its content changed.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ConfigBuilder {
    file: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    git_cache_dir: Option<PathBuf>,
}

impl ConfigBuilder {
    /// A builder reading `file` instead of `$CARGO_MANIFEST_DIR/volo.yml`.
    pub fn with_file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::default()
        }
    }

    /// Where the generated files go (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Where git checkouts are looked for (default: `.volo/git` in the
    /// directory of `volo.yml`). The IDL of repo `name` locked at commit
    /// `lock` is read from `<dir>/<name>/<lock>/`; nothing is ever fetched.
    pub fn git_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.git_cache_dir = Some(dir.into());
        self
    }

    /// Reads the config and generates every entry; returns the files written
    /// (or already up to date), in entry name order. Stops at the first
    /// failing entry.
    pub fn write(&self) -> Result<Vec<PathBuf>, ConfigError> {
        let file = match &self.file {
            Some(file) => file.clone(),
            None => std::env::var_os("CARGO_MANIFEST_DIR")
                .map(|dir| PathBuf::from(dir).join("volo.yml"))
                .ok_or(ConfigError::NoManifestDir)?,
        };
        println!("cargo:rerun-if-changed={}", file.display());
        let config = VoloConfig::load(&file)?;
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(ConfigError::NoOutDir)?;
        let base_dir = load::base_dir(&file);
        let git_cache_dir = self
            .git_cache_dir
            .clone()
            .unwrap_or_else(|| base_dir.join(".volo").join("git"));
        let context = Context {
            file: &file,
            base_dir: &base_dir,
            git_cache_dir: &git_cache_dir,
        };
        let mut written = Vec::new();
        for (name, entry) in &config.entries {
            let code = context.generate_entry(name, entry)?;
            let target = out_dir.join(&entry.filename);
            write_if_changed(&target, &code)?;
            written.push(target);
        }
        Ok(written)
    }

    /// [`write`](Self::write) for a build script: on error, prints it to
    /// stderr (cargo shows it) and exits with status 1, which fails the build.
    pub fn write_or_exit(&self) {
        if let Err(e) = self.write() {
            eprintln!("error: volo-build could not generate code from volo.yml\n{e}");
            std::process::exit(1);
        }
    }
}

/// What every entry's generation needs to know.
struct Context<'a> {
    file: &'a Path,
    base_dir: &'a Path,
    git_cache_dir: &'a Path,
}

impl Context<'_> {
    /// The code of one entry: the code of each of its IDLs, in order.
    fn generate_entry(&self, name: &str, entry: &Entry) -> Result<String, ConfigError> {
        self.check_supported(name, entry)?;
        let mut code = String::new();
        let mut read_by: HashMap<PathBuf, usize> = HashMap::new();
        for (i, service) in entry.services.iter().enumerate() {
            let key = format!("entries.{name}.services[{i}].idl");
            let (idl, includes) = self.resolve(name, entry, i)?;
            let builder = includes.into_iter().fold(
                Builder::new().unknown_fields(service.codegen_option.keep_unknown_fields),
                Builder::include_dir,
            );
            let generated = builder
                .generate(&idl)
                .map_err(|diagnostics| ConfigError::Idl {
                    file: self.file.to_path_buf(),
                    entry: name.to_string(),
                    diagnostics,
                })?;
            for input in &generated.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
                let canonical = input.canonicalize().unwrap_or_else(|_| input.clone());
                if let Some(first) = read_by.insert(canonical, i) {
                    return Err(self.unsupported(
                        key,
                        format!(
                            "`{}` is also read by `entries.{name}.services[{first}]`: IDLs of one entry cannot share files (put them in separate entries)",
                            input.display()
                        ),
                    ));
                }
            }
            for warning in &generated.warnings {
                for line in warning.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
            code.push_str(&generated.code);
        }
        Ok(code)
    }

    /// Rejects what the file asks for but this version cannot generate.
    fn check_supported(&self, name: &str, entry: &Entry) -> Result<(), ConfigError> {
        let key = format!("entries.{name}");
        if entry.protocol == Protocol::Protobuf {
            return Err(self.unsupported(
                format!("{key}.protocol"),
                format!("entry `{name}` is `protobuf`; only `thrift` entries generate code"),
            ));
        }
        let entry_options = [
            ("touch_all", entry.touch_all),
            ("dedups", !entry.dedups.is_empty()),
            ("special_namings", !entry.special_namings.is_empty()),
            ("split_generated_files", entry.split_generated_files),
            ("with_descriptor", entry.with_descriptor),
            ("with_field_mask", entry.with_field_mask),
            ("with_comments", entry.with_comments),
        ];
        if let Some((option, _)) = entry_options.iter().find(|(_, set)| *set) {
            return Err(self.unsupported(format!("{key}.{option}"), format!("option `{option}`")));
        }
        for (i, service) in entry.services.iter().enumerate() {
            let options = &service.codegen_option;
            let service_options = [
                ("touch", !options.touch.is_empty()),
                ("crate_name", options.crate_name.is_some()),
                ("config", options.config.is_some()),
            ];
            if let Some((option, _)) = service_options.iter().find(|(_, set)| *set) {
                return Err(self.unsupported(
                    format!("{key}.services[{i}].codegen_option.{option}"),
                    format!("option `{option}`"),
                ));
            }
        }
        Ok(())
    }

    /// The IDL file and include directories of service `i` of an entry.
    fn resolve(
        &self,
        name: &str,
        entry: &Entry,
        i: usize,
    ) -> Result<(PathBuf, Vec<PathBuf>), ConfigError> {
        let idl = &entry.services[i].idl;
        let key = format!("entries.{name}.services[{i}].idl");
        let root = match idl.source {
            Source::Local => self.base_dir.to_path_buf(),
            Source::Git => self.checkout(name, entry, idl.repo.as_deref(), &key)?,
        };
        let path = root.join(&idl.path);
        if idl.source == Source::Git && !path.is_file() {
            return Err(ConfigError::Invalid {
                file: self.file.to_path_buf(),
                key: format!("{key}.path"),
                message: format!(
                    "`{}` does not exist in the checkout `{}`",
                    idl.path.display(),
                    root.display()
                ),
            });
        }
        Ok((
            path,
            idl.includes.iter().map(|inc| root.join(inc)).collect(),
        ))
    }

    /// The cached checkout of a git repo of an entry.
    fn checkout(
        &self,
        name: &str,
        entry: &Entry,
        repo_name: Option<&str>,
        key: &str,
    ) -> Result<PathBuf, ConfigError> {
        // `VoloConfig::load` checked that the repo is named and exists.
        let Some((repo_name, repo)) = repo_name.and_then(|n| entry.repos.get_key_value(n)) else {
            return Err(ConfigError::Invalid {
                file: self.file.to_path_buf(),
                key: format!("{key}.repo"),
                message: format!("not a repo of `entries.{name}.repos`"),
            });
        };
        let repo_key = format!("entries.{name}.repos.{repo_name}");
        let lock = match repo.lock.as_deref() {
            Some(lock) if load::is_plain_name(lock) => lock,
            _ => {
                return Err(ConfigError::Invalid {
                    file: self.file.to_path_buf(),
                    key: format!("{repo_key}.lock"),
                    message: format!(
                        "repo `{repo_name}` needs `lock`, the commit to build from (the volo command line tool fills it)"
                    ),
                });
            }
        };
        let expected = self.git_cache_dir.join(repo_name).join(lock);
        if !expected.is_dir() {
            return Err(ConfigError::GitNotCached {
                file: self.file.to_path_buf(),
                key: key.to_string(),
                repo: repo_name.to_string(),
                url: repo.url.clone(),
                expected,
            });
        }
        Ok(expected)
    }

    fn unsupported(&self, key: String, message: String) -> ConfigError {
        ConfigError::Unsupported {
            file: self.file.to_path_buf(),
            key,
            message,
        }
    }
}

/// Writes `code` to `path` unless it already holds exactly that, so that an
/// unchanged output keeps its modification time.
fn write_if_changed(path: &Path, code: &str) -> Result<(), ConfigError> {
    if std::fs::read(path).is_ok_and(|old| old == code.as_bytes()) {
        return Ok(());
    }
    let io = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, code).map_err(io)
}
