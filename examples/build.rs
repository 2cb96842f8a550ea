//! Generates the Rust code of every IDL in `idl/` into `OUT_DIR`, one file
//! per IDL (`greeter.rs`, ...), which `src/lib.rs` includes.

fn main() {
    volo_build::thrift::Builder::new()
        .include_dir("idl")
        .add_idl("idl/greeter.thrift")
        .add_idl("idl/multi.thrift")
        .add_idl("idl/tally.thrift")
        .add_idl("idl/hop.thrift")
        .add_idl("idl/slow.thrift")
        .write_or_exit();
}
