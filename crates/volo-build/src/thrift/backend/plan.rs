//! What the generator knows about one service before it writes anything: its
//! methods (inherited ones first), their Rust names and types, and the names
//! of the generated items.

use std::collections::HashSet;

use pilota_build::codegen::names::{self as pnames, Case, Scope};
use pilota_build::codegen::{Context, Error};
use pilota_build::model::{Field, ItemKind, Method, ModelPath, Requiredness, Service, Ty};
use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};

/// Inherent methods of generated clients; IDL methods named like them get a
/// suffix (everywhere, so that trait and client agree).
const RESERVED_METHODS: &[&str] = &[
    "builder",
    "client",
    "clone",
    "from_client",
    "new",
    "with_call_opt",
];

/// The placeholder response a server returns for a oneway call.
pub(super) const ONEWAY_VARIANT: &str = "Oneway";

/// One method of a service, its own or inherited.
pub(super) struct MethodPlan<'a> {
    pub(super) method: &'a Method,
    /// The IDL name (also the name on the wire).
    pub(super) name: &'a str,
    /// The handler trait and client method.
    pub(super) fn_name: Ident,
    /// The request and response variant.
    pub(super) variant: Ident,
    /// The arguments struct.
    pub(super) args_ty: TokenStream,
    /// The result enum (`None` for oneway).
    pub(super) result_ty: Option<TokenStream>,
    /// The arguments.
    pub(super) args: Vec<ArgPlan>,
    /// The success type (`()` for void).
    pub(super) ret: TokenStream,
    /// Exception variants of the result enum with their types.
    pub(super) exceptions: Vec<(Ident, TokenStream)>,
    /// The enum of the declared exceptions, when there are some.
    pub(super) exception_enum: Option<ExceptionEnum>,
    /// The handler trait of the declaring service.
    pub(super) owner_trait: TokenStream,
    /// `SvcHandlerError` / `SvcCallError` of the declaring service.
    pub(super) handler_error: TokenStream,
    pub(super) call_error: TokenStream,
}

/// One argument of a method.
pub(super) struct ArgPlan {
    /// The field of the arguments struct, also the parameter name.
    pub(super) ident: Ident,
    /// The parameter type.
    pub(super) ty: TokenStream,
    /// Whether the field is an `Option` of the parameter type: an argument of
    /// default requiredness without a default value and not a scalar. The
    /// handler gets the default value when the caller left it out.
    pub(super) defaulted: bool,
}

/// The generated enum of a method's declared exceptions.
pub(super) struct ExceptionEnum {
    /// Its name (declared in the declaring service's module).
    pub(super) ident: Ident,
    /// A path to it from the module being generated.
    pub(super) path: TokenStream,
}

/// The names of what is generated for a service.
pub(super) struct Names {
    pub(super) request: Ident,
    pub(super) response: Ident,
    pub(super) server: Ident,
    pub(super) client: Ident,
    pub(super) builder: Ident,
    pub(super) handler_error: Ident,
    pub(super) call_error: Ident,
}

/// One service, ready to be written.
pub(super) struct ServicePlan<'a> {
    /// The IDL name (the TTHeader `isn`).
    pub(super) idl_name: String,
    /// The handler trait.
    pub(super) trait_ident: Ident,
    /// The extended service's trait.
    pub(super) extends: Option<TokenStream>,
    pub(super) docs: Option<&'a str>,
    /// Every method, inherited ones first.
    pub(super) methods: Vec<MethodPlan<'a>>,
    /// Where the service's own methods start in `methods`.
    pub(super) own_from: usize,
    /// The placeholder response variant, when some method is oneway.
    pub(super) oneway_variant: Option<Ident>,
    pub(super) names: Names,
    pub(super) keeps_unknown_fields: bool,
}

impl<'a> ServicePlan<'a> {
    pub(super) fn new(
        cx: &Context<'a>,
        path: &ModelPath,
        service: &'a Service,
    ) -> Result<Self, Error> {
        let model = cx.model();
        let trait_ident = cx
            .item_ident(path)
            .ok_or_else(|| Error::new(format!("service `{path}` is not in the model")))?;
        let chain = chain(cx, path, service)?;
        let mut idl_names = HashSet::new();
        for (owner, method) in &chain {
            if !idl_names.insert(method.name.as_str()) {
                return Err(Error::new(format!(
                    "method `{}` of `{owner}` is also declared by a service it extends",
                    method.name
                ))
                .at(method.loc.clone()));
            }
        }
        let has_oneway = chain.iter().any(|(_, m)| m.oneway);
        let mut variants = Scope::new(Case::Camel);
        if has_oneway {
            variants.reserve(ONEWAY_VARIANT);
        }
        let mut fns = Scope::new(Case::Snake);
        for name in RESERVED_METHODS {
            fns.reserve(name);
        }
        let methods = chain
            .iter()
            .map(|(owner, method)| method_plan(cx, owner, method, &mut fns, &mut variants))
            .collect::<Result<Vec<_>, Error>>()?;
        let own_from = chain
            .iter()
            .position(|(owner, _)| owner == path)
            .unwrap_or(chain.len());
        let svc = trait_ident.to_string();
        let svc = svc.trim_start_matches("r#");
        let names = Names {
            request: format_ident!("{svc}Request"),
            response: format_ident!("{svc}Response"),
            server: format_ident!("{svc}Server"),
            client: format_ident!("{svc}Client"),
            builder: format_ident!("{svc}ClientBuilder"),
            handler_error: format_ident!("{svc}HandlerError"),
            call_error: format_ident!("{svc}CallError"),
        };
        let plan = ServicePlan {
            idl_name: path.name.clone(),
            trait_ident,
            extends: service.extends.as_ref().and_then(|base| cx.item_path(base)),
            docs: model.item(path).and_then(|i| i.docs.as_deref()),
            methods,
            own_from,
            oneway_variant: has_oneway.then(|| format_ident!("{ONEWAY_VARIANT}")),
            names,
            keeps_unknown_fields: cx.keeps_unknown_fields(),
        };
        plan.check_collisions(cx)?;
        Ok(plan)
    }

