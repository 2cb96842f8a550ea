//! [`Panicked`]: the error of a call that panicked.

use std::{any::Any, error::Error, fmt};

/// The inner service panicked; the panic was caught and the call failed with this.
///
/// [`CatchPanic`](super::CatchPanic) returns it inside a [`BoxError`](crate::BoxError);
/// find it with `err.downcast_ref::<Panicked>()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panicked {
    message: String,
    location: Option<PanicLocation>,
}

impl Panicked {
    pub(super) fn new(payload: &(dyn Any + Send), location: Option<PanicLocation>) -> Self {
        let message = if let Some(s) = payload.downcast_ref::<&'static str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic payload is not a string".to_owned()
        };
        Self { message, location }
    }

    /// The panic message (from `panic!("..")`, an `unwrap`, ...).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the panic happened, if the panic hook of
    /// [`catch_panic`](super) saw it; see [`install_hook`](super::install_hook).
    pub fn location(&self) -> Option<&PanicLocation> {
        self.location.as_ref()
    }
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "service panicked at {location}: {}", self.message),
            None => write!(f, "service panicked: {}", self.message),
        }
    }
}

impl Error for Panicked {}

/// A source location: file, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanicLocation {
    file: String,
    line: u32,
    column: u32,
}

impl PanicLocation {
    pub(super) fn new(file: &str, line: u32, column: u32) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column,
        }
    }

    /// The source file, as `file!()` gives it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The line, starting at 1.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The column, starting at 1.
    pub fn column(&self) -> u32 {
        self.column
    }
}

impl fmt::Display for PanicLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_from_each_payload_kind() {
        let location = Some(PanicLocation::new("src/a.rs", 3, 9));
        let literal = Panicked::new(&"boom", location.clone());
        assert_eq!(literal.message(), "boom");
        assert_eq!(
            literal.to_string(),
            "service panicked at src/a.rs:3:9: boom"
        );

        let formatted = Panicked::new(&String::from("bad 7"), None);
        assert_eq!(formatted.to_string(), "service panicked: bad 7");

        let other = Panicked::new(&42_u32, None);
        assert_eq!(other.message(), "panic payload is not a string");
    }
}
