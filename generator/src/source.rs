//! Where each node of a (possibly bundled) document came from, so every error and warning names the
//! file a maintainer edits, the line in it and the JSON pointer inside it.
//!
//! A single-file spec maps every pointer to itself. For a spec split over files, [`crate::bundle`]
//! records, for every node it copies or hoists, the pointer the node has in the bundled document and
//! the file and pointer it was read from; a pointer is placed by its longest recorded prefix.

use std::collections::HashMap;

use std::sync::OnceLock;

/// One file of a spec: its name as shown in messages, and its text (for line numbers).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in messages.
    pub display: String,
    /// The file's text.
    pub text: String,
    /// Its lines, indexed the first time a pointer is located in it.
    lines: OnceLock<Lines>,
}

/// How a file's nodes are found: block YAML by indentation; JSON (and YAML written as JSON) by a scan
/// that records every node's line.
#[derive(Debug, Clone)]
enum Lines {
    Yaml(LineIndex),
    Json(HashMap<String, usize>),
}

impl SourceFile {
    fn new(display: String, text: String) -> Self {
        SourceFile { display, text, lines: OnceLock::new() }
    }

    /// The 1-based line of the node at `pointer` in this file, when it can be found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.get_or_init(|| {
            let json = self.text.trim_start().starts_with(['{', '[']);
            match json.then(|| json_lines(&self.text)).flatten() {
                Some(map) => Lines::Json(map),
                None => Lines::Yaml(LineIndex::new(&self.text)),
            }
        });
        match lines {
            Lines::Yaml(ix) => locate_in(&self.text, ix, pointer),
            Lines::Json(map) => map.get(pointer).copied(),
        }
    }
}

/// The 1-based line of every node of a JSON text, by JSON pointer (a member's line is its key's);
/// `None` when the text is not JSON (YAML's flow style, say), or nests deeper than any spec does.
fn json_lines(text: &str) -> Option<HashMap<String, usize>> {
    let mut scan = JsonScan { b: text.as_bytes(), i: 0, line: 1, map: HashMap::new() };
    scan.value(String::new(), 0)?;
    scan.ws();
    (scan.i == scan.b.len()).then_some(scan.map)
}

struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    map: HashMap<String, usize>,
}

impl JsonScan<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// A string's text (escapes decoded, so keys match the pointers made from the parsed document).
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.b.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.b.get(self.i..self.i + 2) == Some(b"\\u") {
                                self.i += 2;
                                let low = self.hex4()?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                            }
                            let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                            out.extend_from_slice(ch.to_string().as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// The four hex digits of a `\\u` escape.
    fn hex4(&mut self) -> Option<u32> {
        let hex = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(hex, 16).ok()
    }

    fn value(&mut self, pointer: String, depth: usize) -> Option<()> {
        if depth > 512 {
            return None;
        }
        self.ws();
        self.map.entry(pointer.clone()).or_insert(self.line);
        match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.ws();
                    let line = self.line;
                    let key = self.string()?;
                    let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    self.map.insert(child.clone(), line);
                    self.eat(b':')?;
                    self.value(child, depth + 1)?;
                    if self.eat(b',').is_none() {
                        return self.eat(b'}');
                    }
                }
            }
            b'[' => {
                self.i += 1;
                if self.eat(b']').is_some() {
                    return Some(());
                }
                for n in 0.. {
                    self.value(format!("{pointer}/{n}"), depth + 1)?;
                    if self.eat(b',').is_none() {
                        return self.eat(b']');
                    }
                }
                None
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                let start = self.i;
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                {
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }
}

/// A place in a spec's files.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The file shown in messages.
    pub file: String,
    /// JSON pointer inside that file.
    pub pointer: String,
    /// 1-based line, when it can be found.
    pub line: Option<usize>,
}

impl Place {
    /// A place in `file` at `pointer`, on `line` if known.
    pub fn new(file: &str, pointer: &str, line: Option<usize>) -> Self {
        Place { file: file.to_string(), pointer: pointer.to_string(), line }
    }
}

/// `file:line: at /pointer` (`file: at /pointer` without a line; `/` for the whole document): how every
/// error and warning names where it is.
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, ": at {pointer}")
    }
}

/// The files of one spec and where the bundled document's nodes came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Every file read; the first is the root document.
    pub files: Vec<SourceFile>,
    /// Bundled pointer -> (index into `files`, pointer inside that file).
    origins: HashMap<String, (usize, String)>,
}

impl SourceMap {
    /// A map of one file.
    pub fn single(display: &str, text: &str) -> Self {
        SourceMap { files: vec![SourceFile::new(display.to_string(), text.to_string())], origins: HashMap::new() }
    }

