//! Lowering tests: Thrift source → model.

use std::path::PathBuf;

use super::lower;
use crate::model::{ItemKind, Model, ModelPath, Requiredness, Ty, Value};
use crate::thrift;

fn model(name: &str, src: &str) -> Model {
    let idl = thrift::check_str(name, src).unwrap_or_else(|d| panic!("{d}"));
    lower(&idl).unwrap_or_else(|d| panic!("{d}"))
}

fn kind<'m>(model: &'m Model, module: &str, name: &str) -> &'m ItemKind {
    &model
        .item(&ModelPath::new(vec![module.into()], name))
        .unwrap_or_else(|| panic!("no item {module}.{name}"))
        .kind
}

#[test]
fn module_from_rs_namespace_then_star_then_stem() {
    let m = model(
        "a.thrift",
        "namespace java x.y\nnamespace rs foo.bar\nstruct S {}",
    );
    assert_eq!(m.files()[0].module, ["foo", "bar"]);
    let m = model("a.thrift", "namespace * star.ns\nstruct S {}");
    assert_eq!(m.files()[0].module, ["star", "ns"]);
    let m = model("my_file.thrift", "namespace java only.java\nstruct S {}");
    assert_eq!(m.files()[0].module, ["my_file"]);
}

#[test]
fn fields_types_and_docs() {
    let m = model(
        "t.thrift",
        r#"
        typedef map<string, list<i64>> Index
        /** A user. */
        struct User {
          /** The id. */
          1: required i64 id,
          2: optional Index index (pilota.rust_type = "btree"),
          3: set<binary> blobs,
          -4: uuid key,
        }
        "#,
    );
    let ItemKind::Message(user) = kind(&m, "t", "User") else {
        panic!("not a message")
    };
    let item = m.item(&ModelPath::new(vec!["t".into()], "User")).unwrap();
    assert_eq!(item.docs.as_deref(), Some("A user."));
    let loc = item.loc.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.col),
        (4, 9),
        "the definition starts at `struct`"
    );
    let [id, index, blobs, key] = user.fields.as_slice() else {
        panic!("four fields")
    };
    assert_eq!(
        (id.id, id.requiredness, &id.ty),
        (1, Requiredness::Required, &Ty::I64)
    );
    assert_eq!(id.docs.as_deref(), Some("The id."));
    assert_eq!(
        index.ty,
        Ty::Path(ModelPath::new(vec!["t".into()], "Index"))
    );
    assert_eq!(index.requiredness, Requiredness::Optional);
    assert_eq!(index.attrs.get("pilota.rust_type"), Some("btree"));
    assert_eq!(blobs.ty, Ty::Set(Box::new(Ty::Binary)));
    assert_eq!(blobs.requiredness, Requiredness::Default);
    assert_eq!(key.ty, Ty::Uuid);
    assert!(key.id < 0, "a non-positive id gets an implicit negative id");
    assert_eq!(
        kind(&m, "t", "Index"),
        &ItemKind::Alias(Ty::Map(
            Box::new(Ty::String),
            Box::new(Ty::List(Box::new(Ty::I64)))
        ))
    );
}

#[test]
fn constants_are_evaluated() {
    let m = model(
        "c.thrift",
        r#"
        enum Color { RED = 1, GREEN = 2 }
        struct P { 1: i32 x, 2: Color c, 3: list<double> ws }
        const i32 BASE = 10
        const i32 COPY = BASE
        const double D = 3
        const bool B = true
        const Color C = Color.GREEN
        const Color C2 = 1
        const list<Color> CS = [Color.RED, 2]
        const map<string, P> PS = {"a": {"x": BASE, "c": Color.RED, "ws": [1, 2.5]}}
        const i64 BIG = 0x7fffffffffffffff
        "#,
    );
    let value = |name: &str| match kind(&m, "c", name) {
        ItemKind::Const { value, .. } => value.clone(),
        other => panic!("{name} is {other:?}"),
    };
    let color = ModelPath::new(vec!["c".into()], "Color");
    let variant = |name: &str, value| Value::EnumVariant {
        path: color.clone(),
        variant: name.into(),
        value,
    };
    assert_eq!(value("COPY"), Value::Int(10));
    assert_eq!(value("D"), Value::Double(3.0));
    assert_eq!(value("B"), Value::Bool(true));
    assert_eq!(value("C"), variant("GREEN", 2));
    assert_eq!(value("C2"), variant("RED", 1));
    assert_eq!(
        value("CS"),
        Value::List(vec![variant("RED", 1), variant("GREEN", 2)])
    );
    assert_eq!(
        value("PS"),
        Value::Map(vec![(
            Value::String("a".into()),
            Value::Message {
                path: ModelPath::new(vec!["c".into()], "P"),
                fields: vec![
                    ("x".into(), Value::Int(10)),
                    ("c".into(), variant("RED", 1)),
                    (
                        "ws".into(),
                        Value::List(vec![Value::Double(1.0), Value::Double(2.5)])
                    ),
                ],
            }
        )])
    );
    assert_eq!(value("BIG"), Value::Int(i64::MAX));
}

