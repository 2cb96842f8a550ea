//! Services: argument and result wrappers per method, and the hook where an RPC
//! framework adds its own code.

use proc_macro2::TokenStream;

use super::message::StructSpec;
use super::union::{UnionKind, UnionSpec};
use super::{Context, Error, names};
use crate::model::{Attributes, Field, Item, ItemKind, Message, ModelPath, Requiredness, Service};

/// Generates the RPC glue of a service: traits, clients, servers.
///
/// The backend runs after the argument and result types of every method exist; what it
/// returns is placed in the service's module, right after them. Find those types with
/// [`Context::method_types`] and other types with [`Context::rust_type`] and
/// [`Context::item_path`]. Inherited methods (`extends`) are not repeated in `service`:
/// follow [`Service::extends`] through [`Context::model`].
///
/// ```
/// use pilota_build::codegen::{Context, Error, ServiceBackend};
/// use pilota_build::model::{ModelPath, Service};
/// use proc_macro2::TokenStream;
/// use quote::{format_ident, quote};
///
/// /// Emits a constant listing the method names of each service.
/// #[derive(Debug)]
/// struct MethodNames;
///
/// impl ServiceBackend for MethodNames {
///     fn codegen_service(
///         &self,
///         cx: &Context<'_>,
///         path: &ModelPath,
///         service: &Service,
///     ) -> Result<TokenStream, Error> {
///         let name = format_ident!("{}_METHODS", path.name.to_uppercase());
///         let methods = service.methods.iter().map(|m| m.name.as_str());
///         Ok(quote!(pub const #name: &[&str] = &[#(#methods),*];))
///     }
/// }
/// ```
pub trait ServiceBackend {
    /// The code for one service, placed in the service's module.
    fn codegen_service(
        &self,
        cx: &Context<'_>,
        path: &ModelPath,
        service: &Service,
    ) -> Result<TokenStream, Error>;
}

/// The generated types of one method, as paths relative to the module being generated.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MethodTypes {
    /// The arguments struct (`{Service}{Method}Args`).
    pub args: TokenStream,
    /// The Rust names of the arguments struct's fields, in the order of
    /// [`Method::args`](crate::model::Method::args).
    pub arg_fields: Vec<proc_macro2::Ident>,
    /// The result enum (`{Service}{Method}Result`); `None` for a `oneway` method. Its
    /// success variant is `Ok`.
    pub result: Option<TokenStream>,
    /// The result enum's exception variants, in the order of
    /// [`Method::throws`](crate::model::Method::throws).
    pub exceptions: Vec<proc_macro2::Ident>,
}

impl Context<'_> {
    /// The wrappers of every method, then the service backend's code.
    pub(crate) fn gen_service(
        &self,
        path: &ModelPath,
        item: &Item,
        service: &Service,
    ) -> Result<TokenStream, Vec<Error>> {
        let mut out = TokenStream::new();
        let mut errors = Vec::new();
        for method in &service.methods {
            let Some(method_names) = self
                .analysis
                .methods
                .get(&(path.clone(), method.name.clone()))
            else {
                continue;
            };
            let args_item = Item {
                name: format!("{}_args", method.name),
                docs: Some(format!("The arguments of `{}.{}`.", item.name, method.name)),
                attrs: Attributes::default(),
                loc: method.loc.clone(),
                kind: ItemKind::Message(Message {
                    fields: method.args.clone(),
                }),
            };
            let generated = self
                .plan_fields(None, &method.args, &method_names.args_fields)
                .and_then(|fields| {
                    let caps = self.caps_of(
                        fields.iter().map(|f| f.ty.clone()),
                        self.keeps_unknown_fields(),
                    );
                    self.gen_struct(&StructSpec {
                        item: &args_item,
                        ident: names::ident(&method_names.args),
                        fields,
                        caps,
                    })
                });
            match generated {
                Ok(tokens) => out.extend(tokens),
                Err(mut e) => errors.append(&mut e),
            }

            let Some(result_name) = &method_names.result else {
                continue;
            };
            let mut fields = Vec::new();
            let mut variant_names = Vec::new();
            if let Some(ty) = &method.result {
                fields.push(Field {
                    id: 0,
                    name: "success".into(),
                    ty: ty.clone(),
                    requiredness: Requiredness::Default,
                    default: None,
                    attrs: Attributes::default(),
                    docs: Some("The method returned normally.".into()),
                    loc: method.loc.clone(),
                });
                variant_names.push("Ok".to_string());
            }
            fields.extend(method.throws.iter().cloned());
            variant_names.extend(method_names.result_variants.iter().cloned());
            let result_item = Item {
                name: format!("{}_result", method.name),
                docs: Some(format!("The result of `{}.{}`.", item.name, method.name)),
                attrs: Attributes::default(),
                loc: method.loc.clone(),
                kind: ItemKind::Union(Message { fields }),
            };
            let ItemKind::Union(result_message) = &result_item.kind else {
                continue;
            };
            let kind = if method.result.is_some() {
                UnionKind::Result
            } else {
                UnionKind::VoidResult(names::ident("Ok"))
            };
            let generated = self
                .plan_fields(None, &result_message.fields, &variant_names)
                .and_then(|variants| {
                    let caps = self.caps_of(variants.iter().map(|f| f.ty.clone()), false);
                    self.gen_union(&UnionSpec {
                        item: &result_item,
                        ident: names::ident(result_name),
                        variants,
                        caps,
                        kind,
                    })
                });
            match generated {
                Ok(tokens) => out.extend(tokens),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if let Some(backend) = &self.backend.service_backend {
            match backend.codegen_service(self, path, service) {
                Ok(tokens) => out.extend(tokens),
                Err(e) => errors.push(e.at(item.loc.clone())),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}
