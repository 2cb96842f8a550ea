//! The Rust backend: model → Rust source, with `quote` and `prettyplease`.
//!
//! [`Backend::generate`] turns a [`Model`] into one Rust source file. Every model
//! module becomes a `pub mod` (nested for dotted namespaces); references between
//! modules are relative (`super::shared::Point`), so the output can be `include!`d
//! anywhere in a crate. The output is deterministic: items keep the IDL's order and
//! modules are sorted by name.
//!
//! # What is generated
//!
//! - **Structs** (messages): a `pub struct` with one field per IDL field, plus
//!   `_unknown_fields: ::pilota::thrift::UnknownFields` (on by default, see
//!   [`Backend::unknown_fields`]). Field types follow [requiredness](#requiredness).
//!   `Debug`, `Clone`, `PartialEq` and `Default` always; `Eq` and `Hash` when every
//!   field allows it. A [`Message`](#message-impls) impl.
//! - **Exceptions**: structs that also implement `Display` and `std::error::Error`.
//! - **Enums**: a newtype `pub struct Color(pub i32)` with an associated constant per
//!   value (`Color::RED`), `name()`, `from_name()`, `Display` and `From` conversions.
//!   Any `i32` is a valid `Color`, so a value added to the IDL later decodes and
//!   re-encodes unchanged.
//! - **Unions**: a Rust `enum` with one variant per field. A union whose field this
//!   code does not know decodes into the `_UnknownFields(UnknownFields)` variant (when
//!   unknown fields are kept) and is written back unchanged; an empty union on the
//!   wire, two fields set, or an unknown field with unknown fields off, is a
//!   `DecodeError`. Unknown fields next to a known one are skipped. A union without
//!   fields always has the `_UnknownFields` variant (it is all it can hold) and decodes
//!   anything, an empty struct included.
//! - **Typedefs**: `pub type`. Field types expand aliases, so a field's type never
//!   depends on an alias.
//! - **Consts**: `pub const` for scalars (`&'static str` for strings, `&'static [u8]`
//!   for binary, `[u8; 16]` for uuid); a `pub static ... LazyLock<T>` for containers and
//!   structs.
//! - **Services**: for each method an arguments struct `{Service}{Method}Args` and,
//!   unless it is `oneway`, a result enum `{Service}{Method}Result` with `Ok(T)` (field
//!   id 0; `Ok(())` for `void`) and one variant per declared exception. A
//!   [`ServiceBackend`] adds the rest (traits, clients, servers).
//!
//! # Deduplication and split output
//!
//! [`Backend::dedup`] names items that several files define identically (say two IDLs
//! that each declare the same `struct Base`): the first is generated and the others
//! become `pub use super::a::Base;`, so values pass between the modules. Copies that
//! differ are an error naming both. [`Backend::generate_split`] writes each module's
//! items to a file of its own, which the main file `include!`s by a relative path.
//!
//! # Requiredness
//!
//! - `required`: `T`; decoding fails with `DecodeError::missing_field` without it.
//! - `optional`: `Option<T>`; written only when `Some`. An IDL default makes
//!   `Default::default()` give `Some(default)`; an absent field still decodes as `None`.
//! - default requiredness (neither keyword): `T` when the field has an IDL default or is
//!   a scalar (bool, integer, double, enum), else `Option<T>`. A `T` field is always
//!   written and decodes to its default when absent; an `Option<T>` field is written
//!   when `Some`. This is what Apache Thrift's Java and C++ libraries put on the wire
//!   (primitives always, unset objects never), so values round-trip with them without
//!   turning "absent" into "empty".
//!
//! # Message impls
//!
//! Structs, exceptions, unions and the service wrappers implement
//! `::pilota::thrift::Message` (encode, decode, exact size). A field whose wire type
//! does not match the IDL is skipped, as Apache Thrift does; a container whose element
//! types do not match is a `DecodeError`.
//!
//! # Names
//!
//! See [`names`] for case conversion, keywords and collisions. `pilota.name` or
//! `rust.name` on an item, field or enum value renames it. Field annotations
//! `pilota.rust_type = "string"` (a `std::string::String` instead of `FastStr`),
//! `pilota.rust_type = "btree"` (BTree sets and maps) and
//! `pilota.rust_wrapper_arc = "true"` (an `Arc<T>` field) change types. No Apache
//! language annotation (`cpp.type`, `java.*`, ...) has a Rust meaning; they are kept in
//! the model for plugins and otherwise ignored.
//!
//! Generated modules carry `#[allow(missing_docs)]`: IDL docs become doc comments, but
//! an undocumented IDL item has nothing to say. They also allow the Clippy lints that
//! the IDL, not the generator, decides: `type_complexity` (nested containers),
//! `large_enum_variant` (unions), `approx_constant` (a constant `3.14159`) and
//! `module_inception` (a namespace `a.a`).
//!
//! A chain of structs nested by value deeper than about 60 levels needs a higher
//! `#![recursion_limit]` in the including crate (the compiler checks `Send` through it).

