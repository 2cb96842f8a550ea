//! The public entry point: IDL file in, Rust source out.

use std::path::{Path, PathBuf};

use crate::codegen::{self, Backend, Plugin, ServiceBackend};
use crate::model::Model;
use crate::thrift::{self, Diagnostic, Diagnostics, ParsedIdl, Severity, Span};

/// Generates Rust code from a Thrift IDL file.
///
/// ```no_run
/// use pilota_build::{Builder, codegen::SerdePlugin};
///
/// let code = Builder::thrift()
///     .include_dir("idl/common")
///     .plugin(SerdePlugin)
///     .generate("idl/echo.thrift")?;
/// # Ok::<(), pilota_build::thrift::Diagnostics>(())
/// ```
///
/// In a `build.rs`, [`Builder::write_to`] writes the file for `include!`:
///
/// ```no_run
/// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("echo.rs");
/// if let Err(diagnostics) = pilota_build::Builder::thrift().write_to("idl/echo.thrift", &out) {
///     panic!("{diagnostics}");
/// }
/// ```
///
/// Every failure — an unreadable file, a syntax error, an unknown type, a constant that
/// does not fit — comes back as [`Diagnostics`] with file, line and column; nothing
/// panics or exits.
#[derive(Debug)]
pub struct Builder {
    include_dirs: Vec<PathBuf>,
    backend: Backend,
}

/// The result of [`Builder::run`]: the code and the warnings of the run.
#[derive(Debug)]
pub struct Output {
    /// The generated, formatted Rust source.
    pub code: String,
    /// Warnings (deprecated syntax and the like); they do not stop generation.
    pub warnings: Diagnostics,
}

impl Builder {
    /// A builder for Thrift IDL, with no include directory, unknown fields kept, no
    /// plugin and no service backend.
    pub fn thrift() -> Self {
        Builder {
            include_dirs: Vec::new(),
            backend: Backend::new(),
        }
    }

    /// Adds a directory searched for `include`d files, after the including file's own
    /// directory.
    #[must_use]
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Adds a [`Plugin`].
    #[must_use]
    pub fn plugin(mut self, plugin: impl Plugin + 'static) -> Self {
        self.backend = self.backend.plugin(plugin);
        self
    }

    /// Sets the [`ServiceBackend`] (none by default: services produce only their
    /// argument and result types).
    #[must_use]
    pub fn service_backend(mut self, backend: impl ServiceBackend + 'static) -> Self {
        self.backend = self.backend.service_backend(backend);
        self
    }

    /// Whether generated structs keep unknown fields (default `true`).
    #[must_use]
    pub fn unknown_fields(mut self, keep: bool) -> Self {
        self.backend = self.backend.unknown_fields(keep);
        self
    }

    /// Parses `file` with its includes and lowers it into a [`Model`].
    pub fn model(&self, file: impl AsRef<Path>) -> Result<Model, Diagnostics> {
        let idl = thrift::parse_files(file.as_ref(), &self.include_dirs)?;
        crate::lower::thrift::lower(&idl)
    }

    /// Generates the Rust code for `file` and everything it includes.
    pub fn generate(&self, file: impl AsRef<Path>) -> Result<String, Diagnostics> {
        self.run(file).map(|output| output.code)
    }

    /// Like [`Builder::generate`], also returning the warnings.
    pub fn run(&self, file: impl AsRef<Path>) -> Result<Output, Diagnostics> {
        let idl = thrift::parse_files(file.as_ref(), &self.include_dirs)?;
        let model = crate::lower::thrift::lower(&idl)?;
        let code = self
            .backend
            .generate(&model)
            .map_err(|errors| diagnostics(&idl, errors))?;
        Ok(Output {
            code,
            warnings: idl.warnings().clone(),
        })
    }

    /// Generates the code for `file` and writes it to `out` (creating its directory).
    pub fn write_to(
        &self,
        file: impl AsRef<Path>,
        out: impl AsRef<Path>,
    ) -> Result<(), Diagnostics> {
        let code = self.generate(file)?;
        let out = out.as_ref();
        let write = || -> std::io::Result<()> {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(out, code)
        };
        write().map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::for_file(
                Severity::Error,
                out.display().to_string(),
                format!("cannot write the generated code: {e}"),
            ));
            d
        })
    }
}

/// Backend errors as diagnostics, pointing into the IDL source when they have a position.
fn diagnostics(idl: &ParsedIdl, errors: Vec<codegen::Error>) -> Diagnostics {
    let mut out = Diagnostics::new();
    for error in errors {
        let located = error.loc().and_then(|loc| {
            let file = idl.files().iter().find(|f| f.path() == loc.file)?;
            let span = Span::new(file.id(), loc.range.start, loc.range.end);
            Some(Diagnostic::new(
                Severity::Error,
                file.source(),
                span,
                error.message(),
            ))
        });
        out.push(located.unwrap_or_else(|| {
            let file = error.loc().map_or_else(
                || "<generated>".to_string(),
                |l| l.file.display().to_string(),
            );
            Diagnostic::for_file(Severity::Error, file, error.message())
        }));
    }
    out
}
