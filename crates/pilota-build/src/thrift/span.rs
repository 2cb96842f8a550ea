//! Source positions: file ids, byte spans and line/column lookup.

use std::fmt;

/// Identifies one source file of a parse run.
///
/// File ids are indexes into [`ParsedIdl::files`](super::ParsedIdl::files); a
/// document parsed alone with [`parse_str`](super::parse_str) has id `FileId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// The id as an index into a list of files.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range `start..end` inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`.
    pub fn new(file: FileId, start: u32, end: u32) -> Self {
        Span { file, start, end }
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The length in bytes.
    pub fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column. The column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// The text of one source file with a line index, for turning spans into positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Wraps `text`, shown in diagnostics as `name` (usually the path).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| offset_u32(i + 1)),
        );
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The display name (path) of the file.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers (empty if it is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(offset_u32(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = self.floor_char_boundary(offset as usize);
        let col = self.text[start..end].chars().count() + 1;
        LineCol {
            line: offset_u32(line + 1),
            col: offset_u32(col),
        }
    }

    /// The byte offset where a 1-based line starts (the end of the text if out of range).
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts
            .get((line as usize).wrapping_sub(1))
            .copied()
            .unwrap_or(offset_u32(self.text.len()))
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(&start) = self.line_starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let rest = &self.text[start as usize..];
        let line = rest.split('\n').next().unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
    }

    fn floor_char_boundary(&self, mut index: usize) -> usize {
        while !self.text.is_char_boundary(index) {
            index -= 1;
        }
        index
    }
}

/// Converts a byte offset to `u32`, saturating (sources are limited well below 4 GiB).
pub(crate) fn offset_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let src = SourceFile::new("a.thrift", "ab\ncdé f\r\n\nx");
        assert_eq!(src.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(src.line_col(2), LineCol { line: 1, col: 3 });
        assert_eq!(src.line_col(3), LineCol { line: 2, col: 1 });
        // `é` is two bytes: the `f` after it is the 5th character.
        assert_eq!(src.line_col(8), LineCol { line: 2, col: 5 });
        assert_eq!(src.line_col(12), LineCol { line: 4, col: 1 });
        assert_eq!(src.line_col(1000), LineCol { line: 4, col: 2 });
        assert_eq!(src.line_text(2), "cdé f");
        assert_eq!(src.line_text(3), "");
        assert_eq!(src.line_text(9), "");
    }

    #[test]
    fn span_join_and_slice() {
        let src = SourceFile::new("a", "hello world");
        let a = Span::new(FileId(0), 0, 5);
        let b = Span::new(FileId(0), 6, 11);
        assert_eq!(src.slice(a.to(b)), "hello world");
        assert_eq!(a.len(), 5);
        assert!(!a.is_empty());
        assert_eq!(src.slice(Span::new(FileId(0), 20, 30)), "");
    }
}
