//! [`OrderedFloat`]: a `double` usable as a set element or map key.

use std::{
    cmp::Ordering,
    fmt,
    hash::{Hash, Hasher},
    ops::Deref,
};

/// An `f64` with `Eq`, `Ord` and `Hash`, so that Thrift `set<double>` and
/// `map<double, _>` can be `HashSet`/`BTreeMap` keys.
///
/// Comparison is IEEE 754 `totalOrder` ([`f64::total_cmp`]): two values are
/// equal exactly when their bits are, so `-0.0 != 0.0`, a NaN equals a NaN
/// with the same bits, and every value round-trips through a set unchanged.
///
/// ```
/// use pilota::OrderedFloat;
/// use std::collections::BTreeSet;
///
/// let set: BTreeSet<_> = [1.5, f64::NAN, -0.0, 0.0].into_iter().map(OrderedFloat).collect();
/// assert_eq!(set.len(), 4);
/// assert_eq!(*set.first().unwrap(), OrderedFloat(-0.0));
/// ```
#[derive(Clone, Copy, Default)]
pub struct OrderedFloat(pub f64);

impl OrderedFloat {
    /// The wrapped value.
    #[inline]
    pub const fn into_inner(self) -> f64 {
        self.0
    }
}

impl PartialEq for OrderedFloat {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for OrderedFloat {}

impl PartialOrd for OrderedFloat {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedFloat {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Hash for OrderedFloat {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl Deref for OrderedFloat {
    type Target = f64;

    #[inline]
    fn deref(&self) -> &f64 {
        &self.0
    }
}

impl From<f64> for OrderedFloat {
    #[inline]
    fn from(v: f64) -> Self {
        Self(v)
    }
}

impl From<OrderedFloat> for f64 {
    #[inline]
    fn from(v: OrderedFloat) -> Self {
        v.0
    }
}

impl fmt::Debug for OrderedFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for OrderedFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn eq_and_hash_follow_the_bits() {
        let nan = OrderedFloat(f64::NAN);
        assert_eq!(nan, nan);
        assert_ne!(OrderedFloat(0.0), OrderedFloat(-0.0));
        let set: HashSet<_> = [nan, nan, OrderedFloat(1.0)].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert!(OrderedFloat(f64::NEG_INFINITY) < OrderedFloat(-1.0));
        assert!(OrderedFloat(f64::INFINITY) < nan);
    }
}
