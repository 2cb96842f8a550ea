//! Feeds arbitrary bytes to the frame decoder, as one connection: transport
//! detection, TTHeader / framed / buffered framing, then message decoding.
//!
//! The first input byte configures the run (the size of each read and the
//! maximum frame size); the rest is what the peer sent. The checks:
//!
//! - nothing panics, and the decoder never waits on a reader that always has
//!   bytes (or EOF) ready: every `next_frame` is ready on its first poll;
//! - the run ends: at most one frame per input byte, then EOF or one typed
//!   error of a decoding kind;
//! - no frame is over the maximum frame size;
//! - the outcome does not depend on how the bytes were split into reads;
//! - each frame's message decodes or fails with a typed error, and a message
//!   that decodes re-encodes in the same format to bytes that decode to the
//!   same message.

#![no_main]

#[path = "../../tests/common/echo.rs"]
#[allow(dead_code, unreachable_pub)]
mod echo;

use std::{
    fmt::Debug,
    future::Future,
    io,
    pin::{Pin, pin},
    task::{Context, Poll, Waker},
};

use echo::{EchoRequest, EchoResponse};
use libfuzzer_sys::fuzz_target;
use pilota::{
    Bytes,
    thrift::{
        EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier, TOutputProtocol, TType,
    },
};
use tokio::io::{AsyncRead, ReadBuf};
use volo_thrift::{
    EntryMessage,
    codec::{
        Body, CodecError, CodecErrorKind, DEFAULT_MAX_FRAME_SIZE, Decoder, Encoder, Format, Frame,
        Framing, Protocol, ttheader::TTHeader,
    },
};

fuzz_target!(|data: &[u8]| check(data));

fn check(data: &[u8]) {
    let Some((&config, stream)) = data.split_first() else {
        return;
    };
    let read_size = usize::from(config & 0x0f) + 1;
    let max = match (config >> 4) & 0x03 {
        0 => DEFAULT_MAX_FRAME_SIZE,
        1 => 16,
        2 => 64,
        _ => 1024,
    };

    let whole = run(Decoder::new(stream).with_max_frame_size(max), stream.len());
    let split = run(
        Decoder::new(Reads {
            rest: stream,
            size: read_size,
        })
        .with_max_frame_size(max),
        stream.len(),
    );
    for frame in &whole.frames {
        assert!(
            frame.payload().len() <= max,
            "a frame of {} bytes passed a limit of {max}",
            frame.payload().len()
        );
    }
    assert_eq!(
        summary(&whole),
        summary(&split),
        "the outcome depends on the read size ({read_size})"
    );

    for frame in &whole.frames {
        let _ = decode_checked::<Skipped>(frame);
        if let Some((id, body)) = decode_checked::<EchoRequest>(frame) {
            round_trip(frame, &id, &body);
        }
        if let Some((id, body)) = decode_checked::<EchoResponse>(frame) {
            round_trip(frame, &id, &body);
        }
    }
}

/// What one connection decoded to.
struct Outcome {
    frames: Vec<Frame>,
    error: Option<CodecErrorKind>,
}

/// Frames and error in comparable form.
type Summary<'a> = (
    Vec<(Format, Option<&'a TTHeader>, &'a Bytes)>,
    Option<CodecErrorKind>,
);

fn summary(outcome: &Outcome) -> Summary<'_> {
    let frames = outcome
        .frames
        .iter()
        .map(|f| (f.format(), f.header(), f.payload()))
        .collect();
    (frames, outcome.error)
}

/// Reads frames until EOF or the first error.
fn run<R: AsyncRead + Unpin>(mut decoder: Decoder<R>, input_len: usize) -> Outcome {
    let mut frames = Vec::new();
    loop {
        match ready(decoder.next_frame()) {
            Ok(Some(frame)) => {
                frames.push(frame);
                assert!(frames.len() <= input_len, "more frames than input bytes");
            }
            Ok(None) => {
                return Outcome {
                    frames,
                    error: None,
                };
            }
            Err(e) => {
                assert_decoding_kind(&e, &[]);
                return Outcome {
                    frames,
                    error: Some(e.kind()),
                };
            }
        }
    }
}

/// Polls `future` once: with a reader that is always ready, it must finish.
fn ready<F: Future>(future: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut cx) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the decoder is pending on a reader that is always ready"),
    }
}

/// Errors of reading bytes: never I/O (the reader cannot fail), never an
/// encoding error; `extra` lists the kinds allowed besides.
fn assert_decoding_kind(e: &CodecError, extra: &[CodecErrorKind]) {
    use CodecErrorKind::*;
    let kind = e.kind();
    assert!(
        matches!(
            kind,
            UnexpectedEof
                | FrameTooLarge
                | UnknownProtocol
                | NotThrift
                | Unsupported
                | InvalidFrame
                | Decode
        ) || extra.contains(&kind),
        "unexpected error kind {kind:?}: {e}"
    );
    assert!(!e.to_string().is_empty(), "an error without a description");
}

/// Decodes `frame`'s message as `T`; an error must be of a decoding kind.
fn decode_checked<T: EntryMessage>(frame: &Frame) -> Option<(TMessageIdentifier, Body<T>)> {
    match frame.decode::<T>() {
        Ok(decoded) => Some(decoded),
        Err(e) => {
            assert_decoding_kind(&e, &[CodecErrorKind::UnknownMethod]);
            None
        }
    }
}

/// Re-encodes a decoded message in its frame's format and decodes it again.
fn round_trip<T: EntryMessage + PartialEq + Debug>(
    frame: &Frame,
    id: &TMessageIdentifier,
    body: &Body<T>,
) {
    let format = frame.format();
    // A framed non-strict message cannot open a connection: its first bytes
    // read as a buffered one. It is only valid after a strict first frame.
    if format == Format::new(Framing::Framed, Protocol::BinaryNonStrict) {
        return;
    }
    let mut encoder = Encoder::new(Vec::new());
    ready(encoder.send(format, frame.header(), id, body))
        .unwrap_or_else(|e| panic!("a decoded message does not re-encode: {e}"));
    let bytes = encoder.get_ref().as_slice();
    let again = run(Decoder::new(bytes), bytes.len());
    assert_eq!(again.error, None, "a re-encoded message does not decode");
    let [frame2] = again.frames.as_slice() else {
        panic!("{} frames from one re-encoded message", again.frames.len());
    };
    assert_eq!(
        frame2.format(),
        format,
        "the format changed in a round trip"
    );
    let (id2, body2) = frame2
        .decode::<T>()
        .unwrap_or_else(|e| panic!("a re-encoded message does not decode: {e}"));
    assert_eq!(
        (&id2, &body2),
        (id, body),
        "the message changed in a round trip"
    );
}

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

/// A message of any method whose struct is skipped, so that every frame's
/// body is parsed whatever its method name.
#[derive(Debug, PartialEq)]
struct Skipped;

impl EntryMessage for Skipped {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("Skipped")?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P, _id: &TMessageIdentifier) -> Result<Self, CodecError> {
        p.skip(TType::Struct)?;
        Ok(Skipped)
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("Skipped") + p.field_stop_len() + p.struct_end_len()
    }
}
