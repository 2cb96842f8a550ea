//! [`WeightedRandom`]: pick instances at random, in proportion to their weights.

use std::{
    collections::{HashMap, HashSet},
    iter::FusedIterator,
    sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard},
};

use super::{LoadBalance, LoadBalanceError};
use crate::{
    context::Endpoint,
    discovery::{Change, Discover, Instance},
    net::Address,
};

/// Picks instances at random, each with probability proportional to its weight.
///
/// Per discovery key it caches the instances with the prefix sums of their weights,
/// built once when the key is first discovered and again on each
/// [`rebalance`](LoadBalance::rebalance), never per call. A pick is one random number
/// and a binary search, O(log n); the lock is held only to clone an [`Arc`], never
/// across an `.await`.
///
/// A key is discovered once, on its first call (concurrent first calls may each ask);
/// after that its instances change only through `rebalance`, so a discover whose
/// instances change must announce it through [`Discover::watch`]. A failed discovery
/// is not cached: the next call asks again.
///
/// Instances with weight 0 are never picked. If an address is listed more than once,
/// its last entry counts.
///
/// The [`WeightedPicker`] it returns yields the first instance by weight, then, for
/// retries, the next ones by weight among those not yet yielded.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use volo::{
///     context::Endpoint,
///     discovery::{Instance, StaticDiscover},
///     loadbalance::{LoadBalance, WeightedRandom},
/// };
///
/// let discover = StaticDiscover::new([
///     Instance::new("127.0.0.1:1".parse().unwrap()).with_weight(1),
///     Instance::new("127.0.0.1:2".parse().unwrap()).with_weight(3),
///     Instance::new("127.0.0.1:3".parse().unwrap()).with_weight(0),
/// ]);
/// let lb = WeightedRandom::new();
/// let picker = lb.get_picker(&Endpoint::new("echo"), &discover).await.unwrap();
/// // Both instances with weight, each once, in a weighted-random order.
/// assert_eq!(picker.count(), 2);
/// # }
/// ```
#[derive(Debug)]
pub struct WeightedRandom<K> {
    cache: RwLock<HashMap<K, Arc<WeightedList>>>,
}

impl<K> Default for WeightedRandom<K> {
    fn default() -> Self {
        Self {
            cache: RwLock::new(HashMap::new()),
        }
    }
}

impl<K> WeightedRandom<K> {
    /// Creates a balancer with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    // The map holds only `Arc`s that are replaced whole, so a panic elsewhere while the
    // lock was held cannot leave it inconsistent: poisoning is ignored.
    fn read(&self) -> RwLockReadGuard<'_, HashMap<K, Arc<WeightedList>>> {
        self.cache.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<K, Arc<WeightedList>>> {
        self.cache.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<D: Discover> LoadBalance<D> for WeightedRandom<D::Key> {
    type InstanceIter = WeightedPicker;

    async fn get_picker(
        &self,
        endpoint: &Endpoint,
        discover: &D,
    ) -> Result<WeightedPicker, LoadBalanceError> {
        let key = discover.key(endpoint);
        let cached = self.read().get(&key).cloned();
        let list = match cached {
            Some(list) => list,
            None => {
                let instances = discover
                    .discover(endpoint)
                    .await
                    .map_err(LoadBalanceError::discover)?;
                let list = Arc::new(WeightedList::new(&instances));
                // A rebalance that raced with this discovery is newer: keep it.
                self.write().entry(key).or_insert(list).clone()
            }
        };
        WeightedPicker::new(list).ok_or(LoadBalanceError::NoAvailableInstance)
    }

    fn rebalance(&self, change: Change<D::Key>) {
        let list = Arc::new(WeightedList::new(&change.all));
        self.write().insert(change.key, list);
    }

    fn reset(&self) {
        self.write().clear();
    }
}

/// The instances of one key that can take traffic, with their cumulative weights.
#[derive(Debug)]
struct WeightedList {
    addresses: Vec<Address>,
    /// `ends[i]` is the sum of the weights of instances `0..=i`; strictly increasing.
    ends: Vec<u64>,
}

impl WeightedList {
    fn new(instances: &[Arc<Instance>]) -> Self {
        // Walk backwards so that the last entry of a repeated address is the one kept.
        let mut seen = HashSet::with_capacity(instances.len());
        let mut kept: Vec<&Instance> = instances
            .iter()
            .rev()
            .filter(|i| seen.insert(&i.address) && i.weight > 0)
            .map(|i| &**i)
            .collect();
        kept.reverse();

        let mut total = 0u64;
        let ends = kept
            .iter()
            .map(|i| {
                total += u64::from(i.weight);
                total
            })
            .collect();
        let addresses = kept.into_iter().map(|i| i.address.clone()).collect();
        Self { addresses, ends }
    }

    fn total(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Where instance `i`'s share of the weight line starts.
    fn start(&self, i: usize) -> u64 {
        i.checked_sub(1).map_or(0, |prev| self.ends[prev])
    }

    fn weight(&self, i: usize) -> u64 {
        self.ends[i] - self.start(i)
    }
}

/// The picker of [`WeightedRandom`]: instances in weighted-random order, each once.
///
/// The first [`next`](Iterator::next) costs one random number and a binary search and
/// does not allocate. The k-th costs O(k + log n): instances already yielded are cut
/// out of the weight line before drawing.
#[derive(Debug)]
pub struct WeightedPicker {
    list: Arc<WeightedList>,
    /// Total weight of the instances not yet yielded.
    remaining: u64,
    picked: Picked,
}

impl WeightedPicker {
    /// Returns `None` if no instance has weight.
    fn new(list: Arc<WeightedList>) -> Option<Self> {
        let remaining = list.total();
        (remaining > 0).then_some(Self {
            list,
            remaining,
            picked: Picked::Nothing,
        })
    }
}

impl Iterator for WeightedPicker {
    type Item = Address;

    fn next(&mut self) -> Option<Address> {
        if self.remaining == 0 {
            return None;
        }
        // A point on the weight line of the instances left, mapped to the full line by
        // stepping over the spans of those already yielded (sorted by position).
        let mut point = fastrand::u64(..self.remaining);
        for &i in self.picked.as_slice() {
            if point < self.list.start(i) {
                break;
            }
            point += self.list.weight(i);
        }
        let index = self.list.ends.partition_point(|&end| end <= point);
        self.remaining -= self.list.weight(index);
        self.picked.insert(index);
        Some(self.list.addresses[index].clone())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len();
        (left, Some(left))
    }
}

impl ExactSizeIterator for WeightedPicker {
    fn len(&self) -> usize {
        self.list.addresses.len() - self.picked.as_slice().len()
    }
}

impl FusedIterator for WeightedPicker {}

/// Indices already yielded, sorted; the common single pick needs no allocation.
#[derive(Debug)]
enum Picked {
    Nothing,
    One(usize),
    Many(Vec<usize>),
}

impl Picked {
    fn as_slice(&self) -> &[usize] {
        match self {
            Picked::Nothing => &[],
            Picked::One(i) => std::slice::from_ref(i),
            Picked::Many(v) => v,
        }
    }

    fn insert(&mut self, index: usize) {
        match self {
            Picked::Nothing => *self = Picked::One(index),
            Picked::One(first) => {
                let mut v = vec![*first, index];
                v.sort_unstable();
                *self = Picked::Many(v);
            }
            Picked::Many(v) => {
                let at = v.partition_point(|&i| i < index);
                v.insert(at, index);
            }
        }
    }
}
