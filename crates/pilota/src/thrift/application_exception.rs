//! `TApplicationException`: the error a server sends in an Exception message.

use std::fmt;

use faststr::FastStr;

use super::{
    DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TOutputProtocol, TType,
};

/// The `type` code of an [`ApplicationException`].
///
/// The codes are fixed by the Thrift spec; other values (Kitex adds 20 and
/// 21) are kept as they are, so a code always survives a round trip. The
/// constants can be used in `match` patterns.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationExceptionKind(i32);

impl ApplicationExceptionKind {
    /// 0: catch-all.
    pub const UNKNOWN: Self = Self(0);
    /// 1: the server has no such method.
    pub const UNKNOWN_METHOD: Self = Self(1);
    /// 2: the message type is not valid here.
    pub const INVALID_MESSAGE_TYPE: Self = Self(2);
    /// 3: the reply names another method.
    pub const WRONG_METHOD_NAME: Self = Self(3);
    /// 4: the reply's sequence id does not match.
    pub const BAD_SEQUENCE_ID: Self = Self(4);
    /// 5: the reply had neither a success value nor a declared exception.
    pub const MISSING_RESULT: Self = Self(5);
    /// 6: the handler failed with an undeclared error.
    pub const INTERNAL_ERROR: Self = Self(6);
    /// 7: the request could not be decoded.
    pub const PROTOCOL_ERROR: Self = Self(7);
    /// 8: a transform failed.
    pub const INVALID_TRANSFORM: Self = Self(8);
    /// 9: the protocol is not supported.
    pub const INVALID_PROTOCOL: Self = Self(9);
    /// 10: the client type is not supported.
    pub const UNSUPPORTED_CLIENT_TYPE: Self = Self(10);

    /// The kind with wire code `code`.
    pub const fn from_i32(code: i32) -> Self {
        Self(code)
    }

    /// The wire code.
    pub const fn as_i32(self) -> i32 {
        self.0
    }

    /// The spec's name of the code, if it is one of the spec's.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "UNKNOWN",
            1 => "UNKNOWN_METHOD",
            2 => "INVALID_MESSAGE_TYPE",
            3 => "WRONG_METHOD_NAME",
            4 => "BAD_SEQUENCE_ID",
            5 => "MISSING_RESULT",
            6 => "INTERNAL_ERROR",
            7 => "PROTOCOL_ERROR",
            8 => "INVALID_TRANSFORM",
            9 => "INVALID_PROTOCOL",
            10 => "UNSUPPORTED_CLIENT_TYPE",
            _ => return None,
        })
    }
}

impl fmt::Debug for ApplicationExceptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for ApplicationExceptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "code {}", self.0),
        }
    }
}

/// Thrift's `TApplicationException`, shaped on the wire like
/// `exception TApplicationException { 1: string message, 2: i32 type }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationException {
    kind: ApplicationExceptionKind,
    message: FastStr,
}

impl ApplicationException {
    /// An exception of `kind` with `message`.
    pub fn new(kind: ApplicationExceptionKind, message: impl Into<FastStr>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The code.
    pub fn kind(&self) -> ApplicationExceptionKind {
        self.kind
    }

    /// The message.
    pub fn message(&self) -> &FastStr {
        &self.message
    }
}

impl fmt::Display for ApplicationException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "application exception {}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApplicationException {}

impl From<DecodeError> for ApplicationException {
    /// A request that failed to decode is a `PROTOCOL_ERROR`.
    fn from(e: DecodeError) -> Self {
        Self::new(ApplicationExceptionKind::PROTOCOL_ERROR, e.to_string())
    }
}

const NAME: &str = "TApplicationException";

impl Message for ApplicationException {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin(NAME)?;
        p.write_field_begin(TType::Binary, 1)?;
        p.write_faststr(&self.message)?;
        p.write_field_end()?;
        p.write_field_begin(TType::I32, 2)?;
        p.write_i32(self.kind.as_i32())?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut message = FastStr::empty();
        let mut kind = ApplicationExceptionKind::UNKNOWN;
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Binary, 1) => message = p.read_string()?,
                (TType::I32, 2) => kind = ApplicationExceptionKind::from_i32(p.read_i32()?),
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(Self { kind, message })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len(NAME)
            + p.field_begin_len(TType::Binary, 1)
            + p.faststr_len(&self.message)
            + p.field_end_len()
            + p.field_begin_len(TType::I32, 2)
            + p.i32_len(self.kind.as_i32())
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}
