//! Diagnostics: positions, rendering, recovery (every error of a run), limits.

use pilota_build::thrift::{self, Diagnostics, MAX_DEPTH, Severity};

fn errors(src: &str) -> Diagnostics {
    match thrift::check_str("bad.thrift", src) {
        Ok(_) => panic!("expected errors for:\n{src}"),
        Err(d) => d,
    }
}

fn messages(diags: &Diagnostics) -> Vec<String> {
    diags.errors().map(|d| d.message().to_owned()).collect()
}

#[test]
fn multi_error_report_snapshot() {
    let src = "struct User {\n  1: string name\n  2: i32 age = \"old\"\n}\n\n\
               enum Color { RED, GREEN = \"x\" }\n\n\
               struct Order {\n  1: Colour colour\n\t2 string note\n}\n\n\
               service Svc {\n  void ping(1: i32 x\n}\n\n\
               const i8 SMALL = 300\n\
               const string S = \"bad \\q escape\"\n\
               struct Last { 1: byte b }\n";
    let report = errors(src).to_string();
    let expected = r#"error: expected i32 for `age`, found a string
 --> bad.thrift:3:16
  |
3 |   2: i32 age = "old"
  |                ^^^^^

error: expected an integer value after `=`, found a string literal
 --> bad.thrift:6:27
  |
6 | enum Color { RED, GREEN = "x" }
  |                           ^^^

error: expected `:` after the field id, found keyword `string`
  --> bad.thrift:10:4
   |
10 |     2 string note
   |       ^^^^^^

error: expected a field or `)` after the arguments, found `}`
  --> bad.thrift:15:1
   |
15 | }
   | ^

error: integer 300 for `SMALL` does not fit in i8
  --> bad.thrift:17:18
   |
17 | const i8 SMALL = 300
   |                  ^^^

error: unknown escape `\q` in string literal (allowed: \\ \" \' \n \r \t)
  --> bad.thrift:18:23
   |
18 | const string S = "bad \q escape"
   |                       ^^

warning: `byte` is a compatibility alias for `i8`: use `i8` to make the signedness clear
  --> bad.thrift:19:18
   |
19 | struct Last { 1: byte b }
   |                  ^^^^

6 errors, 1 warning"#;
    assert_eq!(report, expected, "actual report:\n{report}");
}

#[test]
fn diagnostics_expose_position_span_and_severity() {
    let diags = errors("struct A {\n  1: i32 a\n  1: i32 b\n}\n");
    let d = diags.errors().next().expect("one error");
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(d.file(), "bad.thrift");
    assert_eq!((d.line(), d.col()), (3, 10));
    let span = d.span().expect("span");
    assert_eq!((span.start, span.end), (31, 32));
    assert_eq!(
        d.message(),
        "field id 1 of `b` is already used by field `a`"
    );
    // `Diagnostics` is a std error.
    let boxed: Box<dyn std::error::Error> = Box::new(diags.clone());
    assert!(boxed.to_string().contains("bad.thrift:3:10"));
}

#[test]
fn recovers_after_each_error_and_reports_all() {
    let diags = errors(
        "struct A { 1 i32 a }\n\
         struct B { 1: i32 }\n\
         typedef\n\
         const i32 C = \n\
         enum D { X = Y }\n\
         struct Fine { 1: i32 ok }\n\
         service E { void f( }\n\
         oops\n\
         exception F { 1: string message",
    );
    let lines: Vec<u32> = diags.errors().map(|d| d.line()).collect();
    // The bare `typedef` and `const` are reported at the next token (lines 4 and 5);
    // `Fine` parses; the stray `oops` is skipped while recovering from `E`.
    assert_eq!(lines, [1, 2, 4, 5, 5, 7, 9], "{diags}");
}

#[test]
fn lexical_errors() {
    let cases: &[(&str, &str)] = &[
        ("const string S = \"abc", "unterminated string literal"),
        ("const string S = \"ab\nc\"", "strings cannot span lines"),
        ("const string S = \"a\\x\"", "unknown escape `\\x`"),
        ("/* never closed", "unterminated comment"),
        ("/** doc never closed", "unterminated comment"),
        ("struct A { 1: i32 a } @@@", "unexpected character `@@@`"),
        ("const i64 X = 9223372036854775808", "is too big"),
        ("const i64 X = 0x8000000000000000", "is too big"),
        ("const i32 X = - 1", "unexpected character `-`"),
        ("struct é {}", "unexpected character `é`"),
        ("struct A / {}", "unexpected character `/`"),
        ("struct A {} /", "unexpected character `/`"),
    ];
    for (src, expected) in cases {
        let diags = errors(src);
        assert!(
            diags.errors().any(|d| d.message().contains(expected)),
            "{src:?} should report {expected:?}, got:\n{diags}"
        );
    }
}

