//! A recursive-descent parser for one `.thrift` file, following the Apache Thrift 0.25
//! grammar (`thrifty.yy`).
//!
//! Every error is reported as a diagnostic; the parser then skips to the next
//! definition and goes on, so one run reports all syntax errors. Nesting of types,
//! constant values and `xsd_attrs` is limited to [`MAX_DEPTH`] levels.

mod items;
mod types;

use std::collections::HashSet;

use super::ParseOptions;
use super::ast::{Document, Header, Include, Namespace, StrLit};
use super::diagnostic::{Diagnostic, MAX_ERRORS_PER_FILE, Severity, TOO_MANY_ERRORS};
use super::lexer::{DocComment, Keyword, Token, TokenKind, lex};
use super::span::{FileId, SourceFile, Span};

/// The deepest nesting of container types, constant values or field lists accepted.
pub const MAX_DEPTH: usize = 64;

/// Marks a failed parse step; the diagnostic has already been recorded.
#[derive(Debug)]
pub(crate) struct Fail;

type PResult<T> = Result<T, Fail>;

/// What parsing one file produced.
#[derive(Debug)]
pub(crate) struct ParseOutput {
    /// Every definition that parsed; complete only when no diagnostic is an error.
    pub(crate) document: Document,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Identifiers inside definitions skipped after a syntax error: later checks do
    /// not report them as unknown names, since they may be defined there.
    pub(crate) broken_names: HashSet<String>,
}

/// Parses `source` (whose id is `file`).
pub(crate) fn parse_document(
    source: &SourceFile,
    file: FileId,
    options: &ParseOptions,
) -> ParseOutput {
    let lexed = lex(source, file);
    let mut parser = Parser {
        src: source,
        file,
        tokens: lexed.tokens,
        docs: lexed.docs,
        pos: 0,
        diags: lexed.diagnostics,
        allow_negative_field_ids: options.allow_negative_field_ids,
        depth: 0,
        in_service: false,
        warned_byte: false,
        broken_names: HashSet::new(),
        error_count: 0,
    };
    parser.error_count = parser.diags.len();
    let document = parser.document();
    ParseOutput {
        document,
        diagnostics: parser.diags,
        broken_names: parser.broken_names,
    }
}

pub(crate) struct Parser<'a> {
    src: &'a SourceFile,
    file: FileId,
    tokens: Vec<Token>,
    docs: Vec<DocComment>,
    pos: usize,
    diags: Vec<Diagnostic>,
    allow_negative_field_ids: bool,
    depth: usize,
    /// Inside a service body: `optional` is ignored in argument lists.
    in_service: bool,
    warned_byte: bool,
    broken_names: HashSet<String>,
    error_count: usize,
}

