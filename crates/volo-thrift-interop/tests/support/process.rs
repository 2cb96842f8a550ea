//! [`Process`]: a child process that is always killed, with bounded waits.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, ChildStdin, Command, ExitStatus, Stdio},
    sync::{Arc, Mutex, PoisonError},
    thread::JoinHandle,
    time::Duration,
};

use tokio::{sync::mpsc, time::Instant};

/// How often a wait checks whether the process has exited.
const POLL: Duration = Duration::from_millis(20);

/// A running child process, killed and reaped when dropped.
///
/// Its stdin is held open: a Python server exits when it closes, so it never
/// outlives the test even if the test process itself is killed. Its stdout
/// is read line by line (for a port) and kept, with its stderr, for error
/// messages.
pub(crate) struct Process {
    name: String,
    child: Child,
    _stdin: Option<ChildStdin>,
    lines: mpsc::UnboundedReceiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

/// How a process ended, with everything it wrote.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Process {
    /// Starts `command` with piped stdin, stdout and stderr; `name` labels
    /// error messages.
    pub(crate) fn spawn(name: &str, command: &mut Command) -> Self {
        Self::try_spawn(name, command)
            .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"))
    }

    /// [`spawn`](Self::spawn), failing with the error of starting it.
    pub(crate) fn try_spawn(name: &str, command: &mut Command) -> std::io::Result<Self> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout_pipe = child.stdout.take().expect("stdout is piped");
        let stderr_pipe = child.stderr.take().expect("stderr is piped");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = mpsc::unbounded_channel();

        let out = Arc::clone(&stdout);
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout_pipe).lines() {
                let Ok(line) = line else { break };
                let mut all = lock(&out);
                all.push_str(&line);
                all.push('\n');
                let _ = tx.send(line);
            }
        });
        let err = Arc::clone(&stderr);
        let stderr_reader = std::thread::spawn(move || {
            let mut pipe = stderr_pipe;
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                lock(&err).push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Ok(Self {
            name: name.to_string(),
            child,
            _stdin: stdin,
            lines,
            stdout,
            stderr,
            readers: vec![stdout_reader, stderr_reader],
        })
    }

    /// The next line the process writes to stdout, waiting at most `timeout`.
    pub(crate) async fn next_line(&mut self, timeout: Duration) -> String {
        match tokio::time::timeout(timeout, self.lines.recv()).await {
            Ok(Some(line)) => line,
            Ok(None) => panic!("{} closed its stdout: {}", self.name, self.report()),
            Err(_) => panic!(
                "{} wrote no line within {timeout:?}: {}",
                self.name,
                self.report()
            ),
        }
    }

    /// Waits at most `timeout` for the process to exit (it is killed when
    /// the wait times out) and returns what it wrote.
    pub(crate) async fn wait(mut self, timeout: Duration) -> Finished {
        let deadline = Instant::now() + timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => tokio::time::sleep(POLL).await,
                Ok(None) => panic!(
                    "{} did not finish within {timeout:?}: {}",
                    self.name,
                    self.report()
                ),
                Err(e) => panic!("cannot wait for {}: {e}", self.name),
            }
        };
        // The pipes close when the process exits; give the readers a bounded
        // moment to take the rest of the output.
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.readers.iter().any(|r| !r.is_finished()) && Instant::now() < deadline {
            tokio::time::sleep(POLL).await;
        }
        Finished {
            status,
            stdout: lock(&self.stdout).clone(),
            stderr: lock(&self.stderr).clone(),
        }
    }

    /// What the process wrote so far, for an error message.
    pub(crate) fn report(&self) -> String {
        format!(
            "\n--- stdout ---\n{}\n--- stderr ---\n{}",
            lock(&self.stdout),
            lock(&self.stderr)
        )
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Killing an exited process fails harmlessly; the wait reaps it, and
        // returns at once after SIGKILL.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lock(s: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn sleeper() -> Command {
        let mut command = Command::new("python3");
        command.args(["-c", "import time; print('up', flush=True); time.sleep(60)"]);
        command
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn dropping_kills_and_reaps_the_process() {
        let mut process = Process::spawn("a sleeper", &mut sleeper());
        assert_eq!(process.next_line(Duration::from_secs(30)).await, "up");
        let proc_dir = format!("/proc/{}", process.child.id());
        assert!(Path::new(&proc_dir).exists());
        drop(process);
        assert!(!Path::new(&proc_dir).exists(), "{proc_dir} is still there");
    }

    #[tokio::test]
    #[should_panic(expected = "a sleeper did not finish within")]
    async fn waits_are_bounded() {
        Process::spawn("a sleeper", &mut sleeper())
            .wait(Duration::from_millis(200))
            .await;
    }

    #[tokio::test]
    async fn output_and_status_are_kept() {
        let mut command = Command::new("python3");
        command.args([
            "-c",
            "import sys; print('a'); print('b'); sys.stderr.write('oops'); sys.exit(3)",
        ]);
        let done = Process::spawn("a failing script", &mut command)
            .wait(Duration::from_secs(30))
            .await;
        assert_eq!(done.status.code(), Some(3));
        assert_eq!(done.stdout, "a\nb\n");
        assert_eq!(done.stderr, "oops");
    }
}
