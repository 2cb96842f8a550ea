//! [`Router`]: several IDL services on one server, picked by TTHeader `isn`.

use motore::{BoxError, Service};
use pilota::thrift::{
    EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier, TOutputProtocol,
};

use crate::{EntryMessage, ServerContext, codec::CodecError};

/// The IDL service a generated request or response type belongs to.
pub trait NamedService {
    /// The IDL service name, as clients put it in TTHeader `isn`.
    const SERVICE_NAME: &'static str;
}

/// Which IDL service names a message type answers to: its own for a
/// [`NamedService`], all of its parts' for a [`Routed`].
pub trait Routes {
    /// Whether `service` is one of them.
    fn serves(service: &str) -> bool;
}

impl<T: NamedService> Routes for T {
    fn serves(service: &str) -> bool {
        service == T::SERVICE_NAME
    }
}

/// A message of one of two services: the request (or response) type of a
/// [`Router`]. Nest it for more services: `Routed<A, Routed<B, C>>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Routed<A, B> {
    /// A message of the first service, the default.
    First(A),
    /// A message of the second service.
    Second(B),
}

impl<A: Routes, B: Routes> Routes for Routed<A, B> {
    fn serves(service: &str) -> bool {
        A::serves(service) || B::serves(service)
    }
}

impl<A, B> EntryMessage for Routed<A, B>
where
    A: EntryMessage + Routes,
    B: EntryMessage + Routes,
{
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        match self {
            Routed::First(a) => a.encode(p),
            Routed::Second(b) => b.encode(p),
        }
    }

    /// Without a service name, the first service.
    fn decode<P: TInputProtocol>(p: &mut P, id: &TMessageIdentifier) -> Result<Self, CodecError> {
        A::decode(p, id).map(Routed::First)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        match self {
            Routed::First(a) => a.size(p),
            Routed::Second(b) => b.size(p),
        }
    }

    fn decode_for_service<P: TInputProtocol>(
        p: &mut P,
        id: &TMessageIdentifier,
        service: Option<&str>,
    ) -> Result<Self, CodecError> {
        match service {
            None => A::decode_for_service(p, id, None).map(Routed::First),
            Some(s) if A::serves(s) => A::decode_for_service(p, id, service).map(Routed::First),
            Some(s) if B::serves(s) => B::decode_for_service(p, id, service).map(Routed::Second),
            Some(s) => Err(CodecError::unknown_service(s)),
        }
    }
}

/// Serves two IDL services on one server: a request goes to the service its
/// TTHeader `isn` names, or to the first one when it names none (requests
/// of other transports name none). Nest routers for more services:
/// `Router::new(a, Router::new(b, c))`.
///
/// The request type is [`Routed`] over the services' request types, which
/// implement [`NamedService`] (generated code does).
#[derive(Debug, Clone)]
pub struct Router<A, B> {
    first: A,
    second: B,
}

impl<A, B> Router<A, B> {
    /// A router whose default service is `first`.
    pub fn new(first: A, second: B) -> Self {
        Self { first, second }
    }
}

impl<A, B, RA, RB> Service<ServerContext, Routed<RA, RB>> for Router<A, B>
where
    A: Service<ServerContext, RA> + Sync,
    B: Service<ServerContext, RB> + Sync,
    A::Error: Into<BoxError>,
    B::Error: Into<BoxError>,
    RA: Send,
    RB: Send,
{
    type Response = Routed<A::Response, B::Response>;
    type Error = BoxError;

    async fn call(
        &self,
        cx: &mut ServerContext,
        req: Routed<RA, RB>,
    ) -> Result<Self::Response, BoxError> {
        match req {
            Routed::First(r) => self
                .first
                .call(cx, r)
                .await
                .map(Routed::First)
                .map_err(Into::into),
            Routed::Second(r) => self
                .second
                .call(cx, r)
                .await
                .map(Routed::Second)
                .map_err(Into::into),
        }
    }
}
