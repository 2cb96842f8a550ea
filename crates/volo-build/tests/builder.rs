//! The build-script front end: outputs, change detection, and errors.

mod common;

use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use common::TempDir;
use volo_build::thrift::{Builder, Error};

const ECHO: &str = "namespace rs echo\nservice Echo { string echo(1: string msg) }\n";

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn writes_one_file_per_root_idl_and_only_when_it_changed() {
    let dir = TempDir::new("write");
    let echo = dir.write("idl/echo.thrift", ECHO);
    let shared = dir.write(
        "idl/common/shared.thrift",
        "namespace rs shared\nstruct Id { 1: i64 v }\n",
    );
    let user = dir.write(
        "idl/user.thrift",
        "include \"shared.thrift\"\nnamespace rs user\nservice Users { shared.Id create(1: string name) }\n",
    );
    let out = dir.0.join("out");
    let builder = Builder::new()
        .include_dir(dir.0.join("idl/common"))
        .add_idl(&echo)
        .add_idl(&user)
        .out_dir(&out);

    let written = builder.write().unwrap();
    assert_eq!(written, [out.join("echo.rs"), out.join("user.rs")]);
    let user_code = std::fs::read_to_string(out.join("user.rs")).unwrap();
    assert!(user_code.contains("pub trait Users:"), "{user_code}");
    assert!(user_code.contains("pub mod shared {"), "{user_code}");

    // The included file counts as an input.
    let generated = builder.generate(&user).unwrap();
    assert_eq!(generated.inputs, [user.clone(), shared.clone()]);

    // Nothing changed: the outputs keep their modification time.
    let before = mtime(&out.join("echo.rs"));
    std::thread::sleep(Duration::from_millis(20));
    builder.write().unwrap();
    assert_eq!(mtime(&out.join("echo.rs")), before);

    // An input changed: the output is rewritten.
    std::fs::write(&echo, ECHO.replace("string msg", "string message")).unwrap();
    builder.write().unwrap();
    let code = std::fs::read_to_string(out.join("echo.rs")).unwrap();
    assert!(code.contains("message: ::pilota::FastStr"), "{code}");
}

#[test]
fn every_failing_idl_is_reported_with_positions() {
    let dir = TempDir::new("diagnostics");
    let good = dir.write("good.thrift", ECHO);
    let bad1 = dir.write("bad1.thrift", "service A { Missing m() }\n");
    let bad2 = dir.write("bad2.thrift", "struct B {\n  1: i32 x\n  1: i32 y\n}\n");
    let err = Builder::new()
        .add_idl(&bad1)
        .add_idl(&good)
        .add_idl(&bad2)
        .out_dir(dir.0.join("out"))
        .write()
        .unwrap_err();
    let Error::Idl(failures) = &err else {
        panic!("not an IDL error: {err:?}");
    };
    let failed: Vec<&PathBuf> = failures.iter().map(|(p, _)| p).collect();
    assert_eq!(failed, [&bad1, &bad2]);
    let text = err.to_string();
    assert!(text.contains("bad1.thrift:1:13"), "{text}");
    assert!(text.contains("bad2.thrift:3:"), "{text}");
    // The good IDL was still generated.
    assert!(dir.0.join("out/good.rs").exists());
}

#[test]
fn configuration_errors_are_typed() {
    let dir = TempDir::new("config");
    assert!(matches!(
        Builder::new().out_dir(&dir.0).write(),
        Err(Error::NoIdl)
    ));

    let a = dir.write("a/echo.thrift", ECHO);
    let b = dir.write("b/echo.thrift", ECHO);
    let err = Builder::new()
        .add_idl(&a)
        .add_idl(&b)
        .out_dir(&dir.0)
        .write()
        .unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateOutput { file, first, second } if file == "echo.rs" && first == &a && second == &b),
        "{err:?}"
    );

    if std::env::var_os("OUT_DIR").is_none() {
        assert!(matches!(
            Builder::new().add_idl(&a).write(),
            Err(Error::NoOutDir)
        ));
    }

    let missing = Builder::new()
        .add_idl(dir.0.join("missing.thrift"))
        .out_dir(&dir.0)
        .write()
        .unwrap_err();
    assert!(missing.to_string().contains("missing.thrift"), "{missing}");

    // An output directory that is a file.
    let file = dir.write("not-a-dir", "");
    let err = Builder::new()
        .add_idl(&a)
        .out_dir(&file)
        .write()
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[test]
fn generated_names_that_collide_are_diagnosed() {
    let dir = TempDir::new("collide");
    let idl = dir.write(
        "c.thrift",
        "struct EchoClient { 1: i32 x }\nservice Echo { void ping() }\n",
    );
    let err = Builder::new().generate(&idl).unwrap_err().to_string();
    assert!(err.contains("`EchoClient`"), "{err}");
    assert!(err.contains("c.thrift:2:"), "{err}");

    let idl = dir.write(
        "d.thrift",
        "service Base { void ping() }\nservice Derived extends Base { void ping() }\n",
    );
    let err = Builder::new().generate(&idl).unwrap_err().to_string();
    assert!(err.contains("`ping`"), "{err}");
}

#[test]
fn generated_glue_has_the_documented_shape() {
    let dir = TempDir::new("shape");
    let idl = dir.write(
        "s.thrift",
        "namespace rs s\n\
         exception Oops { 1: string why }\n\
         struct Msg { 1: string text }\n\
         service Svc {\n\
           Msg call(1: Msg msg, 2: optional i32 hint, 3: i64 n) throws (1: Oops oops),\n\
           oneway void fire(1: string what),\n\
         }\n",
    );
    let code = Builder::new().generate(&idl).unwrap().code;
    for expected in [
        "pub enum SvcRequest {",
        "Call(SvcCallArgs),",
        "pub enum SvcResponse {",
        "Call(SvcCallResult),",
        "Oneway,",
        "impl ::volo_thrift::__codegen::EntryMessage for SvcRequest {",
        "const SERVICE_NAME: &'static str = \"Svc\";",
        "::volo_thrift::__codegen::CodecError::unknown_method(other)",
        "pub trait Svc: ::std::marker::Send + ::std::marker::Sync + 'static {",
        "msg: Msg,",
        "hint: i32,",
        "Output = ::std::result::Result<Msg, SvcHandlerError<SvcCallException>>,",
        "pub enum SvcCallException {",
        "Oops(Oops),",
        "impl ::std::convert::From<Oops> for SvcHandlerError<SvcCallException> {",
        "pub struct SvcServer<H> {",
        "msg: ::std::option::Option::Some(msg),",
        "__args.msg.unwrap_or_default()",
        "pub struct SvcClient {",
        "-> ::std::result::Result<Msg, SvcCallError<SvcCallException>> {",
        "-> ::std::result::Result<(), ::volo_thrift::__codegen::ClientError> {",
        "pub struct SvcClientBuilder<D, LB, IL, OL> {",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
    // Nothing of the framework is named outside the re-export module.
    for line in code.lines().filter(|l| l.contains("::volo_thrift::")) {
        assert!(line.contains("::volo_thrift::__codegen::"), "{line}");
    }
    assert!(!code.contains("::motore::") && !code.contains("::volo::"));
}
