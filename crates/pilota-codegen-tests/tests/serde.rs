//! The serde plugin's output: it compiles, and values survive a JSON round trip, with
//! unknown fields skipped.

use pilota::{Bytes, FastStr};
use pilota_codegen_tests::plugins_serde::plugins::{Event, Level, Payload};

#[test]
fn structs_and_enums_round_trip_through_json() {
    let event = Event {
        name: FastStr::new("deploy"),
        level: Some(Level::HIGH),
        ..Default::default()
    };
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(json, r#"{"name":"deploy","level":2}"#);
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
}

#[test]
fn unions_round_trip_through_json() {
    let raw = Payload::Raw(Bytes::from_static(b"\x00\xff"));
    let json = serde_json::to_string(&raw).unwrap();
    assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), raw);

    let event = Payload::Event(Event {
        name: FastStr::new("nested"),
        ..Default::default()
    });
    let json = serde_json::to_string(&event).unwrap();
    assert!(json.contains("nested"), "{json}");
    assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), event);
}
