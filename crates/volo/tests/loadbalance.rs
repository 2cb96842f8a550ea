//! Discovery and weighted-random load balancing through the public API.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use faststr::FastStr;
use proptest::prelude::*;
use tokio::sync::broadcast;
use volo::{
    context::Endpoint,
    discovery::{Change, Discover, DummyDiscover, Instance, StaticDiscover},
    loadbalance::{LoadBalance, LoadBalanceError, WeightedRandom},
    net::Address,
};

fn addr(port: u16) -> Address {
    Address::from(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
}

fn weighted(weights: &[u32]) -> StaticDiscover {
    StaticDiscover::new(
        weights
            .iter()
            .zip(1..)
            .map(|(&w, port)| Instance::new(addr(port)).with_weight(w)),
    )
}

fn endpoint() -> Endpoint {
    Endpoint::new("echo")
}

/// Counts first picks over `rounds` pickers.
async fn first_picks<D: Discover>(
    lb: &WeightedRandom<D::Key>,
    discover: &D,
    rounds: usize,
) -> HashMap<Address, usize> {
    let mut counts = HashMap::new();
    for _ in 0..rounds {
        let mut picker = lb.get_picker(&endpoint(), discover).await.unwrap();
        *counts.entry(picker.next().unwrap()).or_default() += 1;
    }
    counts
}

fn share(counts: &HashMap<Address, usize>, port: u16, rounds: usize) -> f64 {
    counts.get(&addr(port)).copied().unwrap_or(0) as f64 / rounds as f64
}

#[tokio::test]
async fn static_discover_returns_its_instances() {
    let discover = StaticDiscover::new([
        Instance::new(addr(1)),
        Instance::new(addr(2)).with_weight(7).with_tag("zone", "b"),
    ]);
    let found = discover.discover(&endpoint()).await.unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].address, addr(1));
    assert_eq!(found[0].weight, volo::discovery::DEFAULT_WEIGHT);
    assert_eq!(found[1].weight, 7);
    assert_eq!(found[1].tags.get("zone").map(FastStr::as_str), Some("b"));
    assert!(discover.watch(None).is_none());

    let from_addrs = StaticDiscover::from_addresses([addr(3), addr(4)]);
    let found = from_addrs.discover(&Endpoint::new("other")).await.unwrap();
    let addrs: Vec<_> = found.iter().map(|i| i.address.clone()).collect();
    assert_eq!(addrs, [addr(3), addr(4)]);
    assert_eq!(from_addrs.instances().len(), 2);
}

#[tokio::test]
async fn picks_follow_the_weights() {
    const ROUNDS: usize = 100_000;
    let discover = weighted(&[1, 2, 7]);
    let lb = WeightedRandom::new();
    let counts = first_picks(&lb, &discover, ROUNDS).await;
    for (port, expected) in [(1, 0.1), (2, 0.2), (3, 0.7)] {
        let got = share(&counts, port, ROUNDS);
        assert!(
            (got - expected).abs() < 0.02,
            "instance {port}: share {got:.4}, expected {expected}"
        );
    }
}

#[tokio::test]
async fn retries_follow_the_weights_of_the_rest() {
    // Given that the weight-7 instance came first, the next is 1:2 between the others.
    const ROUNDS: usize = 60_000;
    let discover = weighted(&[1, 2, 7]);
    let lb = WeightedRandom::new();
    let mut second = HashMap::new();
    let mut conditioned = 0;
    for _ in 0..ROUNDS {
        let mut picker = lb.get_picker(&endpoint(), &discover).await.unwrap();
        if picker.next() == Some(addr(3)) {
            conditioned += 1;
            *second.entry(picker.next().unwrap()).or_default() += 1;
        }
    }
    assert!(conditioned > ROUNDS / 2);
    let got = share(&second, 1, conditioned);
    assert!(
        (got - 1.0 / 3.0).abs() < 0.02,
        "share of instance 1: {got:.4}"
    );
    assert_eq!(second.get(&addr(3)), None);
}

#[tokio::test]
async fn zero_weight_instances_are_never_picked() {
    let discover = weighted(&[0, 5, 0, 5, 0]);
    let lb = WeightedRandom::new();
    for _ in 0..10_000 {
        let picker = lb.get_picker(&endpoint(), &discover).await.unwrap();
        assert_eq!(picker.len(), 2);
        let picked: HashSet<_> = picker.collect();
        assert_eq!(picked, HashSet::from([addr(2), addr(4)]));
    }
}

#[tokio::test]
async fn no_instance_with_weight_is_an_error() {
    let lb = WeightedRandom::new();
    let err = lb
        .get_picker(&endpoint(), &weighted(&[0, 0, 0]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoadBalanceError::NoAvailableInstance),
        "{err}"
    );

    let lb = WeightedRandom::new();
    let err = lb
        .get_picker(&endpoint(), &DummyDiscover)
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoadBalanceError::NoAvailableInstance),
        "{err}"
    );
}

#[tokio::test]
async fn repeated_addresses_are_picked_once() {
    let discover = StaticDiscover::new([
        Instance::new(addr(1)).with_weight(100),
        Instance::new(addr(2)),
        // The last entry of an address counts.
        Instance::new(addr(1)).with_weight(0),
    ]);
    let lb = WeightedRandom::new();
    let picked: Vec<_> = lb
        .get_picker(&endpoint(), &discover)
        .await
        .unwrap()
        .collect();
    assert_eq!(picked, [addr(2)]);
}

