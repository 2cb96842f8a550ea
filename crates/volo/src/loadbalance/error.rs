//! [`LoadBalanceError`].

/// Why a load balancer could not give a picker.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadBalanceError {
    /// Service discovery failed; the cause is the discover's error.
    #[error("service discovery failed")]
    Discover(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The service has no instance that can take traffic: none was found, or every
    /// one has weight 0.
    #[error("no available instance")]
    NoAvailableInstance,
}

impl LoadBalanceError {
    /// Wraps a discover's error.
    pub fn discover(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        LoadBalanceError::Discover(Box::new(error))
    }
}
