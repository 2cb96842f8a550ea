//! [`layer_fn`]: a closure as a layer.

use std::fmt;

use super::Layer;

/// Returns a [`Layer`] that wraps a service by calling `f` with it.
///
/// ```
/// use motore::{Layer, layer::layer_fn};
///
/// #[derive(Debug, PartialEq)]
/// struct Named<S> {
///     name: &'static str,
///     inner: S,
/// }
///
/// let layer = layer_fn(|inner| Named { name: "api", inner });
/// assert_eq!(layer.layer(7), Named { name: "api", inner: 7 });
/// ```
pub fn layer_fn<F>(f: F) -> LayerFn<F> {
    LayerFn { f }
}

/// A [`Layer`] made from a function; see [`layer_fn`].
#[derive(Clone, Copy)]
pub struct LayerFn<F> {
    f: F,
}

impl<F> fmt::Debug for LayerFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LayerFn")
            .field("f", &std::any::type_name::<F>())
            .finish()
    }
}

impl<F, S, Out> Layer<S> for LayerFn<F>
where
    F: FnOnce(S) -> Out,
{
    type Service = Out;

    fn layer(self, inner: S) -> Out {
        (self.f)(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_the_function_once_with_the_service() {
        let owned = String::from("moved in");
        let layer = layer_fn(move |inner: u32| (owned, inner + 1));
        assert_eq!(layer.layer(41), ("moved in".to_owned(), 42));
    }

    #[test]
    fn debug_names_the_function_type() {
        let text = format!("{:?}", layer_fn(|s: u8| s));
        assert!(text.starts_with("LayerFn"), "{text}");
    }
}
