//! Wire-level enums and the message envelope.

use faststr::FastStr;

use super::DecodeError;

/// The type of a value on the wire, with the binary protocol's type ids.
///
/// Strings and binaries share [`TType::Binary`]; unions and exceptions travel
/// as [`TType::Struct`]; enums travel as [`TType::I32`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum TType {
    /// End of a struct's fields.
    Stop = 0,
    /// No value (never valid on the wire as a value type).
    Void = 1,
    /// `bool`.
    Bool = 2,
    /// `i8` (`byte` in older IDL).
    I8 = 3,
    /// `double`.
    Double = 4,
    /// `i16`.
    I16 = 6,
    /// `i32`, also enums.
    I32 = 8,
    /// `i64`.
    I64 = 10,
    /// `string` and `binary`.
    Binary = 11,
    /// `struct`, `union` and `exception`.
    Struct = 12,
    /// `map`.
    Map = 13,
    /// `set`.
    Set = 14,
    /// `list`.
    List = 15,
    /// `uuid`.
    Uuid = 16,
}

impl TType {
    /// The binary protocol's id of this type.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl TryFrom<u8> for TType {
    type Error = DecodeError;

    /// Maps a binary protocol type id to its type.
    #[inline]
    fn try_from(b: u8) -> Result<Self, DecodeError> {
        Ok(match b {
            0 => Self::Stop,
            1 => Self::Void,
            2 => Self::Bool,
            3 => Self::I8,
            4 => Self::Double,
            6 => Self::I16,
            8 => Self::I32,
            10 => Self::I64,
            11 => Self::Binary,
            12 => Self::Struct,
            13 => Self::Map,
            14 => Self::Set,
            15 => Self::List,
            16 => Self::Uuid,
            _ => return Err(unknown_type(b)),
        })
    }
}

#[cold]
fn unknown_type(b: u8) -> DecodeError {
    DecodeError::invalid_data(format!("unknown thrift type id {b}"))
}

/// The kind of an RPC message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TMessageType {
    /// A request that expects a reply.
    Call = 1,
    /// A normal reply (the result struct).
    Reply = 2,
    /// A reply carrying an [`ApplicationException`](super::ApplicationException).
    Exception = 3,
    /// A request without a reply.
    OneWay = 4,
}

impl TMessageType {
    /// The wire value of this message type.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl TryFrom<u8> for TMessageType {
    type Error = DecodeError;

    #[inline]
    fn try_from(b: u8) -> Result<Self, DecodeError> {
        Ok(match b {
            1 => Self::Call,
            2 => Self::Reply,
            3 => Self::Exception,
            4 => Self::OneWay,
            _ => return Err(unknown_message_type(b)),
        })
    }
}

#[cold]
fn unknown_message_type(b: u8) -> DecodeError {
    DecodeError::invalid_data(format!("unknown message type {b}"))
}

/// The envelope of an RPC message: method name, kind and sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TMessageIdentifier {
    /// The method name (`Service:method` with the multiplexed protocol).
    pub name: FastStr,
    /// The kind of message.
    pub message_type: TMessageType,
    /// Chosen by the client, echoed by the server.
    pub sequence_number: i32,
}

impl TMessageIdentifier {
    /// Builds an identifier.
    pub fn new(name: FastStr, message_type: TMessageType, sequence_number: i32) -> Self {
        Self {
            name,
            message_type,
            sequence_number,
        }
    }
}
