//! The errors of every subcommand.

use std::path::PathBuf;

/// Why a subcommand failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// A file or directory is already there and `--force` was not given.
    #[error("{0} already exists (pass --force to overwrite)")]
    Exists(PathBuf),
    /// `volo idl add` of an IDL the entry already lists.
    #[error("{} is already in entry {entry:?} of {}", idl.display(), config.display())]
    Listed {
        /// The IDL, as the entry lists it.
        idl: PathBuf,
        /// The entry.
        entry: String,
        /// `volo.yml`.
        config: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The project name cannot be a cargo package name.
    #[error(
        "invalid project name {0:?}: use ASCII letters, digits, `-` and `_`, starting with a letter"
    )]
    BadName(String),
    /// `--volo-path` is not a checkout of the framework.
    #[error("{0} is not a checkout of the framework (no crates/volo-thrift)")]
    NotACheckout(PathBuf),
    /// The IDL did not generate.
    #[error("{0}")]
    Idl(String),
    /// The generated code could not be read back (a code generator bug).
    #[error("reading the generated code of {path}: {message}")]
    Generated {
        /// The IDL.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The IDL declares no service, so there is nothing to serve.
    #[error("{0} declares no service")]
    NoService(PathBuf),
    /// A file the IDL includes is outside its directory and every include directory.
    #[error("{0} is outside the IDL's directory and every include directory (-i)")]
    OutsideIncludes(PathBuf),
    /// `volo.yml` could not be read.
    #[error(transparent)]
    Config(#[from] volo_build::config::ConfigError),
    /// No `volo.yml` in the current directory or its parents.
    #[error("no volo.yml in {0} or its parents: run this inside a project made by `volo init`")]
    NoConfig(PathBuf),
    /// A git command failed.
    #[error("`git {command}` failed: {stderr}")]
    Git {
        /// The arguments.
        command: String,
        /// What git printed.
        stderr: String,
    },
    /// A repository name, git ref or path in a repository that cannot be used safely.
    #[error("invalid {what} {value:?}: {why}")]
    BadRepo {
        /// `repo name`, `git ref` or `path in the repository`.
        what: &'static str,
        /// The value given.
        value: String,
        /// Why it is refused.
        why: &'static str,
    },
    /// `volo.yml` uses something this tool cannot rewrite without losing it.
    #[error("volo.yml: {0}")]
    Unsupported(String),
}

impl CliError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
