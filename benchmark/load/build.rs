//! Generates the echo IDL with this repository's volo-build.

fn main() {
    volo_build::thrift::Builder::new()
        .add_idl("idl/echo.thrift")
        .write_or_exit();
}
