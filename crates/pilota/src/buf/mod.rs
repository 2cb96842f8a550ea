//! Output buffers the protocols write into.

mod linked;

pub use linked::LinkedBytes;

use bytes::{Bytes, BytesMut};

/// A growable output buffer for the Thrift output protocols.
///
/// Implemented for [`BytesMut`], `Vec<u8>` and [`LinkedBytes`] (and `&mut B`
/// of any of them). Only [`LinkedBytes`] links big [`Bytes`] without copying;
/// the others copy them.
pub trait WriteBuf {
    /// Appends `src`.
    fn write_slice(&mut self, src: &[u8]);

    /// Appends one byte.
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.write_slice(&[b]);
    }

    /// Appends `src`, linking it instead of copying when the buffer supports
    /// it and it is worth it.
    #[inline]
    fn write_bytes(&mut self, src: Bytes) {
        self.write_slice(&src);
    }

    /// Makes room for at least `additional` more bytes, so that writing them
    /// does not reallocate.
    fn reserve(&mut self, additional: usize);
}

impl WriteBuf for BytesMut {
    #[inline]
    fn write_slice(&mut self, src: &[u8]) {
        self.extend_from_slice(src);
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        BytesMut::reserve(self, additional);
    }
}

impl WriteBuf for Vec<u8> {
    #[inline]
    fn write_slice(&mut self, src: &[u8]) {
        self.extend_from_slice(src);
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.push(b);
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional);
    }
}

impl<B: WriteBuf + ?Sized> WriteBuf for &mut B {
    #[inline]
    fn write_slice(&mut self, src: &[u8]) {
        (**self).write_slice(src);
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        (**self).write_u8(b);
    }

    #[inline]
    fn write_bytes(&mut self, src: Bytes) {
        (**self).write_bytes(src);
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        (**self).reserve(additional);
    }
}
