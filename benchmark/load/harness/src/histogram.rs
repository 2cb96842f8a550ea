//! A fixed-bucket log-linear latency histogram, in microseconds.
//!
//! Values below 64 have a bucket each; above, every power of two is split
//! into 32 buckets, so a recorded value is known within 1/32 (about 3%).
//! Recording is an index computation and an increment; histograms of
//! several callers merge by adding their buckets.

use std::time::Duration;

/// Bits of sub-bucket precision per power of two.
const SUB_BITS: u32 = 5;
/// Sub-buckets per power of two.
const SUB: u64 = 1 << SUB_BITS;
/// Values below this have an exact bucket.
const EXACT: u64 = 2 * SUB;
/// Enough buckets for every `u64`.
const BUCKETS: usize = (EXACT + (64 - SUB_BITS as u64 - 1) * SUB) as usize;

/// Latency counts in log-linear buckets of microseconds.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Box<[u64]>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            total: 0,
        }
    }

    /// Records one latency (saturating at `u64::MAX` microseconds).
    pub fn record(&mut self, latency: Duration) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.counts[index(us)] += 1;
        self.total += 1;
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Adds the counts of `other` to this histogram.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts.iter()) {
            *mine += theirs;
        }
        self.total += other.total;
    }

    /// The latency in microseconds below or at which a `q` fraction of the
    /// recorded latencies lie (`q` clamped to `0..=1`), reported as the
    /// highest value of its bucket; 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let q = if q.is_nan() { 1.0 } else { q.clamp(0.0, 1.0) };
        // The rank of the wanted value, 1-based, at least the first.
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return highest(i);
            }
        }
        highest(BUCKETS - 1)
    }
}

/// The bucket of `us`.
fn index(us: u64) -> usize {
    if us < EXACT {
        return us as usize;
    }
    let exp = 63 - us.leading_zeros();
    let shift = exp - SUB_BITS;
    let sub = (us >> shift) - SUB;
    (EXACT + u64::from(shift - 1) * SUB + sub) as usize
}

/// The highest value that falls in bucket `i`.
fn highest(i: usize) -> u64 {
    let i = i as u64;
    if i < EXACT {
        return i;
    }
    let k = i - EXACT;
    let shift = k / SUB + 1;
    let lowest = (SUB + k % SUB) << shift;
    lowest + ((1u64 << shift) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_lands_in_a_bucket_that_contains_it() {
        let mut values: Vec<u64> = (0..5000).collect();
        values.extend((6..64).flat_map(|e| {
            let p = 1u64 << e;
            [p - 1, p, p + 1, p + p / 3]
        }));
        values.push(u64::MAX);
        for v in values {
            let i = index(v);
            assert!(i < BUCKETS, "{v}");
            assert!(highest(i) >= v, "{v} above its bucket {i}");
            if i > 0 {
                assert!(highest(i - 1) < v, "{v} also fits bucket {}", i - 1);
            }
        }
    }

    #[test]
    fn buckets_are_within_three_percent() {
        for v in [100u64, 1_000, 12_345, 1_000_000, 987_654_321] {
            let h = highest(index(v));
            assert!((h - v) as f64 / v as f64 <= 1.0 / 32.0, "{v} -> {h}");
        }
    }

    #[test]
    fn quantiles_of_a_uniform_spread() {
        let mut h = Histogram::new();
        for us in 1..=1000u64 {
            h.record(Duration::from_micros(us));
        }
        assert_eq!(h.count(), 1000);
        let p50 = h.quantile(0.5);
        assert!((500..=515).contains(&p50), "{p50}");
        let p99 = h.quantile(0.99);
        assert!((990..=1023).contains(&p99), "{p99}");
        assert_eq!(h.quantile(0.0), 1);
        assert!(h.quantile(1.0) >= 1000);
    }

    #[test]
    fn merge_adds_counts_and_empty_is_zero() {
        let mut a = Histogram::new();
        assert_eq!(a.quantile(0.5), 0);
        let mut b = Histogram::new();
        a.record(Duration::from_micros(10));
        b.record(Duration::from_micros(20));
        b.record(Duration::from_micros(30));
        a.merge(&b);
        assert_eq!(a.count(), 3);
        assert_eq!(a.quantile(0.5), 20);
        assert_eq!(a.quantile(1.0), 30);
        assert_eq!(a.quantile(f64::NAN), 30);
    }

    #[test]
    fn huge_latencies_saturate() {
        let mut h = Histogram::new();
        h.record(Duration::MAX);
        assert_eq!(h.quantile(1.0), u64::MAX);
    }
}