impl Parser<'_> {
    // ---- token cursor -------------------------------------------------------------

    fn peek(&self) -> &Token {
        // The token list always ends with `Eof`, and `bump` never moves past it.
        &self.tokens[self.pos]
    }

    fn peek_kind(&self) -> &TokenKind {
        &self.peek().kind
    }

    fn peek_nth(&self, n: usize) -> &TokenKind {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)].kind
    }

    fn bump(&mut self) -> Token {
        let tok = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    /// The span of the previous token (or the current one at the start).
    fn prev_span(&self) -> Span {
        self.tokens[self.pos.saturating_sub(1)].span
    }

    fn text(&self, span: Span) -> &str {
        self.src.slice(span)
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek_kind() == kind
    }

    fn at_keyword(&self, kw: Keyword) -> bool {
        self.peek_kind() == &TokenKind::Keyword(kw)
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_keyword(&mut self, kw: Keyword) -> bool {
        self.eat(&TokenKind::Keyword(kw))
    }

    /// Skips one optional `,` or `;` (Apache's `CommaOrSemicolonOptional`).
    fn eat_separator(&mut self) {
        if matches!(self.peek_kind(), TokenKind::Comma | TokenKind::Semi) {
            self.bump();
        }
    }

    fn expect(&mut self, kind: &TokenKind, context: &str) -> PResult<Span> {
        if self.at(kind) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(&format!("{} {context}", describe_kind(kind))))
        }
    }

    /// The doc comment attached to the current token.
    fn take_doc(&self) -> Option<String> {
        self.peek().doc.map(|i| self.docs[i].text.clone())
    }

    // ---- diagnostics --------------------------------------------------------------

    fn error(&mut self, span: Span, message: impl Into<String>) -> Fail {
        self.error_count += 1;
        self.diags
            .push(Diagnostic::new(Severity::Error, self.src, span, message));
        Fail
    }

    fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(Severity::Warning, self.src, span, message));
    }

    /// Reports "expected {what}, found {current token}" at the current token.
    fn unexpected(&mut self, what: &str) -> Fail {
        let tok = self.peek().clone();
        let found = self.describe(&tok);
        self.error(tok.span, format!("expected {what}, found {found}"))
    }

    fn describe(&self, tok: &Token) -> String {
        match &tok.kind {
            TokenKind::Ident => format!("`{}`", self.text(tok.span)),
            TokenKind::Keyword(_) => format!("keyword `{}`", self.text(tok.span)),
            TokenKind::Int(_) | TokenKind::Double(_) => format!("`{}`", self.text(tok.span)),
            TokenKind::Literal(_) => "a string literal".to_owned(),
            TokenKind::Eof => "end of file".to_owned(),
            other => describe_kind(other),
        }
    }

    fn too_many_errors(&self) -> bool {
        self.error_count >= MAX_ERRORS_PER_FILE
    }

    /// Enters one nesting level (type, constant value, field list).
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.peek().span;
            self.depth -= 1;
            return Err(self.error(
                span,
                format!("nesting is too deep: more than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- document and headers -----------------------------------------------------

    fn document(&mut self) -> Document {
        let program_doc = self.program_doc();
        let mut headers = Vec::new();
        let mut definitions = Vec::new();
        loop {
            let start = self.pos;
            let tok = self.peek().clone();
            if self.too_many_errors() {
                let already = self.diags.iter().any(|d| d.message() == TOO_MANY_ERRORS);
                if !already {
                    self.error(tok.span, TOO_MANY_ERRORS);
                }
                break;
            }
            let result = match &tok.kind {
                TokenKind::Eof => break,
                TokenKind::Keyword(Keyword::Include | Keyword::CppInclude | Keyword::Namespace) => {
                    if !definitions.is_empty() {
                        let kw = self.text(tok.span).to_owned();
                        self.error(tok.span, format!("`{kw}` must come before all definitions"));
                    }
                    self.header().map(|h| headers.push(h))
                }
                TokenKind::Keyword(Keyword::LegacyNamespace(scope)) => {
                    let kw = self.text(tok.span).to_owned();
                    let fail = self.error(
                        tok.span,
                        format!("unsupported declaration `{kw}`: use `namespace {scope}` instead"),
                    );
                    self.bump();
                    Err(fail)
                }
                _ if self.at_definition_start() => self.definition().map(|d| definitions.push(d)),
                _ => {
                    let fail = self.unexpected(
                        "a definition (`struct`, `union`, `exception`, `enum`, `const`, \
                         `typedef`, `service`) or a header",
                    );
                    self.bump();
                    Err(fail)
                }
            };
            if result.is_err() {
                self.recover(start);
            }
        }
        Document {
            file: self.file,
            doc: program_doc,
            headers,
            definitions,
        }
    }

    /// Apache's program doc: the first doc comment of the file, when it comes before
    /// every token and is not the doc of the first definition.
    fn program_doc(&self) -> Option<String> {
        let first = self.docs.first()?;
        let tok = &self.tokens[0];
        if first.span.end > tok.span.start {
            return None;
        }
        let attached_to_definition = tok.doc == Some(0) && self.at_definition_start();
        (!attached_to_definition).then(|| first.text.clone())
    }

    fn at_definition_start(&self) -> bool {
        match self.peek_kind() {
            TokenKind::Keyword(
                Keyword::Typedef
                | Keyword::Const
                | Keyword::Enum
                | Keyword::Struct
                | Keyword::Union
                | Keyword::Exception
                | Keyword::Service,
            ) => true,
            TokenKind::Ident => self.is_senum_start(),
            _ => false,
        }
    }

    /// `senum` is recognised as a keyword only where a definition starts.
    fn is_senum_start(&self) -> bool {
        self.peek_kind() == &TokenKind::Ident
            && self.text(self.peek().span) == "senum"
            && self.peek_nth(1) == &TokenKind::Ident
    }

    fn at_item_start(&self) -> bool {
        self.at_definition_start()
            || matches!(
                self.peek_kind(),
                TokenKind::Keyword(Keyword::Include | Keyword::CppInclude | Keyword::Namespace)
                    | TokenKind::Eof
            )
    }

    /// After an error in the item that started at token `start`: skips to the next
    /// definition or header outside any braces (or at the start of a line, in case a
    /// closing brace is missing). Always makes progress.
    fn recover(&mut self, start: usize) {
        let mut depth: i64 = 0;
        for tok in &self.tokens[start..self.pos] {
            match tok.kind {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => depth -= 1,
                _ => {}
            }
        }
        if self.pos == start {
            self.bump();
        }
        loop {
            if self.at(&TokenKind::Eof)
                || (self.at_item_start() && (depth <= 0 || self.peek().line_start))
            {
                break;
            }
            match self.bump().kind {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => depth -= 1,
                _ => {}
            }
        }
        let names: Vec<String> = self.tokens[start..self.pos]
            .iter()
            .filter(|t| t.kind == TokenKind::Ident)
            .map(|t| self.text(t.span).to_owned())
            .collect();
        self.broken_names.extend(names);
    }

    fn header(&mut self) -> PResult<Header> {
        let kw = self.bump();
        match kw.kind {
            TokenKind::Keyword(Keyword::Include) => {
                let path = self.literal("after `include`")?;
                Ok(Header::Include(Include {
                    span: kw.span.to(path.span),
                    path,
                }))
            }
            TokenKind::Keyword(Keyword::CppInclude) => {
                Ok(Header::CppInclude(self.literal("after `cpp_include`")?))
            }
            _ => self.namespace(kw.span).map(Header::Namespace),
        }
    }

    fn literal(&mut self, context: &str) -> PResult<StrLit> {
        match self.peek_kind().clone() {
            TokenKind::Literal(value) => {
                let span = self.bump().span;
                Ok(StrLit { value, span })
            }
            _ => Err(self.unexpected(&format!("a string literal {context}"))),
        }
    }

    fn namespace(&mut self, kw_span: Span) -> PResult<Namespace> {
        let scope = if self.at(&TokenKind::Star) {
            let span = self.bump().span;
            super::ast::Ident {
                name: "*".to_owned(),
                span,
            }
        } else {
            self.ident("a language scope (`rs`, `java`, `*`, ...) after `namespace`")?
        };
        let name = self.ident("a namespace name")?;
        let annotations = self.annotations()?;
        if scope.name != "*" {
            self.check_namespace_scope(&scope);
        }
        Ok(Namespace {
            span: kw_span.to(self.prev_span()),
            scope,
            name,
            annotations,
        })
    }

    /// Warns like Apache about scopes no generator knows.
    fn check_namespace_scope(&mut self, scope: &super::ast::Ident) {
        const GENERATORS: &[&str] = &[
            "c_glib", "cl", "cpp", "d", "dart", "delphi", "erl", "go", "gv", "haxe", "html",
            "java", "javame", "js", "json", "kotlin", "lua", "markdown", "netstd", "ocaml", "perl",
            "php", "py", "rb", "rs", "st", "swift", "xml", "xsd",
        ];
        const SUB_NAMESPACES: &[&str] = &["py.twisted", "smalltalk.category", "smalltalk.prefix"];
        let (base, sub) = match scope.name.split_once('.') {
            Some((base, sub)) => (base, Some(sub)),
            None => (scope.name.as_str(), None),
        };
        let message = match base {
            "smalltalk" => Some("namespace scope `smalltalk` is deprecated: use `st`".to_owned()),
            "csharp" | "netcore" => Some(format!(
                "namespace scope `{base}` is no longer available: use `netstd`"
            )),
            _ if !GENERATORS.contains(&base) => {
                Some(format!("no generator named `{base}` is known"))
            }
            _ if sub.is_some() && !SUB_NAMESPACES.contains(&scope.name.as_str()) => Some(format!(
                "the `{base}` generator does not accept `{}` as sub-namespace",
                sub.unwrap_or_default()
            )),
            _ => None,
        };
        if let Some(message) = message {
            self.warning(scope.span, message);
        }
    }

    /// An identifier (any name, dots allowed).
    fn ident(&mut self, what: &str) -> PResult<super::ast::Ident> {
        if self.at(&TokenKind::Ident) {
            let span = self.bump().span;
            Ok(super::ast::Ident {
                name: self.text(span).to_owned(),
                span,
            })
        } else {
            Err(self.unexpected(what))
        }
    }

    /// An identifier that names something being defined: no dots allowed.
    fn simple_ident(&mut self, what: &str) -> PResult<super::ast::Ident> {
        let ident = self.ident(what)?;
        self.check_simple(&ident);
        Ok(ident)
    }

    fn check_simple(&mut self, ident: &super::ast::Ident) {
        if ident.name.contains('.') {
            self.error(
                ident.span,
                format!("identifier `{}` cannot contain a dot", ident.name),
            );
        }
    }
}

fn describe_kind(kind: &TokenKind) -> String {
    let s = match kind {
        TokenKind::Colon => "`:`",
        TokenKind::Semi => "`;`",
        TokenKind::Comma => "`,`",
        TokenKind::LBrace => "`{`",
        TokenKind::RBrace => "`}`",
        TokenKind::LParen => "`(`",
        TokenKind::RParen => "`)`",
        TokenKind::Eq => "`=`",
        TokenKind::Lt => "`<`",
        TokenKind::Gt => "`>`",
        TokenKind::LBracket => "`[`",
        TokenKind::RBracket => "`]`",
        TokenKind::Star => "`*`",
        TokenKind::Amp => "`&`",
        TokenKind::Ident => "an identifier",
        TokenKind::Keyword(_) => "a keyword",
        TokenKind::Int(_) => "an integer",
        TokenKind::Double(_) => "a number",
        TokenKind::Literal(_) => "a string literal",
        TokenKind::Eof => "end of file",
    };
    s.to_owned()
}
