//! The Python peer: Apache Thrift's compiler and Python library, driving
//! `py/server.py` and `py/client.py`.

use std::{
    io::ErrorKind,
    net::{Ipv4Addr, SocketAddr},
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use volo_thrift::codec::{Format, Framing, Protocol};

use super::process::{Finished, Process};

/// The longest a tool check or the code generation may take.
const TOOL_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest the Python server may take to print its port.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest the Python client may take for all its calls.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);

const SETUP_HINT: &str = "scripts/setup.sh installs both the compiler and the Python package";

/// Python code generated from `idl/interop.thrift` for one test, removed
/// when dropped.
pub(crate) struct Python {
    gen_dir: PathBuf,
}

impl Python {
    /// Checks that the Thrift compiler and Python's `thrift` package are
    /// installed (failing with what to install if not) and generates the
    /// Python code of the IDL into a fresh directory.
    pub(crate) async fn new() -> Self {
        require_thrift_compiler().await;
        require_python_thrift().await;

        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let gen_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "volo-thrift-interop-py-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // A directory left by an earlier run that was killed.
        let _ = std::fs::remove_dir_all(&gen_dir);
        std::fs::create_dir_all(&gen_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", gen_dir.display()));
        let python = Self { gen_dir };

        let idl = crate_dir().join("idl").join("interop.thrift");
        let thrift = Process::spawn(
            "thrift --gen py",
            Command::new("thrift")
                .args(["--gen", "py", "-out"])
                .arg(&python.gen_dir)
                .arg(&idl),
        );
        let done = thrift.wait(TOOL_TIMEOUT).await;
        assert!(
            done.status.success(),
            "thrift --gen py {} failed ({}):\n{}",
            idl.display(),
            done.status,
            done.stderr
        );
        python
    }

    /// Starts `py/server.py` speaking `format` on 127.0.0.1 and returns it
    /// with its address.
    pub(crate) async fn serve(&self, format: Format) -> (Process, SocketAddr) {
        let mut server = Process::spawn("the Python server", &mut self.script("server.py", format));
        let line = server.next_line(STARTUP_TIMEOUT).await;
        let port: u16 = line.trim().parse().unwrap_or_else(|e| {
            panic!(
                "the Python server printed {line:?}, not a port ({e}): {}",
                server.report()
            )
        });
        (server, SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }

    /// Runs `py/client.py` against `addr` speaking `format` until it exits.
    pub(crate) async fn run_client(&self, addr: SocketAddr, format: Format) -> Finished {
        let mut command = self.script("client.py", format);
        command
            .args(["--host", &addr.ip().to_string()])
            .args(["--port", &addr.port().to_string()]);
        Process::spawn("the Python client", &mut command)
            .wait(CLIENT_TIMEOUT)
            .await
    }

    /// `python3 py/<script>` with the flags for the generated code and `format`.
    fn script(&self, script: &str, format: Format) -> Command {
        let transport = match format.framing {
            Framing::Framed => "framed",
            Framing::Buffered => "buffered",
            other => panic!("the Python peer speaks framed and buffered transports, not {other:?}"),
        };
        let protocol = match format.protocol {
            Protocol::Binary => "binary",
            Protocol::Compact => "compact",
            other => panic!("the Python peer speaks strict binary and compact, not {other:?}"),
        };
        let mut command = Command::new("python3");
        command
            .arg(crate_dir().join("py").join(script))
            .arg("--gen-dir")
            .arg(&self.gen_dir)
            .args(["--transport", transport, "--protocol", protocol])
            // Keep the source tree free of `__pycache__`.
            .env("PYTHONDONTWRITEBYTECODE", "1");
        command
    }
}

impl Drop for Python {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.gen_dir);
    }
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `program args` (at most [`TOOL_TIMEOUT`]); `None` if it is not installed.
async fn run_tool(program: &str, args: &[&str]) -> Option<Finished> {
    match Process::try_spawn(program, Command::new(program).args(args)) {
        Ok(process) => Some(process.wait(TOOL_TIMEOUT).await),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

async fn require_thrift_compiler() {
    let install = format!(
        "install the Apache Thrift compiler 0.17 (Debian/Ubuntu: `apt-get install thrift-compiler`; {SETUP_HINT})"
    );
    match run_tool("thrift", &["--version"]).await {
        None => panic!("the `thrift` compiler is not on PATH: {install}"),
        Some(done) => assert!(
            done.status.success(),
            "`thrift --version` failed ({}): {install}\n{}",
            done.status,
            done.stderr
        ),
    }
}

async fn require_python_thrift() {
    let install = format!("install it with `python3 -m pip install thrift` ({SETUP_HINT})");
    match run_tool("python3", &["-c", "import thrift"]).await {
        None => {
            panic!("`python3` is not on PATH: install Python 3, then Python's `thrift` package")
        }
        Some(done) => assert!(
            done.status.success(),
            "Python's `thrift` package is missing: {install}\n{}",
            done.stderr
        ),
    }
}
