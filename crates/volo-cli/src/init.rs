//! `volo init`: scaffolds a cargo workspace serving an IDL.
//!
//! ```text
//! <name>/
//!   Cargo.toml            the workspace
//!   <name>-gen/           generated code: build.rs reads volo.yml
//!     volo.yml, idl/, build.rs, src/lib.rs
//!   <name>/               the handler (src/lib.rs), src/bin/server.rs, src/bin/client.rs
//! ```
//!
//! With `--git URL`, the IDL is a path inside that repository: it is fetched
//! and locked like `volo repo add` does, into `<name>-gen/.volo/git/`, and
//! `volo.yml` names it as a git IDL instead of copying it into `idl/`.

use std::path::{Component, Path, PathBuf};

use crate::{
    error::CliError,
    files::{self, Plan, Written},
    repo, stub,
    yml::{self, LockedRepo},
};

/// The version of the framework crates a project depends on without a
/// checkout (they are not on crates.io yet).
const FRAMEWORK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `volo init` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct Init {
    /// The project (and handler crate) name.
    pub(crate) name: String,
    /// The root IDL.
    pub(crate) idl: PathBuf,
    /// Include directories of the IDL.
    pub(crate) includes: Vec<PathBuf>,
    /// A checkout of the framework: path dependencies instead of versions.
    pub(crate) volo_path: Option<PathBuf>,
    /// Where the project goes.
    pub(crate) dir: PathBuf,
    /// Overwrite existing files.
    pub(crate) force: bool,
    /// The repository the IDL comes from: `idl` and `includes` are then
    /// paths inside it.
    pub(crate) git: Option<GitIdl>,
}

/// Where `volo init --git` takes the IDL from.
#[derive(Debug, Clone)]
pub(crate) struct GitIdl {
    /// The repository's URL (anything `git clone` takes); its last segment
    /// names it in `volo.yml`.
    pub(crate) url: String,
    /// The branch, tag or commit (default `HEAD`).
    pub(crate) git_ref: Option<String>,
}

/// Checks that `name` can be a cargo package name (and a crate name).
pub(crate) fn check_name(name: &str) -> Result<(), CliError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else {
        Err(CliError::BadName(name.to_owned()))
    }
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A dependency line on framework crate `name`.
fn framework_dep(name: &str, volo_path: Option<&Path>) -> Result<String, CliError> {
    match volo_path {
        Some(root) => {
            let path = root.join("crates").join(name);
            let text = path
                .to_str()
                .ok_or_else(|| CliError::Unsupported(format!("{} is not UTF-8", path.display())))?;
            Ok(format!("{name} = {{ path = {} }}", toml_str(text)))
        }
        None => Ok(format!("{name} = {}", toml_str(FRAMEWORK_VERSION))),
    }
}

/// Generates the IDL's code in memory and reads its handler traits back.
pub(crate) fn idl_services(
    idl: &Path,
    includes: &[PathBuf],
    krate: &str,
) -> Result<(Vec<stub::Service>, Vec<PathBuf>), CliError> {
    let builder = includes.iter().fold(
        volo_build::thrift::Builder::new().unknown_fields(false),
        |b, dir| b.include_dir(dir.clone()),
    );
    let generated = builder
        .generate(idl)
        .map_err(|d| CliError::Idl(d.to_string()))?;
    let services =
        stub::services(&generated.code, krate).map_err(|message| CliError::Generated {
            path: idl.to_path_buf(),
            message,
        })?;
    Ok((services, generated.inputs))
}

