//! [`LoadBalanced`]: picks the callee's address before the inner service.

use std::sync::Arc;

use motore::Service;
use volo::{
    discovery::Discover,
    loadbalance::{LoadBalance, LoadBalanceError},
};

use super::{ClientError, ClientErrorKind};
use crate::ClientContext;

/// A service that sets the callee address of each call (unless the call
/// options already did) from `discover` and `load_balance`, then calls the
/// inner service.
#[derive(Debug)]
pub struct LoadBalanced<D, LB, S> {
    discover: Arc<D>,
    load_balance: Arc<LB>,
    inner: S,
}

impl<D, LB, S: Clone> Clone for LoadBalanced<D, LB, S> {
    fn clone(&self) -> Self {
        Self {
            discover: Arc::clone(&self.discover),
            load_balance: Arc::clone(&self.load_balance),
            inner: self.inner.clone(),
        }
    }
}

impl<D, LB, S> LoadBalanced<D, LB, S> {
    /// Wraps `inner`.
    pub fn new(discover: D, load_balance: LB, inner: S) -> Self {
        Self {
            discover: Arc::new(discover),
            load_balance: Arc::new(load_balance),
            inner,
        }
    }
}

impl<D, LB, S, Req> Service<ClientContext, Req> for LoadBalanced<D, LB, S>
where
    D: Discover,
    LB: LoadBalance<D>,
    S: Service<ClientContext, Req, Error = ClientError> + Sync,
    Req: Send,
{
    type Response = S::Response;
    type Error = ClientError;

    async fn call(&self, cx: &mut ClientContext, req: Req) -> Result<S::Response, ClientError> {
        if cx.rpc_info().callee().address().is_none() {
            let address = self
                .load_balance
                .get_picker(cx.rpc_info().callee(), &self.discover)
                .await
                .map_err(lb_error)?
                .next()
                .ok_or_else(|| lb_error(LoadBalanceError::NoAvailableInstance))?;
            cx.rpc_info_mut().callee_mut().set_address(Some(address));
        }
        self.inner.call(cx, req).await
    }
}

fn lb_error(e: LoadBalanceError) -> ClientError {
    ClientError::new(ClientErrorKind::LoadBalance, e.to_string()).with_source(e)
}
