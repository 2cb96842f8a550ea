namespace rs base

exception NotFound {
    1: required string key,
}

/// The service `all.Everything` extends (from another module).
service Base {
    string ping(1: string who),
    i32 lookup(1: string key) throws (1: NotFound not_found),
}
