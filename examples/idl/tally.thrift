namespace rs tally

/// Counts notifications.
service Tally {
    /// A notification: the caller does not wait for any reply.
    oneway void tick(1: string from),
    /// How many ticks arrived so far.
    i64 count(),
}
