//! [`Address`]: where a peer listens, over TCP/IP or a Unix domain socket.

use std::{
    fmt,
    net::{AddrParseError, SocketAddr},
    str::FromStr,
};
#[cfg(unix)]
use std::{path::Path, sync::Arc};

/// The prefix that marks a Unix domain socket address in text form.
const UNIX_PREFIX: &str = "unix:";

/// The network address of a peer: an IP socket address or a Unix domain socket path.
///
/// Cloning is cheap: the Unix path is shared behind an [`Arc`].
///
/// # Text form
///
/// [`Display`](fmt::Display) and [`FromStr`] agree on these forms:
///
/// | text                  | address                              |
/// |-----------------------|--------------------------------------|
/// | `127.0.0.1:8080`      | `Ip`, IPv4                           |
/// | `[::1]:80`            | `Ip`, IPv6 (brackets required)       |
/// | `unix:/run/app.sock`  | `Unix` (this is also how it prints)  |
/// | `/run/app.sock`       | `Unix`: any text with a `/` is a path |
///
/// Host names are not resolved here: resolving names is the job of service discovery.
/// A Unix path that is not valid UTF-8 prints lossily, so it does not round-trip.
///
/// ```
/// use volo::net::Address;
///
/// let ip: Address = "[::1]:80".parse().unwrap();
/// assert_eq!(ip.to_string(), "[::1]:80");
///
/// # #[cfg(unix)] {
/// let unix: Address = "/tmp/echo.sock".parse().unwrap();
/// assert_eq!(unix.to_string(), "unix:/tmp/echo.sock");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    /// A TCP/IP socket address.
    Ip(SocketAddr),
    /// A Unix domain socket path.
    ///
    /// The path of an unnamed socket (the client end of most Unix connections, as
    /// seen by the server) is empty.
    #[cfg(unix)]
    Unix(Arc<Path>),
}

impl Address {
    /// Returns the IP socket address, if this is one.
    pub fn as_ip(&self) -> Option<&SocketAddr> {
        match self {
            Address::Ip(addr) => Some(addr),
            #[cfg(unix)]
            Address::Unix(_) => None,
        }
    }

    /// Returns the Unix socket path, if this is one.
    #[cfg(unix)]
    pub fn as_unix(&self) -> Option<&Path> {
        match self {
            Address::Unix(path) => Some(path),
            Address::Ip(_) => None,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Ip(addr) => addr.fmt(f),
            #[cfg(unix)]
            Address::Unix(path) => write!(f, "{UNIX_PREFIX}{}", path.display()),
        }
    }
}

impl From<SocketAddr> for Address {
    fn from(addr: SocketAddr) -> Self {
        Address::Ip(addr)
    }
}

#[cfg(unix)]
impl From<Arc<Path>> for Address {
    fn from(path: Arc<Path>) -> Self {
        Address::Unix(path)
    }
}

#[cfg(unix)]
impl From<&Path> for Address {
    fn from(path: &Path) -> Self {
        Address::Unix(Arc::from(path))
    }
}

#[cfg(unix)]
impl From<std::path::PathBuf> for Address {
    fn from(path: std::path::PathBuf) -> Self {
        Address::Unix(Arc::from(path))
    }
}

impl FromStr for Address {
    type Err = AddressParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(AddressParseError::Empty);
        }
        if let Some(path) = s.strip_prefix(UNIX_PREFIX) {
            return parse_unix(path);
        }
        match s.parse::<SocketAddr>() {
            Ok(addr) => Ok(Address::Ip(addr)),
            // No IP socket address contains a '/', so this is a path.
            Err(_) if s.contains('/') => parse_unix(s),
            Err(source) => Err(AddressParseError::Invalid {
                input: s.to_owned(),
                source,
            }),
        }
    }
}

#[cfg(unix)]
fn parse_unix(path: &str) -> Result<Address, AddressParseError> {
    if path.is_empty() {
        return Err(AddressParseError::EmptyUnixPath);
    }
    Ok(Address::Unix(Arc::from(Path::new(path))))
}

#[cfg(not(unix))]
fn parse_unix(_path: &str) -> Result<Address, AddressParseError> {
    Err(AddressParseError::UnixUnsupported)
}