#[test]
fn grammar_errors_have_clear_messages() {
    let cases: &[(&str, &str)] = &[
        (
            "struct A { 1: i32 a",
            "expected a field or `}` after the fields, found end of file",
        ),
        ("struct { }", "expected a name for the struct, found `{`"),
        (
            "struct A { 1: list<i32 a }",
            "expected `>` after the list element type, found `a`",
        ),
        (
            "struct A { 1: map<i32> a }",
            "expected `,` between the key and value types of a map",
        ),
        (
            "struct A {}\ninclude \"x.thrift\"",
            "`include` must come before all definitions",
        ),
        (
            "cpp_namespace foo",
            "unsupported declaration `cpp_namespace`: use `namespace cpp` instead",
        ),
        (
            "struct A { 1: i32 a.b }",
            "identifier `a.b` cannot contain a dot",
        ),
        ("struct A.B {}", "identifier `A.B` cannot contain a dot"),
        ("enum E { A = 4294967296 }", "does not fit in i32"),
        (
            "enum E { A = 2147483647, B }",
            "enum value `B` overflows i32",
        ),
        (
            "struct A { 1: i32 a; 2: i32 a }",
            "field name `a` is already used",
        ),
        (
            "struct A { 99999999999: i32 a }",
            "field id 99999999999 is out of range",
        ),
        (
            "service S { oneway void f() throws (1: X x) }",
            "oneway function `f` cannot throw",
        ),
        ("struct A {};", "expected a definition"),
        (
            "namespace rs",
            "expected a namespace name, found end of file",
        ),
        (
            "struct A { 1: i32 a (key = 1) }",
            "expected a string literal as the annotation value",
        ),
        (
            "struct A { 1: i32 a } (list)",
            "expected an annotation name or `)`, found keyword `list`",
        ),
        (
            "const list<i32> L = [1, 2",
            "expected a value or `]` in the list, found end of file",
        ),
        (
            "const map<i32, i32> M = {1 2}",
            "expected `:` between a map key and its value",
        ),
        (
            "struct A { 1: Foo (x = \"y\") f }",
            "expected a field name, found `(`",
        ),
    ];
    for (src, expected) in cases {
        let diags = errors(src);
        assert!(
            diags.errors().any(|d| d.message().contains(expected)),
            "{src:?} should report {expected:?}, got:\n{diags}"
        );
    }
}

#[test]
fn errors_per_file_are_capped() {
    let garbage = "@ x ".repeat(5_000);
    let diags = errors(&garbage);
    let count = diags.errors().count();
    assert!((100..=102).contains(&count), "{count} errors");
    let last = diags.errors().last().expect("errors");
    assert_eq!(
        last.message(),
        "too many errors in this file: stopping here"
    );

    let bad_structs = "struct { }\n".repeat(1_000);
    let diags = errors(&bad_structs);
    assert!(diags.errors().count() <= 102);
    assert!(
        diags
            .errors()
            .any(|d| d.message().starts_with("too many errors"))
    );
}

#[test]
fn warnings_do_not_fail_and_errors_keep_warnings() {
    let ok = thrift::check_str("w.thrift", "struct A { 1: byte b }").expect("warnings only");
    assert_eq!(ok.warnings().len(), 1);
    let diags = errors("struct A { 1: byte b, 2: Missing m }");
    assert_eq!(diags.warnings().count(), 1);
    assert_eq!(diags.errors().count(), 1);
    assert!(diags.to_string().ends_with("1 error, 1 warning"));
}

