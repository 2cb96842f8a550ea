//! Loading a root file and its transitive includes from disk.
//!
//! `include "x.thrift"` is searched relative to the including file first, then in the
//! include directories in order (Apache's `-I`). Each file is parsed once (files are
//! identified by their canonical path); an include cycle is an error naming the chain.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::ParseOptions;
use super::ast::Include;
use super::diagnostic::{Diagnostic, Diagnostics, Severity};
use super::idl::{ParsedFile, ResolvedInclude};
use super::parser::parse_document;
use super::span::{FileId, SourceFile};

/// Files larger than this are refused (spans use 32-bit offsets).
const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Include chains deeper than this are refused (it bounds the recursion).
const MAX_INCLUDE_DEPTH: usize = 256;

pub(crate) struct Loader<'a> {
    options: &'a ParseOptions,
    pub(crate) files: Vec<ParsedFile>,
    by_path: HashMap<PathBuf, FileId>,
    /// Files whose includes are being loaded, outermost first.
    stack: Vec<FileId>,
    pub(crate) diagnostics: Diagnostics,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(options: &'a ParseOptions) -> Self {
        Loader {
            options,
            files: Vec::new(),
            by_path: HashMap::new(),
            stack: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// Loads a root file (or finds it among the files already loaded); `None` if it
    /// cannot be read.
    pub(crate) fn load_root(&mut self, root: &Path) -> Option<FileId> {
        let canonical = match fs::canonicalize(root) {
            Ok(c) => c,
            Err(e) => {
                self.diagnostics.push(Diagnostic::for_file(
                    Severity::Error,
                    root.display().to_string(),
                    format!("cannot read file: {e}"),
                ));
                return None;
            }
        };
        if let Some(&id) = self.by_path.get(&canonical) {
            return Some(id);
        }
        self.load(root.to_path_buf(), canonical)
    }

    /// Reads and parses one file, then its includes.
    fn load(&mut self, path: PathBuf, canonical: PathBuf) -> Option<FileId> {
        let name = path.display().to_string();
        let text = match read_source(&path) {
            Ok(text) => text,
            Err(message) => {
                self.diagnostics
                    .push(Diagnostic::for_file(Severity::Error, name, message));
                return None;
            }
        };
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let source = SourceFile::new(name, text);
        let parsed = parse_document(&source, id, self.options);
        for d in parsed.diagnostics {
            self.diagnostics.push(d);
        }
        let includes: Vec<Include> = parsed.document.includes().cloned().collect();
        self.files.push(ParsedFile::new(
            id,
            path.clone(),
            source,
            parsed.document,
            parsed.broken_names,
        ));
        self.by_path.insert(canonical, id);

        self.stack.push(id);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for include in &includes {
            if let Some(resolved) = self.include(id, &dir, include) {
                self.files[id.index()].includes.push(resolved);
            }
        }
        self.stack.pop();
        Some(id)
    }

    fn include(&mut self, from: FileId, dir: &Path, include: &Include) -> Option<ResolvedInclude> {
        let Some(found) = self.search(dir, &include.path.value) else {
            let mut searched = vec![dir.display().to_string()];
            searched.extend(
                self.options
                    .include_dirs
                    .iter()
                    .map(|d| d.display().to_string()),
            );
            self.error(
                from,
                include,
                format!("cannot find included file `{}`", include.path.value),
                Some(format!("searched in: {}", searched.join(", "))),
            );
            return None;
        };
        let canonical = fs::canonicalize(&found).unwrap_or_else(|_| found.clone());
        let file = match self.by_path.get(&canonical) {
            Some(&id) if self.stack.contains(&id) => {
                let start = self.stack.iter().position(|&s| s == id).unwrap_or(0);
                let mut chain: Vec<String> = self.stack[start..]
                    .iter()
                    .map(|&f| self.files[f.index()].source.name().to_owned())
                    .collect();
                chain.push(self.files[id.index()].source.name().to_owned());
                self.error(
                    from,
                    include,
                    format!("include cycle: {}", chain.join(" -> ")),
                    None,
                );
                return None;
            }
            Some(&id) => id,
            None if self.stack.len() >= MAX_INCLUDE_DEPTH => {
                self.error(
                    from,
                    include,
                    format!("includes are nested more than {MAX_INCLUDE_DEPTH} levels deep"),
                    None,
                );
                return None;
            }
            None => self.load(found, canonical)?,
        };
        Some(ResolvedInclude {
            prefix: include.prefix().to_owned(),
            file,
            span: include.span,
        })
    }

    /// The first existing file for `rel`: next to the including file, then in the
    /// include directories.
    fn search(&self, dir: &Path, rel: &str) -> Option<PathBuf> {
        let rel = Path::new(rel);
        if rel.is_absolute() {
            return rel.is_file().then(|| rel.to_path_buf());
        }
        std::iter::once(dir)
            .chain(self.options.include_dirs.iter().map(PathBuf::as_path))
            .map(|d| d.join(rel))
            .find(|p| p.is_file())
    }

    fn error(&mut self, from: FileId, include: &Include, message: String, note: Option<String>) {
        let source = &self.files[from.index()].source;
        let mut d = Diagnostic::new(Severity::Error, source, include.path.span, message);
        if let Some(note) = note {
            d = d.with_note(note);
        }
        self.diagnostics.push(d);
    }
}

fn read_source(path: &Path) -> Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!(
            "file is too large ({} bytes, the limit is {MAX_FILE_SIZE})",
            meta.len()
        ));
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
