//! [`CatchPanicLayer`].

use super::{CatchPanic, hook};
use crate::Layer;

/// A [`Layer`] producing [`CatchPanic`].
///
/// Creating it installs the location-recording panic hook (once per process); see
/// [`install_hook`](super::install_hook).
#[derive(Clone, Copy, Debug)]
pub struct CatchPanicLayer {
    _priv: (),
}

impl CatchPanicLayer {
    /// A layer turning panics into errors.
    pub fn new() -> Self {
        hook::install();
        Self { _priv: () }
    }
}

impl Default for CatchPanicLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for CatchPanicLayer {
    type Service = CatchPanic<S>;

    fn layer(self, inner: S) -> CatchPanic<S> {
        CatchPanic::new(inner)
    }
}
