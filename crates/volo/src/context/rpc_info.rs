//! [`RpcInfo`]: who calls whom, which method, with which options.

use faststr::FastStr;

use super::{Endpoint, Reset, Role};

/// What a call is: the side we are on, the caller and callee, the method, and the
/// per-call options (`Config`, a protocol's own options type or the core
/// [`Config`](super::Config)).
///
/// ```
/// use volo::context::{Config, Endpoint, Role, RpcInfo};
///
/// let info = RpcInfo::<Config>::new(Role::Client)
///     .with_caller(Endpoint::new("frontend"))
///     .with_callee(Endpoint::new("echo"))
///     .with_method("Echo");
/// assert_eq!(info.role(), Role::Client);
/// assert_eq!(info.callee().service_name(), "echo");
/// assert_eq!(info.method(), "Echo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcInfo<Config> {
    role: Role,
    caller: Endpoint,
    callee: Endpoint,
    method: FastStr,
    config: Config,
}

impl<Config: Default> RpcInfo<Config> {
    /// Creates the info of a call on side `role`, with empty endpoints and method and
    /// the default options.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            caller: Endpoint::default(),
            callee: Endpoint::default(),
            method: FastStr::empty(),
            config: Config::default(),
        }
    }
}

impl<Config> RpcInfo<Config> {
    /// Sets the caller.
    #[must_use]
    pub fn with_caller(mut self, caller: Endpoint) -> Self {
        self.caller = caller;
        self
    }

    /// Sets the callee.
    #[must_use]
    pub fn with_callee(mut self, callee: Endpoint) -> Self {
        self.callee = callee;
        self
    }

    /// Sets the method name.
    #[must_use]
    pub fn with_method(mut self, method: impl Into<FastStr>) -> Self {
        self.method = method.into();
        self
    }

    /// Sets the per-call options.
    #[must_use]
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Returns the side of the call this info belongs to.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Returns the calling endpoint.
    pub fn caller(&self) -> &Endpoint {
        &self.caller
    }

    /// Returns the calling endpoint for update.
    pub fn caller_mut(&mut self) -> &mut Endpoint {
        &mut self.caller
    }

    /// Returns the called endpoint.
    pub fn callee(&self) -> &Endpoint {
        &self.callee
    }

    /// Returns the called endpoint for update.
    pub fn callee_mut(&mut self) -> &mut Endpoint {
        &mut self.callee
    }

    /// Returns the method name; empty until set.
    pub fn method(&self) -> &FastStr {
        &self.method
    }

    /// Sets the method name.
    pub fn set_method(&mut self, method: impl Into<FastStr>) {
        self.method = method.into();
    }

    /// Returns the per-call options.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the per-call options for update.
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }
}

impl<Config: Reset> Reset for RpcInfo<Config> {
    /// Empties both endpoints and the method and resets the options; the role stays.
    fn reset(&mut self) {
        self.caller.reset();
        self.callee.reset();
        self.method = FastStr::empty();
        self.config.reset();
    }
}
