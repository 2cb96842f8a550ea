//! The lexer: turns source text into tokens, following the Apache Thrift 0.25 scanner.
//!
//! - comments: `//` and `#` to end of line, `/* ... */`; `/** ... */` is a doc comment
//!   (but `/**/`, `/***/`, ... are plain comments); `///` is a plain line comment;
//! - identifiers `[a-zA-Z_](\.[a-zA-Z_0-9]|[a-zA-Z_0-9])*` (dots inside are part of the
//!   name); `true`/`false` are the integers 1/0;
//! - numbers: decimal and `0x` hex integers with an optional sign (must fit in i64),
//!   doubles with fraction and/or exponent; the longest match wins, as in flex;
//! - strings in `"` or `'`, on one line, with the escapes `\\ \" \' \n \r \t` only.

use super::diagnostic::{Diagnostic, MAX_ERRORS_PER_FILE, Severity, TOO_MANY_ERRORS};
use super::doc::clean_doc_comment;
use super::span::{FileId, SourceFile, Span, offset_u32};

/// Reserved words of the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    Namespace,
    CppInclude,
    CppType,
    XsdAll,
    XsdOptional,
    XsdNillable,
    XsdAttrs,
    Include,
    Void,
    Bool,
    Byte,
    I8,
    I16,
    I32,
    I64,
    Double,
    String,
    Binary,
    Uuid,
    Map,
    List,
    Set,
    Oneway,
    Async,
    Typedef,
    Struct,
    Union,
    Exception,
    Extends,
    Throws,
    Service,
    Enum,
    Const,
    Required,
    Optional,
    /// A pre-`namespace` declaration Apache rejects (`cpp_namespace`, `java_package`, ...);
    /// the payload is the `namespace` scope to use instead.
    LegacyNamespace(&'static str),
}

impl Keyword {
    fn from_word(word: &str) -> Option<Keyword> {
        use Keyword::*;
        Some(match word {
            "namespace" => Namespace,
            "cpp_include" => CppInclude,
            "cpp_type" => CppType,
            "xsd_all" => XsdAll,
            "xsd_optional" => XsdOptional,
            "xsd_nillable" => XsdNillable,
            "xsd_attrs" => XsdAttrs,
            "include" => Include,
            "void" => Void,
            "bool" => Bool,
            "byte" => Byte,
            "i8" => I8,
            "i16" => I16,
            "i32" => I32,
            "i64" => I64,
            "double" => Double,
            "string" => String,
            "binary" => Binary,
            "uuid" => Uuid,
            "map" => Map,
            "list" => List,
            "set" => Set,
            "oneway" => Oneway,
            "async" => Async,
            "typedef" => Typedef,
            "struct" => Struct,
            "union" => Union,
            "exception" => Exception,
            "extends" => Extends,
            "throws" => Throws,
            "service" => Service,
            "enum" => Enum,
            "const" => Const,
            "required" => Required,
            "optional" => Optional,
            "cpp_namespace" => LegacyNamespace("cpp"),
            "java_package" => LegacyNamespace("java"),
            "csharp_namespace" => LegacyNamespace("csharp"),
            "delphi_namespace" => LegacyNamespace("delphi"),
            "php_namespace" => LegacyNamespace("php"),
            "py_module" => LegacyNamespace("py"),
            "perl_package" => LegacyNamespace("perl"),
            "ruby_namespace" => LegacyNamespace("rb"),
            "smalltalk_category" | "smalltalk_prefix" => LegacyNamespace("st"),
            "xsd_namespace" => LegacyNamespace("xsd"),
            _ => return None,
        })
    }

    /// Whether the keyword may be used as a field name (Apache's `FieldName` rule).
    pub(crate) fn is_field_name(self) -> bool {
        !matches!(
            self,
            Keyword::CppType
                | Keyword::XsdAll
                | Keyword::XsdOptional
                | Keyword::XsdNillable
                | Keyword::XsdAttrs
                | Keyword::LegacyNamespace(_)
        )
    }
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    Ident,
    Keyword(Keyword),
    Int(i64),
    Double(f64),
    Literal(String),
    Colon,
    Semi,
    Comma,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Eq,
    Lt,
    Gt,
    LBracket,
    RBracket,
    Star,
    Amp,
    Eof,
}

/// One token; identifiers and keywords read their text from the source via `span`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
    /// Index into [`Lexed::docs`] of the last doc comment between the previous token
    /// and this one.
    pub(crate) doc: Option<usize>,
    /// Whether this is the first token on its line.
    pub(crate) line_start: bool,
}

/// A doc comment, cleaned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocComment {
    pub(crate) text: String,
    pub(crate) span: Span,
}

/// The output of the lexer.
#[derive(Debug)]
pub(crate) struct Lexed {
    /// The tokens, ending with exactly one `Eof`.
    pub(crate) tokens: Vec<Token>,
    pub(crate) docs: Vec<DocComment>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

struct Lexer<'a> {
    src: &'a SourceFile,
    bytes: &'a [u8],
    file: FileId,
    pos: usize,
    out: Lexed,
    pending_doc: Option<usize>,
    line_start: bool,
}

