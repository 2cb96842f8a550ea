//! The Thrift grammar, construct by construct, as Apache Thrift 0.25 accepts it.

use pilota_build::thrift::ast::{
    BaseType, ConstValue, ConstValueKind, Definition, Document, Enum, Field, FieldIdOrigin, Header,
    Requiredness, Service, Struct, StructKind, Type, TypeKind,
};
use pilota_build::thrift::{self, Severity};

fn parse(src: &str) -> Document {
    thrift::parse_str("test.thrift", src).unwrap_or_else(|e| panic!("parse failed:\n{e}"))
}

fn warnings(src: &str) -> Vec<String> {
    let idl =
        thrift::check_str("test.thrift", src).unwrap_or_else(|e| panic!("check failed:\n{e}"));
    idl.warnings()
        .iter()
        .inspect(|d| assert_eq!(d.severity(), Severity::Warning))
        .map(|d| d.message().to_owned())
        .collect()
}

fn structure(doc: &Document, index: usize) -> &Struct {
    match &doc.definitions[index] {
        Definition::Struct(s) => s,
        other => panic!("expected a struct, got {other:?}"),
    }
}

fn enumeration(doc: &Document, index: usize) -> &Enum {
    match &doc.definitions[index] {
        Definition::Enum(e) => e,
        other => panic!("expected an enum, got {other:?}"),
    }
}

fn service(doc: &Document, index: usize) -> &Service {
    match &doc.definitions[index] {
        Definition::Service(s) => s,
        other => panic!("expected a service, got {other:?}"),
    }
}

fn const_value(doc: &Document, index: usize) -> &ConstValue {
    match &doc.definitions[index] {
        Definition::Const(c) => &c.value,
        other => panic!("expected a const, got {other:?}"),
    }
}

fn ids(fields: &[Field]) -> Vec<(i32, FieldIdOrigin)> {
    fields.iter().map(|f| (f.id.value, f.id.origin)).collect()
}

fn named(ty: &Type) -> &str {
    match &ty.kind {
        TypeKind::Named(r) => &r.name,
        other => panic!("expected a named type, got {other:?}"),
    }
}

#[test]
fn headers() {
    let doc = parse(
        r#"
        include "shared.thrift"
        include 'dir/other.thrift'
        cpp_include "<unordered_map>"
        namespace rs my.module
        namespace * fallback
        namespace py.twisted tw
        namespace java com.example (java.annotation = "x")
        "#,
    );
    assert_eq!(doc.headers.len(), 7);
    let includes: Vec<&str> = doc.includes().map(|i| i.path.value.as_str()).collect();
    assert_eq!(includes, ["shared.thrift", "dir/other.thrift"]);
    let prefixes: Vec<&str> = doc.includes().map(|i| i.prefix()).collect();
    assert_eq!(prefixes, ["shared", "other"]);
    assert!(matches!(&doc.headers[2], Header::CppInclude(s) if s.value == "<unordered_map>"));
    assert_eq!(
        doc.namespace("rs").map(|n| n.name.name.as_str()),
        Some("my.module")
    );
    // Unknown scopes fall back to `*`.
    assert_eq!(
        doc.namespace("go").map(|n| n.name.name.as_str()),
        Some("fallback")
    );
    assert_eq!(
        doc.namespace("py.twisted").map(|n| n.name.name.as_str()),
        Some("tw")
    );
    let java = doc.namespace("java").expect("java namespace");
    assert_eq!(java.annotations.get("java.annotation"), Some("x"));
}

#[test]
fn unknown_namespace_scopes_warn() {
    let w = warnings("namespace noexist x\nnamespace cpp.noexist y\nnamespace rs z\n");
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("no generator named `noexist`"), "{w:?}");
    assert!(w[1].contains("sub-namespace"), "{w:?}");
}

