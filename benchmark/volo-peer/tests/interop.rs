//! Wire interop with CloudWeGo's published Volo over TTHeader, in both
//! directions and on both transports: the metainfo check (persistent and
//! transient values forward, a backward value back) and a short load run
//! without errors.

use load_harness::{ClientArgs, Parser, Transport};

fn args(addr: &str, transport: Transport, extra: &[&str]) -> ClientArgs {
    let transport = match transport {
        Transport::Pool => "pool",
        Transport::Multiplex => "multiplex",
    };
    let mut argv = vec!["client", "--addr", addr, "--transport", transport];
    argv.extend_from_slice(extra);
    ClientArgs::try_parse_from(argv).unwrap()
}

const SHORT: [&str; 6] = ["--concurrency", "8", "--warmup", "0.1", "--duration", "0.3"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volo_client_against_our_server() {
    let (addr, server) = load::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(server);
    for transport in [Transport::Pool, Transport::Multiplex] {
        volo_peer::check(&args(&addr, transport, &[]))
            .await
            .unwrap();
        let report = volo_peer::load(&args(&addr, transport, &SHORT))
            .await
            .unwrap();
        assert!(
            report.calls > 0 && report.errors == 0,
            "{transport:?}: {report}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_against_the_volo_server() {
    for transport in [Transport::Pool, Transport::Multiplex] {
        let (addr, server) = volo_peer::bind("127.0.0.1:0".parse().unwrap(), transport)
            .await
            .unwrap();
        let server = tokio::spawn(server);
        load::check(&args(&addr, transport, &[])).await.unwrap();
        let report = load::load(&args(&addr, transport, &SHORT)).await.unwrap();
        assert!(
            report.calls > 0 && report.errors == 0,
            "{transport:?}: {report}"
        );
        server.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volo_against_itself() {
    let (addr, server) = volo_peer::bind("127.0.0.1:0".parse().unwrap(), Transport::Multiplex)
        .await
        .unwrap();
    tokio::spawn(server);
    for transport in [Transport::Pool, Transport::Multiplex] {
        volo_peer::check(&args(&addr, transport, &[]))
            .await
            .unwrap();
    }
}
