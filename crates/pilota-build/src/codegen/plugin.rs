//! Plugins: extra attributes on generated items and fields.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::model::{Field, Item, ItemKind};

/// Adds attributes (derives, `#[serde(...)]`, ...) to generated code.
///
/// Every method has a default that adds nothing. Attributes go after the generated
/// `#[derive(...)]`, in plugin order. Method argument structs and result enums are
/// passed as synthetic items: a [`ItemKind::Message`] named `{method}_args` and a
/// [`ItemKind::Union`] named `{method}_result`.
pub trait Plugin {
    /// Called for every generated struct, exception, union, enum, alias and constant.
    fn on_item(&self, cx: &Context<'_>, item: &Item, attrs: &mut Vec<TokenStream>) {
        let _ = (cx, item, attrs);
    }

    /// Called for every field of a struct or exception and every variant of a union.
    fn on_field(&self, cx: &Context<'_>, item: &Item, field: &Field, attrs: &mut Vec<TokenStream>) {
        let _ = (cx, item, field, attrs);
    }

    /// Called for the `_unknown_fields` field of a struct and the `_UnknownFields`
    /// variant of a union.
    fn on_unknown_fields(&self, cx: &Context<'_>, item: &Item, attrs: &mut Vec<TokenStream>) {
        let _ = (cx, item, attrs);
    }
}

/// Derives `serde::Serialize` and `serde::Deserialize` for structs, exceptions, unions
/// and enums, and skips unknown fields.
///
/// Opt-in: the generated code then needs `serde` (with `derive`) as a dependency of the
/// crate that includes it, and the `serde` features of `faststr` and `bytes` for string
/// and binary fields. Enums serialize as their number.
#[derive(Debug, Clone, Copy, Default)]
pub struct SerdePlugin;

impl Plugin for SerdePlugin {
    fn on_item(&self, _cx: &Context<'_>, item: &Item, attrs: &mut Vec<TokenStream>) {
        if matches!(
            item.kind,
            ItemKind::Message(_) | ItemKind::Exception(_) | ItemKind::Union(_) | ItemKind::Enum(_)
        ) {
            attrs.push(quote!(#[derive(::serde::Serialize, ::serde::Deserialize)]));
        }
    }

    fn on_unknown_fields(&self, _cx: &Context<'_>, _item: &Item, attrs: &mut Vec<TokenStream>) {
        attrs.push(quote!(#[serde(skip)]));
    }
}
