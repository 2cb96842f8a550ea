//! Oneway calls: the client sends `tick` N times without waiting for any
//! reply, then asks `count()` (a normal call) how many arrived.
//!
//! A oneway call returns as soon as the request is written, and the server
//! handles requests of one connection concurrently, so the last ticks may
//! still be in their handlers when `count()` is answered: the client asks
//! again until the count is complete (for at most 5 s).

use std::{
    process::ExitCode,
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use examples::tally::{Tally, TallyClient, TallyServer};
use motore::BoxError;
use pilota::FastStr;
use volo_thrift::server::Server;

/// How many ticks the client sends.
const TICKS: i64 = 20;

/// Counts the ticks it gets.
#[derive(Default)]
struct Counter {
    ticks: AtomicI64,
}

impl Tally for Counter {
    async fn tick(&self, _from: FastStr) -> Result<(), BoxError> {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn count(&self) -> Result<i64, BoxError> {
        Ok(self.ticks.load(Ordering::SeqCst))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oneway: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let server = examples::spawn(Server::new(TallyServer::new(Counter::default()))).await?;
    println!("server: listening on {}", server.addr);

    let client = TallyClient::builder("tally")
        .address(server.addr)
        .rpc_timeout(Duration::from_secs(5))
        .build();
    for _ in 0..TICKS {
        // Returns once the request is on the wire: there is no reply.
        client.tick("oneway example".into()).await?;
    }
    println!("client: sent {TICKS} oneway ticks");

    let count = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let count = client.count().await?;
            if count >= TICKS {
                return Ok::<_, BoxError>(count);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .map_err(|_| "the ticks did not all arrive within 5 s")??;
    println!("client: count() -> {count}");
    server.stop().await?;
    if count != TICKS {
        return Err(format!("expected {TICKS} ticks, the server counted {count}").into());
    }
    println!("server: counted all {TICKS} ticks");
    Ok(())
}
