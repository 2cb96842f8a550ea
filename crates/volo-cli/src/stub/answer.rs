//! What a stub method answers: a value of its success type built from what
//! the generated code shows, or, when no value can be built, an error the
//! client receives as an application exception.
//!
//! `Default::default()` is used only for a type the generated code (or the
//! standard library) shows implementing `Default`. Otherwise a generated
//! union answers its first variant that can be built, a struct a literal of
//! its fields, a `Box`/`Arc`/`Rc` a new box of a value; anything else (a type
//! from another crate, a private field, a cycle) has no value.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, Item, Type, TypePath, Visibility, visit_mut::VisitMut};

use super::Qualify;

/// How deep a value may nest before the search gives up.
const MAX_DEPTH: usize = 32;
/// How many types one search may look at before it gives up (unions of
/// unions can branch a lot).
const MAX_STEPS: usize = 10_000;

/// Types implementing `Default` whatever their generic arguments are.
const ALWAYS_DEFAULT: &[&str] = &[
    "bool",
    "char",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "String",
    "Vec",
    "Option",
    "::std::string::String",
    "::std::vec::Vec",
    "::std::option::Option",
    "::std::collections::HashMap",
    "::std::collections::HashSet",
    "::std::collections::BTreeMap",
    "::std::collections::BTreeSet",
    "::std::collections::VecDeque",
    "::pilota::FastStr",
    "::pilota::Bytes",
    "::pilota::OrderedFloat",
    "::pilota::thrift::UnknownFields",
];

/// Pointers that are `Default` when what they point to is, and are built
/// with `::new`.
const POINTERS: &[&str] = &[
    "Box",
    "::std::boxed::Box",
    "::std::sync::Arc",
    "::std::rc::Rc",
];

/// A type definition of the generated code, with absolute type paths.
enum Def {
    /// A struct and its fields.
    Struct(Fields),
    /// An enum (a union) and its variants.
    Enum(Vec<(syn::Ident, Fields)>),
    /// A type alias and its target.
    Alias(Type),
}

/// The type definitions of the generated code, by absolute path
/// (`::krate::module::Name`), and which of them implement `Default`.
#[derive(Default)]
pub(crate) struct Index {
    defs: HashMap<String, Def>,
    defaults: HashSet<String>,
}

impl Index {
    /// Indexes every struct, enum and alias of `items` (in `module` of the
    /// generated crate `krate`), nested modules included.
    pub(crate) fn add(&mut self, items: &[Item], module: &mut Vec<String>, krate: &str) {
        let key = |module: &[String], name: &syn::Ident| {
            let mut key = format!("::{krate}");
            for m in module {
                key.push_str("::");
                key.push_str(m);
            }
            format!("{key}::{name}")
        };
        for item in items {
            match item {
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        module.push(syn::ext::IdentExt::unraw(&m.ident).to_string());
                        self.add(inner, module, krate);
                        module.pop();
                    }
                }
                Item::Struct(s) => {
                    let mut fields = s.fields.clone();
                    Qualify { krate, module }.visit_fields_mut(&mut fields);
                    let key = key(module, &s.ident);
                    if derives_default(&s.attrs) {
                        self.defaults.insert(key.clone());
                    }
                    self.defs.insert(key, Def::Struct(fields));
                }
                Item::Enum(e) => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| {
                            let mut fields = v.fields.clone();
                            Qualify { krate, module }.visit_fields_mut(&mut fields);
                            (v.ident.clone(), fields)
                        })
                        .collect();
                    let key = key(module, &e.ident);
                    if derives_default(&e.attrs) {
                        self.defaults.insert(key.clone());
                    }
                    self.defs.insert(key, Def::Enum(variants));
                }
                Item::Type(t) if t.generics.params.is_empty() => {
                    let mut target = (*t.ty).clone();
                    Qualify { krate, module }.visit_type_mut(&mut target);
                    self.defs.insert(key(module, &t.ident), Def::Alias(target));
                }
                Item::Impl(i) => {
                    let is_default = i
                        .trait_
                        .as_ref()
                        .and_then(|(_, path, _)| path.segments.last())
                        .is_some_and(|s| s.ident == "Default");
                    let mut self_ty = (*i.self_ty).clone();
                    Qualify { krate, module }.visit_type_mut(&mut self_ty);
                    if let (true, Type::Path(tp)) = (is_default, &self_ty) {
                        self.defaults.insert(path_key(tp));
                    }
                }
                _ => {}
            }
        }
    }

    /// An expression of type `ty`, if one can be built.
    pub(crate) fn value(&self, ty: &Type) -> Option<TokenStream> {
        Search {
            index: self,
            stack: Vec::new(),
            steps: 0,
        }
        .value_in(ty, 0)
    }
}

