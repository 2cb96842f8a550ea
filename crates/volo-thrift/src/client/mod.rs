//! The Thrift client: a [`Builder`], the [`Client`] it builds, and
//! per-call options ([`CallOpt`]).
//!
//! A call goes through an onion of services:
//!
//! ```text
//! outer layers -> load balancing (picks the callee address) -> inner layers -> transport
//! ```
//!
//! The transport ([`Pool`] by default, or
//! [`Multiplex`]) encodes the request in the
//! chosen [`Format`] (TTHeader with a framed binary payload by default),
//! sends it and decodes the reply. The rpc timeout covers the whole call,
//! connecting included. Metainfo travels both ways: the persistent and
//! transient values of the caller's current `metainfo` scope go with the
//! request (TTHeader only), and the callee's backward values come back into
//! that scope as downstream values.

mod error;
mod lb;

use std::{
    sync::{
        Arc,
        atomic::{AtomicI32, Ordering},
    },
    time::Duration,
};

use faststr::FastStr;
use motore::{
    Layer, Service,
    layer::{Identity, Stack},
    service::BoxCloneService,
};
use volo::{
    context::{Config, Endpoint, Role, RpcInfo},
    discovery::{Discover, DummyDiscover, StaticDiscover},
    loadbalance::{LoadBalance, WeightedRandom},
    net::{Address, Dialer},
};

pub use self::{
    error::{ClientError, ClientErrorKind},
    lb::LoadBalanced,
};
use crate::{
    ClientContext, ClientInfo, EntryMessage,
    codec::{DEFAULT_MAX_FRAME_SIZE, Format},
    transport::{Multiplex, Pool, PoolConfig, Transport},
};

/// Options for one call, overriding the client's.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOpt {
    /// The call's timeout.
    pub rpc_timeout: Option<Duration>,
    /// The connect timeout.
    pub connect_timeout: Option<Duration>,
    /// Call this address, bypassing load balancing.
    pub address: Option<Address>,
}

impl CallOpt {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the call's timeout.
    #[must_use]
    pub fn with_rpc_timeout(mut self, timeout: Duration) -> Self {
        self.rpc_timeout = Some(timeout);
        self
    }

    /// Sets the connect timeout.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Calls `address`, bypassing load balancing.
    #[must_use]
    pub fn with_address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }
}

#[derive(Debug, Clone)]
enum TransportKind {
    Pool(PoolConfig),
    Multiplex,
}

/// Builds a [`Client`]: where to call (a fixed address, or discovery and
/// load balancing), how (format, transport, timeouts), and the layers.
///
/// ```
/// use std::time::Duration;
/// use volo_thrift::{client::Builder, codec::{Format, Framing, Protocol}};
///
/// let builder = Builder::new("echo")
///     .address("127.0.0.1:8888".parse::<std::net::SocketAddr>().unwrap())
///     .caller_name("frontend")
///     .format(Format::new(Framing::Framed, Protocol::Compact))
///     .rpc_timeout(Duration::from_secs(1))
///     .multiplex();
/// # let _ = builder;
/// ```
#[derive(Debug)]
#[must_use]
pub struct Builder<D, LB, IL, OL> {
    options: Options,
    discover: D,
    load_balance: LB,
    inner_layer: IL,
    outer_layer: OL,
}

/// The builder's settings that do not change its type.
#[derive(Debug)]
struct Options {
    service_name: FastStr,
    caller_name: FastStr,
    isn: Option<FastStr>,
    format: Format,
    rpc_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_frame_size: usize,
    transport: TransportKind,
}

impl Builder<DummyDiscover, WeightedRandom<()>, Identity, Identity> {
    /// A builder for a client of the service named `service_name`. Give it
    /// an [`address`](Self::address) or a [`discover`](Self::discover).
    pub fn new(service_name: impl Into<FastStr>) -> Self {
        Self {
            options: Options {
                service_name: service_name.into(),
                caller_name: FastStr::empty(),
                isn: None,
                format: Format::default(),
                rpc_timeout: None,
                connect_timeout: None,
                max_frame_size: DEFAULT_MAX_FRAME_SIZE,
                transport: TransportKind::Pool(PoolConfig::default()),
            },
            discover: DummyDiscover,
            load_balance: WeightedRandom::new(),
            inner_layer: Identity::new(),
            outer_layer: Identity::new(),
        }
    }
}

