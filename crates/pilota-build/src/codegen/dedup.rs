//! Deduplication: items that several files define identically are generated once; the
//! other copies become `pub use` re-exports of the first, so all of them name one type.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use super::Error;
use super::analysis::{KeepUnknown, all_items};
use crate::model::{Field, Item, ItemKind, Loc, Model, ModelPath, Ty, Value};

/// Maps every copy of a deduplicated item to the copy that is generated (the first in
/// model order), after checking that all copies are structurally identical: same kind,
/// fields (ids, names, types, requiredness, defaults, annotations), enum values,
/// aliased types or constant values, with references to other deduplicated items
/// counted as equal. Docs and positions may differ.
///
/// A name that no item has is an error; a name with one definition has nothing to
/// merge. Services cannot be merged (their generated glue is more than one type).
pub(crate) fn plan(
    model: &Model,
    names: &[String],
    keep: &KeepUnknown,
) -> (HashMap<ModelPath, ModelPath>, Vec<Error>) {
    let mut copies: HashMap<&str, Vec<(ModelPath, &Item)>> = HashMap::new();
    for (path, item) in all_items(model) {
        if let Some(name) = names.iter().find(|n| **n == item.name) {
            copies.entry(name).or_default().push((path, item));
        }
    }
    let mut canonical = HashMap::new();
    let mut errors = Vec::new();
    for name in names.iter().collect::<BTreeSet<_>>() {
        match copies.get(name.as_str()).map(Vec::as_slice) {
            None => errors.push(Error::new(format!(
                "cannot deduplicate `{name}`: no IDL file defines it"
            ))),
            Some([(first, item), rest @ ..]) => {
                if let ItemKind::Service(_) = item.kind {
                    errors.push(
                        Error::new(format!(
                            "cannot deduplicate `{name}`: it is a service (only types and constants are)"
                        ))
                        .at(item.loc.clone()),
                    );
                    continue;
                }
                for (path, _) in rest {
                    canonical.insert(path.clone(), first.clone());
                }
            }
            Some([]) => {}
        }
    }
    for (copy, first) in &canonical {
        let (Some(a), Some(b)) = (model.item(first), model.item(copy)) else {
            continue;
        };
        let to_canonical = |path: &ModelPath| canonical.get(path).unwrap_or(path).clone();
        let same_keep = keep.get(&first.module) == keep.get(&copy.module);
        if !same_keep || normalize(a, &to_canonical) != normalize(b, &to_canonical) {
            let what = if !same_keep {
                "one keeps unknown fields and the other does not".to_string()
            } else if let Some(names) = differing_references(a, b, &to_canonical) {
                format!(
                    "they refer to different items named {names}: deduplicate those too, or rename"
                )
            } else {
                "their definitions differ".to_string()
            };
            errors.push(
                Error::new(format!(
                    "cannot deduplicate `{}`: {what}: `{first}` in {} and `{copy}` in {}",
                    a.name,
                    place(a.loc.as_ref()),
                    place(b.loc.as_ref()),
                ))
                .at(b.loc.clone()),
            );
        }
    }
    // Report in a stable order.
    errors.sort_by_key(Error::to_string);
    if errors.is_empty() {
        (canonical, errors)
    } else {
        (HashMap::new(), errors)
    }
}

fn place(loc: Option<&Loc>) -> String {
    loc.map_or_else(
        || "a generated model".to_string(),
        |l| format!("{}:{}:{}", l.file.display(), l.line, l.col),
    )
}

/// When `a` and `b` differ only in which items their references name (same names in
/// other modules), those names, quoted (`` `Inner`, `Kind` ``).
fn differing_references(
    a: &Item,
    b: &Item,
    to_canonical: &impl Fn(&ModelPath) -> ModelPath,
) -> Option<String> {
    let by_name = |path: &ModelPath| ModelPath::new(Vec::new(), path.name.clone());
    if normalize(a, &by_name) != normalize(b, &by_name) {
        return None;
    }
    let references = |item: &Item| {
        let seen = RefCell::new(Vec::new());
        normalize(item, &|path: &ModelPath| {
            let path = to_canonical(path);
            seen.borrow_mut().push(path.clone());
            path
        });
        seen.into_inner()
    };
    let names: BTreeSet<String> = references(a)
        .into_iter()
        .zip(references(b))
        .filter(|(x, y)| x != y)
        .map(|(_, y)| format!("`{}`", y.name))
        .collect();
    (!names.is_empty()).then(|| names.into_iter().collect::<Vec<_>>().join(", "))
}

/// The item with docs and positions dropped and paths mapped by `map`.
fn normalize(item: &Item, map: &impl Fn(&ModelPath) -> ModelPath) -> Item {
    let fields = |fields: &[Field]| -> Vec<Field> {
        fields
            .iter()
            .map(|f| Field {
                ty: ty(&f.ty, map),
                default: f.default.as_ref().map(|v| value(v, map)),
                docs: None,
                loc: None,
                ..f.clone()
            })
            .collect()
    };
    let kind = match &item.kind {
        ItemKind::Message(m) => ItemKind::Message(crate::model::Message {
            fields: fields(&m.fields),
        }),
        ItemKind::Exception(m) => ItemKind::Exception(crate::model::Message {
            fields: fields(&m.fields),
        }),
        ItemKind::Union(m) => ItemKind::Union(crate::model::Message {
            fields: fields(&m.fields),
        }),
        ItemKind::Enum(e) => {
            let mut e = e.clone();
            for v in &mut e.variants {
                v.docs = None;
                v.loc = None;
            }
            ItemKind::Enum(e)
        }
        ItemKind::Alias(t) => ItemKind::Alias(ty(t, map)),
        ItemKind::Const { ty: t, value: v } => ItemKind::Const {
            ty: ty(t, map),
            value: value(v, map),
        },
        other => other.clone(),
    };
    Item {
        name: item.name.clone(),
        docs: None,
        attrs: item.attrs.clone(),
        loc: None,
        kind,
    }
}

fn ty(t: &Ty, map: &impl Fn(&ModelPath) -> ModelPath) -> Ty {
    match t {
        Ty::List(e) => Ty::List(Box::new(ty(e, map))),
        Ty::Set(e) => Ty::Set(Box::new(ty(e, map))),
        Ty::Map(k, v) => Ty::Map(Box::new(ty(k, map)), Box::new(ty(v, map))),
        Ty::Path(p) => Ty::Path(map(p)),
        other => other.clone(),
    }
}

fn value(v: &Value, map: &impl Fn(&ModelPath) -> ModelPath) -> Value {
    match v {
        Value::List(items) => Value::List(items.iter().map(|i| value(i, map)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (value(k, map), value(v, map)))
                .collect(),
        ),
        Value::EnumVariant {
            path,
            variant,
            value: n,
        } => Value::EnumVariant {
            path: map(path),
            variant: variant.clone(),
            value: *n,
        },
        Value::Message { path, fields } => Value::Message {
            path: map(path),
            fields: fields
                .iter()
                .map(|(n, v)| (n.clone(), value(v, map)))
                .collect(),
        },
        other => other.clone(),
    }
}
