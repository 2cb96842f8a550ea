//! Load balancing: choosing which instance of a service serves a call.
//!
//! A [`LoadBalance`] turns a callee [`Endpoint`] into a *picker*: an iterator over the
//! instances' addresses in order of preference, without repeats. The call goes to the
//! first; a retry takes the next, so it never hits the same instance twice.
//!
//! Provided here: [`WeightedRandom`].

mod error;
mod weighted_random;

use std::future::Future;

pub use error::LoadBalanceError;
pub use weighted_random::{WeightedPicker, WeightedRandom};

use crate::{
    context::Endpoint,
    discovery::{Change, Discover},
    net::Address,
};

/// Chooses instances for calls, using a [`Discover`] to find them.
///
/// Implementations keep what they learned per [`Discover::Key`] (so discovery is not
/// asked on every call) and update it in [`rebalance`](LoadBalance::rebalance), which
/// the load-balancing layer calls with every [`Change`] the discover announces. Both
/// methods may be called concurrently from many tasks.
pub trait LoadBalance<D: Discover>: Send + Sync + 'static {
    /// Addresses in order of preference, each at most once.
    type InstanceIter: Iterator<Item = Address> + Send;

    /// Returns a picker for a call to `endpoint`, discovering its instances through
    /// `discover` if they are not known yet.
    ///
    /// # Errors
    ///
    /// [`LoadBalanceError::Discover`] if discovery fails,
    /// [`LoadBalanceError::NoAvailableInstance`] if no instance can take traffic.
    fn get_picker(
        &self,
        endpoint: &Endpoint,
        discover: &D,
    ) -> impl Future<Output = Result<Self::InstanceIter, LoadBalanceError>> + Send;

    /// Takes in a change of the instances of one key.
    fn rebalance(&self, changes: Change<D::Key>);

    /// Forgets every key's instances, so that each is discovered afresh on its
    /// next call. The load-balancing layer calls it when changes were lost (it
    /// fell behind the discover's channel): what it knew may be stale, for
    /// keys it cannot tell.
    fn reset(&self);
}
