namespace rs hop

/// One hop of a call chain.
service Hop {
    /// Visits this node (and the next one, if any); returns the path taken.
    string visit(1: string from),
}
