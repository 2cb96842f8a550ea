//! `volo idl add`: adds an IDL to a project's `volo.yml`, copies it (with
//! what it includes) into the project's `idl/` directory, and gives the
//! handler crate's `Handler` a stub impl of each new service, one module
//! file per service (`src/<service>.rs` plus a `mod` line in `src/lib.rs`).
//!
//! The user's files are never rewritten: a stub module that exists is
//! skipped without `--force`, and `src/lib.rs` only gets lines appended.
//! The server binary is left alone (it serves the first service).

use std::path::{Path, PathBuf};

use volo_build::config::VoloConfig;

use crate::{
    error::CliError,
    files::{self, Plan, Written},
    init, stub, yml,
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

/// What `volo idl add` did.
#[derive(Debug)]
pub(crate) struct Added {
    /// `volo.yml`.
    pub(crate) config: PathBuf,
    /// How it was saved.
    pub(crate) saved: yml::Saved,
    /// What happened to each IDL copy, stub module and `src/lib.rs`.
    pub(crate) written: Vec<Written>,
    /// The new services, as paths a server would name them from the
    /// handler crate (`::calc_gen::counter::Counter`).
    pub(crate) services: Vec<String>,
    /// The handler crate (`calc`), when the project has the `volo init` layout.
    pub(crate) handler_crate: Option<String>,
    /// Stubs not written, and why.
    pub(crate) skipped: Vec<String>,
}

/// Adds the IDL to `volo.yml`, copies it into `idl/`, and gives the
/// handler crate's `Handler` a stub impl of each new service.
pub(crate) fn add(o: &IdlAdd) -> Result<Added, CliError> {
    let config_path = find_config(&o.cwd)?;
    let base = config_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (text, mut config) = yml::load(&config_path)?;
    let entry_name = pick_entry(&config, o.entry.as_deref())?;
    let Some(entry) = config.entries.get_mut(&entry_name) else {
        return Err(CliError::Unsupported(format!("no entry {entry_name:?}")));
    };
    let handler = HandlerCrate::beside(&base);
    let krate = handler
        .as_ref()
        .map_or_else(|| "idl".to_owned(), |h| h.gen_krate.clone());
    // Generating once checks the IDL, lists what it includes and reads the
    // new handler traits.
    let (services, inputs) = init::idl_services(&o.idl, &o.includes, &krate)?;
    let layout = files::idl_layout(&o.idl, &inputs, &o.includes)?;
    let root_in_idl = Path::new("idl").join(&layout[0].1);
    if entry.services.iter().any(|s| s.idl.path == root_in_idl) {
        return Err(CliError::Exists(base.join(&root_in_idl)));
    }
    let includes = [PathBuf::from("idl")];
    entry.services.push(yml::service(&root_in_idl, &includes)?);
    let edited = yml::edit::add_service(&text, &entry_name, |indent| {
        yml::local_service(&root_in_idl, &includes, indent).ok()
    });
    let (new_text, saved) = yml::updated_text(edited, &config)?;

    let mut plan = Plan::default();
    files::copy_idls(&mut plan, &base.join("idl"), &layout)?;
    let mut skipped = Vec::new();
    let lib_update = match &handler {
        Some(h) => h.plan_stubs(&mut plan, &services, o.force, &mut skipped)?,
        None => {
            if !services.is_empty() {
                skipped.push(format!(
                    "no handler crate with a `Handler` beside {}: no stub written",
                    base.display()
                ));
            }
            None
        }
    };
    let mut written = plan.write(o.force)?;
    if let Some((lib, content)) = lib_update {
        std::fs::write(&lib, content).map_err(CliError::io(&lib))?;
        written.push(Written::Replaced(lib));
    }
    std::fs::write(&config_path, new_text).map_err(CliError::io(&config_path))?;
    Ok(Added {
        config: config_path,
        saved,
        written,
        services: services
            .iter()
            .map(|s| stub::trait_path(&krate, s))
            .collect(),
        handler_crate: handler.map(|h| h.lib_krate),
        skipped,
    })
}

/// The handler crate `volo init` makes beside the generated one:
/// `<root>/<name>-gen/volo.yml` and `<root>/<name>/src/lib.rs`, which
/// defines `Handler`.
#[derive(Debug)]
struct HandlerCrate {
    /// The generated crate's name as a path segment (`calc_gen`).
    gen_krate: String,
    /// The handler crate's name as a path segment (`calc`).
    lib_krate: String,
    /// Its `src/` directory.
    src: PathBuf,
}

impl HandlerCrate {
    /// The handler crate of the generated crate in `gen_dir`, if the
    /// project has that layout.
    fn beside(gen_dir: &Path) -> Option<Self> {
        let gen_name = gen_dir.file_name()?.to_str()?;
        let name = gen_name.strip_suffix("-gen")?;
        init::check_name(name).ok()?;
        let src = gen_dir.parent()?.join(name).join("src");
        let lib = std::fs::read_to_string(src.join("lib.rs")).ok()?;
        lib.contains("struct Handler").then(|| HandlerCrate {
            gen_krate: gen_name.replace('-', "_"),
            lib_krate: name.replace('-', "_"),
            src,
        })
    }

    /// Adds a module file per service to `plan` (a file already there is
    /// skipped without `force`); returns `src/lib.rs` with the `mod` lines
    /// it lacks, if it lacks any.
    fn plan_stubs(
        &self,
        plan: &mut Plan,
        services: &[stub::Service],
        force: bool,
        skipped: &mut Vec<String>,
    ) -> Result<Option<(PathBuf, String)>, CliError> {
        let lib = self.src.join("lib.rs");
        let mut lib_text = std::fs::read_to_string(&lib).map_err(CliError::io(&lib))?;
        let declared = match syn::parse_file(&lib_text) {
            Ok(file) => Some(stub::declared_modules(&file)),
            Err(_) => None,
        };
        let mut added = false;
        for (service, module) in services.iter().zip(stub::module_names(services)) {
            let file = self.src.join(format!("{module}.rs"));
            if file.exists() && !force {
                skipped.push(format!(
                    "{} exists: the stub of `{}` was not written (pass --force to replace it)",
                    file.display(),
                    service.name
                ));
                continue;
            }
            let code = stub::handler_module(&self.gen_krate, service).map_err(|message| {
                CliError::Generated {
                    path: file.clone(),
                    message,
                }
            })?;
            plan.add(file, code);
            match &declared {
                Some(declared) if declared.contains(&module) => {}
                Some(_) => {
                    if !lib_text.is_empty() && !lib_text.ends_with('\n') {
                        lib_text.push('\n');
                    }
                    lib_text.push_str(&format!(
                        "\n/// `{}` for [`Handler`] (added by `volo idl add`).\nmod {module};\n",
                        service.name
                    ));
                    added = true;
                }
                None => skipped.push(format!(
                    "{} does not parse: add `mod {module};` to it yourself",
                    lib.display()
                )),
            }
        }
        Ok(added.then_some((lib, lib_text)))
    }
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
        let added = add(&options(&dir, root.join("proj/src"))).unwrap();
        let config = added.config.clone();
        assert_eq!(config, root.join("proj-gen/volo.yml"));
        assert_eq!(
            added.written,
            [
                Written::Created(root.join("proj-gen/idl/b.thrift")),
                Written::Created(root.join("proj/src/b.rs")),
                Written::Replaced(root.join("proj/src/lib.rs")),
            ]
        );
        assert_eq!(added.saved, yml::Saved::InPlace);
        assert_eq!(added.services, ["::proj_gen::b::B"]);
        assert_eq!(added.handler_crate.as_deref(), Some("proj"));
        assert!(added.skipped.is_empty(), "{:?}", added.skipped);
        let stub = std::fs::read_to_string(root.join("proj/src/b.rs")).unwrap();
        assert!(
            stub.contains("impl ::proj_gen::b::B for crate::Handler"),
            "{stub}"
        );
        assert!(stub.contains("async fn two("), "{stub}");
        let lib = std::fs::read_to_string(root.join("proj/src/lib.rs")).unwrap();
        assert!(lib.ends_with("mod b;\n"), "{lib}");
        assert!(lib.contains("impl ::proj_gen::a::A for Handler"), "{lib}");
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
    fn an_existing_stub_file_is_skipped_unless_forced() {
        let dir = TestDir::new("idl-stub-skip");
        let root = project(&dir);
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\nservice HTTPEcho { i32 two() }\nservice Lib { i32 three() }\n",
        )
        .unwrap();
        let mine = root.join("proj/src/http_echo.rs");
        std::fs::write(&mine, "// mine\n").unwrap();
        let added = add(&options(&dir, root.clone())).unwrap();
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "// mine\n");
        assert!(
            matches!(added.skipped.as_slice(), [m] if m.contains("http_echo.rs exists") && m.contains("--force")),
            "{:?}",
            added.skipped
        );
        // `lib` would be the crate root: the module gets a suffix.
        assert!(root.join("proj/src/lib_service.rs").is_file());
        let lib = std::fs::read_to_string(root.join("proj/src/lib.rs")).unwrap();
        assert!(
            lib.contains("mod lib_service;") && !lib.contains("mod http_echo;"),
            "{lib}"
        );

        // With --force (after removing the IDL entry by hand, as adding
        // the same IDL twice is refused), the stub is replaced and declared once.
        let yml_path = root.join("proj-gen/volo.yml");
        let text = std::fs::read_to_string(&yml_path).unwrap();
        let cut = text
            .find("      - idl:\n          source: local\n          path: \"idl/b.thrift\"")
            .unwrap();
        std::fs::write(&yml_path, &text[..cut]).unwrap();
        let mut o = options(&dir, root.clone());
        o.force = true;
        let added = add(&o).unwrap();
        assert!(added.skipped.is_empty(), "{:?}", added.skipped);
        let replaced = std::fs::read_to_string(&mine).unwrap();
        assert!(replaced.contains("for crate::Handler {"), "{replaced}");
        let lib = std::fs::read_to_string(root.join("proj/src/lib.rs")).unwrap();
        assert_eq!(lib.matches("mod lib_service;").count(), 1, "{lib}");
        assert_eq!(lib.matches("mod http_echo;").count(), 1, "{lib}");
    }

    #[test]
    fn without_a_handler_crate_only_the_config_changes() {
        let dir = TestDir::new("idl-no-handler");
        let gen_dir = dir.join("gen");
        std::fs::create_dir_all(&gen_dir).unwrap();
        std::fs::write(
            gen_dir.join("volo.yml"),
            yml::new_config(Path::new("idl/a.thrift"), &[PathBuf::from("idl")]).unwrap(),
        )
        .unwrap();
        std::fs::create_dir_all(gen_dir.join("idl")).unwrap();
        std::fs::write(gen_dir.join("idl/a.thrift"), "service A { i32 one() }\n").unwrap();
        std::fs::write(dir.join("b.thrift"), "service B { i32 two() }\n").unwrap();
        let added = add(&options(&dir, gen_dir.clone())).unwrap();
        assert_eq!(added.handler_crate, None);
        assert!(
            matches!(added.skipped.as_slice(), [m] if m.contains("no handler crate")),
            "{:?}",
            added.skipped
        );
        assert_eq!(
            added.written,
            [Written::Created(gen_dir.join("idl/b.thrift"))]
        );
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
