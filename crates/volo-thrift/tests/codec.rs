//! Codec round trips over in-memory connections, in every format.

mod common;

use std::time::Duration;

use common::{
    ALL_FORMATS, BUFFERED_NON_STRICT, call_id,
    echo::{EchoError, EchoMsg, EchoRequest, EchoResponse, EchoResult, NotifyArgs, echo},
};
use metainfo::MetaInfo;
use pilota::{
    Bytes,
    thrift::{ApplicationException, ApplicationExceptionKind, TMessageIdentifier, TMessageType},
};
use volo_thrift::codec::{
    Body, CodecErrorKind, Decoder, Encoder, Format, Framing, ttheader::TTHeader,
};

fn request_header() -> TTHeader {
    let mut mi = MetaInfo::new();
    mi.set_persistent("tenant", "blue");
    mi.set_transient("trace", "on");
    let mut h = TTHeader::new();
    h.extend_request_metainfo(&mi);
    h.set_rpc_timeout(Duration::from_millis(250));
    h.set_to_method("echo");
    h.set_isn("Echo");
    h
}

/// A client sends calls (one with a big blob, one oneway); a server decodes
/// them and answers each in the format it came in; the client decodes the
/// replies. The pipe is small, so every frame arrives in pieces.
async fn round_trip(format: Format) {
    let (client, server) = tokio::io::duplex(61);
    let (client_r, client_w) = tokio::io::split(client);
    let (server_r, server_w) = tokio::io::split(server);
    let ttheader = format.framing.is_ttheader();
    let header = request_header();
    let header = ttheader.then_some(&header);

    let blob = Bytes::from(vec![0xab; 100_000]);
    let mut big = echo("big", -5);
    if let EchoRequest::Echo(args) = &mut big {
        args.msg.blob = Some(blob.clone());
    }
    let calls = vec![
        (call_id("echo", 1), echo("hello", 42)),
        (call_id("echo", 2), big),
        (
            TMessageIdentifier::new("notify".into(), TMessageType::OneWay, 3),
            EchoRequest::Notify(NotifyArgs { text: "fyi".into() }),
        ),
        (call_id("echo", i32::MIN), echo("fail", 0)),
    ];

    let sender = {
        let calls = calls.clone();
        let header = header.cloned();
        tokio::spawn(async move {
            let mut enc = Encoder::new(client_w);
            for (id, req) in &calls {
                enc.encode(format, header.as_ref(), id, &Body::Message(req.clone()))
                    .unwrap();
            }
            enc.flush().await.unwrap();
            enc
        })
    };

    let server_task = tokio::spawn(async move {
        let mut dec = Decoder::new(server_r);
        let mut enc = Encoder::new(server_w);
        let mut seen = Vec::new();
        while let Some(frame) = dec.next_frame().await.unwrap() {
            assert_eq!(frame.format(), format);
            if let Some(h) = frame.header() {
                let mut mi = MetaInfo::new();
                h.store_request_metainfo(&mut mi);
                assert_eq!(
                    mi.get_persistent("tenant").map(|v| v.as_str()),
                    Some("blue")
                );
                assert_eq!(mi.get_upstream("trace").map(|v| v.as_str()), Some("on"));
                assert_eq!(h.rpc_timeout(), Some(Duration::from_millis(250)));
                assert_eq!(h.isn().map(|v| v.as_str()), Some("Echo"));
            }
            let (id, body) = frame.decode::<EchoRequest>().unwrap();
            let Body::Message(req) = body else {
                panic!("a request decoded as an exception")
            };
            seen.push((id.clone(), req.clone()));
            let reply = match req {
                EchoRequest::Notify(_) => continue,
                EchoRequest::Echo(args) if args.msg.text == "fail" => {
                    Body::Message(EchoResponse::Echo(EchoResult::Err(EchoError {
                        reason: "asked to".into(),
                    })))
                }
                EchoRequest::Echo(args) if args.msg.text == "big" => Body::Exception(
                    ApplicationException::new(ApplicationExceptionKind::INTERNAL_ERROR, "too big"),
                ),
                EchoRequest::Echo(args) => {
                    Body::Message(EchoResponse::Echo(EchoResult::Ok(args.msg)))
                }
            };
            let reply_id = TMessageIdentifier::new(
                id.name.clone(),
                match reply {
                    Body::Exception(_) => TMessageType::Exception,
                    Body::Message(_) => TMessageType::Reply,
                },
                id.sequence_number,
            );
            let mut reply_header = TTHeader::new();
            reply_header.set_msg_type(reply_id.message_type);
            let mut mi = MetaInfo::new();
            mi.set_backward("cost", "1ms");
            reply_header.extend_response_metainfo(&mi);
            enc.encode(frame.format(), Some(&reply_header), &reply_id, &reply)
                .unwrap();
            enc.flush().await.unwrap();
        }
        seen
    });

    let mut dec = Decoder::new(client_r);
    let mut replies = Vec::new();
    for _ in 0..3 {
        let frame = dec.next_frame().await.unwrap().expect("a reply");
        assert_eq!(frame.format(), format);
        if let Some(h) = frame.header() {
            let mut mi = MetaInfo::new();
            h.store_response_metainfo(&mut mi);
            assert_eq!(mi.get_downstream("cost").map(|v| v.as_str()), Some("1ms"));
            assert!(h.msg_type().is_some());
        }
        replies.push(frame.decode::<EchoResponse>().unwrap());
    }
    // Closing the client's write side ends the server loop cleanly, which
    // closes the server's side: a clean EOF between frames.
    sender.await.unwrap().shutdown().await.unwrap();
    let seen = server_task.await.unwrap();
    assert!(dec.next_frame().await.unwrap().is_none());

    assert_eq!(seen, calls);
    assert_eq!(
        replies[0].0,
        TMessageIdentifier::new("echo".into(), TMessageType::Reply, 1)
    );
    assert_eq!(
        replies[0].1,
        Body::Message(EchoResponse::Echo(EchoResult::Ok(EchoMsg {
            text: "hello".into(),
            n: 42,
            blob: None,
        })))
    );
    assert_eq!(replies[1].0.message_type, TMessageType::Exception);
    assert_eq!(
        replies[1].1,
        Body::Exception(ApplicationException::new(
            ApplicationExceptionKind::INTERNAL_ERROR,
            "too big"
        ))
    );
    assert_eq!(replies[2].0.sequence_number, i32::MIN);
    assert_eq!(
        replies[2].1,
        Body::Message(EchoResponse::Echo(EchoResult::Err(EchoError {
            reason: "asked to".into()
        })))
    );
}

