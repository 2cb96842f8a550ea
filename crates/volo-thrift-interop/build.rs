//! Generates `idl/interop.thrift` into `OUT_DIR` with volo-build.

fn main() {
    volo_build::thrift::Builder::new()
        .add_idl("idl/interop.thrift")
        // Interop must see every field decoded: an unknown field would otherwise
        // be echoed back verbatim and hide a field the decoder did not read.
        .unknown_fields(false)
        .write_or_exit();
}