#[tokio::test]
async fn rebalance_changes_the_picks() {
    let discover = weighted(&[1, 1]);
    let lb = WeightedRandom::new();
    let before: HashSet<_> = lb
        .get_picker(&endpoint(), &discover)
        .await
        .unwrap()
        .collect();
    assert_eq!(before, HashSet::from([addr(1), addr(2)]));

    let old = discover.instances().to_vec();
    let new = vec![Arc::new(Instance::new(addr(9)).with_weight(3))];
    let change = Change::diff((), &old, &new).unwrap();
    LoadBalance::<StaticDiscover>::rebalance(&lb, change);
    for _ in 0..100 {
        let after: Vec<_> = lb
            .get_picker(&endpoint(), &discover)
            .await
            .unwrap()
            .collect();
        assert_eq!(after, [addr(9)]);
    }

    let drained = Change::diff((), &new, &[]).unwrap();
    LoadBalance::<StaticDiscover>::rebalance(&lb, drained);
    let err = lb.get_picker(&endpoint(), &discover).await.unwrap_err();
    assert!(matches!(err, LoadBalanceError::NoAvailableInstance));

    // Forgotten, the key is discovered afresh.
    LoadBalance::<StaticDiscover>::reset(&lb);
    let again: HashSet<_> = lb
        .get_picker(&endpoint(), &discover)
        .await
        .unwrap()
        .collect();
    assert_eq!(again, before);
}

/// A discover keyed by service name that counts its lookups and fails for "broken".
#[derive(Default)]
struct CountingDiscover {
    lookups: AtomicUsize,
}

#[derive(Debug, thiserror::Error)]
#[error("registry unreachable")]
struct RegistryDown;

impl Discover for CountingDiscover {
    type Key = FastStr;
    type Error = RegistryDown;

    fn key(&self, endpoint: &Endpoint) -> FastStr {
        endpoint.service_name().clone()
    }

    async fn discover(&self, endpoint: &Endpoint) -> Result<Vec<Arc<Instance>>, RegistryDown> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        match endpoint.service_name().as_str() {
            "broken" => Err(RegistryDown),
            "a" => Ok(vec![Arc::new(Instance::new(addr(1)))]),
            _ => Ok(vec![Arc::new(Instance::new(addr(2)))]),
        }
    }

    fn watch(&self, _keys: Option<&[FastStr]>) -> Option<broadcast::Receiver<Change<FastStr>>> {
        None
    }
}

#[tokio::test]
async fn discovery_runs_once_per_key() {
    let discover = CountingDiscover::default();
    let lb = WeightedRandom::new();
    for _ in 0..10 {
        let a: Vec<_> = lb
            .get_picker(&Endpoint::new("a"), &discover)
            .await
            .unwrap()
            .collect();
        let b: Vec<_> = lb
            .get_picker(&Endpoint::new("b"), &discover)
            .await
            .unwrap()
            .collect();
        assert_eq!((a, b), (vec![addr(1)], vec![addr(2)]));
    }
    assert_eq!(discover.lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn discovery_errors_are_reported_and_not_cached() {
    let discover = CountingDiscover::default();
    let lb = WeightedRandom::new();
    for attempt in 1..=2 {
        let err = lb
            .get_picker(&Endpoint::new("broken"), &discover)
            .await
            .unwrap_err();
        let LoadBalanceError::Discover(cause) = &err else {
            panic!("unexpected error {err}");
        };
        assert!(cause.downcast_ref::<RegistryDown>().is_some());
        assert_eq!(
            std::error::Error::source(&err).map(ToString::to_string),
            Some("registry unreachable".to_owned())
        );
        assert_eq!(discover.lookups.load(Ordering::SeqCst), attempt);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_picks_and_rebalances() {
    let discover = Arc::new(weighted(&[1, 1, 1]));
    let lb = Arc::new(WeightedRandom::new());
    let valid: HashSet<_> = (1..=5).map(addr).collect();

    let pickers: Vec<_> = (0..4)
        .map(|_| {
            let (lb, discover, valid) = (lb.clone(), discover.clone(), valid.clone());
            tokio::spawn(async move {
                for _ in 0..2_000 {
                    let picked: Vec<_> = lb
                        .get_picker(&endpoint(), &*discover)
                        .await
                        .unwrap()
                        .collect();
                    let distinct: HashSet<_> = picked.iter().cloned().collect();
                    assert_eq!(distinct.len(), picked.len());
                    assert!(picked.iter().all(|a| valid.contains(a)));
                }
            })
        })
        .collect();
    for round in 0..200u16 {
        let all = (1..=(round % 5) + 1)
            .map(|p| Arc::new(Instance::new(addr(p))))
            .collect();
        let change = Change {
            key: (),
            all,
            added: Vec::new(),
            updated: Vec::new(),
            removed: Vec::new(),
        };
        LoadBalance::<StaticDiscover>::rebalance(&*lb, change);
        tokio::task::yield_now().await;
    }
    for picker in pickers {
        picker.await.unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every instance with weight comes out exactly once; no other does.
    #[test]
    fn pickers_yield_each_weighted_instance_once(weights in prop::collection::vec(0u32..4, 0..12)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let lb = WeightedRandom::new();
        let result = runtime.block_on(lb.get_picker(&endpoint(), &weighted(&weights)));
        let expected: HashSet<_> = weights
            .iter()
            .zip(1..)
            .filter(|&(&w, _)| w > 0)
            .map(|(_, port)| addr(port))
            .collect();
        match result {
            Ok(picker) => {
                prop_assert_eq!(picker.len(), expected.len());
                let picked: Vec<_> = picker.collect();
                let distinct: HashSet<_> = picked.iter().cloned().collect();
                prop_assert_eq!(picked.len(), distinct.len());
                prop_assert_eq!(distinct, expected);
            }
            Err(LoadBalanceError::NoAvailableInstance) => prop_assert!(expected.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}
