//! Types of fields, aliases, constants and method results.

use super::ModelPath;

/// A type as the IDL wrote it. Named types stay paths (aliases are not expanded here:
/// see [`super::Model::resolve_alias`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// 8-bit signed integer (Thrift `i8`/`byte`).
    I8,
    /// 16-bit signed integer.
    I16,
    /// 32-bit signed integer.
    I32,
    /// 64-bit signed integer.
    I64,
    /// 32-bit float (Protobuf `float`; Thrift has none).
    F32,
    /// 64-bit float (Thrift `double`).
    F64,
    /// UTF-8 text.
    String,
    /// Raw bytes.
    Binary,
    /// A 16-byte UUID.
    Uuid,
    /// An ordered sequence.
    List(Box<Ty>),
    /// A set without duplicates.
    Set(Box<Ty>),
    /// A map from keys to values.
    Map(Box<Ty>, Box<Ty>),
    /// A named item: a message, exception, union, enum or alias.
    Path(ModelPath),
}