#[test]
fn typedefs_with_annotations() {
    let doc = parse(
        r#"
        typedef i32 (cpp.type = "int32_t") MyInt (doc = "outer");
        typedef list<map<string, binary>> Table,
        typedef Other Alias
        "#,
    );
    let Definition::Typedef(t) = &doc.definitions[0] else {
        panic!()
    };
    assert_eq!(t.name.name, "MyInt");
    assert_eq!(t.ty.kind, TypeKind::Base(BaseType::I32));
    assert_eq!(t.ty.annotations.get("cpp.type"), Some("int32_t"));
    assert_eq!(t.annotations.get("doc"), Some("outer"));
    let Definition::Typedef(t) = &doc.definitions[1] else {
        panic!()
    };
    let TypeKind::List {
        elem,
        cpp_type: None,
    } = &t.ty.kind
    else {
        panic!("{:?}", t.ty)
    };
    let TypeKind::Map { key, value, .. } = &elem.kind else {
        panic!()
    };
    assert_eq!(key.kind, TypeKind::Base(BaseType::String));
    assert_eq!(value.kind, TypeKind::Base(BaseType::Binary));
    let Definition::Typedef(t) = &doc.definitions[2] else {
        panic!()
    };
    assert_eq!(named(&t.ty), "Other");
}

#[test]
fn const_numbers() {
    let doc = parse(
        "const i32 A = 42\nconst i32 B = -7\nconst i64 C = 0x7fffffffffffffff\n\
         const i32 D = -0x10\nconst i64 E = -9223372036854775808\n\
         const double F = 1.5\nconst double G = -2.5e-3\nconst double H = 1E10\n\
         const double I = .25\nconst bool J = true\nconst bool K = false\nconst i32 L = +3\n",
    );
    let values: Vec<&ConstValueKind> = (0..12).map(|i| &const_value(&doc, i).kind).collect();
    assert_eq!(values[0], &ConstValueKind::Int(42));
    assert_eq!(values[1], &ConstValueKind::Int(-7));
    assert_eq!(values[2], &ConstValueKind::Int(i64::MAX));
    assert_eq!(values[3], &ConstValueKind::Int(-16));
    assert_eq!(values[4], &ConstValueKind::Int(i64::MIN));
    assert_eq!(values[5], &ConstValueKind::Double(1.5));
    assert_eq!(values[6], &ConstValueKind::Double(-2.5e-3));
    assert_eq!(values[7], &ConstValueKind::Double(1e10));
    assert_eq!(values[8], &ConstValueKind::Double(0.25));
    assert_eq!(values[9], &ConstValueKind::Int(1));
    assert_eq!(values[10], &ConstValueKind::Int(0));
    assert_eq!(values[11], &ConstValueKind::Int(3));
}

#[test]
fn e10_is_an_identifier_not_a_double() {
    let doc = parse("const i32 e10 = 1\nconst i32 X = e10\n");
    assert_eq!(
        const_value(&doc, 1).kind,
        ConstValueKind::Identifier("e10".into())
    );
}

#[test]
fn string_escapes_apache_accepts() {
    let doc = parse(
        r#"const string S = "a\\b\"c\'d\ne\rf\tg"
const string T = 'single "quoted" \' x'"#,
    );
    assert_eq!(
        const_value(&doc, 0).kind,
        ConstValueKind::String("a\\b\"c'd\ne\rf\tg".into())
    );
    assert_eq!(
        const_value(&doc, 1).kind,
        ConstValueKind::String("single \"quoted\" ' x".into())
    );
}

#[test]
fn const_lists_maps_identifiers_and_structs() {
    let doc = parse(
        r#"
        enum Color { RED, GREEN }
        struct P { 1: i32 x; 2: list<string> tags }
        const list<i32> L = [1, 2; 3 4,]
        const map<string, list<Color>> M = {"a": [Color.RED], 'b': [Color.GREEN, Color.RED];}
        const P ORIGIN = {"x": 0, "tags": ["t"]}
        const i32 REF = L
        "#,
    );
    let ConstValueKind::List(items) = &const_value(&doc, 2).kind else {
        panic!()
    };
    let ints: Vec<_> = items.iter().map(|v| v.kind.clone()).collect();
    assert_eq!(ints, (1..=4).map(ConstValueKind::Int).collect::<Vec<_>>());
    let ConstValueKind::Map(entries) = &const_value(&doc, 3).kind else {
        panic!()
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].0.kind, ConstValueKind::String("b".into()));
    let ConstValueKind::List(colors) = &entries[1].1.kind else {
        panic!()
    };
    assert_eq!(
        colors[0].kind,
        ConstValueKind::Identifier("Color.GREEN".into())
    );
    let ConstValueKind::Map(fields) = &const_value(&doc, 4).kind else {
        panic!()
    };
    assert_eq!(fields[0].0.kind, ConstValueKind::String("x".into()));
    assert_eq!(
        const_value(&doc, 5).kind,
        ConstValueKind::Identifier("L".into())
    );
}

