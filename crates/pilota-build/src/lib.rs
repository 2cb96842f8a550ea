//! Pilota build: IDL front ends, an IDL-independent model, and a Rust code generator.

mod builder;
pub mod codegen;
pub mod lower;
pub mod model;
pub mod thrift;

pub use builder::{Builder, Output};
