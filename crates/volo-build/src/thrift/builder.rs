//! [`Builder`]: the build-script front end.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use pilota_build::thrift::Diagnostics;

use super::{Error, VoloThriftBackend};

/// Generates the types and service glue of Thrift IDL files, one Rust file
/// per root IDL (`idl/echo.thrift` → `$OUT_DIR/echo.rs`, with everything it
/// includes), for a crate to `include!`.
///
/// In `build.rs`:
///
/// ```no_run
/// volo_build::thrift::Builder::new()
///     .include_dir("idl")
///     .add_idl("idl/echo.thrift")
///     .write_or_exit();
/// ```
///
/// and in the crate:
///
/// ```ignore
/// include!(concat!(env!("OUT_DIR"), "/echo.rs"));
/// ```
///
/// [`write`](Self::write) prints `cargo:rerun-if-changed` for every IDL file
/// it read (includes too), so cargo reruns the build script only when one of
/// them changes, and it rewrites an output only when its content changed, so
/// an unchanged IDL recompiles nothing. The builder is plain data (paths and
/// flags), so a configuration file front end can fill it in.
#[derive(Debug, Clone)]
#[must_use]
pub struct Builder {
    idls: Vec<PathBuf>,
    include_dirs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    unknown_fields: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

/// The code generated for one root IDL, and what it was generated from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// The formatted Rust source.
    pub code: String,
    /// Every IDL file read: the root and everything it includes.
    pub inputs: Vec<PathBuf>,
    /// Warnings (deprecated syntax and the like); they do not stop generation.
    pub warnings: Diagnostics,
}

impl Builder {
    /// A builder with no IDL, no include directory, the output in `OUT_DIR`,
    /// and unknown fields kept.
    pub fn new() -> Self {
        Self {
            idls: Vec::new(),
            include_dirs: Vec::new(),
            out_dir: None,
            unknown_fields: true,
        }
    }

    /// Adds a root IDL file: its code goes to `<out_dir>/<file stem>.rs`.
    pub fn add_idl(mut self, idl: impl Into<PathBuf>) -> Self {
        self.idls.push(idl.into());
        self
    }

    /// Adds a directory searched for `include`d files, after the including
    /// file's own directory.
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Where the generated files go (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether generated structs keep the fields they do not know (default
    /// `true`).
    pub fn unknown_fields(mut self, keep: bool) -> Self {
        self.unknown_fields = keep;
        self
    }

    /// Generates the code of one root IDL without writing anything.
    pub fn generate(&self, idl: impl AsRef<Path>) -> Result<Generated, Diagnostics> {
        let idl = idl.as_ref();
        let builder = self.include_dirs.iter().fold(
            pilota_build::Builder::thrift()
                .unknown_fields(self.unknown_fields)
                .service_backend(VoloThriftBackend),
            |b, dir| b.include_dir(dir.clone()),
        );
        let output = builder.run(idl)?;
        let parsed = pilota_build::thrift::parse_files(idl, &self.include_dirs)?;
        Ok(Generated {
            code: output.code,
            inputs: parsed
                .files()
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect(),
            warnings: output.warnings,
        })
    }

    /// Generates every root IDL into the output directory and returns the
    /// files written (or already up to date).
    ///
    /// Meant for build scripts: it prints `cargo:rerun-if-changed` for every
    /// IDL file read and `cargo:warning` for IDL warnings. Every root IDL is
    /// tried; the error lists the diagnostics of all that failed.
    pub fn write(&self) -> Result<Vec<PathBuf>, Error> {
        if self.idls.is_empty() {
            return Err(Error::NoIdl);
        }
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(Error::NoOutDir)?;
        let targets = self.targets(&out_dir)?;
        let mut failures = Vec::new();
        let mut written = Vec::new();
        for (idl, target) in self.idls.iter().zip(targets) {
            println!("cargo:rerun-if-changed={}", idl.display());
            let generated = match self.generate(idl) {
                Ok(generated) => generated,
                Err(diagnostics) => {
                    failures.push((idl.clone(), diagnostics));
                    continue;
                }
            };
            for input in &generated.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in &generated.warnings {
                for line in warning.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
            write_if_changed(&target, &generated.code)?;
            written.push(target);
        }
        if failures.is_empty() {
            Ok(written)
        } else {
            Err(Error::Idl(failures))
        }
    }

    /// [`write`](Self::write) for a build script: on error, prints it to
    /// stderr (cargo shows it) and exits with status 1, which fails the build.
    pub fn write_or_exit(&self) {
        if let Err(e) = self.write() {
            eprintln!("error: volo-build could not generate code\n{e}");
            std::process::exit(1);
        }
    }

    /// The output file of every root IDL; two with the same name are an error.
    fn targets(&self, out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let mut seen: HashMap<String, &PathBuf> = HashMap::new();
        self.idls
            .iter()
            .map(|idl| {
                let stem = idl
                    .file_stem()
                    .map_or_else(|| "idl".to_string(), |s| s.to_string_lossy().into_owned());
                let file = format!("{stem}.rs");
                if let Some(first) = seen.insert(file.clone(), idl) {
                    return Err(Error::DuplicateOutput {
                        file,
                        first: first.clone(),
                        second: idl.clone(),
                    });
                }
                Ok(out_dir.join(file))
            })
            .collect()
    }
}

/// Writes `code` to `path` unless it already holds exactly that, so that an
/// unchanged output keeps its modification time.
fn write_if_changed(path: &Path, code: &str) -> Result<(), Error> {
    if std::fs::read(path).is_ok_and(|old| old == code.as_bytes()) {
        return Ok(());
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, code).map_err(io)
}
