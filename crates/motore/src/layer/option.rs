//! [`option_layer`]: a layer that may be absent.

use super::Identity;
use crate::util::Either;

/// Turns an optional layer into a layer: `Some(l)` applies `l`, `None` changes nothing.
///
/// The result is `Either<L, Identity>`, so the stack's type does not depend on the
/// choice; as a service it is `Either<L::Service, S>`, which requires both to answer with
/// the same `Response` and `Error`.
///
/// ```
/// use motore::{Layer, layer::option_layer, util::Either};
///
/// let double = |on: bool| option_layer(on.then_some(motore::layer::layer_fn(|n: u32| n * 2)));
/// assert_eq!(double(true).layer(21), Either::Left(42));
/// assert_eq!(double(false).layer(21), Either::Right(21));
/// ```
pub fn option_layer<L>(layer: Option<L>) -> Either<L, Identity> {
    match layer {
        Some(layer) => Either::Left(layer),
        None => Either::Right(Identity::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Layer, Service, service_fn, util::MapResponseLayer};

    async fn one(_cx: &mut (), _req: ()) -> Result<u32, ()> {
        Ok(1)
    }

    fn plus(n: Option<u32>) -> Either<MapResponseLayer<impl Fn(u32) -> u32 + Sync>, Identity> {
        option_layer(n.map(|n| MapResponseLayer::new(move |r: u32| r + n)))
    }

    #[tokio::test]
    async fn some_applies_the_layer() {
        let svc = plus(Some(9)).layer(service_fn(one));
        assert_eq!(svc.call(&mut (), ()).await, Ok(10));
    }

    #[tokio::test]
    async fn none_leaves_the_service_alone() {
        let svc = plus(None).layer(service_fn(one));
        assert_eq!(svc.call(&mut (), ()).await, Ok(1));
    }
}
