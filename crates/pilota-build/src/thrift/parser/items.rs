//! Definitions: typedef, const, enum, senum, struct/union/exception, service, and
//! the field lists they contain.

use std::collections::{HashMap, HashSet};

use super::super::ast::{
    Const, Definition, Enum, EnumValue, Field, FieldId, FieldIdOrigin, Function, Ident,
    Requiredness, Senum, Service, Struct, StructKind, TypeRef, Typedef,
};
use super::super::lexer::{Keyword, TokenKind};
use super::{PResult, Parser};

/// Which list a field belongs to, for messages and the `optional` rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldListKind {
    Struct,
    Args,
    Throws,
    XsdAttrs,
}

impl FieldListKind {
    fn closer(self) -> TokenKind {
        match self {
            FieldListKind::Struct | FieldListKind::XsdAttrs => TokenKind::RBrace,
            FieldListKind::Args | FieldListKind::Throws => TokenKind::RParen,
        }
    }

    fn context(self) -> &'static str {
        match self {
            FieldListKind::Struct => "after the fields",
            FieldListKind::Args => "after the arguments",
            FieldListKind::Throws => "after the `throws` fields",
            FieldListKind::XsdAttrs => "after the `xsd_attrs` fields",
        }
    }
}

impl Parser<'_> {
    pub(super) fn definition(&mut self) -> PResult<Definition> {
        let doc = self.take_doc();
        let kw = self.bump();
        let start = kw.span;
        match kw.kind {
            TokenKind::Keyword(Keyword::Typedef) => {
                let ty = self.ty()?;
                let name = self.simple_ident("a name for the typedef")?;
                let annotations = self.annotations()?;
                let span = start.to(self.prev_span());
                self.eat_separator();
                Ok(Definition::Typedef(Typedef {
                    doc,
                    ty,
                    name,
                    annotations,
                    span,
                }))
            }
            TokenKind::Keyword(Keyword::Const) => {
                let ty = self.ty()?;
                let name = self.simple_ident("a name for the constant")?;
                self.expect(&TokenKind::Eq, "after the constant name")?;
                let value = self.const_value()?;
                let span = start.to(self.prev_span());
                self.eat_separator();
                Ok(Definition::Const(Const {
                    doc,
                    ty,
                    name,
                    value,
                    span,
                }))
            }
            TokenKind::Keyword(Keyword::Enum) => self.enum_body(doc, start).map(Definition::Enum),
            TokenKind::Keyword(Keyword::Struct) => self
                .struct_body(doc, start, StructKind::Struct)
                .map(Definition::Struct),
            TokenKind::Keyword(Keyword::Union) => self
                .struct_body(doc, start, StructKind::Union)
                .map(Definition::Struct),
            TokenKind::Keyword(Keyword::Exception) => self
                .struct_body(doc, start, StructKind::Exception)
                .map(Definition::Struct),
            TokenKind::Keyword(Keyword::Service) => {
                self.service(doc, start).map(Definition::Service)
            }
            // `at_definition_start` only lets `senum` through otherwise.
            _ => self.senum(doc, start).map(Definition::Senum),
        }
    }

    fn enum_body(&mut self, doc: Option<String>, start: super::Span) -> PResult<Enum> {
        let name = self.simple_ident("a name for the enum")?;
        self.expect(&TokenKind::LBrace, "after the enum name")?;
        let mut values: Vec<EnumValue> = Vec::new();
        let mut last: i64 = -1;
        while self.at(&TokenKind::Ident) {
            let doc = self.take_doc();
            let value_name = self.simple_ident("an enum value name")?;
            let (value, explicit) = if self.eat(&TokenKind::Eq) {
                let tok = self.peek().clone();
                let TokenKind::Int(v) = tok.kind else {
                    return Err(self.unexpected("an integer value after `=`"));
                };
                self.bump();
                match i32::try_from(v) {
                    Ok(v) => (v, true),
                    Err(_) => {
                        return Err(self.error(
                            tok.span,
                            format!(
                                "value {v} of enum value `{}` does not fit in i32",
                                value_name.name
                            ),
                        ));
                    }
                }
            } else if last == i64::from(i32::MAX) {
                return Err(self.error(
                    value_name.span,
                    format!("enum value `{}` overflows i32", value_name.name),
                ));
            } else {
                // `last` is at most i32::MAX - 1 here.
                ((last + 1) as i32, false)
            };
            last = i64::from(value);
            let annotations = self.annotations()?;
            let span = value_name.span.to(self.prev_span());
            self.eat_separator();
            values.push(EnumValue {
                doc,
                name: value_name,
                value,
                explicit,
                annotations,
                span,
            });
        }
        self.expect(&TokenKind::RBrace, "after the enum values")?;
        let annotations = self.annotations()?;
        Ok(Enum {
            doc,
            name,
            values,
            annotations,
            span: start.to(self.prev_span()),
        })
    }

    fn senum(&mut self, doc: Option<String>, start: super::Span) -> PResult<Senum> {
        self.warning(
            start,
            "`senum` is deprecated and will be removed: use `string` instead",
        );
        let name = self.simple_ident("a name for the senum")?;
        self.expect(&TokenKind::LBrace, "after the senum name")?;
        let mut values = Vec::new();
        while matches!(self.peek_kind(), TokenKind::Literal(_)) {
            values.push(self.literal("")?);
            self.eat_separator();
        }
        self.expect(&TokenKind::RBrace, "after the senum values")?;
        let annotations = self.annotations()?;
        Ok(Senum {
            doc,
            name,
            values,
            annotations,
            span: start.to(self.prev_span()),
        })
    }

    fn struct_body(
        &mut self,
        doc: Option<String>,
        start: super::Span,
        kind: StructKind,
    ) -> PResult<Struct> {
        let what = match kind {
            StructKind::Struct => "struct",
            StructKind::Union => "union",
            StructKind::Exception => "exception",
        };
        let name = self.simple_ident(&format!("a name for the {what}"))?;
        let xsd_all = kind != StructKind::Exception && self.eat_keyword(Keyword::XsdAll);
        self.expect(&TokenKind::LBrace, &format!("after the {what} name"))?;
        let fields = self.field_list(FieldListKind::Struct)?;
        let annotations = self.annotations()?;
        Ok(Struct {
            doc,
            kind,
            name,
            xsd_all,
            fields,
            annotations,
            span: start.to(self.prev_span()),
        })
    }

    fn service(&mut self, doc: Option<String>, start: super::Span) -> PResult<Service> {
        let name = self.simple_ident("a name for the service")?;
        let extends = if self.eat_keyword(Keyword::Extends) {
            let base = self.ident("a service name after `extends`")?;
            Some(TypeRef {
                name: base.name,
                span: base.span,
            })
        } else {
            None
        };
        self.expect(&TokenKind::LBrace, "after the service name")?;
        self.in_service = true;
        let functions = self.functions();
        self.in_service = false;
        let functions = functions?;
        self.expect(&TokenKind::RBrace, "after the service functions")?;
        let annotations = self.annotations()?;
        Ok(Service {
            doc,
            name,
            extends,
            functions,
            annotations,
            span: start.to(self.prev_span()),
        })
    }

    fn functions(&mut self) -> PResult<Vec<Function>> {
        let mut functions = Vec::new();
        while !self.at(&TokenKind::RBrace) && !self.at(&TokenKind::Eof) {
            functions.push(self.function()?);
        }
        Ok(functions)
    }

    fn function(&mut self) -> PResult<Function> {
        let doc = self.take_doc();
        let start = self.peek().span;
        let oneway = if self.eat_keyword(Keyword::Oneway) {
            true
        } else if self.at_keyword(Keyword::Async) {
            let span = self.bump().span;
            self.warning(span, "`async` is deprecated: it is called `oneway` now");
            true
        } else {
            false
        };
        let result = if self.eat_keyword(Keyword::Void) {
            None
        } else if self.at_type_start() {
            Some(self.ty()?)
        } else {
            return Err(self.unexpected("a function (result type or `void`) or `}`"));
        };
        let name = self.simple_ident("a function name")?;
        self.expect(&TokenKind::LParen, "after the function name")?;
        let args = self.field_list(FieldListKind::Args)?;
        let throws = if self.at_keyword(Keyword::Throws) {
            let throws_span = self.bump().span;
            self.expect(&TokenKind::LParen, "after `throws`")?;
            let throws = self.field_list(FieldListKind::Throws)?;
            if oneway {
                self.error(
                    throws_span,
                    format!("oneway function `{}` cannot throw exceptions", name.name),
                );
            }
            throws
        } else {
            Vec::new()
        };
        if oneway && let Some(result) = &result {
            self.warning(
                result.span,
                format!("oneway function `{}` should return void", name.name),
            );
        }
        let annotations = self.annotations()?;
        let span = start.to(self.prev_span());
        self.eat_separator();
        Ok(Function {
            doc,
            oneway,
            result,
            name,
            args,
            throws,
            annotations,
            span,
        })
    }

    /// Fields up to and including the closing `}` or `)`; assigns implicit ids.
    fn field_list(&mut self, kind: FieldListKind) -> PResult<Vec<Field>> {
        self.enter()?;
        let fields = self.field_list_inner(kind);
        self.leave();
        fields
    }

    fn field_list_inner(&mut self, kind: FieldListKind) -> PResult<Vec<Field>> {
        let closer = kind.closer();
        let mut fields: Vec<Field> = Vec::new();
        let mut by_id: HashMap<i32, usize> = HashMap::new();
        let mut names: HashSet<String> = HashSet::new();
        let mut next_implicit: i32 = -1;
        while !self.at(&closer) {
            if !self.at_field_start() {
                let what = format!("a field or {}", super::describe_kind(&closer));
                return Err(self.unexpected(&format!("{what} {}", kind.context())));
            }
            let field = self.field(kind, &mut next_implicit)?;
            if let Some(&other) = by_id.get(&field.id.value) {
                let message = format!(
                    "field id {} of `{}` is already used by field `{}`",
                    field.id.value, field.name.name, fields[other].name.name
                );
                self.error(field.name.span, message);
            } else if !names.insert(field.name.name.clone()) {
                let message = format!("field name `{}` is already used", field.name.name);
                self.error(field.name.span, message);
            }
            by_id.entry(field.id.value).or_insert(fields.len());
            names.insert(field.name.name.clone());
            fields.push(field);
        }
        self.bump();
        Ok(fields)
    }

    fn at_field_start(&self) -> bool {
        matches!(
            self.peek_kind(),
            TokenKind::Int(_) | TokenKind::Keyword(Keyword::Required | Keyword::Optional)
        ) || self.at_type_start()
    }

    fn field(&mut self, list: FieldListKind, next_implicit: &mut i32) -> PResult<Field> {
        let doc = self.take_doc();
        let start = self.peek().span;
        let written_id = match self.peek_kind().clone() {
            TokenKind::Int(v) => {
                let span = self.bump().span;
                self.expect(&TokenKind::Colon, "after the field id")?;
                Some((v, span))
            }
            _ => None,
        };
        let requiredness = if self.eat_keyword(Keyword::Required) {
            Requiredness::Required
        } else if self.at_keyword(Keyword::Optional) {
            let span = self.bump().span;
            if self.in_service && list != FieldListKind::XsdAttrs {
                self.warning(span, "`optional` is ignored in argument lists");
                Requiredness::Default
            } else {
                Requiredness::Optional
            }
        } else {
            Requiredness::Default
        };
        let ty = self.ty()?;
        let reference = self.eat(&TokenKind::Amp);
        let name = self.field_name()?;
        let id = self.field_id(written_id, &name, next_implicit)?;
        let default = if self.eat(&TokenKind::Eq) {
            Some(self.const_value()?)
        } else {
            None
        };
        let xsd_optional = self.eat_keyword(Keyword::XsdOptional);
        let xsd_nillable = self.eat_keyword(Keyword::XsdNillable);
        let xsd_attrs = if self.eat_keyword(Keyword::XsdAttrs) {
            self.expect(&TokenKind::LBrace, "after `xsd_attrs`")?;
            Some(self.field_list(FieldListKind::XsdAttrs)?)
        } else {
            None
        };
        let annotations = self.annotations()?;
        let span = start.to(self.prev_span());
        self.eat_separator();
        Ok(Field {
            doc,
            id,
            requiredness,
            ty,
            reference,
            name,
            default,
            xsd_optional,
            xsd_nillable,
            xsd_attrs,
            annotations,
            span,
        })
    }

    /// A field name: an identifier or a keyword Apache allows there (`type`, `i8`, ...).
    fn field_name(&mut self) -> PResult<Ident> {
        match self.peek_kind() {
            TokenKind::Keyword(kw) if kw.is_field_name() => {
                let span = self.bump().span;
                Ok(Ident {
                    name: self.text(span).to_owned(),
                    span,
                })
            }
            _ => self.simple_ident("a field name"),
        }
    }

    /// Applies Apache's field id rules.
    fn field_id(
        &mut self,
        written: Option<(i64, super::Span)>,
        name: &Ident,
        next_implicit: &mut i32,
    ) -> PResult<FieldId> {
        let implicit = |next: &mut i32| {
            let value = *next;
            *next = next.saturating_sub(1);
            value
        };
        let id = match written {
            None => {
                self.warning(
                    name.span,
                    format!(
                        "no field id given for `{}`: the implicit id may conflict with other \
                         versions of this IDL",
                        name.name
                    ),
                );
                FieldId {
                    value: implicit(next_implicit),
                    origin: FieldIdOrigin::Implicit,
                }
            }
            Some((v, span)) => {
                let Ok(value) = i32::try_from(v) else {
                    return Err(self.error(span, format!("field id {v} is out of range")));
                };
                if value > 0 {
                    FieldId {
                        value,
                        origin: FieldIdOrigin::Explicit,
                    }
                } else if self.allow_negative_field_ids {
                    if value != *next_implicit {
                        self.warning(
                            span,
                            format!(
                                "non-positive field id {value} differs from the implicit id \
                                 {next_implicit} Apache would assign"
                            ),
                        );
                    }
                    *next_implicit = value.saturating_sub(1);
                    FieldId {
                        value,
                        origin: FieldIdOrigin::Explicit,
                    }
                } else {
                    let assigned = implicit(next_implicit);
                    self.warning(
                        span,
                        format!(
                            "non-positive field id {value} is not allowed: using implicit id \
                             {assigned} (allow negative field ids to keep it)"
                        ),
                    );
                    FieldId {
                        value: assigned,
                        origin: FieldIdOrigin::Reassigned { written: v },
                    }
                }
            }
        };
        if i16::try_from(id.value).is_err() {
            let span = written.map_or(name.span, |(_, span)| span);
            self.warning(
                span,
                format!(
                    "field id {} is outside the range {}..={} of the wire format",
                    id.value,
                    i16::MIN,
                    i16::MAX
                ),
            );
        }
        Ok(id)
    }
}
