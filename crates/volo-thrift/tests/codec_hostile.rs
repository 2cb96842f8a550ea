//! Hostile input: every bad byte sequence is a typed error, never a panic, a
//! hang or an allocation driven by a length the peer made up.

mod common;

use std::time::Duration;

use common::{ALL_FORMATS, BUFFERED_NON_STRICT, call_id, echo::EchoRequest, echo::echo};
use proptest::prelude::*;
use tokio::io::AsyncWriteExt;
use volo_thrift::codec::{Body, CodecError, CodecErrorKind, Decoder, ttheader::TTHeader};

/// Decodes everything in `bytes` (then EOF), returning the first error.
async fn drain(bytes: &[u8]) -> Result<usize, CodecError> {
    let mut dec = Decoder::new(bytes);
    let mut frames = 0;
    while let Some(frame) = dec.next_frame().await? {
        frame.decode::<EchoRequest>()?;
        frames += 1;
    }
    Ok(frames)
}

/// The first error for `bytes` sent on a connection that stays open: the
/// decoder must decide without waiting for more.
async fn error_without_eof(bytes: &[u8]) -> CodecError {
    let (mut peer, conn) = tokio::io::duplex(64);
    peer.write_all(bytes).await.unwrap();
    let mut dec = Decoder::new(conn);
    let out = tokio::time::timeout(Duration::from_secs(2), dec.next_frame())
        .await
        .expect("the decoder waited for bytes it should not need");
    drop(peer);
    out.expect_err("hostile bytes decoded")
}

#[tokio::test]
async fn garbage_and_http2_are_rejected_at_once() {
    let e = error_without_eof(b"GET / HTTP/1.1\r\n").await;
    assert_eq!(e.kind(), CodecErrorKind::UnknownProtocol);
    let e = error_without_eof(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await;
    assert_eq!(e.kind(), CodecErrorKind::NotThrift);
    let e = error_without_eof(&[0x80, 0x07, 0, 1]).await;
    assert_eq!(e.kind(), CodecErrorKind::UnknownProtocol);
}

#[tokio::test]
async fn huge_lengths_fail_before_any_data_arrives() {
    // Framed, TTHeader, and a buffered message with a 2 GiB method name.
    let cases: [&[u8]; 4] = [
        &[0x7f, 0xff, 0xff, 0xff, 0x80, 0x01],
        &[0x7f, 0xff, 0xff, 0xff, 0x10, 0x00],
        &[0x80, 0x01, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff],
        &[0x01, 0x00, 0x00, 0x01, 0x80, 0x01],
    ];
    for bytes in cases {
        let e = error_without_eof(bytes).await;
        assert_eq!(e.kind(), CodecErrorKind::FrameTooLarge, "{bytes:02x?}: {e}");
    }
}

#[tokio::test]
async fn a_buffered_message_cannot_outgrow_the_limit() {
    // A list<i64> of 60,000 elements (480 KB, over the 64 KiB limit), then
    // a steady stream of elements.
    let mut bytes = vec![0x80, 0x01, 0x00, 0x01, 0, 0, 0, 1, b'x', 0, 0, 0, 1];
    bytes.extend_from_slice(&[0x0f, 0x00, 0x01, 0x0a, 0x00, 0x00, 0xea, 0x60]);
    let (mut peer, conn) = tokio::io::duplex(4096);
    let writer = tokio::spawn(async move {
        peer.write_all(&bytes).await?;
        let chunk = vec![0u8; 4096];
        loop {
            peer.write_all(&chunk).await?;
        }
        #[allow(unreachable_code)]
        Ok::<(), std::io::Error>(())
    });
    let mut dec = Decoder::new(conn).with_max_frame_size(64 * 1024);
    let e = tokio::time::timeout(Duration::from_secs(5), dec.next_frame())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::FrameTooLarge);
    drop(dec);
    assert!(writer.await.unwrap().is_err());
}

fn ttheader_frame(area: &[u8], header_size: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 0, 0, 0, 0x10, 0x00, 0, 0, 0, 0, 0, 5];
    f.extend_from_slice(&header_size.to_be_bytes());
    f.extend_from_slice(area);
    f.extend_from_slice(payload);
    let len = (f.len() - 4) as u32;
    f[..4].copy_from_slice(&len.to_be_bytes());
    f
}

#[tokio::test]
async fn malformed_ttheader_frames_are_typed_errors() {
    // Header size beyond the frame.
    let e = drain(&ttheader_frame(&[0, 0, 0, 0], 50, &[]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
    assert_eq!(e.seq_id(), Some(5));
    // String KV count beyond the header area.
    let e = drain(&ttheader_frame(&[0, 0, 0x01, 0x00, 0x09, 0, 0, 0], 2, &[]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
    // Bad protocol id, and Kitex Protobuf.
    let e = drain(&ttheader_frame(&[9, 0, 0, 0], 1, &[0x80, 1]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
    let e = drain(&ttheader_frame(&[4, 0, 0, 0], 1, &[0x90, 1]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::Unsupported);
    // A transform.
    let e = drain(&ttheader_frame(&[0, 1, 1, 0], 1, &[]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::Unsupported);
    // A bad magic on a later frame.
    let mut two = ttheader_frame(&[0, 0, 0, 0], 1, &[]);
    let mut second = two.clone();
    second[5] = 0x01;
    two.extend(second);
    let mut dec = Decoder::new(&two[..]);
    assert!(dec.next_frame().await.unwrap().is_some());
    let e = dec.next_frame().await.unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
}

#[tokio::test]
async fn a_body_that_does_not_decode_reports_its_seq_id() {
    let mut bytes = common::encode_to_vec(
        ALL_FORMATS[6],
        None,
        &call_id("echo", 77),
        &Body::Message(echo("hi", 1)),
    )
    .await;
    // Corrupt the type of field 1 of the struct after the header.
    let at = 4 + 12 + 4;
    bytes[at] = 0x63;
    let e = drain(&bytes).await.unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::Decode);
    assert_eq!(e.seq_id(), Some(77));
}

#[tokio::test]
async fn truncation_at_every_position_is_an_eof_error() {
    let mut header = TTHeader::new();
    header.set_to_method("echo");
    header.set_str_kv("RPC_PERSIST_k", "v");
    for format in ALL_FORMATS.into_iter().chain([BUFFERED_NON_STRICT]) {
        let bytes = common::encode_to_vec(
            format,
            Some(&header),
            &call_id("echo", 3),
            &Body::Message(echo("truncate me", -1)),
        )
        .await;
        for cut in 1..bytes.len() {
            let e = drain(&bytes[..cut]).await.unwrap_err();
            assert_eq!(
                e.kind(),
                CodecErrorKind::UnexpectedEof,
                "{format:?} cut at {cut}: {e}"
            );
        }
        assert_eq!(drain(&bytes).await.unwrap(), 1, "{format:?}");
        assert_eq!(drain(&[]).await.unwrap(), 0);
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = run(drain(&bytes));
    }

    #[test]
    fn mutated_frames_never_panic(
        format in 0..ALL_FORMATS.len(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        let format = ALL_FORMATS[format];
        let mut header = TTHeader::new();
        header.set_to_method("echo");
        header.set_isn("Echo");
        let mut bytes = run(common::encode_to_vec(
            format,
            Some(&header),
            &call_id("echo", 1),
            &Body::Message(echo("mutate me", 12345)),
        ));
        for (at, value) in flips {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        bytes.truncate(bytes.len() - cut % 4);
        let _ = run(drain(&bytes));
    }
}
