//! Rust names for IDL names: case conversion, keywords and collisions.
//!
//! - Types (messages, unions, enums, aliases, services) are `UpperCamelCase`, fields,
//!   modules and methods `snake_case`, constants and enum values `SCREAMING_SNAKE_CASE`.
//! - A Rust keyword becomes a raw identifier (`type` → `r#type`); `self`, `Self`,
//!   `super` and `crate` cannot be raw and get a `_` suffix instead (`self_`, `Self_`).
//! - Names that collide after conversion (`fooBar` and `foo_bar`) are told apart by a
//!   numeric suffix on the later one, in declaration order ([`Scope`]).
//! - `pilota.name` or `rust.name` annotations replace the converted name verbatim.

use std::collections::HashSet;

use proc_macro2::{Ident, Span};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits an IDL name into lowercase words: at `_`, `.`, `-`, at a lower-to-upper
/// change (`fooBar`) and before the last capital of an acronym (`HTTPServer`).
/// Leading underscores are returned separately so they survive conversion.
fn words(name: &str) -> (usize, Vec<String>) {
    let leading = name.chars().take_while(|&c| c == '_').count();
    let chars: Vec<char> = name.chars().skip(leading).collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    (leading, words)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `foo_bar`, `fooBar`, `FOO_BAR` → `FooBar`.
pub fn upper_camel(name: &str) -> String {
    let (leading, words) = words(name);
    let body: String = words.iter().map(|w| capitalize(w)).collect();
    finish("_".repeat(leading) + &body, name)
}

/// `FooBar`, `fooBar` → `foo_bar`.
pub fn snake(name: &str) -> String {
    let (leading, words) = words(name);
    finish("_".repeat(leading) + &words.join("_"), name)
}

/// `FooBar`, `fooBar` → `FOO_BAR`.
pub fn screaming_snake(name: &str) -> String {
    let (leading, words) = words(name);
    finish("_".repeat(leading) + &words.join("_").to_uppercase(), name)
}

/// Keeps a conversion usable as an identifier: a name made of nothing but separators
/// keeps its original text, and a leading digit gets a `_` prefix.
fn finish(converted: String, original: &str) -> String {
    let converted = if converted.trim_start_matches('_').is_empty() {
        original.to_string()
    } else {
        converted
    };
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{converted}")
    } else {
        converted
    }
}

/// Whether `name` is usable as an identifier once keywords are escaped (ASCII
/// letters, digits and `_`, not starting with a digit, not empty).
pub fn is_valid_ident(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Replaces a keyword that cannot be a raw identifier: `self` → `self_`.
pub fn escape_non_raw(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// An identifier for an already converted name: raw for keywords (`r#type`).
pub fn ident(name: &str) -> Ident {
    if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The style a [`Scope`] gives its numeric suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: suffix appended directly (`Foo2`).
    Camel,
    /// `snake_case` or `SCREAMING_SNAKE_CASE`: suffix after `_` (`foo_2`).
    Snake,
}

/// The names already taken in one Rust namespace (a module, a struct's fields, an
/// enum's constants, ...). Later names that collide get a numeric suffix.
#[derive(Debug, Clone)]
pub struct Scope {
    case: Case,
    used: HashSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new(case: Case) -> Self {
        Scope {
            case,
            used: HashSet::new(),
        }
    }

    /// Marks `name` as taken without allocating it (names the generator itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// Takes `name`, or the first free `name2`, `name3`, ... (`name_2` for snake case).
    pub fn alloc(&mut self, name: String) -> String {
        self.alloc_as(name, self.case)
    }

    /// Like [`Scope::alloc`], with the suffix style of `case` (a module holds both
    /// camel-case types and screaming-case constants).
    pub fn alloc_as(&mut self, name: String, case: Case) -> String {
        let name = escape_non_raw(name);
        if self.used.insert(name.clone()) {
            return name;
        }
        let mut n = 2u32;
        loop {
            let candidate = match case {
                Case::Camel => format!("{name}{n}"),
                Case::Snake => format!("{name}_{n}"),
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(upper_camel("foo_bar"), "FooBar");
        assert_eq!(upper_camel("fooBar"), "FooBar");
        assert_eq!(upper_camel("FOO_BAR"), "FooBar");
        assert_eq!(upper_camel("HTTPServer"), "HttpServer");
        assert_eq!(upper_camel("v2Api"), "V2Api");
        assert_eq!(upper_camel("_private"), "_Private");
        assert_eq!(snake("FooBar"), "foo_bar");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("a1B2"), "a1_b2");
        assert_eq!(snake("__isset"), "__isset");
        assert_eq!(snake("Foo.Bar"), "foo_bar");
        assert_eq!(screaming_snake("fooBar"), "FOO_BAR");
        assert_eq!(screaming_snake("RED"), "RED");
        assert_eq!(snake("_"), "_");
        assert_eq!(snake("1abc"), "_1abc");
    }

    #[test]
    fn keywords() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("foo").to_string(), "foo");
        assert_eq!(escape_non_raw("self".into()), "self_");
        assert_eq!(escape_non_raw("Self".into()), "Self_");
        assert_eq!(escape_non_raw("_".into()), "__");
        assert_eq!(escape_non_raw("union".into()), "union");
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut fields = Scope::new(Case::Snake);
        fields.reserve("_unknown_fields");
        assert_eq!(fields.alloc(snake("fooBar")), "foo_bar");
        assert_eq!(fields.alloc(snake("foo_bar")), "foo_bar_2");
        assert_eq!(fields.alloc(snake("FooBar")), "foo_bar_3");
        assert_eq!(fields.alloc("_unknown_fields".into()), "_unknown_fields_2");
        let mut types = Scope::new(Case::Camel);
        assert_eq!(types.alloc(upper_camel("foo")), "Foo");
        assert_eq!(types.alloc(upper_camel("FOO")), "Foo2");
        assert_eq!(types.alloc(upper_camel("self")), "Self_");
    }

    #[test]
    fn validity() {
        assert!(is_valid_ident("foo_1"));
        assert!(!is_valid_ident("1foo"));
        assert!(!is_valid_ident("foo-bar"));
        assert!(!is_valid_ident(""));
    }
}
