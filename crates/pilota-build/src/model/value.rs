//! Constant values: const definitions and field default values, already evaluated.

use super::ModelPath;

/// An evaluated constant. Front ends resolve references to other constants, so a value
/// never refers to a constant; it may name an enum variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer (also used for an enum value given as a number).
    Int(i64),
    /// A floating point number.
    Double(f64),
    /// A string (also the value of a binary constant).
    String(String),
    /// The elements of a list or set.
    List(Vec<Value>),
    /// The entries of a map, in declaration order.
    Map(Vec<(Value, Value)>),
    /// A variant of an enum.
    EnumVariant {
        /// The enum.
        path: ModelPath,
        /// The variant's IDL name.
        variant: String,
        /// The variant's number.
        value: i32,
    },
    /// A message (struct, exception or union) given field by field.
    Message {
        /// The message type.
        path: ModelPath,
        /// `(field IDL name, value)` in declaration order.
        fields: Vec<(String, Value)>,
    },
}