#[test]
fn enums_with_explicit_implicit_negative_and_hex_values() {
    let doc = parse(
        "enum E {\n  A,\n  B = 10;\n  C\n  D = -3\n  E2\n  F = 0x20 (note = \"hex\"),\n  G\n  H = 10\n}\n",
    );
    let e = enumeration(&doc, 0);
    let values: Vec<(&str, i32, bool)> = e
        .values
        .iter()
        .map(|v| (v.name.name.as_str(), v.value, v.explicit))
        .collect();
    assert_eq!(
        values,
        [
            ("A", 0, false),
            ("B", 10, true),
            ("C", 11, false),
            ("D", -3, true),
            ("E2", -2, false),
            ("F", 32, true),
            ("G", 33, false),
            // Apache allows duplicate values.
            ("H", 10, true),
        ]
    );
    assert_eq!(e.values[5].annotations.get("note"), Some("hex"));
    assert!(thrift::check_str("t.thrift", "enum E { A = 1, B = 1 }").is_ok());
}

#[test]
fn senum_is_accepted_with_a_warning() {
    let doc = parse("senum Names { \"a\", \"b\"; 'c' }");
    let Definition::Senum(s) = &doc.definitions[0] else {
        panic!()
    };
    let values: Vec<&str> = s.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["a", "b", "c"]);
    let w = warnings("senum Names { \"a\" }");
    assert!(w[0].contains("`senum` is deprecated"), "{w:?}");
}

#[test]
fn structs_unions_exceptions() {
    let doc = parse(
        r#"
        struct S xsd_all { 1: required i32 a, 2: optional string b; 3: bool c }
        union U { 1: i32 i 2: string s } (u = "1")
        exception X { 1: string message }
        struct Empty {}
        "#,
    );
    let s = structure(&doc, 0);
    assert_eq!(s.kind, StructKind::Struct);
    assert!(s.xsd_all);
    let req: Vec<Requiredness> = s.fields.iter().map(|f| f.requiredness).collect();
    assert_eq!(
        req,
        [
            Requiredness::Required,
            Requiredness::Optional,
            Requiredness::Default
        ]
    );
    let u = structure(&doc, 1);
    assert_eq!(u.kind, StructKind::Union);
    assert_eq!(u.annotations.get("u"), Some("1"));
    assert_eq!(structure(&doc, 2).kind, StructKind::Exception);
    assert!(structure(&doc, 3).fields.is_empty());
}

#[test]
fn legacy_xsd_field_forms() {
    let doc = parse(
        "struct S { 1: string a xsd_optional xsd_nillable xsd_attrs { 1: i32 x, 2: i32 y } }",
    );
    let f = &structure(&doc, 0).fields[0];
    assert!(f.xsd_optional && f.xsd_nillable);
    let attrs = f.xsd_attrs.as_ref().expect("xsd_attrs");
    assert_eq!(
        attrs
            .iter()
            .map(|a| a.name.name.as_str())
            .collect::<Vec<_>>(),
        ["x", "y"]
    );
}

#[test]
fn fields_defaults_references_and_keyword_names() {
    let doc = parse(
        r#"struct S {
          1: i8 i8 = 5
          2: optional Rec & next
          3: string service = "svc"
          4: list<binary> blobs
          5: uuid id = "00000000-0000-0000-0000-000000000000"
          6: map<i32, string> (cpp.template = "std::map") m
          7: slist legacy
          8: byte b
        }"#,
    );
    let fields = &structure(&doc, 0).fields;
    assert_eq!(fields[0].name.name, "i8");
    assert_eq!(fields[0].ty.kind, TypeKind::Base(BaseType::I8));
    assert_eq!(
        fields[0].default.as_ref().map(|d| &d.kind),
        Some(&ConstValueKind::Int(5))
    );
    assert!(fields[1].reference);
    assert_eq!(named(&fields[1].ty), "Rec");
    assert_eq!(fields[2].name.name, "service");
    assert_eq!(fields[4].ty.kind, TypeKind::Base(BaseType::Uuid));
    assert_eq!(
        fields[5].ty.annotations.get("cpp.template"),
        Some("std::map")
    );
    assert_eq!(fields[6].ty.kind, TypeKind::Base(BaseType::String));
    assert_eq!(fields[7].ty.kind, TypeKind::Base(BaseType::I8));
}

