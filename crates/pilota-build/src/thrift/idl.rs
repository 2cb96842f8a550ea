//! [`ParsedIdl`]: the files of one parse run, and name resolution over them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::ast::{Definition, Document, Type, TypeKind, TypeRef};
use super::diagnostic::Diagnostics;
use super::span::{FileId, LineCol, SourceFile, Span};

/// A definition in a parsed file: `files()[file].document().definitions[index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefRef {
    /// The file holding the definition.
    pub file: FileId,
    /// The index in [`Document::definitions`].
    pub index: usize,
}

/// What a constant name (`NAME`, `Enum.VALUE`, `prefix.NAME`, `prefix.Enum.VALUE`)
/// refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstRef {
    /// A `const` definition.
    Const(DefRef),
    /// A value of an enum: `value` indexes [`Enum::values`](super::ast::Enum::values).
    EnumValue {
        /// The enum.
        def: DefRef,
        /// The index of the value.
        value: usize,
    },
}

/// An `include` of a file, resolved to the included file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedInclude {
    /// The prefix qualifying names from the included file (its file stem).
    pub prefix: String,
    /// The included file.
    pub file: FileId,
    /// The `include` statement.
    pub span: Span,
}

/// One parsed file of a [`ParsedIdl`].
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub(crate) id: FileId,
    pub(crate) path: PathBuf,
    pub(crate) source: SourceFile,
    pub(crate) document: Document,
    pub(crate) includes: Vec<ResolvedInclude>,
    pub(crate) types: HashMap<String, usize>,
    pub(crate) consts: HashMap<String, usize>,
    pub(crate) broken_names: HashSet<String>,
}

impl ParsedFile {
    pub(crate) fn new(
        id: FileId,
        path: PathBuf,
        source: SourceFile,
        document: Document,
        broken_names: HashSet<String>,
    ) -> Self {
        let mut types = HashMap::new();
        let mut consts = HashMap::new();
        for (index, def) in document.definitions.iter().enumerate() {
            let table = if matches!(def, Definition::Const(_)) {
                &mut consts
            } else {
                &mut types
            };
            table.entry(def.name().name.clone()).or_insert(index);
        }
        ParsedFile {
            id,
            path,
            source,
            document,
            includes: Vec::new(),
            types,
            consts,
            broken_names,
        }
    }

    /// The id of the file.
    pub fn id(&self) -> FileId {
        self.id
    }

    /// The path the file was read from (as found, not canonicalized).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The source text.
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The syntax tree.
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// The includes, in the order of the `include` statements.
    pub fn includes(&self) -> &[ResolvedInclude] {
        &self.includes
    }

    /// The included files qualified by `prefix`, last first: several includes can
    /// share a prefix (`a.thrift`, `dir/a.thrift`), and like Apache's scope, the later
    /// one wins when both define a name.
    fn includes_named<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = FileId> + 's {
        self.includes
            .iter()
            .rev()
            .filter(move |i| i.prefix == prefix)
            .map(|i| i.file)
    }
}

/// The result of [`parse_files`](super::parse_files): the root file and every file it
/// includes, transitively, each parsed once, with includes resolved to file ids.
#[derive(Debug, Clone)]
pub struct ParsedIdl {
    pub(crate) files: Vec<ParsedFile>,
    /// Never empty.
    pub(crate) roots: Vec<FileId>,
    pub(crate) warnings: Diagnostics,
}

impl ParsedIdl {
    /// The file parsing started from (the first root when there are several).
    pub fn root(&self) -> FileId {
        self.roots[0]
    }

    /// The root files, in the order given (one for [`parse_files`](super::parse_files)).
    pub fn roots(&self) -> &[FileId] {
        &self.roots
    }

    /// All files; `files()[id.index()]` is the file with that id.
    pub fn files(&self) -> &[ParsedFile] {
        &self.files
    }

    /// The file with id `id`.
    ///
    /// # Panics
    /// If `id` does not come from this `ParsedIdl`.
    pub fn file(&self, id: FileId) -> &ParsedFile {
        &self.files[id.index()]
    }

    /// The definition `def` points to.
    ///
    /// # Panics
    /// If `def` does not come from this `ParsedIdl`.
    pub fn definition(&self, def: DefRef) -> &Definition {
        &self.file(def.file).document.definitions[def.index]
    }

    /// The warnings of the run (a successful run has no errors).
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The line and column where `span` starts.
    pub fn line_col(&self, span: Span) -> LineCol {
        self.file(span.file).source.line_col(span.start)
    }

    /// What a type name used in `file` refers to: a typedef, enum, senum, struct,
    /// union or exception (or a service, for `extends`), in `file` itself or, written
    /// `prefix.Name`, in the included file `prefix.thrift`.
    pub fn resolve(&self, file: FileId, ty: &TypeRef) -> Option<DefRef> {
        self.resolve_type_name(file, &ty.name)
    }

    pub(crate) fn resolve_type_name(&self, file: FileId, name: &str) -> Option<DefRef> {
        let here = self.files.get(file.index())?;
        if let Some(&index) = here.types.get(name) {
            return Some(DefRef { file, index });
        }
        let (prefix, rest) = name.rsplit_once('.')?;
        here.includes_named(prefix).find_map(|target| {
            let index = *self.file(target).types.get(rest)?;
            Some(DefRef {
                file: target,
                index,
            })
        })
    }

    /// What a constant name used in `file` refers to: `NAME` or `Enum.VALUE` in `file`,
    /// `prefix.NAME` or `prefix.Enum.VALUE` in the included file `prefix.thrift`.
    pub fn resolve_const(&self, file: FileId, name: &str) -> Option<ConstRef> {
        let here = self.files.get(file.index())?;
        if let Some(&index) = here.consts.get(name) {
            return Some(ConstRef::Const(DefRef { file, index }));
        }
        let (head, last) = name.rsplit_once('.')?;
        if let Some(found) = self.enum_value(file, head, last) {
            return Some(found);
        }
        here.includes_named(head).find_map(|target| {
            let index = *self.file(target).consts.get(last)?;
            Some(ConstRef::Const(DefRef {
                file: target,
                index,
            }))
        })
    }

    /// Follows typedefs from `ty` (used in `file`) to the type they stand for, with the
    /// file whose scope applies to it. `None` if a name is unknown or the typedefs form
    /// a cycle.
    pub fn true_type<'s>(
        &'s self,
        mut file: FileId,
        mut ty: &'s Type,
    ) -> Option<(FileId, &'s Type)> {
        // A chain longer than the number of definitions has a cycle.
        let bound: usize = self
            .files
            .iter()
            .map(|f| f.document.definitions.len())
            .sum();
        for _ in 0..=bound {
            let TypeKind::Named(r) = &ty.kind else {
                return Some((file, ty));
            };
            let def = self.resolve(file, r)?;
            match self.definition(def) {
                Definition::Typedef(t) => {
                    file = def.file;
                    ty = &t.ty;
                }
                _ => return Some((file, ty)),
            }
        }
        None
    }

    /// `enum_name.value` where `enum_name` is resolved like a type name from `file`.
    fn enum_value(&self, file: FileId, enum_name: &str, value: &str) -> Option<ConstRef> {
        let def = self.resolve_type_name(file, enum_name)?;
        let Definition::Enum(e) = self.definition(def) else {
            return None;
        };
        let value = e.values.iter().position(|v| v.name.name == value)?;
        Some(ConstRef::EnumValue { def, value })
    }
}
