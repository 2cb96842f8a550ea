namespace rs multi

/// Adds numbers.
service Adder {
    i64 add(1: i64 a, 2: i64 b),
}

/// Shouts text back.
service Shouter {
    string shout(1: string text),
}
