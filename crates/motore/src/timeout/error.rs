//! [`Elapsed`]: the error of a call that timed out.

use std::{error::Error, fmt, time::Duration};

/// The call did not finish within its timeout.
///
/// [`Timeout`](super::Timeout) returns it inside a [`BoxError`](crate::BoxError); find it
/// with `err.is::<Elapsed>()` or `err.downcast_ref::<Elapsed>()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed {
    timeout: Duration,
}

impl Elapsed {
    pub(crate) const fn new(timeout: Duration) -> Self {
        Self { timeout }
    }

    /// The timeout that was exceeded.
    pub const fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "call timed out after {:?}", self.timeout)
    }
}

impl Error for Elapsed {}
