//! The echo server on CloudWeGo's published Volo: `--addr HOST:PORT
//! --threads N`; `--transport multiplex` turns on Volo's multiplexed
//! connections (off by default in Volo).

use load_harness::{Parser, ServerArgs};

fn main() -> Result<(), volo_peer::BoxError> {
    let args = ServerArgs::parse();
    load_harness::runtime(args.threads)?.block_on(async {
        let (addr, server) = volo_peer::bind(args.addr, args.transport).await?;
        println!("listening on {addr}");
        server.await
    })
}
