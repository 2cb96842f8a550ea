//! The innermost services of a client stack: they encode the request, send
//! it, and wait for and decode the reply.
//!
//! - [`Pool`]: one call at a time per connection, connections kept for
//!   reuse (idle limit and timeout, a cap per host, `crrst` honoured).
//! - [`Multiplex`]: many calls in flight on one connection per host,
//!   matched by sequence id (TTHeader requests carry the out-of-order flag).
//!   When the connection is lost, every pending call fails at once.
//!
//! Both answer `Option<Resp>`: `None` for a oneway call.

mod call;
mod multiplex;
mod pool;

use motore::Service;

pub use self::{
    multiplex::Multiplex,
    pool::{Pool, PoolConfig},
};
use crate::{ClientContext, EntryMessage, client::ClientError};

/// Either transport, chosen when the client is built.
#[derive(Debug)]
pub enum Transport<Resp> {
    /// A connection pool.
    Pool(Pool<Resp>),
    /// A multiplexed connection per host.
    Multiplex(Multiplex<Resp>),
}

impl<Resp> Clone for Transport<Resp> {
    fn clone(&self) -> Self {
        match self {
            Transport::Pool(p) => Transport::Pool(p.clone()),
            Transport::Multiplex(m) => Transport::Multiplex(m.clone()),
        }
    }
}

impl<Req, Resp> Service<ClientContext, Req> for Transport<Resp>
where
    Req: EntryMessage + Sync + 'static,
    Resp: EntryMessage + 'static,
{
    type Response = Option<Resp>;
    type Error = ClientError;

    async fn call(&self, cx: &mut ClientContext, req: Req) -> Result<Option<Resp>, ClientError> {
        match self {
            Transport::Pool(p) => p.call(cx, req).await,
            Transport::Multiplex(m) => m.call(cx, req).await,
        }
    }
}
