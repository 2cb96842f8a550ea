//! Test types shared by the integration tests (and the fuzz targets, which
//! include `all_types.rs` and `value.rs` directly).

pub(crate) mod all_types;
pub(crate) mod strategies;
pub(crate) mod value;
