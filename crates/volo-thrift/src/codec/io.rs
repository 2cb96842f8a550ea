//! [`Decoder`] and [`Encoder`]: frames from an `AsyncRead`, messages to an
//! `AsyncWrite`.

use std::{
    collections::VecDeque,
    future::poll_fn,
    io::{self, IoSlice},
    pin::Pin,
};

use bytes::{Buf, BytesMut};
use pilota::{LinkedBytes, thrift::TMessageIdentifier};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{
    Body, CodecError, CodecErrorKind, Format, Frame, Framing, Protocol,
    detect::{Transport, detect},
    frame::{Parsed, parse},
    message::{self, BodyRef},
    ttheader::TTHeader,
};
use crate::EntryMessage;

/// Encodes one message into a fresh buffer, for a writer in another task
/// ([`Encoder::queue_encoded`]).
pub(crate) fn encode_message<T: EntryMessage>(
    format: Format,
    header: Option<&TTHeader>,
    id: &TMessageIdentifier,
    body: BodyRef<'_, T>,
    max_frame_size: usize,
) -> Result<LinkedBytes, CodecError> {
    let mut buf = LinkedBytes::new();
    message::encode(&mut buf, format, header, id, body, max_frame_size)?;
    Ok(buf)
}

/// The default largest frame (or buffered message): 16 MiB, as in Volo.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 16 * 1024 * 1024;

/// The largest frame size that can be configured (TTHeader's frame size mask).
const MAX_MAX_FRAME_SIZE: usize = 0x3fff_ffff;

/// The most buffers one write takes.
const MAX_SLICES: usize = 64;

/// The smallest read.
const READ_CHUNK: usize = 8 * 1024;

/// Reads [`Frame`]s from a connection.
///
/// The transport (TTHeader, framed or buffered) is detected from the first
/// bytes, once; the protocol and TTHeader's inner framing are read from each
/// frame. Frames are slices of one read buffer, so decoding their messages
/// copies nothing.
///
/// Memory is bounded: a declared length over the maximum frame size is an
/// error before anything is buffered for it, and the buffer grows with what
/// actually arrives (at most twice of it), not with what a length promises.
#[derive(Debug)]
pub struct Decoder<R> {
    io: R,
    buf: BytesMut,
    transport: Option<Transport>,
    max_frame_size: usize,
}

impl<R: AsyncRead + Unpin> Decoder<R> {
    /// A decoder reading from `io`, with the default maximum frame size.
    pub fn new(io: R) -> Self {
        Self {
            io,
            buf: BytesMut::new(),
            transport: None,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
        }
    }

    /// Sets the largest frame (or buffered message) accepted, in bytes
    /// (capped at 1 GiB - 1, TTHeader's limit).
    #[must_use]
    pub fn with_max_frame_size(mut self, max: usize) -> Self {
        self.max_frame_size = max.min(MAX_MAX_FRAME_SIZE);
        self
    }

    /// The largest frame accepted.
    pub fn max_frame_size(&self) -> usize {
        self.max_frame_size
    }

    /// The reader.
    pub fn get_ref(&self) -> &R {
        &self.io
    }

    /// Bytes read and not yet returned as a frame.
    pub(crate) fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Gives back the reader; buffered bytes are lost.
    pub fn into_inner(self) -> R {
        self.io
    }

    /// The format to answer a frame that failed to parse in, when it can be
    /// told (TTHeader is answered with a framed binary payload).
    pub(crate) fn failed_frame_format(&self) -> Option<Format> {
        match self.transport? {
            Transport::TTHeader => Some(Format::new(Framing::TTHeaderFramed, Protocol::Binary)),
            Transport::Framed => self
                .buf
                .get(4)
                .map(|&b| Format::new(Framing::Framed, Protocol::of_first_byte(b))),
            Transport::Buffered => self
                .buf
                .first()
                .map(|&b| Format::new(Framing::Buffered, Protocol::of_first_byte(b))),
        }
    }

