//! Parsing: spec file bytes -> `openapiv3::OpenAPI`, keeping what error messages need.
//!
//! YAML syntax errors carry the parser's line; errors in the document's structure carry the JSON pointer
//! that `serde_path_to_error` tracked, and the line that [`locate`] finds for it in the text.
//! Only OpenAPI 3.0.x is accepted: Swagger 2.0 and OpenAPI 3.1 documents get an error that says so.

use sha2::{Digest, Sha256};

use crate::error::{SpecError, escape_pointer};

/// A spec file, read and parsed, with what error messages need.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in messages.
    pub file: String,
    /// The file's text.
    pub text: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The parsed document.
    pub openapi: openapiv3::OpenAPI,
}

impl Document {
    /// An error at `pointer` in this document, with the line where it can be found.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            line: locate(&self.text, pointer),
            message: message.into(),
        }
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a spec from its text. `file` is the name used in error messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Document, SpecError> {
    let err = |pointer: &str, line: Option<usize>, message: String| SpecError {
        file: file.to_string(),
        pointer: pointer.to_string(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| err("", None, format!("the file is not UTF-8: {e}")))?
        .to_string();
    let value: serde_norway::Value = serde_norway::from_str(&text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        err("", line, format!("YAML syntax error: {e}"))
    })?;
    let serde_norway::Value::Mapping(top) = &value else {
        return Err(err("", Some(1), "the document is not a YAML mapping".to_string()));
    };
    let version = |key: &str| top.get(key).map(scalar_text);
    if let Some(v) = version("swagger") {
        return Err(err(
            "/swagger",
            locate(&text, "/swagger"),
            format!("this is a Swagger {v} document; only OpenAPI 3.0.x is supported (convert it to OpenAPI 3.0 first)"),
        ));
    }
    match version("openapi") {
        None => {
            return Err(err(
                "/openapi",
                None,
                "missing `openapi` version field; only OpenAPI 3.0.x is supported".to_string(),
            ));
        }
        Some(v) if !v.starts_with("3.0") => {
            return Err(err(
                "/openapi",
                locate(&text, "/openapi"),
                format!("OpenAPI {v} is not supported; only OpenAPI 3.0.x is"),
            ));
        }
        Some(_) => {}
    }
    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let line = locate(&text, &pointer);
        err(&pointer, line, e.into_inner().to_string())
    })?;
    Ok(Document { file: file.to_string(), sha256: sha256_hex(bytes), text, openapi })
}

fn scalar_text(v: &serde_norway::Value) -> String {
    match v {
        serde_norway::Value::String(s) => s.clone(),
        serde_norway::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Converts a serde path (`paths./tokens.get.responses`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Best-effort: the 1-based line of the node a JSON pointer names, in block-style YAML.
///
/// Walks the text by indentation: a mapping key at the child indentation, or the n-th `- ` item of a
/// sequence. Returns `None` where the document uses flow style or the node is not found.
pub fn locate(text: &str, pointer: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let segments: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer.trim_start_matches('/').split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
    };
    // (first line of the node's content, end line exclusive, indent of the node itself)
    let mut start = 0usize;
    let mut end = lines.len();
    let mut parent_indent: isize = -1;
    let mut found = None;
    for seg in &segments {
        // A sequence item "- key: v" has its first child on the same line as the dash.
        let mut child_indent: Option<usize> = None;
        let mut hit = None;
        let mut seq_count = 0usize;
        for (i, raw) in lines.iter().enumerate().take(end).skip(start) {
            let (indent, body) = indentation(raw, i == start && found.is_some());
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            if (indent as isize) <= parent_indent && i != start {
                break;
            }
            let ci = *child_indent.get_or_insert(indent);
            if indent != ci {
                continue;
            }
            if let Some(rest) = body.strip_prefix("- ").or(if body == "-" { Some("") } else { None }) {
                let _ = rest;
                if seg.parse::<usize>().ok() == Some(seq_count) {
                    hit = Some((i, ci));
                    break;
                }
                seq_count += 1;
            } else if key_of(body).as_deref() == Some(seg.as_str()) {
                hit = Some((i, ci));
                break;
            }
        }
        let (line, indent) = hit?;
        found = Some(line);
        // The node's children run until the next line at or above its indentation.
        let mut stop = lines.len();
        for (j, raw) in lines.iter().enumerate().take(end).skip(line + 1) {
            let (ind, body) = indentation(raw, false);
            if !body.is_empty() && !body.starts_with('#') && ind <= indent {
                stop = j;
                break;
            }
        }
        start = line;
        end = stop.min(end);
        parent_indent = indent as isize;
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
mod tests {
    use super::*;

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
    fn rejects_other_openapi_versions_with_pointer() {
        let e = parse("s.yaml", b"swagger: '2.0'\ninfo: {}\n").unwrap_err();
        assert_eq!(e.pointer, "/swagger");
        assert!(e.message.contains("Swagger 2.0"), "{e}");
        let e = parse("s.yaml", b"openapi: 3.1.0\ninfo: {}\n").unwrap_err();
        assert!(e.to_string().starts_with("s.yaml:1: at /openapi: OpenAPI 3.1.0"), "{e}");
    }

    #[test]
    fn structural_errors_name_the_pointer_and_line() {
        let text = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let e = parse("s.yaml", text.as_bytes()).unwrap_err();
        assert_eq!(e.pointer, "/paths/~1a/get/responses");
        assert_eq!(e.line, Some(8));
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let e = parse("s.yaml", b"openapi: 3.0.1\ninfo:\n  title: [unclosed\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(e.message.starts_with("YAML syntax error"), "{e}");
    }
}
