//! A temporary directory for tests, removed on drop.

use std::path::{Path, PathBuf};

/// A fresh directory under the system temp dir.
#[derive(Debug)]
pub(crate) struct TestDir(PathBuf);

impl TestDir {
    /// Creates `<tmp>/volo-cli-<name>-<pid>`, empty.
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("volo-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test directory");
        Self(dir)
    }

    /// A path inside the directory.
    pub(crate) fn join(&self, path: impl AsRef<Path>) -> PathBuf {
        self.0.join(path)
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
