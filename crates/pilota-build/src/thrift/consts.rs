//! Type checking of constant values (`const` definitions and field defaults).
//!
//! Follows Apache's `validate_const_rec` and `resolve_const_value`, through typedefs:
//!
//! - integer types take integers (`true`/`false` are 1/0) that fit the type; `double`
//!   takes integers and doubles; `string`/`binary` take string literals; `uuid` takes a
//!   string in the form `01234567-89ab-cdef-0123-456789abcdef` (optionally in braces);
//! - an enum takes `Enum.VALUE` (qualified: a bare `VALUE` is rejected, as by Apache
//!   0.25) or an integer equal to one of its values;
//! - a struct, union or exception takes a map whose keys are field names in quotes;
//! - lists and sets take `[...]`, maps take `{k: v}`; `{}` is also an empty list or set
//!   and `[]` an empty map, as Apache lets them through;
//! - an identifier elsewhere names another constant (or an enum value, an integer),
//!   whose value must fit the expected type; constants may not refer to themselves.

use super::ast::{BaseType, ConstValue, ConstValueKind, Definition, StructKind, Type, TypeKind};
use super::check::Checker;
use super::idl::{ConstRef, DefRef};
use super::span::{FileId, Span};

/// Where a value is checked: the scopes of its type and of its identifiers, and, when
/// the value is another constant's, the identifier that brought it in.
#[derive(Clone, Copy)]
struct Site<'a> {
    type_file: FileId,
    value_file: FileId,
    /// The identifier (span and name) through which a referenced constant's value is
    /// checked; errors are reported there.
    via: Option<(Span, &'a str)>,
}

