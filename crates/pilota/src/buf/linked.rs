//! [`LinkedBytes`]: a write buffer that links big payloads without copying.

use std::{collections::VecDeque, io::IoSlice};

use bytes::{Buf, Bytes, BytesMut};

use super::WriteBuf;

/// An output buffer made of copied small writes and linked big [`Bytes`].
///
/// Small writes go into one [`BytesMut`]. A [`Bytes`] of at least
/// [`LinkedBytes::ZERO_COPY_THRESHOLD`] bytes handed to
/// [`WriteBuf::write_bytes`] (the output protocols do this for
/// `write_bytes` and `write_faststr`) is not copied: the bytes written so far
/// are frozen into a chunk and the payload is linked after it. Below the
/// threshold a copy is cheaper than an extra chunk.
///
/// `LinkedBytes` implements [`Buf`], and [`Buf::chunks_vectored`] gives every
/// chunk as an [`IoSlice`], so a writer that supports vectored writes (e.g.
/// tokio's `AsyncWriteExt::write_all_buf`) sends it without joining the
/// chunks.
///
/// ```
/// use pilota::{Bytes, LinkedBytes, WriteBuf};
///
/// let payload = Bytes::from(vec![7u8; 64 * 1024]);
/// let mut buf = LinkedBytes::new();
/// buf.write_slice(b"head");
/// buf.write_bytes(payload.clone()); // linked, not copied
/// buf.write_slice(b"tail");
/// assert_eq!(buf.len(), 4 + payload.len() + 4);
/// assert_eq!(buf.io_slices().len(), 3);
/// ```
#[derive(Debug, Default)]
pub struct LinkedBytes {
    /// Finished chunks, in order, each non-empty.
    chunks: VecDeque<Bytes>,
    /// Total length of `chunks`.
    chunks_len: usize,
    /// The tail that small writes are appended to.
    tail: BytesMut,
}

impl LinkedBytes {
    /// Payloads of at least this many bytes are linked instead of copied.
    pub const ZERO_COPY_THRESHOLD: usize = 4096;

    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty buffer whose tail can take `capacity` bytes before growing.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            tail: BytesMut::with_capacity(capacity),
            ..Self::default()
        }
    }

    /// The number of bytes not yet consumed.
    pub fn len(&self) -> usize {
        self.chunks_len + self.tail.len()
    }

    /// Whether there is nothing left to send.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every chunk as an [`IoSlice`], in order, for `write_vectored`.
    pub fn io_slices(&self) -> Vec<IoSlice<'_>> {
        self.chunks().map(IoSlice::new).collect()
    }

    /// Every chunk, in order.
    pub fn chunks(&self) -> impl Iterator<Item = &[u8]> {
        self.chunks
            .iter()
            .map(|c| &c[..])
            .chain((!self.tail.is_empty()).then_some(&self.tail[..]))
    }

    /// Drops the contents, keeping the tail's allocation for reuse.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.chunks_len = 0;
        self.tail.clear();
    }

    /// Joins everything into one [`Bytes`]: without a copy when there is only
    /// the tail or only one linked chunk.
    pub fn into_bytes(mut self) -> Bytes {
        match (self.chunks.len(), self.tail.is_empty()) {
            (0, _) => self.tail.freeze(),
            (1, true) => self.chunks.pop_front().unwrap_or_default(),
            _ => {
                let mut out = BytesMut::with_capacity(self.len());
                for chunk in self.chunks() {
                    out.extend_from_slice(chunk);
                }
                out.freeze()
            }
        }
    }

    fn push_chunk(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.chunks_len += chunk.len();
            self.chunks.push_back(chunk);
        }
    }
}

impl WriteBuf for LinkedBytes {
    #[inline]
    fn write_slice(&mut self, src: &[u8]) {
        self.tail.extend_from_slice(src);
    }

    #[inline]
    fn write_bytes(&mut self, src: Bytes) {
        if src.len() < Self::ZERO_COPY_THRESHOLD {
            self.tail.extend_from_slice(&src);
        } else {
            let head = self.tail.split().freeze();
            self.push_chunk(head);
            self.push_chunk(src);
        }
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        self.tail.reserve(additional);
    }
}

impl Buf for LinkedBytes {
    fn remaining(&self) -> usize {
        self.len()
    }

    fn chunk(&self) -> &[u8] {
        match self.chunks.front() {
            Some(c) => c,
            None => &self.tail,
        }
    }

    fn advance(&mut self, mut cnt: usize) {
        while cnt > 0 {
            let Some(front) = self.chunks.front_mut() else {
                // Like `BytesMut::advance`, panics if `cnt` exceeds what is left.
                self.tail.advance(cnt);
                return;
            };
            let n = cnt.min(front.len());
            front.advance(n);
            self.chunks_len -= n;
            cnt -= n;
            if front.is_empty() {
                self.chunks.pop_front();
            }
        }
    }

    fn chunks_vectored<'a>(&'a self, dst: &mut [IoSlice<'a>]) -> usize {
        let mut n = 0;
        for (slot, chunk) in dst.iter_mut().zip(self.chunks()) {
            *slot = IoSlice::new(chunk);
            n += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bytes_are_copied_big_ones_linked() {
        let big = Bytes::from(vec![1u8; LinkedBytes::ZERO_COPY_THRESHOLD]);
        let mut buf = LinkedBytes::new();
        buf.write_bytes(Bytes::from_static(b"small"));
        assert_eq!(buf.chunks().count(), 1);
        buf.write_bytes(big.clone());
        buf.write_u8(9);
        let chunks: Vec<&[u8]> = buf.chunks().collect();
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0], b"small");
        // The linked chunk is the very same memory, not a copy.
        assert_eq!(chunks[1].as_ptr(), big.as_ptr());
        assert_eq!(chunks[2], [9]);
    }

    #[test]
    fn buf_advance_walks_across_chunks() {
        let big = Bytes::from((0..5000u32).map(|i| i as u8).collect::<Vec<_>>());
        let mut buf = LinkedBytes::new();
        buf.write_slice(b"ab");
        buf.write_bytes(big.clone());
        buf.write_slice(b"cd");
        let mut expected = b"ab".to_vec();
        expected.extend_from_slice(&big);
        expected.extend_from_slice(b"cd");
        assert_eq!(buf.remaining(), expected.len());

        buf.advance(3);
        assert_eq!(buf.chunk()[0], expected[3]);
        let mut slices = [IoSlice::new(&[]); 8];
        assert_eq!(buf.chunks_vectored(&mut slices), 2);
        let rest = buf.copy_to_bytes(buf.remaining());
        assert_eq!(&rest[..], &expected[3..]);
        assert!(buf.is_empty());
    }

    #[test]
    fn into_bytes_joins_or_passes_through() {
        let big = Bytes::from(vec![3u8; 10_000]);
        let mut only = LinkedBytes::new();
        only.write_bytes(big.clone());
        assert_eq!(only.into_bytes().as_ptr(), big.as_ptr());

        let mut mixed = LinkedBytes::new();
        mixed.write_slice(b"x");
        mixed.write_bytes(big.clone());
        let joined = mixed.into_bytes();
        assert_eq!(joined.len(), 10_001);
        assert_eq!(joined[0], b'x');
        assert_eq!(&joined[1..], &big[..]);
    }
}
