//! [`Error`]: why [`Builder::write`](super::Builder::write) failed.

use std::{fmt, io, path::PathBuf};

use pilota_build::thrift::Diagnostics;

/// Why code generation failed. [`Display`](fmt::Display) renders everything
/// a user needs to fix it (file, line, column and source for IDL errors).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No IDL file was added.
    NoIdl,
    /// No output directory was set and `OUT_DIR` is not set (the builder is
    /// not running in a build script).
    NoOutDir,
    /// Two root IDL files have the same file stem, so they would write the
    /// same output file.
    DuplicateOutput {
        /// The output file name.
        file: String,
        /// The first IDL.
        first: PathBuf,
        /// The second IDL.
        second: PathBuf,
    },
    /// IDL files have errors: the diagnostics of every failing root IDL.
    Idl(Vec<(PathBuf, Diagnostics)>),
    /// Writing (or reading back) an output file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoIdl => f.write_str("no IDL file to generate code for: call `add_idl`"),
            Error::NoOutDir => f.write_str(
                "no output directory: call `out_dir`, or run in a build script (which sets `OUT_DIR`)",
            ),
            Error::DuplicateOutput { file, first, second } => write!(
                f,
                "`{}` and `{}` would both be generated into `{file}`: rename one of them",
                first.display(),
                second.display()
            ),
            Error::Idl(failures) => {
                for (i, (idl, diagnostics)) in failures.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    writeln!(f, "cannot generate code for `{}`:", idl.display())?;
                    write!(f, "{diagnostics}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "cannot write `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Idl(failures) => failures
                .first()
                .map(|(_, d)| d as &(dyn std::error::Error + 'static)),
            _ => None,
        }
    }
}
