//! [`Endpoint`]: one side of a call.

use std::collections::HashMap;

use faststr::FastStr;

use super::Reset;
use crate::net::Address;

/// One side of a call: the service's name, its address when known, and string tags.
///
/// The caller endpoint describes who is calling; the callee endpoint describes who is
/// called. On a client, the callee's name is what service discovery resolves, and its
/// tags (cluster, region, ...) can steer it; setting the callee's address pins the call
/// to one instance. On a server, the caller's address is the peer's.
///
/// ```
/// use volo::context::Endpoint;
///
/// let callee = Endpoint::new("echo")
///     .with_address("127.0.0.1:8080".parse().unwrap())
///     .with_tag("cluster", "default");
/// assert_eq!(callee.service_name(), "echo");
/// assert_eq!(callee.tag("cluster"), Some("default"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    service_name: FastStr,
    address: Option<Address>,
    tags: HashMap<FastStr, FastStr>,
}

impl Endpoint {
    /// Creates an endpoint for the named service, with no address and no tags.
    pub fn new(service_name: impl Into<FastStr>) -> Self {
        Self {
            service_name: service_name.into(),
            ..Self::default()
        }
    }

    /// Sets the address.
    #[must_use]
    pub fn with_address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }

    /// Adds a tag, replacing any tag with the same key.
    #[must_use]
    pub fn with_tag(mut self, key: impl Into<FastStr>, value: impl Into<FastStr>) -> Self {
        self.insert_tag(key, value);
        self
    }

    /// Returns the service name; empty if unknown.
    pub fn service_name(&self) -> &FastStr {
        &self.service_name
    }

    /// Sets the service name.
    pub fn set_service_name(&mut self, service_name: impl Into<FastStr>) {
        self.service_name = service_name.into();
    }

    /// Returns the address, if known.
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref()
    }

    /// Sets or clears the address.
    pub fn set_address(&mut self, address: Option<Address>) {
        self.address = address;
    }

    /// Returns the value of the tag `key`, if set.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key).map(FastStr::as_str)
    }

    /// Returns every tag.
    pub fn tags(&self) -> &HashMap<FastStr, FastStr> {
        &self.tags
    }

    /// Sets a tag, returning the value it replaces.
    pub fn insert_tag(
        &mut self,
        key: impl Into<FastStr>,
        value: impl Into<FastStr>,
    ) -> Option<FastStr> {
        self.tags.insert(key.into(), value.into())
    }

    /// Removes a tag, returning its value.
    pub fn remove_tag(&mut self, key: &str) -> Option<FastStr> {
        self.tags.remove(key)
    }
}

impl Reset for Endpoint {
    /// Empties the name, address and tags; the tag map keeps its capacity.
    fn reset(&mut self) {
        self.service_name = FastStr::empty();
        self.address = None;
        self.tags.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_and_tags() {
        let mut endpoint = Endpoint::new("echo").with_tag("zone", "a");
        assert_eq!(endpoint.insert_tag("zone", "b").as_deref(), Some("a"));
        assert_eq!(endpoint.tag("zone"), Some("b"));
        assert_eq!(endpoint.remove_tag("zone").as_deref(), Some("b"));
        assert_eq!(endpoint.tag("zone"), None);

        endpoint.set_service_name("other");
        let addr: Address = "127.0.0.1:1".parse().unwrap();
        endpoint.set_address(Some(addr.clone()));
        assert_eq!(endpoint.service_name(), "other");
        assert_eq!(endpoint.address(), Some(&addr));
    }

    #[test]
    fn reset_empties_and_keeps_tag_capacity() {
        let mut endpoint = Endpoint::new("echo").with_address("127.0.0.1:1".parse().unwrap());
        for i in 0..20 {
            endpoint.insert_tag(format!("k{i}"), "v");
        }
        let capacity = endpoint.tags().capacity();

        endpoint.reset();
        assert_eq!(endpoint, Endpoint::default());
        assert_eq!(endpoint.tags().capacity(), capacity);
    }
}
