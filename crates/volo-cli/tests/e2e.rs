//! End to end: `volo init` a project from the corpus's Apache Thrift
//! tutorial (`Calculator extends shared.SharedService`, with an include, a
//! `throws` method and a `oneway` one) with path dependencies on this
//! checkout, build it offline, serve it and call it; then `volo idl add` a
//! second IDL, rebuild, and call that service too.
//!
//! The nested builds share `target/volo-cli-e2e` in this workspace, so runs
//! after the first are incremental.

use std::{
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    thread::sleep,
    time::{Duration, Instant},
};

/// How long one nested `cargo build` may take.
const BUILD_LIMIT: Duration = Duration::from_secs(900);
/// How long the client may retry while the server starts.
const CALL_LIMIT: Duration = Duration::from_secs(30);

/// A child process killed on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A directory removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The tutorial IDL of the shared IDL corpus, which sits beside the
/// workspace; a missing corpus fails the test rather than skipping it.
fn tutorial() -> PathBuf {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus");
    let idl = corpus.join("thrift/apache-thrift/tutorial/tutorial.thrift");
    assert!(
        idl.is_file(),
        "the IDL corpus is missing: expected {}",
        idl.display()
    );
    idl
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn volo(cwd: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_volo"))
        .current_dir(cwd)
        .env_remove("VOLO_PATH")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "volo {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn target_dir() -> PathBuf {
    workspace().join("target/volo-cli-e2e")
}

/// `cargo build --offline` in `project`, bounded by [`BUILD_LIMIT`].
fn build(project: &Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Killed(
        Command::new(cargo)
            .current_dir(project)
            .args(["build", "--offline", "--bins"])
            .env("CARGO_TARGET_DIR", target_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < BUILD_LIMIT, "the nested build timed out");
        sleep(Duration::from_millis(200));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.0.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    assert!(status.success(), "cargo build failed:\n{stderr}");
}

fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn bin(name: &str) -> PathBuf {
    target_dir().join("debug").join(name)
}

/// Runs `bin --addr addr` until it succeeds (the server may still be
/// starting), within [`CALL_LIMIT`]; returns its stdout.
fn call(name: &str, addr: SocketAddr) -> String {
    let start = Instant::now();
    loop {
        let output = Command::new(bin(name))
            .args(["--addr", &addr.to_string()])
            .output()
            .unwrap();
        if output.status.success() {
            return String::from_utf8(output.stdout).unwrap();
        }
        assert!(
            start.elapsed() < CALL_LIMIT,
            "{name} kept failing: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        sleep(Duration::from_millis(200));
    }
}

/// A binary the test adds after `volo idl add`: serves `Counter` with the
/// stub `volo idl add` wrote for `calc::Handler`, in process, and calls
/// each method (one returns a union, one an enum).
const COUNTER_BIN: &str = r#"
use calc_gen::counter::{CounterClient, CounterServer, Mode, Step};

#[tokio::main]
async fn main() {
    let addr: std::net::SocketAddr = std::env::args().nth(2).unwrap().parse().unwrap();
    let server = volo_thrift::server::Server::new(CounterServer::new(calc::Handler));
    tokio::spawn(server.run(addr));
    let client = CounterClient::builder("counter").address(addr).build();
    for _ in 0..100 {
        if let Ok(n) = client.count("four".into()).await {
            println!("count = {n}");
            let step = client.step(Mode::DOWN).await.unwrap();
            println!("step = {step:?}");
            let mode = client.mode(Step::Label("x".into())).await.unwrap();
            println!("mode = {mode:?}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    std::process::exit(1);
}
"#;

#[test]
fn help_shows_examples() {
    let cwd = std::env::temp_dir();
    for args in [&["init", "--help"][..], &["idl", "add", "--help"]] {
        let out = String::from_utf8(volo(&cwd, args).stdout).unwrap();
        assert!(out.contains("Examples"), "{args:?}: {out}");
    }
    let add = String::from_utf8(volo(&cwd, &["idl", "add", "--help"]).stdout).unwrap();
    assert!(
        add.contains("src/<service>.rs") && add.contains("--force"),
        "{add}"
    );
    let init = String::from_utf8(volo(&cwd, &["init", "--help"]).stdout).unwrap();
    assert!(init.contains("--git") && init.contains("--ref"), "{init}");
}

#[test]
fn init_build_serve_call_then_add_an_idl() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("volo-cli-e2e-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    std::fs::create_dir_all(&scratch.0).unwrap();
    let project = scratch.0.join("calc");
    let idl = tutorial();
    let ws = workspace();

    let out = volo(
        &scratch.0,
        &[
            "init",
            "calc",
            idl.to_str().unwrap(),
            "--volo-path",
            ws.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("cargo run --bin server"), "{text}");

    // A second init into the same directory is refused.
    let again = Command::new(env!("CARGO_BIN_EXE_volo"))
        .current_dir(&scratch.0)
        .args(["init", "calc", idl.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    build(&project);
    let addr = free_addr();
    let _server = Killed(
        Command::new(bin("server"))
            .args(["--addr", &addr.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let reply = call("client", addr);
    // The client calls `Calculator.ping`, the first method, which the stub
    // answers with `()`.
    assert_eq!(reply.trim(), "()");

    volo(
        &project,
        &["idl", "add", fixture("counter.thrift").to_str().unwrap()],
    );
    std::fs::write(project.join("calc/src/bin/counter.rs"), COUNTER_BIN).unwrap();
    build(&project);
    let stub = std::fs::read_to_string(project.join("calc/src/counter.rs")).unwrap();
    assert!(
        stub.contains("impl ::calc_gen::counter::Counter for crate::Handler"),
        "{stub}"
    );
    let counted = call("counter", free_addr());
    assert_eq!(
        counted.lines().collect::<Vec<_>>(),
        ["count = 0", "step = By(0)", "mode = Mode(0)"]
    );
}

/// A `volo.yml` in flow style cannot be edited in place: `idl add`
/// rewrites it and warns that its comments are gone; without a handler
/// crate beside it, it says no stub was written.
#[test]
fn idl_add_warns_when_comments_cannot_be_kept() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("volo-cli-e2e-flow-{}", std::process::id())));
    let gen_dir = scratch.0.join("flow-gen");
    std::fs::create_dir_all(gen_dir.join("idl")).unwrap();
    std::fs::write(gen_dir.join("idl/a.thrift"), "service A { i32 a() }\n").unwrap();
    std::fs::write(
        gen_dir.join("volo.yml"),
        "# lost\nentries: { default: { protocol: thrift, filename: g.rs, services: [ { idl: { source: local, path: idl/a.thrift } } ] } }\n",
    )
    .unwrap();
    let out = volo(
        &gen_dir,
        &["idl", "add", fixture("counter.thrift").to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("comments"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("no stub written"), "{stdout}");
    let text = std::fs::read_to_string(gen_dir.join("volo.yml")).unwrap();
    assert!(
        text.contains("idl/counter.thrift") && !text.contains("# lost"),
        "{text}"
    );
}
