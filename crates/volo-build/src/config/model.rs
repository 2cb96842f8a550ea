//! The `volo.yml` data model, as parsed (see the [module docs](super) for
//! every key).

use std::{collections::BTreeMap, fmt, marker::PhantomData, path::PathBuf};

use serde::{
    Deserialize, Deserializer,
    de::{MapAccess, Visitor},
};

/// A whole `volo.yml`: named entries, each generating one Rust file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VoloConfig {
    /// Entry name → entry (sorted by name).
    #[serde(deserialize_with = "unique_keys")]
    pub entries: BTreeMap<String, Entry>,
}

/// One entry: the IDLs of one protocol generated into one file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Entry {
    /// The IDL language of every service of the entry.
    pub protocol: Protocol,
    /// The name of the generated file, in the output directory.
    pub filename: PathBuf,
    /// Git repositories the services can take IDL from, by name.
    #[serde(default, deserialize_with = "unique_keys")]
    pub repos: BTreeMap<String, Repo>,
    /// The IDLs to generate code for.
    pub services: Vec<Service>,
    /// Volo's `touch_all` (generate every IDL item, used or not): every item
    /// is always generated, so it changes nothing.
    #[serde(default)]
    pub touch_all: bool,
    /// Volo's `dedups`: names of types that several IDL files define
    /// identically, generated once and re-exported by the other modules.
    #[serde(default)]
    pub dedups: Vec<String>,
    /// Volo's `special_namings`.
    #[serde(default)]
    pub special_namings: Vec<String>,
    /// Volo's `split_generated_files`: one file per module, included by the
    /// entry's file.
    #[serde(default)]
    pub split_generated_files: bool,
    /// Volo's `with_descriptor`.
    #[serde(default)]
    pub with_descriptor: bool,
    /// Volo's `with_field_mask`.
    #[serde(default)]
    pub with_field_mask: bool,
    /// Volo's `with_comments`.
    #[serde(default)]
    pub with_comments: bool,
}

/// The IDL language of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Apache Thrift IDL.
    Thrift,
    /// Protocol Buffers IDL (parsed, but not generated yet).
    Protobuf,
}

/// A git repository holding IDL files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Repo {
    /// Where to clone it from.
    pub url: String,
    /// The branch, tag or commit to follow (default `HEAD`).
    #[serde(rename = "ref", default = "default_ref")]
    pub git_ref: String,
    /// The commit `ref` was locked to; the build reads this commit.
    #[serde(default)]
    pub lock: Option<String>,
}

fn default_ref() -> String {
    "HEAD".to_string()
}

/// One IDL to generate code for, and how.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Service {
    /// Where the IDL is.
    pub idl: Idl,
    /// Code generation options for this IDL.
    #[serde(default)]
    pub codegen_option: CodegenOption,
}

/// Where an IDL file is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Idl {
    /// Local file or git repository (default `local`).
    #[serde(default)]
    pub source: Source,
    /// With `source: git`, the name of a repository in the entry's `repos`.
    #[serde(default)]
    pub repo: Option<String>,
    /// The IDL file: relative to the directory of `volo.yml` (local) or to
    /// the repository root (git).
    pub path: PathBuf,
    /// Directories searched for `include`d files, relative like `path`.
    #[serde(default)]
    pub includes: Vec<PathBuf>,
}

/// Where an IDL comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A file next to `volo.yml`.
    #[default]
    Local,
    /// A file in a git repository of the entry's `repos`.
    Git,
}

/// Per-IDL code generation options.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CodegenOption {
    /// Whether generated structs keep fields they do not know (default
    /// `false`, as in Volo).
    #[serde(default)]
    pub keep_unknown_fields: bool,
    /// Volo's `touch`: items to generate even if unused; every item is
    /// generated, so each name is only checked to exist.
    #[serde(default)]
    pub touch: Vec<String>,
    /// Volo's `crate_name`.
    #[serde(default)]
    pub crate_name: Option<String>,
    /// Volo's free-form `config` map.
    #[serde(default)]
    pub config: Option<serde_yaml_ng::Value>,
}

/// A map whose keys must be distinct: YAML would otherwise let a repeated
/// key silently replace the first one.
fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueKeys<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map with distinct keys")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(UniqueKeys(PhantomData))
}
