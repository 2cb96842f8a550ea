//! Thrift: the service backend and the build-script front end.
//!
//! [`Builder`] drives pilota-build with [`VoloThriftBackend`] and writes one
//! file per IDL into `OUT_DIR`; see the [crate documentation](crate) for the
//! generated API.

mod backend;
mod builder;
mod error;

pub use self::{
    backend::VoloThriftBackend,
    builder::{Builder, Generated},
    error::Error,
};
