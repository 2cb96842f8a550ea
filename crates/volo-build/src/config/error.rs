//! [`ConfigError`]: why reading `volo.yml` or generating its code failed.

use std::{fmt, io, path::PathBuf};

use pilota_build::thrift::Diagnostics;

/// Why a `volo.yml` could not be read, checked or generated.
///
/// [`Display`](fmt::Display) names the file and either the `line:column` of
/// the problem or the key path in the file (`entries.default.services[0].idl`).
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No file was given and `CARGO_MANIFEST_DIR` is not set (not running in
    /// a build script).
    NoManifestDir,
    /// No output directory was given and `OUT_DIR` is not set.
    NoOutDir,
    /// The file could not be read.
    Read {
        /// The file.
        file: PathBuf,
        /// What failed.
        source: io::Error,
    },
    /// The file is not valid YAML or does not match the schema (unknown key,
    /// wrong type, missing key, unknown value).
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line of the problem, when known.
        line: Option<usize>,
        /// 1-based column of the problem, when known.
        column: Option<usize>,
        /// What is wrong, starting with the key path when known.
        message: String,
    },
    /// A value is well-formed but wrong (a missing file, an unknown repo...).
    Invalid {
        /// The file.
        file: PathBuf,
        /// The key path of the value.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The file asks for something this version cannot generate yet.
    Unsupported {
        /// The file.
        file: PathBuf,
        /// The key path of the value.
        key: String,
        /// What is not supported.
        message: String,
    },
    /// An IDL comes from a git repository that is not in the local cache.
    GitNotCached {
        /// The file.
        file: PathBuf,
        /// The key path of the IDL.
        key: String,
        /// The repository name (a key of the entry's `repos`).
        repo: String,
        /// Its URL.
        url: String,
        /// Where the checkout was expected.
        expected: PathBuf,
    },
    /// An IDL has errors.
    Idl {
        /// The file.
        file: PathBuf,
        /// The entry the IDL belongs to.
        entry: String,
        /// The diagnostics, with IDL file, line and column.
        diagnostics: Diagnostics,
    },
    /// Writing a generated file failed.
    Write {
        /// The generated file.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoManifestDir => f.write_str(
                "no volo.yml given: call `with_file`, or run in a build script (which sets `CARGO_MANIFEST_DIR`)",
            ),
            ConfigError::NoOutDir => f.write_str(
                "no output directory: call `out_dir`, or run in a build script (which sets `OUT_DIR`)",
            ),
            ConfigError::Read { file, source } => {
                write!(f, "cannot read `{}`: {source}", file.display())
            }
            ConfigError::Parse {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{}", file.display())?;
                if let (Some(line), Some(column)) = (line, column) {
                    write!(f, ":{line}:{column}")?;
                }
                write!(f, ": {message}")
            }
            ConfigError::Invalid { file, key, message } => {
                write!(f, "{}: {key}: {message}", file.display())
            }
            ConfigError::Unsupported { file, key, message } => {
                write!(f, "{}: {key}: not supported yet: {message}", file.display())
            }
            ConfigError::GitNotCached {
                file,
                key,
                repo,
                url,
                expected,
            } => write!(
                f,
                "{}: {key}: git repo `{repo}` ({url}) is not in the local cache: expected a checkout at `{}` \
                 (build scripts never fetch; fill the cache with the volo command line tool)",
                file.display(),
                expected.display()
            ),
            ConfigError::Idl {
                file,
                entry,
                diagnostics,
            } => write!(
                f,
                "{}: entries.{entry}: cannot generate code:\n{diagnostics}",
                file.display()
            ),
            ConfigError::Write { path, source } => {
                write!(f, "cannot write `{}`: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Read { source, .. } | ConfigError::Write { source, .. } => Some(source),
            ConfigError::Idl { diagnostics, .. } => Some(diagnostics),
            _ => None,
        }
    }
}
