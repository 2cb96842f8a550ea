//! Small building blocks: [`Either`] and the adapters behind [`ServiceExt`].
//!
//! Each adapter is a service wrapping another and comes with a layer, so it can be used
//! from [`ServiceExt`] on a service or from
//! [`ServiceBuilder`](crate::ServiceBuilder) in a stack.
//!
//! [`ServiceExt`]: crate::ServiceExt

mod and_then;
mod either;
mod map_err;
mod map_request;
mod map_response;

pub use and_then::{AndThen, AndThenLayer};
pub use either::Either;
pub use map_err::{MapErr, MapErrLayer};
pub use map_request::{MapRequest, MapRequestLayer};
pub use map_response::{MapResponse, MapResponseLayer};

/// Implements `Debug` for an adapter (`Name<S, F>`, showing `inner`) or its layer
/// (`Name<F>`), printing the function as its type name.
macro_rules! debug_with_fn {
    ($name:ident<S, F>) => {
        impl<S: std::fmt::Debug, F> std::fmt::Debug for $name<S, F> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("inner", &self.inner)
                    .field("f", &std::any::type_name::<F>())
                    .finish()
            }
        }
    };
    ($name:ident<F>) => {
        impl<F> std::fmt::Debug for $name<F> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("f", &std::any::type_name::<F>())
                    .finish()
            }
        }
    };
}
use debug_with_fn;