/// Splits `source` into tokens; problems become diagnostics and lexing goes on.
pub(crate) fn lex(source: &SourceFile, file: FileId) -> Lexed {
    let text = source.text();
    let mut lexer = Lexer {
        src: source,
        bytes: text.as_bytes(),
        file,
        pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
        out: Lexed {
            tokens: Vec::new(),
            docs: Vec::new(),
            diagnostics: Vec::new(),
        },
        pending_doc: None,
        line_start: true,
    };
    lexer.run();
    lexer.out
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, offset_u32(start), offset_u32(end))
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        let span = self.span(start, end);
        self.out
            .diagnostics
            .push(Diagnostic::new(Severity::Error, self.src, span, message));
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        let span = self.span(start, self.pos);
        self.out.tokens.push(Token {
            kind,
            span,
            doc: self.pending_doc.take(),
            line_start: self.line_start,
        });
        self.line_start = false;
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            if self.out.diagnostics.len() >= MAX_ERRORS_PER_FILE {
                let pos = self.pos;
                self.error(pos, pos, TOO_MANY_ERRORS);
                break;
            }
            let start = self.pos;
            let b = self.bytes[start];
            match b {
                b'\n' => {
                    self.pos += 1;
                    self.line_start = true;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'#' => self.skip_line(),
                b'/' if self.peek(1) == b'/' => self.skip_line(),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'"' | b'\'' => self.string(b),
                b':' | b';' | b',' | b'{' | b'}' | b'(' | b')' | b'=' | b'<' | b'>' | b'['
                | b']' | b'*' | b'&' => {
                    self.pos += 1;
                    let kind = match b {
                        b':' => TokenKind::Colon,
                        b';' => TokenKind::Semi,
                        b',' => TokenKind::Comma,
                        b'{' => TokenKind::LBrace,
                        b'}' => TokenKind::RBrace,
                        b'(' => TokenKind::LParen,
                        b')' => TokenKind::RParen,
                        b'=' => TokenKind::Eq,
                        b'<' => TokenKind::Lt,
                        b'>' => TokenKind::Gt,
                        b'[' => TokenKind::LBracket,
                        b']' => TokenKind::RBracket,
                        b'*' => TokenKind::Star,
                        _ => TokenKind::Amp,
                    };
                    self.push(kind, start);
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
                _ if is_ident_start(b) => self.identifier(),
                _ => self.unexpected(),
            }
        }
        // A doc comment left at the end attaches to `Eof`: it can only be the program doc.
        let end = self.bytes.len();
        self.pos = end;
        self.push(TokenKind::Eof, end);
    }

    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        // `/**/`, `/***/`, ...: only stars between the delimiters, a plain comment.
        let stars = self.bytes[start + 1..]
            .iter()
            .take_while(|&&b| b == b'*')
            .count();
        if stars >= 2 && self.bytes.get(start + 1 + stars) == Some(&b'/') {
            self.pos = start + 2 + stars;
            return;
        }
        let is_doc = stars >= 2;
        let mut i = start + 2;
        loop {
            match self.bytes.get(i) {
                None => {
                    self.pos = self.bytes.len();
                    self.error(start, start + 2, "unterminated comment: missing `*/`");
                    return;
                }
                Some(b'*') if self.bytes.get(i + 1) == Some(&b'/') => break,
                Some(_) => i += 1,
            }
        }
        self.pos = i + 2;
        if is_doc {
            let raw = &self.src.text()[start + 3..i];
            self.out.docs.push(DocComment {
                text: clean_doc_comment(raw),
                span: self.span(start, self.pos),
            });
            self.pending_doc = Some(self.out.docs.len() - 1);
        }
    }

    fn string(&mut self, quote: u8) {
        let start = self.pos;
        self.pos += 1;
        let mut value = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                self.error(start, self.pos, "unterminated string literal");
                self.push(TokenKind::Literal(lossy(value)), start);
                return;
            };
            match b {
                b'\n' => {
                    self.error(
                        start,
                        self.pos,
                        "unterminated string literal (strings cannot span lines)",
                    );
                    self.push(TokenKind::Literal(lossy(value)), start);
                    return;
                }
                b'\\' => {
                    let esc = self.peek(1);
                    let decoded = match esc {
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'"' => Some(b'"'),
                        b'\'' => Some(b'\''),
                        b'\\' => Some(b'\\'),
                        _ => None,
                    };
                    match decoded {
                        Some(c) => {
                            value.push(c);
                            self.pos += 2;
                        }
                        None if esc == b'\n' || self.pos + 1 >= self.bytes.len() => {
                            self.pos += 1;
                        }
                        None => {
                            let len = self.src.text()[self.pos + 1..]
                                .chars()
                                .next()
                                .map_or(1, char::len_utf8);
                            let shown = &self.src.text()[self.pos..self.pos + 1 + len];
                            self.error(
                                self.pos,
                                self.pos + 1 + len,
                                format!(
                                    "unknown escape `{shown}` in string literal (allowed: \\\\ \\\" \\' \\n \\r \\t)"
                                ),
                            );
                            self.pos += 1 + len;
                        }
                    }
                }
                _ if b == quote => {
                    self.pos += 1;
                    self.push(TokenKind::Literal(lossy(value)), start);
                    return;
                }
                _ => {
                    value.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    fn identifier(&mut self) {
        let start = self.pos;
        self.pos += 1;
        loop {
            let b = self.peek(0);
            if is_ident_char(b) {
                self.pos += 1;
            } else if b == b'.' && is_ident_char(self.peek(1)) {
                self.pos += 2;
            } else {
                break;
            }
        }
        let word = &self.src.text()[start..self.pos];
        let kind = match word {
            "true" => TokenKind::Int(1),
            "false" => TokenKind::Int(0),
            _ => Keyword::from_word(word).map_or(TokenKind::Ident, TokenKind::Keyword),
        };
        self.push(kind, start);
    }

    /// Longest match between the integer, hex and double patterns (ties: int, hex, double).
    fn number(&mut self) {
        let start = self.pos;
        let bytes = self.bytes;
        let digits_from = |i: usize| {
            bytes[i.min(bytes.len())..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let sign = usize::from(matches!(self.peek(0), b'+' | b'-'));
        let body = start + sign;

        let int_len = digits_from(body);
        let hex_len = if bytes.get(body) == Some(&b'0') && bytes.get(body + 1) == Some(&b'x') {
            bytes[body + 2..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count()
        } else {
            0
        };
        let mut dub_end = body + int_len;
        let mut dub_mantissa = int_len;
        if bytes.get(dub_end) == Some(&b'.') {
            let frac = digits_from(dub_end + 1);
            if frac > 0 {
                dub_end += 1 + frac;
                dub_mantissa += frac;
            }
        }
        if matches!(bytes.get(dub_end), Some(b'e' | b'E')) {
            let exp_sign = usize::from(matches!(bytes.get(dub_end + 1), Some(b'+' | b'-')));
            let exp = digits_from(dub_end + 1 + exp_sign);
            if exp > 0 {
                dub_end += 1 + exp_sign + exp;
            }
        }

        let int_end = body + int_len;
        let hex_end = if hex_len > 0 { body + 2 + hex_len } else { 0 };
        if hex_end > int_end.max(dub_end) {
            self.pos = hex_end;
            let text = &self.src.text()[body + 2..hex_end];
            let value = u64::from_str_radix(text, 16)
                .ok()
                .and_then(|v| i64::try_from(v).ok())
                .map(|v| if bytes[start] == b'-' { -v } else { v });
            self.finish_int(value, start);
        } else if dub_end > int_end && dub_mantissa > 0 {
            self.pos = dub_end;
            let text = &self.src.text()[start..dub_end];
            let value = text.parse::<f64>().unwrap_or(0.0);
            self.push(TokenKind::Double(value), start);
        } else if int_len > 0 {
            self.pos = int_end;
            let value = self.src.text()[start..int_end].parse::<i64>().ok();
            self.finish_int(value, start);
        } else {
            // A lone sign or dot.
            self.pos = start + 1;
            let c = char::from(bytes[start]);
            self.error(start, self.pos, format!("unexpected character `{c}`"));
        }
    }

    fn finish_int(&mut self, value: Option<i64>, start: usize) {
        match value {
            Some(v) => self.push(TokenKind::Int(v), start),
            None => {
                let text = self.src.text()[start..self.pos].to_owned();
                self.error(
                    start,
                    self.pos,
                    format!(
                        "integer `{text}` is too big: it does not fit in a 64-bit signed integer"
                    ),
                );
                self.push(TokenKind::Int(0), start);
            }
        }
    }

    fn unexpected(&mut self) {
        let start = self.pos;
        let text = self.src.text();
        // The first character is always consumed (a lone `/` is in `TOKEN_START`), then
        // the rest of a run of unexpected characters joins the same diagnostic.
        let mut end = start + text[start..].chars().next().map_or(1, char::len_utf8);
        while let Some(c) = text[end..].chars().next() {
            if c.is_ascii() && (is_ident_start(c as u8) || TOKEN_START.contains(c)) {
                break;
            }
            end += c.len_utf8();
        }
        self.pos = end;
        let shown: String = text[start..end].chars().take(16).collect();
        self.error(start, end, format!("unexpected character `{shown}`"));
    }
}

/// Characters (besides letters) that can start a token, whitespace or a comment.
const TOKEN_START: &str = "0123456789 \t\r\n#/\"':;,{}()=<>[]*&+-.";

/// The bytes of a literal: source text between quotes plus ASCII escapes, so valid
/// UTF-8; the lossy conversion only guards that invariant.
fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
