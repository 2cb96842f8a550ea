//! Multi-file parsing: include search order, cycles, parse-once, and name resolution.

use std::path::{Path, PathBuf};

use pilota_build::thrift::ast::{BaseType, Definition, StructKind, TypeKind};
use pilota_build::thrift::{self, ConstRef, ParsedIdl};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/thrift")
}

fn parse_ok(root: &Path, dirs: &[PathBuf]) -> ParsedIdl {
    thrift::parse_files(root, dirs).unwrap_or_else(|e| panic!("{e}"))
}

fn ends_with(path: &Path, suffix: &str) -> bool {
    path.ends_with(suffix)
}

#[test]
fn includes_are_searched_next_to_the_file_then_in_include_dirs_in_order() {
    let base = fixtures().join("search");
    let root = base.join("local/main.thrift");
    let idl = parse_ok(&root, &[base.join("dir1"), base.join("dir2")]);
    let main = idl.file(idl.root());
    let found: Vec<&Path> = main
        .includes()
        .iter()
        .map(|i| idl.file(i.file).path())
        .collect();
    assert!(
        ends_with(found[0], "search/local/common.thrift"),
        "{found:?}"
    );
    assert!(
        ends_with(found[1], "search/dir1/only_in_dirs.thrift"),
        "{found:?}"
    );
    assert_eq!(main.includes()[1].prefix, "only_in_dirs");

    // With the directories swapped, dir2's file (without `FromDir1`) is found first.
    let diags = thrift::parse_files(&root, &[base.join("dir2"), base.join("dir1")])
        .expect_err("FromDir1 is not in dir2");
    let errors: Vec<&str> = diags.errors().map(|d| d.message()).collect();
    assert_eq!(errors, ["unknown type `only_in_dirs.FromDir1`"], "{diags}");
}

#[test]
fn missing_include_is_reported_with_the_searched_directories() {
    let base = fixtures().join("search");
    let diags = thrift::parse_files(&base.join("local/main.thrift"), &[])
        .expect_err("only_in_dirs.thrift cannot be found");
    let errors: Vec<_> = diags.errors().collect();
    // Uses of the missing file's names are not reported on top.
    assert_eq!(errors.len(), 1, "{diags}");
    assert_eq!(
        errors[0].message(),
        "cannot find included file `only_in_dirs.thrift`"
    );
    assert_eq!((errors[0].line(), errors[0].col()), (5, 9));
    assert!(errors[0].notes()[0].starts_with("searched in: "), "{diags}");
}

#[test]
fn include_cycle_is_named_with_its_chain() {
    let base = fixtures().join("cycle");
    let diags = thrift::parse_files(&base.join("a.thrift"), &[]).expect_err("a cycle");
    let errors: Vec<_> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "{diags}");
    let message = errors[0].message();
    assert!(message.starts_with("include cycle: "), "{message}");
    let chain: Vec<&str> = message["include cycle: ".len()..].split(" -> ").collect();
    let names: Vec<&str> = chain
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
        })
        .collect();
    assert_eq!(names, ["a.thrift", "b.thrift", "c.thrift", "a.thrift"]);
    assert!(errors[0].file().ends_with("c.thrift"));
    assert_eq!(errors[0].line(), 1);
}

#[test]
fn each_file_is_parsed_once() {
    let idl = parse_ok(&fixtures().join("diamond/main.thrift"), &[]);
    assert_eq!(idl.files().len(), 4);
    let left = idl.file(idl.file(idl.root()).includes()[0].file);
    let right = idl.file(idl.file(idl.root()).includes()[1].file);
    assert_eq!(left.includes()[0].file, right.includes()[0].file);
    for (i, f) in idl.files().iter().enumerate() {
        assert_eq!(f.id().index(), i);
    }
}

#[test]
fn root_that_cannot_be_read() {
    let diags = thrift::parse_files(&fixtures().join("no/such/file.thrift"), &[])
        .expect_err("missing root");
    let d = diags.errors().next().expect("an error");
    assert!(d.message().starts_with("cannot read file"), "{d}");
    assert_eq!((d.line(), d.col(), d.span()), (0, 0, None));
}

