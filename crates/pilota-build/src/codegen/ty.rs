//! Model types resolved to the Rust types the generated code uses.
//!
//! | IDL | Rust |
//! |---|---|
//! | `bool`, `i8`..`i64`, `double` | `bool`, `i8`..`i64`, `f64` |
//! | `double` inside a set element or map key | `::pilota::OrderedFloat` |
//! | `string` | `::pilota::FastStr` (`std::string::String` with `pilota.rust_type = "string"`) |
//! | `binary` | `::pilota::Bytes` |
//! | `uuid` | `[u8; 16]` |
//! | `list<T>` | `Vec<T>` |
//! | `set<T>` | `HashSet<T>` (`BTreeSet<T>` with `pilota.rust_type = "btree"`) |
//! | `map<K, V>` | `HashMap<K, V>` (`BTreeMap<K, V>` with `pilota.rust_type = "btree"`) |
//! | enum, struct, union, exception | the generated type |
//! | typedef | the aliased type, expanded |
//!
//! A set whose elements (or a map whose keys) cannot be hashed and compared — a struct
//! holding a `double`, a map, or unknown fields — becomes a `Vec<T>` (a `Vec<(K, V)>`
//! for a map), in wire order. A BTree container whose elements are not `Ord` falls back
//! the same way, to a hash container when it can.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::Error;
use crate::model::{Attributes, ItemKind, Model, ModelPath, Ty};

/// Field annotations that change a field's Rust type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TyOpts {
    /// `pilota.rust_type = "btree"`: BTree sets and maps.
    pub(crate) btree: bool,
    /// `pilota.rust_type = "string"`: `std::string::String` for `string`.
    pub(crate) std_string: bool,
}

impl TyOpts {
    /// Reads the options from annotations.
    pub(crate) fn from_attrs(attrs: &Attributes) -> Self {
        let rust_type = attrs.get("pilota.rust_type");
        TyOpts {
            btree: rust_type == Some("btree"),
            std_string: rust_type == Some("string"),
        }
    }
}

/// Which container a set or map becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coll {
    /// `HashSet` / `HashMap`.
    Hash,
    /// `BTreeSet` / `BTreeMap`.
    BTree,
    /// `Vec<T>` / `Vec<(K, V)>`: the elements cannot be hashed or ordered.
    Vec,
}

/// What the derives of a type can include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caps {
    pub(crate) eq: bool,
    pub(crate) hash: bool,
    pub(crate) ord: bool,
}

impl Caps {
    pub(crate) const ALL: Caps = Caps {
        eq: true,
        hash: true,
        ord: true,
    };

    pub(crate) fn and(self, other: Caps) -> Caps {
        Caps {
            eq: self.eq && other.eq,
            hash: self.hash && other.hash,
            ord: self.ord && other.ord,
        }
    }
}

/// A resolved Rust type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RTy {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F64,
    OrderedF64,
    FastStr,
    String,
    Bytes,
    Uuid,
    List(Box<RTy>),
    Set(Coll, Box<RTy>),
    Map(Coll, Box<RTy>, Box<RTy>),
    Enum(ModelPath),
    Message(ModelPath),
}

/// Resolves model types, given the capabilities known for messages.
pub(crate) struct Resolver<'a> {
    pub(crate) model: &'a Model,
    pub(crate) caps: &'a HashMap<ModelPath, Caps>,
}

/// How deep aliases may nest before the resolver gives up (a cycle).
const MAX_ALIAS_DEPTH: usize = 64;

