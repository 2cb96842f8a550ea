//! Reads the handler traits back from the code volo-build generates, and
//! writes the handler stub, server and client of a new project from them.
//!
//! Reading the generated code (rather than re-deriving names from the IDL)
//! keeps the stub in step with the generator: whatever names, argument types
//! and error types it emits are the ones implemented here, and the values
//! the stub answers are built from the types it shows ([`answer`]).

mod answer;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{
    FnArg, GenericArgument, Ident, Item, Pat, PathArguments, ReturnType, TraitItem, Type,
    TypeParamBound, TypePath, ext::IdentExt, visit_mut::VisitMut,
};

/// A handler trait of the generated code.
#[derive(Clone)]
pub(crate) struct Service {
    /// The module path of the trait inside the generated crate.
    pub(crate) module: Vec<String>,
    /// The trait name (the IDL service name).
    pub(crate) name: Ident,
    /// The trait's own methods, in order.
    pub(crate) methods: Vec<Method>,
}

/// One method of a handler trait, with types qualified from the generated crate.
#[derive(Clone)]
pub(crate) struct Method {
    /// The method name.
    pub(crate) name: Ident,
    /// The arguments.
    pub(crate) args: Vec<(Ident, Type)>,
    /// The `Result` the handler returns.
    pub(crate) output: Type,
    /// The error type of that `Result`.
    pub(crate) error: Type,
    /// A value of its success type, when one can be built.
    pub(crate) ok_value: Option<TokenStream>,
    /// A value of each argument, when every one can be built.
    pub(crate) arg_values: Option<Vec<TokenStream>>,
}

/// Every handler trait (a trait with a `<Trait>Server` struct beside it) in
/// `code`, with types qualified from the crate `krate`.
pub(crate) fn services(code: &str, krate: &str) -> Result<Vec<Service>, String> {
    let file = syn::parse_file(code).map_err(|e| e.to_string())?;
    let mut index = answer::Index::default();
    index.add(&file.items, &mut Vec::new(), krate);
    let mut out = Vec::new();
    collect(&file.items, &mut Vec::new(), krate, &index, &mut out)?;
    Ok(out)
}

fn collect(
    items: &[Item],
    module: &mut Vec<String>,
    krate: &str,
    index: &answer::Index,
    out: &mut Vec<Service>,
) -> Result<(), String> {
    let structs: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in items {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    module.push(m.ident.unraw().to_string());
                    collect(inner, module, krate, index, out)?;
                    module.pop();
                }
            }
            Item::Trait(t) if structs.contains(&format!("{}Server", t.ident)) => {
                let mut methods = Vec::new();
                for item in &t.items {
                    if let TraitItem::Fn(f) = item {
                        methods.push(method(&f.sig, krate, module, index)?);
                    }
                }
                out.push(Service {
                    module: module.clone(),
                    name: t.ident.clone(),
                    methods,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

fn method(
    sig: &syn::Signature,
    krate: &str,
    module: &[String],
    index: &answer::Index,
) -> Result<Method, String> {
    let mut qualify = Qualify { krate, module };
    let mut args = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(arg) = input {
            let Pat::Ident(name) = &*arg.pat else {
                return Err(format!("`{}`: an argument is not a plain name", sig.ident));
            };
            let mut ty = (*arg.ty).clone();
            qualify.visit_type_mut(&mut ty);
            args.push((name.ident.clone(), ty));
        }
    }
    let mut output = future_output(&sig.output)
        .ok_or_else(|| format!("`{}` does not return `impl Future<Output = ..>`", sig.ident))?;
    qualify.visit_type_mut(&mut output);
    let Some((ok, error)) = result_types(&output) else {
        return Err(format!("`{}` does not return a `Result`", sig.ident));
    };
    Ok(Method {
        name: sig.ident.clone(),
        ok_value: index.value(&ok),
        arg_values: args.iter().map(|(_, ty)| index.value(ty)).collect(),
        args,
        error,
        output,
    })
}

/// `T` and `E` of `Result<T, E>`.
fn result_types(ty: &Type) -> Option<(Type, Type)> {
    let Type::Path(tp) = ty else {
        return None;
    };
    let last = tp.path.segments.last().filter(|s| s.ident == "Result")?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    });
    match (types.next(), types.next(), types.next()) {
        (Some(ok), Some(error), None) => Some((ok, error)),
        _ => None,
    }
}

