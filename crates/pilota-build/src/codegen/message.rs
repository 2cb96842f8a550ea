//! Structs and exceptions: the type, its `Default`, and its `Message` impl.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::analysis::{UNKNOWN_FIELDS, is_arc};
use super::codec::Val;
use super::ty::{Caps, RTy, TyOpts};
use super::{Context, Error, id_pattern, int_lit, names};
use crate::model::{Field, Item, ModelPath, Requiredness};

/// How a field's value is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrapper {
    None,
    /// `Box<T>`: the message contains itself by value through this field.
    Box,
    /// `Arc<T>`: `pilota.rust_wrapper_arc = "true"`.
    Arc,
}

/// Everything the generator decided about one field.
#[derive(Debug)]
pub(crate) struct FieldPlan<'f> {
    pub(crate) field: &'f Field,
    pub(crate) ident: Ident,
    pub(crate) id: i16,
    pub(crate) ty: RTy,
    pub(crate) wrapper: Wrapper,
    /// Held as `Option<T>` (in a struct).
    pub(crate) optional: bool,
}

impl FieldPlan<'_> {
    /// The local that collects the field while decoding.
    pub(crate) fn local(&self) -> Ident {
        let n = u64::from(self.id.unsigned_abs());
        if self.id < 0 {
            format_ident!("field_m{}", n)
        } else {
            format_ident!("field_{}", n)
        }
    }

    /// The field's IDL name.
    pub(crate) fn idl_name(&self) -> &str {
        &self.field.name
    }
}

/// A struct-like type to generate: an IDL struct or exception, or method arguments.
pub(crate) struct StructSpec<'a, 'f> {
    pub(crate) item: &'a Item,
    pub(crate) ident: Ident,
    pub(crate) fields: Vec<FieldPlan<'f>>,
    pub(crate) caps: Caps,
}

