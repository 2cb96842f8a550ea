//! Backend tests on hand-built models.

use super::*;
use crate::model::{
    Attributes, Enum, EnumVariant, Field, File, Item, ItemKind, Message, Method, Model,
    Requiredness, Service, Ty, Value,
};

pub(crate) fn field(id: i32, name: &str, ty: Ty, requiredness: Requiredness) -> Field {
    Field {
        id,
        name: name.into(),
        ty,
        requiredness,
        default: None,
        attrs: Attributes::default(),
        docs: None,
        loc: None,
    }
}

pub(crate) fn item(name: &str, kind: ItemKind) -> Item {
    Item {
        name: name.into(),
        docs: None,
        attrs: Attributes::default(),
        loc: None,
        kind,
    }
}

fn path(module: &str, name: &str) -> ModelPath {
    ModelPath::new(vec![module.into()], name)
}

fn sample() -> Model {
    let mut with_default = field(3, "count", Ty::I32, Requiredness::Default);
    with_default.default = Some(Value::Int(7));
    Model::new(vec![
        File {
            module: vec!["demo".into()],
            source: None,
            items: vec![
                item(
                    "Color",
                    ItemKind::Enum(Enum {
                        variants: vec![EnumVariant {
                            name: "RED".into(),
                            value: 1,
                            attrs: Attributes::default(),
                            docs: None,
                            loc: None,
                        }],
                    }),
                ),
                item(
                    "Point",
                    ItemKind::Message(Message {
                        fields: vec![
                            field(1, "x", Ty::F64, Requiredness::Required),
                            field(2, "name", Ty::String, Requiredness::Default),
                            with_default,
                            field(
                                4,
                                "tags",
                                Ty::Map(
                                    Box::new(Ty::String),
                                    Box::new(Ty::List(Box::new(Ty::Path(path("demo", "Color"))))),
                                ),
                                Requiredness::Optional,
                            ),
                            field(
                                5,
                                "next",
                                Ty::Path(path("demo", "Point")),
                                Requiredness::Optional,
                            ),
                            field(
                                6,
                                "other",
                                Ty::Path(path("other", "Thing")),
                                Requiredness::Optional,
                            ),
                        ],
                    }),
                ),
                item(
                    "Shape",
                    ItemKind::Union(Message {
                        fields: vec![field(
                            1,
                            "point",
                            Ty::Path(path("demo", "Point")),
                            Requiredness::Default,
                        )],
                    }),
                ),
                item(
                    "Svc",
                    ItemKind::Service(Service {
                        extends: None,
                        methods: vec![Method {
                            name: "get".into(),
                            args: vec![field(1, "id", Ty::I64, Requiredness::Default)],
                            result: Some(Ty::Path(path("demo", "Point"))),
                            throws: vec![],
                            oneway: false,
                            attrs: Attributes::default(),
                            docs: None,
                            loc: None,
                        }],
                    }),
                ),
            ],
        },
        File {
            module: vec!["other".into()],
            source: None,
            items: vec![item("Thing", ItemKind::Message(Message { fields: vec![] }))],
        },
    ])
}

