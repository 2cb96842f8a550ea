//! Semantic checks over all parsed files: names, types, services.
//!
//! Mirrors what the Apache compiler rejects: unknown types, duplicate definitions
//! (types and services share one namespace per file, constants another), duplicate
//! enum value names, duplicate function names, `extends` of something that is not a
//! service, `throws` of something that is not an exception, and ill-typed constant
//! values (see [`consts`](super::consts)). Duplicate enum *values* are allowed, as in
//! Apache.

use std::collections::{HashMap, HashSet};

use super::ast::{Definition, Field, Type, TypeKind};
use super::diagnostic::{Diagnostic, Severity};
use super::idl::{DefRef, ParsedIdl};
use super::span::{FileId, Span};

pub(crate) struct Checker<'a> {
    pub(crate) idl: &'a ParsedIdl,
    pub(crate) diags: Vec<Diagnostic>,
}

/// Runs every check, returning the diagnostics found.
pub(crate) fn check(idl: &ParsedIdl) -> Vec<Diagnostic> {
    let mut checker = Checker {
        idl,
        diags: Vec::new(),
    };
    for file in idl.files() {
        checker.check_file(file.id());
    }
    checker.diags
}

impl Checker<'_> {
    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        let source = self.idl.file(span.file).source();
        self.diags
            .push(Diagnostic::new(Severity::Error, source, span, message));
    }

    fn error_with_note(&mut self, span: Span, message: String, note: String) {
        let source = self.idl.file(span.file).source();
        self.diags
            .push(Diagnostic::new(Severity::Error, source, span, message).with_note(note));
    }

    /// Whether an unknown `name` used in `file` is explained by an earlier error: it
    /// appears in a definition skipped after a syntax error, or it is qualified by an
    /// include that could not be loaded.
    pub(crate) fn excused(&self, file: FileId, name: &str) -> bool {
        let here = self.idl.file(file);
        let segments = || name.split('.');
        if segments().any(|s| here.broken_names.contains(s)) {
            return true;
        }
        let qualifies = |prefix: &str| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.'))
        };
        let written = here
            .document()
            .includes()
            .filter(|i| qualifies(i.prefix()))
            .count();
        let loaded: Vec<FileId> = here
            .includes()
            .iter()
            .filter(|i| qualifies(&i.prefix))
            .map(|i| i.file)
            .collect();
        written > loaded.len()
            || loaded.iter().any(|&f| {
                let target = self.idl.file(f);
                segments().any(|s| target.broken_names.contains(s))
            })
    }

    fn position(&self, span: Span) -> String {
        let file = self.idl.file(span.file).source();
        format!("{}:{}", file.name(), file.line_col(span.start))
    }

    fn check_file(&mut self, file: FileId) {
        let idl = self.idl;
        let doc = idl.file(file).document();
        self.check_duplicates(file);
        for (index, def) in doc.definitions.iter().enumerate() {
            match def {
                Definition::Typedef(t) => {
                    self.check_type(file, &t.ty);
                    self.check_typedef_cycle(file, index, t.name.span);
                }
                Definition::Const(c) => {
                    self.check_type(file, &c.ty);
                    self.check_const_value(file, &c.ty, &c.value, &c.name.name);
                }
                Definition::Enum(e) => {
                    let mut seen: HashMap<&str, Span> = HashMap::new();
                    for v in &e.values {
                        if let Some(&first) = seen.get(v.name.name.as_str()) {
                            let note = format!("first defined at {}", self.position(first));
                            self.error_with_note(
                                v.name.span,
                                format!(
                                    "enum value `{}.{}` is already defined",
                                    e.name.name, v.name.name
                                ),
                                note,
                            );
                        } else {
                            seen.insert(&v.name.name, v.name.span);
                        }
                    }
                }
                Definition::Senum(_) => {}
                Definition::Struct(s) => self.check_fields(file, &s.fields),
                Definition::Service(s) => {
                    if let Some(base) = &s.extends {
                        match idl.resolve(file, base) {
                            Some(def) if matches!(idl.definition(def), Definition::Service(_)) => {
                                self.check_extends_cycle(DefRef { file, index }, s.name.span);
                            }
                            Some(_) => {
                                self.error(
                                    base.span,
                                    format!(
                                        "`{}` is not a service and cannot be extended",
                                        base.name
                                    ),
                                );
                            }
                            None if self.excused(file, &base.name) => {}
                            None => {
                                self.error(base.span, format!("unknown service `{}`", base.name));
                            }
                        }
                    }
                    let mut seen: HashMap<&str, Span> = HashMap::new();
                    for f in &s.functions {
                        if let Some(&first) = seen.get(f.name.name.as_str()) {
                            let note = format!("first defined at {}", self.position(first));
                            self.error_with_note(
                                f.name.span,
                                format!(
                                    "function `{}` is already defined in service `{}`",
                                    f.name.name, s.name.name
                                ),
                                note,
                            );
                        } else {
                            seen.insert(&f.name.name, f.name.span);
                        }
                        if let Some(result) = &f.result {
                            self.check_type(file, result);
                        }
                        self.check_fields(file, &f.args);
                        self.check_fields(file, &f.throws);
                        for t in &f.throws {
                            self.check_exception(file, &t.ty);
                        }
                    }
                }
            }
        }
    }

    fn check_duplicates(&mut self, file: FileId) {
        let doc = self.idl.file(file).document();
        let mut types: HashMap<&str, Span> = HashMap::new();
        let mut consts: HashMap<&str, Span> = HashMap::new();
        for def in &doc.definitions {
            let name = def.name();
            let table = if matches!(def, Definition::Const(_)) {
                &mut consts
            } else {
                &mut types
            };
            if let Some(&first) = table.get(name.name.as_str()) {
                let note = format!("first defined at {}", self.position(first));
                self.error_with_note(
                    name.span,
                    format!("`{}` is already defined", name.name),
                    note,
                );
            } else {
                table.insert(&name.name, name.span);
            }
        }
    }

    fn check_fields(&mut self, file: FileId, fields: &[Field]) {
        for field in fields {
            self.check_type(file, &field.ty);
            if let Some(default) = &field.default {
                self.check_const_value(file, &field.ty, default, &field.name.name);
            }
            if let Some(attrs) = &field.xsd_attrs {
                self.check_fields(file, attrs);
            }
        }
    }

    /// Every name in `ty` must resolve to a type.
    fn check_type(&mut self, file: FileId, ty: &Type) {
        match &ty.kind {
            TypeKind::Base(_) => {}
            TypeKind::Named(r) => match self.idl.resolve(file, r) {
                Some(def) if matches!(self.idl.definition(def), Definition::Service(_)) => {
                    self.error(r.span, format!("`{}` is a service, not a type", r.name));
                }
                Some(_) => {}
                None if self.excused(file, &r.name) => {}
                None => {
                    let message = format!("unknown type `{}`", r.name);
                    let here = self.idl.file(file);
                    let note = match r.split() {
                        (Some(prefix), _)
                            if !here.includes().iter().any(|i| i.prefix == prefix) =>
                        {
                            Some(format!("no included file is named `{prefix}.thrift`"))
                        }
                        (None, name) if self.idl.resolve_const(file, name).is_some() => {
                            Some(format!("`{name}` is a constant"))
                        }
                        _ => None,
                    };
                    match note {
                        Some(note) => self.error_with_note(r.span, message, note),
                        None => {
                            self.error(r.span, message);
                        }
                    }
                }
            },
            TypeKind::List { elem, .. } | TypeKind::Set { elem, .. } => self.check_type(file, elem),
            TypeKind::Map { key, value, .. } => {
                self.check_type(file, key);
                self.check_type(file, value);
            }
        }
    }

    /// Reports a typedef whose chain of named targets comes back to itself.
    fn check_typedef_cycle(&mut self, file: FileId, index: usize, span: Span) {
        let idl = self.idl;
        let start = DefRef { file, index };
        let mut seen = HashSet::new();
        let mut def = start;
        while seen.insert(def) {
            let Definition::Typedef(t) = idl.definition(def) else {
                return;
            };
            let TypeKind::Named(next) = &t.ty.kind else {
                return;
            };
            match idl.resolve(def.file, next) {
                Some(next) if next == start => {
                    let name = &t.name.name;
                    let first = &idl.definition(start).name().name;
                    let message = if name == first {
                        format!("typedef `{first}` refers to itself")
                    } else {
                        format!("typedef `{first}` refers to itself through `{name}`")
                    };
                    self.error(span, message);
                    return;
                }
                Some(next) => def = next,
                None => return,
            }
        }
    }

    /// Reports a service whose `extends` chain comes back to itself.
    fn check_extends_cycle(&mut self, start: DefRef, span: Span) {
        let idl = self.idl;
        let mut seen = HashSet::new();
        let mut def = start;
        while seen.insert(def) {
            let Definition::Service(s) = idl.definition(def) else {
                return;
            };
            let Some(base) = &s.extends else {
                return;
            };
            match idl.resolve(def.file, base) {
                Some(next) if next == start => {
                    let name = &idl.definition(start).name().name;
                    self.error(
                        span,
                        format!("service `{name}` extends itself through its bases"),
                    );
                    return;
                }
                Some(next) => def = next,
                None => return,
            }
        }
    }

    fn check_exception(&mut self, file: FileId, ty: &Type) {
        let idl = self.idl;
        let Some((tfile, target)) = idl.true_type(file, ty) else {
            return;
        };
        let is_exception = match &target.kind {
            TypeKind::Named(r) => match idl.resolve(tfile, r).map(|d| idl.definition(d)) {
                Some(Definition::Struct(s)) => s.kind == super::ast::StructKind::Exception,
                // Unknown names are reported by `check_type`.
                None => true,
                Some(_) => false,
            },
            _ => false,
        };
        if !is_exception {
            let source = idl.file(file).source();
            let written = source.slice(ty.span).to_owned();
            self.error(
                ty.span,
                format!("`{written}` in a `throws` clause is not an exception"),
            );
        }
    }
}