impl<D, LB, IL, OL> Builder<D, LB, IL, OL> {
    /// Calls one fixed address.
    pub fn address(
        self,
        address: impl Into<Address>,
    ) -> Builder<StaticDiscover, WeightedRandom<()>, IL, OL> {
        self.discover(StaticDiscover::from_addresses([address.into()]))
    }

    /// Finds the callee's instances with `discover`, balanced with weighted
    /// random picks unless [`load_balance`](Self::load_balance) says
    /// otherwise.
    pub fn discover<D2: Discover>(
        self,
        discover: D2,
    ) -> Builder<D2, WeightedRandom<D2::Key>, IL, OL> {
        Builder {
            options: self.options,
            discover,
            load_balance: WeightedRandom::new(),
            inner_layer: self.inner_layer,
            outer_layer: self.outer_layer,
        }
    }

    /// Picks instances with `load_balance`.
    pub fn load_balance<LB2>(self, load_balance: LB2) -> Builder<D, LB2, IL, OL> {
        Builder {
            options: self.options,
            discover: self.discover,
            load_balance,
            inner_layer: self.inner_layer,
            outer_layer: self.outer_layer,
        }
    }

    /// Adds a layer between load balancing and the transport (it sees the
    /// picked address), inside the inner layers added so far.
    pub fn layer_inner<L>(self, layer: L) -> Builder<D, LB, Stack<L, IL>, OL> {
        Builder {
            options: self.options,
            discover: self.discover,
            load_balance: self.load_balance,
            inner_layer: Stack::new(layer, self.inner_layer),
            outer_layer: self.outer_layer,
        }
    }

    /// Adds a layer outside load balancing, inside the outer layers added so
    /// far.
    pub fn layer_outer<L>(self, layer: L) -> Builder<D, LB, IL, Stack<L, OL>> {
        Builder {
            options: self.options,
            discover: self.discover,
            load_balance: self.load_balance,
            inner_layer: self.inner_layer,
            outer_layer: Stack::new(layer, self.outer_layer),
        }
    }

    /// The caller's service name, sent in TTHeader.
    pub fn caller_name(mut self, name: impl Into<FastStr>) -> Self {
        self.options.caller_name = name.into();
        self
    }

    /// The IDL service name sent as TTHeader `isn`, so that a server hosting
    /// several services routes the calls to this one (Kitex multi-service,
    /// `volo_thrift::server::Router`). Not sent by default: a server with one
    /// service needs none, and formats without TTHeader cannot carry it.
    pub fn isn(mut self, name: impl Into<FastStr>) -> Self {
        self.options.isn = Some(name.into());
        self
    }

    /// The format requests are sent in (default: TTHeader with a framed
    /// binary payload).
    pub fn format(mut self, format: Format) -> Self {
        self.options.format = format;
        self
    }

    /// The default timeout of a call (none by default).
    pub fn rpc_timeout(mut self, timeout: Duration) -> Self {
        self.options.rpc_timeout = Some(timeout);
        self
    }

    /// The default connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = Some(timeout);
        self
    }

    /// The largest frame written or read.
    pub fn max_frame_size(mut self, max: usize) -> Self {
        self.options.max_frame_size = max;
        self
    }

    /// Uses a connection pool with `config` (the default transport).
    pub fn pool(mut self, config: PoolConfig) -> Self {
        self.options.transport = TransportKind::Pool(config);
        self
    }

    /// Multiplexes calls over one connection per host.
    pub fn multiplex(mut self) -> Self {
        self.options.transport = TransportKind::Multiplex;
        self
    }

    /// Builds the client for requests `Req` and responses `Resp`.
    ///
    /// The stack is type-erased once, on purpose, so that the client has a
    /// nameable type; each call pays one boxed future for it.
    pub fn build<Req, Resp>(self) -> Client<Req, Resp>
    where
        D: Discover,
        LB: LoadBalance<D>,
        IL: Layer<Transport<Resp>>,
        IL::Service: Service<ClientContext, Req, Response = Option<Resp>, Error = ClientError>
            + Send
            + Sync
            + 'static,
        OL: Layer<LoadBalanced<D, LB, IL::Service>>,
        OL::Service: Service<ClientContext, Req, Response = Option<Resp>, Error = ClientError>
            + Clone
            + Send
            + Sync
            + 'static,
        Req: EntryMessage + 'static,
        Resp: EntryMessage + 'static,
    {
        let dialer = Dialer::new();
        let options = self.options;
        let dialer = match options.connect_timeout {
            Some(t) => dialer.with_connect_timeout(Some(t)),
            None => dialer,
        };
        let transport = match options.transport {
            TransportKind::Pool(config) => {
                Transport::Pool(Pool::new(dialer, config, options.max_frame_size))
            }
            TransportKind::Multiplex => {
                Transport::Multiplex(Multiplex::new(dialer, options.max_frame_size))
            }
        };
        let inner = self.inner_layer.layer(transport);
        let balanced = LoadBalanced::new(self.discover, self.load_balance, inner);
        let service = BoxCloneService::new(self.outer_layer.layer(balanced));
        Client {
            service,
            shared: Arc::new(Shared {
                service_name: options.service_name,
                caller_name: options.caller_name,
                isn: options.isn,
                format: options.format,
                rpc_timeout: options.rpc_timeout,
                connect_timeout: options.connect_timeout,
                seq: AtomicI32::new(1),
            }),
        }
    }
}

