//! Where each node of a (possibly bundled) document came from, so every error and warning names the
//! file a maintainer edits, the line in it and the JSON pointer inside it.
//!
//! A single-file spec maps every pointer to itself. For a spec split over files, [`crate::bundle`]
//! records, for every node it copies or hoists, the pointer the node has in the bundled document and
//! the file and pointer it was read from; a pointer is placed by its longest recorded prefix.

use std::collections::HashMap;

use std::sync::OnceLock;

use crate::parse::{LineIndex, locate_in};

/// One file of a spec: its name as shown in messages, and its text (for line numbers).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in messages.
    pub display: String,
    /// The file's text.
    pub text: String,
    /// Its lines, indexed the first time a pointer is located in it.
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    fn new(display: String, text: String) -> Self {
        SourceFile { display, text, lines: OnceLock::new() }
    }

    /// The 1-based line of the node at `pointer` in this file, when it can be found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        locate_in(&self.text, self.lines.get_or_init(|| LineIndex::new(&self.text)), pointer)
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