#[test]
fn nesting_is_limited() {
    let deep_type = format!(
        "struct A {{ 1: {}i32{} a }}",
        "list<".repeat(MAX_DEPTH + 1),
        ">".repeat(MAX_DEPTH + 1)
    );
    let diags = errors(&deep_type);
    assert!(
        messages(&diags)
            .iter()
            .any(|m| m.contains("nesting is too deep")),
        "{diags}"
    );

    let deep_value = format!(
        "const list<i32> L = {}{}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let diags = errors(&deep_value);
    assert!(
        messages(&diags)
            .iter()
            .any(|m| m.contains("nesting is too deep"))
    );

    // Right at the limit is fine.
    let ok_type = format!(
        "typedef {}i32{} T",
        "list<".repeat(MAX_DEPTH - 1),
        ">".repeat(MAX_DEPTH - 1)
    );
    assert!(thrift::parse_str("ok.thrift", &ok_type).is_ok());
}

#[test]
fn semantic_errors() {
    let cases: &[(&str, &str)] = &[
        ("struct A { 1: Missing m }", "unknown type `Missing`"),
        (
            "struct A { 1: list<map<string, Nope>> n }",
            "unknown type `Nope`",
        ),
        (
            "struct A { 1: other.Thing t }",
            "unknown type `other.Thing`",
        ),
        ("struct A {}\nenum A { X }", "`A` is already defined"),
        ("service A {}\nstruct A {}", "`A` is already defined"),
        ("const i32 A = 1\nconst i32 A = 2", "`A` is already defined"),
        ("enum E { X, Y, X }", "enum value `E.X` is already defined"),
        (
            "service S { void f()\n void f() }",
            "function `f` is already defined",
        ),
        (
            "service S {}\nstruct A { 1: S s }",
            "`S` is a service, not a type",
        ),
        (
            "struct B {}\nservice S extends B {}",
            "`B` is not a service",
        ),
        ("service S extends Nowhere {}", "unknown service `Nowhere`"),
        (
            "struct NotEx {}\nservice S { void f() throws (1: NotEx e) }",
            "is not an exception",
        ),
        (
            "typedef A B\ntypedef B A",
            "typedef `B` refers to itself through `A`",
        ),
        ("typedef X X", "typedef `X` refers to itself"),
        (
            "service A extends B {}\nservice B extends A {}",
            "service `A` extends itself through its bases",
        ),
        (
            "const i32 X = \"s\"",
            "expected i32 for `X`, found a string",
        ),
        (
            "const string X = 1",
            "expected string for `X`, found an integer",
        ),
        (
            "const double X = \"1.0\"",
            "expected double for `X`, found a string",
        ),
        ("const i32 X = 1.5", "expected i32 for `X`, found a double"),
        (
            "const i16 X = 40000",
            "integer 40000 for `X` does not fit in i16",
        ),
        ("const i32 X = 3000000000", "does not fit in i32"),
        (
            "const uuid U = \"not-a-uuid\"",
            "`not-a-uuid` is not a valid uuid",
        ),
        (
            "const list<i32> L = [1, \"two\"]",
            "expected i32 for `L`, found a string",
        ),
        (
            "const list<i32> L = {1: 2}",
            "expected a list (`list<i32>`) for `L`, found a map",
        ),
        (
            "const map<string, i32> M = {1: 2}",
            "expected string for `M`, found an integer",
        ),
        ("const i32 X = Y", "unknown constant `Y`"),
        ("const i32 X = Y\nconst i32 Y = X", "refers to itself"),
        (
            "const string S = \"a\"\nconst i32 X = S",
            "constant `S` cannot be used here",
        ),
        (
            "enum E { A }\nconst E X = A",
            "unqualified enum value `A` for `X`: write `E.A`",
        ),
        (
            "enum E { A }\nconst E X = E.B",
            "`E.B` is not a value of enum `E`",
        ),
        ("enum E { A }\nconst E X = 5", "enum `E` has no value 5"),
        (
            "enum E { A }\nconst E X = \"A\"",
            "expected enum `E`, found a string",
        ),
        (
            "struct P { 1: i32 x }\nconst P O = {\"y\": 1}",
            "struct `P` has no field `y`",
        ),
        (
            "struct P { 1: i32 x }\nconst P O = {1: 1}",
            "must be field names in quotes",
        ),
        (
            "struct P { 1: i32 x }\nconst P O = [1]",
            "expected struct `P` (written as a map",
        ),
        (
            "struct P { 1: i32 x }\nconst P O = {\"x\": \"s\"}",
            "expected i32 for `O`",
        ),
        (
            "enum E { A }\nstruct S { 1: E e = A }",
            "unqualified enum value `A` for `e`",
        ),
        (
            "struct P {}\nconst P O = {}\nstruct S { 1: P p = O }",
            "expected struct `P` (written as a map of field names) for `p`, found an identifier",
        ),
        (
            "include \"x.thrift\"",
            "`include` cannot be followed for a source given as a string",
        ),
    ];
    for (src, expected) in cases {
        let diags = errors(src);
        assert!(
            diags.errors().any(|d| d.message().contains(expected)),
            "{src:?} should report {expected:?}, got:\n{diags}"
        );
    }
}

#[test]
fn valid_constants() {
    let src = r#"
        enum E { A = 1, B = 2 }
        typedef i32 Int
        typedef E Alias
        struct P { 1: i32 x; 2: list<E> es; 3: map<string, double> m }
        const Int ONE = 1
        const i32 TWO = ONE
        const i32 FROM_ENUM = E.B
        const double D = 1
        const bool T = true
        const i8 MIN = -128
        const Alias AL = E.A
        const E BY_NUMBER = 2
        const P POINT = {"x": TWO, "es": [E.A, E.B], "m": {"k": 1.5}}
        const list<i32> EMPTY = []
        const set<binary> NONE = {}
        const map<i32, i32> NOTHING = []
        const uuid U = "{01234567-89ab-cdef-0123-456789ABCDEF}"
        const list<i32> COPY = [ONE, TWO]
        const list<i32> SAME = COPY
        struct WithDefaults { 1: E e = E.A; 2: i32 n = FROM_ENUM; 3: E other = 1 }
    "#;
    thrift::check_str("ok.thrift", src).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn syntax_errors_do_not_cascade_into_unknown_names() {
    // `Broken` fails to parse: its uses are not reported as unknown types.
    let diags = errors("struct Broken { 1 i32 x }\nstruct User { 1: Broken b }\n");
    assert_eq!(diags.errors().count(), 1, "{diags}");
}