#[derive(Debug)]
struct Shared {
    service_name: FastStr,
    caller_name: FastStr,
    isn: Option<FastStr>,
    format: Format,
    rpc_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    seq: AtomicI32,
}

/// A Thrift client of one service; cheap to clone (clones share the
/// connections).
pub struct Client<Req, Resp> {
    service: BoxCloneService<ClientContext, Req, Option<Resp>, ClientError>,
    shared: Arc<Shared>,
}

impl<Req, Resp> Clone for Client<Req, Resp> {
    fn clone(&self) -> Self {
        Self {
            service: self.service.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<Req, Resp> std::fmt::Debug for Client<Req, Resp> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service_name", &self.shared.service_name)
            .field("format", &self.shared.format)
            .finish_non_exhaustive()
    }
}

impl<Req: EntryMessage + 'static, Resp: EntryMessage + 'static> Client<Req, Resp> {
    /// Calls `method` and waits for the reply.
    pub async fn call(&self, method: impl Into<FastStr>, req: Req) -> Result<Resp, ClientError> {
        self.call_with(CallOpt::default(), method, req).await
    }

    /// Calls `method` with per-call options.
    pub async fn call_with(
        &self,
        opt: CallOpt,
        method: impl Into<FastStr>,
        req: Req,
    ) -> Result<Resp, ClientError> {
        self.invoke(opt, method.into(), req, false)
            .await?
            .ok_or_else(|| ClientError::new(ClientErrorKind::Protocol, "a call got no reply"))
    }

    /// Sends a oneway call: it returns once the request is written.
    pub async fn oneway(&self, method: impl Into<FastStr>, req: Req) -> Result<(), ClientError> {
        self.invoke(CallOpt::default(), method.into(), req, true)
            .await
            .map(|_| ())
    }

    async fn invoke(
        &self,
        opt: CallOpt,
        method: FastStr,
        req: Req,
        oneway: bool,
    ) -> Result<Option<Resp>, ClientError> {
        let shared = &self.shared;
        let rpc_timeout = opt.rpc_timeout.or(shared.rpc_timeout);
        let config = Config::new()
            .with_rpc_timeout(rpc_timeout)
            .with_connect_timeout(opt.connect_timeout.or(shared.connect_timeout));
        let mut callee = Endpoint::new(shared.service_name.clone());
        callee.set_address(opt.address);
        let info = RpcInfo::new(Role::Client)
            .with_caller(Endpoint::new(shared.caller_name.clone()))
            .with_callee(callee)
            .with_method(method)
            .with_config(config);
        let mut inner = ClientInfo::default();
        inner.set_seq_id(shared.seq.fetch_add(1, Ordering::Relaxed));
        inner.set_oneway(oneway);
        inner.set_format(shared.format);
        inner.set_isn(shared.isn.clone());
        let start = inner.timings_mut().record_start();
        inner
            .timings_mut()
            .set_deadline(rpc_timeout.and_then(|t| start.checked_add(t)));
        let mut cx = ClientContext::new(info, inner);
        let call = self.service.call(&mut cx, req);
        match rpc_timeout {
            Some(timeout) => tokio::time::timeout(timeout, call)
                .await
                .unwrap_or_else(|_| {
                    Err(ClientError::new(
                        ClientErrorKind::Timeout,
                        format!("the call did not finish within {timeout:?}"),
                    ))
                }),
            None => call.await,
        }
    }
}
