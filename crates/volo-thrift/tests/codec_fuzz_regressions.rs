//! Inputs found by the `frame_decode` fuzz target (in `fuzz/`), kept as
//! regular tests: a buffered (unframed) message and the maximum frame size.
//!
//! The decoder must decide from the bytes alone, not from how they were cut
//! into reads: a message over the limit is refused whether it arrives in one
//! read or in many, and with the same error.

use std::{
    io,
    pin::Pin,
    task::{Context, Poll},
};

use tokio::io::{AsyncRead, ReadBuf};
use volo_thrift::codec::{CodecErrorKind, Decoder};

/// A reader handing out at most `size` bytes per read.
struct Reads<'a> {
    rest: &'a [u8],
    size: usize,
}

impl AsyncRead for Reads<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = self.size.min(self.rest.len()).min(buf.remaining());
        let (head, tail) = self.rest.split_at(n);
        buf.put_slice(head);
        self.rest = tail;
        Poll::Ready(Ok(()))
    }
}

/// The error of the first frame of `stream` under a limit of `max`, read at
/// once and `read_size` bytes at a time.
async fn first_errors(stream: &[u8], max: usize, read_size: usize) -> [CodecErrorKind; 2] {
    let whole = Decoder::new(stream)
        .with_max_frame_size(max)
        .next_frame()
        .await;
    let split = Decoder::new(Reads {
        rest: stream,
        size: read_size,
    })
    .with_max_frame_size(max)
    .next_frame()
    .await;
    [whole, split].map(|outcome| match outcome {
        Err(e) => e.kind(),
        Ok(frame) => panic!("decoded {frame:?}"),
    })
}

/// A compact `echo` call of 17 bytes: `82 21`, seq 1, name `echo`, then
/// `{1: {1: "hi", 2: 7}}`.
const COMPACT_CALL_17: [u8; 17] = [
    0x82, 0x21, 0x01, 0x04, b'e', b'c', b'h', b'o', 0x1c, 0x18, 0x02, b'h', b'i', 0x16, 0x0e, 0x00,
    0x00,
];

#[tokio::test]
async fn a_buffered_message_over_the_limit_is_refused_in_one_read() {
    // Under a limit of 16, 16-byte reads were refused (FrameTooLarge) but one
    // read of the whole message gave a 17-byte frame.
    let errors = first_errors(&COMPACT_CALL_17, 16, 16).await;
    assert_eq!(errors, [CodecErrorKind::FrameTooLarge; 2]);
}

#[tokio::test]
async fn bytes_past_the_limit_do_not_change_the_error() {
    // A strict binary reply whose struct starts with a bad field type (0x2c)
    // at offset 16, past a limit of 16: the whole read reported the bad type
    // (Decode), 16-byte reads the limit (FrameTooLarge).
    let mut reply = vec![0x80, 0x01, 0x00, 0x02, 0, 0, 0, 4];
    reply.extend_from_slice(b"echo");
    reply.extend_from_slice(&[0, 0, 0, 1, 0x2c]);
    let errors = first_errors(&reply, 16, 16).await;
    assert_eq!(errors, [CodecErrorKind::FrameTooLarge; 2]);
}

#[tokio::test]
async fn a_buffered_message_at_the_limit_decodes_whatever_the_reads() {
    for read_size in [1, 5, 16, 17, 4096] {
        let frame = Decoder::new(Reads {
            rest: &COMPACT_CALL_17,
            size: read_size,
        })
        .with_max_frame_size(17)
        .next_frame()
        .await
        .unwrap()
        .expect("a frame");
        assert_eq!(frame.payload().as_ref(), COMPACT_CALL_17);
    }
}
