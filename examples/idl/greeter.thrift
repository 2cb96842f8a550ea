namespace rs greeter

/// Why a greeting was refused.
exception Refused {
    1: string reason,
}

/// Greets people.
service Greeter {
    /// Greets `name`; refuses an empty name with `Refused`.
    string greet(1: string name) throws (1: Refused refused),
}
