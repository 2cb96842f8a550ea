//! Targeted text edits of `volo.yml` that keep the rest of the file, its
//! comments included, byte for byte.
//!
//! Only block-style YAML is edited: `entries:`, the entry, its `services:`
//! and `repos:` and each repo must be keys whose values start on the next
//! lines (any indentation). Anything else (flow style `{ .. }` or `[ .. ]`
//! where an edit must go, tabs in indentation, escapes in a key) makes an
//! edit return `None`, and the caller falls back to rendering the file.
//! Every edit is also read back by the caller and compared with the config
//! it should give, so a misjudged layout is caught, never written.

use super::quoted;

/// One line of the file.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Byte offset of its start.
    start: usize,
    /// Byte offset after its line break (or the end of the file).
    end: usize,
    /// The line without its break.
    text: &'a str,
    /// Leading spaces.
    indent: usize,
    /// Not blank and not only a comment.
    content: bool,
}

impl<'a> Line<'a> {
    /// The text after the indentation.
    fn body(&self) -> &'a str {
        &self.text[self.indent..]
    }

    /// Whether it is an item of a block sequence (`- ...`).
    fn is_item(&self) -> bool {
        let body = self.body();
        body == "-" || body.starts_with("- ")
    }
}

/// A YAML file as lines.
#[derive(Debug)]
struct Doc<'a> {
    text: &'a str,
    lines: Vec<Line<'a>>,
    /// The file's line break (`\r\n` if its first line has one).
    newline: &'static str,
}

/// A range of lines `[start, end)`.
type Region = (usize, usize);

impl<'a> Doc<'a> {
    /// Splits `text` into lines; `None` if a line is indented with a tab.
    fn parse(text: &'a str) -> Option<Self> {
        let mut lines = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            let line = text[start..end]
                .strip_suffix('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .unwrap_or(&text[start..end]);
            let indent = line.len() - line.trim_start_matches(' ').len();
            let body = &line[indent..];
            if body.starts_with('\t') {
                return None;
            }
            let content = !body.trim().is_empty() && !body.starts_with('#');
            lines.push(Line {
                start,
                end,
                text: line,
                indent,
                content,
            });
            start = end;
        }
        let newline = if text.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
            "\r\n"
        } else {
            "\n"
        };
        Some(Doc {
            text,
            lines,
            newline,
        })
    }

    /// The whole document, after a leading `---`.
    fn root(&self) -> Region {
        let first = self.lines.iter().position(|l| l.content);
        match first {
            Some(i) if self.lines[i].text.trim_end() == "---" => (i + 1, self.lines.len()),
            _ => (0, self.lines.len()),
        }
    }

    /// The first content line of `region`.
    fn first_content(&self, (start, end): Region) -> Option<&Line<'a>> {
        self.lines[start..end].iter().find(|l| l.content)
    }

    /// The lines holding the block value of the key on line `key`: every
    /// following line more indented than the key (or a sequence item at
    /// its indentation), up to the last content line.
    fn block(&self, key: usize) -> Region {
        let indent = self.lines[key].indent;
        let mut last = key;
        for (i, line) in self.lines.iter().enumerate().skip(key + 1) {
            if !line.content {
                continue;
            }
            if line.indent > indent || (line.indent == indent && line.is_item()) {
                last = i;
            } else {
                break;
            }
        }
        (key + 1, last + 1)
    }

    /// The line of key `name` in the block mapping of `region` (its keys
    /// are at the indentation of its first content line), if its value is
    /// a block (nothing after the colon but an anchor and a comment). An
    /// edit inside an anchored block that an alias repeats elsewhere does
    /// not read back as meant, so the caller's check refuses it.
    fn block_key(&self, region: Region, name: &str) -> Option<usize> {
        let line = self.key(region, name)?;
        let mut rest = key_of(self.lines[line].body())?.1.trim_start();
        if let Some(anchor) = rest.strip_prefix('&') {
            rest = anchor.trim_start_matches(|c: char| !c.is_whitespace());
            rest = rest.trim_start();
        }
        (rest.is_empty() || rest.starts_with('#')).then_some(line)
    }

    /// The line of key `name` in the block mapping of `region`.
    fn key(&self, region: Region, name: &str) -> Option<usize> {
        let indent = self.first_content(region)?.indent;
        (region.0..region.1).find(|&i| {
            let line = &self.lines[i];
            line.content
                && line.indent == indent
                && key_of(line.body()).is_some_and(|(key, _)| key == name)
        })
    }

    /// The block of entry `entry`.
    fn entry(&self, entry: &str) -> Option<Region> {
        let entries = self.block_key(self.root(), "entries")?;
        let entry = self.block_key(self.block(entries), entry)?;
        Some(self.block(entry))
    }

    /// The text with `lines` (each without a line break) inserted before
    /// line `at`, each indented by `indent` more spaces.
    fn insert(&self, at: usize, indent: usize, lines: &[String]) -> String {
        let offset = at.checked_sub(1).map_or(0, |prev| self.lines[prev].end);
        let mut out = String::with_capacity(self.text.len() + 128);
        out.push_str(&self.text[..offset]);
        if offset > 0 && !self.text[..offset].ends_with('\n') {
            out.push_str(self.newline);
        }
        let pad = " ".repeat(indent);
        for line in lines {
            out.push_str(&pad);
            out.push_str(line);
            out.push_str(self.newline);
        }
        out.push_str(&self.text[offset..]);
        out
    }
}

