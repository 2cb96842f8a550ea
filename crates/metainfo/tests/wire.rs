//! Wire key forms: TTHeader (`RPC_PERSIST_x`) and HTTP/2 (`rpc-persist-x`).

use faststr::FastStr;
use metainfo::{MetaInfo, http2, ttheader};
use proptest::prelude::*;

type Wire = Vec<(String, String)>;

fn tt_request(mi: &MetaInfo) -> Wire {
    collect(ttheader::request_pairs(mi))
}

fn collect(pairs: metainfo::Pairs<'_>) -> Wire {
    pairs
        .map(|(k, v)| {
            let text = k.to_string();
            assert_eq!(text, k.to_fast_str());
            assert_eq!(text.len(), k.encoded_len());
            assert!(k == text.as_str());
            assert!(text.starts_with(k.prefix()));
            (text, v.to_string())
        })
        .collect()
}

fn sorted(mut wire: Wire) -> Wire {
    wire.sort();
    wire
}

fn wire(items: &[(&str, &str)]) -> Wire {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn kv(iter: metainfo::Iter<'_>) -> Wire {
    sorted(iter.map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn tt_store_request(mi: &mut MetaInfo, key: &str, value: &str) -> bool {
    ttheader::store_request_pair(mi, &FastStr::new(key), &FastStr::new(value))
}

fn tt_store_response(mi: &mut MetaInfo, key: &str, value: &str) -> bool {
    ttheader::store_response_pair(mi, &FastStr::new(key), &FastStr::new(value))
}

#[test]
fn ttheader_request_round_trip() {
    let mut client = MetaInfo::new();
    client.set_persistent("p1", "a");
    client.set_persistent("Mixed_Case-key.1", "b");
    client.set_transient("t1", "c");
    client.set_upstream("u1", "never sent");
    client.set_backward("b1", "not in requests");
    client.set_downstream("d1", "never sent");

    let sent = tt_request(&client);
    // Persistent values come first.
    assert!(sent[..2].iter().all(|(k, _)| k.starts_with("RPC_PERSIST_")));
    assert_eq!(
        sorted(sent.clone()),
        wire(&[
            ("RPC_PERSIST_Mixed_Case-key.1", "b"),
            ("RPC_PERSIST_p1", "a"),
            ("RPC_TRANSIT_t1", "c"),
        ])
    );

    let mut server = MetaInfo::new();
    for (k, v) in &sent {
        assert!(tt_store_request(&mut server, k, v), "{k}");
    }
    assert_eq!(
        kv(server.get_all_persistents()),
        wire(&[("Mixed_Case-key.1", "b"), ("p1", "a")])
    );
    assert_eq!(kv(server.get_all_upstreams()), wire(&[("t1", "c")]));
    assert_eq!(kv(server.get_all_transients()), wire(&[]));

    // The next hop gets the persistent values only.
    assert_eq!(
        sorted(tt_request(&server)),
        wire(&[
            ("RPC_PERSIST_Mixed_Case-key.1", "b"),
            ("RPC_PERSIST_p1", "a")
        ])
    );
}

#[test]
fn ttheader_response_round_trip() {
    let mut server = MetaInfo::new();
    server.set_backward("cost", "3ms");
    server.set_persistent("p", "not in responses");
    let sent = collect(ttheader::response_pairs(&server));
    assert_eq!(sent, wire(&[("RPC_BACKWARD_cost", "3ms")]));

    let mut client = MetaInfo::new();
    for (k, v) in &sent {
        assert!(tt_store_response(&mut client, k, v));
    }
    assert_eq!(kv(client.get_all_downstreams()), wire(&[("cost", "3ms")]));
    assert_eq!(kv(client.get_all_backwards()), wire(&[]));
}

#[test]
fn ttheader_unknown_and_edge_keys_are_reported() {
    let mut mi = MetaInfo::new();
    for key in [
        "RPC_PERSIST_",   // exactly the prefix
        "RPC_TRANSIT_",   // exactly the prefix
        "RPC_PERSIST",    // shorter than the prefix
        "rpc_persist_x",  // other case
        "Rpc_Transit_x",  // other case
        "RPC_BACKWARD_x", // a response key in a request
        "RPC_PERSISTx",   // no separator
        "isn",
        "crrst",
        "",
    ] {
        assert!(!tt_store_request(&mut mi, key, "v"), "{key:?}");
    }
    for key in [
        "RPC_BACKWARD_",
        "RPC_PERSIST_x",
        "rpc_backward_x",
        "biz-status",
    ] {
        assert!(!tt_store_response(&mut mi, key, "v"), "{key:?}");
    }
    assert_eq!(format!("{mi:?}"), format!("{:?}", MetaInfo::new()));

    // A prefix repeated is a key that starts with the prefix.
    assert!(tt_store_request(&mut mi, "RPC_PERSIST_RPC_PERSIST_", "v"));
    assert_eq!(
        mi.get_persistent("RPC_PERSIST_").map(|v| v.as_str()),
        Some("v")
    );
    // The last of repeated keys wins; empty values are kept.
    assert!(tt_store_request(&mut mi, "RPC_TRANSIT_k", "1"));
    assert!(tt_store_request(&mut mi, "RPC_TRANSIT_k", ""));
    assert_eq!(mi.get_upstream("k").map(|v| v.as_str()), Some(""));
}

#[test]
fn ttheader_stored_key_shares_the_received_buffer() {
    let key = FastStr::from_string(format!("RPC_PERSIST_{}", "k".repeat(64)));
    let mut mi = MetaInfo::new();
    assert!(ttheader::store_request_pair(&mut mi, &key, &"v".into()));
    let (stored, _) = mi.get_all_persistents().next().unwrap();
    assert_eq!(stored.len(), 64);
    let start = key.as_ptr() as usize;
    let at = stored.as_ptr() as usize;
    assert_eq!(at, start + "RPC_PERSIST_".len(), "the key was copied");
}

#[test]
fn ttheader_skips_what_it_cannot_carry() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("", "empty key");
    let longest_key = "k".repeat(ttheader::MAX_STRING_LEN - "RPC_PERSIST_".len());
    mi.set_persistent(longest_key.clone(), "fits");
    mi.set_persistent(format!("{longest_key}k"), "key too long");
    mi.set_transient("long_value", "v".repeat(ttheader::MAX_STRING_LEN + 1));
    mi.set_transient("max_value", "v".repeat(ttheader::MAX_STRING_LEN));
    let mut sent: Vec<(usize, usize)> = ttheader::request_pairs(&mi)
        .map(|(k, v)| (k.encoded_len(), v.len()))
        .collect();
    sent.sort();
    assert_eq!(
        sent,
        [
            ("RPC_TRANSIT_max_value".len(), ttheader::MAX_STRING_LEN),
            (ttheader::MAX_STRING_LEN, "fits".len()),
        ]
    );
}

#[test]
fn ttheader_sends_what_a_child_sees() {
    let mut parent = MetaInfo::new();
    parent.set_persistent("a", "1");
    parent.set_persistent("b", "2");
    parent.set_transient("t", "3");
    let mut child = parent.derive();
    child.set_persistent("a", "child");
    child.del_persistent("b");
    child.del_transient("t");
    assert_eq!(tt_request(&child), wire(&[("RPC_PERSIST_a", "child")]));
    assert_eq!(
        sorted(tt_request(&parent)),
        wire(&[
            ("RPC_PERSIST_a", "1"),
            ("RPC_PERSIST_b", "2"),
            ("RPC_TRANSIT_t", "3")
        ])
    );
}

#[test]
fn http2_request_round_trip() {
    let mut client = MetaInfo::new();
    client.set_persistent("USER_ID", "42");
    client.set_persistent("TRACE.ID", "t-1");
    client.set_transient("DEBUG", "on");
    client.set_upstream("UP", "never sent");

    let sent = collect(http2::request_pairs(&client));
    assert_eq!(
        sorted(sent.clone()),
        wire(&[
            ("rpc-persist-trace.id", "t-1"),
            ("rpc-persist-user-id", "42"),
            ("rpc-transit-debug", "on"),
        ])
    );

    let mut server = MetaInfo::new();
    for (name, value) in &sent {
        assert!(http2::store_request_pair(
            &mut server,
            name,
            value.as_bytes()
        ));
    }
    assert_eq!(
        kv(server.get_all_persistents()),
        wire(&[("TRACE.ID", "t-1"), ("USER_ID", "42")])
    );
    assert_eq!(kv(server.get_all_upstreams()), wire(&[("DEBUG", "on")]));
}

#[test]
fn http2_response_round_trip() {
    let mut server = MetaInfo::new();
    server.set_backward("COST_MS", "3");
    server.set_transient("T", "not in responses");
    let sent = collect(http2::response_pairs(&server));
    assert_eq!(sent, wire(&[("rpc-backward-cost-ms", "3")]));
    let mut client = MetaInfo::new();
    assert!(http2::store_response_pair(
        &mut client,
        &sent[0].0,
        sent[0].1.as_bytes()
    ));
    assert_eq!(kv(client.get_all_downstreams()), wire(&[("COST_MS", "3")]));
}

#[test]
fn http2_key_case_and_separators_follow_the_cgi_convention() {
    let mut client = MetaInfo::new();
    client.set_persistent("userId", "1");
    client.set_persistent("trace-id", "2");
    let sent = sorted(collect(http2::request_pairs(&client)));
    assert_eq!(
        sent,
        wire(&[("rpc-persist-trace-id", "2"), ("rpc-persist-userid", "1")])
    );
    let mut server = MetaInfo::new();
    for (name, value) in &sent {
        assert!(http2::store_request_pair(
            &mut server,
            name,
            value.as_bytes()
        ));
    }
    assert_eq!(
        kv(server.get_all_persistents()),
        wire(&[("TRACE_ID", "2"), ("USERID", "1")])
    );
}

#[test]
fn http2_skips_invalid_header_names_and_values() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("OK", "fine");
    mi.set_persistent("", "empty key");
    mi.set_persistent("HAS SPACE", "x");
    mi.set_persistent("COLON:", "x");
    mi.set_persistent("UNICODE_É", "x");
    mi.set_persistent("DATA-BIN", "binary header");
    mi.set_persistent("data_bin", "binary header");
    mi.set_persistent("BIN", "binary header: rpc-persist-bin");
    mi.set_persistent("XBIN", "fine: not a -bin suffix");
    mi.set_transient("NEWLINE", "a\nb");
    mi.set_transient("DEL", "a\u{7f}");
    mi.set_transient("NON_ASCII", "é");
    mi.set_transient("TAB", "a\tb");
    mi.set_transient("PRINTABLE", " !~ ");
    assert_eq!(
        sorted(collect(http2::request_pairs(&mi))),
        wire(&[
            ("rpc-persist-ok", "fine"),
            ("rpc-persist-xbin", "fine: not a -bin suffix"),
            ("rpc-transit-printable", " !~ "),
        ])
    );
}

#[test]
fn http2_receiving_edge_cases() {
    let mut mi = MetaInfo::new();
    for name in [
        "rpc-persist-",
        "rpc-transit-",
        "rpc-persist",
        "rpc_persist_x",
        "rpc-backward-x",
        "content-type",
        ":path",
        "",
    ] {
        assert!(!http2::store_request_pair(&mut mi, name, b"v"), "{name:?}");
    }
    for name in ["rpc-backward-", "rpc-persist-x", "grpc-status"] {
        assert!(!http2::store_response_pair(&mut mi, name, b"v"), "{name:?}");
    }
    // A value that is not UTF-8 is not stored.
    assert!(!http2::store_request_pair(
        &mut mi,
        "rpc-persist-x",
        b"\xff"
    ));
    assert_eq!(format!("{mi:?}"), format!("{:?}", MetaInfo::new()));

    // Header names are case-insensitive: the prefix matches in any case.
    assert!(http2::store_request_pair(&mut mi, "RPC-Persist-a-b", b"1"));
    assert!(http2::store_response_pair(&mut mi, "RPC-BACKWARD-c", b"2"));
    assert_eq!(mi.get_persistent("A_B").map(|v| v.as_str()), Some("1"));
    assert_eq!(mi.get_downstream("C").map(|v| v.as_str()), Some("2"));
}

#[test]
fn wire_key_compares_with_strings() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("A_B", "1");
    let (tt, _) = ttheader::request_pairs(&mi).next().unwrap();
    let (h2, _) = http2::request_pairs(&mi).next().unwrap();
    assert_eq!(tt.key(), "A_B");
    assert!(tt == "RPC_PERSIST_A_B");
    assert!(tt != "RPC_PERSIST_a_b");
    assert!(tt != "RPC_PERSIST_A_");
    assert!(tt != "RPC");
    assert_eq!(h2.key(), "A_B");
    assert_eq!(h2.prefix(), http2::PERSIST_PREFIX);
    assert!(h2 == "rpc-persist-a-b");
    assert!(h2 != "rpc-persist-A_B");
    assert!(h2 != "rpc-persist-a-bc");
}

