//! The one line a client prints at the end.

use std::{fmt, time::Duration};

use crate::Histogram;

/// The outcome of a load run: throughput and latency over the measured
/// window only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    /// Successful calls per second.
    pub qps: f64,
    /// Median latency, µs.
    pub p50_us: u64,
    /// 99th percentile latency, µs.
    pub p99_us: u64,
    /// 99.9th percentile latency, µs.
    pub p999_us: u64,
    /// Successful calls.
    pub calls: u64,
    /// Failed calls.
    pub errors: u64,
}

impl Report {
    /// The report of `latencies` (successful calls) and `errors` over a
    /// measured `window`.
    pub fn new(latencies: &Histogram, errors: u64, window: Duration) -> Self {
        let calls = latencies.count();
        let secs = window.as_secs_f64();
        Self {
            qps: if secs > 0.0 { calls as f64 / secs } else { 0.0 },
            p50_us: latencies.quantile(0.5),
            p99_us: latencies.quantile(0.99),
            p999_us: latencies.quantile(0.999),
            calls,
            errors,
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "qps={:.0} p50_us={} p99_us={} p999_us={} calls={} errors={}",
            self.qps, self.p50_us, self.p99_us, self.p999_us, self.calls, self.errors
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_has_every_field() {
        let mut h = Histogram::new();
        for us in [10, 20, 30, 40] {
            h.record(Duration::from_micros(us));
        }
        let r = Report::new(&h, 1, Duration::from_secs(2));
        assert_eq!(r.qps, 2.0);
        assert_eq!(
            r.to_string(),
            "qps=2 p50_us=20 p99_us=40 p999_us=40 calls=4 errors=1"
        );
        assert_eq!(Report::new(&h, 0, Duration::ZERO).qps, 0.0);
    }
}
