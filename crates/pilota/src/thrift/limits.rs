//! Limits the input protocols enforce on untrusted input.

/// Limits on what an input protocol accepts.
///
/// Independently of these, every length and element count read from the wire
/// is checked against the bytes left in the input (a list of `n` `i32`s needs
/// at least `4n` bytes in the binary protocol), so a hostile count can never
/// make the decoder allocate more than a small multiple of the input size.
///
/// ```
/// use pilota::thrift::DecodeLimits;
///
/// let limits = DecodeLimits::new().with_max_depth(16).with_max_string_len(1 << 20);
/// assert_eq!(limits.max_depth(), 16);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    max_depth: usize,
    max_string_len: usize,
    max_container_len: usize,
}

impl DecodeLimits {
    /// The default nesting limit.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// The defaults: nesting depth 64, lengths and counts bounded only by the
    /// remaining input.
    pub const fn new() -> Self {
        Self {
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_string_len: usize::MAX,
            max_container_len: usize::MAX,
        }
    }

    /// Sets how deeply structs and containers may nest (a top-level struct is
    /// depth 1). Each level costs a stack frame while skipping, so keep it
    /// modest.
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the longest `string` or `binary` accepted, in bytes.
    #[must_use]
    pub const fn with_max_string_len(mut self, len: usize) -> Self {
        self.max_string_len = len;
        self
    }

    /// Sets the largest element count accepted for a list, set or map.
    #[must_use]
    pub const fn with_max_container_len(mut self, len: usize) -> Self {
        self.max_container_len = len;
        self
    }

    /// The nesting limit.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The longest `string` or `binary` accepted.
    pub const fn max_string_len(&self) -> usize {
        self.max_string_len
    }

    /// The largest container accepted.
    pub const fn max_container_len(&self) -> usize {
        self.max_container_len
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self::new()
    }
}
