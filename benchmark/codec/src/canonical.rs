//! A canonical form of binary-protocol structs, to compare encodings that
//! may only differ in the order of map entries.
//!
//! The three bindings store `map<string, string>` in different maps (a
//! `HashMap`, an `AHashMap`, a `BTreeMap`), so they write the same entries in
//! different orders. [`canonical_struct`] re-emits an encoded struct with
//! every map's entries sorted by their encoded bytes and leaves everything
//! else byte for byte as it was, so two encodings are the same work exactly
//! when their canonical forms are equal.

use std::fmt;

/// Nesting deeper than this is rejected (the benchmark IDL nests 3 deep).
const MAX_DEPTH: usize = 64;

/// Why a buffer is not one well-formed binary-protocol struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalError {
    /// Byte offset where reading failed.
    pub offset: usize,
    /// What was wrong there.
    pub reason: &'static str,
}

impl fmt::Display for CanonicalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

impl std::error::Error for CanonicalError {}

/// Returns `buf`, one binary-encoded struct, with every map's entries sorted.
///
/// ```
/// use codec_bench::canonical::canonical_struct;
///
/// // struct { 1: map<byte, byte> {2: 0, 1: 0} }, then the same map the other way round.
/// let a = [13, 0, 1, 3, 3, 0, 0, 0, 2, 2, 0, 1, 0, 0];
/// let b = [13, 0, 1, 3, 3, 0, 0, 0, 2, 1, 0, 2, 0, 0];
/// assert_eq!(canonical_struct(&a)?, canonical_struct(&b)?);
/// assert_eq!(canonical_struct(&b)?, b);
/// # Ok::<(), codec_bench::canonical::CanonicalError>(())
/// ```
pub fn canonical_struct(buf: &[u8]) -> Result<Vec<u8>, CanonicalError> {
    let mut reader = Reader { buf, pos: 0 };
    let mut out = Vec::with_capacity(buf.len());
    reader.value(STRUCT, &mut out, 0)?;
    if reader.pos != buf.len() {
        return Err(reader.error("trailing bytes after the struct"));
    }
    Ok(out)
}

const STOP: u8 = 0;
const STRUCT: u8 = 12;
const MAP: u8 = 13;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, reason: &'static str) -> CanonicalError {
        CanonicalError {
            offset: self.pos,
            reason,
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], CanonicalError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.buf.len())
            .ok_or_else(|| self.error("truncated input"))?;
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn copy(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
        out.extend_from_slice(self.take(n)?);
        Ok(())
    }

    fn byte(&mut self, out: &mut Vec<u8>) -> Result<u8, CanonicalError> {
        let b = self.take(1)?[0];
        out.push(b);
        Ok(b)
    }

    /// Reads (and copies) an `i32` count or length, which must not be negative.
    fn count(&mut self, out: &mut Vec<u8>) -> Result<usize, CanonicalError> {
        let raw = self.take(4)?;
        let n = i32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        out.extend_from_slice(&n.to_be_bytes());
        usize::try_from(n).map_err(|_| self.error("negative length"))
    }

    /// Copies one value of type `ttype` into `out`, canonicalised.
    fn value(&mut self, ttype: u8, out: &mut Vec<u8>, depth: usize) -> Result<(), CanonicalError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match ttype {
            2 | 3 => self.copy(1, out),
            6 => self.copy(2, out),
            8 => self.copy(4, out),
            4 | 10 => self.copy(8, out),
            16 => self.copy(16, out),
            11 => {
                let len = self.count(out)?;
                self.copy(len, out)
            }
            STRUCT => loop {
                let field_type = self.byte(out)?;
                if field_type == STOP {
                    return Ok(());
                }
                self.copy(2, out)?;
                self.value(field_type, out, depth + 1)?;
            },
            MAP => {
                let key_type = self.byte(out)?;
                let value_type = self.byte(out)?;
                let len = self.count(out)?;
                // Every entry takes at least one byte: a larger count is a lie.
                if len > self.buf.len() - self.pos {
                    return Err(self.error("map count larger than the input"));
                }
                let mut entries = Vec::with_capacity(len);
                for _ in 0..len {
                    let mut key = Vec::new();
                    self.value(key_type, &mut key, depth + 1)?;
                    let mut value = Vec::new();
                    self.value(value_type, &mut value, depth + 1)?;
                    entries.push((key, value));
                }
                entries.sort();
                for (key, value) in entries {
                    out.extend_from_slice(&key);
                    out.extend_from_slice(&value);
                }
                Ok(())
            }
            14 | 15 => {
                let elem_type = self.byte(out)?;
                let len = self.count(out)?;
                for _ in 0..len {
                    self.value(elem_type, out, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(self.error("unknown type byte")),
        }
    }
}
