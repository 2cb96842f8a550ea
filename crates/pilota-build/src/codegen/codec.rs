//! The encode, decode and size code of one value, for every resolved type.
//!
//! Generated methods name their protocol `p`. Loop variables carry the nesting depth
//! (`item_0`, `key_1`, ...) so nested containers never shadow each other.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Context;
use super::ty::{Coll, RTy};

/// How generated code can reach a value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    /// A place expression of the value's type (`self.name`).
    Place(TokenStream),
    /// An expression of type `&T` (a loop or match binding).
    Ref(TokenStream),
}

impl Val {
    /// The value itself, for `Copy` types.
    fn copied(&self) -> TokenStream {
        match self {
            Val::Place(e) => e.clone(),
            Val::Ref(e) => quote!(*#e),
        }
    }

    /// A reference to the value.
    fn by_ref(&self) -> TokenStream {
        match self {
            Val::Place(e) => quote!(&#e),
            Val::Ref(e) => e.clone(),
        }
    }

    /// An expression usable as a method receiver or with `.0` (auto-deref applies).
    fn receiver(&self) -> TokenStream {
        match self {
            Val::Place(e) | Val::Ref(e) => e.clone(),
        }
    }
}

/// A `DecodeError` for a container whose element types are not the declared ones.
fn mismatch(what: &str) -> TokenStream {
    let message = format!("{what} element type does not match the IDL");
    quote! {
        return ::std::result::Result::Err(
            ::pilota::thrift::DecodeError::invalid_data(#message),
        )
    }
}

impl Context<'_> {
    /// Statements writing `v` with protocol `p`.
    pub(crate) fn encode_value(&self, ty: &RTy, v: &Val, depth: usize) -> TokenStream {
        let item = format_ident!("item_{depth}");
        let key = format_ident!("key_{depth}");
        let value = format_ident!("value_{depth}");
        match ty {
            RTy::Bool => scalar_write(quote!(write_bool), v.copied()),
            RTy::I8 => scalar_write(quote!(write_i8), v.copied()),
            RTy::I16 => scalar_write(quote!(write_i16), v.copied()),
            RTy::I32 => scalar_write(quote!(write_i32), v.copied()),
            RTy::I64 => scalar_write(quote!(write_i64), v.copied()),
            RTy::F64 => scalar_write(quote!(write_double), v.copied()),
            RTy::Uuid => scalar_write(quote!(write_uuid), v.copied()),
            RTy::OrderedF64 | RTy::Enum(_) => {
                let r = v.receiver();
                let method = if matches!(ty, RTy::Enum(_)) {
                    quote!(write_i32)
                } else {
                    quote!(write_double)
                };
                scalar_write(method, quote!(#r.0))
            }
            RTy::FastStr => {
                let r = v.by_ref();
                quote!(p.write_faststr(#r)?;)
            }
            RTy::Bytes => {
                let r = v.by_ref();
                quote!(p.write_bytes(#r)?;)
            }
            RTy::String => {
                let r = v.by_ref();
                quote!(p.write_string(#r)?;)
            }
            RTy::List(elem) | RTy::Set(_, elem) => {
                let (begin, end) = if matches!(ty, RTy::List(_)) {
                    (quote!(write_list_begin), quote!(write_list_end))
                } else {
                    (quote!(write_set_begin), quote!(write_set_end))
                };
                let r = v.receiver();
                let ett = elem.ttype();
                let body = self.encode_value(elem, &Val::Ref(quote!(#item)), depth + 1);
                quote! {
                    p.#begin(#ett, #r.len())?;
                    for #item in #r.iter() {
                        #body
                    }
                    p.#end()?;
                }
            }
            RTy::Map(_, k, val) => {
                let r = v.receiver();
                let (ktt, vtt) = (k.ttype(), val.ttype());
                let kbody = self.encode_value(k, &Val::Ref(quote!(#key)), depth + 1);
                let vbody = self.encode_value(val, &Val::Ref(quote!(#value)), depth + 1);
                quote! {
                    p.write_map_begin(#ktt, #vtt, #r.len())?;
                    for (#key, #value) in #r.iter() {
                        #kbody
                        #vbody
                    }
                    p.write_map_end()?;
                }
            }
            RTy::Message(_) => {
                let r = v.by_ref();
                quote!(::pilota::thrift::Message::encode(#r, p)?;)
            }
        }
    }

    /// An expression reading a value with protocol `p` (inside a function returning
    /// `Result<_, DecodeError>`).
    pub(crate) fn decode_value(&self, ty: &RTy, depth: usize) -> TokenStream {
        let len = format_ident!("len_{depth}");
        let out = format_ident!("out_{depth}");
        match ty {
            RTy::Bool => quote!(p.read_bool()?),
            RTy::I8 => quote!(p.read_i8()?),
            RTy::I16 => quote!(p.read_i16()?),
            RTy::I32 => quote!(p.read_i32()?),
            RTy::I64 => quote!(p.read_i64()?),
            RTy::F64 => quote!(p.read_double()?),
            RTy::OrderedF64 => quote!(::pilota::OrderedFloat(p.read_double()?)),
            RTy::FastStr => quote!(p.read_string()?),
            RTy::String => quote!(::std::string::String::from(p.read_string()?)),
            RTy::Bytes => quote!(p.read_binary()?),
            RTy::Uuid => quote!(p.read_uuid()?),
            RTy::Enum(path) => {
                let path = self.path_to(path);
                quote!(#path(p.read_i32()?))
            }
            RTy::Message(path) => {
                let path = self.path_to(path);
                quote!(<#path as ::pilota::thrift::Message>::decode(p)?)
            }
            RTy::List(elem) | RTy::Set(_, elem) => {
                let elem_tt = format_ident!("elem_{depth}");
                let ett = elem.ttype();
                let read = self.decode_value(elem, depth + 1);
                let (begin, end, what) = if matches!(ty, RTy::List(_)) {
                    (quote!(read_list_begin), quote!(read_list_end), "list")
                } else {
                    (quote!(read_set_begin), quote!(read_set_end), "set")
                };
                let fail = mismatch(what);
                let (init, add) = match ty {
                    RTy::Set(Coll::Hash, _) => (
                        quote!(::std::collections::HashSet::with_capacity(#len)),
                        quote!(#out.insert(#read);),
                    ),
                    RTy::Set(Coll::BTree, _) => (
                        quote!(::std::collections::BTreeSet::new()),
                        quote!(#out.insert(#read);),
                    ),
                    _ => (
                        quote!(::std::vec::Vec::with_capacity(#len)),
                        quote!(#out.push(#read);),
                    ),
                };
                quote! {{
                    let (#elem_tt, #len) = p.#begin()?;
                    if #len != 0 && #elem_tt != #ett {
                        #fail;
                    }
                    let mut #out = #init;
                    for _ in 0..#len {
                        #add
                    }
                    p.#end()?;
                    #out
                }}
            }
            RTy::Map(coll, k, v) => {
                let key_tt = format_ident!("key_type_{depth}");
                let value_tt = format_ident!("value_type_{depth}");
                let (ktt, vtt) = (k.ttype(), v.ttype());
                let read_k = self.decode_value(k, depth + 1);
                let read_v = self.decode_value(v, depth + 1);
                let fail = mismatch("map");
                let (init, add) = match coll {
                    Coll::Hash => (
                        quote!(::std::collections::HashMap::with_capacity(#len)),
                        quote!(#out.insert(#read_k, #read_v);),
                    ),
                    Coll::BTree => (
                        quote!(::std::collections::BTreeMap::new()),
                        quote!(#out.insert(#read_k, #read_v);),
                    ),
                    Coll::Vec => (
                        quote!(::std::vec::Vec::with_capacity(#len)),
                        quote!(#out.push((#read_k, #read_v));),
                    ),
                };
                quote! {{
                    let (#key_tt, #value_tt, #len) = p.read_map_begin()?;
                    if #len != 0 && (#key_tt != #ktt || #value_tt != #vtt) {
                        #fail;
                    }
                    let mut #out = #init;
                    for _ in 0..#len {
                        #add
                    }
                    p.read_map_end()?;
                    #out
                }}
            }
        }
    }

    /// An expression computing the encoded size of `v` with length protocol `p`.
    pub(crate) fn size_value(&self, ty: &RTy, v: &Val, depth: usize) -> TokenStream {
        let item = format_ident!("item_{depth}");
        let key = format_ident!("key_{depth}");
        let value = format_ident!("value_{depth}");
        let size = format_ident!("size_{depth}");
        match ty {
            RTy::Bool => scalar_len(quote!(bool_len), v.copied()),
            RTy::I8 => scalar_len(quote!(i8_len), v.copied()),
            RTy::I16 => scalar_len(quote!(i16_len), v.copied()),
            RTy::I32 => scalar_len(quote!(i32_len), v.copied()),
            RTy::I64 => scalar_len(quote!(i64_len), v.copied()),
            RTy::F64 => scalar_len(quote!(double_len), v.copied()),
            RTy::Uuid => scalar_len(quote!(uuid_len), v.copied()),
            RTy::OrderedF64 => {
                let r = v.receiver();
                scalar_len(quote!(double_len), quote!(#r.0))
            }
            RTy::Enum(_) => {
                let r = v.receiver();
                scalar_len(quote!(i32_len), quote!(#r.0))
            }
            RTy::FastStr => scalar_len(quote!(faststr_len), v.by_ref()),
            RTy::String => scalar_len(quote!(string_len), v.by_ref()),
            RTy::Bytes => scalar_len(quote!(bytes_len), v.by_ref()),
            RTy::List(elem) | RTy::Set(_, elem) => {
                let (begin, end) = if matches!(ty, RTy::List(_)) {
                    (quote!(list_begin_len), quote!(list_end_len))
                } else {
                    (quote!(set_begin_len), quote!(set_end_len))
                };
                let r = v.receiver();
                let ett = elem.ttype();
                let body = self.size_value(elem, &Val::Ref(quote!(#item)), depth + 1);
                quote! {{
                    let mut #size = p.#begin(#ett, #r.len());
                    for #item in #r.iter() {
                        #size += #body;
                    }
                    #size + p.#end()
                }}
            }
            RTy::Map(_, k, val) => {
                let r = v.receiver();
                let (ktt, vtt) = (k.ttype(), val.ttype());
                let kbody = self.size_value(k, &Val::Ref(quote!(#key)), depth + 1);
                let vbody = self.size_value(val, &Val::Ref(quote!(#value)), depth + 1);
                quote! {{
                    let mut #size = p.map_begin_len(#ktt, #vtt, #r.len());
                    for (#key, #value) in #r.iter() {
                        #size += #kbody;
                        #size += #vbody;
                    }
                    #size + p.map_end_len()
                }}
            }
            RTy::Message(_) => {
                let r = v.by_ref();
                quote!(::pilota::thrift::Message::size(#r, p))
            }
        }
    }
}

fn scalar_write(method: TokenStream, arg: TokenStream) -> TokenStream {
    quote!(p.#method(#arg)?;)
}

fn scalar_len(method: TokenStream, arg: TokenStream) -> TokenStream {
    quote!(p.#method(#arg))
}