/// The error returned when text is not an [`Address`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressParseError {
    /// The text was empty.
    #[error("empty address")]
    Empty,
    /// The text was `unix:` with no path after it.
    #[error("empty unix socket path")]
    EmptyUnixPath,
    /// The text names a Unix socket, and this platform has none.
    #[error("unix domain sockets are not supported on this platform")]
    UnixUnsupported,
    /// The text is neither an IP socket address nor a path.
    #[error("invalid address {input:?}: expected `ip:port`, `[ipv6]:port`, `unix:path` or a path")]
    Invalid {
        /// The text that failed to parse.
        input: String,
        /// Why it is not an IP socket address.
        #[source]
        source: AddrParseError,
    },
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};

    use proptest::prelude::*;

    use super::*;

    fn parse(s: &str) -> Result<Address, AddressParseError> {
        s.parse()
    }

    #[test]
    fn parses_ip_addresses() {
        let v4 = parse("127.0.0.1:8080").unwrap();
        assert_eq!(
            v4,
            Address::Ip(SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)))
        );
        assert_eq!(v4.to_string(), "127.0.0.1:8080");

        let v6 = parse("[::1]:80").unwrap();
        assert_eq!(v6, Address::Ip(SocketAddr::from((Ipv6Addr::LOCALHOST, 80))));
        assert_eq!(v6.to_string(), "[::1]:80");
        assert!(v6.as_ip().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn parses_unix_addresses() {
        let prefixed = parse("unix:/tmp/echo.sock").unwrap();
        assert_eq!(prefixed.as_unix(), Some(Path::new("/tmp/echo.sock")));
        assert_eq!(prefixed.to_string(), "unix:/tmp/echo.sock");
        assert_eq!(prefixed.as_ip(), None);

        assert_eq!(parse("/tmp/echo.sock").unwrap(), prefixed);
        assert_eq!(
            parse("./run/app.sock").unwrap().as_unix(),
            Some(Path::new("./run/app.sock"))
        );
        // After the prefix anything is a path, even text that looks like an IP.
        assert_eq!(
            parse("unix:127.0.0.1:80").unwrap().as_unix(),
            Some(Path::new("127.0.0.1:80"))
        );
    }

    #[test]
    fn rejects_bad_addresses() {
        assert_eq!(parse(""), Err(AddressParseError::Empty));
        #[cfg(unix)]
        assert_eq!(parse("unix:"), Err(AddressParseError::EmptyUnixPath));
        for bad in [
            "localhost:80",
            "127.0.0.1",
            "::1:80",
            "[::1]",
            "127.0.0.1:65536",
            "127.0.0.1:-1",
            "sock",
            " 127.0.0.1:80",
        ] {
            match parse(bad) {
                Err(AddressParseError::Invalid { input, .. }) => assert_eq!(input, bad),
                other => panic!("{bad:?} parsed as {other:?}"),
            }
        }
    }

    #[test]
    fn parse_error_names_the_input() {
        let err = parse("nope").unwrap_err();
        assert!(err.to_string().contains("\"nope\""), "{err}");
        assert!(std::error::Error::source(&err).is_some());
    }

    proptest! {
        #[test]
        fn ipv4_round_trips(ip: Ipv4Addr, port: u16) {
            let addr = Address::from(SocketAddr::from((ip, port)));
            prop_assert_eq!(parse(&addr.to_string()), Ok(addr));
        }

        #[test]
        fn ipv6_round_trips(ip: Ipv6Addr, port: u16, scope_id: u32) {
            // Display prints the scope id but not the flow info, so flow info is 0.
            let addr = Address::from(SocketAddr::V6(SocketAddrV6::new(ip, port, 0, scope_id)));
            prop_assert_eq!(parse(&addr.to_string()), Ok(addr));
        }

        #[cfg(unix)]
        #[test]
        fn unix_paths_round_trip(path in ".+") {
            let addr = Address::from(Path::new(&path));
            prop_assert_eq!(parse(&addr.to_string()), Ok(addr));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in ".*") {
            let _ = parse(&text);
        }
    }
}
