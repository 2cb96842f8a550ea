//! The [`Layer`] trait and generic layers: identity, stacking, functions, tuples, options
//! and type erasure.
//!
//! A layer turns one service into another: `Timeout::new(inner, ..)` is what
//! `TimeoutLayer::layer(inner)` returns. Layers compose into stacks, most conveniently
//! with [`ServiceBuilder`](crate::ServiceBuilder).

mod boxed;
mod identity;
mod layer_fn;
mod option;
mod stack;
mod tuple;

pub use boxed::{BoxCloneLayer, BoxLayer};
pub use identity::Identity;
pub use layer_fn::{LayerFn, layer_fn};
pub use option::option_layer;
pub use stack::Stack;

/// Decorates a service, producing a new service that wraps it.
///
/// A layer is consumed when applied: it is a recipe, and a built stack owns its parts.
/// Clone the layer (most are `Clone`) to apply it to several services.
///
/// Besides the layers of this crate, these implement `Layer`:
///
/// - tuples of up to twelve layers, applied with the **first element outermost**:
///   `(A, B, C).layer(s)` is `A.layer(B.layer(C.layer(s)))`, and `()` changes nothing;
/// - [`Either`](crate::util::Either) of two layers;
/// - [`ServiceBuilder`](crate::ServiceBuilder), applying its whole stack.
///
/// ```
/// use motore::{Layer, Service, layer::layer_fn, service_fn};
///
/// async fn hello(_cx: &mut (), req: String) -> Result<String, ()> {
///     Ok(format!("hello {req}"))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // A layer that does nothing but wrap the service in a `Box`.
/// let boxing = layer_fn(|inner| Box::new(inner));
/// let svc = boxing.layer(service_fn(hello));
/// assert_eq!(svc.call(&mut (), "you".to_owned()).await.unwrap(), "hello you");
/// # }
/// ```
pub trait Layer<S> {
    /// The wrapped service.
    type Service;

    /// Wraps `inner` in this layer's middleware.
    fn layer(self, inner: S) -> Self::Service;
}
