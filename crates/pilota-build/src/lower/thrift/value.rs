//! Constant evaluation: const definitions and default values against their types.

use super::Lowering;
use crate::codegen::parse_uuid;
use crate::model::Value;
use crate::thrift::ast::{self, BaseType, ConstValue, ConstValueKind, Definition, TypeKind};
use crate::thrift::{ConstRef, FileId};

/// How many constant references may be followed (a longer chain is a cycle).
const MAX_DEPTH: usize = 64;

fn describe(ty: &ast::Type) -> String {
    match &ty.kind {
        TypeKind::Base(b) => b.as_str().to_string(),
        TypeKind::Named(r) => r.name.clone(),
        TypeKind::List { .. } => "list".to_string(),
        TypeKind::Set { .. } => "set".to_string(),
        TypeKind::Map { .. } => "map".to_string(),
    }
}

impl Lowering<'_> {
    /// Evaluates `value` (written in file `vfile`) as a value of `ty` (written in
    /// `tfile`). Errors are recorded; `None` means there was one.
    pub(crate) fn value(
        &mut self,
        vfile: FileId,
        value: &ConstValue,
        tfile: FileId,
        ty: &ast::Type,
    ) -> Option<Value> {
        self.eval(vfile, value, tfile, ty, 0)
    }

    fn eval(
        &mut self,
        vfile: FileId,
        value: &ConstValue,
        tfile: FileId,
        ty: &ast::Type,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            self.error(value.span, "constant refers to itself or nests too deeply");
            return None;
        }
        let idl = self.idl;
        let Some((tfile, ty)) = idl.true_type(tfile, ty) else {
            self.error(ty.span, format!("cannot resolve type `{}`", describe(ty)));
            return None;
        };
        let mismatch = |this: &mut Self| {
            this.error(
                value.span,
                format!("constant does not fit type `{}`", describe(ty)),
            );
            None
        };
        if let ConstValueKind::Identifier(name) = &value.kind {
            // Apache Thrift looks the last segment up among the values of the expected
            // enum, whatever the prefix (`FoobarEnum.Val_1` for `other.FoobarEnum`).
            if let Some(found) = self.expected_enum_value(tfile, ty, name) {
                return Some(found);
            }
            return match idl.resolve_const(vfile, name) {
                Some(ConstRef::Const(def)) => {
                    let Definition::Const(c) = idl.definition(def) else {
                        return mismatch(self);
                    };
                    self.eval(def.file, &c.value, tfile, ty, depth + 1)
                }
                Some(ConstRef::EnumValue { def, value: index }) => {
                    let Definition::Enum(e) = idl.definition(def) else {
                        return mismatch(self);
                    };
                    let v = &e.values[index];
                    match &ty.kind {
                        TypeKind::Named(r) if idl.resolve(tfile, r) == Some(def) => {
                            Some(Value::EnumVariant {
                                path: self.def_path(def.file, def.index),
                                variant: v.name.name.clone(),
                                value: v.value,
                            })
                        }
                        TypeKind::Base(
                            BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64,
                        ) => self.int(value, i64::from(v.value), ty),
                        _ => mismatch(self),
                    }
                }
                None => {
                    self.error(value.span, format!("unknown constant `{name}`"));
                    None
                }
            };
        }
        match (&ty.kind, &value.kind) {
            (TypeKind::Base(BaseType::Bool), ConstValueKind::Int(i)) => Some(Value::Bool(*i != 0)),
            (
                TypeKind::Base(BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64),
                ConstValueKind::Int(i),
            ) => self.int(value, *i, ty),
            (TypeKind::Base(BaseType::Double), ConstValueKind::Double(d)) => {
                Some(Value::Double(*d))
            }
            #[allow(clippy::cast_precision_loss)]
            (TypeKind::Base(BaseType::Double), ConstValueKind::Int(i)) => {
                Some(Value::Double(*i as f64))
            }
            (TypeKind::Base(BaseType::Uuid), ConstValueKind::String(s)) => {
                if parse_uuid(s).is_none() {
                    self.error(value.span, format!("`{s}` is not a UUID"));
                    return None;
                }
                Some(Value::String(s.clone()))
            }
            (TypeKind::Base(BaseType::String | BaseType::Binary), ConstValueKind::String(s)) => {
                Some(Value::String(s.clone()))
            }
            (
                TypeKind::List { elem, .. } | TypeKind::Set { elem, .. },
                ConstValueKind::List(items),
            ) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(vfile, item, tfile, elem, depth + 1)?);
                }
                Some(Value::List(out))
            }
            // An empty `{}` for a list or `[]` for a map: accepted as empty.
            (TypeKind::List { .. } | TypeKind::Set { .. }, ConstValueKind::Map(m))
                if m.is_empty() =>
            {
                Some(Value::List(Vec::new()))
            }
            (TypeKind::Map { .. }, ConstValueKind::List(l)) if l.is_empty() => {
                Some(Value::Map(Vec::new()))
            }
            (TypeKind::Map { key, value: v, .. }, ConstValueKind::Map(entries)) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, val) in entries {
                    let k = self.eval(vfile, k, tfile, key, depth + 1)?;
                    let val = self.eval(vfile, val, tfile, v, depth + 1)?;
                    out.push((k, val));
                }
                Some(Value::Map(out))
            }
            (TypeKind::Named(r), _) => {
                let Some(def) = idl.resolve(tfile, r) else {
                    self.error(r.span, format!("unknown type `{}`", r.name));
                    return None;
                };
                match (idl.definition(def), &value.kind) {
                    (Definition::Enum(e), ConstValueKind::Int(i)) => {
                        let Ok(n) = i32::try_from(*i) else {
                            self.error(
                                value.span,
                                format!("{i} is out of range for enum `{}`", r.name),
                            );
                            return None;
                        };
                        Some(match e.values.iter().find(|v| v.value == n) {
                            Some(v) => Value::EnumVariant {
                                path: self.def_path(def.file, def.index),
                                variant: v.name.name.clone(),
                                value: n,
                            },
                            None => Value::Int(*i),
                        })
                    }
                    (Definition::Senum(_), ConstValueKind::String(s)) => {
                        Some(Value::String(s.clone()))
                    }
                    (Definition::Struct(s), ConstValueKind::Map(entries)) => {
                        let mut fields = Vec::with_capacity(entries.len());
                        for (k, val) in entries {
                            let ConstValueKind::String(name) = &k.kind else {
                                self.error(
                                    k.span,
                                    "a struct constant's keys must be field names (strings)",
                                );
                                return None;
                            };
                            let Some(field) = s.fields.iter().find(|f| &f.name.name == name) else {
                                self.error(k.span, format!("`{}` has no field `{name}`", r.name));
                                return None;
                            };
                            let val = self.eval(vfile, val, def.file, &field.ty, depth + 1)?;
                            fields.push((name.clone(), val));
                        }
                        Some(Value::Message {
                            path: self.def_path(def.file, def.index),
                            fields,
                        })
                    }
                    _ => mismatch(self),
                }
            }
            _ => mismatch(self),
        }
    }

    /// `name`'s last segment as a value of `ty`, when `ty` is an enum that has it.
    fn expected_enum_value(&self, tfile: FileId, ty: &ast::Type, name: &str) -> Option<Value> {
        let TypeKind::Named(r) = &ty.kind else {
            return None;
        };
        let def = self.idl.resolve(tfile, r)?;
        let Definition::Enum(e) = self.idl.definition(def) else {
            return None;
        };
        let last = name.rsplit('.').next().unwrap_or(name);
        let v = e.values.iter().find(|v| v.name.name == last)?;
        Some(Value::EnumVariant {
            path: self.def_path(def.file, def.index),
            variant: v.name.name.clone(),
            value: v.value,
        })
    }

    /// An integer checked against the range of its type.
    fn int(&mut self, value: &ConstValue, i: i64, ty: &ast::Type) -> Option<Value> {
        let (min, max) = match &ty.kind {
            TypeKind::Base(BaseType::I8) => (i64::from(i8::MIN), i64::from(i8::MAX)),
            TypeKind::Base(BaseType::I16) => (i64::from(i16::MIN), i64::from(i16::MAX)),
            TypeKind::Base(BaseType::I32) => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        if (min..=max).contains(&i) {
            Some(Value::Int(i))
        } else {
            self.error(
                value.span,
                format!("{i} is out of range for `{}`", describe(ty)),
            );
            None
        }
    }
}
