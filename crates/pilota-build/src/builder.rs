//! The public entry point: IDL file in, Rust source out.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::codegen::{self, Backend, ModuleFile, Plugin, ServiceBackend};
use crate::model::Model;
use crate::thrift::{
    self, Diagnostic, Diagnostics, FileId, ParseOptions, ParsedIdl, Severity, Span,
};

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
    unknown_fields_for: Vec<(PathBuf, bool)>,
    split: Option<String>,
}

/// The result of [`Builder::run`]: the code, what it was generated from, and the
/// warnings of the run.
#[derive(Debug)]
#[non_exhaustive]
pub struct Output {
    /// The generated, formatted Rust source (with [`Builder::split`], the module tree
    /// that includes [`Output::files`]).
    pub code: String,
    /// With [`Builder::split`]: one file per module, for the main file to include.
    pub files: Vec<ModuleFile>,
    /// Every IDL file read: the roots and everything they include.
    pub inputs: Vec<PathBuf>,
    /// Warnings (deprecated syntax and the like); they do not stop generation.
    pub warnings: Diagnostics,
    /// The directory of [`Output::files`] (relative to the main file) when split.
    split_dir: Option<String>,
}

impl Builder {
    /// A builder for Thrift IDL, with no include directory, unknown fields kept, no
    /// plugin and no service backend.
    pub fn thrift() -> Self {
        Builder {
            include_dirs: Vec::new(),
            backend: Backend::new(),
            unknown_fields_for: Vec::new(),
            split: None,
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

    /// Overrides [`Builder::unknown_fields`] for one root file given to
    /// [`Builder::run_all`] and every file it includes. A file included by several
    /// roots keeps unknown fields when any of them says so. A path that is not a root
    /// of the run changes nothing.
    #[must_use]
    pub fn unknown_fields_for(mut self, root: impl Into<PathBuf>, keep: bool) -> Self {
        self.unknown_fields_for.push((root.into(), keep));
        self
    }

    /// Generates the types with these IDL names once when several files define them
    /// identically: see [`Backend::dedup`].
    #[must_use]
    pub fn dedup<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.backend = self.backend.dedup(names);
        self
    }

    /// Splits the output: one file per module under `dir` (relative to the main file,
    /// `/`-separated), `include!`d by the main file; see [`Backend::generate_split`].
    /// [`Output::write`] and [`Builder::write_to`] write them all.
    #[must_use]
    pub fn split(mut self, dir: impl Into<String>) -> Self {
        self.split = Some(dir.into());
        self
    }

    /// Parses `file` with its includes and lowers it into a [`Model`].
    pub fn model(&self, file: impl AsRef<Path>) -> Result<Model, Diagnostics> {
        self.model_all(&[file])
    }

    /// Parses several root files with their includes (each file once) and lowers them
    /// into one [`Model`], the roots first.
    pub fn model_all<P: AsRef<Path>>(&self, roots: &[P]) -> Result<Model, Diagnostics> {
        crate::lower::thrift::lower(&self.parse(roots)?)
    }

    /// Generates the Rust code for `file` and everything it includes.
    pub fn generate(&self, file: impl AsRef<Path>) -> Result<String, Diagnostics> {
        self.run(file).map(|output| output.code)
    }

    /// Like [`Builder::generate`], also returning the module files, inputs and warnings.
    pub fn run(&self, file: impl AsRef<Path>) -> Result<Output, Diagnostics> {
        self.run_all(&[file])
    }

    /// Generates several root files and everything they include into one output, as
    /// one model: a file included by several roots is generated once, and names can be
    /// [deduplicated](Builder::dedup) across the roots.
    pub fn run_all<P: AsRef<Path>>(&self, roots: &[P]) -> Result<Output, Diagnostics> {
        if let Some(dir) = self.split.as_deref().filter(|d| !is_plain_relative(d)) {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::for_file(
                Severity::Error,
                dir.to_string(),
                "the split directory must be a relative path of plain names (it is cleaned of stale files)",
            ));
            return Err(d);
        }
        let idl = self.parse(roots)?;
        let model = crate::lower::thrift::lower(&idl)?;
        let keep = self.unknown_fields_modules(&idl, &model);
        let generated = match &self.split {
            Some(dir) => self
                .backend
                .split(&model, &keep, dir)
                .map(|split| (split.code, split.files)),
            None => self
                .backend
                .generate_with(&model, &keep)
                .map(|code| (code, Vec::new())),
        };
        let (code, files) = generated.map_err(|errors| diagnostics(&idl, errors))?;
        Ok(Output {
            code,
            files,
            inputs: idl.files().iter().map(|f| f.path().to_path_buf()).collect(),
            warnings: idl.warnings().clone(),
            split_dir: self.split.clone(),
        })
    }

