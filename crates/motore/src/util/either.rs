//! [`Either`]: one of two services or layers, chosen at run time.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use pin_project_lite::pin_project;

use crate::{Layer, Service};

/// One of two services (or layers) of different types, chosen when the stack is built.
///
/// As a [`Service`], both arms must give the same `Response` and `Error`; no boxing is
/// involved. As a [`Layer`], it applies whichever arm it holds, producing
/// `Either<A::Service, B::Service>`; [`option_layer`](crate::layer::option_layer) is built
/// on this.
///
/// ```
/// use motore::{Service, service_fn, util::Either};
///
/// async fn fast(_cx: &mut (), req: u32) -> Result<u32, ()> { Ok(req) }
/// async fn double(_cx: &mut (), req: u32) -> Result<u32, ()> { Ok(req * 2) }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let pick = |twice: bool| {
///     if twice { Either::Right(service_fn(double)) } else { Either::Left(service_fn(fast)) }
/// };
/// assert_eq!(pick(false).call(&mut (), 5).await, Ok(5));
/// assert_eq!(pick(true).call(&mut (), 5).await, Ok(10));
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Either<A, B> {
    /// The first alternative.
    Left(A),
    /// The second alternative.
    Right(B),
}

impl<A, B, Cx, Req> Service<Cx, Req> for Either<A, B>
where
    A: Service<Cx, Req>,
    B: Service<Cx, Req, Response = A::Response, Error = A::Error>,
{
    type Response = A::Response;
    type Error = A::Error;

    fn call(
        &self,
        cx: &mut Cx,
        req: Req,
    ) -> impl Future<Output = Result<A::Response, A::Error>> + Send {
        match self {
            Either::Left(a) => EitherFuture::Left {
                fut: a.call(cx, req),
            },
            Either::Right(b) => EitherFuture::Right {
                fut: b.call(cx, req),
            },
        }
    }
}

impl<S, A, B> Layer<S> for Either<A, B>
where
    A: Layer<S>,
    B: Layer<S>,
{
    type Service = Either<A::Service, B::Service>;

    fn layer(self, inner: S) -> Self::Service {
        match self {
            Either::Left(a) => Either::Left(a.layer(inner)),
            Either::Right(b) => Either::Right(b.layer(inner)),
        }
    }
}

pin_project! {
    /// The future of whichever arm was called.
    #[project = EitherProj]
    enum EitherFuture<A, B> {
        Left { #[pin] fut: A },
        Right { #[pin] fut: B },
    }
}

impl<A, B> Future for EitherFuture<A, B>
where
    A: Future,
    B: Future<Output = A::Output>,
{
    type Output = A::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<A::Output> {
        match self.project() {
            EitherProj::Left { fut } => fut.poll(cx),
            EitherProj::Right { fut } => fut.poll(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{layer::Identity, service_fn, util::MapResponseLayer};

    async fn push_left(cx: &mut Vec<&'static str>, req: u8) -> Result<u8, ()> {
        cx.push("left");
        Ok(req)
    }

    async fn push_right(cx: &mut Vec<&'static str>, req: u8) -> Result<u8, ()> {
        tokio::task::yield_now().await;
        cx.push("right");
        Ok(req + 1)
    }

    fn pick(right: bool) -> impl Service<Vec<&'static str>, u8, Response = u8, Error = ()> {
        if right {
            Either::Right(service_fn(push_right))
        } else {
            Either::Left(service_fn(push_left))
        }
    }

    #[tokio::test]
    async fn serves_with_either_arm() {
        let mut cx = Vec::new();
        assert_eq!(pick(false).call(&mut cx, 1).await, Ok(1));
        assert_eq!(pick(true).call(&mut cx, 1).await, Ok(2));
        assert_eq!(cx, ["left", "right"]);
    }

    #[tokio::test]
    async fn layers_with_either_arm() {
        type AddTen = MapResponseLayer<fn(u8) -> u8>;
        let add_ten: AddTen = MapResponseLayer::new(|r| r + 10);

        let left = Either::<AddTen, Identity>::Left(add_ten).layer(service_fn(push_left));
        assert_eq!(left.call(&mut Vec::new(), 1).await, Ok(11));
        assert!(matches!(left, Either::Left(_)));

        let right = Either::<AddTen, Identity>::Right(Identity::new()).layer(service_fn(push_left));
        assert_eq!(right.call(&mut Vec::new(), 1).await, Ok(1));
        assert!(matches!(right, Either::Right(_)));
    }
}
