//! Thrift AST → model.
//!
//! # Modules
//!
//! Every IDL file becomes one module. Its path comes from the file's namespaces, in
//! this order of preference:
//!
//! 1. `namespace rs a.b` → module `a::b`;
//! 2. `namespace * a.b` → module `a::b`;
//! 3. otherwise the file stem: `shared.thrift` → module `shared`.
//!
//! Other languages' namespaces (`java`, `py`, ...) are ignored: they name packages of
//! those languages and would give deep, surprising Rust paths. When two files end up
//! with the same module path, the later one (in include order, the roots first) gets
//! its file stem appended (`a::b::shared`), so every file keeps a module of its own.
//!
//! # References
//!
//! A type or constant from an included file (`shared.Point`) becomes a
//! [`ModelPath`] naming the included file's module; the backend writes it as a
//! relative path (`super::shared::Point`).
//!
//! # Typedefs and constants
//!
//! Typedefs become [`ItemKind::Alias`] items and types that name them stay paths to the
//! alias. Constants and default values are evaluated against their declared type:
//! references to other constants are replaced by their values, enum references
//! (`Color.RED`) become [`Value::EnumVariant`], integers are accepted for `double` and
//! `bool` (as Apache Thrift does), and maps written for a struct type become
//! [`Value::Message`]. A value that does not fit its type is a diagnostic.

mod value;

use std::collections::HashSet;
use std::path::Path;

use crate::model::{
    Attributes, Enum, EnumVariant, Field, File, Item, ItemKind, Loc, Message, Method, Model,
    ModelPath, Requiredness, Service, Ty,
};
use crate::thrift::ast::{self, BaseType, Definition, StructKind, TypeKind};
use crate::thrift::{Diagnostic, Diagnostics, FileId, ParsedIdl, Severity, Span};

/// Lowers every file of a parse run into a [`Model`]; the root files come first, in
/// order.
pub fn lower(idl: &ParsedIdl) -> Result<Model, Diagnostics> {
    let mut cx = Lowering {
        idl,
        modules: module_paths(idl),
        diagnostics: Diagnostics::new(),
    };
    let files = file_order(idl).into_iter().map(|id| cx.file(id)).collect();
    if cx.diagnostics.has_errors() {
        Err(cx.diagnostics)
    } else {
        Ok(Model::new(files))
    }
}

/// The roots in order, then every other file in load order.
fn file_order(idl: &ParsedIdl) -> Vec<FileId> {
    let mut order = idl.roots().to_vec();
    order.extend(
        idl.files()
            .iter()
            .map(|f| f.id())
            .filter(|id| !idl.roots().contains(id)),
    );
    order
}

/// The module path of every file (indexed by file id), made unique.
fn module_paths(idl: &ParsedIdl) -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new(); idl.files().len()];
    let mut taken = HashSet::new();
    for id in file_order(idl) {
        let file = idl.file(id);
        let stem = file_stem(file.path());
        let mut path: Vec<String> = match file.document().namespace("rs") {
            Some(ns) => ns
                .name
                .name
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        };
        if path.is_empty() {
            path.push(stem.clone());
        }
        if taken.contains(&path) {
            let base = path.clone();
            let mut n = 1;
            loop {
                path = base.clone();
                path.push(if n == 1 {
                    stem.clone()
                } else {
                    format!("{stem}_{n}")
                });
                if !taken.contains(&path) {
                    break;
                }
                n += 1;
            }
        }
        taken.insert(path.clone());
        paths[id.index()] = path;
    }
    paths
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "idl".to_string())
}

/// Converts annotations to attributes (a bare key gets the value `"1"`).
fn attrs(annotations: &[&ast::Annotations]) -> Attributes {
    Attributes(
        annotations
            .iter()
            .flat_map(|a| a.iter())
            .map(|a| (a.key.name.clone(), a.value_str().to_string()))
            .collect(),
    )
}

/// The state of one lowering run.
pub(crate) struct Lowering<'a> {
    pub(crate) idl: &'a ParsedIdl,
    pub(crate) modules: Vec<Vec<String>>,
    pub(crate) diagnostics: Diagnostics,
}