#[test]
fn services() {
    let m = model(
        "s.thrift",
        r#"
        exception E { 1: string why }
        service Base { void ping() }
        service Svc extends Base {
          oneway void fire(1: i32 n),
          list<i32> get(1: string key, 2: optional i32 limit) throws (1: E e),
        }
        "#,
    );
    let ItemKind::Service(svc) = kind(&m, "s", "Svc") else {
        panic!("not a service")
    };
    assert_eq!(svc.extends, Some(ModelPath::new(vec!["s".into()], "Base")));
    let [fire, get] = svc.methods.as_slice() else {
        panic!("two methods")
    };
    assert!(fire.oneway);
    assert_eq!(fire.result, None);
    assert_eq!(get.result, Some(Ty::List(Box::new(Ty::I32))));
    assert_eq!(get.args.len(), 2);
    assert_eq!(
        get.args[1].requiredness,
        Requiredness::Default,
        "`optional` is ignored in args"
    );
    assert_eq!(
        get.throws[0].ty,
        Ty::Path(ModelPath::new(vec!["s".into()], "E"))
    );
}

/// A temporary directory with IDL files, removed on drop.
struct TempIdl(PathBuf);

impl TempIdl {
    fn new(test: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("pilota-lower-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, src) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, src).unwrap();
        }
        TempIdl(dir)
    }
}

impl Drop for TempIdl {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn includes_become_module_paths() {
    let dir = TempIdl::new(
        "includes",
        &[
            (
                "shared.thrift",
                "namespace rs common\nenum K { A = 1 }\nstruct P { 1: i32 x }\nconst i32 LIMIT = 3",
            ),
            ("other/shared.thrift", "namespace rs common\nstruct Q {}"),
            (
                "root.thrift",
                "include \"shared.thrift\"\ninclude \"other/shared.thrift\"\n\
                 struct R { 1: shared.P p = {\"x\": shared.LIMIT}, 2: shared.K k = shared.K.A, 3: shared.Q q }",
            ),
        ],
    );
    let idl =
        thrift::parse_files(&dir.0.join("root.thrift"), &[]).unwrap_or_else(|d| panic!("{d}"));
    let m = lower(&idl).unwrap_or_else(|d| panic!("{d}"));
    let modules: Vec<_> = m.files().iter().map(|f| f.module.join(".")).collect();
    // The root comes first; the second file with the same namespace gets its stem.
    assert_eq!(modules[0], "root");
    assert!(modules.contains(&"common".to_string()), "{modules:?}");
    assert!(
        modules.contains(&"common.shared".to_string()),
        "{modules:?}"
    );
    let ItemKind::Message(r) = kind(&m, "root", "R") else {
        panic!()
    };
    let p_path = match &r.fields[0].ty {
        Ty::Path(p) => p.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(p_path.module, ["common"]);
    assert_eq!(
        r.fields[0].default,
        Some(Value::Message {
            path: p_path,
            fields: vec![("x".into(), Value::Int(3))]
        })
    );
    assert!(
        matches!(&r.fields[1].default, Some(Value::EnumVariant { variant, .. }) if variant == "A")
    );
}

#[test]
fn enum_values_resolve_by_the_expected_type_like_apache() {
    // Apache looks the last segment up in the expected enum, whatever the prefix.
    let m = model(
        "e.thrift",
        "enum E1 { A = 1 }\nenum E2 { B = 2 }\nstruct S { 1: E2 b = E1.B }",
    );
    let ItemKind::Message(s) = kind(&m, "e", "S") else {
        panic!()
    };
    assert!(
        matches!(&s.fields[0].default, Some(Value::EnumVariant { variant, value: 2, .. }) if variant == "B")
    );
}
