//! The input cursor shared by the input protocols: a `Bytes` and an offset.
//!
//! Reads index the underlying slice with checked `get`/`first_chunk`, so no
//! read can panic, and every length is compared with what is left before a
//! slice (or an allocation by the caller) is made.

use bytes::Bytes;
use faststr::FastStr;

use super::{DecodeError, DecodeErrorKind, DecodeLimits, TType};

/// Strings up to this length are copied into an inline [`FastStr`], which is
/// cheaper than sharing the input (an atomic reference count).
const INLINE_STRING: usize = 30;

#[derive(Debug, Clone)]
pub(crate) struct Reader {
    buf: Bytes,
    /// Invariant: `pos <= buf.len()`.
    pos: usize,
    depth: usize,
    limits: DecodeLimits,
}

impl Reader {
    #[inline]
    pub(crate) fn new(buf: Bytes, limits: DecodeLimits) -> Self {
        Self {
            buf,
            pos: 0,
            depth: 0,
            limits,
        }
    }

    #[inline]
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The unread input.
    #[inline]
    pub(crate) fn rest(&self) -> &[u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// Input from `start` to the current position, sharing the buffer.
    #[inline]
    pub(crate) fn slice_from(&self, start: usize) -> Bytes {
        self.buf.slice(start.min(self.pos)..self.pos)
    }

    #[inline]
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.rest().first_chunk::<N>() {
            Some(a) => {
                let a = *a;
                self.pos += N;
                Ok(a)
            }
            None => Err(self.eof(N)),
        }
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        match self.rest().first() {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof(1)),
        }
    }

    /// Moves past `n` bytes that have been parsed directly from [`Self::rest`].
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.remaining());
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// Skips `n` bytes, failing if fewer are left.
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) -> Result<(), DecodeError> {
        if n > self.remaining() {
            return Err(self.eof(n));
        }
        self.pos += n;
        Ok(())
    }

    /// Checks a `string`/`binary` length against the limits and the input.
    #[inline]
    pub(crate) fn check_len(&self, len: usize) -> Result<(), DecodeError> {
        if len > self.limits.max_string_len() {
            return Err(over_limit(
                "string or binary length",
                len,
                self.limits.max_string_len(),
            ));
        }
        if len > self.remaining() {
            return Err(self.eof(len));
        }
        Ok(())
    }

    /// A `binary` of `len` bytes, as a slice of the input.
    #[inline]
    pub(crate) fn bytes(&mut self, len: usize) -> Result<Bytes, DecodeError> {
        self.check_len(len)?;
        let b = self.buf.slice(self.pos..self.pos + len);
        self.pos += len;
        Ok(b)
    }

    /// A `string` of `len` bytes, validated as UTF-8.
    #[inline]
    pub(crate) fn string(&mut self, len: usize) -> Result<FastStr, DecodeError> {
        self.check_len(len)?;
        let start = self.pos;
        let end = start + len;
        let s = self
            .buf
            .get(start..end)
            .and_then(|raw| simdutf8::basic::from_utf8(raw).ok())
            .ok_or_else(|| invalid_utf8(start))?;
        let out = if len <= INLINE_STRING {
            FastStr::new(s)
        } else {
            // SAFETY: the same range of the same buffer was just validated as
            // UTF-8 above.
            unsafe { FastStr::from_bytes_unchecked(self.buf.slice(start..end)) }
        };
        self.pos = end;
        Ok(out)
    }

    /// Checks a container of `count` elements, each taking at least
    /// `min_elem` bytes, against the limits and the remaining input.
    #[inline]
    pub(crate) fn check_count(&self, count: usize, min_elem: usize) -> Result<(), DecodeError> {
        if count == 0 {
            return Ok(());
        }
        if count > self.limits.max_container_len() {
            return Err(over_limit(
                "container size",
                count,
                self.limits.max_container_len(),
            ));
        }
        if min_elem == 0 {
            return Err(DecodeError::invalid_data(
                "container of STOP or VOID elements",
            ));
        }
        match count.checked_mul(min_elem) {
            Some(need) if need <= self.remaining() => Ok(()),
            _ => Err(DecodeError::new(
                DecodeErrorKind::Eof,
                format!(
                    "container of {count} elements needs at least {min_elem} bytes each, \
                     only {} left",
                    self.remaining()
                ),
            )),
        }
    }

    /// Enters a struct or container.
    #[inline]
    pub(crate) fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= self.limits.max_depth() {
            return Err(DecodeError::new(
                DecodeErrorKind::DepthLimit,
                format!("nesting deeper than {}", self.limits.max_depth()),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a struct or container.
    #[inline]
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(DecodeError::invalid_data(format!(
                "{n} trailing bytes after the value"
            ))),
        }
    }

    #[cold]
    pub(crate) fn eof(&self, needed: usize) -> DecodeError {
        DecodeError::new(
            DecodeErrorKind::Eof,
            format!(
                "need {needed} bytes at offset {}, only {} left",
                self.pos,
                self.remaining()
            ),
        )
    }
}

#[cold]
fn invalid_utf8(at: usize) -> DecodeError {
    DecodeError::new(
        DecodeErrorKind::InvalidUtf8,
        format!("string at offset {at} is not valid UTF-8"),
    )
}

#[cold]
fn over_limit(what: &str, len: usize, limit: usize) -> DecodeError {
    DecodeError::new(
        DecodeErrorKind::SizeLimit,
        format!("{what} {len} is over the limit {limit}"),
    )
}

#[cold]
pub(crate) fn negative_size(n: i32) -> DecodeError {
    DecodeError::new(DecodeErrorKind::NegativeSize, format!("negative size {n}"))
}

#[cold]
pub(crate) fn invalid_type_for(what: &str, ttype: TType) -> DecodeError {
    DecodeError::invalid_data(format!("{ttype:?} is not a valid {what} type"))
}
