//! Generation options: several roots in one output, per-root unknown fields,
//! deduplication of identical definitions, and split output. The snapshots written here
//! are compiled by `tests/generated_code.rs`; run with `UPDATE_SNAPSHOTS=1` to rewrite
//! them after an intended change (and review the diff).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pilota_build::Builder;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/options")
        .join(name)
}

fn snapshots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some()
}

fn check_snapshot(path: &Path, code: &str) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, code).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SNAPSHOTS=1)", path.display()));
    assert!(
        code == expected,
        "{} differs from the generated code (run with UPDATE_SNAPSHOTS=1 to update)",
        path.display()
    );
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "pilota-build-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn count(code: &str, needle: &str) -> usize {
    code.matches(needle).count()
}

/// Every item of a source file as `module::path::description`, in order; impls are
/// described by their trait and type and list their functions.
fn items(code: &str) -> Vec<String> {
    fn walk(module: &str, items: &[syn::Item], out: &mut Vec<String>) {
        for item in items {
            let described = match item {
                syn::Item::Mod(m) => {
                    let inner = format!("{module}{}::", m.ident);
                    walk(&inner, &m.content.as_ref().unwrap().1, out);
                    continue;
                }
                syn::Item::Struct(s) => format!("struct {}", s.ident),
                syn::Item::Enum(e) => format!("enum {}", e.ident),
                syn::Item::Static(s) => format!("static {}", s.ident),
                syn::Item::Const(c) => format!("const {}", c.ident),
                syn::Item::Type(t) => format!("type {}", t.ident),
                syn::Item::Use(u) => {
                    let tree = &u.tree;
                    format!("use {}", quote::quote!(#tree))
                }
                syn::Item::Impl(i) => {
                    let ty = &i.self_ty;
                    let tr = i.trait_.as_ref().map(|(_, path, _)| path);
                    let fns: Vec<String> = i
                        .items
                        .iter()
                        .filter_map(|item| match item {
                            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                            syn::ImplItem::Const(c) => Some(c.ident.to_string()),
                            _ => None,
                        })
                        .collect();
                    format!(
                        "impl {} for {} {fns:?}",
                        quote::quote!(#tr),
                        quote::quote!(#ty)
                    )
                }
                other => panic!("unexpected item {}", quote::quote!(#other)),
            };
            out.push(format!("{module}{described}"));
        }
    }
    let file: syn::File = syn::parse_str(code).unwrap();
    let mut out = Vec::new();
    walk("", &file.items, &mut out);
    out
}

fn dedup_builder() -> Builder {
    Builder::thrift().dedup(["Base", "Kind"])
}

#[test]
fn several_roots_generate_into_one_output() {
    let code = Builder::thrift()
        .run_all(&[fixture("a.thrift"), fixture("b.thrift")])
        .unwrap()
        .code;
    assert!(code.contains("pub mod options {"), "{code}");
    assert!(code.contains("pub mod a {"));
    assert!(code.contains("pub mod b {"));
    // Without dedup, each file has its own copy.
    assert_eq!(count(&code, "pub struct Base {"), 2);
}

#[test]
fn a_file_read_by_several_roots_is_generated_once() {
    let output = Builder::thrift()
        .run_all(&[fixture("main.thrift"), fixture("a.thrift")])
        .unwrap();
    assert_eq!(count(&output.code, "pub mod a {"), 1, "{}", output.code);
    let mut inputs: Vec<String> = output
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    inputs.sort();
    assert_eq!(inputs, ["a.thrift", "b.thrift", "main.thrift"]);
}

#[test]
fn dedup_generates_one_definition_and_reexports_it() {
    let code = dedup_builder()
        .run_all(&[fixture("a.thrift"), fixture("b.thrift")])
        .unwrap()
        .code;
    assert_eq!(count(&code, "pub struct Base {"), 1, "{code}");
    assert_eq!(count(&code, "pub struct Kind("), 1);
    assert!(code.contains("pub use super::a::Base;"));
    assert!(code.contains("pub use super::a::Kind;"));
    // What is not listed stays where it is.
    assert!(code.contains("pub struct Wrapper {"));
    check_snapshot(&snapshots().join("dedup.rs"), &code);
}

#[test]
fn dedup_works_inside_one_root() {
    let code = dedup_builder().generate(fixture("main.thrift")).unwrap();
    assert_eq!(count(&code, "pub struct Base {"), 1, "{code}");
    assert!(code.contains("pub use super::a::Base;"));
}

#[test]
fn dedup_of_differing_definitions_names_both_files() {
    let error = dedup_builder()
        .run_all(&[fixture("a.thrift"), fixture("b_differs.thrift")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot deduplicate `Base`: their definitions differ"),
        "{error}"
    );
    assert!(error.contains("`options.a.Base` in "), "{error}");
    assert!(error.contains("a.thrift:10:1"), "{error}");
    assert!(error.contains("b_differs.thrift:8:1"), "{error}");
    // `Kind` is identical in both: it is not reported.
    assert!(!error.contains("`Kind`"), "{error}");
}

#[test]
fn dedup_of_a_type_whose_references_are_not_deduplicated_names_them() {
    // Both `Base`s refer to `Kind`, but to the one of their own file.
    let error = Builder::thrift()
        .dedup(["Base"])
        .run_all(&[fixture("a.thrift"), fixture("b.thrift")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "cannot deduplicate `Base`: they refer to different items named `Kind`: deduplicate those too"
        ),
        "{error}"
    );
    assert!(error.contains("b.thrift:9:1"), "{error}");
}

#[test]
fn dedup_of_a_name_nobody_defines_is_an_error() {
    let error = Builder::thrift()
        .dedup(["Missing", "Missing"])
        .generate(fixture("a.thrift"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error
            .matches("cannot deduplicate `Missing`: no IDL file defines it")
            .count(),
        1,
        "{error}"
    );
}

#[test]
fn dedup_of_a_service_is_an_error() {
    let error = Builder::thrift()
        .dedup(["A"])
        .generate(fixture("a.thrift"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot deduplicate `A`: it is a service"),
        "{error}"
    );
}

#[test]
fn dedup_needs_the_same_unknown_field_setting() {
    let error = dedup_builder()
        .unknown_fields_for(fixture("b.thrift"), false)
        .run_all(&[fixture("a.thrift"), fixture("b.thrift")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("one keeps unknown fields and the other does not"),
        "{error}"
    );
}

#[test]
fn unknown_fields_can_differ_per_root() {
    let code = Builder::thrift()
        .unknown_fields(false)
        .unknown_fields_for(fixture("a.thrift"), true)
        .run_all(&[fixture("a.thrift"), fixture("b.thrift")])
        .unwrap()
        .code;
    let a = &code[code.find("pub mod a {").unwrap()..code.find("pub mod b {").unwrap()];
    let b = &code[code.find("pub mod b {").unwrap()..];
    assert!(a.contains("_unknown_fields"), "{a}");
    assert!(!b.contains("_unknown_fields"), "{b}");
}

#[test]
fn split_output_has_the_same_items() {
    let roots = [fixture("a.thrift"), fixture("b.thrift")];
    let whole = dedup_builder().run_all(&roots).unwrap().code;
    let split = dedup_builder().split("split_gen").run_all(&roots).unwrap();
    let paths: Vec<&str> = split.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["split_gen/options/a.rs", "split_gen/options/b.rs"]);
    assert!(
        split.code.contains("include!(\"split_gen/options/a.rs\");"),
        "{}",
        split.code
    );

    // Inlining every module file gives the items of the unsplit output, module by
    // module (formatting may differ: a file is formatted at its own nesting depth).
    let mut inlined = split.code.clone();
    for file in &split.files {
        let include = format!("include!(\"{}\");", file.path);
        assert!(inlined.contains(&include));
        inlined = inlined.replace(&include, &file.code);
    }
    assert!(!inlined.contains("include!"));
    assert_eq!(items(&inlined), items(&whole));
    assert!(items(&whole).contains(&"options::b::use super :: a :: Base".to_string()));

    let main = snapshots().join("split_gen.rs");
    if updating() {
        let _ = std::fs::remove_dir_all(snapshots().join("split_gen"));
        split.write(&main).unwrap();
    }
    check_snapshot(&main, &split.code);
    for file in &split.files {
        check_snapshot(&snapshots().join(&file.path), &file.code);
    }
}

#[test]
fn split_write_removes_stale_files_and_keeps_unchanged_ones() {
    let tmp = TempDir::new("split");
    let out = tmp.0.join("gen.rs");
    let stale = tmp.0.join("gen/options/old.rs");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "compile_error!(\"stale\");").unwrap();
    let unrelated = tmp.0.join("gen/notes.txt");
    std::fs::write(&unrelated, "not ours").unwrap();

    let builder = dedup_builder().split("gen");
    let roots = [fixture("a.thrift"), fixture("b.thrift")];
    let output = builder.run_all(&roots).unwrap();
    output.write(&out).unwrap();
    assert!(!stale.exists(), "a stale module file is removed");
    assert!(unrelated.exists(), "only generated `.rs` files are removed");
    let a = tmp.0.join("gen/options/a.rs");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), output.files[0].code);

    let modified = std::fs::metadata(&a).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    builder.run_all(&roots).unwrap().write(&out).unwrap();
    assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), modified);

    // Splitting only one root now: the other module's file goes away.
    builder.run_all(&roots[..1]).unwrap().write(&out).unwrap();
    assert!(a.exists());
    assert!(!tmp.0.join("gen/options/b.rs").exists());
}

#[test]
fn split_directory_must_be_a_plain_relative_path() {
    for dir in ["", ".", "../up", "/abs", "a//b", "a/./b"] {
        let error = Builder::thrift()
            .split(dir)
            .run(fixture("a.thrift"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("the split directory must be a relative path of plain names"),
            "{dir}: {error}"
        );
    }
    let output = Builder::thrift()
        .split("gen/nested")
        .run(fixture("a.thrift"))
        .unwrap();
    assert_eq!(output.files[0].path, "gen/nested/options/a.rs");
}
