//! Two IDL services on one port: a `Router` picks the service each request
//! names in its TTHeader `isn` (the IDL service name), and takes the first
//! service when a request names none. A generated client names its service
//! when built with `.isn()`.

use std::{process::ExitCode, time::Duration};

use examples::multi::{Adder, AdderClient, AdderServer, Shouter, ShouterClient, ShouterServer};
use motore::BoxError;
use pilota::{FastStr, thrift::ApplicationExceptionKind};
use volo_thrift::server::{Router, Server};
struct Add;

impl Adder for Add {
    async fn add(&self, a: i64, b: i64) -> Result<i64, BoxError> {
        a.checked_add(b).ok_or_else(|| "the sum overflows".into())
    }
}

struct Shout;

impl Shouter for Shout {
    async fn shout(&self, text: FastStr) -> Result<FastStr, BoxError> {
        Ok(text.to_uppercase().into())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("multi_service: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    // `Adder` is the first service: the default for requests without `isn`.
    let router = Router::new(AdderServer::new(Add), ShouterServer::new(Shout));
    let server = examples::spawn(Server::new(router)).await?;
    println!("server: Adder and Shouter on {}", server.addr);

    // A generated `Adder` client: routed to `Adder`, the default service.
    let adder = AdderClient::builder("calc")
        .address(server.addr)
        .rpc_timeout(Duration::from_secs(5))
        .build();
    let sum = adder.add(40, 2).await?;
    println!("Adder client:   add(40, 2) -> {sum}");

    // A `Shouter` client naming its service in `isn`: routed to `Shouter`.
    let named = ShouterClient::builder("calc")
        .address(server.addr)
        .isn()
        .rpc_timeout(Duration::from_secs(5))
        .build();
    let shouted = named.shout("hello, router".into()).await?;
    println!("Shouter client: shout(\"hello, router\") with isn = \"Shouter\" -> {shouted:?}");

    // Without an `isn`, the same request goes to `Adder`, which has no
    // `shout` method: the server answers UNKNOWN_METHOD.
    let unnamed = ShouterClient::builder("calc")
        .address(server.addr)
        .rpc_timeout(Duration::from_secs(5))
        .build();
    let error = match unnamed.shout("lost".into()).await {
        Ok(answer) => return Err(format!("expected UNKNOWN_METHOD, got {answer:?}").into()),
        Err(e) => e,
    };
    let kind = error.application_exception().map(|a| a.kind());
    if kind != Some(ApplicationExceptionKind::UNKNOWN_METHOD) {
        return Err(format!("expected UNKNOWN_METHOD, got {error}").into());
    }
    println!("Shouter client: shout(\"lost\") without isn -> UNKNOWN_METHOD (went to Adder)");

    server.stop().await?;
    println!("server: stopped");
    Ok(())
}
