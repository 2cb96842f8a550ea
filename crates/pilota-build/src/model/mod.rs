//! The IDL-independent model that every front end lowers into and the backend reads.
//!
//! A [`Model`] is a set of [`File`]s. Each file becomes one Rust module, named by its
//! module path (for Thrift: the `rs` namespace, see [`crate::lower`]). A file holds
//! [`Item`]s: messages (structs), exceptions, unions, enums, aliases (typedefs), constants
//! and services. Types refer to named items through a [`ModelPath`], which names the
//! module and the item, so references across files need no file ids.
//!
//! Names in the model are the IDL's names, unchanged: converting them to Rust names
//! (case, keywords, collisions) is the backend's job.

mod item;
mod ty;
mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use item::{Enum, EnumVariant, Field, Item, ItemKind, Message, Method, Requiredness, Service};
pub use ty::Ty;
pub use value::Value;

/// The name of an item: the module it lives in plus its IDL name.
///
/// The module is a list of segments (`["shared", "types"]` for a Thrift file with
/// `namespace rs shared.types`). Two paths are equal when both parts are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelPath {
    /// The module segments, outermost first. Never empty.
    pub module: Vec<String>,
    /// The item's name in the IDL.
    pub name: String,
}

impl ModelPath {
    /// Builds a path from a module and an item name.
    pub fn new(module: Vec<String>, name: impl Into<String>) -> Self {
        ModelPath {
            module,
            name: name.into(),
        }
    }
}

impl fmt::Display for ModelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in &self.module {
            write!(f, "{segment}.")?;
        }
        f.write_str(&self.name)
    }
}

/// Where something was declared in an IDL source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loc {
    /// The source file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
    /// The byte range in the file (for diagnostics that show the source).
    pub range: std::ops::Range<u32>,
}

/// Annotations (`key = "value"` pairs) in declaration order.
///
/// A key may repeat; [`Attributes::get`] returns the last value, as Apache Thrift does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(pub Vec<(String, String)>);

impl Attributes {
    /// The value of the last annotation named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the first key of `keys` (in that order of preference) that is present.
    pub fn get_any(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.get(k))
    }
}

/// One IDL source file, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The module this file's items go to (segments, outermost first; never empty).
    pub module: Vec<String>,
    /// The source file, when the model came from one.
    pub source: Option<PathBuf>,
    /// The file's items in declaration order.
    pub items: Vec<Item>,
}

/// A complete model: the root file and everything it includes, with an index by path.
#[derive(Debug, Clone)]
pub struct Model {
    files: Vec<File>,
    index: BTreeMap<ModelPath, (usize, usize)>,
}

impl Model {
    /// Builds a model from files. When two items share a path, the later one shadows the
    /// earlier one in [`Model::item`] (front ends report such duplicates before this).
    pub fn new(files: Vec<File>) -> Self {
        let mut index = BTreeMap::new();
        for (fi, file) in files.iter().enumerate() {
            for (ii, item) in file.items.iter().enumerate() {
                index.insert(ModelPath::new(file.module.clone(), &item.name), (fi, ii));
            }
        }
        Model { files, index }
    }

    /// The files, in the order given to [`Model::new`].
    pub fn files(&self) -> &[File] {
        &self.files
    }

    /// The item a path names.
    pub fn item(&self, path: &ModelPath) -> Option<&Item> {
        self.index
            .get(path)
            .map(|&(fi, ii)| &self.files[fi].items[ii])
    }

    /// Follows aliases until `ty` is not a path to an alias (stops on a cycle or a
    /// dangling path and returns the last type reached).
    pub fn resolve_alias<'a>(&'a self, mut ty: &'a Ty) -> &'a Ty {
        for _ in 0..=self.index.len() {
            match ty {
                Ty::Path(path) => match self.item(path).map(|i| &i.kind) {
                    Some(ItemKind::Alias(target)) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}