impl Lowering<'_> {
    /// Records an error at `span`.
    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        let source = self.idl.file(span.file).source();
        self.diagnostics
            .push(Diagnostic::new(Severity::Error, source, span, message));
    }

    pub(crate) fn loc(&self, span: Span) -> Loc {
        let pos = self.idl.line_col(span);
        Loc {
            file: self.idl.file(span.file).path().to_path_buf(),
            line: pos.line,
            col: pos.col,
            range: span.start..span.end,
        }
    }

    /// The model path of definition `index` of `file`.
    pub(crate) fn def_path(&self, file: FileId, index: usize) -> ModelPath {
        let def = &self.idl.file(file).document().definitions[index];
        ModelPath::new(self.modules[file.index()].clone(), &def.name().name)
    }

    fn file(&mut self, id: FileId) -> File {
        let parsed = self.idl.file(id);
        let items = parsed
            .document()
            .definitions
            .iter()
            .filter_map(|def| self.definition(id, def))
            .collect();
        File {
            module: self.modules[id.index()].clone(),
            source: Some(parsed.path().to_path_buf()),
            items,
        }
    }

    fn definition(&mut self, file: FileId, def: &Definition) -> Option<Item> {
        let (kind, attributes) = match def {
            Definition::Typedef(t) => (
                ItemKind::Alias(self.ty(file, &t.ty)?),
                attrs(&[&t.ty.annotations, &t.annotations]),
            ),
            Definition::Const(c) => {
                let ty = self.ty(file, &c.ty)?;
                let value = self.value(file, &c.value, file, &c.ty)?;
                (ItemKind::Const { ty, value }, attrs(&[&c.ty.annotations]))
            }
            Definition::Enum(e) => (
                ItemKind::Enum(Enum {
                    variants: e
                        .values
                        .iter()
                        .map(|v| EnumVariant {
                            name: v.name.name.clone(),
                            value: v.value,
                            attrs: attrs(&[&v.annotations]),
                            docs: v.doc.clone(),
                            loc: Some(self.loc(v.span)),
                        })
                        .collect(),
                }),
                attrs(&[&e.annotations]),
            ),
            // A deprecated string enum: any string goes.
            Definition::Senum(s) => (ItemKind::Alias(Ty::String), attrs(&[&s.annotations])),
            Definition::Struct(s) => {
                let message = Message {
                    fields: self.fields(file, &s.fields),
                };
                let kind = match s.kind {
                    StructKind::Struct => ItemKind::Message(message),
                    StructKind::Union => ItemKind::Union(message),
                    StructKind::Exception => ItemKind::Exception(message),
                };
                (kind, attrs(&[&s.annotations]))
            }
            Definition::Service(s) => (
                ItemKind::Service(self.service(file, s)?),
                attrs(&[&s.annotations]),
            ),
        };
        Some(Item {
            name: def.name().name.clone(),
            docs: def.doc().map(str::to_string),
            attrs: attributes,
            loc: Some(self.loc(def.span())),
            kind,
        })
    }

    fn service(&mut self, file: FileId, s: &ast::Service) -> Option<Service> {
        let extends = match &s.extends {
            Some(base) => match self.idl.resolve(file, base) {
                Some(def) if matches!(self.idl.definition(def), Definition::Service(_)) => {
                    Some(self.def_path(def.file, def.index))
                }
                _ => {
                    self.error(base.span, format!("`{}` is not a service", base.name));
                    return None;
                }
            },
            None => None,
        };
        let methods = s
            .functions
            .iter()
            .map(|f| Method {
                name: f.name.name.clone(),
                args: self.fields(file, &f.args),
                result: f.result.as_ref().and_then(|t| self.ty(file, t)),
                throws: self.fields(file, &f.throws),
                oneway: f.oneway,
                attrs: attrs(&[&f.annotations]),
                docs: f.doc.clone(),
                loc: Some(self.loc(f.span)),
            })
            .collect();
        Some(Service { extends, methods })
    }

    fn fields(&mut self, file: FileId, fields: &[ast::Field]) -> Vec<Field> {
        fields
            .iter()
            .filter_map(|f| {
                let ty = self.ty(file, &f.ty)?;
                let default = match &f.default {
                    Some(v) => Some(self.value(file, v, file, &f.ty)?),
                    None => None,
                };
                Some(Field {
                    id: f.id.value,
                    name: f.name.name.clone(),
                    ty,
                    requiredness: match f.requiredness {
                        ast::Requiredness::Required => Requiredness::Required,
                        ast::Requiredness::Optional => Requiredness::Optional,
                        ast::Requiredness::Default => Requiredness::Default,
                    },
                    default,
                    attrs: attrs(&[&f.ty.annotations, &f.annotations]),
                    docs: f.doc.clone(),
                    loc: Some(self.loc(f.span)),
                })
            })
            .collect()
    }

    /// Lowers a type written in `file`.
    pub(crate) fn ty(&mut self, file: FileId, ty: &ast::Type) -> Option<Ty> {
        Some(match &ty.kind {
            TypeKind::Base(b) => match b {
                BaseType::Bool => Ty::Bool,
                BaseType::I8 => Ty::I8,
                BaseType::I16 => Ty::I16,
                BaseType::I32 => Ty::I32,
                BaseType::I64 => Ty::I64,
                BaseType::Double => Ty::F64,
                BaseType::String => Ty::String,
                BaseType::Binary => Ty::Binary,
                BaseType::Uuid => Ty::Uuid,
            },
            TypeKind::List { elem, .. } => Ty::List(Box::new(self.ty(file, elem)?)),
            TypeKind::Set { elem, .. } => Ty::Set(Box::new(self.ty(file, elem)?)),
            TypeKind::Map { key, value, .. } => Ty::Map(
                Box::new(self.ty(file, key)?),
                Box::new(self.ty(file, value)?),
            ),
            TypeKind::Named(r) => match self.idl.resolve(file, r) {
                Some(def) if self.idl.definition(def).is_type() => {
                    Ty::Path(self.def_path(def.file, def.index))
                }
                Some(_) => {
                    self.error(r.span, format!("`{}` is not a type", r.name));
                    return None;
                }
                None => {
                    self.error(r.span, format!("unknown type `{}`", r.name));
                    return None;
                }
            },
        })
    }
}

#[cfg(test)]
mod tests;
