//! `volo idl add`: adds an IDL to a project's `volo.yml`, copies it (with
//! what it includes) into the project's `idl/` directory, and gives the
//! handler crate's `Handler` a stub impl of each new service, one module
//! file per service (`src/<service>.rs` plus a `mod` line in `src/lib.rs`).
//!
//! The new services are those the entry generates with the IDL and did
//! not without it, named as the build names them (a module path can depend
//! on the entry's other files): a service of a file the entry already read
//! is not stubbed again.
//!
//! The user's files are never rewritten: a stub module file that exists is
//! skipped without `--force`, a module name the crate already uses for
//! something else (an inline `mod`, a `mod.rs`) is always skipped, and
//! `src/lib.rs` only gets lines appended. The server binary is left alone
//! (it serves the first service).

use std::path::{Path, PathBuf};

use volo_build::config::{Protocol, VoloConfig};

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
    /// Services the entry generated before under another path (as
    /// [`Added::services`]): the new IDL's module took the place of a
    /// module of the same namespace, which was renamed.
    pub(crate) moved: Vec<String>,
}

/// Adds the IDL to `volo.yml`, copies it into `idl/`, and gives the
/// handler crate's `Handler` a stub impl of each new service.
pub(crate) fn add(o: &IdlAdd) -> Result<Added, CliError> {
    let config_path = yml::find_config(&o.cwd)?;
    let base = config_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (text, mut config) = yml::load(&config_path)?;
    let entry_name = yml::pick_entry(&config, o.entry.as_deref())?;
    let handler = HandlerCrate::beside(&base);
    let krate = handler
        .as_ref()
        .map_or_else(|| "idl".to_owned(), |h| h.gen_krate.clone());
    // Generating the IDL alone checks it and lists what it includes.
    let (_, inputs) = init::idl_services(&o.idl, &o.includes, &krate)?;
    let layout = files::idl_layout(&o.idl, &inputs, &o.includes)?;
    let root_in_idl = Path::new("idl").join(&layout[0].1);
    let before = entry_services(&config_path, &config, &entry_name, &krate);
    let Some(entry) = config.entries.get_mut(&entry_name) else {
        return Err(CliError::Unsupported(format!("no entry {entry_name:?}")));
    };
    if entry.protocol != Protocol::Thrift {
        return Err(CliError::Unsupported(format!(
            "entry {entry_name:?} of {} is not a thrift entry: pick one with --entry",
            config_path.display()
        )));
    }
    if entry.services.iter().any(|s| s.idl.path == root_in_idl) {
        return Err(CliError::Listed {
            idl: root_in_idl,
            entry: entry_name,
            config: config_path,
        });
    }
    let includes = [PathBuf::from("idl")];
    entry.services.push(yml::service(&root_in_idl, &includes)?);
    let edited = yml::edit::add_service(&text, &entry_name, |indent| {
        yml::local_service(&root_in_idl, &includes, indent).ok()
    });
    let (new_text, saved) = yml::updated_text(edited, &config)?;

    let mut idl_plan = Plan::default();
    files::copy_idls(&mut idl_plan, &base.join("idl"), &layout)?;
    let mut written = idl_plan.write(o.force)?;
    // The services the entry gains, as the build will name them: the new
    // IDL's module path depends on the entry's other files, and services
    // of files the entry already had are implemented already.
    let mut skipped = Vec::new();
    let (services, moved) = match before {
        Ok(before) => match entry_services(&config_path, &config, &entry_name, &krate) {
            Ok(after) => {
                let same =
                    |a: &stub::Service, b: &stub::Service| a.module == b.module && a.name == b.name;
                let moved = before
                    .iter()
                    .filter(|b| !after.iter().any(|a| same(a, b)))
                    .map(|b| stub::trait_path(&krate, b))
                    .collect();
                let new = after
                    .into_iter()
                    .filter(|a| !before.iter().any(|b| same(a, b)))
                    .collect();
                (new, moved)
            }
            Err(e) => {
                remove_created(&written);
                return Err(e);
            }
        },
        Err(e) => {
            skipped.push(format!(
                "entry {entry_name:?} did not generate before this IDL was added, so its new services are unknown: no stub written ({e})"
            ));
            (Vec::new(), Vec::new())
        }
    };
    let mut plan = Plan::default();
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
    written.extend(plan.write(o.force)?);
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
        moved,
    })
}

