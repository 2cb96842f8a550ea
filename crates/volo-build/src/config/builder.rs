//! [`ConfigBuilder`]: generates the code of every entry of a `volo.yml`.

use std::path::{Path, PathBuf};

use pilota_build::{Builder, Output, model::Model};

use super::{ConfigError, Entry, Protocol, Source, VoloConfig, load};
use crate::thrift::VoloThriftBackend;

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
/// `volo.yml`. It prints `cargo:rerun-if-changed` for `volo.yml` (which holds
/// every option) and every IDL file read, and rewrites an output file (and,
/// with `split_generated_files`, each module file) only when its content
/// changed.
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
        let file = self.config_file()?;
        println!("cargo:rerun-if-changed={}", file.display());
        let config = VoloConfig::load(&file)?;
        check_split_dirs(&file, &config)?;
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(ConfigError::NoOutDir)?;
        let base_dir = load::base_dir(&file);
        let context = self.context(&file, &base_dir);
        let mut written = Vec::new();
        for (name, entry) in &config.entries {
            let output = context.generate_entry(name, entry)?;
            for input in &output.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in &output.warnings {
                for line in warning.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
            let target = out_dir.join(&entry.filename);
            output.write(&target).map_err(|source| ConfigError::Write {
                path: target.clone(),
                source,
            })?;
            written.push(target);
        }
        Ok(written)
    }

    /// The code of entry `name` of `config`, read as the contents of this
    /// builder's file (local paths are relative to its directory), as one
    /// string: module files are inlined even with `split_generated_files`.
    /// Nothing is written or printed; tools use it to see what a changed
    /// config generates before saving it.
    pub fn entry_code(&self, config: &VoloConfig, name: &str) -> Result<String, ConfigError> {
        let file = self.config_file()?;
        let Some(entry) = config.entries.get(name) else {
            return Err(ConfigError::Invalid {
                file,
                key: "entries".to_string(),
                message: format!("no entry `{name}`"),
            });
        };
        let entry = Entry {
            split_generated_files: false,
            ..entry.clone()
        };
        let base_dir = load::base_dir(&file);
        let output = self
            .context(&file, &base_dir)
            .generate_entry(name, &entry)?;
        Ok(output.code)
    }

    /// `volo.yml`: the builder's file or the one in `CARGO_MANIFEST_DIR`.
    fn config_file(&self) -> Result<PathBuf, ConfigError> {
        match &self.file {
            Some(file) => Ok(file.clone()),
            None => std::env::var_os("CARGO_MANIFEST_DIR")
                .map(|dir| PathBuf::from(dir).join("volo.yml"))
                .ok_or(ConfigError::NoManifestDir),
        }
    }

    fn context<'a>(&'a self, file: &'a Path, base_dir: &'a Path) -> Context<'a> {
        let git_cache_dir = self
            .git_cache_dir
            .clone()
            .unwrap_or_else(|| base_dir.join(".volo").join("git"));
        Context {
            file,
            base_dir,
            git_cache_dir,
        }
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
    git_cache_dir: PathBuf,
}

impl Context<'_> {
    /// The code of one entry: all of its IDLs generated together, as one model.
    fn generate_entry(&self, name: &str, entry: &Entry) -> Result<Output, ConfigError> {
        self.check_supported(name, entry)?;
        let mut idls = Vec::new();
        let mut builder = Builder::thrift()
            .unknown_fields(false)
            .service_backend(VoloThriftBackend)
            .dedup(entry.dedups.iter().cloned());
        for (i, service) in entry.services.iter().enumerate() {
            let (idl, includes) = self.resolve(name, entry, i)?;
            builder = includes
                .into_iter()
                .fold(builder, Builder::include_dir)
                .unknown_fields_for(&idl, service.codegen_option.keep_unknown_fields);
            idls.push(idl);
        }
        if entry.split_generated_files {
            builder = builder.split(split_dir(&entry.filename));
        }
        let idl_error = |diagnostics| ConfigError::Idl {
            file: self.file.to_path_buf(),
            entry: name.to_string(),
            diagnostics,
        };
        if entry
            .services
            .iter()
            .any(|s| !s.codegen_option.touch.is_empty())
        {
            let model = builder.model_all(&idls).map_err(idl_error)?;
            self.check_touch(name, entry, &idls, &model)?;
        }
        builder.run_all(&idls).map_err(idl_error)
    }

    /// Every generated module holds every item of its IDL file, so `touch`
    /// has nothing to add: each name must still name an item, a bare `Type`
    /// of the service's own IDL file or a `namespace.path.Type` of any file
    /// the entry reads.
    fn check_touch(
        &self,
        name: &str,
        entry: &Entry,
        idls: &[PathBuf],
        model: &Model,
    ) -> Result<(), ConfigError> {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        for (i, (service, idl)) in entry.services.iter().zip(idls).enumerate() {
            let root = canonical(idl);
            let own = model
                .files()
                .iter()
                .find(|f| f.source.as_deref().map(canonical).as_ref() == Some(&root));
            for (j, touched) in service.codegen_option.touch.iter().enumerate() {
                let found = if touched.contains('.') {
                    model.files().iter().any(|f| {
                        f.items.iter().any(|item| {
                            pilota_build::model::ModelPath::new(f.module.clone(), &item.name)
                                .to_string()
                                == *touched
                        })
                    })
                } else {
                    own.is_some_and(|f| f.items.iter().any(|item| item.name == *touched))
                };
                if !found {
                    return Err(ConfigError::Invalid {
                        file: self.file.to_path_buf(),
                        key: format!("entries.{name}.services[{i}].codegen_option.touch[{j}]"),
                        message: format!(
                            "`{touched}` is not an item of `{}` (a name is `Type` for an item of this IDL file, or `namespace.path.Type`)",
                            service.idl.path.display()
                        ),
                    });
                }
            }
        }
        Ok(())
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
            ("special_namings", !entry.special_namings.is_empty()),
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

/// The directory of the module files of a split entry, relative to its
/// file: the file name without its extension (`volo_gen.rs` → `volo_gen/`),
/// or with `_modules` added when it has no extension.
fn split_dir(filename: &Path) -> String {
    let name = |s: &std::ffi::OsStr| s.to_string_lossy().into_owned();
    match (filename.extension(), filename.file_stem()) {
        (Some(_), Some(stem)) => name(stem),
        (_, stem) => format!("{}_modules", stem.map_or_else(String::new, name)),
    }
}

/// The directory of a split entry belongs to the generator (it removes the
/// module files it no longer writes there): no other entry may write into it,
/// and no two split entries may share one.
fn check_split_dirs(file: &Path, config: &VoloConfig) -> Result<(), ConfigError> {
    let dir = |entry: &Entry| {
        let parent = entry.filename.parent().unwrap_or(Path::new(""));
        parent.join(split_dir(&entry.filename))
    };
    let split = || {
        config
            .entries
            .iter()
            .filter(|(_, e)| e.split_generated_files)
    };
    for (name, entry) in split() {
        let ours = dir(entry);
        let clash = config
            .entries
            .iter()
            .find(|(_, e)| e.filename.starts_with(&ours))
            .or_else(|| {
                split().find(|(other, e)| {
                    *other != name && (dir(e).starts_with(&ours) || ours.starts_with(dir(e)))
                })
            });
        if let Some((other, _)) = clash {
            return Err(ConfigError::Invalid {
                file: file.to_path_buf(),
                key: format!("entries.{name}.split_generated_files"),
                message: format!(
                    "the module files go to `{}`, where entry `{other}` writes too",
                    ours.display()
                ),
            });
        }
    }
    Ok(())
}