/// Scaffolds the project; returns what it did to each file.
pub(crate) fn init(o: &Init) -> Result<Vec<Written>, CliError> {
    check_name(&o.name)?;
    if !o.force && !is_empty_or_missing(&o.dir)? {
        return Err(CliError::Exists(o.dir.clone()));
    }
    let volo_path = match &o.volo_path {
        Some(p) => {
            let root = p.canonicalize().map_err(CliError::io(p))?;
            if !root.join("crates/volo-thrift/Cargo.toml").is_file() {
                return Err(CliError::NotACheckout(root));
            }
            Some(root)
        }
        None => None,
    };
    let volo_path = volo_path.as_deref();
    let Some(git) = &o.git else {
        return scaffold(o, volo_path, None);
    };
    for path in std::iter::once(&o.idl).chain(&o.includes) {
        check_in_repo(path)?;
    }
    let name = repo::name_from_url(&git.url)?;
    let git_ref = git.git_ref.as_deref().unwrap_or("HEAD");
    repo::check_ref(git_ref)?;
    let gen_dir = o.dir.join(format!("{}-gen", o.name));
    let cache = repo::cache_dir(&gen_dir.join("volo.yml"));
    let fresh = !cache.exists();
    let result = repo::fetch(&cache, &name, &git.url, git_ref).and_then(|lock| {
        let locked = LockedRepo {
            name: &name,
            url: &git.url,
            git_ref,
            lock: &lock,
        };
        scaffold(
            o,
            volo_path,
            Some((&locked, &cache.join(&name).join(&lock))),
        )
    });
    if result.is_err() && fresh {
        // Leave nothing behind: the checkout, then the folders made for it
        // (`remove_dir` only removes empty ones).
        let _ = std::fs::remove_dir_all(gen_dir.join(".volo"));
        let _ = std::fs::remove_dir(&gen_dir);
        let _ = std::fs::remove_dir(&o.dir);
    }
    result
}

/// Refuses a path that would leave the repository checkout.
fn check_in_repo(path: &Path) -> Result<(), CliError> {
    let inside = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside && path.components().next().is_some() {
        Ok(())
    } else {
        Err(CliError::BadRepo {
            what: "path in the repository",
            value: path.display().to_string(),
            why: "it must be relative and stay inside it (no `..`)",
        })
    }
}

/// Writes the project; `git` is the locked repository of the IDL and its
/// checkout, else the IDL is a local file copied into `idl/`.
fn scaffold(
    o: &Init,
    volo_path: Option<&Path>,
    git: Option<(&LockedRepo<'_>, &Path)>,
) -> Result<Vec<Written>, CliError> {
    let gen_name = format!("{}-gen", o.name);
    let gen_krate = gen_name.replace('-', "_");
    let (idl, includes) = match git {
        Some((_, checkout)) => (
            checkout.join(&o.idl),
            o.includes.iter().map(|i| checkout.join(i)).collect(),
        ),
        None => (o.idl.clone(), o.includes.clone()),
    };
    let (services, inputs) = idl_services(&idl, &includes, &gen_krate)?;
    let module = root_module(&idl, &includes)?;
    let Some(main) = root_service(&services, &module) else {
        return Err(CliError::NoService(o.idl.clone()));
    };
    let generated = |r: Result<String, String>| {
        r.map_err(|message| CliError::Generated {
            path: o.idl.clone(),
            message,
        })
    };

    let gen_dir = o.dir.join(&gen_name);
    let app_dir = o.dir.join(&o.name);
    let mut plan = Plan::default();

    plan.add(
        o.dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}, {}]\n",
            toml_str(&gen_name),
            toml_str(&o.name)
        ),
    );
    plan.add(o.dir.join(".gitignore"), "/target\n");
    if let Some(lock) = volo_path
        .map(|p| p.join("Cargo.lock"))
        .filter(|p| p.is_file())
    {
        // Start from the versions the framework is tested with.
        plan.add(
            o.dir.join("Cargo.lock"),
            std::fs::read(&lock).map_err(CliError::io(&lock))?,
        );
    }

    plan.add(
        gen_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{}\n{}\n\n[build-dependencies]\n{}\n",
            toml_str(&gen_name),
            framework_dep("pilota", volo_path)?,
            framework_dep("volo-thrift", volo_path)?,
            framework_dep("volo-build", volo_path)?,
        ),
    );
    plan.add(
        gen_dir.join("build.rs"),
        "//! Generates the code of every IDL in `volo.yml` into `OUT_DIR`.\n\n\
         fn main() {\n    volo_build::ConfigBuilder::default().write_or_exit();\n}\n",
    );
    plan.add(
        gen_dir.join("src/lib.rs"),
        format!(
            "//! The code generated from the IDLs in `volo.yml`, rebuilt when one changes.\n\n\
             include!(concat!(env!(\"OUT_DIR\"), \"/{}\"));\n",
            yml::GENERATED_FILE
        ),
    );
    match git {
        Some((locked, _)) => {
            plan.add(
                gen_dir.join("volo.yml"),
                yml::new_git_config(locked, &o.idl, &o.includes)?,
            );
        }
        None => {
            let layout = files::idl_layout(&o.idl, &inputs, &o.includes)?;
            let root_in_idl = Path::new("idl").join(&layout[0].1);
            plan.add(
                gen_dir.join("volo.yml"),
                yml::new_config(&root_in_idl, &[PathBuf::from("idl")])?,
            );
            files::copy_idls(&mut plan, &gen_dir.join("idl"), &layout)?;
        }
    }

    plan.add(
        app_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{} = {{ path = {} }}\n{}\n{}\n\
             tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }}\n",
            toml_str(&o.name),
            gen_name,
            toml_str(&format!("../{gen_name}")),
            framework_dep("pilota", volo_path)?,
            framework_dep("volo-thrift", volo_path)?,
        ),
    );
    plan.add(
        app_dir.join("src/lib.rs"),
        generated(stub::handler_lib(&o.name, &gen_krate, &services))?,
    );
    plan.add(
        app_dir.join("src/bin/server.rs"),
        generated(stub::server_main(&o.name, &gen_krate, main))?,
    );
    plan.add(
        app_dir.join("src/bin/client.rs"),
        generated(stub::client_main(&gen_krate, main))?,
    );
    plan.write(o.force)
}

