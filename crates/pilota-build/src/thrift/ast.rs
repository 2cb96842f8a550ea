//! The Thrift abstract syntax tree.
//!
//! One [`Document`] per `.thrift` file: its [`Header`]s (`include`, `cpp_include`,
//! `namespace`) and its [`Definition`]s in source order. The tree stays close to the
//! source (names as written, `byte` already folded into [`BaseType::I8`], `slist` into
//! [`BaseType::String`], `async` into `oneway`) but carries what Apache Thrift 0.25
//! computes while parsing:
//!
//! - field ids: a [`FieldId`] holds the id the wire uses. Fields without an id get the
//!   Apache implicit ids (-1, -2, ... in declaration order, per field list); a written
//!   non-positive id is replaced the same way unless negative ids were allowed
//!   (`--allow-neg-keys` in Apache, [`ParseOptions`](super::ParseOptions) here);
//! - enum values: every [`EnumValue::value`] is filled in (implicit values count up
//!   from the previous one, starting at 0);
//! - doc comments (`/** ... */`, cleaned of the leading `*`s and common indentation)
//!   attached to the next definition, field, enum value or function;
//! - requiredness: `optional` in argument and `throws` lists is ignored (as Apache
//!   does) and becomes [`Requiredness::Default`].
//!
//! Every definition, field, type and const value has a [`Span`] (file id + byte range);
//! [`SourceFile::line_col`](super::SourceFile::line_col) turns it into line:col.
//! Names are not resolved here: a [`TypeKind::Named`] holds a [`TypeRef`] as written
//! (possibly `module.Name`), and [`ParsedIdl::resolve`](super::ParsedIdl::resolve)
//! tells what it refers to.

use super::span::{FileId, Span};

/// A name as written in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The text, possibly containing dots (`shared.SharedStruct`).
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal, escapes already decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrLit {
    /// The decoded value.
    pub value: String,
    /// Where the literal is, quotes included.
    pub span: Span,
}

/// One parsed `.thrift` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file this document was parsed from.
    pub file: FileId,
    /// The program doc comment: the first `/** */` of the file when it is followed by a
    /// header (or nothing) rather than attached to the first definition.
    pub doc: Option<String>,
    /// `include`, `cpp_include` and `namespace` statements in source order.
    pub headers: Vec<Header>,
    /// Definitions in source order.
    pub definitions: Vec<Definition>,
}

impl Document {
    /// The `include` statements, in order.
    pub fn includes(&self) -> impl Iterator<Item = &Include> {
        self.headers.iter().filter_map(|h| match h {
            Header::Include(i) => Some(i),
            _ => None,
        })
    }

    /// The namespace declared for `scope` (e.g. `"rs"`), falling back to `*`.
    pub fn namespace(&self, scope: &str) -> Option<&Namespace> {
        let mut star = None;
        for h in &self.headers {
            if let Header::Namespace(ns) = h {
                if ns.scope.name == scope {
                    return Some(ns);
                }
                if ns.scope.name == "*" {
                    star = Some(ns);
                }
            }
        }
        star
    }
}

/// A header statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Header {
    /// `include "path.thrift"`
    Include(Include),
    /// `cpp_include "header.h"`
    CppInclude(StrLit),
    /// `namespace <scope> <name>`
    Namespace(Namespace),
}

/// `include "path.thrift"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    /// The path as written.
    pub path: StrLit,
    /// The whole statement.
    pub span: Span,
}

impl Include {
    /// The prefix that qualifies names from the included file: its file name without
    /// the directory and the extension (`"a/shared.thrift"` → `shared`), as Apache
    /// names programs.
    pub fn prefix(&self) -> &str {
        let name = self.path.value.rsplit(['/', '\\']).next().unwrap_or("");
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// `namespace <scope> <name> (annotations)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Namespace {
    /// The language scope (`rs`, `java`, `*`, or any unknown word).
    pub scope: Ident,
    /// The namespace, possibly dotted.
    pub name: Ident,
    /// Annotations after the name.
    pub annotations: Annotations,
    /// The whole statement.
    pub span: Span,
}

/// A top-level definition.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// `typedef <type> <name>`
    Typedef(Typedef),
    /// `const <type> <name> = <value>`
    Const(Const),
    /// `enum <name> { ... }`
    Enum(Enum),
    /// `senum <name> { "a", "b" }` (deprecated string enum).
    Senum(Senum),
    /// `struct`, `union` or `exception`.
    Struct(Struct),
    /// `service <name> extends <base> { ... }`
    Service(Service),
}

impl Definition {
    /// The defined name.
    pub fn name(&self) -> &Ident {
        match self {
            Definition::Typedef(d) => &d.name,
            Definition::Const(d) => &d.name,
            Definition::Enum(d) => &d.name,
            Definition::Senum(d) => &d.name,
            Definition::Struct(d) => &d.name,
            Definition::Service(d) => &d.name,
        }
    }

