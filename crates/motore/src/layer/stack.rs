//! [`Stack`]: two layers applied one inside the other.

use super::Layer;

/// Two layers, `outer` wrapped around `inner`: `Stack::new(inner, outer).layer(s)` is
/// `outer.layer(inner.layer(s))`.
///
/// [`ServiceBuilder`](crate::ServiceBuilder) builds nested stacks, adding each new layer
/// as the `inner` of a new stack so that the first layer added ends up outermost.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stack<Inner, Outer> {
    inner: Inner,
    outer: Outer,
}

impl<Inner, Outer> Stack<Inner, Outer> {
    /// Stacks `outer` around `inner`.
    pub const fn new(inner: Inner, outer: Outer) -> Self {
        Self { inner, outer }
    }
}

impl<S, Inner, Outer> Layer<S> for Stack<Inner, Outer>
where
    Inner: Layer<S>,
    Outer: Layer<Inner::Service>,
{
    type Service = Outer::Service;

    fn layer(self, service: S) -> Self::Service {
        self.outer.layer(self.inner.layer(service))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::layer_fn;

    #[test]
    fn outer_wraps_inner() {
        let wrap = |name: &'static str| layer_fn(move |s: String| format!("{name}({s})"));
        let stack = Stack::new(wrap("inner"), wrap("outer"));
        assert_eq!(stack.layer("svc".to_owned()), "outer(inner(svc))");
    }
}
