//! What a message looks like on the wire: its [`Framing`] and its [`Protocol`].

/// How messages are delimited on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// No delimiter: the message is written as it is ("buffered" or
    /// "unframed" transport); the reader finds its end by parsing it.
    Buffered,
    /// A 4-byte big-endian length, then the message.
    Framed,
    /// A TTHeader frame whose payload is the bare message.
    TTHeader,
    /// A TTHeader frame whose payload is a framed message (Volo's default).
    TTHeaderFramed,
}

impl Framing {
    /// Whether the message travels in a TTHeader frame.
    pub const fn is_ttheader(self) -> bool {
        matches!(self, Self::TTHeader | Self::TTHeaderFramed)
    }
}

/// The Thrift protocol a message is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// The binary protocol with a strict (versioned) message header.
    Binary,
    /// The binary protocol with the old non-strict message header.
    BinaryNonStrict,
    /// The compact protocol.
    Compact,
}

impl Protocol {
    /// The protocol of a message that starts with `first` (`0x80`: strict
    /// binary, `0x82`: compact, anything else: non-strict binary, whose first
    /// byte is the top byte of the method name's length).
    pub(crate) const fn of_first_byte(first: u8) -> Self {
        match first {
            0x80 => Self::Binary,
            0x82 => Self::Compact,
            _ => Self::BinaryNonStrict,
        }
    }
}

/// A message's [`Framing`] and [`Protocol`] together.
///
/// A server answers every request in the format it came in; a client picks
/// one (the default is Volo's: TTHeader with a framed binary payload).
///
/// ```
/// use volo_thrift::codec::{Format, Framing, Protocol};
///
/// let f = Format::default();
/// assert_eq!(f, Format::new(Framing::TTHeaderFramed, Protocol::Binary));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Format {
    /// How the message is delimited.
    pub framing: Framing,
    /// How the message is written.
    pub protocol: Protocol,
}

impl Format {
    /// A format from its parts.
    pub const fn new(framing: Framing, protocol: Protocol) -> Self {
        Self { framing, protocol }
    }
}

impl Default for Format {
    fn default() -> Self {
        Self::new(Framing::TTHeaderFramed, Protocol::Binary)
    }
}
