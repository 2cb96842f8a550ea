//! Compile tests for `#[service]`: every misuse is a clear error pointing at the user's
//! code, and the supported shapes compile and run.

#[test]
fn service_macro() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
