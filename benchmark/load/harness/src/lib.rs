//! What the load binaries share, so that our binaries and the Volo peer's
//! measure the same way: the command line ([`ServerArgs`], [`ClientArgs`]),
//! the caller loop ([`run`]), the latency [`Histogram`], the one-line
//! [`Report`], and the expectations of the metainfo interop check
//! ([`interop`]).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//!
//! use load_harness::{Plan, run};
//!
//! let runtime = load_harness::runtime(1).unwrap();
//! let plan = Plan {
//!     concurrency: 4,
//!     warmup: Duration::from_millis(20),
//!     duration: Duration::from_millis(100),
//! };
//! let report = runtime.block_on(run(plan, || async {
//!     tokio::time::sleep(Duration::from_millis(1)).await;
//!     Ok::<(), std::io::Error>(())
//! }));
//! assert!(report.calls > 0);
//! assert_eq!(report.errors, 0);
//! assert!(report.p50_us >= 1_000);
//! assert!(report.to_string().starts_with("qps="));
//! ```

mod args;
mod histogram;
pub mod interop;
mod report;
mod runner;

pub use args::{ClientArgs, ServerArgs, Transport};
/// Parses [`ServerArgs`] and [`ClientArgs`] from the command line.
pub use clap::Parser;
pub use histogram::Histogram;
pub use report::Report;
pub use runner::{Plan, run};

/// A multi-threaded tokio runtime with `threads` worker threads (at least
/// one), timers and I/O enabled.
pub fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
}

/// A request message of `len` bytes (printable ASCII, so a valid Thrift
/// `string`).
pub fn payload(len: usize) -> String {
    (b'a'..=b'z').cycle().take(len).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn payload_has_the_asked_length_and_is_ascii() {
        for len in [0, 1, 26, 1024] {
            let p = super::payload(len);
            assert_eq!(p.len(), len);
            assert!(p.is_ascii());
        }
        assert!(super::payload(30).starts_with("abcdefghijklmnopqrstuvwxyzabcd"));
    }
}