impl Context<'_> {
    /// Decides types, wrappers and ids for `fields` of `owner` (`None` for generated
    /// wrappers, which are never recursive). `names` are the Rust names.
    pub(crate) fn plan_fields<'f>(
        &self,
        owner: Option<&ModelPath>,
        fields: &'f [Field],
        names: &[String],
    ) -> Result<Vec<FieldPlan<'f>>, Vec<Error>> {
        let mut errors = Vec::new();
        let mut plans = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (index, (field, name)) in fields.iter().zip(names).enumerate() {
            let Ok(id) = i16::try_from(field.id) else {
                errors.push(
                    Error::new(format!(
                        "field id {} of `{}` does not fit in i16",
                        field.id, field.name
                    ))
                    .at(field.loc.clone()),
                );
                continue;
            };
            if !seen.insert(id) {
                errors.push(
                    Error::new(format!("duplicate field id {id} (`{}`)", field.name))
                        .at(field.loc.clone()),
                );
                continue;
            }
            let ty = match self
                .resolver()
                .resolve(&field.ty, TyOpts::from_attrs(&field.attrs))
            {
                Ok(ty) => ty,
                Err(e) => {
                    errors.push(e.at(field.loc.clone()));
                    continue;
                }
            };
            let wrapper = if is_arc(&field.attrs) {
                Wrapper::Arc
            } else if owner.is_some_and(|o| self.analysis.boxed.contains(&(o.clone(), index))) {
                Wrapper::Box
            } else {
                Wrapper::None
            };
            let optional = match field.requiredness {
                Requiredness::Required => false,
                Requiredness::Optional => true,
                Requiredness::Default => field.default.is_none() && !ty.is_scalar(),
            };
            plans.push(FieldPlan {
                field,
                ident: names::ident(name),
                id,
                ty,
                wrapper,
                optional,
            });
        }
        if errors.is_empty() {
            Ok(plans)
        } else {
            Err(errors)
        }
    }

    /// The type of a field's value, wrapper included, `Option` excluded.
    pub(crate) fn inner_type(&self, plan: &FieldPlan<'_>) -> TokenStream {
        let base = self.rty_tokens(&plan.ty);
        match plan.wrapper {
            Wrapper::None => base,
            Wrapper::Box => quote!(::std::boxed::Box<#base>),
            Wrapper::Arc => quote!(::std::sync::Arc<#base>),
        }
    }

    /// Wraps a value expression of the field's base type in its wrapper.
    pub(crate) fn wrap(&self, plan: &FieldPlan<'_>, expr: TokenStream) -> TokenStream {
        match plan.wrapper {
            Wrapper::None => expr,
            Wrapper::Box => quote!(::std::boxed::Box::new(#expr)),
            Wrapper::Arc => quote!(::std::sync::Arc::new(#expr)),
        }
    }

    /// The code writing a field's header and value, given how its value is reached.
    /// A wrapped value is first coerced to `&T` (`let inner: &T = ...`).
    pub(crate) fn encode_field(&self, plan: &FieldPlan<'_>, value: Val) -> TokenStream {
        let (value, bind) = self.unwrap_value(plan, value);
        let tt = plan.ty.ttype();
        let id = int_lit(plan.id.into());
        let body = self.encode_value(&plan.ty, &value, 0);
        quote! {
            #bind
            p.write_field_begin(#tt, #id)?;
            #body
            p.write_field_end()?;
        }
    }

    /// The size of a field's header and value (an expression, after `bind` statements).
    pub(crate) fn size_field(
        &self,
        plan: &FieldPlan<'_>,
        value: Val,
    ) -> (TokenStream, TokenStream) {
        let (value, bind) = self.unwrap_value(plan, value);
        let tt = plan.ty.ttype();
        let id = int_lit(plan.id.into());
        let body = self.size_value(&plan.ty, &value, 0);
        (
            bind,
            quote!(p.field_begin_len(#tt, #id) + #body + p.field_end_len()),
        )
    }

    fn unwrap_value(&self, plan: &FieldPlan<'_>, value: Val) -> (Val, TokenStream) {
        if plan.wrapper == Wrapper::None {
            return (value, TokenStream::new());
        }
        let base = self.rty_tokens(&plan.ty);
        let expr = match value {
            Val::Place(e) => quote!(&#e),
            Val::Ref(e) => e,
        };
        (Val::Ref(quote!(inner)), quote!(let inner: &#base = #expr;))
    }

    /// The derive list for a type with `caps`, plus `Default` when asked.
    pub(crate) fn derives(caps: Caps, default: bool) -> TokenStream {
        let eq = caps.eq.then(|| quote!(Eq,));
        let hash = caps.hash.then(|| quote!(Hash,));
        let default = default.then(|| quote!(Default,));
        quote!(#[derive(Debug, Clone, PartialEq, #eq #hash #default)])
    }

    /// Attributes the plugins add to an item.
    pub(crate) fn item_attrs(&self, item: &Item) -> Vec<TokenStream> {
        let mut attrs = Vec::new();
        for plugin in &self.backend.plugins {
            plugin.on_item(self, item, &mut attrs);
        }
        attrs
    }

    /// Attributes the plugins add to a field (or union variant).
    pub(crate) fn field_attrs(&self, item: &Item, field: &Field) -> Vec<TokenStream> {
        let mut attrs = Vec::new();
        for plugin in &self.backend.plugins {
            plugin.on_field(self, item, field, &mut attrs);
        }
        attrs
    }

    /// Attributes the plugins add to the unknown-fields field or variant.
    pub(crate) fn unknown_fields_attrs(&self, item: &Item) -> Vec<TokenStream> {
        let mut attrs = Vec::new();
        for plugin in &self.backend.plugins {
            plugin.on_unknown_fields(self, item, &mut attrs);
        }
        attrs
    }

    /// A struct, exception or arguments struct with its impls.
    pub(crate) fn gen_struct(&self, spec: &StructSpec<'_, '_>) -> Result<TokenStream, Vec<Error>> {
        let ident = &spec.ident;
        let item = spec.item;
        let keep_unknown = self.keeps_unknown_fields();
        let unknown_ident = format_ident!("{}", UNKNOWN_FIELDS);
        let mut errors = Vec::new();

        let mut defs = Vec::new();
        let mut default_inits = Vec::new();
        let mut custom_default = false;
        for plan in &spec.fields {
            let docs = Self::docs(plan.field.docs.as_deref());
            let attrs = self.field_attrs(item, plan.field);
            let name = &plan.ident;
            let inner = self.inner_type(plan);
            let ty = if plan.optional {
                quote!(::std::option::Option<#inner>)
            } else {
                inner
            };
            defs.push(quote! { #docs #(#attrs)* pub #name: #ty, });
            let init = match &plan.field.default {
                Some(value) => {
                    custom_default = true;
                    match self.value_expr(value, &plan.ty) {
                        Ok(expr) => {
                            let expr = self.wrap(plan, expr);
                            if plan.optional {
                                quote!(::std::option::Option::Some(#expr))
                            } else {
                                expr
                            }
                        }
                        Err(e) => {
                            errors.push(e.at(plan.field.loc.clone()));
                            continue;
                        }
                    }
                }
                None => quote!(::std::default::Default::default()),
            };
            default_inits.push(quote!(#name: #init,));
        }
        if keep_unknown {
            let attrs = self.unknown_fields_attrs(item);
            defs.push(quote! {
                #(#attrs)*
                pub #unknown_ident: ::pilota::thrift::UnknownFields,
            });
            default_inits.push(quote!(#unknown_ident: ::pilota::thrift::UnknownFields::new(),));
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let docs = Self::docs(item.docs.as_deref());
        let derives = Self::derives(spec.caps, !custom_default);
        let attrs = self.item_attrs(item);
        let default_impl = custom_default.then(|| {
            quote! {
                impl ::std::default::Default for #ident {
                    fn default() -> Self {
                        #ident { #(#default_inits)* }
                    }
                }
            }
        });
        let message_impl = self.struct_message_impl(spec)?;
        Ok(quote! {
            #docs
            #derives
            #(#attrs)*
            pub struct #ident {
                #(#defs)*
            }
            #default_impl
            #message_impl
        })
    }

    fn struct_message_impl(&self, spec: &StructSpec<'_, '_>) -> Result<TokenStream, Vec<Error>> {
        let ident = &spec.ident;
        let wire_name = spec.item.name.as_str();
        let keep_unknown = self.keeps_unknown_fields();
        let unknown_ident = format_ident!("{}", UNKNOWN_FIELDS);
        let mut errors = Vec::new();

        let mut encode = Vec::new();
        let mut size = Vec::new();
        let mut locals = Vec::new();
        let mut arms = Vec::new();
        let mut builds = Vec::new();
        for plan in &spec.fields {
            let name = &plan.ident;
            if plan.optional {
                let body = self.encode_field(plan, Val::Ref(quote!(value)));
                encode.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        #body
                    }
                });
                let (bind, len) = self.size_field(plan, Val::Ref(quote!(value)));
                size.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        #bind
                        size += #len;
                    }
                });
            } else {
                let body = self.encode_field(plan, Val::Place(quote!(self.#name)));
                encode.push(if plan.wrapper == Wrapper::None {
                    body
                } else {
                    quote!({ #body })
                });
                let (bind, len) = self.size_field(plan, Val::Place(quote!(self.#name)));
                size.push(if bind.is_empty() {
                    quote!(size += #len;)
                } else {
                    quote!({ #bind size += #len; })
                });
            }

            let local = plan.local();
            let tt = plan.ty.ttype();
            let id = int_lit(plan.id.into());
            let read = self.wrap(plan, self.decode_value(&plan.ty, 0));
            // A field that is `T` with an IDL default starts from the default and is
            // overwritten when present; every other field collects into an `Option`.
            let starts_from_default = !plan.optional
                && plan.field.requiredness != Requiredness::Required
                && plan.field.default.is_some();
            if let (true, Some(value)) = (starts_from_default, &plan.field.default) {
                match self.value_expr(value, &plan.ty) {
                    Ok(expr) => {
                        let expr = self.wrap(plan, expr);
                        locals.push(quote!(let mut #local = #expr;));
                    }
                    Err(e) => {
                        errors.push(e.at(plan.field.loc.clone()));
                        continue;
                    }
                }
                arms.push(quote!((#tt, #id) => #local = #read,));
            } else {
                locals.push(quote!(let mut #local = ::std::option::Option::None;));
                arms.push(quote! {
                    (#tt, #id) => #local = ::std::option::Option::Some(#read),
                });
            }
            let build = if plan.optional || starts_from_default {
                quote!(#local)
            } else if plan.field.requiredness == Requiredness::Required {
                let field = plan.idl_name();
                quote! {
                    #local.ok_or_else(|| ::pilota::thrift::DecodeError::missing_field(#wire_name, #field))?
                }
            } else {
                quote!(#local.unwrap_or_default())
            };
            builds.push(quote!(#name: #build,));
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let ids: Vec<i16> = spec.fields.iter().map(|f| f.id).collect();
        let mismatched = (!ids.is_empty()).then(|| {
            let pattern = id_pattern(&ids);
            quote!((_, #pattern) => p.skip(ttype)?,)
        });
        let (unknown_local, unknown_arm, unknown_write, unknown_size, unknown_build) =
            if keep_unknown {
                (
                    quote!(let mut unknown_fields = ::pilota::thrift::UnknownFields::new();),
                    quote!(_ => p.read_unknown_field(ttype, id, &mut unknown_fields)?,),
                    quote!(p.write_unknown_fields(&self.#unknown_ident)?;),
                    quote!(size += p.unknown_fields_len(&self.#unknown_ident);),
                    quote!(#unknown_ident: unknown_fields,),
                )
            } else {
                (
                    TokenStream::new(),
                    quote!(_ => p.skip(ttype)?,),
                    TokenStream::new(),
                    TokenStream::new(),
                    TokenStream::new(),
                )
            };
        let size_body = if size.is_empty() && !keep_unknown {
            quote!(p.struct_begin_len(#wire_name) + p.field_stop_len() + p.struct_end_len())
        } else {
            quote! {
                let mut size = p.struct_begin_len(#wire_name);
                #(#size)*
                #unknown_size
                size + p.field_stop_len() + p.struct_end_len()
            }
        };
        Ok(quote! {
            impl ::pilota::thrift::Message for #ident {
                fn encode<P: ::pilota::thrift::TOutputProtocol>(
                    &self,
                    p: &mut P,
                ) -> ::std::result::Result<(), ::pilota::thrift::EncodeError> {
                    p.write_struct_begin(#wire_name)?;
                    #(#encode)*
                    #unknown_write
                    p.write_field_stop()?;
                    p.write_struct_end()
                }

                fn decode<P: ::pilota::thrift::TInputProtocol>(
                    p: &mut P,
                ) -> ::std::result::Result<Self, ::pilota::thrift::DecodeError> {
                    #(#locals)*
                    #unknown_local
                    p.read_struct_begin()?;
                    loop {
                        let (ttype, id) = p.read_field_begin()?;
                        match (ttype, id) {
                            (::pilota::thrift::TType::Stop, _) => break,
                            #(#arms)*
                            #mismatched
                            #unknown_arm
                        }
                        p.read_field_end()?;
                    }
                    p.read_struct_end()?;
                    ::std::result::Result::Ok(#ident {
                        #(#builds)*
                        #unknown_build
                    })
                }

                fn size<P: ::pilota::thrift::TLengthProtocol>(&self, p: &mut P) -> usize {
                    #size_body
                }
            }
        })
    }
}
