//! The Thrift IDL front end: lexer, parser, AST, name resolution and diagnostics.
//!
//! It accepts the Apache Thrift 0.25 grammar (see [`ast`] for what the tree holds) and
//! rejects what the Apache compiler rejects, with a diagnostic that has the file, line,
//! column, the source line and a `^^^` marker. A run reports every error it finds.
//!
//! # Entry points
//!
//! - [`parse_files`] (or [`parse_files_with`] for [`ParseOptions`]): parse a root file and
//!   every file it includes, transitively, each once. `include "x.thrift"` is searched
//!   next to the including file first, then in the include directories in order. Then
//!   check names and constants across the files. Returns a [`ParsedIdl`].
//! - [`parse_roots_with`]: the same for several root files at once (one entry of a
//!   build generating several IDLs); a file included by more than one root is read once.
//! - [`parse_str`]: parse one in-memory file into a [`Document`] (syntax only).
//! - [`check_str`]: parse and check one in-memory file without includes.
//!
//! # Resolution for later stages
//!
//! A [`ParsedIdl`] holds the [`ParsedFile`]s ([`FileId`] = index; the root is marked) with
//! their includes resolved to file ids. [`ParsedIdl::resolve`] maps a type name used in
//! a file ([`TypeRef`](ast::TypeRef), possibly `prefix.Name`) to the definition it
//! means ([`DefRef`]: file + index), [`ParsedIdl::resolve_const`] does the same for
//! constant names and enum values, and [`ParsedIdl::true_type`] follows typedefs. Spans
//! turn into positions with [`ParsedIdl::line_col`] or [`SourceFile::line_col`].
//!
//! # What is checked
//!
//! Syntax (including integer overflow, string escapes, nesting deeper than
//! [`MAX_DEPTH`]), include cycles and missing includes, unknown types, duplicate
//! definitions, duplicate field ids and names, duplicate enum value names, `extends`
//! and `throws` targets, and constant values against their types (an unqualified enum
//! value such as `consistency_level = ONE` is rejected, as by Apache 0.25). After a
//! syntax error the parser skips to the next definition and goes on; names that appear
//! in a skipped definition, or that are qualified by an include that could not be
//! loaded, are not reported as unknown, so one error does not cascade. Warnings follow Apache (`byte`, `list<byte>`,
//! implicit field ids, 64-bit constants, `optional` in argument lists, unknown namespace
//! scopes, deprecated forms); they never fail a run.
//!
//! # Example
//!
//! ```
//! use pilota_build::thrift::{self, ast::Definition};
//!
//! let doc = thrift::parse_str(
//!     "echo.thrift",
//!     r#"
//!     namespace rs echo
//!     /** A greeting. */
//!     struct Hello { 1: required string name = "world" }
//!     service Echo { Hello echo(1: Hello req) }
//!     "#,
//! )
//! .unwrap();
//! let Definition::Struct(hello) = &doc.definitions[0] else { panic!() };
//! assert_eq!(hello.doc.as_deref(), Some("A greeting."));
//! assert_eq!(hello.fields[0].id.value, 1);
//!
//! let err = thrift::check_str("bad.thrift", "struct A { 1: Missing m }").unwrap_err();
//! assert!(err.to_string().contains("bad.thrift:1:15"));
//! assert!(err.to_string().contains("unknown type `Missing`"));
//! ```

pub mod ast;
mod check;
mod consts;
mod diagnostic;
mod doc;
mod idl;
mod lexer;
mod loader;
mod parser;
mod span;

use std::path::{Path, PathBuf};

pub use ast::Document;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use idl::{ConstRef, DefRef, ParsedFile, ParsedIdl, ResolvedInclude};
pub use parser::MAX_DEPTH;
pub use span::{FileId, LineCol, SourceFile, Span};

/// Options of [`parse_files_with`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Directories searched for includes after the including file's directory (`-I`).
    pub include_dirs: Vec<PathBuf>,
    /// Keep written non-positive field ids (Apache's `--allow-neg-keys`). Without it, a
    /// non-positive id is replaced by the next implicit id, with a warning.
    pub allow_negative_field_ids: bool,
}

impl ParseOptions {
    /// Default options: no include directories, negative field ids not allowed.
    pub fn new() -> Self {
        ParseOptions::default()
    }