    fn parse<P: AsRef<Path>>(&self, roots: &[P]) -> Result<ParsedIdl, Diagnostics> {
        let options = self
            .include_dirs
            .iter()
            .fold(ParseOptions::new(), |o, dir| o.include_dir(dir.clone()));
        thrift::parse_roots_with(roots, &options)
    }

    /// The model modules that [`Builder::unknown_fields_for`] applies to.
    fn unknown_fields_modules(&self, idl: &ParsedIdl, model: &Model) -> HashMap<Vec<String>, bool> {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let mut keep: HashMap<PathBuf, bool> = HashMap::new();
        for (root, root_keep) in &self.unknown_fields_for {
            let root = canonical(root);
            let Some(&id) = idl
                .roots()
                .iter()
                .find(|&&id| canonical(idl.file(id).path()) == root)
            else {
                continue;
            };
            let mut seen = HashSet::new();
            let mut stack: Vec<FileId> = vec![id];
            while let Some(file) = stack.pop() {
                if seen.insert(file) {
                    let parsed = idl.file(file);
                    let entry = keep.entry(parsed.path().to_path_buf()).or_insert(false);
                    *entry |= *root_keep;
                    stack.extend(parsed.includes().iter().map(|i| i.file));
                }
            }
        }
        model
            .files()
            .iter()
            .filter_map(|f| {
                let k = keep.get(f.source.as_deref()?)?;
                Some((f.module.clone(), *k))
            })
            .collect()
    }

    /// Generates the code for `file` and writes it to `out` (creating its directory);
    /// see [`Output::write`].
    pub fn write_to(
        &self,
        file: impl AsRef<Path>,
        out: impl AsRef<Path>,
    ) -> Result<(), Diagnostics> {
        let out = out.as_ref();
        self.run(file)?.write(out).map_err(|e| {
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

impl Output {
    /// Writes the code to `out` and the module files next to it, creating directories.
    /// A file that already holds its content is not rewritten (its modification time
    /// stays). With a split output, `.rs` files left in the split directory by an
    /// earlier run and no longer generated are removed; that directory belongs to the
    /// generator.
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        let base = out.parent().unwrap_or(Path::new(""));
        let mut written = HashSet::new();
        for file in &self.files {
            let path = base.join(&file.path);
            write_if_changed(&path, &file.code)?;
            written.insert(path);
        }
        if let Some(dir) = &self.split_dir {
            let dir = base.join(dir);
            if dir.is_dir() {
                remove_stale(&dir, &written)?;
            }
        }
        write_if_changed(out, &self.code)
    }
}

/// Whether `dir` is `a` or `a/b`: no root, no `.` or `..`, nothing empty.
fn is_plain_relative(dir: &str) -> bool {
    dir.split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'))
        && !Path::new(dir).has_root()
}

/// Writes `code` to `path` unless it already holds exactly that.
fn write_if_changed(path: &Path, code: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == code.as_bytes()) {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, code)
}

/// Removes the `.rs` files under `dir` (recursively) that are not in `keep`.
fn remove_stale(dir: &Path, keep: &HashSet<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_stale(&path, keep)?;
        } else if path.extension().is_some_and(|e| e == "rs") && !keep.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
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