impl Checker<'_> {
    /// Checks `value` against `ty`, both written in `file`; `name` names the constant
    /// or field in messages.
    pub(crate) fn check_const_value(
        &mut self,
        file: FileId,
        ty: &Type,
        value: &ConstValue,
        name: &str,
    ) {
        let site = Site {
            type_file: file,
            value_file: file,
            via: None,
        };
        let mut visiting = Vec::new();
        self.value(site, ty, value, name, &mut visiting);
    }

    fn mismatch(&mut self, site: Site<'_>, value: &ConstValue, message: String) {
        match site.via {
            Some((span, ident)) => {
                self.error(
                    span,
                    format!("constant `{ident}` cannot be used here: {message}"),
                );
            }
            None => {
                self.error(value.span, message);
            }
        }
    }

    fn value(
        &mut self,
        site: Site<'_>,
        ty: &Type,
        value: &ConstValue,
        name: &str,
        visiting: &mut Vec<DefRef>,
    ) {
        let idl = self.idl;
        // Unknown types are reported by the type checks.
        let Some((type_file, target)) = idl.true_type(site.type_file, ty) else {
            return;
        };
        let site = Site { type_file, ..site };
        let expected = describe_type(idl.file(type_file).source().slice(target.span), target);

        if let TypeKind::Named(r) = &target.kind {
            match idl.resolve(type_file, r).map(|d| (d, idl.definition(d))) {
                Some((_, Definition::Enum(e))) => {
                    self.enum_value(site, value, e, name);
                    return;
                }
                Some((def, Definition::Struct(s))) => {
                    self.struct_value(site, def.file, s, value, name, visiting);
                    return;
                }
                Some((_, Definition::Senum(_))) => {
                    if !matches!(value.kind, ConstValueKind::String(_)) {
                        let found = describe_value(&value.kind);
                        self.mismatch(
                            site,
                            value,
                            format!("expected {expected} for `{name}`, found {found}"),
                        );
                    }
                    return;
                }
                _ => return,
            }
        }

        if let ConstValueKind::Identifier(ident) = &value.kind {
            self.identifier(site, target, value, ident, name, visiting);
            return;
        }

        match (&target.kind, &value.kind) {
            (TypeKind::Base(base), kind) => {
                self.base_value(site, *base, value, kind, &expected, name);
            }
            (
                TypeKind::List { elem, .. } | TypeKind::Set { elem, .. },
                ConstValueKind::List(items),
            ) => {
                for item in items {
                    self.value(site, elem, item, name, visiting);
                }
            }
            (
                TypeKind::Map {
                    key, value: val, ..
                },
                ConstValueKind::Map(entries),
            ) => {
                for (k, v) in entries {
                    self.value(site, key, k, name, visiting);
                    self.value(site, val, v, name, visiting);
                }
            }
            // Apache accepts `{}` for an empty list or set and `[]` for an empty map
            // (the corpus writes `set<binary> bin_set = {}`).
            (TypeKind::List { .. } | TypeKind::Set { .. }, ConstValueKind::Map(entries))
                if entries.is_empty() => {}
            (TypeKind::Map { .. }, ConstValueKind::List(items)) if items.is_empty() => {}
            (_, kind) => {
                let found = describe_value(kind);
                self.mismatch(
                    site,
                    value,
                    format!("expected {expected} for `{name}`, found {found}"),
                );
            }
        }
    }

    fn base_value(
        &mut self,
        site: Site<'_>,
        base: BaseType,
        value: &ConstValue,
        kind: &ConstValueKind,
        expected: &str,
        name: &str,
    ) {
        let ok = match (base, kind) {
            (BaseType::Bool | BaseType::I64, ConstValueKind::Int(_)) => true,
            (BaseType::I8 | BaseType::I16 | BaseType::I32, ConstValueKind::Int(v)) => {
                let (min, max) = match base {
                    BaseType::I8 => (i8::MIN.into(), i8::MAX.into()),
                    BaseType::I16 => (i16::MIN.into(), i16::MAX.into()),
                    _ => (i32::MIN.into(), i32::MAX.into()),
                };
                if !(min..=max).contains(v) {
                    let message = format!("integer {v} for `{name}` does not fit in {expected}");
                    self.mismatch(site, value, message);
                }
                true
            }
            (BaseType::Double, ConstValueKind::Int(_) | ConstValueKind::Double(_)) => true,
            (BaseType::String | BaseType::Binary, ConstValueKind::String(_)) => true,
            (BaseType::Uuid, ConstValueKind::String(s)) => {
                if !is_uuid(s) {
                    self.mismatch(site, value, format!("`{s}` is not a valid uuid"));
                }
                true
            }
            _ => false,
        };
        if !ok {
            let found = describe_value(kind);
            self.mismatch(
                site,
                value,
                format!("expected {expected} for `{name}`, found {found}"),
            );
        }
    }

    fn enum_value(&mut self, site: Site<'_>, value: &ConstValue, e: &super::ast::Enum, name: &str) {
        let enum_name = &e.name.name;
        match &value.kind {
            ConstValueKind::Identifier(ident) => match ident.rsplit_once('.') {
                None => {
                    self.mismatch(
                        site,
                        value,
                        format!(
                            "unqualified enum value `{ident}` for `{name}`: write `{enum_name}.{ident}`"
                        ),
                    );
                }
                Some((_, last)) => {
                    if !e.values.iter().any(|v| v.name.name == last) {
                        self.mismatch(
                            site,
                            value,
                            format!("`{ident}` is not a value of enum `{enum_name}`"),
                        );
                    }
                }
            },
            ConstValueKind::Int(v) => {
                if !e.values.iter().any(|ev| i64::from(ev.value) == *v) {
                    self.mismatch(site, value, format!("enum `{enum_name}` has no value {v}"));
                }
            }
            kind => {
                let found = describe_value(kind);
                self.mismatch(
                    site,
                    value,
                    format!("expected enum `{enum_name}`, found {found}"),
                );
            }
        }
    }

    fn struct_value(
        &mut self,
        site: Site<'_>,
        struct_file: FileId,
        s: &super::ast::Struct,
        value: &ConstValue,
        name: &str,
        visiting: &mut Vec<DefRef>,
    ) {
        let kind = match s.kind {
            StructKind::Struct => "struct",
            StructKind::Union => "union",
            StructKind::Exception => "exception",
        };
        let expected = format!("{kind} `{}`", s.name.name);
        let ConstValueKind::Map(entries) = &value.kind else {
            let found = describe_value(&value.kind);
            self.mismatch(site, value, format!("expected {expected} (written as a map of field names) for `{name}`, found {found}"));
            return;
        };
        for (key, val) in entries {
            let ConstValueKind::String(field_name) = &key.kind else {
                self.mismatch(
                    site,
                    key,
                    format!("keys of a {expected} constant must be field names in quotes"),
                );
                continue;
            };
            let Some(field) = s.fields.iter().find(|f| &f.name.name == field_name) else {
                self.mismatch(site, key, format!("{expected} has no field `{field_name}`"));
                continue;
            };
            let field_site = Site {
                type_file: struct_file,
                ..site
            };
            self.value(field_site, &field.ty, val, name, visiting);
        }
    }

    fn identifier(
        &mut self,
        site: Site<'_>,
        target: &Type,
        value: &ConstValue,
        ident: &str,
        name: &str,
        visiting: &mut Vec<DefRef>,
    ) {
        let idl = self.idl;
        match idl.resolve_const(site.value_file, ident) {
            None if self.excused(site.value_file, ident) => {}
            None => {
                let message = format!("unknown constant `{ident}`");
                match site.via {
                    Some((span, _)) => self.error(span, message),
                    None => self.error(value.span, message),
                };
            }
            Some(ConstRef::EnumValue { def, value: index }) => {
                let Definition::Enum(e) = idl.definition(def) else {
                    return;
                };
                let as_int = ConstValue {
                    kind: ConstValueKind::Int(i64::from(e.values[index].value)),
                    span: value.span,
                };
                let via = site.via.or(Some((value.span, ident)));
                self.value(Site { via, ..site }, target, &as_int, name, visiting);
            }
            Some(ConstRef::Const(def)) => {
                if visiting.contains(&def) {
                    self.error(value.span, format!("constant `{ident}` refers to itself"));
                    return;
                }
                let Definition::Const(c) = idl.definition(def) else {
                    return;
                };
                visiting.push(def);
                let referenced = Site {
                    type_file: site.type_file,
                    value_file: def.file,
                    via: site.via.or(Some((value.span, ident))),
                };
                self.value(referenced, target, &c.value, name, visiting);
                visiting.pop();
            }
        }
    }
}

fn describe_type(written: &str, ty: &Type) -> String {
    match &ty.kind {
        TypeKind::Base(b) => b.as_str().to_owned(),
        TypeKind::Named(r) => format!("`{}`", r.name),
        TypeKind::List { .. } => format!("a list (`{written}`)"),
        TypeKind::Set { .. } => format!("a set (`{written}`)"),
        TypeKind::Map { .. } => format!("a map (`{written}`)"),
    }
}

fn describe_value(kind: &ConstValueKind) -> &'static str {
    match kind {
        ConstValueKind::Int(_) => "an integer",
        ConstValueKind::Double(_) => "a double",
        ConstValueKind::String(_) => "a string",
        ConstValueKind::Identifier(_) => "an identifier",
        ConstValueKind::List(_) => "a list",
        ConstValueKind::Map(_) => "a map",
    }
}

/// `01234567-89ab-cdef-0123-456789abcdef`, optionally wrapped in `{}` (Apache's rule).
pub(crate) fn is_uuid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .filter(|inner| inner.len() == 36)
        .unwrap_or(s);
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}