    /// The whole definition.
    pub fn span(&self) -> Span {
        match self {
            Definition::Typedef(d) => d.span,
            Definition::Const(d) => d.span,
            Definition::Enum(d) => d.span,
            Definition::Senum(d) => d.span,
            Definition::Struct(d) => d.span,
            Definition::Service(d) => d.span,
        }
    }

    /// The attached doc comment.
    pub fn doc(&self) -> Option<&str> {
        match self {
            Definition::Typedef(d) => d.doc.as_deref(),
            Definition::Const(d) => d.doc.as_deref(),
            Definition::Enum(d) => d.doc.as_deref(),
            Definition::Senum(d) => d.doc.as_deref(),
            Definition::Struct(d) => d.doc.as_deref(),
            Definition::Service(d) => d.doc.as_deref(),
        }
    }

    /// Whether the definition is a type (everything but `const` and `service`).
    pub fn is_type(&self) -> bool {
        !matches!(self, Definition::Const(_) | Definition::Service(_))
    }
}

/// `typedef <type> <name> (annotations)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Typedef {
    /// Doc comment.
    pub doc: Option<String>,
    /// The aliased type.
    pub ty: Type,
    /// The new name.
    pub name: Ident,
    /// Annotations after the name.
    pub annotations: Annotations,
    /// The whole definition.
    pub span: Span,
}

/// `const <type> <name> = <value>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Const {
    /// Doc comment.
    pub doc: Option<String>,
    /// The declared type.
    pub ty: Type,
    /// The name.
    pub name: Ident,
    /// The value.
    pub value: ConstValue,
    /// The whole definition.
    pub span: Span,
}

/// `enum <name> { A, B = 5, C = 0x10 } (annotations)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Doc comment.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The values in source order.
    pub values: Vec<EnumValue>,
    /// Annotations after the closing brace.
    pub annotations: Annotations,
    /// The whole definition.
    pub span: Span,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Doc comment.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The value: written, or one more than the previous value (0 for the first).
    pub value: i32,
    /// Whether the value was written (`= n`).
    pub explicit: bool,
    /// Annotations after the value.
    pub annotations: Annotations,
    /// The whole value declaration.
    pub span: Span,
}

/// `senum <name> { "a", "b" }`: a deprecated enum of strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Senum {
    /// Doc comment.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The allowed strings.
    pub values: Vec<StrLit>,
    /// Annotations after the closing brace.
    pub annotations: Annotations,
    /// The whole definition.
    pub span: Span,
}

/// Which keyword introduced a [`Struct`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructKind {
    /// `struct`
    Struct,
    /// `union`
    Union,
    /// `exception`
    Exception,
}

/// A `struct`, `union` or `exception`.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Doc comment.
    pub doc: Option<String>,
    /// `struct`, `union` or `exception`.
    pub kind: StructKind,
    /// The name.
    pub name: Ident,
    /// The legacy `xsd_all` marker after the name.
    pub xsd_all: bool,
    /// The fields in source order.
    pub fields: Vec<Field>,
    /// Annotations after the closing brace.
    pub annotations: Annotations,
    /// The whole definition.
    pub span: Span,
}

/// `service <name> extends <base> { functions } (annotations)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Doc comment.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The base service, possibly qualified (`shared.SharedService`).
    pub extends: Option<TypeRef>,
    /// The functions in source order.
    pub functions: Vec<Function>,
    /// Annotations after the closing brace.
    pub annotations: Annotations,
    /// The whole definition.
    pub span: Span,
}

/// One service function.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// Doc comment.
    pub doc: Option<String>,
    /// `oneway` (or the deprecated `async`) was written.
    pub oneway: bool,
    /// The result type; `None` for `void`.
    pub result: Option<Type>,
    /// The name.
    pub name: Ident,
    /// The arguments (a field list; `optional` is ignored here).
    pub args: Vec<Field>,
    /// The `throws (...)` fields, empty when there is no clause.
    pub throws: Vec<Field>,
    /// Annotations after the throws clause.
    pub annotations: Annotations,
    /// The whole function declaration.
    pub span: Span,
}

/// One field of a struct, union, exception, argument list or `throws` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Doc comment.
    pub doc: Option<String>,
    /// The field id and how it was obtained.
    pub id: FieldId,
    /// `required`, `optional` or neither.
    pub requiredness: Requiredness,
    /// The field type.
    pub ty: Type,
    /// The `&` reference marker (C++: hold the field by pointer).
    pub reference: bool,
    /// The name (keywords such as `type` or `i8` are allowed as field names).
    pub name: Ident,
    /// The default value after `=`.
    pub default: Option<ConstValue>,
    /// Legacy `xsd_optional` marker.
    pub xsd_optional: bool,
    /// Legacy `xsd_nillable` marker.
    pub xsd_nillable: bool,
    /// Legacy `xsd_attrs { fields }`.
    pub xsd_attrs: Option<Vec<Field>>,
    /// Annotations after the field.
    pub annotations: Annotations,
    /// The whole field declaration.
    pub span: Span,
}

