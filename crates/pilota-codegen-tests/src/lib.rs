//! Compile and round-trip tests of the code `pilota-build` generates.
//!
//! `build.rs` generates Rust from `pilota-build`'s codegen fixtures (with and without
//! unknown fields) and from every Thrift file of the shared IDL corpus that the parser
//! accepts; this crate includes all of it under `#![deny(warnings)]`, so a warning in
//! generated code fails the build. The serde plugin's output is compiled too. The tests in `tests/` exercise the fixture types.
//!
//! ```
//! use pilota::thrift::binary;
//! use pilota_codegen_tests::all::all::DefaultsOnly;
//!
//! let value = DefaultsOnly::default();
//! let bytes = binary::encode(&value).unwrap();
//! assert_eq!(binary::decode::<DefaultsOnly>(bytes).unwrap(), value);
//! ```
#![deny(warnings)]
// One corpus file nests 100 structs by value; checking `Send` for it needs more.
#![recursion_limit = "256"]

/// Generated from `all.thrift` (and `shared.thrift`), unknown fields kept.
pub mod all {
    include!(concat!(env!("OUT_DIR"), "/all.rs"));
}

/// Generated from `all.thrift` with unknown fields off.
pub mod all_no_unknown {
    include!(concat!(env!("OUT_DIR"), "/all_no_unknown.rs"));
}

/// Generated from `plugins.thrift` with the serde plugin.
pub mod plugins_serde {
    include!(concat!(env!("OUT_DIR"), "/plugins_serde.rs"));
}

/// One module per corpus file that parsed and generated.
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus/mod.rs"));
}

/// How many corpus files parsed, generated and compiled.
pub mod corpus_stats {
    include!(concat!(env!("OUT_DIR"), "/corpus_stats.rs"));
}
