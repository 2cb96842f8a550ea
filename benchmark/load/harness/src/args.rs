//! The command line every load binary takes.

use std::{net::SocketAddr, time::Duration};

use clap::{Parser, ValueEnum};

/// How a client reaches the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    /// A pool of connections, one call in flight per connection.
    Pool,
    /// Calls multiplexed over one connection, matched by sequence id.
    Multiplex,
}

/// Flags of the echo servers.
#[derive(Debug, Clone, Parser)]
pub struct ServerArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8888")]
    pub addr: SocketAddr,
    /// Tokio worker threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// The transport the clients will use (a server that must be told,
    /// like Volo's, serves multiplexed connections only when asked).
    #[arg(long, value_enum, default_value_t = Transport::Pool)]
    pub transport: Transport,
}

/// Flags of the echo clients.
#[derive(Debug, Clone, Parser)]
pub struct ClientArgs {
    /// Server address.
    #[arg(long, default_value = "127.0.0.1:8888")]
    pub addr: SocketAddr,
    /// Tokio worker threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Concurrent callers.
    #[arg(long, default_value_t = 100)]
    pub concurrency: usize,
    /// Request message length in bytes.
    #[arg(long, default_value_t = 1024)]
    pub payload: usize,
    /// Measured seconds, after the warmup.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Seconds of calls before measuring.
    #[arg(long, default_value_t = 2.0)]
    pub warmup: f64,
    /// Pool or multiplex.
    #[arg(long, value_enum, default_value_t = Transport::Pool)]
    pub transport: Transport,
    /// Instead of a load run, check that metainfo crosses the wire both ways
    /// and exit non-zero if it does not.
    #[arg(long)]
    pub check: bool,
}

impl ClientArgs {
    /// The load plan the flags describe; negative or non-finite seconds are
    /// an error, not a panic.
    pub fn plan(&self) -> Result<crate::Plan, String> {
        Ok(crate::Plan {
            concurrency: self.concurrency.max(1),
            warmup: seconds("--warmup", self.warmup)?,
            duration: seconds("--duration", self.duration)?,
        })
    }
}

fn seconds(flag: &str, secs: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{flag} {secs}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_flags_parse() {
        let args = ClientArgs::try_parse_from([
            "client",
            "--addr",
            "127.0.0.1:9000",
            "--threads",
            "2",
            "--concurrency",
            "7",
            "--payload",
            "16",
            "--duration",
            "1.5",
            "--warmup",
            "0",
            "--transport",
            "multiplex",
        ])
        .unwrap();
        assert_eq!(args.addr, "127.0.0.1:9000".parse().unwrap());
        assert_eq!((args.threads, args.concurrency, args.payload), (2, 7, 16));
        assert_eq!(args.transport, Transport::Multiplex);
        assert!(!args.check);
        let plan = args.plan().unwrap();
        assert_eq!(plan.duration, Duration::from_millis(1500));
        assert_eq!(plan.warmup, Duration::ZERO);
    }

    #[test]
    fn bad_flags_are_errors() {
        assert!(ClientArgs::try_parse_from(["client", "--transport", "udp"]).is_err());
        assert!(ServerArgs::try_parse_from(["server", "--addr", "nowhere"]).is_err());
        let args = ClientArgs::try_parse_from(["client", "--duration=-1"]).unwrap();
        assert!(args.plan().unwrap_err().contains("--duration"));
    }

    #[test]
    fn server_defaults() {
        let args = ServerArgs::try_parse_from(["server"]).unwrap();
        assert_eq!(args.threads, 1);
        assert_eq!(args.transport, Transport::Pool);
    }
}