/// The key of a `key: ...` line and what follows its colon; `None` for
/// anything else (a sequence item, flow style, a key with escapes).
fn key_of(body: &str) -> Option<(String, &str)> {
    let (key, after) = match body.chars().next()? {
        '"' => {
            let close = body[1..].find('"')? + 1;
            let key = &body[1..close];
            if key.contains('\\') {
                return None;
            }
            (key.to_owned(), body[close + 1..].trim_start_matches(' '))
        }
        '\'' => {
            let mut key = String::new();
            let mut chars = body[1..].char_indices();
            let close = loop {
                let (i, c) = chars.next()?;
                if c != '\'' {
                    key.push(c);
                } else if body[1 + i + 1..].starts_with('\'') {
                    key.push('\'');
                    chars.next();
                } else {
                    break 1 + i;
                }
            };
            (key, body[close + 1..].trim_start_matches(' '))
        }
        '-' | '{' | '[' | '&' | '*' | '!' | '?' | '|' | '>' | '%' | '@' | '`' | '#' => return None,
        _ => {
            let colon = body
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| matches!(body[i + 1..].chars().next(), None | Some(' ' | '\t')))?;
            let key = body[..colon].trim_end();
            if key.contains(" #") {
                return None;
            }
            (key.to_owned(), &body[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key, rest))
}

/// Appends the sequence item `render(indent)` (lines ending in `\n`, the
/// first starting with `- `) to the `services:` of entry `entry`.
pub(crate) fn add_service(
    text: &str,
    entry: &str,
    render: impl FnOnce(usize) -> Option<String>,
) -> Option<String> {
    let doc = Doc::parse(text)?;
    let services = doc.block_key(doc.entry(entry)?, "services")?;
    let items = doc.block(services);
    let indent = match doc.first_content(items) {
        Some(first) if first.is_item() => first.indent,
        Some(_) => return None,
        None => doc.lines[services].indent + 2,
    };
    let item = render(indent)?;
    let lines: Vec<String> = item.lines().map(str::to_owned).collect();
    Some(doc.insert(items.1, 0, &lines))
}

/// Adds repo `name` (locked) to the `repos:` of entry `entry`, making
/// `repos:` if the entry has none.
pub(crate) fn add_repo(
    text: &str,
    entry: &str,
    name: &str,
    url: &str,
    git_ref: &str,
    lock: &str,
) -> Option<String> {
    let doc = Doc::parse(text)?;
    let entry_block = doc.entry(entry)?;
    let repo = |pad: usize| {
        let inner = " ".repeat(pad + 2);
        vec![
            format!("{}{}:", " ".repeat(pad), quoted(name)),
            format!("{inner}url: {}", quoted(url)),
            format!("{inner}ref: {}", quoted(git_ref)),
            format!("{inner}lock: {}", quoted(lock)),
        ]
    };
    if doc.key(entry_block, "repos").is_some() {
        let repos_line = doc.block_key(entry_block, "repos")?;
        let repos = doc.block(repos_line);
        let indent = match doc.first_content(repos) {
            Some(first) if !first.is_item() => first.indent,
            Some(_) => return None,
            None => doc.lines[repos_line].indent + 2,
        };
        return Some(doc.insert(repos.1, indent, &repo(0)));
    }
    let indent = doc.first_content(entry_block)?.indent;
    let mut lines = vec!["repos:".to_owned()];
    lines.extend(repo(2));
    Some(doc.insert(entry_block.1, indent, &lines))
}

/// Sets the `lock:` of repo `repo` of entry `entry` (adding the key if the
/// repo has none), keeping a comment after the old value.
pub(crate) fn set_lock(text: &str, entry: &str, repo: &str, lock: &str) -> Option<String> {
    let doc = Doc::parse(text)?;
    let repos = doc.block_key(doc.entry(entry)?, "repos")?;
    let repo_line = doc.block_key(doc.block(repos), repo)?;
    let repo_block = doc.block(repo_line);
    let Some(line) = doc.key(repo_block, "lock") else {
        let indent = doc.first_content(repo_block)?.indent;
        return Some(doc.insert(repo_block.1, indent, &[format!("lock: {}", quoted(lock))]));
    };
    let line = &doc.lines[line];
    let (_, rest) = key_of(line.body())?;
    // `rest` is a suffix of the line: where the value starts and ends.
    let rest_at = line.start + line.text.len() - rest.len();
    let value = rest.trim_start_matches([' ', '\t']);
    let value_at = rest_at + (rest.len() - value.len());
    let value_len = scalar_len(value)?;
    let mut out = String::with_capacity(text.len() + lock.len());
    out.push_str(&text[..value_at]);
    if value_len == 0 && value_at == rest_at {
        out.push(' ');
    }
    out.push_str(&quoted(lock));
    if value_len == 0 && !value.is_empty() {
        out.push(' ');
    }
    out.push_str(&text[value_at + value_len..]);
    Some(out)
}

/// The length of the scalar at the start of `value` (0 when there is none,
/// only a comment or nothing); `None` for flow style or an unclosed quote.
fn scalar_len(value: &str) -> Option<usize> {
    match value.chars().next() {
        None | Some('#') => Some(0),
        Some('"') => {
            let mut escaped = false;
            for (i, c) in value.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return Some(i + 1),
                    _ => escaped = false,
                }
            }
            None
        }
        Some('\'') => {
            let bytes = value.as_bytes();
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(i + 1);
                }
                i += 1;
            }
            None
        }
        Some('{' | '[' | '&' | '*' | '!' | '|' | '>') => None,
        Some(_) => {
            let end = [" #", "\t#"]
                .iter()
                .filter_map(|c| value.find(c))
                .min()
                .unwrap_or(value.len());
            Some(value[..end].trim_end().len())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use volo_build::config::VoloConfig;

    use super::*;
    use crate::yml::{self, Saved};

    /// Comments everywhere, odd but valid indentation, a quoted entry name,
    /// a sequence at its key's indentation, flow items.
    const ODD: &str = "\
# top comment
entries:   # the entries
   # before default
   \"default\":
        protocol: thrift   # proto
        filename: volo_gen.rs
        # services next
        services:
        # first service
        -   idl:
              source: local
              path: idl/a.thrift   # the root
              includes: [idl]
        # trailing comment in services
        repos:
          # a repo
          common:
             url: https://example.com/x.git
             ref: main
             lock: 'abc' # pinned
   other:
     protocol: thrift
     filename: other.rs
     services:
       - idl: { source: local, path: idl/o.thrift }
# end, no newline";

    fn parse(text: &str) -> VoloConfig {
        VoloConfig::from_yaml(text, "volo.yml").unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// Every line of `old` is in `new`, in order, and `new` has `extra`
    /// more lines.
    fn keeps_every_line(old: &str, new: &str, extra: usize) {
        let mut new_lines = new.lines();
        for line in old.lines() {
            assert!(new_lines.any(|l| l == line), "lost {line:?}:\n{new}");
        }
        assert_eq!(new.lines().count(), old.lines().count() + extra, "{new}");
    }

    fn service_paths(config: &VoloConfig, entry: &str) -> Vec<PathBuf> {
        config.entries[entry]
            .services
            .iter()
            .map(|s| s.idl.path.clone())
            .collect()
    }

    fn new_service(text: &str, entry: &str) -> Option<String> {
        add_service(text, entry, |indent| {
            yml::local_service(Path::new("idl/b.thrift"), &[PathBuf::from("idl")], indent).ok()
        })
    }

    #[test]
    fn adds_a_service_keeping_the_rest() {
        let before = parse(ODD);
        for entry in ["default", "other"] {
            let text = new_service(ODD, entry).unwrap();
            keeps_every_line(ODD, &text, 4);
            let after = parse(&text);
            let mut expected = service_paths(&before, entry);
            expected.push(PathBuf::from("idl/b.thrift"));
            assert_eq!(service_paths(&after, entry), expected, "{text}");
            let added = after.entries[entry].services.last().unwrap();
            assert_eq!(added.idl.includes, [PathBuf::from("idl")]);
            for other in before.entries.keys().filter(|k| *k != entry) {
                assert_eq!(after.entries[other], before.entries[other]);
            }
        }
    }

    #[test]
    fn adds_a_repo_to_repos_or_makes_repos() {
        let before = parse(ODD);
        for (entry, extra) in [("default", 4), ("other", 5)] {
            let text = add_repo(ODD, entry, "new", "https://e.com/n.git", "v1", "0123").unwrap();
            keeps_every_line(ODD, &text, extra);
            let after = parse(&text);
            let repo = &after.entries[entry].repos["new"];
            assert_eq!(
                (
                    repo.url.as_str(),
                    repo.git_ref.as_str(),
                    repo.lock.as_deref()
                ),
                ("https://e.com/n.git", "v1", Some("0123"))
            );
            let mut rest = after.entries[entry].clone();
            rest.repos.remove("new");
            assert_eq!(rest, before.entries[entry], "{text}");
        }
    }

    #[test]
    fn sets_a_lock_keeping_its_comment() {
        let text = set_lock(ODD, "default", "common", "fed").unwrap();
        assert_eq!(
            text,
            ODD.replace("lock: 'abc' # pinned", "lock: \"fed\" # pinned")
        );
        let without = ODD.replace("             lock: 'abc' # pinned\n", "");
        let text = set_lock(&without, "default", "common", "fed").unwrap();
        keeps_every_line(&without, &text, 1);
        assert_eq!(
            parse(&text).entries["default"].repos["common"]
                .lock
                .as_deref(),
            Some("fed")
        );
        for (old, new) in [
            ("lock: abc", "lock: \"fed\""),
            ("lock:", "lock: \"fed\""),
            ("lock: # none yet", "lock: \"fed\" # none yet"),
            ("lock: \"a\\\"b\"  # q", "lock: \"fed\"  # q"),
        ] {
            let text = ODD.replace("lock: 'abc' # pinned", old);
            assert_eq!(
                set_lock(&text, "default", "common", "fed").unwrap(),
                ODD.replace("lock: 'abc' # pinned", new),
                "{old}"
            );
        }
        assert_eq!(set_lock(ODD, "default", "missing", "fed"), None);
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let crlf = ODD.replace('\n', "\r\n");
        let text = new_service(&crlf, "default").unwrap();
        assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
        assert_eq!(service_paths(&parse(&text), "default").len(), 2);
    }

    #[test]
    fn other_layouts_fall_back_to_rendering_with_a_warning() {
        let flow = "# gone\nentries: { default: { protocol: thrift, filename: g.rs, services: [ { idl: { source: local, path: a.thrift } } ] } }\n";
        assert_eq!(new_service(flow, "default"), None);
        assert_eq!(add_repo(flow, "default", "n", "u", "r", "l"), None);
        let inline_services = "entries:\n  default:\n    protocol: thrift\n    filename: g.rs\n    services: [ { idl: { source: local, path: a.thrift } } ]\n";
        assert_eq!(new_service(inline_services, "default"), None);
        let tabs = "entries:\n\tdefault: {}\n";
        assert_eq!(new_service(tabs, "default"), None);

        let mut expected = parse(flow);
        expected
            .entries
            .get_mut("default")
            .unwrap()
            .services
            .push(yml::service(Path::new("idl/b.thrift"), &[PathBuf::from("idl")]).unwrap());
        let (text, saved) = yml::updated_text(new_service(flow, "default"), &expected).unwrap();
        assert_eq!(saved, Saved::Rewritten);
        assert_eq!(parse(&text), expected);
        // An edit that does not read back as meant is not used either.
        let (_, saved) = yml::updated_text(Some(ODD.to_owned()), &expected).unwrap();
        assert_eq!(saved, Saved::Rewritten);
    }

    #[test]
    fn anchored_blocks_are_edited_in_place_unless_an_alias_repeats_them() {
        let anchored = "# kept\nentries:\n  default: &d # the entry\n    protocol: thrift\n    filename: g.rs\n    services: &s\n      - idl: { path: idl/a.thrift }\n";
        let text = new_service(anchored, "default").unwrap();
        keeps_every_line(anchored, &text, 4);
        let mut expected = parse(anchored);
        expected
            .entries
            .get_mut("default")
            .unwrap()
            .services
            .push(yml::service(Path::new("idl/b.thrift"), &[PathBuf::from("idl")]).unwrap());
        assert_eq!(
            yml::updated_text(Some(text), &expected).unwrap().1,
            Saved::InPlace
        );
        // `other` repeats the services through an alias: the edit would add
        // the service to both entries, which is not what was asked.
        let aliased = format!(
            "{anchored}  other:\n    protocol: thrift\n    filename: o.rs\n    services: *s\n"
        );
        let mut expected = parse(&aliased);
        expected
            .entries
            .get_mut("default")
            .unwrap()
            .services
            .push(yml::service(Path::new("idl/b.thrift"), &[PathBuf::from("idl")]).unwrap());
        let (text, saved) = yml::updated_text(new_service(&aliased, "default"), &expected).unwrap();
        assert_eq!(saved, Saved::Rewritten);
        assert_eq!(parse(&text), expected);
    }

    #[test]
    fn keys_are_read_plain_or_quoted() {
        assert_eq!(
            key_of("a: b").map(|(k, r)| (k, r.to_owned())),
            Some(("a".into(), " b".into()))
        );
        assert_eq!(key_of("\"x y\":").map(|(k, _)| k), Some("x y".into()));
        assert_eq!(key_of("'it''s':  # c").map(|(k, _)| k), Some("it's".into()));
        assert_eq!(key_of("url:https").map(|(k, _)| k), None);
        for not_a_key in ["- a: b", "{a: b}", "\"a\\\"b\": c", "plain", "a b # c: d"] {
            assert_eq!(key_of(not_a_key), None, "{not_a_key}");
        }
    }
}
