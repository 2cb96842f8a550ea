//! Items: the definitions a file holds.

use super::{Attributes, Loc, ModelPath, Ty, Value};

/// A named definition in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The IDL name.
    pub name: String,
    /// Documentation from the IDL (doc comments), if any.
    pub docs: Option<String>,
    /// Annotations on the definition.
    pub attrs: Attributes,
    /// Where it was declared.
    pub loc: Option<Loc>,
    /// What it is.
    pub kind: ItemKind,
}

/// The kinds of items.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ItemKind {
    /// A struct (Thrift `struct`, Protobuf `message`).
    Message(Message),
    /// An exception: a message that is also an error.
    Exception(Message),
    /// A union: at most one field is set (Thrift `union`, Protobuf `oneof`).
    Union(Message),
    /// An enumeration of named i32 values.
    Enum(Enum),
    /// Another name for a type (Thrift `typedef`).
    Alias(Ty),
    /// A named constant.
    Const {
        /// Its type.
        ty: Ty,
        /// Its evaluated value.
        value: Value,
    },
    /// An RPC service.
    Service(Service),
}

/// The fields of a message, exception or union.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Fields in declaration order.
    pub fields: Vec<Field>,
}

/// Whether a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requiredness {
    /// Must be present on the wire; decoding fails without it.
    Required,
    /// May be absent; written only when set.
    Optional,
    /// Neither keyword was given (Thrift's "default requiredness"): read when present,
    /// written according to the backend's rule.
    Default,
}

/// A field of a message, exception, union, method arguments or throws clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field id (on the wire).
    pub id: i32,
    /// The IDL name.
    pub name: String,
    /// The type.
    pub ty: Ty,
    /// Whether it must be present.
    pub requiredness: Requiredness,
    /// The IDL default value.
    pub default: Option<Value>,
    /// Annotations on the field.
    pub attrs: Attributes,
    /// Documentation from the IDL.
    pub docs: Option<String>,
    /// Where it was declared.
    pub loc: Option<Loc>,
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The declared values in declaration order.
    pub variants: Vec<EnumVariant>,
}

/// One named value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The IDL name.
    pub name: String,
    /// The number.
    pub value: i32,
    /// Annotations on the value.
    pub attrs: Attributes,
    /// Documentation from the IDL.
    pub docs: Option<String>,
    /// Where it was declared.
    pub loc: Option<Loc>,
}

/// An RPC service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The service this one extends.
    pub extends: Option<ModelPath>,
    /// Methods in declaration order (without the inherited ones).
    pub methods: Vec<Method>,
}

/// A method of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// The IDL name (also the name on the wire).
    pub name: String,
    /// The arguments, as fields of the arguments message.
    pub args: Vec<Field>,
    /// The result type; `None` for `void`.
    pub result: Option<Ty>,
    /// The declared exceptions, as fields of the result union.
    pub throws: Vec<Field>,
    /// A one-way call has no reply.
    pub oneway: bool,
    /// Annotations on the method.
    pub attrs: Attributes,
    /// Documentation from the IDL.
    pub docs: Option<String>,
    /// Where it was declared.
    pub loc: Option<Loc>,
}