    /// Reads the next frame: `Ok(None)` when the peer closed the connection
    /// between frames, an [`UnexpectedEof`](CodecErrorKind::UnexpectedEof)
    /// error when it closed in the middle of one.
    ///
    /// After an error other than I/O the stream cannot be resynchronised:
    /// close the connection.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read before the future is dropped stay buffered,
    /// and the next call picks up where this one stopped.
    pub async fn next_frame(&mut self) -> Result<Option<Frame>, CodecError> {
        loop {
            let need = match self.transport {
                None => match detect(&self.buf)? {
                    Some(t) => {
                        self.transport = Some(t);
                        continue;
                    }
                    None => self.buf.len() + 1,
                },
                Some(t) => match parse(t, &mut self.buf, self.max_frame_size)? {
                    Parsed::Frame(frame) => return Ok(Some(frame)),
                    Parsed::Need(n) => n,
                },
            };
            let have = self.buf.len();
            // Grow with what arrived: at least a chunk, at most doubling.
            let want = need.saturating_sub(have).min(have).max(READ_CHUNK);
            self.buf.reserve(want);
            if self.io.read_buf(&mut self.buf).await? == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(CodecError::new(
                    CodecErrorKind::UnexpectedEof,
                    format!(
                        "the connection closed with {} bytes of an unfinished frame",
                        self.buf.len()
                    ),
                ));
            }
        }
    }
}

/// Writes messages to a connection, coalescing them.
///
/// [`encode`](Self::encode) appends a message to a queue without writing;
/// [`flush`](Self::flush) sends everything queued, one vectored write for
/// several buffers and a plain write for one. A
/// server that encodes every reply that is ready before flushing sends them
/// in as few writes as possible. Big strings and binaries are linked into the
/// queue, never copied (see [`LinkedBytes`]).
#[derive(Debug)]
pub struct Encoder<W> {
    io: W,
    queue: Queue,
    /// Something was queued since the writer was last flushed.
    unflushed: bool,
    /// Bytes written so far.
    written: u64,
    max_frame_size: usize,
}

impl<W: AsyncWrite + Unpin> Encoder<W> {
    /// An encoder writing to `io`, with the default maximum frame size.
    pub fn new(io: W) -> Self {
        Self {
            io,
            queue: Queue::default(),
            unflushed: false,
            written: 0,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
        }
    }

    /// Sets the largest frame this encoder writes; a bigger message is an
    /// error instead of a frame the peer would reject.
    #[must_use]
    pub fn with_max_frame_size(mut self, max: usize) -> Self {
        self.max_frame_size = max.min(MAX_MAX_FRAME_SIZE);
        self
    }

    /// The writer.
    pub fn get_ref(&self) -> &W {
        &self.io
    }

    /// Bytes queued and not yet written.
    pub fn queued(&self) -> usize {
        self.queue.remaining()
    }

    /// Whether something was queued since the last complete
    /// [`flush`](Self::flush): true while bytes are queued, and also when
    /// they were written but the writer was not flushed yet (a flush
    /// cancelled while the writer flushed its own buffer).
    pub(crate) fn needs_flush(&self) -> bool {
        self.unflushed
    }

    /// Bytes written to the writer so far.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// Encodes a message in `format` and queues it. For TTHeader framings,
    /// `header` gives the flags and key/values.
    ///
    /// On error nothing is queued and the connection is still usable.
    pub fn encode<T: EntryMessage>(
        &mut self,
        format: Format,
        header: Option<&TTHeader>,
        id: &TMessageIdentifier,
        body: &Body<T>,
    ) -> Result<(), CodecError> {
        self.encode_ref(format, header, id, body.into())
    }

    /// [`encode`](Self::encode) from a borrowed body.
    pub(crate) fn encode_ref<T: EntryMessage>(
        &mut self,
        format: Format,
        header: Option<&TTHeader>,
        id: &TMessageIdentifier,
        body: BodyRef<'_, T>,
    ) -> Result<(), CodecError> {
        let mut buf = self.queue.spare.pop().unwrap_or_default();
        match message::encode(&mut buf, format, header, id, body, self.max_frame_size) {
            Ok(()) => {
                self.queue_encoded(buf);
                Ok(())
            }
            Err(e) => {
                self.queue.release(buf);
                Err(e)
            }
        }
    }

    /// Queues a message encoded elsewhere (by [`encode_message`]).
    pub(crate) fn queue_encoded(&mut self, buf: LinkedBytes) {
        self.queue.push(buf);
        self.unflushed = true;
    }