    /// The service's own methods (not inherited).
    pub(super) fn own_methods(&self) -> &[MethodPlan<'a>] {
        &self.methods[self.own_from..]
    }

    /// Whether some own method declares exceptions (and so needs the error
    /// wrappers).
    pub(super) fn needs_error_types(&self) -> bool {
        self.own_methods()
            .iter()
            .any(|m| m.exception_enum.is_some())
    }

    /// Allows the Clippy lints that a method's IDL signature decides, not the
    /// user: many arguments, argument names Clippy calls placeholders
    /// (`foo`), and method names Clippy reads as conversions (`from_*`,
    /// `to_*`, ...) although they take `&self`.
    pub(super) fn lint_allows(m: &MethodPlan<'_>) -> TokenStream {
        let mut lints = Vec::new();
        if m.args.len() >= 7 {
            lints.push(quote!(clippy::too_many_arguments));
        }
        if m.args
            .iter()
            .any(|a| ["foo", "baz", "quux"].contains(&a.ident.to_string().as_str()))
        {
            lints.push(quote!(clippy::disallowed_names));
        }
        let name = m.fn_name.to_string();
        if ["as_", "from_", "into_", "is_", "to_"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            lints.push(quote!(clippy::wrong_self_convention));
        }
        if lints.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[allow(#(#lints),*)])
        }
    }

    /// Whether some method has a reply (so that call options matter).
    pub(super) fn has_replies(&self) -> bool {
        self.methods.iter().any(|m| !m.method.oneway)
    }

    /// The number of variants of the response enum.
    pub(super) fn response_variants(&self) -> usize {
        self.methods.iter().filter(|m| !m.method.oneway).count()
            + usize::from(self.oneway_variant.is_some())
    }

    /// Fails when a generated name is already taken by an item of the module.
    fn check_collisions(&self, cx: &Context<'_>) -> Result<(), Error> {
        let taken = names_in_module(cx);
        let n = &self.names;
        let mut generated = vec![&n.request, &n.response, &n.server, &n.client, &n.builder];
        if self.needs_error_types() {
            generated.extend([&n.handler_error, &n.call_error]);
        }
        generated.extend(
            self.own_methods()
                .iter()
                .filter_map(|m| m.exception_enum.as_ref().map(|e| &e.ident)),
        );
        for ident in generated {
            let name = ident.to_string();
            if taken.contains(&name) {
                return Err(Error::new(format!(
                    "`{name}`, generated for service `{}`, is also the name of an item of its module; rename one of them (`pilota.name`)",
                    self.idl_name
                )));
            }
        }
        Ok(())
    }
}

/// The methods of `path` and of the services it extends, base first, each
/// with the path of its declaring service.
fn chain<'a>(
    cx: &Context<'a>,
    path: &ModelPath,
    service: &'a Service,
) -> Result<Vec<(ModelPath, &'a Method)>, Error> {
    let mut services = vec![(path.clone(), service)];
    let mut seen = HashSet::from([path.clone()]);
    let mut next = service.extends.clone();
    while let Some(base) = next {
        if !seen.insert(base.clone()) {
            return Err(Error::new(format!(
                "service `{path}` extends itself through `{base}`"
            )));
        }
        let Some(ItemKind::Service(base_service)) = cx.model().item(&base).map(|i| &i.kind) else {
            return Err(Error::new(format!(
                "`{path}` extends `{base}`, which is not a service"
            )));
        };
        next = base_service.extends.clone();
        services.push((base, base_service));
    }
    Ok(services
        .into_iter()
        .rev()
        .flat_map(|(p, s)| s.methods.iter().map(move |m| (p.clone(), m)))
        .collect())
}

