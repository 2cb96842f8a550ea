//! Call contexts: what middleware knows about the call it handles.
//!
//! Every call carries a context, `&mut Cx` in [`motore::Service::call`]. Its parts:
//!
//! - [`RpcInfo`]: the [`Role`] (client or server), the caller and callee
//!   [`Endpoint`]s, the method name, and per-call options ([`Config`]).
//! - Protocol data: [`ClientInfo`] / [`ServerInfo`] (sequence id, [`Timings`]), or a
//!   protocol crate's own type.
//! - [`Extensions`]: typed values that layers attach for each other.
//!
//! [`RpcCx`] puts them together; [`ClientContext`] and [`ServerContext`] are the
//! protocol-independent instances. Middleware that only needs the RPC-level view is
//! generic over the [`Context`] trait.
//!
//! # Reuse
//!
//! A context can serve call after call: [`Reset::reset`] empties every per-call value
//! but keeps what was allocated (the extension map, endpoint tag maps), so a server
//! connection or a pooled client context does not allocate them again.

mod call;
mod config;
mod cx;
mod endpoint;
mod rpc_info;

pub use call::{ClientInfo, ServerInfo, Timings};
pub use config::Config;
pub use cx::{Context, RpcCx};
pub use endpoint::Endpoint;
pub use rpc_info::RpcInfo;

/// Typed values attached to a call, at most one per type.
///
/// Layers use it to pass data to each other without a central registry: a deadline,
/// the picked instance, a tracing span, user data.
pub use metainfo::TypeMap as Extensions;

/// The side of a call a context belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The side that sends the request.
    Client,
    /// The side that answers it.
    Server,
}

/// The protocol-independent client context.
pub type ClientContext = RpcCx<ClientInfo, Config>;

/// The protocol-independent server context.
pub type ServerContext = RpcCx<ServerInfo, Config>;

/// Per-call state that can be cleared for the next call while keeping its
/// allocations.
///
/// Protocol crates implement it for their inner context data, so that
/// [`RpcCx::reset`](Reset::reset) covers them too.
pub trait Reset {
    /// Clears every per-call value, keeping allocated capacity where there is some.
    fn reset(&mut self);
}

impl Reset for () {
    fn reset(&mut self) {}
}