/// `T` of `-> impl Future<Output = T> + ...`.
fn future_output(ret: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = ret else {
        return None;
    };
    let Type::ImplTrait(imp) = &**ty else {
        return None;
    };
    imp.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let last = t.path.segments.last()?;
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(assoc.ty.clone()),
            _ => None,
        })
    })
}

/// Names that resolve the same everywhere, so stay as written.
const PRELUDE: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
    "u128", "usize", "f32", "f64", "String", "Vec", "Option", "Result", "Box", "Self",
];

/// Rewrites paths relative to a generated module into absolute ones
/// through the generated crate (`super::a::T` → `::krate::a::T`).
struct Qualify<'a> {
    krate: &'a str,
    module: &'a [String],
}

impl VisitMut for Qualify<'_> {
    fn visit_type_path_mut(&mut self, tp: &mut TypePath) {
        syn::visit_mut::visit_type_path_mut(self, tp);
        if tp.qself.is_some() || tp.path.leading_colon.is_some() {
            return;
        }
        let Some(first) = tp.path.segments.first() else {
            return;
        };
        if tp.path.segments.len() == 1 && PRELUDE.contains(&first.ident.to_string().as_str()) {
            return;
        }
        let mut base: Vec<String> = self.module.to_vec();
        let mut rest: Vec<syn::PathSegment> = tp.path.segments.iter().cloned().collect();
        loop {
            match rest.first().map(|s| s.ident.to_string()).as_deref() {
                Some("super") => {
                    base.pop();
                    rest.remove(0);
                }
                Some("self") => {
                    rest.remove(0);
                }
                Some("crate") => {
                    base.clear();
                    rest.remove(0);
                }
                _ => break,
            }
        }
        let krate = format_ident!("{}", self.krate);
        let base = base.iter().map(|m| format_ident!("{}", m));
        tp.path = syn::parse_quote!(::#krate #(::#base)* #(::#rest)*);
    }
}

