//! Typed errors of the Thrift codecs.
//!
//! Both error types are one pointer wide (the payload is boxed), so the hot
//! `Result<(), EncodeError>` and `Result<T, DecodeError>` stay small.

use std::{borrow::Cow, fmt};

/// What went wrong while decoding.
///
/// The list grows with the protocols, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before the value did, or a length or element count
    /// claims more bytes than are left. With an unframed transport, more
    /// input may complete the value; with a whole frame, it is malformed.
    Eof,
    /// The bytes do not form a valid value: an unknown type id, an overlong
    /// varint, an out of range field id, trailing bytes, ...
    InvalidData,
    /// A length or count on the wire is negative.
    NegativeSize,
    /// A length or count is over a limit configured in
    /// [`DecodeLimits`](super::DecodeLimits).
    SizeLimit,
    /// Structs and containers are nested deeper than the configured limit.
    DepthLimit,
    /// The message header names an unsupported protocol id or version.
    BadVersion,
    /// The input uses a feature this implementation does not support.
    NotImplemented,
    /// A `string` is not valid UTF-8.
    InvalidUtf8,
    /// A `required` field was absent.
    MissingRequiredField {
        /// Name of the struct in the IDL.
        r#struct: &'static str,
        /// Name of the missing field in the IDL.
        field: &'static str,
    },
}

/// An error from a Thrift input protocol or from generated `decode` code.
///
/// Inspect it with [`DecodeError::kind`]; `Display` gives a one-line
/// description.
pub struct DecodeError {
    inner: Box<DecodeErrorImpl>,
}

struct DecodeErrorImpl {
    kind: DecodeErrorKind,
    message: Cow<'static, str>,
}

impl DecodeError {
    /// Builds an error of `kind` with a human readable `message`.
    #[cold]
    pub fn new(kind: DecodeErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            inner: Box::new(DecodeErrorImpl {
                kind,
                message: message.into(),
            }),
        }
    }

    /// The error for a `required` field that the input did not contain.
    ///
    /// Generated code calls this with the IDL names, e.g.
    /// `DecodeError::missing_field("User", "id")`.
    #[cold]
    pub fn missing_field(r#struct: &'static str, field: &'static str) -> Self {
        Self::new(
            DecodeErrorKind::MissingRequiredField { r#struct, field },
            format!("required field `{field}` of `{struct}` is missing"),
        )
    }

    /// An [`DecodeErrorKind::InvalidData`] error.
    #[cold]
    pub fn invalid_data(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(DecodeErrorKind::InvalidData, message)
    }

    /// What went wrong.
    pub fn kind(&self) -> DecodeErrorKind {
        self.inner.kind
    }

    /// The description of the error, without the kind.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Whether the input ended too early (it may decode once more bytes
    /// arrive, as with an unframed transport).
    pub fn is_eof(&self) -> bool {
        self.inner.kind == DecodeErrorKind::Eof
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thrift decode error: {}", self.inner.message)
    }
}

impl std::error::Error for DecodeError {}

/// What went wrong while encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// A string, binary or container is longer than the protocol can express
    /// (`i32::MAX`).
    SizeLimit,
    /// A value cannot be written: e.g. unknown fields whose raw bytes do not
    /// decode when they are transcoded to another protocol.
    InvalidData,
    /// The value needs a feature this protocol does not support.
    NotImplemented,
}

/// An error from a Thrift output protocol or from generated `encode` code.
pub struct EncodeError {
    inner: Box<EncodeErrorImpl>,
}

struct EncodeErrorImpl {
    kind: EncodeErrorKind,
    message: Cow<'static, str>,
}

impl EncodeError {
    /// Builds an error of `kind` with a human readable `message`.
    #[cold]
    pub fn new(kind: EncodeErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            inner: Box::new(EncodeErrorImpl {
                kind,
                message: message.into(),
            }),
        }
    }

    /// The error for a length that does not fit the protocol's `i32` size.
    #[cold]
    pub(crate) fn too_long(what: &'static str, len: usize) -> Self {
        Self::new(
            EncodeErrorKind::SizeLimit,
            format!("{what} of length {len} is longer than i32::MAX"),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> EncodeErrorKind {
        self.inner.kind
    }

    /// The description of the error, without the kind.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
}

impl fmt::Debug for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodeError")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thrift encode error: {}", self.inner.message)
    }
}

impl std::error::Error for EncodeError {}

impl From<DecodeError> for EncodeError {
    /// Used when unknown fields are transcoded between protocols and their raw
    /// bytes fail to decode.
    fn from(e: DecodeError) -> Self {
        Self::new(
            EncodeErrorKind::InvalidData,
            format!("cannot transcode unknown field: {}", e.message()),
        )
    }
}
