//! `volo.yml`: the configuration file that says which IDLs a crate
//! generates code for.
//!
//! The schema is CloudWeGo Volo's, so a Volo project's file works as is.
//! [`VoloConfig::load`] reads and checks a file; [`ConfigBuilder`] generates
//! its code from a build script.
//!
//! # Example file
//!
//! ```yaml
//! entries:
//!   default:                      # entry name: any string
//!     protocol: thrift            # thrift | protobuf (required)
//!     filename: volo_gen.rs       # generated file, in OUT_DIR (required)
//!     repos:                      # git repositories, by name (optional)
//!       common:
//!         url: https://example.com/org/idl.git
//!         ref: main               # branch, tag or commit (default HEAD)
//!         lock: 0123abcd          # locked commit: what the build reads
//!     services:                   # the IDLs (required, at least one)
//!       - idl:
//!           source: local         # local | git (default local)
//!           path: idl/echo.thrift # relative to the directory of volo.yml
//!           includes: [idl]       # include search directories (optional)
//!         codegen_option:         # optional
//!           keep_unknown_fields: true
//!       - idl:
//!           source: git
//!           repo: common          # a key of this entry's `repos`
//!           path: base.thrift     # relative to the repository root
//! ```
//!
//! # Keys
//!
//! | key | meaning |
//! |---|---|
//! | `entries` | entry name → entry; each entry is generated into one file |
//! | `entries.*.protocol` | `thrift` or `protobuf`; protobuf entries parse but do not generate yet (an [`Unsupported`](ConfigError::Unsupported) error) |
//! | `entries.*.filename` | the generated file name, a relative path inside the output directory, unique across entries |
//! | `entries.*.repos.<name>` | a git repository: `url` (required), `ref` (default `HEAD`), `lock` (the commit) |
//! | `entries.*.services[*].idl.source` | `local` (default) or `git` |
//! | `entries.*.services[*].idl.path` | the IDL file: local ones relative to the directory of `volo.yml` and checked to exist; git ones relative to the repository root |
//! | `entries.*.services[*].idl.includes` | directories searched for `include`d files, relative like `path` |
//! | `entries.*.services[*].idl.repo` | with `source: git` (and only then): the name of a repository in the entry's `repos` |
//! | `entries.*.services[*].codegen_option.keep_unknown_fields` | generated structs of this IDL and the files it includes keep unknown fields (default `false`; a file included by several IDLs keeps them if any of those says so) |
//! | `entries.*.services[*].codegen_option.touch` | names of IDL items to generate: `Type` (an item of this IDL file) or `namespace.path.Type` (an item of any file of the entry). Every item is always generated, so this only checks that each name exists; a missing one is an [`Invalid`](ConfigError::Invalid) error naming `...codegen_option.touch[i]` |
//! | `entries.*.touch_all` | generate every item, used by a service or not: always the case, so `true` and `false` generate the same code |
//! | `entries.*.dedups` | names of types (structs, exceptions, unions, enums, typedefs) or constants that several files of the entry define identically: the first definition is generated and the other modules `pub use` it, so the copies are one Rust type. Copies must match field for field (ids, names, types, requiredness, defaults, annotations; docs may differ; a type each file defines for itself, say an enum the copies use, matches only when it is in `dedups` too) and keep unknown fields alike, else an [`Idl`](ConfigError::Idl) error names both definitions; a name no file defines is an error too |
//! | `entries.*.split_generated_files` | one file per module instead of one big file: module `a::b` goes to `<stem>/a/b.rs` next to the entry's file (`volo_gen.rs` → `volo_gen/a/b.rs`; a file name without extension gets `<name>_modules/`), and the entry's file keeps the `pub mod` tree and `include!`s them, so including it works unchanged. That directory belongs to the generator: `.rs` files it no longer writes there are removed, and no other entry may write into it |
//! | `entries.*.special_namings`, `with_descriptor`, `with_field_mask`, `with_comments` | Volo's entry options: parsed; setting one is an [`Unsupported`](ConfigError::Unsupported) error for now |
//! | `entries.*.services[*].codegen_option.crate_name`, `config` | Volo's per-IDL options: parsed; setting one is an [`Unsupported`](ConfigError::Unsupported) error for now |
//!
//! Any other key is an error naming it, with its line and column.
//!
//! # Git sources
//!
//! A build script never touches the network. The IDL of repo `name` locked
//! at commit `lock` is read from `<cache>/<name>/<lock>/`, where `<cache>`
//! is `.volo/git` next to `volo.yml` unless
//! [`ConfigBuilder::git_cache_dir`] says otherwise; the volo command line
//! tool fills it. A missing checkout is a
//! [`GitNotCached`](ConfigError::GitNotCached) error naming the repo and the
//! expected directory.
//!
//! # Generated code
//!
//! The IDLs of an entry are generated together, as one model, with the
//! service glue of [`thrift::Builder`](crate::thrift::Builder): each IDL file
//! (and each file it includes) becomes a module named by its namespace, and
//! a file included by several IDLs of the entry is generated once. The
//! include directories of all the entry's IDLs are searched, in order, for
//! the includes of each.
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("volo-build-config-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(dir.join("idl")).unwrap();
//! std::fs::write(
//!     dir.join("idl/echo.thrift"),
//!     "namespace rs echo\nservice Echo { string echo(1: string msg) }",
//! ).unwrap();
//! std::fs::write(dir.join("volo.yml"), "
//! entries:
//!   default:
//!     protocol: thrift
//!     filename: volo_gen.rs
//!     services:
//!       - idl: { source: local, path: idl/echo.thrift }
//! ").unwrap();
//!
//! let written = volo_build::ConfigBuilder::with_file(dir.join("volo.yml"))
//!     .out_dir(dir.join("out"))
//!     .write()
//!     .unwrap();
//! assert_eq!(written, [dir.join("out/volo_gen.rs")]);
//! let code = std::fs::read_to_string(&written[0]).unwrap();
//! assert!(code.contains("pub trait Echo:"));
//!
//! // A mistyped key is an error naming the file, line, column and key path.
//! std::fs::write(dir.join("volo.yml"), "entries:\n  default:\n    protocl: thrift\n").unwrap();
//! let error = volo_build::config::VoloConfig::load(dir.join("volo.yml")).unwrap_err();
//! assert!(error.to_string().contains("volo.yml:3:5: entries.default: unknown field `protocl`"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod builder;
mod error;
mod load;
mod model;

pub use builder::ConfigBuilder;
pub use error::ConfigError;
pub use model::{CodegenOption, Entry, Idl, Protocol, Repo, Service, Source, VoloConfig};
