//! The caller loop: `concurrency` tasks calling back to back for the warmup
//! and then the measured window.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use crate::{Histogram, Report};

/// A call that takes longer than this counts as an error, so a stalled
/// server ends the run instead of hanging it.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// After a failed call a caller pauses this long, so a dead server does not
/// turn the loop into a busy spin.
const ERROR_BACKOFF: Duration = Duration::from_millis(1);

/// How long and how wide a load run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Callers running at once, each one call at a time.
    pub concurrency: usize,
    /// Time of calls that are not counted, first.
    pub warmup: Duration,
    /// The measured window, after the warmup.
    pub duration: Duration,
}

/// Runs `plan` with `call` (one request and a check of its reply), and
/// reports the calls that started after the warmup and ended within the
/// measured window. Each caller is a task of the current runtime.
pub async fn run<F, Fut, E>(plan: Plan, call: F) -> Report
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: 'static,
{
    let call = Arc::new(call);
    let measure_from = Instant::now() + plan.warmup;
    let end = measure_from + plan.duration;
    let callers: Vec<_> = (0..plan.concurrency.max(1))
        .map(|_| {
            let call = Arc::clone(&call);
            tokio::spawn(async move { caller(&*call, measure_from, end).await })
        })
        .collect();

    let mut latencies = Histogram::new();
    let mut errors = 0;
    for caller in callers {
        match caller.await {
            Ok((h, e)) => {
                latencies.merge(&h);
                errors += e;
            }
            // A caller that panicked made at least one failed call.
            Err(_) => errors += 1,
        }
    }
    Report::new(&latencies, errors, plan.duration)
}

async fn caller<F, Fut, E>(call: &F, measure_from: Instant, end: Instant) -> (Histogram, u64)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), E>>,
{
    let mut latencies = Histogram::new();
    let mut errors = 0;
    loop {
        let started = Instant::now();
        if started >= end {
            break;
        }
        let ok = matches!(tokio::time::timeout(CALL_TIMEOUT, call()).await, Ok(Ok(())));
        let ended = Instant::now();
        if started >= measure_from && ended <= end {
            if ok {
                latencies.record(ended - started);
            } else {
                errors += 1;
            }
        }
        if !ok {
            tokio::time::sleep(ERROR_BACKOFF).await;
        }
    }
    (latencies, errors)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    fn plan(concurrency: usize, warmup_ms: u64, duration_ms: u64) -> Plan {
        Plan {
            concurrency,
            warmup: Duration::from_millis(warmup_ms),
            duration: Duration::from_millis(duration_ms),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_only_the_measured_window() {
        let made = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&made);
        let report = run(plan(3, 100, 200), move || {
            counter.fetch_add(1, Ordering::Relaxed);
            async {
                tokio::time::sleep(Duration::from_millis(5)).await;
                Ok::<(), ()>(())
            }
        })
        .await;
        let made = made.load(Ordering::Relaxed);
        assert_eq!(report.errors, 0);
        // Three callers at ~5 ms a call over 300 ms make ~180 calls; the
        // first third is warmup and not counted.
        assert!(
            report.calls > 30 && report.calls < made,
            "{report} of {made}"
        );
        assert!(
            made - report.calls >= 3 * 10,
            "warmup counted: {report} of {made}"
        );
        assert!(report.p50_us >= 5_000 && report.p50_us < 50_000, "{report}");
        assert!(report.p999_us >= report.p99_us && report.p99_us >= report.p50_us);
    }

    #[tokio::test]
    async fn failures_are_errors_not_latencies() {
        let flip = Arc::new(AtomicU64::new(0));
        let report = run(plan(1, 0, 300), move || {
            let n = flip.fetch_add(1, Ordering::Relaxed);
            async move { if n % 2 == 0 { Err("odd") } else { Ok(()) } }
        })
        .await;
        assert!(report.errors > 0, "{report}");
        assert!(report.calls.abs_diff(report.errors) <= 1, "{report}");
    }

    #[tokio::test]
    async fn a_panicking_caller_is_an_error() {
        fn explode() -> Result<(), ()> {
            panic!("the call panicked")
        }
        // A caller ends at its panic, so the long window costs no time and
        // leaves a slow machine time to start both callers.
        let report = run(plan(2, 0, 60_000), || async { explode() }).await;
        assert_eq!(report.calls, 0);
        assert_eq!(report.errors, 2);
    }
}
