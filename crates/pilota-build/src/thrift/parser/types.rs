//! Types, constant values and annotations.

use super::super::ast::{
    Annotation, Annotations, BaseType, ConstValue, ConstValueKind, StrLit, Type, TypeKind, TypeRef,
};
use super::super::lexer::{Keyword, TokenKind};
use super::{PResult, Parser};

impl Parser<'_> {
    pub(super) fn at_type_start(&self) -> bool {
        match self.peek_kind() {
            TokenKind::Ident => true,
            TokenKind::Keyword(kw) => {
                base_type(*kw).is_some()
                    || matches!(kw, Keyword::Map | Keyword::Set | Keyword::List)
            }
            _ => false,
        }
    }

    /// A field type (Apache's `FieldType`): a base type or a container type, each with
    /// optional annotations, or a type name.
    pub(super) fn ty(&mut self) -> PResult<Type> {
        self.enter()?;
        let ty = self.ty_inner();
        self.leave();
        ty
    }

    fn ty_inner(&mut self) -> PResult<Type> {
        let tok = self.peek().clone();
        let kind = match tok.kind {
            TokenKind::Ident if self.text(tok.span) == "slist" => {
                self.bump();
                self.warning(
                    tok.span,
                    "`slist` is deprecated and will be removed: use `string` instead",
                );
                TypeKind::Base(BaseType::String)
            }
            TokenKind::Ident => {
                self.bump();
                return Ok(Type {
                    kind: TypeKind::Named(TypeRef {
                        name: self.text(tok.span).to_owned(),
                        span: tok.span,
                    }),
                    annotations: Annotations::default(),
                    span: tok.span,
                });
            }
            TokenKind::Keyword(kw) => {
                if let Some(base) = base_type(kw) {
                    self.bump();
                    if kw == Keyword::Byte && !self.warned_byte {
                        self.warned_byte = true;
                        self.warning(
                            tok.span,
                            "`byte` is a compatibility alias for `i8`: use `i8` to make the \
                             signedness clear",
                        );
                    }
                    TypeKind::Base(base)
                } else if matches!(kw, Keyword::Map | Keyword::Set | Keyword::List) {
                    self.bump();
                    self.container(kw)?
                } else {
                    return Err(self.unexpected("a type"));
                }
            }
            _ => return Err(self.unexpected("a type")),
        };
        let annotations = self.annotations()?;
        Ok(Type {
            kind,
            annotations,
            span: tok.span.to(self.prev_span()),
        })
    }

    fn cpp_type(&mut self) -> PResult<Option<StrLit>> {
        if self.eat_keyword(Keyword::CppType) {
            Ok(Some(self.literal("after `cpp_type`")?))
        } else {
            Ok(None)
        }
    }

    fn container(&mut self, kw: Keyword) -> PResult<TypeKind> {
        let cpp_type = self.cpp_type()?;
        self.expect(&TokenKind::Lt, "after the container keyword")?;
        let first = Box::new(self.ty()?);
        let kind = match kw {
            Keyword::Map => {
                self.expect(
                    &TokenKind::Comma,
                    "between the key and value types of a map",
                )?;
                let value = Box::new(self.ty()?);
                self.expect(&TokenKind::Gt, "after the map value type")?;
                TypeKind::Map {
                    key: first,
                    value,
                    cpp_type,
                }
            }
            Keyword::Set => {
                self.expect(&TokenKind::Gt, "after the set element type")?;
                TypeKind::Set {
                    elem: first,
                    cpp_type,
                }
            }
            _ => {
                self.expect(&TokenKind::Gt, "after the list element type")?;
                if first.kind == TypeKind::Base(BaseType::I8) {
                    self.warning(
                        first.span,
                        "consider the more efficient `binary` type instead of a list of bytes",
                    );
                }
                let late = self.cpp_type()?;
                if let Some(late) = &late {
                    self.warning(
                        late.span,
                        "`list<type> cpp_type \"...\"` is deprecated: write \
                         `list cpp_type \"...\" <type>`",
                    );
                }
                TypeKind::List {
                    elem: first,
                    cpp_type: late.or(cpp_type),
                }
            }
        };
        Ok(kind)
    }

    /// A constant value: integer, double, string, identifier, `[list]` or `{map}`.
    pub(super) fn const_value(&mut self) -> PResult<ConstValue> {
        self.enter()?;
        let value = self.const_value_inner();
        self.leave();
        value
    }

    fn const_value_inner(&mut self) -> PResult<ConstValue> {
        let tok = self.peek().clone();
        let kind = match tok.kind {
            TokenKind::Int(v) => {
                self.bump();
                if i32::try_from(v).is_err() {
                    self.warning(
                        tok.span,
                        format!("64-bit constant {v} may not work in all languages"),
                    );
                }
                ConstValueKind::Int(v)
            }
            TokenKind::Double(v) => {
                self.bump();
                ConstValueKind::Double(v)
            }
            TokenKind::Literal(s) => {
                self.bump();
                ConstValueKind::String(s)
            }
            TokenKind::Ident => {
                self.bump();
                ConstValueKind::Identifier(self.text(tok.span).to_owned())
            }
            TokenKind::LBracket => {
                self.bump();
                let mut items = Vec::new();
                while !self.eat(&TokenKind::RBracket) {
                    if !self.at_const_start() {
                        return Err(self.unexpected("a value or `]` in the list"));
                    }
                    items.push(self.const_value()?);
                    self.eat_separator();
                }
                ConstValueKind::List(items)
            }
            TokenKind::LBrace => {
                self.bump();
                let mut entries = Vec::new();
                while !self.eat(&TokenKind::RBrace) {
                    if !self.at_const_start() {
                        return Err(self.unexpected("a key or `}` in the map"));
                    }
                    let key = self.const_value()?;
                    self.expect(&TokenKind::Colon, "between a map key and its value")?;
                    let value = self.const_value()?;
                    self.eat_separator();
                    entries.push((key, value));
                }
                ConstValueKind::Map(entries)
            }
            _ => return Err(self.unexpected("a constant value")),
        };
        Ok(ConstValue {
            kind,
            span: tok.span.to(self.prev_span()),
        })
    }

    fn at_const_start(&self) -> bool {
        matches!(
            self.peek_kind(),
            TokenKind::Int(_)
                | TokenKind::Double(_)
                | TokenKind::Literal(_)
                | TokenKind::Ident
                | TokenKind::LBracket
                | TokenKind::LBrace
        )
    }

    /// Optional annotations `( key = "value", flag, ... )`.
    pub(super) fn annotations(&mut self) -> PResult<Annotations> {
        if !self.eat(&TokenKind::LParen) {
            return Ok(Annotations::default());
        }
        let mut items = Vec::new();
        while !self.eat(&TokenKind::RParen) {
            let key = self.ident("an annotation name or `)`")?;
            let value = if self.eat(&TokenKind::Eq) {
                Some(self.literal("as the annotation value")?)
            } else {
                None
            };
            let span = key.span.to(self.prev_span());
            self.eat_separator();
            items.push(Annotation { key, value, span });
        }
        Ok(Annotations(items))
    }
}

fn base_type(kw: Keyword) -> Option<BaseType> {
    Some(match kw {
        Keyword::Bool => BaseType::Bool,
        Keyword::Byte | Keyword::I8 => BaseType::I8,
        Keyword::I16 => BaseType::I16,
        Keyword::I32 => BaseType::I32,
        Keyword::I64 => BaseType::I64,
        Keyword::Double => BaseType::Double,
        Keyword::String => BaseType::String,
        Keyword::Binary => BaseType::Binary,
        Keyword::Uuid => BaseType::Uuid,
        _ => return None,
    })
}
