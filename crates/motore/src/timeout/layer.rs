//! [`TimeoutLayer`].

use std::time::Duration;

use super::Timeout;
use crate::Layer;

/// A [`Layer`] producing [`Timeout`]; `None` means no timeout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeoutLayer {
    duration: Option<Duration>,
}

impl TimeoutLayer {
    /// A layer failing calls that take longer than `duration` (never, if `None`).
    pub const fn new(duration: Option<Duration>) -> Self {
        Self { duration }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(self, inner: S) -> Timeout<S> {
        Timeout::new(inner, self.duration)
    }
}
