//! Cleaning of `/** ... */` doc comments.

/// Turns the inside of a doc comment (between `/**` and `*/`) into plain text, the way
/// the Apache compiler presents it to generators:
///
/// - the first line loses its leading blanks;
/// - when every non-blank later line starts with blanks and a `*` at the same column,
///   that prefix (star included) is removed;
/// - then the smallest indentation of the later lines is removed;
/// - trailing blanks go, and so do empty lines at the start and at the end.
pub(crate) fn clean_doc_comment(raw: &str) -> String {
    let mut lines: Vec<String> = raw.split('\n').map(|l| l.replace('\r', "")).collect();
    if let Some(first) = lines.first_mut() {
        *first = first.trim_start_matches([' ', '\t']).to_owned();
    }

    let rest = &mut lines[1..];
    for line in rest.iter_mut() {
        if line.trim_matches([' ', '\t']).is_empty() {
            line.clear();
        }
    }
    let star_column = common_star_column(rest);
    if let Some(col) = star_column {
        for line in rest.iter_mut().filter(|l| !l.is_empty()) {
            line.drain(..=col);
        }
    }
    let indent = rest
        .iter()
        .filter(|l| !l.trim_matches([' ', '\t']).is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min();
    if let Some(indent) = indent {
        for line in rest.iter_mut() {
            let cut = indent.min(line.len() - line.trim_start_matches([' ', '\t']).len());
            line.drain(..cut);
        }
    }

    for line in &mut lines {
        line.truncate(line.trim_end_matches([' ', '\t']).len());
    }
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    lines[start..end].join("\n")
}

/// The column of the `*` if every non-empty line is `<blanks>*...` with the star at the
/// same column.
fn common_star_column(lines: &[String]) -> Option<usize> {
    let mut column = None;
    for line in lines.iter().filter(|l| !l.is_empty()) {
        let blanks = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line.as_bytes().get(blanks) != Some(&b'*') {
            return None;
        }
        match column {
            None => column = Some(blanks),
            Some(c) if c != blanks => return None,
            Some(_) => {}
        }
    }
    column
}

#[cfg(test)]
mod tests {
    use super::clean_doc_comment;

    #[test]
    fn strips_stars_and_indentation() {
        let raw = "\n   * First line.\n   *   indented\n   *\n   * Last.\n   ";
        assert_eq!(clean_doc_comment(raw), "First line.\n  indented\n\nLast.");
    }

    #[test]
    fn single_line() {
        assert_eq!(clean_doc_comment(" Just one line. "), "Just one line.");
    }

    #[test]
    fn without_stars_removes_common_indent() {
        let raw = " Head\n    body one\n      body two\n";
        assert_eq!(clean_doc_comment(raw), "Head\nbody one\n  body two");
    }

    #[test]
    fn broken_star_pattern_keeps_stars() {
        let raw = "\n * a\n   * b\n";
        assert_eq!(clean_doc_comment(raw), "* a\n  * b");
    }

    #[test]
    fn empty() {
        assert_eq!(clean_doc_comment("  \n  "), "");
    }
}