#[test]
fn resolution_across_files() {
    let idl = parse_ok(&fixtures().join("multi/main.thrift"), &[]);
    assert_eq!(idl.files().len(), 2);
    let root = idl.root();
    let main = idl.file(root).document();
    assert_eq!(main.doc.as_deref(), Some("The main program."));
    let types_file = idl.file(root).includes()[0].file;
    assert_eq!(idl.file(root).includes()[0].prefix, "types");

    let order = main
        .definitions
        .iter()
        .find_map(|d| match d {
            Definition::Struct(s) if s.name.name == "Order" => Some(s),
            _ => None,
        })
        .expect("Order");
    // `MainId` → typedef in main → `types.Id` → `i64`.
    let TypeKind::Named(main_id) = &order.fields[0].ty.kind else {
        panic!()
    };
    let def = idl.resolve(root, main_id).expect("MainId resolves");
    assert_eq!(def.file, root);
    assert!(matches!(idl.definition(def), Definition::Typedef(_)));
    let (_, true_ty) = idl.true_type(root, &order.fields[0].ty).expect("true type");
    assert_eq!(true_ty.kind, TypeKind::Base(BaseType::I64));

    // `types.Color` → the enum in the included file.
    let TypeKind::Named(color) = &order.fields[1].ty.kind else {
        panic!()
    };
    let def = idl.resolve(root, color).expect("types.Color resolves");
    assert_eq!(def.file, types_file);
    assert_eq!(idl.definition(def).name().name, "Color");

    // `list<types.Item>`
    let TypeKind::List { elem, .. } = &order.fields[2].ty.kind else {
        panic!()
    };
    let TypeKind::Named(item) = &elem.kind else {
        panic!()
    };
    assert_eq!(idl.resolve(root, item).map(|d| d.file), Some(types_file));

    // Constants and enum values.
    let Some(ConstRef::EnumValue { def, value }) = idl.resolve_const(root, "types.Color.GREEN")
    else {
        panic!("enum value")
    };
    let Definition::Enum(e) = idl.definition(def) else {
        panic!()
    };
    assert_eq!(
        (e.values[value].name.name.as_str(), e.values[value].value),
        ("GREEN", 2)
    );
    let Some(ConstRef::Const(max)) = idl.resolve_const(root, "types.MAX_ITEMS") else {
        panic!()
    };
    assert_eq!(max.file, types_file);
    assert!(matches!(idl.resolve_const(root, "LIMIT"), Some(ConstRef::Const(d)) if d.file == root));
    assert!(matches!(
        idl.resolve_const(types_file, "Color.RED"),
        Some(ConstRef::EnumValue { .. })
    ));
    assert_eq!(
        idl.resolve_const(root, "Color.RED"),
        None,
        "not visible unqualified"
    );
    assert_eq!(idl.resolve_const(root, "types.NOPE"), None);

    // `extends types.Base` and `throws (types.NotFound)`.
    let Definition::Service(orders) = main.definitions.last().expect("service") else {
        panic!()
    };
    let base = idl
        .resolve(root, orders.extends.as_ref().expect("extends"))
        .expect("Base");
    assert!(matches!(idl.definition(base), Definition::Service(s) if s.name.name == "Base"));
    let TypeKind::Named(not_found) = &orders.functions[0].throws[0].ty.kind else {
        panic!()
    };
    let def = idl.resolve(root, not_found).expect("NotFound");
    assert!(
        matches!(idl.definition(def), Definition::Struct(s) if s.kind == StructKind::Exception)
    );

    // Positions through the `ParsedIdl`.
    assert_eq!(idl.line_col(color.span).to_string(), "13:6");
    assert!(idl.warnings().is_empty(), "{}", idl.warnings());
}

#[test]
fn includes_sharing_a_prefix_are_all_searched_and_the_later_wins() {
    let idl = parse_ok(&fixtures().join("same_prefix/root.thrift"), &[]);
    let root = idl.root();
    let includes = idl.file(root).includes();
    assert_eq!(
        (includes[0].prefix.as_str(), includes[1].prefix.as_str()),
        ("shared", "shared")
    );
    let Definition::Struct(r) = &idl.file(root).document().definitions[0] else {
        panic!()
    };
    let file_of = |i: usize| {
        let TypeKind::Named(t) = &r.fields[i].ty.kind else {
            panic!()
        };
        idl.resolve(root, t).expect("resolves").file
    };
    assert_eq!(file_of(0), includes[0].file);
    assert_eq!(file_of(1), includes[1].file);
    assert_eq!(file_of(2), includes[1].file);
    assert!(matches!(
        idl.resolve_const(root, "shared.LIMIT"),
        Some(ConstRef::Const(d)) if d.file == includes[0].file
    ));
}

#[test]
fn several_roots_share_the_files_they_both_read() {
    let dir = fixtures().join("diamond");
    let roots = [
        dir.join("left.thrift"),
        dir.join("right.thrift"),
        // Already read as an include of both: not a second file, not a second root.
        dir.join("base.thrift"),
        dir.join("left.thrift"),
    ];
    let idl = thrift::parse_roots_with(&roots, &thrift::ParseOptions::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(idl.files().len(), 3);
    let roots: Vec<&Path> = idl.roots().iter().map(|&r| idl.file(r).path()).collect();
    assert!(ends_with(roots[0], "diamond/left.thrift"), "{roots:?}");
    assert!(ends_with(roots[1], "diamond/right.thrift"), "{roots:?}");
    assert!(ends_with(roots[2], "diamond/base.thrift"), "{roots:?}");
    assert_eq!(roots.len(), 3);
    assert_eq!(idl.root(), idl.roots()[0]);
}

#[test]
fn several_roots_report_every_unreadable_one_and_none_is_an_error() {
    let dir = fixtures().join("diamond");
    let roots = [
        dir.join("missing1.thrift"),
        dir.join("left.thrift"),
        dir.join("missing2.thrift"),
    ];
    let error = thrift::parse_roots_with(&roots, &thrift::ParseOptions::new())
        .unwrap_err()
        .to_string();
    assert_eq!(
        error.matches("error: cannot read file").count(),
        2,
        "{error}"
    );
    assert!(error.contains("diamond/missing1.thrift"), "{error}");
    assert!(error.contains("diamond/missing2.thrift"), "{error}");

    let none: [&Path; 0] = [];
    let error = thrift::parse_roots_with(&none, &thrift::ParseOptions::new()).unwrap_err();
    assert!(
        error.to_string().contains("no IDL file to parse"),
        "{error}"
    );
}
