namespace rs slow

/// Work that takes a while.
service Slow {
    /// Works on job `id` for about 100 ms and returns it.
    i64 work(1: i64 id),
}