    /// Writes everything queued and flushes the writer.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe in the sense that what was written is not written again:
    /// the next call continues with the rest.
    pub async fn flush(&mut self) -> Result<(), CodecError> {
        while self.queue.has_remaining() {
            let written = poll_fn(|cx| {
                let mut slices = [IoSlice::new(&[]); MAX_SLICES];
                let io = Pin::new(&mut self.io);
                match self.queue.chunks_vectored(&mut slices) {
                    // One buffer (the usual single reply): a plain write,
                    // which the kernel takes on a shorter path than writev.
                    1 => io.poll_write(cx, &slices[0]),
                    n => io.poll_write_vectored(cx, &slices[..n]),
                }
            })
            .await?;
            if written == 0 {
                return Err(io::Error::from(io::ErrorKind::WriteZero).into());
            }
            self.written += written as u64;
            self.queue.advance(written);
        }
        self.io.flush().await?;
        self.unflushed = false;
        Ok(())
    }

    /// Encodes, queues and flushes one message.
    pub async fn send<T: EntryMessage>(
        &mut self,
        format: Format,
        header: Option<&TTHeader>,
        id: &TMessageIdentifier,
        body: &Body<T>,
    ) -> Result<(), CodecError> {
        self.encode(format, header, id, body)?;
        self.flush().await
    }

    /// Shuts the writer down (after a flush).
    pub async fn shutdown(&mut self) -> Result<(), CodecError> {
        self.flush().await?;
        self.io.shutdown().await?;
        Ok(())
    }
}

/// Encoded messages waiting to be written, one buffer each (never an empty
/// one: a buffer leaves the queue as soon as it is written, even if the
/// queue never drains).
#[derive(Debug, Default)]
struct Queue {
    bufs: VecDeque<LinkedBytes>,
    remaining: usize,
    /// Written buffers, kept for reuse.
    spare: Vec<LinkedBytes>,
}

/// Buffers kept for reuse.
const MAX_SPARE: usize = 16;

impl Queue {
    fn push(&mut self, buf: LinkedBytes) {
        if buf.is_empty() {
            self.release(buf);
            return;
        }
        self.remaining += buf.len();
        self.bufs.push_back(buf);
    }

    /// Keeps a written (or unused) buffer for reuse.
    fn release(&mut self, mut buf: LinkedBytes) {
        if self.spare.len() < MAX_SPARE {
            buf.clear();
            self.spare.push(buf);
        }
    }
}

impl Buf for Queue {
    fn remaining(&self) -> usize {
        self.remaining
    }

    fn chunk(&self) -> &[u8] {
        self.bufs.front().map(Buf::chunk).unwrap_or_default()
    }

    fn advance(&mut self, mut cnt: usize) {
        while cnt > 0 {
            let Some(front) = self.bufs.front_mut() else {
                return;
            };
            let n = cnt.min(front.remaining());
            front.advance(n);
            self.remaining -= n;
            cnt -= n;
            if !front.has_remaining()
                && let Some(buf) = self.bufs.pop_front()
            {
                self.release(buf);
            }
        }
    }

    fn chunks_vectored<'a>(&'a self, dst: &mut [IoSlice<'a>]) -> usize {
        let mut n = 0;
        for buf in &self.bufs {
            if n == dst.len() {
                break;
            }
            n += buf.chunks_vectored(&mut dst[n..]);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use pilota::WriteBuf;
    use tokio::io::AsyncReadExt;

    use super::*;
    use crate::util::poll_once;

    /// A queue that never drains (a peer reading slower than replies are
    /// queued) must still let go of the messages already written.
    #[tokio::test]
    async fn written_messages_are_released_before_the_queue_drains() {
        let (w, mut r) = tokio::io::duplex(64);
        let mut enc = Encoder::new(w);
        let mut sink = [0u8; 24];
        let mut read = 0;
        for _ in 0..1000 {
            let mut msg = LinkedBytes::new();
            msg.write_slice(&[7u8; 32]);
            enc.queue_encoded(msg);
            // Write what the pipe takes; the rest stays queued.
            let _ = poll_once(enc.flush()).await;
            read += r.read(&mut sink).await.unwrap();
        }
        // The pipe holds 40 bytes: filled to 64, then 24 read.
        assert_eq!(enc.queued(), 1000 * 32 - read - 40);
        // Only the messages not fully written are still held.
        assert!(enc.queue.bufs.len() <= enc.queued() / 32 + 2);
    }
}