mod analysis;
mod codec;
mod dedup;
mod items;
mod message;
pub mod names;
mod output;
mod plugin;
mod service;
mod ty;
mod union;
mod value;

use std::collections::HashMap;
use std::fmt;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub use output::{ModuleFile, Split};
pub use plugin::{Plugin, SerdePlugin};
pub use service::{MethodTypes, ServiceBackend};
pub(crate) use value::parse_uuid;

use crate::model::{Loc, Model, ModelPath, Ty};
use analysis::{Analysis, KeepUnknown};
use output::{ModuleTree, SplitInto, format_file};
use ty::{Coll, RTy, Resolver, TyOpts};

/// An error found while generating code, with the IDL position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    loc: Option<Loc>,
}

impl Error {
    /// An error without a position.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            loc: None,
        }
    }

    /// Sets the position unless one is already set.
    #[must_use]
    pub fn at(mut self, loc: Option<Loc>) -> Self {
        if self.loc.is_none() {
            self.loc = loc;
        }
        self
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where in the IDL the error is.
    pub fn loc(&self) -> Option<&Loc> {
        self.loc.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.loc {
            write!(f, "{}:{}:{}: ", loc.file.display(), loc.line, loc.col)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The Rust code generator. Configure it, then call [`Backend::generate`].
///
/// ```
/// use pilota_build::codegen::Backend;
/// use pilota_build::model::{File, Item, ItemKind, Model, Ty};
///
/// let model = Model::new(vec![File {
///     module: vec!["demo".into()],
///     source: None,
///     items: vec![Item {
///         name: "UserId".into(),
///         docs: None,
///         attrs: Default::default(),
///         loc: None,
///         kind: ItemKind::Alias(Ty::I64),
///     }],
/// }]);
/// let code = Backend::new().generate(&model).unwrap();
/// assert!(code.contains("pub type UserId = i64;"));
/// ```
pub struct Backend {
    unknown_fields: bool,
    unknown_fields_in: HashMap<Vec<String>, bool>,
    dedup: Vec<String>,
    plugins: Vec<Box<dyn Plugin>>,
    service_backend: Option<Box<dyn ServiceBackend>>,
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backend")
            .field("unknown_fields", &self.unknown_fields)
            .field("unknown_fields_in", &self.unknown_fields_in)
            .field("dedup", &self.dedup)
            .field("plugins", &self.plugins.len())
            .field("service_backend", &self.service_backend.is_some())
            .finish()
    }
}

impl Default for Backend {
    fn default() -> Self {
        Self::new()
    }
}

impl Backend {
    /// A backend that keeps unknown fields, with no plugin and no service backend.
    pub fn new() -> Self {
        Backend {
            unknown_fields: true,
            unknown_fields_in: HashMap::new(),
            dedup: Vec::new(),
            plugins: Vec::new(),
            service_backend: None,
        }
    }

    /// Whether structs keep the fields they do not know (default `true`). Without, the
    /// `_unknown_fields` field and the unions' `_UnknownFields` variant are not
    /// generated and unknown fields are skipped.
    #[must_use]
    pub fn unknown_fields(mut self, keep: bool) -> Self {
        self.unknown_fields = keep;
        self
    }

    /// Overrides [`Backend::unknown_fields`] for the items of one model module (the
    /// module path of a [`File`](crate::model::File)).
    #[must_use]
    pub fn unknown_fields_in(mut self, module: Vec<String>, keep: bool) -> Self {
        self.unknown_fields_in.insert(module, keep);
        self
    }

    /// Generates the items with these IDL names once, when several files define them:
    /// the first definition (in model order) is generated and every other becomes a
    /// `pub use` of it, so the copies are one Rust type. Every copy must be structurally
    /// identical to the first (same kind, fields with the same ids, names, types,
    /// requiredness, defaults and annotations; same enum values; same aliased type or
    /// constant value; references to other deduplicated items count as equal; docs may
    /// differ) and keep unknown fields the same way, else generation fails with an
    /// error naming both definitions. A name no file defines is an error too.
    #[must_use]
    pub fn dedup<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.dedup.extend(names.into_iter().map(Into::into));
        self
    }

    /// Adds a plugin; plugins run in the order they were added.
    #[must_use]
    pub fn plugin(mut self, plugin: impl Plugin + 'static) -> Self {
        self.plugins.push(Box::new(plugin));
        self
    }

    /// Sets the backend that generates service glue (none by default).
    #[must_use]
    pub fn service_backend(mut self, backend: impl ServiceBackend + 'static) -> Self {
        self.service_backend = Some(Box::new(backend));
        self
    }

    /// Generates formatted Rust source for the whole model.
    pub fn generate(&self, model: &Model) -> Result<String, Vec<Error>> {
        let tree = self.module_tree(model, &HashMap::new())?;
        format_file(tree.into_tokens(None))
    }

    /// Like [`Backend::generate`], but the items of each module go to a file of their
    /// own, which the main file `include!`s: module `a::b` goes to `<dir>/a/b.rs`
    /// (`/`-separated, relative to the directory of the main file). The main file
    /// keeps the `pub mod` tree, so including it works as with [`Backend::generate`].
    pub fn generate_split(&self, model: &Model, dir: &str) -> Result<Split, Vec<Error>> {
        self.split(model, &HashMap::new(), dir)
    }

    /// [`Backend::generate_split`] with per-module unknown field settings added.
    pub(crate) fn split(
        &self,
        model: &Model,
        keep: &HashMap<Vec<String>, bool>,
        dir: &str,
    ) -> Result<Split, Vec<Error>> {
        let tree = self.module_tree(model, keep)?;
        let mut files = Vec::new();
        let main = tree.into_tokens(Some(SplitInto {
            dir,
            files: &mut files,
        }));
        let files = files
            .into_iter()
            .map(|(path, tokens)| {
                Ok(ModuleFile {
                    path,
                    code: format_file(tokens)?,
                })
            })
            .collect::<Result<_, Vec<Error>>>()?;
        Ok(Split {
            code: format_file(main)?,
            files,
        })
    }

    /// [`Backend::generate`] with per-module unknown field settings added.
    pub(crate) fn generate_with(
        &self,
        model: &Model,
        keep: &HashMap<Vec<String>, bool>,
    ) -> Result<String, Vec<Error>> {
        format_file(self.module_tree(model, keep)?.into_tokens(None))
    }

    /// Generates the Rust tokens for the whole model (unformatted).
    pub fn generate_tokens(&self, model: &Model) -> Result<TokenStream, Vec<Error>> {
        Ok(self.module_tree(model, &HashMap::new())?.into_tokens(None))
    }

    /// The code of every module; `keep` adds to the per-module unknown field settings.
    fn module_tree(
        &self,
        model: &Model,
        keep: &HashMap<Vec<String>, bool>,
    ) -> Result<ModuleTree, Vec<Error>> {
        let mut modules = self.unknown_fields_in.clone();
        modules.extend(keep.iter().map(|(m, k)| (m.clone(), *k)));
        let keep = KeepUnknown {
            default: self.unknown_fields,
            modules,
        };
        let (dedup, mut errors) = dedup::plan(model, &self.dedup, &keep);
        let (analysis, mut naming) = Analysis::new(model, keep);
        errors.append(&mut naming);
        let mut tree = ModuleTree::default();
        for (module, paths) in &analysis.module_items {
            let cx = Context {
                model,
                analysis: &analysis,
                backend: self,
                module: module.clone(),
            };
            let mut out = TokenStream::new();
            for path in paths {
                let Some(item) = model.item(path) else {
                    continue;
                };
                if let Some(first) = dedup.get(path) {
                    out.extend(cx.reexport(path, first));
                    continue;
                }
                match cx.item(path, item) {
                    Ok(tokens) => out.extend(tokens),
                    Err(mut e) => errors.append(&mut e),
                }
            }
            tree.insert(module, out);
        }
        if errors.is_empty() {
            Ok(tree)
        } else {
            Err(errors)
        }
    }
}

/// An unsuffixed integer literal (`-` and a literal for a negative value).
pub(crate) fn int_lit(v: i64) -> TokenStream {
    let lit = proc_macro2::Literal::u64_unsuffixed(v.unsigned_abs());
    if v < 0 { quote!(-#lit) } else { quote!(#lit) }
}

/// A pattern matching any of `ids`: runs of consecutive ids become ranges (`1..=3 | 7`).
pub(crate) fn id_pattern(ids: &[i16]) -> TokenStream {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = start;
        while i + 1 < ids.len() && ids[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        let (lo, hi) = (int_lit(start.into()), int_lit(end.into()));
        parts.push(if start == end { lo } else { quote!(#lo..=#hi) });
        i += 1;
    }
    quote!(#(#parts)|*)
}

/// What plugins and service backends see: the model, the module being generated, and
/// the Rust names of everything.
pub struct Context<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
    backend: &'a Backend,
    module: Vec<String>,
}

impl fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("module", &self.module)
            .finish_non_exhaustive()
    }
}

impl<'a> Context<'a> {
    /// The whole model.
    pub fn model(&self) -> &'a Model {
        self.model
    }

    /// The Rust module being generated (segments from the output's top).
    pub fn module(&self) -> &[String] {
        &self.module
    }

    /// Whether structs of the module being generated keep unknown fields.
    pub fn keeps_unknown_fields(&self) -> bool {
        self.analysis.keep_rust.contains(&self.module)
    }

    /// `pub use` of the generated copy `first` in place of the duplicate `path`.
    fn reexport(&self, path: &ModelPath, first: &ModelPath) -> TokenStream {
        let target = self.path_to(first);
        match (self.item_ident(path), self.item_ident(first)) {
            (Some(name), Some(first_name)) if name != first_name => {
                quote!(pub use #target as #name;)
            }
            _ => quote!(pub use #target;),
        }
    }

    /// The Rust name of an item.
    pub fn item_ident(&self, path: &ModelPath) -> Option<Ident> {
        self.analysis.items.get(path).map(|n| names::ident(n))
    }

    /// A path to an item, relative to the module being generated
    /// (`super::shared::Point`).
    pub fn item_path(&self, path: &ModelPath) -> Option<TokenStream> {
        self.analysis
            .items
            .contains_key(path)
            .then(|| self.path_to(path))
    }

    /// The Rust type of a model type (as a field with no annotations would have it).
    pub fn rust_type(&self, ty: &Ty) -> Result<TokenStream, Error> {
        let rty = self.resolver().resolve(ty, TyOpts::default())?;
        Ok(self.rty_tokens(&rty))
    }

    /// The generated argument and result types of a service method.
    pub fn method_types(&self, service: &ModelPath, method: &str) -> Option<MethodTypes> {
        let names = self
            .analysis
            .methods
            .get(&(service.clone(), method.to_string()))?;
        let module = &self.analysis.modules.get(&service.module)?;
        let prefix = self.relative_module(module);
        let args = names::ident(&names.args);
        let result = names.result.as_ref().map(|r| {
            let r = names::ident(r);
            quote!(#prefix #r)
        });
        Some(MethodTypes {
            args: quote!(#prefix #args),
            arg_fields: names.args_fields.iter().map(|n| names::ident(n)).collect(),
            result,
            exceptions: names
                .result_variants
                .iter()
                .map(|n| names::ident(n))
                .collect(),
        })
    }

    pub(crate) fn resolver(&self) -> Resolver<'_> {
        Resolver {
            model: self.model,
            caps: &self.analysis.caps,
        }
    }

    /// `super::...::module::` tokens leading from the current module to `target`.
    fn relative_module(&self, target: &[String]) -> TokenStream {
        let common = self
            .module
            .iter()
            .zip(target)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = TokenStream::new();
        for _ in common..self.module.len() {
            out.extend(quote!(super::));
        }
        for segment in &target[common..] {
            let segment = names::ident(segment);
            out.extend(quote!(#segment::));
        }
        out
    }

    /// The relative path to an item (by its IDL name when the analysis did not name
    /// it, which only happens for paths the model does not hold).
    pub(crate) fn path_to(&self, path: &ModelPath) -> TokenStream {
        let name = self
            .analysis
            .items
            .get(path)
            .map_or_else(|| names::ident(&path.name), |n| names::ident(n));
        match self.analysis.modules.get(&path.module) {
            Some(module) => {
                let prefix = self.relative_module(module);
                quote!(#prefix #name)
            }
            None => quote!(#name),
        }
    }

    /// The Rust type of a resolved type.
    pub(crate) fn rty_tokens(&self, ty: &RTy) -> TokenStream {
        match ty {
            RTy::Bool => quote!(bool),
            RTy::I8 => quote!(i8),
            RTy::I16 => quote!(i16),
            RTy::I32 => quote!(i32),
            RTy::I64 => quote!(i64),
            RTy::F64 => quote!(f64),
            RTy::OrderedF64 => quote!(::pilota::OrderedFloat),
            RTy::FastStr => quote!(::pilota::FastStr),
            RTy::String => quote!(::std::string::String),
            RTy::Bytes => quote!(::pilota::Bytes),
            RTy::Uuid => quote!([u8; 16]),
            RTy::List(elem) | RTy::Set(Coll::Vec, elem) => {
                let elem = self.rty_tokens(elem);
                quote!(::std::vec::Vec<#elem>)
            }
            RTy::Set(Coll::Hash, elem) => {
                let elem = self.rty_tokens(elem);
                quote!(::std::collections::HashSet<#elem>)
            }
            RTy::Set(Coll::BTree, elem) => {
                let elem = self.rty_tokens(elem);
                quote!(::std::collections::BTreeSet<#elem>)
            }
            RTy::Map(coll, k, v) => {
                let (k, v) = (self.rty_tokens(k), self.rty_tokens(v));
                match coll {
                    Coll::Hash => quote!(::std::collections::HashMap<#k, #v>),
                    Coll::BTree => quote!(::std::collections::BTreeMap<#k, #v>),
                    Coll::Vec => quote!(::std::vec::Vec<(#k, #v)>),
                }
            }
            RTy::Enum(path) | RTy::Message(path) => self.path_to(path),
        }
    }

    /// Doc attributes for IDL docs. A one-line doc is kept as text; a longer one goes
    /// in a `text` code block, shown as written: IDL docs are not Markdown, and this
    /// way their indentation never turns into a doctest.
    pub(crate) fn docs(docs: Option<&str>) -> TokenStream {
        let Some(docs) = docs
            .map(|d| d.replace('\t', "    "))
            .filter(|d| !d.trim().is_empty())
        else {
            return TokenStream::new();
        };
        let lines: Vec<&str> = docs.trim_matches('\n').lines().map(str::trim_end).collect();
        if let [line] = lines.as_slice() {
            let line = format!(" {}", line.trim());
            return quote!(#[doc = #line]);
        }
        let longest_run = docs.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest_run.max(2) + 1);
        let open = format!(" {fence}text");
        let close = format!(" {fence}");
        let body = lines.iter().map(|line| format!(" {line}"));
        quote! {
            #[doc = #open]
            #(#[doc = #body])*
            #[doc = #close]
        }
    }
}

#[cfg(test)]
mod tests;