/// One search for a value.
struct Search<'a> {
    index: &'a Index,
    /// The generated types being built, outermost first.
    stack: Vec<String>,
    /// Types looked at so far, bounded by [`MAX_STEPS`].
    steps: usize,
}

impl Search<'_> {
    /// Whether `ty` is seen implementing `Default`.
    fn is_default(&mut self, ty: &Type, depth: usize) -> bool {
        self.steps += 1;
        if depth > MAX_DEPTH || self.steps > MAX_STEPS {
            return false;
        }
        match ty {
            Type::Paren(p) => self.is_default(&p.elem, depth + 1),
            Type::Group(g) => self.is_default(&g.elem, depth + 1),
            Type::Tuple(t) => t.elems.iter().all(|e| self.is_default(e, depth + 1)),
            Type::Array(a) => {
                array_len(a).is_some_and(|n| n <= 32) && self.is_default(&a.elem, depth + 1)
            }
            Type::Path(tp) if tp.qself.is_none() => {
                let key = path_key(tp);
                if ALWAYS_DEFAULT.contains(&key.as_str()) || self.index.defaults.contains(&key) {
                    return true;
                }
                if POINTERS.contains(&key.as_str()) {
                    return type_args(tp).is_some_and(|args| {
                        matches!(args.as_slice(), [inner] if self.is_default(inner, depth + 1))
                    });
                }
                match self.index.defs.get(&key) {
                    Some(Def::Alias(target)) => self.is_default(target, depth + 1),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn value_in(&mut self, ty: &Type, depth: usize) -> Option<TokenStream> {
        self.steps += 1;
        if depth > MAX_DEPTH || self.steps > MAX_STEPS {
            return None;
        }
        if self.is_default(ty, depth) {
            return Some(quote!(::std::default::Default::default()));
        }
        match ty {
            Type::Paren(p) => self.value_in(&p.elem, depth + 1),
            Type::Group(g) => self.value_in(&g.elem, depth + 1),
            Type::Tuple(t) => {
                let elems = t
                    .elems
                    .iter()
                    .map(|e| self.value_in(e, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!((#(#elems,)*)))
            }
            Type::Array(a) => {
                let elem = self.value_in(&a.elem, depth + 1)?;
                Some(quote!(::std::array::from_fn(|_| #elem)))
            }
            Type::Path(tp) if tp.qself.is_none() => self.path_value(tp, depth),
            _ => None,
        }
    }

    fn path_value(&mut self, tp: &TypePath, depth: usize) -> Option<TokenStream> {
        let key = path_key(tp);
        if POINTERS.contains(&key.as_str()) {
            let args = type_args(tp)?;
            let [inner] = args.as_slice() else {
                return None;
            };
            let inner = self.value_in(inner, depth + 1)?;
            let mut path = tp.path.clone();
            path.segments.last_mut()?.arguments = syn::PathArguments::None;
            return Some(quote!(#path::new(#inner)));
        }
        if type_args(tp).is_some() {
            // A generic type of the generated code: its parameters are unknown.
            return None;
        }
        let path = &tp.path;
        let index = self.index;
        let def = index.defs.get(&key)?;
        if self.stack.contains(&key) {
            // A value of this type would contain itself.
            return None;
        }
        self.stack.push(key);
        let value = match def {
            Def::Alias(target) => self.value_in(target, depth + 1),
            Def::Struct(fields) => {
                let build = self.fields_value(fields, depth, true)?;
                Some(quote!(#path #build))
            }
            Def::Enum(variants) => variants.iter().find_map(|(name, fields)| {
                let build = self.fields_value(fields, depth, false)?;
                Some(quote!(#path::#name #build))
            }),
        };
        self.stack.pop();
        value
    }

    /// What follows a struct or variant path to build it: `{ a: .. }`,
    /// `(..)` or nothing. A struct's fields must all be `pub` (a variant's
    /// are as visible as their enum).
    fn fields_value(
        &mut self,
        fields: &Fields,
        depth: usize,
        of_struct: bool,
    ) -> Option<TokenStream> {
        if of_struct
            && !fields
                .iter()
                .all(|f| matches!(f.vis, Visibility::Public(_)))
        {
            return None;
        }
        match fields {
            Fields::Unit => Some(TokenStream::new()),
            Fields::Named(named) => {
                let inits = named
                    .named
                    .iter()
                    .map(|f| {
                        let name = f.ident.as_ref()?;
                        let value = self.value_in(&f.ty, depth + 1)?;
                        Some(quote!(#name: #value))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!({ #(#inits),* }))
            }
            Fields::Unnamed(unnamed) => {
                let values = unnamed
                    .unnamed
                    .iter()
                    .map(|f| self.value_in(&f.ty, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!((#(#values),*)))
            }
        }
    }
}

/// Whether `#[derive(..)]` lists `Default`.
fn derives_default(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Default");
                Ok(())
            });
            found
        })
}

/// The path of `tp` without generic arguments: `::std::vec::Vec`.
fn path_key(tp: &TypePath) -> String {
    let mut key = String::new();
    for (i, segment) in tp.path.segments.iter().enumerate() {
        if i > 0 || tp.path.leading_colon.is_some() {
            key.push_str("::");
        }
        key.push_str(&segment.ident.to_string());
    }
    key
}

/// The type arguments of the last segment of `tp`, if it has any.
fn type_args(tp: &TypePath) -> Option<Vec<&Type>> {
    let syn::PathArguments::AngleBracketed(args) = &tp.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

/// The length of `[T; N]` when `N` is a literal.
fn array_len(array: &syn::TypeArray) -> Option<usize> {
    match &array.len {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => n.base10_parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use quote::quote;

    use crate::{stub, test_dir::TestDir};

    /// Hand-written "generated code": types without `Default`, a cycle,
    /// a private field, and both kinds of handler errors.
    const CODE: &str = r#"
pub type BoxError = ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>;
pub mod m {
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Mode(pub i32);
    #[derive(Debug, Clone, PartialEq)]
    pub enum Choice {
        Mode(Mode),
        Text(::std::string::String),
    }
    pub type Alias = Choice;
    pub struct Tree {
        pub value: i32,
        pub left: ::std::option::Option<::std::boxed::Box<Tree>>,
        pub leaf: ::std::boxed::Box<Leaf>,
    }
    pub struct Leaf {
        pub mode: super::m::Mode,
    }
    #[derive(Default)]
    pub struct Plain {
        pub n: i32,
    }
    pub struct Opaque {
        secret: i32,
    }
    impl Opaque {
        pub fn secret(&self) -> i32 {
            self.secret
        }
    }
    pub enum Loop {
        Again(::std::boxed::Box<Loop>),
        More(::std::boxed::Box<Loop>),
    }
    #[derive(Debug)]
    pub struct Exc;
    pub enum SvcHandlerError<E> {
        Exception(E),
        Other(super::BoxError),
    }
    impl<E> SvcHandlerError<E> {
        pub fn other(error: impl ::std::convert::Into<super::BoxError>) -> Self {
            SvcHandlerError::Other(error.into())
        }
    }
    pub struct SvcServer;
    pub trait Svc: ::std::marker::Send + ::std::marker::Sync + 'static {
        fn mode(&self) -> impl ::std::future::Future<Output = ::std::result::Result<Mode, super::BoxError>> + ::std::marker::Send;
        fn choice(&self, c: Choice) -> impl ::std::future::Future<Output = ::std::result::Result<Alias, super::BoxError>> + ::std::marker::Send;
        fn tree(&self) -> impl ::std::future::Future<Output = ::std::result::Result<Tree, super::BoxError>> + ::std::marker::Send;
        fn pair(&self) -> impl ::std::future::Future<Output = ::std::result::Result<(Mode, [Mode; 2], Plain), super::BoxError>> + ::std::marker::Send;
        fn opaque(&self) -> impl ::std::future::Future<Output = ::std::result::Result<Opaque, SvcHandlerError<Exc>>> + ::std::marker::Send;
        fn cycle(&self) -> impl ::std::future::Future<Output = ::std::result::Result<Loop, super::BoxError>> + ::std::marker::Send;
    }
    pub struct OtherServer;
    pub trait Other: ::std::marker::Send + ::std::marker::Sync + 'static {
        fn take(&self, o: Opaque) -> impl ::std::future::Future<Output = ::std::result::Result<i32, super::BoxError>> + ::std::marker::Send;
    }
}
"#;

    fn answers() -> Vec<(String, Option<String>)> {
        let services = stub::services(CODE, "k").unwrap();
        services[0]
            .methods
            .iter()
            .map(|m| {
                let value = m.ok_value.as_ref().map(|v| quote!(#v).to_string());
                (m.name.to_string(), value)
            })
            .collect()
    }

    #[test]
    fn builds_values_of_types_without_default() {
        let default = ":: std :: default :: Default :: default ()";
        let mode = format!(":: k :: m :: Mode ({default})");
        assert_eq!(
            answers(),
            [
                ("mode".to_owned(), Some(mode.clone())),
                (
                    "choice".to_owned(),
                    Some(format!(":: k :: m :: Choice :: Mode ({mode})"))
                ),
                (
                    "tree".to_owned(),
                    Some(format!(
                        ":: k :: m :: Tree {{ value : {default} , left : {default} , leaf : :: std :: boxed :: Box :: new (:: k :: m :: Leaf {{ mode : {mode} }}) }}"
                    ))
                ),
                (
                    "pair".to_owned(),
                    Some(format!(
                        "({mode} , :: std :: array :: from_fn (| _ | {mode}) , {default} ,)"
                    ))
                ),
                ("opaque".to_owned(), None),
                ("cycle".to_owned(), None),
            ]
        );
    }

    #[test]
    fn without_a_value_the_stub_answers_not_implemented() {
        let services = stub::services(CODE, "k").unwrap();
        let lib = stub::handler_lib("p", "k", &services).unwrap();
        let compact: String = lib.split_whitespace().collect();
        for expected in [
            "Err(<::k::m::SvcHandlerError<::k::m::Exc,>>::other(\"`Svc.opaque` is not implemented yet\"),)",
            "Err(::std::convert::Into::into(\"`Svc.cycle` is not implemented yet\"),)",
        ] {
            let expected: String = expected.split_whitespace().collect();
            assert!(compact.contains(&expected), "{expected} in\n{lib}");
        }
    }

    #[test]
    fn a_client_without_argument_values_says_so() {
        let services = stub::services(CODE, "k").unwrap();
        assert!(services[0].methods.iter().all(|m| m.arg_values.is_some()));
        assert!(services[1].methods[0].arg_values.is_none());
        let client = stub::client_main("k", &services[1]).unwrap();
        assert!(
            client.contains("fill in the arguments of `Other.take` in src/bin/client.rs"),
            "{client}"
        );
        assert!(!client.contains(".take("), "{client}");
    }

    fn rustc(args: &[&str]) {
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let out = Command::new(rustc)
            .args(["--edition", "2024", "--crate-type", "lib"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rustc {args:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The stub of [`CODE`] compiles against it.
    #[test]
    fn the_stub_compiles() {
        let dir = TestDir::new("stub-compiles");
        let services = stub::services(CODE, "k").unwrap();
        std::fs::write(dir.join("k.rs"), CODE).unwrap();
        std::fs::write(
            dir.join("p.rs"),
            stub::handler_lib("p", "k", &services).unwrap(),
        )
        .unwrap();
        let dir_text = dir.join("").to_string_lossy().into_owned();
        let k = dir.join("libk.rlib").to_string_lossy().into_owned();
        rustc(&[
            "--crate-name",
            "k",
            "--out-dir",
            &dir_text,
            &dir.join("k.rs").to_string_lossy(),
        ]);
        rustc(&[
            "--crate-name",
            "p",
            "--out-dir",
            &dir_text,
            "--extern",
            &format!("k={k}"),
            &dir.join("p.rs").to_string_lossy(),
        ]);
    }

    #[test]
    fn generated_unions_and_enums_answer_their_default() {
        let dir = TestDir::new("stub-union-enum");
        let idl = dir.join("u.thrift");
        std::fs::write(
            &idl,
            "namespace rs u\nenum Mode { UP = 1, DOWN = 2 }\n\
             union Step { 1: i64 by, 2: string label }\n\
             exception Oops { 1: string why }\n\
             service S { Step step(1: Mode m) throws (1: Oops oops), Mode mode(1: Step s) }\n",
        )
        .unwrap();
        let (services, _) = crate::init::idl_services(&idl, &[], "g").unwrap();
        let s = &services[0];
        for m in &s.methods {
            let value = m.ok_value.as_ref().map(|v| quote!(#v).to_string());
            assert_eq!(
                value.as_deref(),
                Some(":: std :: default :: Default :: default ()"),
                "{}",
                m.name
            );
            assert!(m.arg_values.is_some(), "{}", m.name);
        }
        let step = &s.methods[0].error;
        assert_eq!(
            quote!(#step).to_string(),
            ":: g :: u :: SHandlerError < :: g :: u :: SStepException >"
        );
    }
}
