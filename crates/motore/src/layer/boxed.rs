//! Type-erased layers: [`BoxLayer`] and [`BoxCloneLayer`].

use std::fmt;

use super::Layer;
use crate::{
    Service,
    service::{BoxCloneService, BoxService},
};

/// A layer of any type that turns an `In` service into a [`BoxService`].
///
/// Use it to choose layers at run time (from configuration, say) while keeping one type
/// for the stack. Both the layer and the service it builds are boxed; the box is
/// `Send + Sync`.
///
/// ```
/// use motore::{
///     Layer, Service,
///     layer::BoxLayer,
///     service_fn,
///     util::{MapErrLayer, MapResponseLayer},
/// };
///
/// async fn two(_cx: &mut (), _req: ()) -> Result<u32, String> {
///     Ok(2)
/// }
///
/// fn pick<S>(square: bool) -> BoxLayer<S, (), (), u32, String>
/// where
///     S: Service<(), (), Response = u32, Error = String> + Send + Sync + 'static,
/// {
///     if square {
///         BoxLayer::new(MapResponseLayer::new(|n: u32| n * n))
///     } else {
///         BoxLayer::new(MapErrLayer::new(|e: String| e.to_uppercase()))
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = pick(true).layer(service_fn(two));
/// assert_eq!(svc.call(&mut (), ()).await, Ok(4));
/// let svc = pick(false).layer(service_fn(two));
/// assert_eq!(svc.call(&mut (), ()).await, Ok(2));
/// # }
/// ```
pub struct BoxLayer<In, Cx, T, U, E> {
    layer: Box<dyn FnOnce(In) -> BoxService<Cx, T, U, E> + Send + Sync>,
}

impl<In, Cx, T, U, E> BoxLayer<In, Cx, T, U, E> {
    /// Erases the type of `layer` and of the services it builds.
    pub fn new<L>(layer: L) -> Self
    where
        L: Layer<In> + Send + Sync + 'static,
        L::Service: Service<Cx, T, Response = U, Error = E> + Send + Sync + 'static,
        T: 'static,
    {
        Self {
            layer: Box::new(move |inner| BoxService::new(layer.layer(inner))),
        }
    }
}

impl<In, Cx, T, U, E> Layer<In> for BoxLayer<In, Cx, T, U, E> {
    type Service = BoxService<Cx, T, U, E>;

    fn layer(self, inner: In) -> Self::Service {
        (self.layer)(inner)
    }
}

impl<In, Cx, T, U, E> fmt::Debug for BoxLayer<In, Cx, T, U, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoxLayer").finish_non_exhaustive()
    }
}

/// The object-safe face of a cloneable layer whose services are boxed into `Out`.
trait CloneLayer<In, Out>: Send + Sync {
    fn layer_box(self: Box<Self>, inner: In) -> Out;
    fn clone_box(&self) -> Box<dyn CloneLayer<In, Out>>;
}

impl<L, In, Cx, T, U, E> CloneLayer<In, BoxCloneService<Cx, T, U, E>> for L
where
    L: Layer<In> + Clone + Send + Sync + 'static,
    L::Service: Service<Cx, T, Response = U, Error = E> + Clone + Send + Sync + 'static,
    T: 'static,
{
    fn layer_box(self: Box<Self>, inner: In) -> BoxCloneService<Cx, T, U, E> {
        BoxCloneService::new((*self).layer(inner))
    }

    fn clone_box(&self) -> Box<dyn CloneLayer<In, BoxCloneService<Cx, T, U, E>>> {
        Box::new(self.clone())
    }
}

/// A cloneable layer of any type that turns an `In` service into a [`BoxCloneService`].
///
/// Like [`BoxLayer`], but the layer can be cloned and applied to several services, and
/// the services it builds can be cloned too.
pub struct BoxCloneLayer<In, Cx, T, U, E> {
    layer: Box<dyn CloneLayer<In, BoxCloneService<Cx, T, U, E>>>,
}

impl<In, Cx, T, U, E> BoxCloneLayer<In, Cx, T, U, E> {
    /// Erases the type of `layer` and of the services it builds.
    pub fn new<L>(layer: L) -> Self
    where
        L: Layer<In> + Clone + Send + Sync + 'static,
        L::Service: Service<Cx, T, Response = U, Error = E> + Clone + Send + Sync + 'static,
        T: 'static,
    {
        Self {
            layer: Box::new(layer),
        }
    }
}

impl<In, Cx, T, U, E> Layer<In> for BoxCloneLayer<In, Cx, T, U, E> {
    type Service = BoxCloneService<Cx, T, U, E>;

    fn layer(self, inner: In) -> Self::Service {
        self.layer.layer_box(inner)
    }
}

impl<In, Cx, T, U, E> Clone for BoxCloneLayer<In, Cx, T, U, E> {
    fn clone(&self) -> Self {
        Self {
            layer: self.layer.clone_box(),
        }
    }
}

impl<In, Cx, T, U, E> fmt::Debug for BoxCloneLayer<In, Cx, T, U, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoxCloneLayer").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{service_fn, util::MapResponseLayer};

    async fn echo(cx: &mut u32, req: u32) -> Result<u32, ()> {
        *cx += 1;
        Ok(req)
    }

    #[tokio::test]
    async fn box_layer_applies_the_erased_layer() {
        let layer: BoxLayer<_, u32, u32, String, ()> =
            BoxLayer::new(MapResponseLayer::new(|n: u32| format!("<{n}>")));
        let svc = layer.layer(service_fn(echo));
        let mut cx = 0;
        assert_eq!(svc.call(&mut cx, 5).await, Ok("<5>".to_owned()));
        assert_eq!(cx, 1);
    }

    #[tokio::test]
    async fn box_clone_layer_applies_each_clone() {
        let layer: BoxCloneLayer<_, u32, u32, u32, ()> =
            BoxCloneLayer::new(MapResponseLayer::new(|n: u32| n * 3));
        let first = layer.clone().layer(service_fn(echo));
        let second = layer.layer(service_fn(echo)).clone();
        let mut cx = 0;
        assert_eq!(first.call(&mut cx, 2).await, Ok(6));
        assert_eq!(second.call(&mut cx, 3).await, Ok(9));
        assert_eq!(cx, 2);
    }
}