#[test]
fn container_cpp_type() {
    let doc = parse(
        r#"struct S {
          1: list cpp_type "std::deque<int>" <i32> a
          2: set cpp_type "std::unordered_set<int>" <i32> b
          3: map cpp_type "M" <i32, i32> c
          4: list<i32> cpp_type "Old" d
        }"#,
    );
    let cpp: Vec<Option<String>> = structure(&doc, 0)
        .fields
        .iter()
        .map(|f| match &f.ty.kind {
            TypeKind::List { cpp_type, .. }
            | TypeKind::Set { cpp_type, .. }
            | TypeKind::Map { cpp_type, .. } => cpp_type.as_ref().map(|c| c.value.clone()),
            _ => None,
        })
        .collect();
    let expected = ["std::deque<int>", "std::unordered_set<int>", "M", "Old"];
    assert_eq!(cpp, expected.map(|s| Some(s.to_owned())));
}

#[test]
fn implicit_field_ids_count_down_from_minus_one_per_list() {
    let doc = parse(
        "struct S { string a; 5: string b; string c; 1: string d; string e }\n\
         service V { void f(i32 x, i32 y) throws (X ex) }\n",
    );
    assert_eq!(
        ids(&structure(&doc, 0).fields),
        [
            (-1, FieldIdOrigin::Implicit),
            (5, FieldIdOrigin::Explicit),
            (-2, FieldIdOrigin::Implicit),
            (1, FieldIdOrigin::Explicit),
            (-3, FieldIdOrigin::Implicit),
        ]
    );
    let f = &service(&doc, 1).functions[0];
    assert_eq!(
        ids(&f.args),
        [(-1, FieldIdOrigin::Implicit), (-2, FieldIdOrigin::Implicit)]
    );
    // Each field list starts again at -1.
    assert_eq!(ids(&f.throws), [(-1, FieldIdOrigin::Implicit)]);
    let w = warnings("struct S { string a }");
    assert!(w[0].contains("no field id given for `a`"), "{w:?}");
}

#[test]
fn non_positive_explicit_ids_are_reassigned_like_apache() {
    let doc = parse("struct S { -5: string a; 0: string b; string c; 3: string d }");
    assert_eq!(
        ids(&structure(&doc, 0).fields),
        [
            (-1, FieldIdOrigin::Reassigned { written: -5 }),
            (-2, FieldIdOrigin::Reassigned { written: 0 }),
            (-3, FieldIdOrigin::Implicit),
            (3, FieldIdOrigin::Explicit),
        ]
    );
    let w = warnings("struct S { -5: string a }");
    assert!(
        w[0].contains("non-positive field id -5 is not allowed"),
        "{w:?}"
    );
}

