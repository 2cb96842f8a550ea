//! [`RpcCx`]: the generic call context, and the [`Context`] trait over contexts.

use std::ops::{Deref, DerefMut};

use super::{Extensions, Reset, RpcInfo};

/// What middleware needs from a call context, whatever the protocol.
///
/// Layers that only need the RPC-level view (service, method, caller and callee,
/// timeouts, typed extensions) are generic over `Cx: Context` and work for the Thrift
/// and gRPC contexts alike. A protocol's context is either an [`RpcCx`] with its own
/// inner data, or a newtype that implements this trait by delegation.
pub trait Context {
    /// The per-call options type.
    type Config;

    /// Returns what the call is.
    fn rpc_info(&self) -> &RpcInfo<Self::Config>;
    /// Returns what the call is, for update.
    fn rpc_info_mut(&mut self) -> &mut RpcInfo<Self::Config>;
    /// Returns the typed values attached to the call.
    fn extensions(&self) -> &Extensions;
    /// Returns the typed values attached to the call, for update.
    fn extensions_mut(&mut self) -> &mut Extensions;
}

/// A call context: the [`RpcInfo`], protocol data `I`, and typed [`Extensions`].
///
/// It dereferences to `I`, so `cx.seq_id()` reaches the inner data directly. Between
/// calls, [`Reset::reset`] makes it ready for reuse without giving back its allocations.
///
/// ```
/// use volo::context::{ClientContext, ClientInfo, Config, Endpoint, Role, RpcCx, RpcInfo};
///
/// let info = RpcInfo::<Config>::new(Role::Client)
///     .with_callee(Endpoint::new("echo"))
///     .with_method("Echo");
/// let mut cx: ClientContext = RpcCx::new(info, ClientInfo::default());
/// cx.set_seq_id(7);
/// cx.extensions_mut().insert(42u32);
///
/// assert_eq!(cx.seq_id(), 7);
/// assert_eq!(cx.rpc_info().method(), "Echo");
/// assert_eq!(cx.extensions().get::<u32>(), Some(&42));
/// ```
#[derive(Debug)]
pub struct RpcCx<I, Config> {
    rpc_info: RpcInfo<Config>,
    inner: I,
    extensions: Extensions,
}

impl<I, Config> RpcCx<I, Config> {
    /// Creates a context with no extensions.
    pub fn new(rpc_info: RpcInfo<Config>, inner: I) -> Self {
        Self {
            rpc_info,
            inner,
            extensions: Extensions::new(),
        }
    }

    /// Returns what the call is.
    pub fn rpc_info(&self) -> &RpcInfo<Config> {
        &self.rpc_info
    }

    /// Returns what the call is, for update.
    pub fn rpc_info_mut(&mut self) -> &mut RpcInfo<Config> {
        &mut self.rpc_info
    }

    /// Returns the protocol data.
    pub fn inner(&self) -> &I {
        &self.inner
    }

    /// Returns the protocol data, for update.
    pub fn inner_mut(&mut self) -> &mut I {
        &mut self.inner
    }

    /// Returns the typed values attached to the call.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// Returns the typed values attached to the call, for update.
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.extensions
    }
}

impl<I, Config> Context for RpcCx<I, Config> {
    type Config = Config;

    fn rpc_info(&self) -> &RpcInfo<Config> {
        &self.rpc_info
    }

    fn rpc_info_mut(&mut self) -> &mut RpcInfo<Config> {
        &mut self.rpc_info
    }

    fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.extensions
    }
}

impl<I, Config> Deref for RpcCx<I, Config> {
    type Target = I;

    fn deref(&self) -> &I {
        &self.inner
    }
}

impl<I, Config> DerefMut for RpcCx<I, Config> {
    fn deref_mut(&mut self) -> &mut I {
        &mut self.inner
    }
}

impl<I: Reset, Config: Reset> Reset for RpcCx<I, Config> {
    /// Resets the info and the inner data and removes every extension; the role stays,
    /// and the extension map and tag maps keep their capacity.
    fn reset(&mut self) {
        self.rpc_info.reset();
        self.inner.reset();
        self.extensions.clear();
    }
}