/// A field id as the wire uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId {
    /// The id.
    pub value: i32,
    /// Where it came from.
    pub origin: FieldIdOrigin,
}

/// How a [`FieldId`] was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldIdOrigin {
    /// Written as `n:`.
    Explicit,
    /// Not written: assigned -1, -2, ... in declaration order (Apache behaviour).
    Implicit,
    /// Written as a non-positive number while negative ids are not allowed: Apache
    /// warns and assigns the next implicit id instead, which `value` holds.
    Reassigned {
        /// The number that was written.
        written: i64,
    },
}

/// Field requiredness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requiredness {
    /// `required`
    Required,
    /// `optional`
    Optional,
    /// Neither: Apache's "default requiredness" (written when set, read if present).
    Default,
}

/// A type as written, with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Type {
    /// What type it is.
    pub kind: TypeKind,
    /// Annotations written right after the type (`i32 (cpp.type = "x")`).
    pub annotations: Annotations,
    /// Where the type is (annotations included).
    pub span: Span,
}

/// The shape of a [`Type`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A built-in type.
    Base(BaseType),
    /// A reference to a typedef, enum, struct, union, exception (or senum).
    Named(TypeRef),
    /// `list<T>` with an optional `cpp_type "..."`.
    List {
        /// Element type.
        elem: Box<Type>,
        /// `cpp_type` literal, if any.
        cpp_type: Option<StrLit>,
    },
    /// `set<T>` with an optional `cpp_type "..."`.
    Set {
        /// Element type.
        elem: Box<Type>,
        /// `cpp_type` literal, if any.
        cpp_type: Option<StrLit>,
    },
    /// `map<K, V>` with an optional `cpp_type "..."`.
    Map {
        /// Key type.
        key: Box<Type>,
        /// Value type.
        value: Box<Type>,
        /// `cpp_type` literal, if any.
        cpp_type: Option<StrLit>,
    },
}

/// A reference to a named definition, as written: `Name` for the same file, or
/// `prefix.Name` for a definition of the included file whose name is `prefix.thrift`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeRef {
    /// The name as written.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

impl TypeRef {
    /// Splits `prefix.Name` into `(Some("prefix"), "Name")`, `Name` into `(None, "Name")`.
    pub fn split(&self) -> (Option<&str>, &str) {
        match self.name.rsplit_once('.') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, &self.name),
        }
    }
}

/// Built-in types. `byte` is [`BaseType::I8`], the deprecated `slist` is
/// [`BaseType::String`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseType {
    /// `bool`
    Bool,
    /// `i8` (or `byte`)
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `double`
    Double,
    /// `string` (or `slist`)
    String,
    /// `binary`
    Binary,
    /// `uuid`
    Uuid,
}

impl BaseType {
    /// The Thrift keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            BaseType::Bool => "bool",
            BaseType::I8 => "i8",
            BaseType::I16 => "i16",
            BaseType::I32 => "i32",
            BaseType::I64 => "i64",
            BaseType::Double => "double",
            BaseType::String => "string",
            BaseType::Binary => "binary",
            BaseType::Uuid => "uuid",
        }
    }
}

/// A constant value: in a `const`, a field default, nested in lists and maps.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstValue {
    /// The value.
    pub kind: ConstValueKind,
    /// Where it is.
    pub span: Span,
}

/// The shape of a [`ConstValue`].
#[derive(Debug, Clone, PartialEq)]
pub enum ConstValueKind {
    /// An integer (decimal or hex); `true` and `false` are 1 and 0, as in Apache.
    Int(i64),
    /// A floating-point number.
    Double(f64),
    /// A string literal (escapes decoded).
    String(String),
    /// A name: another constant, `Enum.VALUE`, or `prefix.Enum.VALUE` / `prefix.CONST`.
    Identifier(String),
    /// `[a, b, c]`
    List(Vec<ConstValue>),
    /// `{k: v, ...}`, also used for struct-valued constants (keys are field names).
    Map(Vec<(ConstValue, ConstValue)>),
}

/// A list of annotations `( key = "value", flag, ... )`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annotations(pub Vec<Annotation>);

impl Annotations {
    /// Whether there are no annotations.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The annotations in source order.
    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.0.iter()
    }

    /// The value of the last annotation named `key` (`"1"` for a bare key, as in Apache).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|a| a.key.name == key)
            .map(Annotation::value_str)
    }
}

/// One annotation: `key = "value"` or a bare `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The key (may be dotted: `cpp.type`).
    pub key: Ident,
    /// The value, absent for a bare key.
    pub value: Option<StrLit>,
    /// The whole annotation.
    pub span: Span,
}

impl Annotation {
    /// The value; `"1"` for a bare key, as Apache defines it.
    pub fn value_str(&self) -> &str {
        self.value.as_ref().map_or("1", |v| v.value.as_str())
    }
}
