//! [`ConcurrencyLimitLayer`].

use super::ConcurrencyLimit;
use crate::Layer;

/// A [`Layer`] producing [`ConcurrencyLimit`].
///
/// Each service the layer wraps gets its own limit of `max` calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConcurrencyLimitLayer {
    max: usize,
}

impl ConcurrencyLimitLayer {
    /// A layer letting at most `max` calls in at once.
    ///
    /// # Panics
    ///
    /// If `max` is zero: no call could ever run.
    pub fn new(max: usize) -> Self {
        assert!(max > 0, "a concurrency limit of 0 would never admit a call");
        Self { max }
    }
}

impl<S> Layer<S> for ConcurrencyLimitLayer {
    type Service = ConcurrencyLimit<S>;

    fn layer(self, inner: S) -> ConcurrencyLimit<S> {
        ConcurrencyLimit::new(inner, self.max)
    }
}