#[test]
fn negative_explicit_ids_are_kept_when_allowed() {
    let dir = std::env::temp_dir().join(format!("pilota-thrift-neg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("neg.thrift");
    std::fs::write(
        &path,
        "struct S { -1: string a; -5: string b; string c; 2: string d }\n",
    )
    .unwrap();
    let options = thrift::ParseOptions::new().allow_negative_field_ids(true);
    let idl = thrift::parse_files_with(&path, &options).unwrap_or_else(|e| panic!("{e}"));
    let doc = idl.file(idl.root()).document();
    assert_eq!(
        ids(&structure(doc, 0).fields),
        [
            (-1, FieldIdOrigin::Explicit),
            (-5, FieldIdOrigin::Explicit),
            // The implicit counter continues below the last negative id.
            (-6, FieldIdOrigin::Implicit),
            (2, FieldIdOrigin::Explicit),
        ]
    );
    // -5 is not what Apache would have assigned (-2): a warning, as in Apache.
    assert!(
        idl.warnings()
            .iter()
            .any(|d| d.message().contains("differs from the implicit id -2"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn services() {
    let doc = parse(
        r#"
        service Base { void ping() }
        service Full extends shared.Base {
          /** Adds. */
          i32 add(1: i32 a, 2: i32 b) throws (1: Oops oops, 2: Other other) (priority = "high"),
          oneway void fire(1: string event);
          async void legacy()
          list<string> names()
          void nothing(1: optional i32 ignored)
        } (svc = "yes")
        "#,
    );
    let base = service(&doc, 0);
    assert!(base.extends.is_none());
    let full = service(&doc, 1);
    assert_eq!(
        full.extends.as_ref().map(|e| e.name.as_str()),
        Some("shared.Base")
    );
    assert_eq!(full.annotations.get("svc"), Some("yes"));
    let names: Vec<&str> = full
        .functions
        .iter()
        .map(|f| f.name.name.as_str())
        .collect();
    assert_eq!(names, ["add", "fire", "legacy", "names", "nothing"]);
    let add = &full.functions[0];
    assert_eq!(add.doc.as_deref(), Some("Adds."));
    assert_eq!(
        add.result.as_ref().map(|t| &t.kind),
        Some(&TypeKind::Base(BaseType::I32))
    );
    assert_eq!(add.throws.len(), 2);
    assert_eq!(add.annotations.get("priority"), Some("high"));
    assert!(full.functions[1].oneway && full.functions[1].result.is_none());
    assert!(full.functions[2].oneway);
    assert!(!full.functions[3].oneway);
    // `optional` is ignored in argument lists.
    assert_eq!(
        full.functions[4].args[0].requiredness,
        Requiredness::Default
    );
}

#[test]
fn deprecated_and_alias_forms_warn() {
    let w = warnings(
        "struct S { 1: byte a, 2: byte b, 3: list<i8> c, 4: slist d }\n\
         const i64 BIG = 10000000000\n\
         service V { async void f(1: optional i32 x) }\n",
    );
    let has = |s: &str| w.iter().filter(|m| m.contains(s)).count();
    // Like Apache, the `byte` warning is given once per file.
    assert_eq!(has("`byte` is a compatibility alias"), 1, "{w:?}");
    assert_eq!(has("`binary`"), 1, "{w:?}");
    assert_eq!(has("`slist` is deprecated"), 1, "{w:?}");
    assert_eq!(has("64-bit constant 10000000000"), 1, "{w:?}");
    assert_eq!(has("`async` is deprecated"), 1, "{w:?}");
    assert_eq!(has("`optional` is ignored in argument lists"), 1, "{w:?}");
}

#[test]
fn annotations_in_every_position() {
    let doc = parse(
        r#"
        namespace rs x (ns = "1")
        typedef string (t = "1") Str (td = "1")
        enum E { A (ev = "1") } (en = "1")
        senum SE { "a" } (se = "1")
        struct S {
          1: list<i32 (elem = "1")> (container = "1") f (field = "1", bare, semi = "x";)
        } (st = "1")
        exception X {} (ex = "1")
        service V { void f() (fn = "1") } (sv = "1")
        "#,
    );
    let Header::Namespace(ns) = &doc.headers[0] else {
        panic!()
    };
    assert_eq!(ns.annotations.get("ns"), Some("1"));
    let Definition::Typedef(td) = &doc.definitions[0] else {
        panic!()
    };
    assert_eq!(
        (td.ty.annotations.get("t"), td.annotations.get("td")),
        (Some("1"), Some("1"))
    );
    let e = enumeration(&doc, 1);
    assert_eq!(
        (e.values[0].annotations.get("ev"), e.annotations.get("en")),
        (Some("1"), Some("1"))
    );
    let Definition::Senum(se) = &doc.definitions[2] else {
        panic!()
    };
    assert_eq!(se.annotations.get("se"), Some("1"));
    let s = structure(&doc, 3);
    assert_eq!(s.annotations.get("st"), Some("1"));
    let f = &s.fields[0];
    assert_eq!(f.annotations.get("field"), Some("1"));
    // A bare key has the value "1", as in Apache.
    assert_eq!(f.annotations.get("bare"), Some("1"));
    assert!(
        f.annotations
            .iter()
            .any(|a| a.key.name == "bare" && a.value.is_none())
    );
    assert_eq!(f.annotations.get("semi"), Some("x"));
    assert_eq!(f.ty.annotations.get("container"), Some("1"));
    let TypeKind::List { elem, .. } = &f.ty.kind else {
        panic!()
    };
    assert_eq!(elem.annotations.get("elem"), Some("1"));
    assert_eq!(structure(&doc, 4).annotations.get("ex"), Some("1"));
    let v = service(&doc, 5);
    assert_eq!(
        (
            v.functions[0].annotations.get("fn"),
            v.annotations.get("sv")
        ),
        (Some("1"), Some("1"))
    );
}

#[test]
fn comments_of_every_kind() {
    let doc = parse(
        "# unix comment\n// line comment\n/* block\n comment */ struct A {} /**/ /***/\n\
         /// triple slash is a plain comment\nstruct B {} // trailing\n",
    );
    assert_eq!(doc.definitions.len(), 2);
    assert_eq!(doc.definitions[0].doc(), None);
    assert_eq!(doc.definitions[1].doc(), None);
}

#[test]
fn doc_comments_attach_to_the_next_item() {
    let doc = parse(
        r#"
        /**
         * The program.
         */
        namespace rs x

        /** A struct.
         *  Second line. */
        struct S {
          /** Field a. */
          1: i32 a
          // plain comments in between do not detach a doc
          /** Field b. */
          // here
          2: i32 b
          /** Dangling before the brace. */
        }
        /** First. */ /** Second wins. */
        enum E {
          /** Value A. */
          A
        }
        service V {
          /** Function f. */
          void f()
        }
        "#,
    );
    assert_eq!(doc.doc.as_deref(), Some("The program."));
    let s = structure(&doc, 0);
    assert_eq!(s.doc.as_deref(), Some("A struct.\nSecond line."));
    assert_eq!(s.fields[0].doc.as_deref(), Some("Field a."));
    assert_eq!(s.fields[1].doc.as_deref(), Some("Field b."));
    let e = enumeration(&doc, 1);
    assert_eq!(e.doc.as_deref(), Some("Second wins."));
    assert_eq!(e.values[0].doc.as_deref(), Some("Value A."));
    assert_eq!(
        service(&doc, 2).functions[0].doc.as_deref(),
        Some("Function f.")
    );
}

#[test]
fn first_doc_comment_before_a_definition_is_not_the_program_doc() {
    let doc = parse("/** Only the struct's. */\nstruct S {}\n");
    assert_eq!(doc.doc, None);
    assert_eq!(doc.definitions[0].doc(), Some("Only the struct's."));
}

#[test]
fn spans_and_line_columns() {
    let src = "struct S {\n  1: list<Foo> items = []\n}\nconst i32 X = 0x10\n";
    let doc = parse(src);
    let source = thrift::SourceFile::new("pos.thrift", src);
    let s = structure(&doc, 0);
    assert_eq!(
        source.slice(s.span),
        "struct S {\n  1: list<Foo> items = []\n}"
    );
    let f = &s.fields[0];
    assert_eq!(source.slice(f.span), "1: list<Foo> items = []");
    assert_eq!(source.line_col(f.span.start).to_string(), "2:3");
    assert_eq!(source.slice(f.ty.span), "list<Foo>");
    let TypeKind::List { elem, .. } = &f.ty.kind else {
        panic!()
    };
    assert_eq!(source.slice(elem.span), "Foo");
    assert_eq!(source.line_col(elem.span.start).to_string(), "2:11");
    let default = f.default.as_ref().expect("default");
    assert_eq!(source.slice(default.span), "[]");
    assert_eq!(source.slice(f.name.span), "items");
    let Definition::Const(c) = &doc.definitions[1] else {
        panic!()
    };
    assert_eq!(source.slice(c.span), "const i32 X = 0x10");
    assert_eq!(source.slice(c.value.span), "0x10");
    assert_eq!(source.line_col(c.value.span.start).to_string(), "4:15");
}

#[test]
fn utf8_bom_and_crlf_are_fine() {
    let doc = parse("\u{feff}struct A {\r\n  1: string s\r\n}\r\n");
    assert_eq!(structure(&doc, 0).fields.len(), 1);
}
