//! [`Change`]: how a key's instances changed.

use std::{collections::HashMap, sync::Arc};

use super::Instance;
use crate::net::Address;

/// How the instances of one discovery key changed.
///
/// Instances are identified by address: an address that is new is *added*, one that
/// is gone is *removed*, and one whose weight or tags differ is *updated* (the new
/// version is listed). `all` is the complete new list, which is what a load balancer
/// rebuilds from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<K> {
    /// The discovery key whose instances changed.
    pub key: K,
    /// Every instance after the change.
    pub all: Vec<Arc<Instance>>,
    /// Instances at addresses that were not there before.
    pub added: Vec<Arc<Instance>>,
    /// Instances whose address stayed and whose weight or tags changed (new version).
    pub updated: Vec<Arc<Instance>>,
    /// Instances whose address is gone (old version).
    pub removed: Vec<Arc<Instance>>,
}

impl<K> Change<K> {
    /// Compares two lists of instances of `key`; returns `None` if nothing changed.
    ///
    /// If an address appears more than once in a list, its last entry counts. The
    /// order of `added`, `updated` and `removed` follows `new` (`old` for removed).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use volo::discovery::{Change, Instance};
    ///
    /// let a = Arc::new(Instance::new("127.0.0.1:1".parse().unwrap()));
    /// let b = Arc::new(Instance::new("127.0.0.1:2".parse().unwrap()));
    /// let change = Change::diff("svc", &[a.clone()], &[a, b.clone()]).unwrap();
    /// assert_eq!(change.added, vec![b]);
    /// assert!(change.removed.is_empty() && change.updated.is_empty());
    /// ```
    pub fn diff(key: K, old: &[Arc<Instance>], new: &[Arc<Instance>]) -> Option<Self> {
        let old_by_addr = by_address(old);
        let new_by_addr = by_address(new);

        let mut added = Vec::new();
        let mut updated = Vec::new();
        for (i, instance) in new.iter().enumerate() {
            if !is_last_entry(&new_by_addr, i, instance) {
                continue;
            }
            match old_by_addr.get(&instance.address) {
                None => added.push(instance.clone()),
                Some(&j) if old[j] != *instance => updated.push(instance.clone()),
                Some(_) => {}
            }
        }
        let removed: Vec<_> = old
            .iter()
            .enumerate()
            .filter(|&(i, instance)| {
                is_last_entry(&old_by_addr, i, instance)
                    && !new_by_addr.contains_key(&instance.address)
            })
            .map(|(_, instance)| instance.clone())
            .collect();

        if added.is_empty() && updated.is_empty() && removed.is_empty() {
            return None;
        }
        Some(Change {
            key,
            all: new.to_vec(),
            added,
            updated,
            removed,
        })
    }
}

/// Maps each address to the index of its last entry.
fn by_address(instances: &[Arc<Instance>]) -> HashMap<&Address, usize> {
    instances
        .iter()
        .enumerate()
        .map(|(i, instance)| (&instance.address, i))
        .collect()
}

fn is_last_entry(index: &HashMap<&Address, usize>, i: usize, instance: &Instance) -> bool {
    index.get(&instance.address) == Some(&i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(port: u16, weight: u32) -> Arc<Instance> {
        let addr = Address::from(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
        Arc::new(Instance::new(addr).with_weight(weight))
    }

    #[test]
    fn diff_classifies_by_address() {
        let old = [instance(1, 10), instance(2, 10), instance(3, 10)];
        let new = [
            instance(1, 10),
            instance(2, 20),
            instance(4, 10),
            instance(5, 10),
        ];
        let change = Change::diff("svc", &old, &new).unwrap();
        assert_eq!(change.key, "svc");
        assert_eq!(change.all, new.to_vec());
        assert_eq!(change.added, vec![instance(4, 10), instance(5, 10)]);
        assert_eq!(change.updated, vec![instance(2, 20)]);
        assert_eq!(change.removed, vec![instance(3, 10)]);
    }

    #[test]
    fn tag_changes_are_updates() {
        let old = [instance(1, 10)];
        let tagged = Arc::new((*instance(1, 10)).clone().with_tag("zone", "b"));
        let change = Change::diff((), &old, std::slice::from_ref(&tagged)).unwrap();
        assert_eq!(change.updated, vec![tagged]);
        assert!(change.added.is_empty() && change.removed.is_empty());
    }

    #[test]
    fn no_change_is_none() {
        let list = [instance(1, 10), instance(2, 5)];
        assert_eq!(Change::diff((), &list, &list.clone()), None);
        // Order does not matter, only membership and content.
        let reversed = [instance(2, 5), instance(1, 10)];
        assert_eq!(Change::diff((), &list, &reversed), None);
        assert_eq!(Change::diff((), &[], &[]), None);
    }

    #[test]
    fn from_and_to_nothing() {
        let list = [instance(1, 10), instance(2, 5)];
        let appeared = Change::diff((), &[], &list).unwrap();
        assert_eq!(appeared.added, list.to_vec());
        let vanished = Change::diff((), &list, &[]).unwrap();
        assert_eq!(vanished.removed, list.to_vec());
        assert!(vanished.all.is_empty());
    }

    #[test]
    fn repeated_address_counts_once_with_its_last_entry() {
        let old = [instance(1, 10)];
        let new = [instance(1, 10), instance(1, 30)];
        let change = Change::diff((), &old, &new).unwrap();
        assert_eq!(change.updated, vec![instance(1, 30)]);
        assert!(change.added.is_empty() && change.removed.is_empty());
    }
}
