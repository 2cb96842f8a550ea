//! The code in `tests/snapshots/dedup.rs` and the split output under
//! `tests/snapshots/split_gen*` (both checked by `tests/codegen_options.rs`) compile
//! against `pilota`, the split one through its nested `include!`s, and deduplicated
//! copies are one Rust type.

/// `a.thrift` and `b.thrift` with `Base` and `Kind` deduplicated.
pub mod dedup {
    include!("snapshots/dedup.rs");
}

/// The same, split into one file per module.
pub mod split {
    include!("snapshots/split_gen.rs");
}

use pilota::thrift::binary;

fn name_of(base: &dedup::options::a::Base) -> &str {
    &base.name
}

#[test]
fn deduplicated_copies_are_one_type() {
    use dedup::options::{a, b};

    let base = b::Base {
        name: "shared".into(),
        ..Default::default()
    };
    assert_eq!(name_of(&base), "shared");
    assert_eq!(base.kind, a::Kind::TWO);
    let wrapper = b::Wrapper {
        base: base.clone(),
        ..Default::default()
    };
    // A's method arguments take the `Base` built through module `b`.
    let args = a::AGetArgs {
        base: Some(wrapper.base),
        ..Default::default()
    };
    assert_eq!(args.base.as_ref().map(name_of), Some("shared"));
    assert_eq!(a::DEFAULT_BASE.kind, b::Kind::ONE);
}

#[test]
fn split_output_round_trips_with_the_whole_one() {
    let value = split::options::b::Wrapper {
        base: split::options::a::Base {
            name: "split".into(),
            count: Some(3),
            ..Default::default()
        },
        ..Default::default()
    };
    let bytes = binary::encode(&value).unwrap();
    let decoded: dedup::options::b::Wrapper = binary::decode(bytes).unwrap();
    assert_eq!(decoded.base.name, "split");
    assert_eq!(decoded.base.count, Some(3));
}