impl Resolver<'_> {
    /// Resolves `ty` with the field options `opts`.
    pub(crate) fn resolve(&self, ty: &Ty, opts: TyOpts) -> Result<RTy, Error> {
        self.resolve_in(ty, opts, false, 0)
    }

    fn resolve_in(&self, ty: &Ty, opts: TyOpts, in_key: bool, depth: usize) -> Result<RTy, Error> {
        if depth > MAX_ALIAS_DEPTH {
            return Err(Error::new("type nests too deeply (an alias cycle?)"));
        }
        let next = |ty: &Ty, key: bool| self.resolve_in(ty, opts, key, depth + 1);
        Ok(match ty {
            Ty::Bool => RTy::Bool,
            Ty::I8 => RTy::I8,
            Ty::I16 => RTy::I16,
            Ty::I32 => RTy::I32,
            Ty::I64 => RTy::I64,
            Ty::F64 if in_key => RTy::OrderedF64,
            Ty::F64 => RTy::F64,
            Ty::F32 => return Err(Error::new("`f32` has no Thrift wire type")),
            Ty::String if opts.std_string => RTy::String,
            Ty::String => RTy::FastStr,
            Ty::Binary => RTy::Bytes,
            Ty::Uuid => RTy::Uuid,
            Ty::List(elem) => RTy::List(Box::new(next(elem, in_key)?)),
            Ty::Set(elem) => {
                let elem = next(elem, true)?;
                RTy::Set(self.coll(opts, self.caps(&elem)), Box::new(elem))
            }
            Ty::Map(key, value) => {
                let key = next(key, true)?;
                let value = next(value, in_key)?;
                RTy::Map(
                    self.coll(opts, self.caps(&key)),
                    Box::new(key),
                    Box::new(value),
                )
            }
            Ty::Path(path) => match self.model.item(path).map(|i| &i.kind) {
                Some(ItemKind::Alias(target)) => next(target, in_key)?,
                Some(ItemKind::Enum(_)) => RTy::Enum(path.clone()),
                Some(ItemKind::Message(_) | ItemKind::Exception(_) | ItemKind::Union(_)) => {
                    RTy::Message(path.clone())
                }
                Some(_) => return Err(Error::new(format!("`{path}` is not a type"))),
                None => return Err(Error::new(format!("unknown type `{path}`"))),
            },
        })
    }

    fn coll(&self, opts: TyOpts, elem: Caps) -> Coll {
        if opts.btree && elem.ord {
            Coll::BTree
        } else if elem.eq && elem.hash {
            Coll::Hash
        } else {
            Coll::Vec
        }
    }

    /// What a resolved type can derive.
    pub(crate) fn caps(&self, ty: &RTy) -> Caps {
        const NONE: Caps = Caps {
            eq: false,
            hash: false,
            ord: false,
        };
        match ty {
            RTy::F64 => NONE,
            RTy::List(elem) => self.caps(elem),
            RTy::Set(coll, elem) => {
                let e = self.caps(elem);
                match coll {
                    Coll::Hash => Caps { eq: e.eq, ..NONE },
                    Coll::BTree | Coll::Vec => e,
                }
            }
            RTy::Map(coll, key, value) => {
                let kv = self.caps(key).and(self.caps(value));
                match coll {
                    Coll::Hash => Caps { eq: kv.eq, ..NONE },
                    Coll::BTree | Coll::Vec => kv,
                }
            }
            RTy::Message(path) => self.caps.get(path).copied().unwrap_or(NONE),
            _ => Caps::ALL,
        }
    }
}

impl RTy {
    /// Scalars are written even when not set: `bool`, integers, `double` and enums.
    pub(crate) fn is_scalar(&self) -> bool {
        matches!(
            self,
            RTy::Bool
                | RTy::I8
                | RTy::I16
                | RTy::I32
                | RTy::I64
                | RTy::F64
                | RTy::OrderedF64
                | RTy::Enum(_)
        )
    }

    /// Whether a value is `Copy` (passed by value to the protocol).
    pub(crate) fn is_copy(&self) -> bool {
        self.is_scalar() || matches!(self, RTy::Uuid)
    }

    /// The `TType` variant naming this type on the wire.
    pub(crate) fn ttype(&self) -> TokenStream {
        let variant = match self {
            RTy::Bool => quote!(Bool),
            RTy::I8 => quote!(I8),
            RTy::I16 => quote!(I16),
            RTy::I32 | RTy::Enum(_) => quote!(I32),
            RTy::I64 => quote!(I64),
            RTy::F64 | RTy::OrderedF64 => quote!(Double),
            RTy::FastStr | RTy::String | RTy::Bytes => quote!(Binary),
            RTy::Uuid => quote!(Uuid),
            RTy::List(_) => quote!(List),
            RTy::Set(..) => quote!(Set),
            RTy::Map(..) => quote!(Map),
            RTy::Message(_) => quote!(Struct),
        };
        quote!(::pilota::thrift::TType::#variant)
    }
}
