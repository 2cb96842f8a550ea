//! Runnable scenarios for the Volo framework: each binary under `src/bin` is one of them.
//! Run one with `cargo run -p examples --bin <name>`.