    /// Adds a file (if new) and returns its index.
    pub fn add_file(&mut self, display: String, text: String) -> usize {
        if let Some(i) = self.files.iter().position(|f| f.display == display) {
            return i;
        }
        self.files.push(SourceFile::new(display, text));
        self.files.len() - 1
    }

    /// Records that the node at `bundled` was read from `file` at `pointer`.
    pub fn record(&mut self, bundled: String, file: usize, pointer: String) {
        self.origins.insert(bundled, (file, pointer));
    }

    /// The file, pointer and line of a pointer into the bundled document.
    pub fn place(&self, pointer: &str) -> Place {
        let mut prefix = pointer;
        loop {
            if let Some((file, inner)) = self.origins.get(prefix) {
                let rest = &pointer[prefix.len()..];
                let inner = format!("{inner}{rest}");
                let f = &self.files[*file];
                return Place { file: f.display.clone(), line: f.line_of(&inner), pointer: inner };
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => break,
            }
        }
        let root = self.files.first();
        Place {
            file: root.map(|f| f.display.clone()).unwrap_or_default(),
            pointer: pointer.to_string(),
            line: root.and_then(|f| f.line_of(pointer)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nodes_have_their_lines() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a/{id}\": {\n      \"get\": {\"tags\": [\n        \"x\",\n        {\"k\\u00e9\": 1}\n      ]}\n    }\n  }\n}\n";
        let map = SourceMap::single("s.json", text);
        assert_eq!(map.place("/openapi").line, Some(2));
        assert_eq!(map.place("/paths/~1a~1{id}").line, Some(4));
        assert_eq!(map.place("/paths/~1a~1{id}/get/tags/1").line, Some(7));
        assert_eq!(map.place("/paths/~1a~1{id}/get/tags/1/k\u{e9}").line, Some(7), "escapes decoded");
        assert_eq!(map.place("/nope").line, None);
        // YAML flow style is not JSON: the YAML locator answers (here, nothing).
        assert_eq!(SourceMap::single("s.yaml", "{a: 1}\n").place("/a").line, None);
    }

    #[test]
    fn places_by_the_longest_recorded_prefix() {
        let mut map = SourceMap::single("root.yaml", "openapi: 3.0.1\npaths:\n  /a:\n    $ref: a.yaml\n");
        let a = map.add_file("paths/a.yaml".into(), "get:\n  responses:\n    '200':\n      description: ok\n".into());
        map.record("/paths/~1a".into(), a, String::new());
        let p = map.place("/paths/~1a/get/responses/200");
        assert_eq!(p, Place { file: "paths/a.yaml".into(), pointer: "/get/responses/200".into(), line: Some(3) });
        // A sibling that only shares characters, not a segment, stays in the root.
        let p = map.place("/paths/~1ab");
        assert_eq!(p.file, "root.yaml");
        assert_eq!(map.place("/paths").line, Some(2));
    }
}

/// The lines of a text, with each line's indentation (`u32::MAX` for blank and comment lines), so many
/// pointers can be located in one big file without splitting it again each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    ranges: Vec<(usize, usize)>,
    indent: Vec<u32>,
}

const BLANK: u32 = u32::MAX;

impl LineIndex {
    /// Indexes `text` (lines as `str::lines` splits them).
    pub fn new(text: &str) -> Self {
        let mut ranges = Vec::new();
        let mut indent = Vec::new();
        let mut at = 0;
        for line in text.lines() {
            let start = at;
            at += line.len();
            // Skip the line break (`\n` or `\r\n`).
            if text[at..].starts_with("\r\n") {
                at += 2;
            } else if text[at..].starts_with('\n') {
                at += 1;
            }
            let body = line.trim_start_matches(' ');
            let trimmed = body.trim_end();
            indent.push(if trimmed.is_empty() || trimmed.starts_with('#') {
                BLANK
            } else {
                (line.len() - body.len()) as u32
            });
            ranges.push((start, start + line.len()));
        }
        LineIndex { ranges, indent }
    }
}

/// Best-effort: the 1-based line of the node a JSON pointer names, in block-style YAML (or in JSON).
///
/// Walks the text by indentation: a mapping key at the child indentation, or the n-th `- ` item of a
/// sequence. Returns `None` where the document uses flow style or the node is not found.
pub fn locate(text: &str, pointer: &str) -> Option<usize> {
    SourceFile::new(String::new(), text.to_string()).line_of(pointer)
}

/// [`locate`] with the text's [`LineIndex`] built once.
pub fn locate_in(text: &str, ix: &LineIndex, pointer: &str) -> Option<usize> {
    let line_at = |i: usize| &text[ix.ranges[i].0..ix.ranges[i].1];
    let segments: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer.trim_start_matches('/').split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
    };
    // The node's content: lines [start, end); `dash` when the first line is a sequence item whose
    // content starts after its `- `.
    let mut start = 0usize;
    let mut end = ix.ranges.len();
    let mut dash = false;
    let mut found = None;
    for seg in &segments {
        let mut child_indent: Option<usize> = None;
        let mut hit = None;
        let mut seq_count = 0usize;
        let wanted_index = seg.parse::<usize>().ok();
        for i in start..end {
            let quick = ix.indent[i];
            if quick == BLANK {
                continue;
            }
            let first_dash = dash && i == start;
            if !first_dash && child_indent.is_some_and(|ci| quick as usize > ci) {
                continue;
            }
            let (indent, body) = indentation(line_at(i), first_dash);
            let ci = *child_indent.get_or_insert(indent);
            if indent < ci {
                break;
            }
            if indent != ci {
                continue;
            }
            if body.starts_with("- ") || body == "-" {
                if wanted_index == Some(seq_count) {
                    hit = Some((i, ci, true));
                    break;
                }
                seq_count += 1;
            } else if key_of(body).as_deref() == Some(seg.as_str()) {
                hit = Some((i, ci, false));
                break;
            }
        }
        let (line, indent, is_item) = hit?;
        found = Some(line);
        // The node's children run until the next line at or above its indentation (a key's sequence
        // items may sit at the key's own indentation: `allOf:` then `- $ref: ...` below it).
        let mut stop = end;
        let mut first = true;
        let mut compact = false;
        for j in line + 1..end {
            let ind = ix.indent[j];
            if ind == BLANK || (!first && ind as usize > indent) {
                continue;
            }
            let ind = ind as usize;
            let body = line_at(j).trim();
            let item = body.starts_with("- ") || body == "-";
            if first {
                compact = !is_item && ind == indent && item;
                first = false;
            }
            if ind < indent || (ind == indent && !(compact && item)) {
                stop = j;
                break;
            }
        }
        start = if is_item { line } else { line + 1 };
        dash = is_item;
        end = stop;
    }
    found.map(|l| l + 1)
}

