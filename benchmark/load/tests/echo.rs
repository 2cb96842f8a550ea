//! Our client against our server over real sockets: the interop check and a
//! short load run, on both transports.

use load_harness::{ClientArgs, Parser};

/// Starts our echo server on a free port of 127.0.0.1.
async fn serve() -> String {
    let (addr, server) = load::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(server);
    addr
}

fn args(addr: &str, transport: &str, extra: &[&str]) -> ClientArgs {
    let mut argv = vec!["client", "--addr", addr, "--transport", transport];
    argv.extend_from_slice(extra);
    ClientArgs::try_parse_from(argv).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metainfo_check_passes_on_both_transports() {
    let addr = serve().await;
    for transport in ["pool", "multiplex"] {
        load::check(&args(&addr, transport, &[])).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_load_run_makes_error_free_calls() {
    let addr = serve().await;
    for transport in ["pool", "multiplex"] {
        let flags = ["--concurrency", "8", "--warmup", "0.1", "--duration", "0.3"];
        let report = load::load(&args(&addr, transport, &flags)).await.unwrap();
        assert!(report.calls > 0, "{transport}: {report}");
        assert_eq!(report.errors, 0, "{transport}: {report}");
    }
}

#[tokio::test]
async fn no_server_means_errors_not_a_hang() {
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let flags = ["--concurrency", "2", "--warmup", "0", "--duration", "0.2"];
    let report = load::load(&args(&addr, "pool", &flags)).await.unwrap();
    assert_eq!(report.calls, 0);
    assert!(report.errors > 0, "{report}");
    assert!(load::check(&args(&addr, "pool", &[])).await.is_err());
}
