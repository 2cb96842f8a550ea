//! Diagnostics: errors and warnings with positions, rendered with the source line.

use std::fmt;

use super::span::{SourceFile, Span};

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something the reference compiler warns about; it does not fail the run.
    Warning,
    /// The input is invalid.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The source line shown under a diagnostic, with the marked column range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snippet {
    text: String,
    marker_start: usize,
    marker_len: usize,
}

/// After this many errors in one file, parsing of the file stops (bounding the work
/// and the report for garbage input).
pub(crate) const MAX_ERRORS_PER_FILE: usize = 100;

/// The message of the diagnostic that says a file's errors were cut short.
pub(crate) const TOO_MANY_ERRORS: &str = "too many errors in this file: stopping here";

/// Long lines are shown as a window of about this many characters around the span.
const WINDOW_BEFORE: usize = 60;
const WINDOW_AFTER: usize = 100;

impl Snippet {
    /// The part of `line` around `span`; tabs are shown as four spaces so the marker
    /// lines up in any terminal.
    fn new(source: &SourceFile, line: u32, span: Span) -> Snippet {
        let text = source.text();
        let line_start = source.line_start(line) as usize;
        let line_end = line_start + source.line_text(line).len();
        let at = (span.start as usize).clamp(line_start, line_end);
        let mut from = at;
        for _ in 0..WINDOW_BEFORE {
            match text[line_start..from].chars().next_back() {
                Some(c) => from -= c.len_utf8(),
                None => break,
            }
        }
        let mut to = at;
        for _ in 0..WINDOW_AFTER {
            match text[to..line_end].chars().next() {
                Some(c) => to += c.len_utf8(),
                None => break,
            }
        }
        let marked_end = (span.end as usize).clamp(at, to);
        let lead = if from > line_start { "…" } else { "" };
        let tail = if to < line_end { "…" } else { "" };
        Snippet {
            text: format!("{lead}{}{tail}", &text[from..to]).replace('\t', "    "),
            marker_start: display_width(lead) + display_width(&text[from..at]),
            marker_len: display_width(&text[at..marked_end]).max(1),
        }
    }
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    severity: Severity,
    message: String,
    file: String,
    line: u32,
    col: u32,
    span: Option<Span>,
    notes: Vec<String>,
    snippet: Option<Snippet>,
}

impl Diagnostic {
    /// A diagnostic pointing at `span` inside `source`.
    pub fn new(
        severity: Severity,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let pos = source.line_col(span.start);
        Diagnostic {
            severity,
            message: message.into(),
            file: source.name().to_owned(),
            line: pos.line,
            col: pos.col,
            span: Some(span),
            notes: Vec::new(),
            snippet: Some(Snippet::new(source, pos.line, span)),
        }
    }

    /// A diagnostic about a whole file (for example one that cannot be read).
    pub fn for_file(
        severity: Severity,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: file.into(),
            line: 0,
            col: 0,
            span: None,
            notes: Vec::new(),
            snippet: None,
        }
    }

    /// Adds a note printed after the source line.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The message, without position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The file name (path) as given to the parser.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line, or 0 for a diagnostic about a whole file.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The 1-based column in characters, or 0 for a diagnostic about a whole file.
    pub fn col(&self) -> u32 {
        self.col
    }

    /// The offending text, if the diagnostic points into a file.
    pub fn span(&self) -> Option<Span> {
        self.span
    }

    /// Extra notes (for example the chain of an include cycle).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity, self.message)?;
        let Some(snippet) = &self.snippet else {
            writeln!(f, " --> {}", self.file)?;
            for note in &self.notes {
                writeln!(f, "  = note: {note}")?;
            }
            return Ok(());
        };
        let line = self.line.to_string();
        let pad = " ".repeat(line.len());
        writeln!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.col)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{line} | {}", snippet.text.trim_end())?;
        writeln!(
            f,
            "{pad} | {}{}",
            " ".repeat(snippet.marker_start),
            "^".repeat(snippet.marker_len)
        )?;
        for note in &self.notes {
            writeln!(f, "{pad} = note: {note}")?;
        }
        Ok(())
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// All diagnostics of a run: every error found (not just the first) and the warnings.
///
/// `Display` renders the full report: each diagnostic with its `file:line:col`, the
/// source line and a `^^^` marker, then a summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Appends all diagnostics of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Every diagnostic, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.items.len() - errors;
        write!(
            f,
            "{errors} {}, {warnings} {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thrift::FileId;

    #[test]
    fn renders_position_line_and_marker() {
        let src = SourceFile::new("x.thrift", "struct A {\n\tfoo bar\n}\n");
        let d = Diagnostic::new(
            Severity::Error,
            &src,
            Span::new(FileId(0), 12, 15),
            "bad `foo`",
        )
        .with_note("a note");
        assert_eq!(
            d.to_string(),
            "error: bad `foo`\n --> x.thrift:2:2\n  |\n2 |     foo bar\n  |     ^^^\n  = note: a note\n"
        );
        assert_eq!((d.line(), d.col()), (2, 2));
    }

    #[test]
    fn long_lines_show_a_window_around_the_span() {
        let line = format!("{}BAD{}", "a".repeat(500), "b".repeat(500));
        let src = SourceFile::new("x.thrift", line);
        let d = Diagnostic::new(Severity::Error, &src, Span::new(FileId(0), 500, 503), "bad");
        let text = d.to_string();
        let snippet = text.lines().nth(3).expect("source line");
        let marker = text.lines().nth(4).expect("marker line");
        let expected = format!("1 | …{}BAD{}…", "a".repeat(60), "b".repeat(97));
        assert_eq!(snippet, expected);
        assert_eq!(marker, format!("  | {}^^^", " ".repeat(61)));
        assert_eq!(d.col(), 501);
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let src = SourceFile::new("x.thrift", "a");
        let mut all = Diagnostics::new();
        all.push(Diagnostic::new(
            Severity::Warning,
            &src,
            Span::new(FileId(0), 0, 1),
            "w",
        ));
        assert!(!all.has_errors());
        all.push(Diagnostic::for_file(
            Severity::Error,
            "y.thrift",
            "cannot read",
        ));
        assert!(all.has_errors());
        let text = all.to_string();
        assert!(text.ends_with("1 error, 1 warning"), "{text}");
        assert!(
            text.contains("error: cannot read\n --> y.thrift\n"),
            "{text}"
        );
    }
}
