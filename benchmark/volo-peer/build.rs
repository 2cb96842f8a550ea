//! Generates the echo IDL with CloudWeGo's published volo-build.

fn main() {
    let written = volo_build::Builder::thrift()
        .add_service("../load/idl/echo.thrift")
        .filename("echo.rs".into())
        .write();
    if let Err(e) = written {
        eprintln!("volo-build failed: {e:#}");
        std::process::exit(1);
    }
}
