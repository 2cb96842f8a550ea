//! Expansion of `#[service]`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{
    Error, FnArg, GenericArgument, ImplItem, ImplItemFn, Item, ItemImpl, Pat, PatIdent,
    PathArguments, Result, ReturnType, Type, parse_quote_spanned, spanned::Spanned,
};

/// The shape every error message refers to.
const EXPECTED: &str =
    "expected `async fn call(&self, cx: &mut Cx, req: Req) -> Result<Response, Error>`";

/// Expands `#[service]` applied to `item` with attribute arguments `args`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> Result<TokenStream> {
    if !args.is_empty() {
        return Err(Error::new_spanned(args, "`#[service]` takes no arguments"));
    }
    let mut imp = match syn::parse2::<Item>(item)? {
        Item::Impl(imp) => imp,
        other => {
            // Keep the item so that its uses do not add errors of their own.
            let err = Error::new(
                Span::call_site(),
                "`#[service]` can only be used on an `impl Service<Cx, Req> for T` block",
            )
            .into_compile_error();
            return Ok(quote!(#err #other));
        }
    };
    check_trait(&imp)?;

    let has_response = declares_type(&imp, "Response");
    let has_error = declares_type(&imp, "Error");
    let call = find_call(&mut imp)?;
    let output = check_signature(call)?;
    rewrite(call, &output);

    if !(has_response && has_error) {
        let (response, error) = split_result(&output).ok_or_else(|| {
            Error::new_spanned(
                &output,
                format!(
                    "cannot infer the associated types from this return type: \
                     write it as `Result<Response, Error>`, or declare {} in the impl",
                    missing_types(has_response, has_error)
                ),
            )
        })?;
        let mut added = Vec::new();
        if !has_response {
            added.push(ImplItem::Type(parse_quote_spanned! {response.span()=>
                type Response = #response;
            }));
        }
        if !has_error {
            added.push(ImplItem::Type(parse_quote_spanned! {error.span()=>
                type Error = #error;
            }));
        }
        imp.items.splice(0..0, added);
    }
    Ok(quote!(#imp))
}

/// Fails unless `imp` is `impl [..] Service<A, B> for T`.
fn check_trait(imp: &ItemImpl) -> Result<()> {
    let Some((bang, path, _)) = &imp.trait_ else {
        return Err(Error::new_spanned(
            &imp.self_ty,
            "`#[service]` expects `impl Service<Cx, Req> for T`, found an inherent impl",
        ));
    };
    if let Some(bang) = bang {
        return Err(Error::new_spanned(
            bang,
            "`#[service]` cannot be used on a negative impl",
        ));
    }
    let not_service = || {
        Error::new_spanned(
            path,
            "`#[service]` only implements `Service<Cx, Req>`; this is another trait",
        )
    };
    let last = path.segments.last().ok_or_else(not_service)?;
    if last.ident != "Service" {
        return Err(not_service());
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Err(Error::new_spanned(
            last,
            "`Service` takes two type arguments: `Service<Cx, Req>`",
        ));
    };
    let types = args
        .args
        .iter()
        .filter(|arg| matches!(arg, GenericArgument::Type(_)))
        .count();
    if types != 2 || args.args.len() != 2 {
        return Err(Error::new_spanned(
            args,
            "`Service` takes two type arguments: `Service<Cx, Req>`",
        ));
    }
    Ok(())
}

/// Whether the impl already contains `type <name> = ..;`.
fn declares_type(imp: &ItemImpl, name: &str) -> bool {
    imp.items
        .iter()
        .any(|item| matches!(item, ImplItem::Type(ty) if ty.ident == name))
}

/// Human-readable list of the associated types that still need a declaration.
fn missing_types(has_response: bool, has_error: bool) -> &'static str {
    match (has_response, has_error) {
        (false, false) => "`type Response = ..;` and `type Error = ..;`",
        (false, true) => "`type Response = ..;`",
        _ => "`type Error = ..;`",
    }
}

/// Finds the `call` method of the impl.
fn find_call(imp: &mut ItemImpl) -> Result<&mut ImplItemFn> {
    let ItemImpl {
        trait_,
        self_ty,
        items,
        ..
    } = imp;
    items
        .iter_mut()
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == "call" => Some(f),
            _ => None,
        })
        .ok_or_else(|| {
            let header = match trait_ {
                Some((_, path, _)) => quote!(#path),
                None => quote!(#self_ty),
            };
            Error::new_spanned(header, format!("missing `call`: {EXPECTED}"))
        })
}

/// Validates the signature of `call` and returns its return type.
fn check_signature(call: &ImplItemFn) -> Result<Type> {
    let sig = &call.sig;
    let (fn_token, ident) = (&sig.fn_token, &sig.ident);
    let name = quote!(#fn_token #ident);
    if sig.asyncness.is_none() {
        return Err(Error::new_spanned(
            name,
            format!("`call` must be an `async fn` under `#[service]`; {EXPECTED}"),
        ));
    }
    if let Some(unsafety) = &sig.unsafety {
        return Err(Error::new_spanned(unsafety, "`call` cannot be `unsafe`"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new_spanned(
            &sig.generics,
            "`call` cannot have generic parameters or a `where` clause; \
             put them on the impl instead",
        ));
    }
    check_receiver(sig.inputs.first(), &name)?;
    check_arguments(call)?;
    match &sig.output {
        ReturnType::Type(_, ty) => Ok((**ty).clone()),
        ReturnType::Default => Err(Error::new_spanned(
            name,
            format!("`call` must return a `Result`; {EXPECTED}"),
        )),
    }
}

/// Accepts `&self`, `&'a self` and `self: &Self`.
fn check_receiver(first: Option<&FnArg>, name: &TokenStream) -> Result<()> {
    let receiver = match first {
        Some(FnArg::Receiver(receiver)) => receiver,
        Some(FnArg::Typed(arg)) => {
            return Err(Error::new_spanned(
                arg,
                format!("`call` must take `&self` first; {EXPECTED}"),
            ));
        }
        None => {
            return Err(Error::new_spanned(
                name,
                format!("`call` must take `&self`; {EXPECTED}"),
            ));
        }
    };
    let shared_ref = match &*receiver.ty {
        Type::Reference(r) => r.mutability.is_none(),
        _ => false,
    };
    if !shared_ref {
        return Err(Error::new_spanned(
            receiver,
            "`call` takes `&self`: a service is shared by concurrent calls, \
             so it cannot take `self` or `&mut self`",
        ));
    }
    Ok(())
}

/// Checks for exactly `cx: &mut Cx` and one request argument after the receiver.
fn check_arguments(call: &ImplItemFn) -> Result<()> {
    let sig = &call.sig;
    let args: Vec<_> = sig.inputs.iter().skip(1).collect();
    match args.as_slice() {
        [] | [_] => Err(Error::new_spanned(
            &sig.inputs,
            format!("`call` is missing the context argument `cx: &mut Cx`; {EXPECTED}"),
        )),
        [FnArg::Typed(cx), _] => match &*cx.ty {
            Type::Reference(r) if r.mutability.is_some() => Ok(()),
            other => Err(Error::new_spanned(
                other,
                format!("the context must be taken as `&mut Cx`; {EXPECTED}"),
            )),
        },
        [_, _, extra, ..] => Err(Error::new_spanned(
            extra,
            format!("`call` takes only a context and a request; {EXPECTED}"),
        )),
        [cx, _] => Err(Error::new_spanned(cx, EXPECTED)),
    }
}

/// Turns `async fn call(..) -> T { body }` into
/// `fn call(..) -> impl Future<Output = T> + Send { async move { body } }`.
///
/// Like the compiler's own `async fn` lowering, every argument is moved into the future
/// and bound there with the user's pattern, so `mut`, destructuring, unused-variable
/// warnings and drop order behave as for an `async fn`. The signature's own names are
/// hygienic (`Span::mixed_site`), so they never clash with the user's bindings.
fn rewrite(call: &mut ImplItemFn, output: &Type) {
    let mut bindings = Vec::new();
    for (index, arg) in call.sig.inputs.iter_mut().skip(1).enumerate() {
        let FnArg::Typed(arg) = arg else { continue };
        let pat = &*arg.pat;
        let name = match pat {
            Pat::Ident(PatIdent {
                by_ref: None,
                subpat: None,
                ident,
                ..
            }) => {
                let mut name = ident.clone();
                name.set_span(Span::mixed_site().located_at(ident.span()));
                name
            }
            _ => {
                let name = format_ident!("arg{}", index, span = Span::mixed_site());
                bindings.push(quote_spanned!(Span::mixed_site()=> let #name = #name;));
                name
            }
        };
        bindings.push(quote_spanned!(Span::mixed_site()=> let #pat = #name;));
        *arg.pat = Pat::Ident(PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name,
            subpat: None,
        });
    }
    let span = output.span();
    call.sig.asyncness = None;
    call.sig.output = parse_quote_spanned! {span=>
        -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
    };
    let body = &call.block;
    call.block = parse_quote_spanned! {Span::mixed_site()=>
        {
            async move {
                #(#bindings)*
                #body
            }
        }
    };
}

/// Splits `Result<R, E>` (any path whose last segment is `Result` with two type
/// arguments) into `(R, E)`.
fn split_result(ty: &Type) -> Option<(Type, Type)> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    });
    match (types.next(), types.next(), types.next()) {
        (Some(Some(ok)), Some(Some(err)), None) => Some((ok, err)),
        _ => None,
    }
}

/// Expands `item` (with no attribute arguments) into a string, errors included.
#[cfg(test)]
fn expand_str(item: &str) -> String {
    let tokens: TokenStream = item.parse().expect("test input is valid Rust");
    match expand(TokenStream::new(), tokens) {
        Ok(out) => out.to_string(),
        Err(err) => format!("error: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        syn::parse_str(src).expect("valid type")
    }

    fn split(src: &str) -> Option<(String, String)> {
        split_result(&ty(src)).map(|(ok, err)| (quote!(#ok).to_string(), quote!(#err).to_string()))
    }

    #[test]
    fn splits_result_paths_with_two_arguments() {
        assert_eq!(split("Result<u8, E>"), Some(("u8".into(), "E".into())));
        assert_eq!(
            split("::std::result::Result<Vec<u8>, S::Error>"),
            Some(("Vec < u8 >".into(), "S :: Error".into()))
        );
    }

    #[test]
    fn refuses_aliases_and_non_results() {
        assert_eq!(split("io::Result<u8>"), None);
        assert_eq!(split("MyResult<u8, E>"), None);
        assert_eq!(split("String"), None);
        assert_eq!(split("<T as Trait>::Result<u8, E>"), None);
        assert_eq!(split("Result<'a, u8>"), None);
    }

    #[test]
    fn adds_associated_types_and_a_send_future() {
        let out = expand_str(
            "impl Service<Cx, String> for Echo {
                async fn call(&self, cx: &mut Cx, mut req: String) -> Result<String, E> {
                    req.push('!');
                    Ok(req)
                }
            }",
        );
        assert!(out.contains("type Response = String ;"), "{out}");
        assert!(out.contains("type Error = E ;"), "{out}");
        assert!(
            out.contains(
                "-> impl :: core :: future :: Future < Output = Result < String , E > > \
                 + :: core :: marker :: Send"
            ),
            "{out}"
        );
        assert!(
            out.contains("async move { let cx = cx ; let mut req = req ;"),
            "{out}"
        );
        assert!(
            out.contains("fn call (& self , cx : & mut Cx , req : String)"),
            "{out}"
        );
        assert!(!out.contains("async fn"), "{out}");
    }

    #[test]
    fn keeps_declared_associated_types() {
        let out = expand_str(
            "impl Service<(), u8> for T {
                type Response = u8;
                type Error = std::io::Error;
                async fn call(&self, _cx: &mut (), req: u8) -> std::io::Result<u8> { Ok(req) }
            }",
        );
        assert_eq!(out.matches("type Response").count(), 1, "{out}");
        assert_eq!(out.matches("type Error").count(), 1, "{out}");
    }

    #[test]
    fn rebinds_patterns_inside_the_future() {
        let out = expand_str(
            "impl Service<(), (u8, u8)> for T {
                async fn call(&self, _: &mut (), (a, b): (u8, u8)) -> Result<u8, ()> { Ok(a + b) }
            }",
        );
        assert!(out.contains("let arg0 = arg0 ; let _ = arg0 ;"), "{out}");
        assert!(
            out.contains("let arg1 = arg1 ; let (a , b) = arg1 ;"),
            "{out}"
        );
    }

    #[test]
    fn reports_misuse() {
        let cases = [
            ("struct S;", "can only be used on an `impl Service"),
            (
                "impl T { async fn call(&self) {} }",
                "found an inherent impl",
            ),
            ("impl Layer<S> for T {}", "this is another trait"),
            ("impl Service<A> for T {}", "takes two type arguments"),
            ("impl Service<A, B> for T {}", "missing `call`"),
            (
                "impl Service<A, B> for T { fn call(&self, cx: &mut A, r: B) -> Result<u8, ()> { Ok(0) } }",
                "must be an `async fn`",
            ),
            (
                "impl Service<A, B> for T { async fn call(self, cx: &mut A, r: B) -> Result<u8, ()> { Ok(0) } }",
                "takes `&self`",
            ),
            (
                "impl Service<A, B> for T { async fn call(&mut self, cx: &mut A, r: B) -> Result<u8, ()> { Ok(0) } }",
                "takes `&self`",
            ),
            (
                "impl Service<A, B> for T { async fn call(&self, r: B) -> Result<u8, ()> { Ok(0) } }",
                "missing the context argument",
            ),
            (
                "impl Service<A, B> for T { async fn call(&self, cx: A, r: B) -> Result<u8, ()> { Ok(0) } }",
                "must be taken as `&mut Cx`",
            ),
            (
                "impl Service<A, B> for T { async fn call(&self, cx: &mut A, r: B, x: u8) -> Result<u8, ()> { Ok(0) } }",
                "takes only a context and a request",
            ),
            (
                "impl Service<A, B> for T { async fn call(&self, cx: &mut A, r: B) -> u8 { 0 } }",
                "cannot infer the associated types",
            ),
            (
                "impl Service<A, B> for T { async fn call(&self, cx: &mut A, r: B) {} }",
                "must return a `Result`",
            ),
        ];
        for (input, message) in cases {
            let out = expand_str(input);
            assert!(out.contains(message), "{input}\n=> {out}");
        }
    }

    #[test]
    fn rejects_arguments() {
        let err = expand(quote!(foo), quote!(impl Service<A, B> for T {}))
            .expect_err("arguments are refused");
        assert_eq!(err.to_string(), "`#[service]` takes no arguments");
    }
}