/// The handler traits that entry `entry` of `config` (the contents of
/// `file`) generates, with types qualified from the crate `krate`.
fn entry_services(
    file: &Path,
    config: &VoloConfig,
    entry: &str,
    krate: &str,
) -> Result<Vec<stub::Service>, CliError> {
    let code = volo_build::ConfigBuilder::with_file(file).entry_code(config, entry)?;
    stub::services(&code, krate).map_err(|message| CliError::Generated {
        path: file.to_path_buf(),
        message,
    })
}

/// Removes the files a failed command created (best effort: it is already
/// reporting an error).
fn remove_created(written: &[Written]) {
    for w in written {
        if let Written::Created(path) = w {
            let _ = std::fs::remove_file(path);
        }
    }
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

    /// Whether `src/<module>.rs` is the stub of a service other than the
    /// trait `path` (one of the same name in another module, added before).
    fn stubs_another_service(&self, module: &str, path: &str) -> bool {
        std::fs::read_to_string(self.src.join(format!("{module}.rs"))).is_ok_and(|text| {
            text.contains(" for crate::Handler")
                && !text.contains(&format!("impl {path} for crate::Handler"))
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
        for (service, mut module) in services.iter().zip(stub::module_names(services)) {
            if self.stubs_another_service(&module, &stub::trait_path(&self.gen_krate, service)) {
                module = stub::qualified_module_name(service);
            }
            let file = self.src.join(format!("{module}.rs"));
            let elsewhere = !file.exists()
                && (self.src.join(&module).join("mod.rs").exists()
                    || declared.as_ref().is_some_and(|d| d.contains(&module)));
            if elsewhere {
                skipped.push(format!(
                    "{} already has a module `{module}` (not in {}): the stub of `{}` was not written",
                    self.src.display(),
                    file.display(),
                    service.name
                ));
                continue;
            }
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

        // Adding it again is refused, forced or not.
        let mut o = options(&dir, root.clone());
        o.force = true;
        let again = add(&o).unwrap_err();
        assert!(matches!(again, CliError::Listed { .. }), "{again}");
        assert!(
            again
                .to_string()
                .contains("idl/b.thrift is already in entry"),
            "{again}"
        );
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
        std::fs::write(
            dir.join("other/c.thrift"),
            "include \"a.thrift\"\nservice C { i32 c() }\n",
        )
        .unwrap();
        let before = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        let mut o = options(&dir, root.clone());
        o.idl = dir.join("other/a.thrift");
        assert!(matches!(add(&o), Err(CliError::Listed { .. })));
        // An included file that would replace the project's `a.thrift`.
        o.idl = dir.join("other/c.thrift");
        let err = add(&o).unwrap_err();
        assert!(
            matches!(&err, CliError::Exists(p) if p.ends_with("idl/a.thrift")),
            "{err}"
        );
        assert!(!root.join("proj-gen/idl/c.thrift").exists());
        let after = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn services_the_entry_has_are_not_stubbed_again() {
        let dir = TestDir::new("idl-included-service");
        let root = project(&dir);
        // `b` includes the project's `a`: only `B` is new.
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\ninclude \"a.thrift\"\nservice B { i32 two() }\n",
        )
        .unwrap();
        let added = add(&options(&dir, root.clone())).unwrap();
        assert_eq!(added.services, ["::proj_gen::b::B"]);
        assert!(added.moved.is_empty(), "{:?}", added.moved);
        assert!(!root.join("proj/src/a.rs").exists());
        let lib = std::fs::read_to_string(root.join("proj/src/lib.rs")).unwrap();
        assert!(lib.contains("mod b;") && !lib.contains("mod a;"), "{lib}");
    }

    #[test]
    fn stubs_name_services_as_the_whole_entry_generates_them() {
        let dir = TestDir::new("idl-shared-namespace");
        let root = project(&dir);
        // The same namespace as `a`: as the second file of the entry with
        // it, `b` gets the module `a::b`, not `a`.
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs a\nservice B { i32 two() }\n",
        )
        .unwrap();
        let added = add(&options(&dir, root.clone())).unwrap();
        assert_eq!(added.services, ["::proj_gen::a::b::B"]);
        let stub = std::fs::read_to_string(root.join("proj/src/b.rs")).unwrap();
        assert!(
            stub.contains("impl ::proj_gen::a::b::B for crate::Handler"),
            "{stub}"
        );
    }

    #[test]
    fn a_service_named_like_an_earlier_one_gets_a_module_of_its_own() {
        let dir = TestDir::new("idl-same-service-name");
        let root = project(&dir);
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\nservice Api { i32 two() }\n",
        )
        .unwrap();
        add(&options(&dir, root.clone())).unwrap();
        std::fs::create_dir_all(dir.join("c")).unwrap();
        std::fs::write(
            dir.join("c/c.thrift"),
            "namespace rs c\nservice Api { i32 three() }\n",
        )
        .unwrap();
        let mut o = options(&dir, root.clone());
        o.idl = dir.join("c/c.thrift");
        let added = add(&o).unwrap();
        assert!(added.skipped.is_empty(), "{:?}", added.skipped);
        let first = std::fs::read_to_string(root.join("proj/src/api.rs")).unwrap();
        assert!(first.contains("impl ::proj_gen::b::Api for"), "{first}");
        let second = std::fs::read_to_string(root.join("proj/src/c_api.rs")).unwrap();
        assert!(second.contains("impl ::proj_gen::c::Api for"), "{second}");
        let lib = std::fs::read_to_string(root.join("proj/src/lib.rs")).unwrap();
        assert!(
            lib.contains("mod api;") && lib.contains("mod c_api;"),
            "{lib}"
        );
    }

    #[test]
    fn a_module_the_handler_crate_has_is_not_reused() {
        let dir = TestDir::new("idl-module-clash");
        let root = project(&dir);
        let lib_path = root.join("proj/src/lib.rs");
        let mut lib = std::fs::read_to_string(&lib_path).unwrap();
        lib.push_str("\nmod b {}\n");
        std::fs::write(&lib_path, &lib).unwrap();
        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\nservice B { i32 two() }\n",
        )
        .unwrap();
        let added = add(&options(&dir, root.clone())).unwrap();
        assert!(
            matches!(added.skipped.as_slice(), [m] if m.contains("already has a module `b`")),
            "{:?}",
            added.skipped
        );
        assert!(!root.join("proj/src/b.rs").exists());
        assert_eq!(std::fs::read_to_string(&lib_path).unwrap(), lib);
    }

    #[test]
    fn a_protobuf_entry_is_refused() {
        let dir = TestDir::new("idl-protobuf-entry");
        let root = project(&dir);
        let yml_path = root.join("proj-gen/volo.yml");
        let text = std::fs::read_to_string(&yml_path).unwrap();
        let text = text.replace("protocol: thrift", "protocol: protobuf");
        std::fs::write(&yml_path, &text).unwrap();
        std::fs::write(dir.join("b.thrift"), "service B { i32 two() }\n").unwrap();
        let err = add(&options(&dir, root.clone())).unwrap_err();
        assert!(err.to_string().contains("is not a thrift entry"), "{err}");
        assert_eq!(std::fs::read_to_string(&yml_path).unwrap(), text);
        assert!(!root.join("proj-gen/idl/b.thrift").exists());
    }

    #[test]
    fn outside_a_project_is_an_error() {
        let dir = TestDir::new("idl-none");
        std::fs::write(dir.join("b.thrift"), "service B {}").unwrap();
        let err = add(&options(&dir, dir.join(""))).unwrap_err();
        assert!(matches!(err, CliError::NoConfig(_)), "{err}");
    }
}
