//! Runs every example binary and checks that it exits 0 and prints what it
//! promises, so the examples stay true.

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpListener,
    process::{Child, Command, Output, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

/// Runs `bin` with `args`, killing it if it takes longer than 60 s.
fn run(bin: &str, args: &[&str]) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    // Read both pipes on threads so that a chatty child never blocks.
    let stdout = drain(child.stdout.take().expect("piped"));
    let stderr = drain(child.stderr.take().expect("piped"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the example") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{bin} {args:?} did not exit within 60 s");
        }
        thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("reader thread"),
        stderr: stderr.join().expect("reader thread"),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut out = Vec::new();
        let _ = pipe.read_to_end(&mut out);
        out
    })
}

/// Asserts a zero exit and that stdout holds every line of `expected`.
fn assert_ok(bin: &str, output: &Output, expected: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{bin} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    for line in expected {
        assert!(
            stdout.lines().any(|l| l.contains(line)),
            "{bin}: no line with {line:?} in:\n{stdout}"
        );
    }
    stdout
}

#[test]
fn hello_in_one_process() {
    let bin = env!("CARGO_BIN_EXE_hello");
    let out = run(bin, &[]);
    let stdout = assert_ok(
        bin,
        &out,
        &[
            "server: listening on 127.0.0.1:",
            "client:   -> \"hello, world!\"",
            "client:   -> \"hello, Volo!\"",
            "client:   -> declared exception Refused { reason: \"a name is required\" }",
            "client: done, 3 calls",
            "server: stopped",
        ],
    );
    assert!(!stdout.contains("UNEXPECTED"), "{stdout}");
}

#[test]
fn hello_as_two_processes() {
    let bin = env!("CARGO_BIN_EXE_hello");
    // A free port: bind port 0, note the port, release it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(bin)
        .args(["server", "--addr", &addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let listening = wait_for_line(&mut server, "server: listening on");
    let out = run(bin, &["client", "--addr", &addr]);
    let _ = server.kill();
    let _ = server.wait();
    assert!(listening, "the server never said it was listening");
    assert_ok(
        bin,
        &out,
        &[
            "client:   -> \"hello, world!\"",
            "declared exception Refused",
        ],
    );
}

/// Waits (at most 30 s) until `child` prints a line containing `needle`.
fn wait_for_line(child: &mut Child, needle: &'static str) -> bool {
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let found = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains(needle));
        let _ = tx.send(found);
    });
    rx.recv_timeout(Duration::from_secs(30)).unwrap_or(false)
}

#[test]
fn hello_rejects_bad_arguments() {
    let bin = env!("CARGO_BIN_EXE_hello");
    for args in [
        &["serve"][..],
        &["client", "--addr", "nowhere"],
        &["server"],
    ] {
        let out = run(bin, args);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("hello: "),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn multi_service() {
    let bin = env!("CARGO_BIN_EXE_multi_service");
    assert_ok(
        bin,
        &run(bin, &[]),
        &[
            "Adder client:   add(40, 2) -> 42",
            "with isn = \"Shouter\" -> \"HELLO, ROUTER\"",
            "without isn -> UNKNOWN_METHOD",
        ],
    );
}

#[test]
fn oneway() {
    let bin = env!("CARGO_BIN_EXE_oneway");
    assert_ok(
        bin,
        &run(bin, &[]),
        &[
            "client: sent 20 oneway ticks",
            "client: count() -> 20",
            "server: counted all 20 ticks",
        ],
    );
}

#[test]
fn metainfo() {
    let bin = env!("CARGO_BIN_EXE_metainfo");
    let stdout = assert_ok(
        bin,
        &run(bin, &[]),
        &[
            "[C] persistent tenant = Some(\"blue\") (as expected)",
            "[B] upstream from-a (A's transient) = Some(\"hello B\") (as expected)",
            "[B] upstream trace (client's transient) = None (as expected)",
            "[B] downstream c-cost (C's backward) = Some(\"3ms\") (as expected)",
            "[client] downstream a-status (A's backward) = Some(\"ok\") (as expected)",
            "[client] path: client -> A -> B -> C",
        ],
    );
    assert!(!stdout.contains("UNEXPECTED"), "{stdout}");
}

#[test]
fn graceful_shutdown() {
    let bin = env!("CARGO_BIN_EXE_graceful_shutdown");
    let stdout = assert_ok(
        bin,
        &run(bin, &[]),
        &[
            "server: shutdown signal with ",
            "client: a call after the shutdown failed cleanly: ",
            "in-flight calls completed; no accepted call failed",
        ],
    );
    // The numbers agree: every call that reached a handler was answered.
    let numbers = |marker: &str| -> Vec<usize> {
        let line = stdout
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("no {marker:?} line in:\n{stdout}"));
        line.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let in_flight = numbers("server: shutdown signal with ");
    let [started, finished] = numbers("server: stopped; ")[..] else {
        panic!("no started/finished counts in:\n{stdout}");
    };
    let answered = numbers(" calls answered, ");
    assert!(in_flight.first().is_some_and(|&n| n > 0), "{stdout}");
    assert_eq!(started, finished, "{stdout}");
    assert_eq!(answered.first(), Some(&finished), "{stdout}");
}
