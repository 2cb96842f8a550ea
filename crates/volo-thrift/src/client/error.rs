//! [`ClientError`]: why a call failed.

use std::{error::Error as StdError, fmt};

use pilota::thrift::ApplicationException;

use crate::codec::{CodecError, ttheader::BizStatus};

/// What kind of failure a [`ClientError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientErrorKind {
    /// Connecting, writing or reading failed, or the connection was lost
    /// while the call was pending.
    Transport,
    /// The reply could not be decoded or does not match the call.
    Protocol,
    /// The server answered with an `ApplicationException`.
    Application,
    /// The server answered with a business status (`biz-status`).
    Biz,
    /// The call's rpc timeout passed.
    Timeout,
    /// No instance to call: discovery failed or found nobody.
    LoadBalance,
}

/// A failed call.
///
/// Declared exceptions are not errors here: they are part of the response
/// (the generated `<method>_result` union), and generated clients return them
/// typed.
pub struct ClientError {
    inner: Box<Inner>,
}

enum Detail {
    None,
    Application(ApplicationException),
    Biz(BizStatus),
}

struct Inner {
    kind: ClientErrorKind,
    message: String,
    detail: Detail,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl ClientError {
    pub(crate) fn new(kind: ClientErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                detail: Detail::None,
                source: None,
            }),
        }
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn transport(e: impl StdError + Send + Sync + 'static) -> Self {
        Self::new(ClientErrorKind::Transport, e.to_string()).with_source(e)
    }

    pub(crate) fn connection_lost() -> Self {
        Self::new(
            ClientErrorKind::Transport,
            "the connection was lost before the reply arrived",
        )
    }

    pub(crate) fn application(e: ApplicationException) -> Self {
        let mut err = Self::new(ClientErrorKind::Application, e.to_string());
        err.inner.detail = Detail::Application(e);
        err
    }

    pub(crate) fn biz(status: BizStatus) -> Self {
        let mut err = Self::new(
            ClientErrorKind::Biz,
            format!("business status {}: {}", status.code, status.message),
        );
        err.inner.detail = Detail::Biz(status);
        err
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ClientErrorKind {
        self.inner.kind
    }

    /// Whether the connection failed.
    pub fn is_transport(&self) -> bool {
        self.inner.kind == ClientErrorKind::Transport
    }

    /// Whether the reply was malformed.
    pub fn is_protocol(&self) -> bool {
        self.inner.kind == ClientErrorKind::Protocol
    }

    /// Whether the rpc timeout passed.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ClientErrorKind::Timeout
    }

    /// The server's `ApplicationException`, if that is what failed the call.
    pub fn application_exception(&self) -> Option<&ApplicationException> {
        match &self.inner.detail {
            Detail::Application(e) => Some(e),
            _ => None,
        }
    }

    /// The server's business status, if that is what failed the call.
    pub fn biz_status(&self) -> Option<&BizStatus> {
        match &self.inner.detail {
            Detail::Biz(s) => Some(s),
            _ => None,
        }
    }
}

impl From<CodecError> for ClientError {
    fn from(e: CodecError) -> Self {
        let kind = if e.is_io() {
            ClientErrorKind::Transport
        } else {
            ClientErrorKind::Protocol
        };
        Self::new(kind, e.to_string()).with_source(e)
    }
}

impl fmt::Debug for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientError")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} error: {}", self.inner.kind, self.inner.message)
    }
}

impl StdError for ClientError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