/// The absolute path of an item `name` of `service`'s module.
fn item_path(krate: &str, service: &Service, name: &Ident) -> TokenStream {
    let krate = format_ident!("{}", krate);
    let module = service.module.iter().map(|m| format_ident!("{}", m));
    quote!(::#krate #(::#module)* ::#name)
}

fn format(tokens: TokenStream) -> Result<String, String> {
    let file = syn::parse2(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}

/// `src/lib.rs` of the handler crate: `Handler` implements every service,
/// each method answering a default value (or a "not implemented yet"
/// error when its type has no value the stub can build).
pub(crate) fn handler_lib(
    project: &str,
    krate: &str,
    services: &[Service],
) -> Result<String, String> {
    let impls = services
        .iter()
        .map(|s| service_impl(krate, s, quote!(Handler)));
    let doc = format!(
        " The handlers of `{project}`: replace each method's default answer with your logic."
    );
    finish(quote! {
        #![doc = #doc]
        /// Implements every service of the IDL.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Handler;
        #(#impls)*
    })
}

/// A module of the handler crate implementing `service` for its `Handler`
/// (what `volo idl add` writes for each new service).
pub(crate) fn handler_module(krate: &str, service: &Service) -> Result<String, String> {
    let doc = format!(
        " `{}` for [`crate::Handler`]: replace each method's default answer with your logic.",
        service.name
    );
    let body = service_impl(krate, service, quote!(crate::Handler));
    finish(quote! {
        #![doc = #doc]
        #body
    })
}

/// `impl Service for #handler`, each method answering what [`answer`] says.
fn service_impl(krate: &str, service: &Service, handler: TokenStream) -> TokenStream {
    let tr = item_path(krate, service, &service.name);
    let methods = service.methods.iter().map(|m| {
        let name = &m.name;
        let args = m.args.iter().map(|(n, ty)| {
            let n = format_ident!("_{}", n.unraw());
            quote!(#n: #ty)
        });
        let output = &m.output;
        let answer = answer(service, m);
        quote! {
            async fn #name(&self, #(#args),*) -> #output {
                #answer
            }
        }
    });
    quote! {
        impl #tr for #handler {
            #(#methods)*
        }
    }
}

/// `Ok(value)`, or, without a value, an error the client receives as an
/// application exception.
fn answer(service: &Service, m: &Method) -> TokenStream {
    if let Some(value) = &m.ok_value {
        return quote!(::std::result::Result::Ok(#value));
    }
    let message = format!(
        "`{}.{}` is not implemented yet",
        service.name,
        m.name.unraw()
    );
    let error = &m.error;
    let handler_error = matches!(error, Type::Path(tp) if tp
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident.to_string().ends_with("HandlerError")));
    if handler_error {
        quote!(::std::result::Result::Err(<#error>::other(#message)))
    } else {
        quote!(::std::result::Result::Err(::std::convert::Into::into(#message)))
    }
}

/// The absolute path of `service`'s trait (`::calc_gen::counter::Counter`).
pub(crate) fn trait_path(krate: &str, service: &Service) -> String {
    item_path(krate, service, &service.name)
        .to_string()
        .replace(' ', "")
}

/// The modules `file` declares at its top level.
pub(crate) fn declared_modules(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) => Some(m.ident.unraw().to_string()),
            _ => None,
        })
        .collect()
}

/// A module name for each service's stub: its snake-case name, prefixed
/// with its module path when two services share a name, suffixed with
/// `_service` when that is a keyword or a crate root file name.
pub(crate) fn module_names(services: &[Service]) -> Vec<String> {
    let plain: Vec<String> = services
        .iter()
        .map(|s| snake(&s.name.unraw().to_string()))
        .collect();
    services
        .iter()
        .zip(&plain)
        .map(|(s, name)| {
            if plain.iter().filter(|n| *n == name).count() > 1 {
                qualified_module_name(s)
            } else {
                usable(name.clone())
            }
        })
        .collect()
}

/// The module name of `service`'s stub prefixed with its module path
/// (`a::b::Echo` → `a_b_echo`), for when the plain one is taken.
pub(crate) fn qualified_module_name(service: &Service) -> String {
    let mut parts: Vec<String> = service.module.iter().map(|m| snake(m)).collect();
    parts.push(snake(&service.name.unraw().to_string()));
    usable(parts.join("_"))
}

/// `module`, suffixed with `_service` when it is a keyword or a crate root
/// file name.
fn usable(mut module: String) -> String {
    if matches!(module.as_str(), "lib" | "main") || syn::parse_str::<Ident>(&module).is_err() {
        module.push_str("_service");
    }
    module
}

/// `snake_case` of an identifier (`HTTPEcho2Service` → `http_echo2_service`).
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(char::is_ascii_lowercase));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `src/bin/server.rs`: serves the first service on `--addr`.
pub(crate) fn server_main(project: &str, krate: &str, service: &Service) -> Result<String, String> {
    let lib = format_ident!("{}", project.replace('-', "_"));
    let server = item_path(krate, service, &format_ident!("{}Server", service.name));
    let doc = format!(
        " Serves `{}` (default address {DEFAULT_ADDR}).",
        service.name
    );
    let body = quote! {
        #![doc = #doc]
        use std::{net::SocketAddr, process::ExitCode};

        #[tokio::main]
        async fn main() -> ExitCode {
            let addr = match address() {
                Ok(addr) => addr,
                Err(e) => {
                    eprintln!("server: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!("server: listening on {addr}");
            let server = volo_thrift::server::Server::new(#server::new(#lib::Handler));
            match server.run(addr).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("server: {e}");
                    ExitCode::FAILURE
                }
            }
        }

        #ADDRESS_FN
    };
    finish(body)
}

/// `src/bin/client.rs`: calls the first method with default arguments.
pub(crate) fn client_main(krate: &str, service: &Service) -> Result<String, String> {
    let client = item_path(krate, service, &format_ident!("{}Client", service.name));
    let label = service.name.to_string();
    let (call, doc) = match service.methods.first() {
        Some(m) if m.arg_values.is_none() => {
            let message = format!(
                "client: fill in the arguments of `{}.{}` in src/bin/client.rs",
                service.name,
                m.name.unraw()
            );
            (
                quote! {
                    let _ = client;
                    eprintln!(#message);
                    ExitCode::FAILURE
                },
                format!(
                    " Calls `{}.{}` once its arguments are filled in (this tool could not build them).",
                    service.name, m.name
                ),
            )
        }
        Some(m) => {
            let name = &m.name;
            let args = m.arg_values.iter().flatten();
            (
                quote! {
                    match client.#name(#(#args),*).await {
                        Ok(reply) => {
                            println!("{reply:?}");
                            ExitCode::SUCCESS
                        }
                        Err(e) => {
                            eprintln!("client: {e}");
                            ExitCode::FAILURE
                        }
                    }
                },
                format!(
                    " Calls `{}.{}` with default arguments and prints the reply.",
                    service.name, m.name
                ),
            )
        }
        None => (
            quote!(ExitCode::SUCCESS),
            format!(
                " `{}` has no method of its own: nothing to call.",
                service.name
            ),
        ),
    };
    let body = quote! {
        #![doc = #doc]
        use std::{net::SocketAddr, process::ExitCode};

        #[tokio::main]
        async fn main() -> ExitCode {
            let addr = match address() {
                Ok(addr) => addr,
                Err(e) => {
                    eprintln!("client: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let client = #client::builder(#label).address(addr).build();
            #call
        }

        #ADDRESS_FN
    };
    finish(body)
}

/// Formats a file whose first item is `#![doc = "..."]`, written back as
/// a `//!` line (prettyplease keeps the attribute form).
fn finish(body: TokenStream) -> Result<String, String> {
    let text = format(body)?;
    let text = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("#![doc = \"") && first.ends_with("\"]") => {
            let doc = &first["#![doc = \"".len()..first.len() - 2];
            format!("//!{doc}\n{rest}")
        }
        _ => text,
    };
    Ok(space_items(&text))
}

/// Puts a blank line between top-level items (prettyplease packs them).
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let top_level = !line.starts_with(char::is_whitespace);
        let ends_item =
            top_level && (line == "}" || line.ends_with(';') || line.starts_with("//!"));
        let next_continues = lines
            .peek()
            .is_none_or(|next| next.is_empty() || next.starts_with("//!"));
        if ends_item && !next_continues {
            out.push('\n');
        }
    }
    out
}

/// The address both binaries use when `--addr` is not given.
pub(crate) const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// `fn address()`: `--addr HOST:PORT` from the command line, or the default.
struct AddressFn;

const ADDRESS_FN: AddressFn = AddressFn;

impl quote::ToTokens for AddressFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let default = DEFAULT_ADDR;
        let doc = format!(" `--addr HOST:PORT` from the command line (default `{default}`).");
        tokens.extend(quote! {
            #[doc = #doc]
            fn address() -> Result<SocketAddr, String> {
                let args: Vec<String> = std::env::args().skip(1).collect();
                let text = match args.as_slice() {
                    [] => #default,
                    [flag, addr] if flag == "--addr" => addr.as_str(),
                    _ => return Err("usage: [--addr HOST:PORT]".to_owned()),
                };
                text.parse().map_err(|e| format!("bad address {text:?}: {e}"))
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "pub mod a { pub mod b {
        pub struct T;
        pub struct SvcServer;
        pub trait Svc {
            fn m(&self, r#type: T, x: super::c::U, v: ::std::vec::Vec<T>, n: i32)
                -> impl ::std::future::Future<Output = ::std::result::Result<T, SvcHandlerError<E>>> + ::std::marker::Send;
        }
        pub trait NotAService {}
    } }";

    #[test]
    fn reads_handler_traits_and_qualifies_types() {
        let services = services(CODE, "k").unwrap();
        assert_eq!(services.len(), 1, "only traits with a server beside them");
        let s = &services[0];
        assert_eq!(
            (s.module.as_slice(), s.name.to_string()),
            (&["a".to_owned(), "b".to_owned()][..], "Svc".to_owned())
        );
        let m = &s.methods[0];
        let args: Vec<String> = m
            .args
            .iter()
            .map(|(n, t)| format!("{n}: {}", quote!(#t)))
            .collect();
        assert_eq!(
            args,
            [
                "r#type: :: k :: a :: b :: T",
                "x: :: k :: a :: c :: U",
                "v: :: std :: vec :: Vec < :: k :: a :: b :: T >",
                "n: i32"
            ]
        );
        let output = &m.output;
        assert_eq!(
            quote!(#output).to_string(),
            ":: std :: result :: Result < :: k :: a :: b :: T , :: k :: a :: b :: SvcHandlerError < :: k :: a :: b :: E > >"
        );
    }

    #[test]
    fn unreadable_code_is_an_error() {
        assert!(services("pub mod {", "k").is_err());
        let no_future = "pub struct SvcServer; pub trait Svc { fn m(&self) -> i32; }";
        let Err(message) = services(no_future, "k") else {
            panic!("a method without a future is refused");
        };
        assert!(message.contains("impl Future"), "{message}");
    }

    #[test]
    fn items_are_spaced() {
        assert_eq!(
            space_items("//! d\nuse a;\npub struct H;\nfn f() {\n    x;\n}\nfn g() {\n}\n"),
            "//! d\n\nuse a;\n\npub struct H;\n\nfn f() {\n    x;\n}\n\nfn g() {\n}\n"
        );
    }
}
