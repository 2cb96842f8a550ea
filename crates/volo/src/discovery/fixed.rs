//! Discovers that never change: [`StaticDiscover`] and [`DummyDiscover`].

use std::{convert::Infallible, sync::Arc};

use tokio::sync::broadcast;

use super::{Change, Discover, Instance};
use crate::{context::Endpoint, net::Address};

/// A fixed list of instances, the same for every endpoint.
///
/// For clients of a service with known addresses (tests, a sidecar, a fixed pool).
/// Its key is `()`, so a load balancer keeps one entry for it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use volo::{context::Endpoint, discovery::{Discover, StaticDiscover}, net::Address};
///
/// let addrs: Vec<Address> = vec!["127.0.0.1:8080".parse().unwrap()];
/// let discover = StaticDiscover::from_addresses(addrs);
/// let found = discover.discover(&Endpoint::new("echo")).await.unwrap();
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].weight, volo::discovery::DEFAULT_WEIGHT);
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct StaticDiscover {
    instances: Vec<Arc<Instance>>,
}

impl StaticDiscover {
    /// Discovers these instances.
    pub fn new(instances: impl IntoIterator<Item = Instance>) -> Self {
        Self {
            instances: instances.into_iter().map(Arc::new).collect(),
        }
    }

    /// Discovers one instance of the default weight per address.
    pub fn from_addresses(addresses: impl IntoIterator<Item = Address>) -> Self {
        Self::new(addresses.into_iter().map(Instance::new))
    }

    /// Returns the instances.
    pub fn instances(&self) -> &[Arc<Instance>] {
        &self.instances
    }
}

impl Discover for StaticDiscover {
    type Key = ();
    type Error = Infallible;

    fn key(&self, _endpoint: &Endpoint) {}

    async fn discover(&self, _endpoint: &Endpoint) -> Result<Vec<Arc<Instance>>, Infallible> {
        Ok(self.instances.clone())
    }

    fn watch(&self, _keys: Option<&[()]>) -> Option<broadcast::Receiver<Change<()>>> {
        None
    }
}

/// A discover that finds nothing.
///
/// For clients that always call a fixed address: the callee [`Endpoint`]'s address is
/// set, and discovery has nothing to add. A load balancer asked to pick from it reports
/// that no instance is available.
#[derive(Debug, Clone, Copy, Default)]
pub struct DummyDiscover;

impl Discover for DummyDiscover {
    type Key = ();
    type Error = Infallible;

    fn key(&self, _endpoint: &Endpoint) {}

    async fn discover(&self, _endpoint: &Endpoint) -> Result<Vec<Arc<Instance>>, Infallible> {
        Ok(Vec::new())
    }

    fn watch(&self, _keys: Option<&[()]>) -> Option<broadcast::Receiver<Change<()>>> {
        None
    }
}