#[tokio::test]
async fn every_format_round_trips() {
    for format in ALL_FORMATS.into_iter().chain([BUFFERED_NON_STRICT]) {
        tokio::time::timeout(Duration::from_secs(10), round_trip(format))
            .await
            .unwrap_or_else(|_| panic!("{format:?} timed out"));
    }
}

#[tokio::test]
async fn frames_on_one_connection_may_change_inner_format() {
    // A TTHeader connection: the inner framing and protocol are read per frame.
    let mut bytes = Vec::new();
    for (i, format) in ALL_FORMATS[..6].iter().enumerate() {
        let id = call_id("echo", i as i32);
        bytes.extend(common::encode_to_vec(*format, None, &id, &Body::Message(echo("x", 1))).await);
    }
    let mut dec = Decoder::new(&bytes[..]);
    for (i, format) in ALL_FORMATS[..6].iter().enumerate() {
        let frame = dec.next_frame().await.unwrap().unwrap();
        assert_eq!(frame.format(), *format);
        assert!(frame.header().is_some());
        let (id, _) = frame.decode::<EchoRequest>().unwrap();
        assert_eq!(id.sequence_number, i as i32);
    }
    assert!(dec.next_frame().await.unwrap().is_none());
}

#[tokio::test]
async fn known_wire_bytes_decode() {
    // The strict binary example of the wire notes, as a framed `Echo` call
    // to a method this service does not have.
    let msg: &[u8] = &[
        0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x45, 0x63, 0x68, 0x6f, 0x00, 0x00, 0x00,
        0x01, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x68, 0x69, 0x02, 0x00, 0x02, 0x01, 0x08,
        0x00, 0x10, 0xff, 0xff, 0xff, 0xff, 0x00,
    ];
    let mut framed = (msg.len() as u32).to_be_bytes().to_vec();
    framed.extend_from_slice(msg);
    for stream in [msg.to_vec(), framed] {
        let frame = Decoder::new(&stream[..])
            .next_frame()
            .await
            .unwrap()
            .unwrap();
        assert_eq!(frame.payload().len(), msg.len());
        let e = frame.decode::<EchoRequest>().unwrap_err();
        assert_eq!(e.kind(), CodecErrorKind::UnknownMethod);
        assert_eq!(e.seq_id(), Some(1));
    }
}

#[tokio::test]
async fn sizes_are_exact_and_limits_apply_on_both_sides() {
    let id = call_id("echo", 9);
    let body = Body::Message(echo(&"y".repeat(300), 7));
    let format = Format::new(Framing::Framed, volo_thrift::codec::Protocol::Binary);
    let bytes = common::encode_to_vec(format, None, &id, &body).await;
    let len = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    assert_eq!(len, bytes.len() - 4);

    // The reader refuses a frame over its limit, the writer refuses to write one.
    let mut small = Decoder::new(&bytes[..]).with_max_frame_size(len - 1);
    let e = small.next_frame().await.unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::FrameTooLarge);
    let mut enc = Encoder::new(Vec::new()).with_max_frame_size(len - 1);
    let e = enc.encode(format, None, &id, &body).unwrap_err();
    assert_eq!(e.kind(), CodecErrorKind::FrameTooLarge);
    assert_eq!(enc.queued(), 0);
    let mut ok = Decoder::new(&bytes[..]).with_max_frame_size(len);
    assert!(ok.next_frame().await.unwrap().is_some());
}