/// The service `server` and `client` use: the first one of the root IDL's
/// own module, else the first one generated.
fn root_service<'a>(services: &'a [stub::Service], module: &[String]) -> Option<&'a stub::Service> {
    services
        .iter()
        .find(|s| s.module == module)
        .or_else(|| services.first())
}

/// The module of the root IDL, as pilota-build names it: its `rs` (or `*`)
/// namespace, else its file stem.
fn root_module(idl: &Path, includes: &[PathBuf]) -> Result<Vec<String>, CliError> {
    let parsed = pilota_build::thrift::parse_files(idl, includes)
        .map_err(|d| CliError::Idl(d.to_string()))?;
    let root = parsed.file(parsed.root());
    let mut module: Vec<String> = root
        .document()
        .namespace("rs")
        .map(|ns| {
            ns.name
                .name
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if module.is_empty() {
        module.extend(idl.file_stem().map(|s| s.to_string_lossy().into_owned()));
    }
    Ok(module)
}

fn is_empty_or_missing(dir: &Path) -> Result<bool, CliError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(false),
        Err(e) => Err(CliError::io(dir)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    const ECHO: &str = "namespace rs echo\nstruct Msg { 1: required string text }\n\
                        service Echo { Msg echo(1: Msg msg, 2: string type) }\n";

    fn options(dir: &TestDir, idl: &str) -> Init {
        std::fs::write(dir.join("echo.thrift"), idl).unwrap();
        Init {
            name: "my-echo".into(),
            idl: dir.join("echo.thrift"),
            includes: Vec::new(),
            volo_path: None,
            dir: dir.join("out/my-echo"),
            force: false,
            git: None,
        }
    }

    fn read(path: PathBuf) -> String {
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn scaffolds_both_crates() {
        let dir = TestDir::new("init-files");
        let o = options(&dir, ECHO);
        let written = init(&o).unwrap();
        assert!(written.iter().all(|w| matches!(w, Written::Created(_))));
        let root = dir.join("out/my-echo");
        assert!(read(root.join("Cargo.toml")).contains("members = [\"my-echo-gen\", \"my-echo\"]"));
        assert_eq!(read(root.join("my-echo-gen/idl/echo.thrift")), ECHO);
        let yml = read(root.join("my-echo-gen/volo.yml"));
        let config = VoloConfigCheck::load(&root.join("my-echo-gen/volo.yml"));
        assert_eq!(config, ["idl/echo.thrift"], "{yml}");
        assert!(read(root.join("my-echo-gen/build.rs")).contains("ConfigBuilder::default()"));
        let gen_toml = read(root.join("my-echo-gen/Cargo.toml"));
        assert!(gen_toml.contains(&format!("volo-build = \"{FRAMEWORK_VERSION}\"")));
        let lib = read(root.join("my-echo/src/lib.rs"));
        assert!(
            lib.contains("impl ::my_echo_gen::echo::Echo for Handler"),
            "{lib}"
        );
        // A keyword argument (`r#type`) gets a plain `_type` name.
        assert!(lib.contains("_type: ::pilota::FastStr"), "{lib}");
        assert!(lib.contains("::my_echo_gen::echo::Msg"), "{lib}");
        let server = read(root.join("my-echo/src/bin/server.rs"));
        assert!(server.contains("::my_echo_gen::echo::EchoServer::new(my_echo::Handler)"));
        let client = read(root.join("my-echo/src/bin/client.rs"));
        assert!(client.contains(".echo("), "{client}");
    }

    /// Reads the IDL paths of the default entry back through volo-build.
    struct VoloConfigCheck;

    impl VoloConfigCheck {
        fn load(path: &Path) -> Vec<String> {
            let config = volo_build::config::VoloConfig::load(path).unwrap();
            config.entries[yml::DEFAULT_ENTRY]
                .services
                .iter()
                .map(|s| s.idl.path.to_string_lossy().into_owned())
                .collect()
        }
    }

    #[test]
    fn refuses_an_existing_directory_unless_forced() {
        let dir = TestDir::new("init-clobber");
        let mut o = options(&dir, ECHO);
        std::fs::create_dir_all(&o.dir).unwrap();
        std::fs::write(o.dir.join("Cargo.toml"), "mine").unwrap();
        assert!(matches!(init(&o), Err(CliError::Exists(p)) if p == o.dir));
        assert_eq!(read(o.dir.join("Cargo.toml")), "mine");
        o.force = true;
        let written = init(&o).unwrap();
        assert!(written.contains(&Written::Replaced(o.dir.join("Cargo.toml"))));
        // Running again forced changes nothing.
        let again = init(&o).unwrap();
        assert!(again.iter().all(|w| matches!(w, Written::Unchanged(_))));
    }

    #[test]
    fn path_dependencies_with_a_checkout() {
        let dir = TestDir::new("init-path");
        let mut o = options(&dir, ECHO);
        std::fs::create_dir_all(dir.join("volo/crates/volo-thrift")).unwrap();
        std::fs::write(dir.join("volo/crates/volo-thrift/Cargo.toml"), "").unwrap();
        std::fs::write(dir.join("volo/Cargo.lock"), "# lock\n").unwrap();
        o.volo_path = Some(dir.join("volo"));
        init(&o).unwrap();
        let checkout = dir.join("volo").canonicalize().unwrap();
        let toml = read(o.dir.join("my-echo/Cargo.toml"));
        let expected = format!(
            "volo-thrift = {{ path = {} }}",
            toml_str(checkout.join("crates/volo-thrift").to_str().unwrap())
        );
        assert!(toml.contains(&expected), "{toml}");
        assert_eq!(read(o.dir.join("Cargo.lock")), "# lock\n");
    }

    #[test]
    fn serves_the_root_idls_service_not_an_included_one() {
        let dir = TestDir::new("init-root");
        std::fs::write(dir.join("base.thrift"), "service Base { i32 base() }\n").unwrap();
        let mut o = options(
            &dir,
            "include \"base.thrift\"\nnamespace rs app.api\nservice Api extends base.Base { i32 api() }\n",
        );
        o.name = "app".into();
        init(&o).unwrap();
        let server = read(o.dir.join("app/src/bin/server.rs"));
        assert!(
            server.contains("::app_gen::app::api::ApiServer::new"),
            "{server}"
        );
        assert_eq!(
            read(o.dir.join("app-gen/idl/base.thrift")),
            "service Base { i32 base() }\n"
        );
        let lib = read(o.dir.join("app/src/lib.rs"));
        assert!(
            lib.contains("impl ::app_gen::base::Base for Handler"),
            "{lib}"
        );
    }

    #[test]
    fn typed_errors() {
        let dir = TestDir::new("init-errors");
        let mut o = options(&dir, "struct A { 1: Missing m }");
        assert!(matches!(init(&o), Err(CliError::Idl(m)) if m.contains("echo.thrift:1:")));
        let o2 = options(&dir, "struct A { 1: i32 a }");
        assert!(matches!(init(&o2), Err(CliError::NoService(_))));
        o.volo_path = Some(dir.join(""));
        assert!(matches!(init(&o), Err(CliError::NotACheckout(_))));
        o.name = "9lives".into();
        assert!(matches!(init(&o), Err(CliError::BadName(_))));
        for bad in ["", "a b", "a/b", "-a"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(!dir.join("out").exists(), "no error writes anything");
    }
}
