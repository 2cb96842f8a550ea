namespace rs echo

struct EchoMsg {
    1: required string text,
    2: i64 n,
    3: optional binary blob,
}

exception EchoError {
    1: string reason,
}

/// Echoes messages back.
service Echo {
    /// Returns `msg` unchanged, or fails as `msg.text` asks.
    EchoMsg echo(1: EchoMsg msg) throws (1: EchoError err),
    oneway void notify(1: string text),
}
