//! Service discovery: from a callee [`Endpoint`] to the [`Instance`]s serving it.
//!
//! A [`Discover`] resolves an endpoint to instances and may announce later
//! [`Change`]s; a [`LoadBalance`](crate::loadbalance::LoadBalance) caches what it
//! resolved per [`Discover::Key`] and updates the cache from those changes.
//!
//! Provided here: [`StaticDiscover`] (a fixed list) and [`DummyDiscover`] (no
//! instances). Registry-backed implementations live in their own crates.

mod change;
mod fixed;

use std::{collections::HashMap, future::Future, hash::Hash, sync::Arc};

use faststr::FastStr;
use tokio::sync::broadcast;

pub use change::Change;
pub use fixed::{DummyDiscover, StaticDiscover};

use crate::{context::Endpoint, net::Address};

/// The weight [`Instance::new`] gives.
pub const DEFAULT_WEIGHT: u32 = 100;

/// One instance of a service: where it listens, how much traffic it takes relative to
/// its peers, and its tags (zone, version, ...).
///
/// An instance with weight 0 receives no traffic.
///
/// ```
/// use volo::discovery::Instance;
///
/// let instance = Instance::new("127.0.0.1:8080".parse().unwrap())
///     .with_weight(50)
///     .with_tag("zone", "a");
/// assert_eq!(instance.weight, 50);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Where the instance listens.
    pub address: Address,
    /// Its share of traffic relative to the other instances of the service.
    pub weight: u32,
    /// Free-form string tags.
    pub tags: HashMap<FastStr, FastStr>,
}

impl Instance {
    /// Creates an instance at `address` with weight [`DEFAULT_WEIGHT`] and no tags.
    pub fn new(address: Address) -> Self {
        Self {
            address,
            weight: DEFAULT_WEIGHT,
            tags: HashMap::new(),
        }
    }

    /// Sets the weight.
    #[must_use]
    pub fn with_weight(mut self, weight: u32) -> Self {
        self.weight = weight;
        self
    }

    /// Adds a tag, replacing any tag with the same key.
    #[must_use]
    pub fn with_tag(mut self, key: impl Into<FastStr>, value: impl Into<FastStr>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }
}

impl From<Address> for Instance {
    fn from(address: Address) -> Self {
        Instance::new(address)
    }
}

/// Resolves a callee [`Endpoint`] to the instances serving it.
///
/// The trait uses `impl Future` returns (no boxing), so it is not object safe: code
/// is generic over `D: Discover`.
///
/// # Keys and caching
///
/// [`key`](Discover::key) names the result of discovering an endpoint: two endpoints
/// with the same key resolve to the same instances. Load balancers cache per key, so
/// the key must capture everything `discover` looks at (usually the service name and
/// the tags that select a cluster), and nothing more.
///
/// # Changes
///
/// A discover whose instances change over time returns a receiver from
/// [`watch`](Discover::watch) and sends a [`Change`] for a key whenever its instances
/// change ([`Change::diff`] builds one). The load-balancing layer forwards each change
/// to [`LoadBalance::rebalance`](crate::loadbalance::LoadBalance::rebalance). A
/// discover that never changes returns `None`.
pub trait Discover: Send + Sync + 'static {
    /// Identifies what an endpoint resolves to, for caching.
    type Key: Hash + Eq + Clone + Send + Sync + 'static;
    /// Why discovery failed.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Returns the cache key of `endpoint`.
    fn key(&self, endpoint: &Endpoint) -> Self::Key;

    /// Resolves `endpoint` to its instances. An empty list is a success: the service
    /// exists and has no instance right now.
    fn discover(
        &self,
        endpoint: &Endpoint,
    ) -> impl Future<Output = Result<Vec<Arc<Instance>>, Self::Error>> + Send;

    /// Subscribes to changes of the given keys, or of every key with `None`; returns
    /// `None` if this discover never announces changes.
    fn watch(&self, keys: Option<&[Self::Key]>) -> Option<broadcast::Receiver<Change<Self::Key>>>;
}
