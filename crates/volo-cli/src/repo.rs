//! `volo repo add` and `volo repo update` (and `volo init --git`): git
//! repositories of IDL files.
//!
//! A build script never touches the network, so this tool does: it checks
//! the repository out at its `ref`, writes the commit into `volo.yml` as the
//! repo's `lock`, and leaves the files (without `.git`) where volo-build reads
//! them: `.volo/git/<repo>/<lock>/` next to `volo.yml`.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use volo_build::config::{Repo, VoloConfig};

use crate::{error::CliError, yml};

/// What `volo repo add` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct RepoAdd {
    /// The repository's name in `volo.yml`.
    pub(crate) name: String,
    /// Its URL (anything `git clone` takes).
    pub(crate) url: String,
    /// The branch, tag or commit (default `HEAD`).
    pub(crate) git_ref: Option<String>,
    /// The entry to add it to (needed only when there are several).
    pub(crate) entry: Option<String>,
    /// Where to look for `volo.yml`.
    pub(crate) cwd: PathBuf,
}

/// Checks that `name` can name a repository in `volo.yml` and its cache
/// directory.
pub(crate) fn check_name(name: &str) -> Result<(), CliError> {
    let bad = |why| CliError::BadRepo {
        what: "repo name",
        value: name.to_owned(),
        why,
    };
    if name.is_empty() || name.starts_with('.') {
        return Err(bad("it must not be empty or start with `.`"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(bad("use letters, digits, `-`, `_` and `.`"));
    }
    Ok(())
}

/// Checks that `git_ref` is safe to pass to git.
pub(crate) fn check_ref(git_ref: &str) -> Result<(), CliError> {
    if git_ref.is_empty() || git_ref.starts_with('-') || git_ref.chars().any(char::is_whitespace) {
        return Err(CliError::BadRepo {
            what: "git ref",
            value: git_ref.to_owned(),
            why: "it must be a branch, tag or commit",
        });
    }
    Ok(())
}

/// Runs git; its stdout, trimmed.
fn git(dir: Option<&Path>, args: &[&str]) -> Result<String, CliError> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    let output = command.args(args).output().map_err(CliError::io("git"))?;
    if !output.status.success() {
        return Err(CliError::Git {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Checks `url` out at `git_ref` into `<cache>/<name>/<commit>/` (kept if
/// already there) and returns the commit.
pub(crate) fn fetch(
    cache: &Path,
    name: &str,
    url: &str,
    git_ref: &str,
) -> Result<String, CliError> {
    check_name(name)?;
    check_ref(git_ref)?;
    let repo_dir = cache.join(name);
    std::fs::create_dir_all(&repo_dir).map_err(CliError::io(&repo_dir))?;
    let work = repo_dir.join(format!(".fetch-{}", std::process::id()));
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(CliError::io(&work))?;
    }
    let result = checkout(&work, &repo_dir, url, git_ref);
    if work.exists() {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}

fn checkout(work: &Path, repo_dir: &Path, url: &str, git_ref: &str) -> Result<String, CliError> {
    let work_text = work.to_string_lossy();
    git(
        None,
        &["clone", "--quiet", "--no-checkout", "--", url, &work_text],
    )?;
    let commit = [git_ref.to_owned(), format!("origin/{git_ref}")]
        .iter()
        .find_map(|r| {
            git(
                Some(work),
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{r}^{{commit}}"),
                ],
            )
            .ok()
        })
        .ok_or_else(|| CliError::Git {
            command: format!("rev-parse {git_ref}"),
            stderr: format!("no branch, tag or commit {git_ref:?} in {url}"),
        })?;
    let target = repo_dir.join(&commit);
    if target.is_dir() {
        return Ok(commit);
    }
    git(Some(work), &["checkout", "--quiet", "--detach", &commit])?;
    let dot_git = work.join(".git");
    std::fs::remove_dir_all(&dot_git).map_err(CliError::io(&dot_git))?;
    std::fs::rename(work, &target).map_err(CliError::io(&target))?;
    Ok(commit)
}

/// The name a repository gets from its URL: the last path segment without
/// `.git` (`https://host/org/idl.git` → `idl`).
pub(crate) fn name_from_url(url: &str) -> Result<String, CliError> {
    let last = url
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\', ':'])
        .next()
        .unwrap_or_default();
    let name = last.strip_suffix(".git").unwrap_or(last);
    check_name(name)?;
    Ok(name.to_owned())
}

/// A repo value, built through the parser (the model cannot be constructed
/// directly).
fn new_repo(name: &str, url: &str, git_ref: &str) -> Result<Repo, CliError> {
    let text = format!(
        "entries:\n  x:\n    protocol: thrift\n    filename: x.rs\n    repos:\n      {}:\n        url: {}\n        ref: {}\n    services:\n      - idl: {{ source: git, repo: {}, path: x }}\n",
        yml::quoted(name),
        yml::quoted(url),
        yml::quoted(git_ref),
        yml::quoted(name),
    );
    let mut config = VoloConfig::from_yaml(&text, "volo.yml")?;
    config
        .entries
        .remove("x")
        .and_then(|mut e| e.repos.remove(name))
        .ok_or_else(|| CliError::Unsupported("internal: the repo did not parse back".into()))
}

/// The checkout cache volo-build reads: `.volo/git` beside `volo.yml`.
pub(crate) fn cache_dir(config_path: &Path) -> PathBuf {
    config_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(".volo/git")
}

/// Adds the repository, fetched and locked; returns `volo.yml`, how it was
/// saved, and the lock.
pub(crate) fn add(o: &RepoAdd) -> Result<(PathBuf, yml::Saved, String), CliError> {
    check_name(&o.name)?;
    let git_ref = o.git_ref.as_deref().unwrap_or("HEAD");
    check_ref(git_ref)?;
    let config_path = yml::find_config(&o.cwd)?;
    let (text, mut config) = yml::load(&config_path)?;
    let entry_name = yml::pick_entry(&config, o.entry.as_deref())?;
    let Some(entry) = config.entries.get_mut(&entry_name) else {
        return Err(CliError::Unsupported(format!("no entry {entry_name:?}")));
    };
    if entry.repos.contains_key(&o.name) {
        return Err(CliError::BadRepo {
            what: "repo name",
            value: o.name.clone(),
            why: "the entry already has it (use `volo repo update`)",
        });
    }
    let mut repo = new_repo(&o.name, &o.url, git_ref)?;
    let lock = fetch(&cache_dir(&config_path), &o.name, &o.url, git_ref)?;
    repo.lock = Some(lock.clone());
    entry.repos.insert(o.name.clone(), repo);
    let edited = yml::edit::add_repo(&text, &entry_name, &o.name, &o.url, git_ref, &lock);
    let (text, saved) = yml::updated_text(edited, &config)?;
    std::fs::write(&config_path, text).map_err(CliError::io(&config_path))?;
    Ok((config_path, saved, lock))
}

/// What `volo repo update` did.
#[derive(Debug)]
pub(crate) struct Updated {
    /// `volo.yml`.
    pub(crate) config: PathBuf,
    /// How it was saved.
    pub(crate) saved: yml::Saved,
    /// `(repo, lock)` per repository fetched.
    pub(crate) locks: Vec<(String, String)>,
}

/// Fetches every repository (or only `only`) at its ref again and updates
/// its lock.
pub(crate) fn update(cwd: &Path, only: Option<&str>) -> Result<Updated, CliError> {
    let config_path = yml::find_config(cwd)?;
    let (text, mut config) = yml::load(&config_path)?;
    let cache = cache_dir(&config_path);
    let mut locks = Vec::new();
    let mut edited = Some(text);
    for (entry_name, entry) in &mut config.entries {
        for (name, repo) in &mut entry.repos {
            if only.is_some_and(|o| o != name) {
                continue;
            }
            let lock = fetch(&cache, name, &repo.url, &repo.git_ref)?;
            repo.lock = Some(lock.clone());
            edited = edited.and_then(|t| yml::edit::set_lock(&t, entry_name, name, &lock));
            locks.push((name.clone(), lock));
        }
    }
    if let (Some(name), true) = (only, locks.is_empty()) {
        return Err(CliError::BadRepo {
            what: "repo name",
            value: name.to_owned(),
            why: "no entry has it",
        });
    }
    let (text, saved) = yml::updated_text(edited, &config)?;
    std::fs::write(&config_path, text).map_err(CliError::io(&config_path))?;
    Ok(Updated {
        config: config_path,
        saved,
        locks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{idl, init, test_dir::TestDir};

    fn run_git(dir: &Path, args: &[&str]) -> String {
        let mut all = vec!["-c", "user.name=test", "-c", "user.email=test@example.com"];
        all.extend_from_slice(args);
        git(Some(dir), &all).unwrap()
    }

    /// A bare repository `remote.git` fed from a working copy `work`.
    fn remote(dir: &TestDir) -> (PathBuf, PathBuf) {
        let work = dir.join("work");
        std::fs::create_dir_all(&work).unwrap();
        run_git(&work, &["init", "--quiet", "--initial-branch=main"]);
        std::fs::write(
            work.join("r.thrift"),
            "namespace rs remote\nservice R { i32 r() }\n",
        )
        .unwrap();
        run_git(&work, &["add", "."]);
        run_git(&work, &["commit", "--quiet", "-m", "one"]);
        let bare = dir.join("remote.git");
        git(
            None,
            &[
                "clone",
                "--quiet",
                "--bare",
                "--",
                &work.to_string_lossy(),
                &bare.to_string_lossy(),
            ],
        )
        .unwrap();
        run_git(&work, &["remote", "add", "origin", &bare.to_string_lossy()]);
        (work, bare)
    }

    fn project(dir: &TestDir) -> PathBuf {
        std::fs::write(
            dir.join("a.thrift"),
            "namespace rs a\nservice A { i32 one() }\n",
        )
        .unwrap();
        let root = dir.join("proj");
        init::init(&init::Init {
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

    #[test]
    fn add_locks_and_caches_then_update_follows_the_branch() {
        let dir = TestDir::new("repo-add");
        let (work, bare) = remote(&dir);
        let root = project(&dir);
        let first = run_git(&work, &["rev-parse", "HEAD"]);
        let (config_path, _, lock) = add(&RepoAdd {
            name: "common".into(),
            url: bare.to_string_lossy().into_owned(),
            git_ref: Some("main".into()),
            entry: None,
            cwd: root.clone(),
        })
        .unwrap();
        assert_eq!(lock, first);
        let gen_dir = root.join("proj-gen");
        let cached = gen_dir.join(".volo/git/common").join(&first);
        assert!(cached.join("r.thrift").is_file());
        assert!(!cached.join(".git").exists());
        let config = VoloConfig::load(&config_path).unwrap();
        let repo = &config.entries[yml::DEFAULT_ENTRY].repos["common"];
        assert_eq!(
            (repo.git_ref.as_str(), repo.lock.as_deref()),
            ("main", Some(first.as_str()))
        );

        // volo-build reads the cached checkout.
        let text = std::fs::read_to_string(&config_path).unwrap().replace(
            "    services:\n",
            "    services:\n      - idl: { source: git, repo: common, path: r.thrift }\n",
        );
        std::fs::write(&config_path, text).unwrap();
        let out = volo_build::ConfigBuilder::with_file(&config_path)
            .out_dir(dir.join("gen"))
            .write()
            .unwrap();
        assert!(
            std::fs::read_to_string(&out[0])
                .unwrap()
                .contains("pub trait R:")
        );

        // A new commit on the branch: update moves the lock.
        std::fs::write(
            work.join("r.thrift"),
            "namespace rs remote\nservice R { i32 r2() }\n",
        )
        .unwrap();
        run_git(&work, &["commit", "--quiet", "-am", "two"]);
        run_git(&work, &["push", "--quiet", "origin", "main"]);
        let second = run_git(&work, &["rev-parse", "HEAD"]);
        let locks = update(&root, None).unwrap().locks;
        assert_eq!(locks, [("common".to_owned(), second.clone())]);
        assert!(
            gen_dir
                .join(".volo/git/common")
                .join(&second)
                .join("r.thrift")
                .is_file()
        );
        let config = VoloConfig::load(&config_path).unwrap();
        let entry = &config.entries[yml::DEFAULT_ENTRY];
        assert_eq!(entry.repos["common"].lock.as_deref(), Some(second.as_str()));
        assert_eq!(entry.services.len(), 2, "the services are kept");
    }

    /// Comments everywhere and odd but valid indentation.
    const ODD: &str = "\
# top comment
entries:   # the entries
   # before default
   \"default\":
        protocol: thrift   # proto
        filename: volo_gen.rs
        # services next
        services:
        # first service
        -   idl:
              source: local
              path: idl/a.thrift   # the root
              includes: [idl]
        # trailing comment in services
# end
";

    fn comments(text: &str) -> Vec<&str> {
        text.lines().filter(|l| l.contains('#')).collect()
    }

    #[test]
    fn every_command_keeps_comments_and_layout() {
        let dir = TestDir::new("repo-comments");
        let (work, bare) = remote(&dir);
        let root = project(&dir);
        let config_path = root.join("proj-gen/volo.yml");
        std::fs::write(&config_path, ODD).unwrap();
        let check = |saved: yml::Saved| {
            assert_eq!(saved, yml::Saved::InPlace);
            let text = std::fs::read_to_string(&config_path).unwrap();
            assert_eq!(comments(&text), comments(ODD), "{text}");
            let config = VoloConfig::load(&config_path).unwrap();
            config.entries[yml::DEFAULT_ENTRY].clone()
        };

        std::fs::write(
            dir.join("b.thrift"),
            "namespace rs b\nservice B { i32 two() }\n",
        )
        .unwrap();
        let added = idl::add(&idl::IdlAdd {
            idl: dir.join("b.thrift"),
            includes: Vec::new(),
            entry: None,
            cwd: root.clone(),
            force: false,
        })
        .unwrap();
        let entry = check(added.saved);
        let paths: Vec<_> = entry.services.iter().map(|s| s.idl.path.clone()).collect();
        assert_eq!(
            paths,
            [PathBuf::from("idl/a.thrift"), PathBuf::from("idl/b.thrift")]
        );

        let (_, saved, first) = add(&RepoAdd {
            name: "common".into(),
            url: bare.to_string_lossy().into_owned(),
            git_ref: Some("main".into()),
            entry: None,
            cwd: root.clone(),
        })
        .unwrap();
        let entry = check(saved);
        assert_eq!(entry.repos["common"].lock.as_deref(), Some(first.as_str()));
        assert_eq!(entry.services.len(), 2);

        std::fs::write(work.join("r.thrift"), "service R { i32 r3() }\n").unwrap();
        run_git(&work, &["commit", "--quiet", "-am", "three"]);
        run_git(&work, &["push", "--quiet", "origin", "main"]);
        let second = run_git(&work, &["rev-parse", "HEAD"]);
        let updated = update(&root, Some("common")).unwrap();
        let entry = check(updated.saved);
        assert_eq!(entry.repos["common"].lock.as_deref(), Some(second.as_str()));
        assert_eq!(entry.repos["common"].git_ref, "main");
        assert_eq!(entry.services.len(), 2);
    }

    fn init_options(root: &Path, idl: &str, url: &Path) -> init::Init {
        init::Init {
            name: "calc".into(),
            idl: idl.into(),
            includes: vec![PathBuf::from("common")],
            volo_path: None,
            dir: root.to_path_buf(),
            force: false,
            git: Some(init::GitIdl {
                url: url.to_string_lossy().into_owned(),
                git_ref: Some("main".into()),
            }),
        }
    }

    #[test]
    fn init_from_a_repository_locks_caches_and_generates() {
        let dir = TestDir::new("repo-init");
        let (work, bare) = remote(&dir);
        std::fs::create_dir_all(work.join("api")).unwrap();
        std::fs::create_dir_all(work.join("common")).unwrap();
        std::fs::write(
            work.join("common/base.thrift"),
            "namespace rs base\nstruct Base { 1: i32 id }\n",
        )
        .unwrap();
        std::fs::write(
            work.join("api/calc.thrift"),
            "include \"base.thrift\"\nnamespace rs calc\nservice Calc { base.Base get(1: i32 id) }\n",
        )
        .unwrap();
        run_git(&work, &["add", "."]);
        run_git(&work, &["commit", "--quiet", "-m", "calc"]);
        run_git(&work, &["push", "--quiet", "origin", "main"]);
        let head = run_git(&work, &["rev-parse", "HEAD"]);
        let root = dir.join("calc");

        init::init(&init_options(&root, "api/calc.thrift", &bare)).unwrap();
        let gen_dir = root.join("calc-gen");
        let cached = gen_dir.join(".volo/git/remote").join(&head);
        assert!(cached.join("api/calc.thrift").is_file());
        assert!(cached.join("common/base.thrift").is_file());
        assert!(!cached.join(".git").exists());
        assert!(!gen_dir.join("idl").exists(), "nothing is copied");

        let config_path = gen_dir.join("volo.yml");
        let config = VoloConfig::load(&config_path).unwrap();
        let entry = &config.entries[yml::DEFAULT_ENTRY];
        let repo = &entry.repos["remote"];
        assert_eq!(
            (
                repo.url.as_str(),
                repo.git_ref.as_str(),
                repo.lock.as_deref()
            ),
            (&*bare.to_string_lossy(), "main", Some(head.as_str()))
        );
        let idl = &entry.services[0].idl;
        assert_eq!(idl.source, volo_build::config::Source::Git);
        assert_eq!(idl.repo.as_deref(), Some("remote"));
        assert_eq!(idl.path, Path::new("api/calc.thrift"));
        assert_eq!(idl.includes, [PathBuf::from("common")]);

        let out = volo_build::ConfigBuilder::with_file(&config_path)
            .out_dir(dir.join("gen"))
            .write()
            .unwrap();
        let code = std::fs::read_to_string(&out[0]).unwrap();
        assert!(code.contains("pub trait Calc:"), "{code}");
        let lib = std::fs::read_to_string(root.join("calc/src/lib.rs")).unwrap();
        assert!(
            lib.contains("impl ::calc_gen::calc::Calc for Handler"),
            "{lib}"
        );
        assert!(lib.contains("::calc_gen::base::Base"), "{lib}");
    }

    #[test]
    fn init_from_a_repository_fails_cleanly() {
        let dir = TestDir::new("repo-init-errors");
        let (_, bare) = remote(&dir);
        let root = dir.join("calc");
        for idl in ["../r.thrift", "/r.thrift", ""] {
            assert!(
                matches!(
                    init::init(&init_options(&root, idl, &bare)),
                    Err(CliError::BadRepo { .. })
                ),
                "{idl:?}"
            );
        }
        assert!(matches!(
            init::init(&init_options(&root, "r.thrift", &dir.join("missing.git"))),
            Err(CliError::Git { .. })
        ));
        assert!(matches!(
            init::init(&init_options(&root, "missing.thrift", &bare)),
            Err(CliError::Idl(_))
        ));
        assert!(!root.exists(), "a failed init leaves nothing behind");
    }

    #[test]
    fn names_from_urls() {
        for (url, name) in [
            ("https://example.com/org/idl.git", "idl"),
            ("git@example.com:org/common-idl.git/", "common-idl"),
            ("../remote.git", "remote"),
            ("file:///srv/x", "x"),
        ] {
            assert_eq!(name_from_url(url).unwrap(), name, "{url}");
        }
        for url in ["", "x/.git", "org/my idl.git"] {
            assert!(
                matches!(name_from_url(url), Err(CliError::BadRepo { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn bad_names_refs_and_urls_are_typed_errors() {
        let dir = TestDir::new("repo-errors");
        let (_, bare) = remote(&dir);
        let root = project(&dir);
        let before = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        let options = |name: &str, url: &Path, git_ref: &str| RepoAdd {
            name: name.into(),
            url: url.to_string_lossy().into_owned(),
            git_ref: Some(git_ref.into()),
            entry: None,
            cwd: root.clone(),
        };
        for name in ["", "../x", ".hidden", "a/b"] {
            assert!(
                matches!(
                    add(&options(name, &bare, "main")),
                    Err(CliError::BadRepo { .. })
                ),
                "{name:?}"
            );
        }
        assert!(matches!(
            add(&options("c", &bare, "--upload-pack=x")),
            Err(CliError::BadRepo { .. })
        ));
        assert!(matches!(
            add(&options("c", &bare, "no-such-branch")),
            Err(CliError::Git { .. })
        ));
        assert!(matches!(
            add(&options("c", &dir.join("missing.git"), "main")),
            Err(CliError::Git { .. })
        ));
        assert!(matches!(
            update(&root, Some("nope")),
            Err(CliError::BadRepo { .. })
        ));
        let after = std::fs::read_to_string(root.join("proj-gen/volo.yml")).unwrap();
        assert_eq!(before, after, "a failure leaves volo.yml alone");
    }
}
