//! `volo idl add`: adds an IDL to a project's `volo.yml` and copies it
//! (with what it includes) into the project's `idl/` directory.

use std::path::{Path, PathBuf};

use volo_build::config::VoloConfig;

use crate::{
    error::CliError,
    files::{self, Plan, Written},
    init, yml,
};

/// What `volo idl add` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct IdlAdd {
    /// The IDL to add.
    pub(crate) idl: PathBuf,
    /// Its include directories.
    pub(crate) includes: Vec<PathBuf>,
    /// The entry to add it to (needed only when there are several).
    pub(crate) entry: Option<String>,
    /// Where to look for `volo.yml`.
    pub(crate) cwd: PathBuf,
    /// Overwrite IDL files of the same name.
    pub(crate) force: bool,
}

/// `volo.yml` of the project around `start`: in `start` or a parent, or in
/// the single `*-gen` directory of one of them (the layout `volo init` makes).
pub(crate) fn find_config(start: &Path) -> Result<PathBuf, CliError> {
    for dir in start.ancestors() {
        let direct = dir.join("volo.yml");
        if direct.is_file() {
            return Ok(direct);
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let generated: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with("-gen"))
            .map(|e| e.path().join("volo.yml"))
            .filter(|p| p.is_file())
            .collect();
        if let [only] = generated.as_slice() {
            return Ok(only.clone());
        }
    }
    Err(CliError::NoConfig(start.to_path_buf()))
}

/// The entry named `wanted`, or the only one.
pub(crate) fn pick_entry(config: &VoloConfig, wanted: Option<&str>) -> Result<String, CliError> {
    match wanted {
        Some(name) if config.entries.contains_key(name) => Ok(name.to_owned()),
        Some(name) => Err(CliError::Unsupported(format!("no entry {name:?}"))),
        None => match config.entries.keys().collect::<Vec<_>>().as_slice() {
            [only] => Ok((*only).clone()),
            _ => Err(CliError::Unsupported(
                "several entries (or none): name one with --entry".into(),
            )),
        },
    }
}

/// Adds the IDL; returns `volo.yml`'s path and what happened to each file.
pub(crate) fn add(o: &IdlAdd) -> Result<(PathBuf, Vec<Written>), CliError> {
    let config_path = find_config(&o.cwd)?;
    let base = config_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut config = VoloConfig::load(&config_path)?;
    let entry_name = pick_entry(&config, o.entry.as_deref())?;
    let Some(entry) = config.entries.get_mut(&entry_name) else {
        return Err(CliError::Unsupported(format!("no entry {entry_name:?}")));
    };
    // Generating once checks the IDL and lists what it includes.
    let (_, inputs) = init::idl_services(&o.idl, &o.includes, "idl")?;
    let layout = files::idl_layout(&o.idl, &inputs, &o.includes)?;
    let root_in_idl = Path::new("idl").join(&layout[0].1);
    if entry.services.iter().any(|s| s.idl.path == root_in_idl) {
        return Err(CliError::Exists(base.join(&root_in_idl)));
    }
    entry
        .services
        .push(yml::service(&root_in_idl, &[PathBuf::from("idl")])?);
    let text = yml::render(&config)?;

    let mut plan = Plan::default();
    files::copy_idls(&mut plan, &base.join("idl"), &layout)?;
    let written = plan.write(o.force)?;
    std::fs::write(&config_path, text).map_err(CliError::io(&config_path))?;
    Ok((config_path, written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{init::Init, test_dir::TestDir};

    fn project(dir: &TestDir) -> PathBuf {
        std::fs::write(
            dir.join("a.thrift"),
            "namespace rs a\nservice A { i32 one() }\n",
        )
        .unwrap();
        let root = dir.join("proj");
        init::init(&Init {
            name: "proj".into(),
            idl: dir.join("a.thrift"),
            includes: Vec::new(),
            volo_path: None,
            dir: root.clone(),
            force: false,
            git: None,
        })
        .unwrap();
        root
    }

    fn options(dir: &TestDir, cwd: PathBuf) -> IdlAdd {
        IdlAdd {
            idl: dir.join("b.thrift"),
            includes: Vec::new(),
            entry: None,
            cwd,
            force: false,
        }
    }

    #[test]
    fn adds_to_the_entry_and_copies() {
        let dir = TestDir::new("idl-add");
        let root = project(&dir);
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\nservice B { i32 two() }\n",
        )
        .unwrap();
        // From the handler crate's source directory: found through the parents.
        let (config, written) = add(&options(&dir, root.join("proj/src"))).unwrap();
        assert_eq!(config, root.join("proj-gen/volo.yml"));
        assert_eq!(
            written,
            [Written::Created(root.join("proj-gen/idl/b.thrift"))]
        );
        let loaded = VoloConfig::load(&config).unwrap();
        let paths: Vec<_> = loaded.entries[yml::DEFAULT_ENTRY]
            .services
            .iter()
            .map(|s| s.idl.path.clone())
            .collect();
        assert_eq!(
            paths,
            [PathBuf::from("idl/a.thrift"), PathBuf::from("idl/b.thrift")]
        );
        // The generated code now has both services.
        let out = volo_build::ConfigBuilder::with_file(&config)
            .out_dir(dir.join("gen"))
            .write()
            .unwrap();
        let code = std::fs::read_to_string(&out[0]).unwrap();
        assert!(code.contains("pub trait A:") && code.contains("pub trait B:"));

        // Adding it again is refused.
        let again = add(&options(&dir, root.clone())).unwrap_err();
        assert!(matches!(again, CliError::Exists(_)));
    }

    #[test]
    fn never_clobbers_a_different_idl_of_the_same_name() {
        let dir = TestDir::new("idl-clobber");
        let root = project(&dir);
        std::fs::create_dir_all(dir.join("other")).unwrap();
        std::fs::write(
            dir.join("other/a.thrift"),
            "namespace rs z\nservice Z { i32 z() }\n",
        )
        .unwrap();
        let before = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        let mut o = options(&dir, root.clone());
        o.idl = dir.join("other/a.thrift");
        assert!(matches!(add(&o), Err(CliError::Exists(_))));
        let after = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn outside_a_project_is_an_error() {
        let dir = TestDir::new("idl-none");
        std::fs::write(dir.join("b.thrift"), "service B {}").unwrap();
        let err = add(&options(&dir, dir.join(""))).unwrap_err();
        assert!(matches!(err, CliError::NoConfig(_)), "{err}");
    }
}
