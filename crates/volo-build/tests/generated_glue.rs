//! The snapshot of `tests/fixtures/config/options` (deduplicated, split into
//! module files; checked by `tests/config_options.rs`) compiles with the
//! volo-thrift glue, and the deduplicated copies are one type on both
//! services.

/// The generated entry, included as a build script's output would be.
pub mod generated {
    include!("snapshots/options/volo_gen.rs");
}

use generated::{a, b};

#[test]
fn both_services_use_the_one_base() {
    let base = b::Base {
        name: "one type".into(),
        count: Some(1),
    };
    // The arguments of `A.get` (module `a`) take the `Base` named through `b`.
    let args = a::AGetArgs {
        base: Some(base.clone()),
    };
    let wrapper = b::Wrapper { base };
    assert_eq!(args.base.as_ref(), Some(&wrapper.base));
    let failed: a::Failed = b::Failed {
        message: Some("no".into()),
    };
    assert!(failed.to_string().contains("no"));
}

/// A handler of `B` returns `a::Failed` where `b::Failed` is declared.
#[derive(Debug, Clone)]
struct Handler;

impl b::B for Handler {
    async fn wrap(&self, base: b::Base) -> Result<b::Wrapper, b::BHandlerError<b::BWrapException>> {
        if base.name.is_empty() {
            return Err(a::Failed {
                message: Some("empty".into()),
            }
            .into());
        }
        Ok(b::Wrapper { base })
    }
}

#[test]
fn a_handler_compiles_against_the_deduplicated_types() {
    let _server = b::BServer::new(Handler);
}
