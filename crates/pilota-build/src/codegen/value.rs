//! Constant values as Rust expressions of a resolved type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::analysis::message_fields;
use super::message::FieldPlan;
use super::ty::{Coll, RTy};
use super::{Context, Error, int_lit, names};
use crate::model::{ItemKind, Value};

/// Parses a textual UUID (`01234567-89ab-cdef-0123-456789abcdef`, hyphens optional,
/// optionally in braces) into its 16 bytes.
pub(crate) fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = text
        .trim_start_matches('{')
        .trim_end_matches('}')
        .bytes()
        .filter(|&b| b != b'-')
        .collect();
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (byte, pair) in out.iter_mut().zip(hex.chunks(2)) {
        let digits = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(out)
}

fn f64_expr(v: f64) -> TokenStream {
    if v.is_nan() {
        quote!(f64::NAN)
    } else if v.is_infinite() && v > 0.0 {
        quote!(f64::INFINITY)
    } else if v.is_infinite() {
        quote!(f64::NEG_INFINITY)
    } else {
        let lit = Literal::f64_suffixed(v.abs());
        if v.is_sign_negative() {
            quote!(-#lit)
        } else {
            quote!(#lit)
        }
    }
}

impl Context<'_> {
    /// A Rust expression of type `ty` for `value`.
    pub(crate) fn value_expr(&self, value: &Value, ty: &RTy) -> Result<TokenStream, Error> {
        let mismatch = || Error::new(format!("constant {value:?} does not fit the type"));
        let int = |min: i64, max: i64| match value {
            Value::Int(i) if (min..=max).contains(i) => Ok(int_lit(*i)),
            Value::Bool(b) => Ok(int_lit(i64::from(*b))),
            Value::Int(i) => Err(Error::new(format!("constant {i} is out of range"))),
            _ => Err(mismatch()),
        };
        Ok(match ty {
            RTy::Bool => match value {
                Value::Bool(b) => quote!(#b),
                Value::Int(i) => {
                    let b = *i != 0;
                    quote!(#b)
                }
                _ => return Err(mismatch()),
            },
            RTy::I8 => int(i8::MIN.into(), i8::MAX.into())?,
            RTy::I16 => int(i16::MIN.into(), i16::MAX.into())?,
            RTy::I32 => int(i32::MIN.into(), i32::MAX.into())?,
            RTy::I64 => int(i64::MIN, i64::MAX)?,
            RTy::F64 | RTy::OrderedF64 => {
                let v = match value {
                    Value::Double(d) => *d,
                    // Integer constants are allowed for doubles, as in Apache Thrift.
                    #[allow(clippy::cast_precision_loss)]
                    Value::Int(i) => *i as f64,
                    _ => return Err(mismatch()),
                };
                let expr = f64_expr(v);
                if matches!(ty, RTy::OrderedF64) {
                    quote!(::pilota::OrderedFloat(#expr))
                } else {
                    expr
                }
            }
            RTy::FastStr | RTy::String | RTy::Bytes | RTy::Uuid => {
                let Value::String(s) = value else {
                    return Err(mismatch());
                };
                match ty {
                    RTy::FastStr => quote!(::pilota::FastStr::from_static_str(#s)),
                    RTy::String => quote!(::std::string::String::from(#s)),
                    RTy::Bytes => {
                        let lit = Literal::byte_string(s.as_bytes());
                        quote!(::pilota::Bytes::from_static(#lit))
                    }
                    _ => {
                        let bytes = parse_uuid(s)
                            .ok_or_else(|| Error::new(format!("`{s}` is not a UUID")))?;
                        quote!([#(#bytes),*])
                    }
                }
            }
            RTy::Enum(path) => {
                let enum_path = self.path_to(path);
                match value {
                    Value::EnumVariant { variant, .. } => {
                        let name = self.variant_ident(path, variant).ok_or_else(|| {
                            Error::new(format!("`{variant}` is not a value of `{path}`"))
                        })?;
                        quote!(#enum_path::#name)
                    }
                    Value::Int(i) => {
                        let i = i32::try_from(*i)
                            .map_err(|_| Error::new(format!("constant {i} is out of range")))?;
                        let lit = int_lit(i.into());
                        quote!(#enum_path(#lit))
                    }
                    _ => return Err(mismatch()),
                }
            }
            RTy::List(elem) | RTy::Set(_, elem) => {
                let Value::List(items) = value else {
                    return Err(mismatch());
                };
                let items = items
                    .iter()
                    .map(|v| self.value_expr(v, elem))
                    .collect::<Result<Vec<_>, _>>()?;
                match ty {
                    RTy::Set(Coll::Hash, _) => {
                        quote!(::std::collections::HashSet::from([#(#items),*]))
                    }
                    RTy::Set(Coll::BTree, _) => {
                        quote!(::std::collections::BTreeSet::from([#(#items),*]))
                    }
                    _ if items.is_empty() => quote!(::std::vec::Vec::new()),
                    _ => quote!(::std::vec![#(#items),*]),
                }
            }
            RTy::Map(coll, k, v) => {
                let Value::Map(entries) = value else {
                    return Err(mismatch());
                };
                let entries = entries
                    .iter()
                    .map(|(key, val)| {
                        let key = self.value_expr(key, k)?;
                        let val = self.value_expr(val, v)?;
                        Ok(quote!((#key, #val)))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                match coll {
                    Coll::Hash => quote!(::std::collections::HashMap::from([#(#entries),*])),
                    Coll::BTree => quote!(::std::collections::BTreeMap::from([#(#entries),*])),
                    Coll::Vec if entries.is_empty() => quote!(::std::vec::Vec::new()),
                    Coll::Vec => quote!(::std::vec![#(#entries),*]),
                }
            }
            RTy::Message(path) => self.message_value(value, path)?,
        })
    }

    fn message_value(
        &self,
        value: &Value,
        path: &crate::model::ModelPath,
    ) -> Result<TokenStream, Error> {
        let Value::Message { fields: given, .. } = value else {
            return Err(Error::new(format!(
                "constant {value:?} is not a `{path}` value"
            )));
        };
        let item = self
            .model
            .item(path)
            .ok_or_else(|| Error::new(format!("unknown type `{path}`")))?;
        let fields = message_fields(item).unwrap_or_default();
        let names = self.analysis.fields.get(path).cloned().unwrap_or_default();
        let plans = self
            .plan_fields(Some(path), fields, &names)
            .map_err(|mut e| e.remove(0))?;
        let find = |name: &str| -> Result<&FieldPlan<'_>, Error> {
            plans
                .iter()
                .find(|p| p.idl_name() == name)
                .ok_or_else(|| Error::new(format!("`{path}` has no field `{name}`")))
        };
        let type_path = self.path_to(path);
        if matches!(item.kind, ItemKind::Union(_)) {
            let [(name, v)] = given.as_slice() else {
                return Err(Error::new(format!(
                    "a `{path}` constant must set exactly one field"
                )));
            };
            let plan = find(name)?;
            let expr = self.wrap(plan, self.value_expr(v, &plan.ty)?);
            let variant = &plan.ident;
            return Ok(quote!(#type_path::#variant(#expr)));
        }
        let mut inits = Vec::new();
        for (name, v) in given {
            let plan = find(name)?;
            let expr = self.wrap(plan, self.value_expr(v, &plan.ty)?);
            let expr = if plan.optional {
                quote!(::std::option::Option::Some(#expr))
            } else {
                expr
            };
            let field = &plan.ident;
            inits.push(quote!(#field: #expr,));
        }
        let all_given = given.len() == plans.len() && !self.analysis.keep.get(&path.module);
        let rest = (!all_given).then(|| quote!(..::std::default::Default::default()));
        Ok(quote!(#type_path { #(#inits)* #rest }))
    }

    /// The Rust name of an enum value, by its IDL name.
    pub(crate) fn variant_ident(
        &self,
        path: &crate::model::ModelPath,
        variant: &str,
    ) -> Option<proc_macro2::Ident> {
        let item = self.model.item(path)?;
        let ItemKind::Enum(e) = &item.kind else {
            return None;
        };
        let index = e.variants.iter().position(|v| v.name == variant)?;
        let name = self.analysis.variants.get(path)?.get(index)?;
        Some(names::ident(name))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_uuid;

    #[test]
    fn uuid_parsing() {
        let bytes = parse_uuid("00112233-4455-6677-8899-aAbBcCdDeEfF").unwrap();
        assert_eq!(bytes[0], 0x00);
        assert_eq!(bytes[1], 0x11);
        assert_eq!(bytes[15], 0xff);
        assert_eq!(
            parse_uuid("{00112233445566778899aabbccddeeff}"),
            Some(bytes)
        );
        assert_eq!(parse_uuid("0011"), None);
        assert_eq!(parse_uuid("zz112233-4455-6677-8899-aabbccddeeff"), None);
    }
}