fn generate(model: &Model) -> String {
    Backend::new()
        .generate(model)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn errors(model: &Model) -> String {
    Backend::new()
        .generate(model)
        .expect_err("generation must fail")
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn one_file(items: Vec<Item>) -> Model {
    Model::new(vec![File {
        module: vec!["m".into()],
        source: None,
        items,
    }])
}

fn message(name: &str, fields: Vec<Field>) -> Item {
    item(name, ItemKind::Message(Message { fields }))
}

#[test]
fn sample_shapes() {
    let code = generate(&sample());
    assert!(code.contains("pub mod demo {"));
    assert!(code.contains("pub mod other {"));
    // A self reference is boxed; a cross-module reference is relative.
    assert!(code.contains("pub next: ::std::option::Option<::std::boxed::Box<Point>>,"));
    assert!(code.contains("pub other: ::std::option::Option<super::other::Thing>,"));
    // Requiredness: required `T`, default non-scalar `Option`, default with value `T`.
    assert!(code.contains("pub x: f64,"));
    assert!(code.contains("pub name: ::std::option::Option<::pilota::FastStr>,"));
    assert!(code.contains("pub count: i32,"));
    assert!(code.contains("let mut field_3 = 7;"));
    assert!(code.contains("count: field_3,"));
    // f64 prevents Eq; a struct of integers gets it.
    assert!(code.contains("#[derive(Debug, Clone, PartialEq)]\n    pub struct Point"));
    assert!(
        code.contains("#[derive(Debug, Clone, PartialEq, Eq, Default)]\n    pub struct SvcGetArgs")
    );
    assert!(code.contains(
        "pub enum SvcGetResult {\n        /// The method returned normally.\n        Ok(Point),"
    ));
}

#[test]
fn f32_and_bad_ids_are_errors() {
    let model = one_file(vec![message(
        "S",
        vec![
            field(1, "f", Ty::F32, Requiredness::Default),
            field(70000, "big", Ty::I32, Requiredness::Default),
            field(2, "a", Ty::I32, Requiredness::Default),
            field(2, "b", Ty::I32, Requiredness::Default),
        ],
    )]);
    let errors = errors(&model);
    assert!(errors.contains("`f32` has no Thrift wire type"), "{errors}");
    assert!(
        errors.contains("field id 70000 of `big` does not fit in i16"),
        "{errors}"
    );
    assert!(errors.contains("duplicate field id 2 (`b`)"), "{errors}");
}

#[test]
fn unknown_paths_are_errors() {
    let missing = ModelPath::new(vec!["m".into()], "Missing");
    let model = one_file(vec![message(
        "S",
        vec![field(1, "f", Ty::Path(missing), Requiredness::Default)],
    )]);
    assert!(errors(&model).contains("unknown type `m.Missing`"));
}

#[test]
fn names_that_collide_get_suffixes() {
    let model = one_file(vec![
        message(
            "foo",
            vec![field(1, "fooBar", Ty::I32, Requiredness::Default)],
        ),
        message(
            "Foo",
            vec![
                field(1, "fooBar", Ty::I32, Requiredness::Default),
                field(2, "foo_bar", Ty::I32, Requiredness::Default),
                field(3, "type", Ty::I32, Requiredness::Default),
                field(4, "self", Ty::I32, Requiredness::Default),
            ],
        ),
        item("self", ItemKind::Message(Message { fields: vec![] })),
        item(
            "limit",
            ItemKind::Const {
                ty: Ty::I32,
                value: Value::Int(1),
            },
        ),
        item(
            "LIMIT",
            ItemKind::Const {
                ty: Ty::I32,
                value: Value::Int(2),
            },
        ),
    ]);
    let code = generate(&model);
    assert!(code.contains("pub struct Foo {"));
    assert!(code.contains("pub struct Foo2 {"));
    assert!(code.contains("pub foo_bar: i32,\n        pub foo_bar_2: i32,"));
    assert!(code.contains("pub r#type: i32,"));
    assert!(code.contains("pub self_: i32,"));
    assert!(code.contains("pub struct Self_ {"));
    assert!(code.contains("pub const LIMIT: i32 = 1;"));
    assert!(code.contains("pub const LIMIT_2: i32 = 2;"));
}

#[test]
fn nested_modules_use_relative_paths() {
    let target = ModelPath::new(vec!["a".into(), "c".into()], "Target");
    let model = Model::new(vec![
        File {
            module: vec!["a".into(), "b".into()],
            source: None,
            items: vec![message(
                "User",
                vec![field(1, "t", Ty::Path(target), Requiredness::Required)],
            )],
        },
        File {
            module: vec!["a".into(), "c".into()],
            source: None,
            items: vec![message("Target", vec![])],
        },
    ]);
    let code = generate(&model);
    assert!(code.contains("pub mod a {\n    pub mod b {"));
    assert!(code.contains("pub t: super::c::Target,"));
}

#[test]
fn unknown_fields_off() {
    let model = one_file(vec![
        message("S", vec![field(1, "f", Ty::I32, Requiredness::Default)]),
        item(
            "U",
            ItemKind::Union(Message {
                fields: vec![field(1, "f", Ty::I32, Requiredness::Default)],
            }),
        ),
    ]);
    let code = Backend::new()
        .unknown_fields(false)
        .generate(&model)
        .unwrap();
    assert!(!code.contains("UnknownFields"));
    assert!(code.contains("_ => p.skip(ttype)?,"));
    // Without unknown fields, an integer struct is hashable.
    assert!(
        code.contains("#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]\n    pub struct S")
    );
}

#[derive(Debug)]
struct ListMethods;

impl ServiceBackend for ListMethods {
    fn codegen_service(
        &self,
        cx: &Context<'_>,
        path: &ModelPath,
        service: &crate::model::Service,
    ) -> Result<TokenStream, Error> {
        let mut out = TokenStream::new();
        for method in &service.methods {
            let types = cx
                .method_types(path, &method.name)
                .ok_or_else(|| Error::new("no method types"))?;
            assert_eq!(types.arg_fields.len(), method.args.len());
            assert_eq!(types.exceptions.len(), method.throws.len());
            let args = types.args;
            let result = types.result.ok_or_else(|| Error::new("no result"))?;
            let name = quote::format_ident!("{}_TYPES", method.name.to_uppercase());
            out.extend(quote!(pub type #name = (#args, #result);));
        }
        Ok(out)
    }
}

#[derive(Debug)]
struct MarkFields;

impl Plugin for MarkFields {
    fn on_item(&self, _cx: &Context<'_>, item: &Item, attrs: &mut Vec<TokenStream>) {
        let doc = format!(" item {}", item.name);
        attrs.push(quote!(#[doc = #doc]));
    }

    fn on_field(
        &self,
        _cx: &Context<'_>,
        _item: &Item,
        field: &Field,
        attrs: &mut Vec<TokenStream>,
    ) {
        let doc = format!(" field {}", field.name);
        attrs.push(quote!(#[doc = #doc]));
    }
}

#[test]
fn service_backend_and_plugins_are_called() {
    let code = Backend::new()
        .service_backend(ListMethods)
        .plugin(MarkFields)
        .generate(&sample())
        .unwrap();
    assert!(
        code.contains("pub type GET_TYPES = (SvcGetArgs, SvcGetResult);"),
        "{code}"
    );
    assert!(code.contains("/// item Point\n    pub struct Point"));
    assert!(code.contains("/// field x\n        pub x: f64,"));
    assert!(code.contains("/// item get_args\n    pub struct SvcGetArgs"));
    // Without a backend, only the wrappers are generated.
    assert!(!generate(&sample()).contains("GET_TYPES"));
}

#[test]
fn rename_annotations() {
    let mut renamed = field(1, "f", Ty::I32, Requiredness::Default);
    renamed.attrs = Attributes(vec![("pilota.name".into(), "g".into())]);
    let mut s = message("S", vec![renamed]);
    s.attrs = Attributes(vec![("rust.name".into(), "Renamed".into())]);
    let code = generate(&one_file(vec![s]));
    assert!(code.contains("pub struct Renamed {\n        pub g: i32,"));

    let mut bad = message("S", vec![]);
    bad.attrs = Attributes(vec![("rust.name".into(), "1x".into())]);
    assert!(
        errors(&one_file(vec![bad]))
            .contains("`1x` (from a rename annotation) is not a valid Rust identifier")
    );
}

#[test]
fn docs_never_become_doctests() {
    let mut s = message("S", vec![]);
    s.docs = Some("Example:\n    let x = 1;\n```\nnot rust\n```".into());
    let mut one = message("T", vec![]);
    one.docs = Some("  One line.  ".into());
    let code = generate(&one_file(vec![s, one]));
    // The fence is longer than any backtick run inside the doc.
    assert!(
        code.contains("/// ````text\n    /// Example:\n    ///     let x = 1;\n    /// ```\n"),
        "{code}"
    );
    assert!(
        code.contains("/// not rust\n    /// ```\n    /// ````\n"),
        "{code}"
    );
    assert!(code.contains("/// One line.\n    #[derive"), "{code}");
}