/// Indentation and content of a line; with `after_dash`, a leading `- ` counts as indentation.
fn indentation(raw: &str, after_dash: bool) -> (usize, &str) {
    let trimmed = raw.trim_start_matches(' ');
    let mut indent = raw.len() - trimmed.len();
    let mut body = trimmed.trim_end();
    if after_dash {
        while let Some(rest) = body.strip_prefix("- ") {
            let inner = rest.trim_start_matches(' ');
            indent += 2 + (rest.len() - inner.len());
            body = inner;
        }
    }
    (indent, body)
}

/// The mapping key a line starts with, unquoted.
fn key_of(body: &str) -> Option<String> {
    let (key, _) = if let Some(rest) = body.strip_prefix('\'') {
        let end = rest.find('\'')?;
        (rest[..end].to_string(), &rest[end + 1..])
    } else if let Some(rest) = body.strip_prefix('"') {
        let end = rest.find('"')?;
        (rest[..end].to_string(), &rest[end + 1..])
    } else {
        let colon = body.find(": ").or(if body.ends_with(':') { Some(body.len() - 1) } else { None })?;
        (body[..colon].to_string(), &body[colon..])
    };
    Some(key)
}

#[cfg(test)]
mod locate_tests {
    use super::locate;

    const DOC: &str = "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: query\n      responses:\n        '200':\n          description: ok\n";

    #[test]
    fn locates_keys_and_sequence_items() {
        assert_eq!(locate(DOC, "/openapi"), Some(1));
        assert_eq!(locate(DOC, "/paths/~1a/get"), Some(4));
        assert_eq!(locate(DOC, "/paths/~1a/get/parameters/1"), Some(8));
        assert_eq!(locate(DOC, "/paths/~1a/get/parameters/1/in"), Some(9));
        assert_eq!(locate(DOC, "/paths/~1a/get/responses/200/description"), Some(12));
        assert_eq!(locate(DOC, "/paths/~1b"), None);
    }

    #[test]
    fn locates_sequence_items_at_their_key_indentation() {
        let doc = "a:\n  state:\n    allOf:\n    - $ref: x\n    - nullable: true\n  other: 1\n";
        assert_eq!(locate(doc, "/a/state/allOf/0"), Some(4));
        assert_eq!(locate(doc, "/a/state/allOf/1/nullable"), Some(5));
        assert_eq!(locate(doc, "/a/other"), Some(6));
    }
}
