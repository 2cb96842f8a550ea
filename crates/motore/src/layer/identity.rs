//! [`Identity`]: the layer that changes nothing.

use super::Layer;

/// A layer that returns the service unchanged; the start of every
/// [`ServiceBuilder`](crate::ServiceBuilder).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    _priv: (),
}

impl Identity {
    /// The identity layer.
    pub const fn new() -> Self {
        Self { _priv: () }
    }
}

impl<S> Layer<S> for Identity {
    type Service = S;

    fn layer(self, inner: S) -> S {
        inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_service_itself() {
        let svc = vec![1, 2, 3];
        assert_eq!(Identity::new().layer(svc), [1, 2, 3]);
    }
}