    /// Adds an include directory (searched in the order added).
    #[must_use]
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Keeps written non-positive field ids.
    #[must_use]
    pub fn allow_negative_field_ids(mut self, allow: bool) -> Self {
        self.allow_negative_field_ids = allow;
        self
    }
}

/// Parses `root` and its transitive includes and checks them.
///
/// Includes are searched next to the including file, then in `include_dirs` in order.
/// On success the warnings are in [`ParsedIdl::warnings`]; on failure the
/// [`Diagnostics`] hold every error and warning found.
pub fn parse_files(root: &Path, include_dirs: &[PathBuf]) -> Result<ParsedIdl, Diagnostics> {
    let options = ParseOptions {
        include_dirs: include_dirs.to_vec(),
        ..ParseOptions::default()
    };
    parse_files_with(root, &options)
}

/// [`parse_files`] with options.
pub fn parse_files_with(root: &Path, options: &ParseOptions) -> Result<ParsedIdl, Diagnostics> {
    parse_roots_with(&[root], options)
}

/// Parses several root files and their transitive includes into one [`ParsedIdl`],
/// each file once (a file that is a root and also included by another is one file).
/// [`ParsedIdl::roots`] lists the roots in the order given; no root is an error.
pub fn parse_roots_with<P: AsRef<Path>>(
    roots: &[P],
    options: &ParseOptions,
) -> Result<ParsedIdl, Diagnostics> {
    let mut loader = loader::Loader::new(options);
    let mut ids = Some(Vec::new());
    for root in roots {
        match (loader.load_root(root.as_ref()), ids.as_mut()) {
            (Some(id), Some(ids)) if !ids.contains(&id) => ids.push(id),
            (Some(_), _) => {}
            (None, _) => ids = None,
        }
    }
    if roots.is_empty() {
        loader.diagnostics.push(Diagnostic::for_file(
            Severity::Error,
            "<none>".to_string(),
            "no IDL file to parse",
        ));
        ids = None;
    }
    let files = std::mem::take(&mut loader.files);
    finish(files, ids, loader.diagnostics)
}

/// Parses one file from a string (syntax only: includes are not followed and names
/// are not resolved). The document's file id is `FileId(0)`.
pub fn parse_str(name: &str, src: &str) -> Result<Document, Diagnostics> {
    let source = SourceFile::new(name, src);
    let parsed = parser::parse_document(&source, FileId(0), &ParseOptions::default());
    let diags = sorted(parsed.diagnostics.into_iter().collect());
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(parsed.document)
    }
}

/// Parses and checks one self-contained file from a string (an `include` is an error:
/// use [`parse_files`] for those).
pub fn check_str(name: &str, src: &str) -> Result<ParsedIdl, Diagnostics> {
    let source = SourceFile::new(name, src);
    let id = FileId(0);
    let parsed = parser::parse_document(&source, id, &ParseOptions::default());
    let mut all: Diagnostics = parsed.diagnostics.into_iter().collect();
    for include in parsed.document.includes() {
        all.push(Diagnostic::new(
            Severity::Error,
            &source,
            include.span,
            "`include` cannot be followed for a source given as a string",
        ));
    }
    let file = ParsedFile::new(
        id,
        PathBuf::from(name),
        source,
        parsed.document,
        parsed.broken_names,
    );
    finish(vec![file], Some(vec![id]), all)
}

/// Runs the semantic checks and builds the result.
fn finish(
    files: Vec<ParsedFile>,
    roots: Option<Vec<FileId>>,
    mut diags: Diagnostics,
) -> Result<ParsedIdl, Diagnostics> {
    let Some(roots) = roots.filter(|r| !r.is_empty()) else {
        return Err(sorted(diags));
    };
    let idl = ParsedIdl {
        files,
        roots,
        warnings: Diagnostics::new(),
    };
    for d in check::check(&idl) {
        diags.push(d);
    }
    let diags = sorted(diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(ParsedIdl {
            warnings: diags,
            ..idl
        })
    }
}

/// Orders diagnostics by file and position (file-level ones first), keeping the order
/// of discovery among equals.
fn sorted(diags: Diagnostics) -> Diagnostics {
    let mut items: Vec<Diagnostic> = diags.into_iter().collect();
    items.sort_by_key(|d| d.span().map(|s| (s.file, s.start)));
    items.into_iter().collect()
}
