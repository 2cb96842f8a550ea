//! The parser and checker never panic or hang: arbitrary text and token soups built
//! from Thrift keywords and punctuation give a document or diagnostics.

use pilota_build::thrift;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "struct",
    "union",
    "exception",
    "enum",
    "senum",
    "const",
    "typedef",
    "service",
    "extends",
    "throws",
    "oneway",
    "async",
    "void",
    "include",
    "cpp_include",
    "namespace",
    "required",
    "optional",
    "xsd_all",
    "xsd_optional",
    "xsd_nillable",
    "xsd_attrs",
    "cpp_type",
    "cpp_namespace",
    "bool",
    "byte",
    "i8",
    "i16",
    "i32",
    "i64",
    "double",
    "string",
    "binary",
    "uuid",
    "slist",
    "list",
    "set",
    "map",
    "true",
    "false",
    "A",
    "b.C",
    "Foo",
    "x",
    "*",
    "&",
    ":",
    ";",
    ",",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    "=",
    "1",
    "-1",
    "0x1F",
    "1.5e3",
    "9999999999999999999999",
    "\"s\"",
    "'q'",
    "\"\\n\"",
    "\"\\q\"",
    "\"open",
    "/**doc*/",
    "/*c*/",
    "/*",
    "//c\n",
    "#c\n",
    "\n",
    " ",
    "\t",
    "é",
    "@",
    "-",
    ".",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|parts| {
        let mut s = String::new();
        for p in parts {
            s.push_str(p);
            s.push(' ');
        }
        s
    })
}

/// Everything public must work on whatever came out: rendering included.
fn exercise(src: &str) {
    match thrift::parse_str("fuzz.thrift", src) {
        Ok(doc) => {
            for def in &doc.definitions {
                let span = def.span();
                assert!(span.start <= span.end && span.end as usize <= src.len());
            }
        }
        Err(diags) => {
            assert!(diags.has_errors());
            let _ = diags.to_string();
        }
    }
    match thrift::check_str("fuzz.thrift", src) {
        Ok(idl) => {
            let _ = idl.warnings().to_string();
        }
        Err(diags) => {
            for d in &diags {
                if d.span().is_some() {
                    assert!(d.line() >= 1 && d.col() >= 1, "{d}");
                }
            }
            let _ = diags.to_string();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(src in any::<String>()) {
        exercise(&src);
    }

    #[test]
    fn ascii_noise_never_panics(src in "[ -~\t\n]{0,400}") {
        exercise(&src);
    }

    #[test]
    fn keyword_soups_never_panic(src in soup()) {
        exercise(&src);
    }

    #[test]
    fn mangled_valid_files_never_panic(cut in 0usize..2000, insert in prop::sample::select(PIECES)) {
        let valid = "namespace rs demo\ninclude \"other.thrift\"\n\
            /** doc */ struct S { 1: required list<map<string, i32>> a = [{\"k\": 1}], \
            2: optional E e = E.A (x = \"y\"); 3: i8 c } (s = \"1\")\n\
            enum E { A = 1, B }\nconst S V = {\"a\": [], \"c\": 3}\n\
            service Svc extends other.Base { oneway void f(1: S s) \
            i32 g() throws (1: X x) }\nexception X { 1: string m }\n";
        let at = cut.min(valid.len());
        let at = (0..=at).rev().find(|&i| valid.is_char_boundary(i)).unwrap_or(0);
        let mangled = format!("{}{}{}", &valid[..at], insert, &valid[at..]);
        exercise(&mangled);
    }
}
