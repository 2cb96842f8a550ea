//! The demo: a `Greeter` server and a generated client calling it.
//!
//! ```text
//! hello                       # server and client in one process, then exit
//! hello server --addr ADDR    # only the server, until Ctrl-C
//! hello client --addr ADDR    # only the client, against a running server
//! ```

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use examples::greeter::{
    Greeter, GreeterCallError, GreeterClient, GreeterGreetException, GreeterHandlerError,
    GreeterServer, Refused,
};
use motore::BoxError;
use pilota::FastStr;
use volo::net::{ListenOptions, Listener};
use volo_thrift::server::{Server, ctrl_c_or_sigterm};

/// The handler: what a user writes. Each IDL method is an async method; a
/// declared exception is returned as `Err(exception.into())`.
struct Hello;

impl Greeter for Hello {
    async fn greet(
        &self,
        name: FastStr,
    ) -> Result<FastStr, GreeterHandlerError<GreeterGreetException>> {
        if name.trim().is_empty() {
            return Err(Refused {
                reason: Some("a name is required".into()),
                ..Default::default()
            }
            .into());
        }
        Ok(format!("hello, {name}!").into())
    }
}

/// What the command line asks for.
enum Mode {
    Both,
    Server(SocketAddr),
    Client(SocketAddr),
}

fn parse(args: &[String]) -> Result<Mode, String> {
    let addr = |rest: &[String]| match rest {
        [flag, addr] if flag == "--addr" => addr
            .parse::<SocketAddr>()
            .map_err(|e| format!("bad address {addr:?}: {e}")),
        _ => Err("expected `--addr HOST:PORT`".to_owned()),
    };
    match args {
        [] => Ok(Mode::Both),
        [mode, rest @ ..] if mode == "server" => addr(rest).map(Mode::Server),
        [mode, rest @ ..] if mode == "client" => addr(rest).map(Mode::Client),
        _ => Err("usage: hello [server --addr HOST:PORT | client --addr HOST:PORT]".to_owned()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match parse(&args) {
        Ok(Mode::Both) => both().await,
        Ok(Mode::Server(addr)) => serve(addr).await,
        Ok(Mode::Client(addr)) => client(addr).await,
        Err(usage) => Err(usage.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hello: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Server and client in one process: the README demo.
async fn both() -> Result<(), BoxError> {
    // `Server::new` takes the generated dispatcher around the handler.
    let server = examples::spawn(Server::new(GreeterServer::new(Hello))).await?;
    println!("server: listening on {}", server.addr);
    client(server.addr).await?;
    server.stop().await?;
    println!("server: stopped");
    Ok(())
}

/// Only the server, until Ctrl-C or SIGTERM.
async fn serve(addr: SocketAddr) -> Result<(), BoxError> {
    // Bind first, so that "listening" is true once it is printed.
    let listener = Listener::bind(addr, ListenOptions::new()).await?;
    println!("server: listening on {addr} (Ctrl-C to stop)");
    Server::new(GreeterServer::new(Hello))
        .run_with_shutdown(listener, ctrl_c_or_sigterm())
        .await?;
    println!("server: stopped");
    Ok(())
}

/// Calls the server a few times; the empty name comes back as the declared
/// `Refused` exception, typed.
async fn client(addr: SocketAddr) -> Result<(), BoxError> {
    let client = GreeterClient::builder("greeter")
        .address(addr)
        .rpc_timeout(Duration::from_secs(5))
        .build();
    for name in ["world", "Volo"] {
        println!("client: greet({name:?})");
        let answer = client.greet(name.into()).await?;
        println!("client:   -> {answer:?}");
    }
    println!("client: greet(\"\")");
    match client.greet("".into()).await {
        Err(GreeterCallError::Exception(GreeterGreetException::Refused(refused))) => {
            let reason = refused.reason.unwrap_or_default();
            println!("client:   -> declared exception Refused {{ reason: {reason:?} }}");
        }
        Err(other) => return Err(format!("expected `Refused`, got the error {other}").into()),
        Ok(answer) => return Err(format!("expected `Refused`, got {answer:?}").into()),
    }
    println!("client: done, 3 calls");
    Ok(())
}
