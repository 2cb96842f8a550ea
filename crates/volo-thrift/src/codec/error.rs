//! [`CodecError`]: everything that can go wrong while framing, decoding or
//! encoding a Thrift message.

use std::{borrow::Cow, error::Error as StdError, fmt, io};

use pilota::thrift::{DecodeError, EncodeError};

/// What went wrong in the codec.
///
/// The list grows with the supported transports, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodecErrorKind {
    /// Reading from or writing to the connection failed.
    Io,
    /// The connection closed in the middle of a frame.
    UnexpectedEof,
    /// A frame or message is larger than the configured maximum.
    FrameTooLarge,
    /// The first bytes of the connection match no Thrift transport or protocol.
    UnknownProtocol,
    /// The peer speaks HTTP/2 (for example gRPC), not Thrift.
    NotThrift,
    /// The peer uses a feature this implementation does not support: a TTHeader
    /// transform, Kitex Protobuf, the Kitex mesh header.
    Unsupported,
    /// A frame is malformed: a bad TTHeader magic, header size, count or
    /// length, an unknown info block or protocol id.
    InvalidFrame,
    /// The message inside a frame could not be decoded (the source is a
    /// [`pilota::thrift::DecodeError`]).
    Decode,
    /// A message could not be encoded (the source is a
    /// [`pilota::thrift::EncodeError`], or a header that does not fit).
    Encode,
    /// The request names a method the service does not have.
    UnknownMethod,
    /// The request names (by TTHeader `isn`) an IDL service the server does
    /// not host.
    UnknownService,
}

impl CodecErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Io => "i/o error",
            Self::UnexpectedEof => "connection closed mid-frame",
            Self::FrameTooLarge => "frame too large",
            Self::UnknownProtocol => "unknown protocol",
            Self::NotThrift => "not thrift",
            Self::Unsupported => "unsupported",
            Self::InvalidFrame => "invalid frame",
            Self::Decode => "decode error",
            Self::Encode => "encode error",
            Self::UnknownMethod => "unknown method",
            Self::UnknownService => "unknown service",
        }
    }
}

/// An error of the Thrift codec: a [`CodecErrorKind`], a description, the
/// underlying error if there is one, and the sequence id of the message it
/// concerns when that much could be read (a server answers with an
/// `ApplicationException` carrying it).
///
/// One pointer wide, so `Result<_, CodecError>` stays small.
pub struct CodecError {
    inner: Box<Inner>,
}

struct Inner {
    kind: CodecErrorKind,
    message: Cow<'static, str>,
    source: Option<Box<dyn StdError + Send + Sync>>,
    seq_id: Option<i32>,
}

impl CodecError {
    /// An error of `kind` described by `message`.
    #[cold]
    pub fn new(kind: CodecErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                source: None,
                seq_id: None,
            }),
        }
    }

    /// The error generated `EntryMessage::decode` code returns for a method
    /// name it does not know; a server answers it with `UNKNOWN_METHOD`.
    #[cold]
    pub fn unknown_method(name: &str) -> Self {
        Self::new(
            CodecErrorKind::UnknownMethod,
            format!("unknown method `{name}`"),
        )
    }

    /// The error a router returns for an IDL service name it does not know;
    /// a server answers it with Kitex's code 20 (unknown service).
    #[cold]
    pub fn unknown_service(name: &str) -> Self {
        Self::new(
            CodecErrorKind::UnknownService,
            format!("unknown service `{name}`"),
        )
    }

    #[cold]
    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Records the sequence id of the message the error concerns, unless one
    /// is already known.
    #[must_use]
    pub fn with_seq_id(mut self, seq_id: Option<i32>) -> Self {
        if self.inner.seq_id.is_none() {
            self.inner.seq_id = seq_id;
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> CodecErrorKind {
        self.inner.kind
    }

    /// The description of the error.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The sequence id of the message the error concerns, if it could be read.
    pub fn seq_id(&self) -> Option<i32> {
        self.inner.seq_id
    }

    /// Whether the connection failed or closed mid-frame.
    pub fn is_io(&self) -> bool {
        matches!(
            self.inner.kind,
            CodecErrorKind::Io | CodecErrorKind::UnexpectedEof
        )
    }

    /// Whether the peer sent bytes that are not a valid message of a supported
    /// protocol (every kind but I/O, encoding, unknown method and service).
    pub fn is_protocol(&self) -> bool {
        !matches!(
            self.inner.kind,
            CodecErrorKind::Io
                | CodecErrorKind::UnexpectedEof
                | CodecErrorKind::Encode
                | CodecErrorKind::UnknownMethod
                | CodecErrorKind::UnknownService
        )
    }

    /// The underlying [`DecodeError`], if this is a decode error.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        self.inner.source.as_ref()?.downcast_ref()
    }
}

impl fmt::Debug for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CodecError");
        d.field("kind", &self.inner.kind)
            .field("message", &self.inner.message);
        if let Some(seq_id) = self.inner.seq_id {
            d.field("seq_id", &seq_id);
        }
        if let Some(source) = &self.inner.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.kind.as_str(), self.inner.message)
    }
}

impl StdError for CodecError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<DecodeError> for CodecError {
    fn from(e: DecodeError) -> Self {
        Self::new(CodecErrorKind::Decode, e.message().to_owned()).with_source(e)
    }
}

impl From<EncodeError> for CodecError {
    fn from(e: EncodeError) -> Self {
        Self::new(CodecErrorKind::Encode, e.message().to_owned()).with_source(e)
    }
}

impl From<io::Error> for CodecError {
    fn from(e: io::Error) -> Self {
        Self::new(CodecErrorKind::Io, e.to_string()).with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use pilota::thrift::DecodeErrorKind;

    use super::*;

    #[test]
    fn decode_errors_keep_their_source_and_seq_id() {
        let e = CodecError::from(DecodeError::new(DecodeErrorKind::Eof, "short"))
            .with_seq_id(Some(7))
            .with_seq_id(Some(9));
        assert_eq!(e.kind(), CodecErrorKind::Decode);
        assert_eq!(e.seq_id(), Some(7));
        assert!(e.is_protocol() && !e.is_io());
        assert_eq!(
            e.decode_error().map(|d| d.kind()),
            Some(DecodeErrorKind::Eof)
        );
        assert!(e.to_string().contains("short"));
        assert!(StdError::source(&e).is_some());
    }

    #[test]
    fn io_errors_are_not_protocol_errors() {
        let e = CodecError::from(io::Error::other("reset"));
        assert!(e.is_io() && !e.is_protocol());
        assert!(e.decode_error().is_none());
    }
}