/// Names that often start with a prefix (in various cases) and often do not.
fn wire_name() -> impl Strategy<Value = String> {
    let prefixes = prop::sample::select(vec![
        "RPC_PERSIST_",
        "RPC_TRANSIT_",
        "RPC_BACKWARD_",
        "rpc-persist-",
        "rpc-transit-",
        "rpc-backward-",
        "Rpc-Persist-",
        "rpc_persist_",
        "RPC_",
        "",
    ]);
    (prefixes, ".{0,12}").prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

proptest! {
    #[test]
    fn ttheader_round_trip_of_arbitrary_strings(
        persistent in prop::collection::hash_map(".{1,40}", ".{0,40}", 0..8),
        transient in prop::collection::hash_map(".{1,40}", ".{0,40}", 0..8),
        backward in prop::collection::hash_map(".{1,40}", ".{0,40}", 0..8),
    ) {
        let mut client = MetaInfo::new();
        for (k, v) in &persistent {
            client.set_persistent(k.clone(), v.clone());
        }
        for (k, v) in &transient {
            client.set_transient(k.clone(), v.clone());
        }
        let mut server = MetaInfo::new();
        for (k, v) in ttheader::request_pairs(&client) {
            prop_assert!(ttheader::store_request_pair(&mut server, &k.to_fast_str(), v));
        }
        let mut got_p: Wire = server.get_all_persistents().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut want_p: Wire = persistent.into_iter().collect();
        got_p.sort();
        want_p.sort();
        prop_assert_eq!(got_p, want_p);
        let mut got_u: Wire = server.get_all_upstreams().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut want_u: Wire = transient.into_iter().collect();
        got_u.sort();
        want_u.sort();
        prop_assert_eq!(got_u, want_u);

        for (k, v) in &backward {
            server.set_backward(k.clone(), v.clone());
        }
        let mut client = MetaInfo::new();
        for (k, v) in ttheader::response_pairs(&server) {
            prop_assert!(ttheader::store_response_pair(&mut client, &k.to_fast_str(), v));
        }
        let mut got_d: Wire = client.get_all_downstreams().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut want_d: Wire = backward.into_iter().collect();
        got_d.sort();
        want_d.sort();
        prop_assert_eq!(got_d, want_d);
    }

    #[test]
    fn http2_round_trip_of_cgi_keys(
        pairs in prop::collection::hash_map("[A-Z0-9_.]{1,30}", "[ -~]{0,40}", 0..8),
    ) {
        let mut client = MetaInfo::new();
        for (k, v) in &pairs {
            client.set_persistent(k.clone(), v.clone());
        }
        let mut server = MetaInfo::new();
        for (name, value) in http2::request_pairs(&client) {
            let name = name.to_string();
            prop_assert!(name.bytes().all(|b| !b.is_ascii_uppercase()));
            prop_assert!(http2::store_request_pair(&mut server, &name, value.as_bytes()));
        }
        let mut got: Wire = server.get_all_persistents().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut want: Wire = pairs.into_iter().filter(|(k, _)| !k.ends_with("_BIN") && k != "BIN").collect();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn receiving_arbitrary_pairs_never_panics(
        name in wire_name(),
        value in prop::collection::vec(any::<u8>(), 0..30),
    ) {
        let mut mi = MetaInfo::new();
        let stored_h2 = http2::store_request_pair(&mut mi, &name, &value)
            | http2::store_response_pair(&mut mi, &name, &value);
        let text = String::from_utf8_lossy(&value).into_owned();
        let stored_tt = ttheader::store_request_pair(&mut mi, &FastStr::new(&name), &text.into())
            | ttheader::store_response_pair(&mut mi, &FastStr::new(&name), &FastStr::empty());
        let lower = name.to_ascii_lowercase();
        let h2_prefixed = [http2::PERSIST_PREFIX, http2::TRANSIT_PREFIX, http2::BACKWARD_PREFIX]
            .iter()
            .any(|p| lower.len() > p.len() && lower.starts_with(p));
        prop_assert_eq!(stored_h2, h2_prefixed && std::str::from_utf8(&value).is_ok());
        let tt_prefixed = [ttheader::PERSIST_PREFIX, ttheader::TRANSIT_PREFIX, ttheader::BACKWARD_PREFIX]
            .iter()
            .any(|p| name.len() > p.len() && name.starts_with(p));
        prop_assert_eq!(stored_tt, tt_prefixed);
    }
}