fn method_plan<'a>(
    cx: &Context<'_>,
    owner: &ModelPath,
    method: &'a Method,
    fns: &mut Scope,
    variants: &mut Scope,
) -> Result<MethodPlan<'a>, Error> {
    let missing = || {
        Error::new(format!(
            "no generated types for method `{}` of `{owner}`",
            method.name
        ))
    };
    let types = cx.method_types(owner, &method.name).ok_or_else(missing)?;
    let owner_ident = cx.item_ident(owner).ok_or_else(missing)?;
    let owner_prefix = module_prefix(cx.item_path(owner).ok_or_else(missing)?);
    let owner_name = owner_ident.to_string();
    let owner_name = owner_name.trim_start_matches("r#");
    let camel = pnames::upper_camel(&method.name);

    let args = method
        .args
        .iter()
        .zip(types.arg_fields)
        .map(|(f, ident)| arg_plan(cx, f, ident))
        .collect::<Result<Vec<_>, Error>>()?;
    let ret = match &method.result {
        Some(ty) => cx.rust_type(ty).map_err(|e| e.at(method.loc.clone()))?,
        None => quote!(()),
    };
    let exceptions = method
        .throws
        .iter()
        .zip(types.exceptions)
        .map(|(f, ident)| Ok((ident, exception_type(cx, f)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let exception_enum = (!exceptions.is_empty()).then(|| {
        let ident = format_ident!("{owner_name}{camel}Exception");
        ExceptionEnum {
            path: quote!(#owner_prefix #ident),
            ident,
        }
    });
    let handler_error = format_ident!("{owner_name}HandlerError");
    let call_error = format_ident!("{owner_name}CallError");
    Ok(MethodPlan {
        method,
        name: &method.name,
        fn_name: pnames::ident(&fns.alloc(pnames::snake(&method.name))),
        variant: pnames::ident(&variants.alloc(camel)),
        args_ty: types.args,
        result_ty: types.result,
        args,
        ret,
        exceptions,
        exception_enum,
        owner_trait: quote!(#owner_prefix #owner_ident),
        handler_error: quote!(#owner_prefix #handler_error),
        call_error: quote!(#owner_prefix #call_error),
    })
}

/// An argument: its type as pilota-build declares it in the arguments
/// struct, without the `Option` of default requiredness.
fn arg_plan(cx: &Context<'_>, field: &Field, ident: Ident) -> Result<ArgPlan, Error> {
    let model = cx.model();
    let resolved = model.resolve_alias(&field.ty);
    let base = match field.attrs.get("pilota.rust_type") {
        Some("string") if *resolved == Ty::String => quote!(::std::string::String),
        Some("btree") if matches!(resolved, Ty::Set(_) | Ty::Map(..)) => {
            return Err(Error::new(format!(
                "argument `{}`: `pilota.rust_type = \"btree\"` is not supported on method arguments",
                field.name
            ))
            .at(field.loc.clone()));
        }
        _ => cx
            .rust_type(&field.ty)
            .map_err(|e| e.at(field.loc.clone()))?,
    };
    let base = if field.attrs.get("pilota.rust_wrapper_arc") == Some("true") {
        quote!(::std::sync::Arc<#base>)
    } else {
        base
    };
    let scalar = match resolved {
        Ty::Bool | Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => true,
        Ty::Path(p) => matches!(model.item(p).map(|i| &i.kind), Some(ItemKind::Enum(_))),
        _ => false,
    };
    let defaulted =
        field.requiredness == Requiredness::Default && field.default.is_none() && !scalar;
    let ty = if field.requiredness == Requiredness::Optional {
        quote!(::std::option::Option<#base>)
    } else {
        base
    };
    Ok(ArgPlan {
        ident,
        ty,
        defaulted,
    })
}

/// The type of a declared exception in the result enum.
fn exception_type(cx: &Context<'_>, field: &Field) -> Result<TokenStream, Error> {
    let ty = cx
        .rust_type(&field.ty)
        .map_err(|e| e.at(field.loc.clone()))?;
    Ok(
        if field.attrs.get("pilota.rust_wrapper_arc") == Some("true") {
            quote!(::std::sync::Arc<#ty>)
        } else {
            ty
        },
    )
}

/// `super::base::` from a path to an item (`super::base::Base`): everything
/// but the last identifier.
fn module_prefix(item_path: TokenStream) -> TokenStream {
    let mut tokens: Vec<TokenTree> = item_path.into_iter().collect();
    tokens.pop();
    tokens.into_iter().collect()
}

/// The Rust names of the items (and generated method types) of the module
/// being generated.
fn names_in_module(cx: &Context<'_>) -> HashSet<String> {
    let local = |tokens: TokenStream| -> Option<String> {
        let mut iter = tokens.into_iter();
        match (iter.next(), iter.next()) {
            (Some(TokenTree::Ident(ident)), None) => Some(ident.to_string()),
            _ => None,
        }
    };
    let mut out = HashSet::new();
    for file in cx.model().files() {
        for item in &file.items {
            let path = ModelPath::new(file.module.clone(), &item.name);
            if let Some(name) = cx.item_path(&path).and_then(local) {
                out.insert(name);
            }
            if let ItemKind::Service(service) = &item.kind {
                for method in &service.methods {
                    if let Some(types) = cx.method_types(&path, &method.name) {
                        out.extend(local(types.args));
                        out.extend(types.result.and_then(local));
                    }
                }
            }
        }
    }
    out
}
