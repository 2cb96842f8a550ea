//! Planning and writing files without clobbering, and laying out the IDL
//! files a project copies into its `idl/` directory.

use std::path::{Path, PathBuf};

use crate::error::CliError;

/// Files to write: path and content, checked all together before any is
/// written.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    files: Vec<(PathBuf, Vec<u8>)>,
}

/// What writing a plan did to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Written {
    /// The file is new.
    Created(PathBuf),
    /// The file was there with other content; `--force` replaced it.
    Replaced(PathBuf),
    /// The file was there with this very content.
    Unchanged(PathBuf),
}

impl Plan {
    /// Adds a file.
    pub(crate) fn add(&mut self, path: impl Into<PathBuf>, content: impl Into<Vec<u8>>) {
        self.files.push((path.into(), content.into()));
    }

    /// Writes every file, creating directories. Without `force`, a file
    /// that exists with other content stops everything before anything is
    /// written.
    pub(crate) fn write(self, force: bool) -> Result<Vec<Written>, CliError> {
        let mut states = Vec::with_capacity(self.files.len());
        for (path, content) in &self.files {
            let state = match std::fs::read(path) {
                Ok(old) if &old == content => Written::Unchanged(path.clone()),
                Ok(_) if force => Written::Replaced(path.clone()),
                Ok(_) => return Err(CliError::Exists(path.clone())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Written::Created(path.clone())
                }
                Err(e) => return Err(CliError::io(path)(e)),
            };
            states.push(state);
        }
        for ((path, content), state) in self.files.iter().zip(&states) {
            if matches!(state, Written::Unchanged(_)) {
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(CliError::io(dir))?;
            }
            std::fs::write(path, content).map_err(CliError::io(path))?;
        }
        Ok(states)
    }
}

/// Where each IDL file read for `root` goes, relative to the project's
/// `idl/` directory: the root by its file name, every included file by its
/// path relative to the root's directory or to an include directory. The
/// project then finds them all with `includes: [idl]`.
pub(crate) fn idl_layout(
    root: &Path,
    inputs: &[PathBuf],
    includes: &[PathBuf],
) -> Result<Vec<(PathBuf, PathBuf)>, CliError> {
    let canonical = |p: &Path| p.canonicalize().map_err(CliError::io(p));
    let root = canonical(root)?;
    let mut bases = vec![root.parent().map(Path::to_path_buf).unwrap_or_default()];
    for dir in includes {
        bases.push(canonical(dir)?);
    }
    let name = root
        .file_name()
        .map(PathBuf::from)
        .ok_or_else(|| CliError::OutsideIncludes(root.clone()))?;
    let mut layout = vec![(root.clone(), name)];
    for input in inputs {
        let input = canonical(input)?;
        if layout.iter().any(|(source, _)| *source == input) {
            continue;
        }
        let relative = bases
            .iter()
            .find_map(|base| input.strip_prefix(base).ok())
            .map(Path::to_path_buf)
            .ok_or_else(|| CliError::OutsideIncludes(input.clone()))?;
        if layout.iter().any(|(_, dest)| *dest == relative) {
            return Err(CliError::Idl(format!(
                "{} and another IDL file would both be copied to idl/{}",
                input.display(),
                relative.display()
            )));
        }
        layout.push((input, relative));
    }
    Ok(layout)
}

/// Adds the IDL files of `layout` to `plan`, under `idl_dir`.
pub(crate) fn copy_idls(
    plan: &mut Plan,
    idl_dir: &Path,
    layout: &[(PathBuf, PathBuf)],
) -> Result<(), CliError> {
    for (source, dest) in layout {
        let content = std::fs::read(source).map_err(CliError::io(source))?;
        plan.add(idl_dir.join(dest), content);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn plan_refuses_to_clobber_and_writes_nothing() {
        let dir = TestDir::new("plan-clobber");
        std::fs::write(dir.join("b.txt"), "old").unwrap();
        let mut plan = Plan::default();
        plan.add(dir.join("a/a.txt"), "new");
        plan.add(dir.join("b.txt"), "new");
        let err = plan.write(false).unwrap_err();
        assert!(matches!(&err, CliError::Exists(p) if p == &dir.join("b.txt")));
        assert!(!dir.join("a").exists(), "nothing is written on a refusal");
        assert_eq!(std::fs::read_to_string(dir.join("b.txt")).unwrap(), "old");
    }

    #[test]
    fn plan_force_replaces_and_same_content_is_unchanged() {
        let dir = TestDir::new("plan-force");
        std::fs::write(dir.join("b.txt"), "old").unwrap();
        std::fs::write(dir.join("c.txt"), "same").unwrap();
        let mut plan = Plan::default();
        plan.add(dir.join("b.txt"), "new");
        plan.add(dir.join("c.txt"), "same");
        let states = plan.write(true).unwrap();
        assert_eq!(
            states,
            [
                Written::Replaced(dir.join("b.txt")),
                Written::Unchanged(dir.join("c.txt"))
            ]
        );
        assert_eq!(std::fs::read_to_string(dir.join("b.txt")).unwrap(), "new");
    }

    #[test]
    fn layout_keeps_include_paths_and_rejects_outsiders() {
        let dir = TestDir::new("layout");
        for f in [
            "src/root.thrift",
            "src/sub/a.thrift",
            "inc/b.thrift",
            "other/c.thrift",
        ] {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::write(dir.join(f), "").unwrap();
        }
        let root = dir.join("src/root.thrift");
        let inputs = [
            root.clone(),
            dir.join("src/sub/a.thrift"),
            dir.join("inc/b.thrift"),
        ];
        let layout = idl_layout(&root, &inputs, &[dir.join("inc")]).unwrap();
        let dests: Vec<_> = layout.iter().map(|(_, d)| d.clone()).collect();
        assert_eq!(
            dests,
            [
                PathBuf::from("root.thrift"),
                PathBuf::from("sub/a.thrift"),
                PathBuf::from("b.thrift")
            ]
        );
        let outside = idl_layout(&root, &[dir.join("other/c.thrift")], &[]).unwrap_err();
        assert!(matches!(outside, CliError::OutsideIncludes(_)));
    }
}
