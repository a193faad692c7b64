//! Parsing: spec file bytes -> `openapiv3::OpenAPI`, keeping what error messages need.
//!
//! YAML syntax errors carry the parser's line; errors in the document's structure carry the JSON pointer
//! that `serde_path_to_error` tracked, and the line that [`locate`] finds for it in the text.
//! Only OpenAPI 3.0.x is accepted: Swagger 2.0 and OpenAPI 3.1 documents get an error that says so.

use sha2::{Digest, Sha256};

use crate::error::{MAX_ERRORS, SpecError, SpecErrors, escape_pointer};
use crate::source::{Place, SourceMap};

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
    /// The document as plain YAML, for checks openapiv3 cannot make (it drops unknown map keys).
    pub raw: serde_norway::Value,
    /// The files the document was read from, and where each node came from.
    pub sources: SourceMap,
    /// Errors found while reading that did not stop it (references that could not be resolved); the
    /// lowering reports them with its own.
    pub deferred: Vec<SpecError>,
}

impl Document {
    /// An error at `pointer` in this (bundled) document, placed in the file, line and pointer it came from.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::at(self.sources.place(pointer), message)
    }

    /// Where a pointer into the bundled document is in the spec's files.
    pub fn place(&self, pointer: &str) -> Place {
        self.sources.place(pointer)
    }
}

/// Parses one file's text into a plain value: JSON with a JSON parser (`.json` files, whose escapes are
/// not all valid YAML), anything else as YAML. Syntax errors carry the line.
pub fn from_text(file: &str, text: &str) -> Result<serde_norway::Value, SpecError> {
    let err = |line: Option<usize>, message: String| SpecError {
        file: file.to_string(),
        pointer: String::new(),
        line,
        message,
    };
    if file.to_ascii_lowercase().ends_with(".json") {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| err(Some(e.line()), format!("JSON syntax error: {e}")))?;
        return serde_norway::to_value(json).map_err(|e| err(None, format!("cannot read the JSON document: {e}")));
    }
    serde_norway::from_str::<Loose>(text).map(|l| l.0).map_err(|e| {
        let line = e.location().map(|l| l.line());
        err(line, format!("YAML syntax error: {e}"))
    })
}

/// A YAML value read like `serde_norway::Value`, except that integers beyond 64 bits (real specs put
/// them in bounds and examples) become floating-point numbers instead of failing the whole file.
struct Loose(serde_norway::Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = serde_norway::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number((v as f64).into()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number((v as f64).into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_norway::Value::Sequence(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_norway::Mapping::new();
        while let Some(Loose(k)) = map.next_key()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format_args!("duplicate entry with key {}", scalar_text(&k))));
            }
            let Loose(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(serde_norway::Value::Mapping(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(serde::de::Error::custom("YAML tags (`!tag`) are not supported in a spec"))
    }
}

/// The operations of a path item, by their keys.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a spec from its text. `file` is the name used in error messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Document, SpecErrors> {
    parse_in(file, bytes, None)
}

/// Parses a spec whose references to other files are resolved relative to `dir` (see [`crate::bundle`]).
/// Without a folder, only local references are allowed. Every structural error is reported, each placed
/// in the file it is in.
pub fn parse_in(file: &str, bytes: &[u8], dir: Option<&std::path::Path>) -> Result<Document, SpecErrors> {
    parse_value(file, bytes, dir).map_err(SpecErrors)?.finish()
}

/// A document read and bundled, not yet checked against the OpenAPI structure.
struct Bundled {
    file: String,
    text: String,
    digest_input: Vec<u8>,
    value: serde_norway::Value,
    sources: SourceMap,
    deferred: Vec<SpecError>,
}

impl Bundled {
    fn finish(self) -> Result<Document, SpecErrors> {
        let Bundled { file, text, digest_input, value, sources, deferred } = self;
        let openapi: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&value) {
            Ok(o) => o,
            Err(e) => {
                let pointer = path_to_pointer(e.path());
                let mut found = Vec::new();
                failing_all(&value, "", 0, &mut found);
                if found.is_empty() {
                    found.push(narrow(&value, pointer, e.into_inner().to_string()));
                }
                let mut errors = deferred;
                errors.extend(
                    found.into_iter().map(|(pointer, message)| SpecError::at(sources.place(&pointer), message)),
                );
                return Err(SpecErrors(errors));
            }
        };
        Ok(Document { file, sha256: sha256_hex(&digest_input), text, openapi, raw: value, sources, deferred })
    }
}

fn parse_value(file: &str, bytes: &[u8], dir: Option<&std::path::Path>) -> Result<Bundled, Vec<SpecError>> {
    let err = |pointer: &str, line: Option<usize>, message: String| {
        vec![SpecError { file: file.to_string(), pointer: pointer.to_string(), line, message }]
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| err("", None, format!("the file is not UTF-8: {e}")))?.to_string();
    let value = from_text(file, &text).map_err(|e| vec![e])?;
    let serde_norway::Value::Mapping(top) = &value else {
        return Err(err("", Some(1), "the document is not a YAML mapping".to_string()));
    };
    let version = |key: &str| top.get(key).map(scalar_text);
    if let Some(v) = version("swagger") {
        return Err(err(
            "/swagger",
            locate(&text, "/swagger"),
            format!(
                "this is a Swagger {v} document; only OpenAPI 3.0.x is supported (convert it to OpenAPI 3.0 first)"
            ),
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
    let mut value = value;
    let mut digest_input = bytes.to_vec();
    let mut sources = SourceMap::single(file, &text);
    let (read, deferred) = crate::bundle::bundle(&mut value, &mut sources, dir)?;
    digest_input.extend(read);
    Ok(Bundled { file: file.to_string(), text, digest_input, value, sources, deferred })
}

/// A YAML scalar as text (keys and version numbers).
pub fn scalar_text(v: &serde_norway::Value) -> String {
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

/// openapiv3 flattens maps (paths, responses, schemas) into structs, where serde loses track of the
/// path; an error then points at `/paths` rather than at the bad response. This walks down from there,
/// deserializing each child as the type OpenAPI says it is, until the innermost failing node.
fn narrow(root: &serde_norway::Value, pointer: String, message: String) -> (String, String) {
    let mut found = Vec::new();
    if let Some(node) = get(root, &pointer) {
        failing_all(node, &pointer, 0, &mut found);
    }
    found.into_iter().next().unwrap_or((pointer, message))
}

/// Every innermost node under `node` that fails to deserialize as what OpenAPI says it is (up to
/// [`MAX_ERRORS`] + 1, so the caller can tell there were more).
fn failing_all(node: &serde_norway::Value, pointer: &str, depth: usize, out: &mut Vec<(String, String)>) {
    if depth > 24 || out.len() > MAX_ERRORS {
        return;
    }
    let children: Vec<(String, &serde_norway::Value)> = match node {
        serde_norway::Value::Mapping(m) => m.iter().map(|(k, v)| (scalar_text(k), v)).collect(),
        serde_norway::Value::Sequence(s) => s.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => return,
    };
    for (key, child) in children {
        let child_pointer = format!("{pointer}/{}", escape_pointer(&key));
        match check_as(&child_pointer, child) {
            Some(Ok(())) => {}
            Some(Err((sub, msg))) => {
                let before = out.len();
                failing_all(child, &child_pointer, depth + 1, out);
                if out.len() == before {
                    out.push((format!("{child_pointer}{sub}"), msg));
                }
            }
            None => failing_all(child, &child_pointer, depth + 1, out),
        }
    }
}

/// Deserializes `value` as the OpenAPI object a pointer of this shape holds, if known. The error carries
/// the path inside the value (as a pointer suffix) and the message.
fn check_as(pointer: &str, value: &serde_norway::Value) -> Option<Result<(), (String, String)>> {
    use openapiv3::{Header, MediaType, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    fn run<T: serde::de::DeserializeOwned>(v: &serde_norway::Value) -> Result<(), (String, String)> {
        serde_path_to_error::deserialize::<_, T>(v)
            .map(|_| ())
            .map_err(|e| (path_to_pointer(e.path()), e.into_inner().to_string()))
    }
    let segs: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let last = *segs.last()?;
    let parent = if segs.len() >= 2 { segs[segs.len() - 2] } else { "" };
    Some(match (segs.first().copied().unwrap_or(""), segs.len(), parent, last) {
        ("paths", 2, _, _) => run::<ReferenceOr<PathItem>>(value),
        ("paths", 3, _, m) if METHODS.contains(&m) => run::<Operation>(value),
        (_, _, "parameters", _) => run::<ReferenceOr<Parameter>>(value),
        (_, _, _, "requestBody") => run::<ReferenceOr<RequestBody>>(value),
        ("paths", 5, "responses", _) => run::<ReferenceOr<Response>>(value),
        ("components", 3, "schemas", _) => run::<ReferenceOr<Schema>>(value),
        ("components", 3, "responses", _) => run::<ReferenceOr<Response>>(value),
        ("components", 3, "requestBodies", _) => run::<ReferenceOr<RequestBody>>(value),
        ("components", 3, "headers", _) | (_, _, "headers", _) => run::<ReferenceOr<Header>>(value),
        (_, _, "content", _) => run::<MediaType>(value),
        (_, _, "properties", _) | (_, _, "allOf" | "oneOf" | "anyOf", _) => run::<ReferenceOr<Schema>>(value),
        (_, _, _, "schema" | "items" | "not") => run::<ReferenceOr<Schema>>(value),
        (_, _, _, "additionalProperties") if !value.is_bool() => run::<ReferenceOr<Schema>>(value),
        _ => return None,
    })
}

/// The node a JSON pointer names in a YAML value.
pub fn get<'a>(root: &'a serde_norway::Value, pointer: &str) -> Option<&'a serde_norway::Value> {
    let mut cur = root;
    if pointer.is_empty() {
        return Some(cur);
    }
    for seg in pointer.trim_start_matches('/').split('/') {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            serde_norway::Value::Mapping(m) => m.iter().find(|(k, _)| scalar_text(k) == seg).map(|(_, v)| v)?,
            serde_norway::Value::Sequence(s) => s.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
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

/// Best-effort: the 1-based line of the node a JSON pointer names, in block-style YAML.
///
/// Walks the text by indentation: a mapping key at the child indentation, or the n-th `- ` item of a
/// sequence. Returns `None` where the document uses flow style or the node is not found.
pub fn locate(text: &str, pointer: &str) -> Option<usize> {
    locate_in(text, &LineIndex::new(text), pointer)
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
    fn locates_sequence_items_at_their_key_indentation() {
        let doc = "a:\n  state:\n    allOf:\n    - $ref: x\n    - nullable: true\n  other: 1\n";
        assert_eq!(locate(doc, "/a/state/allOf/0"), Some(4));
        assert_eq!(locate(doc, "/a/state/allOf/1/nullable"), Some(5));
        assert_eq!(locate(doc, "/a/other"), Some(6));
    }

    #[test]
    fn rejects_other_openapi_versions_with_pointer() {
        let e = parse("s.yaml", b"swagger: '2.0'\ninfo: {}\n").unwrap_err().0.remove(0);
        assert_eq!(e.pointer, "/swagger");
        assert!(e.message.contains("Swagger 2.0"), "{e}");
        let e = parse("s.yaml", b"openapi: 3.1.0\ninfo: {}\n").unwrap_err().0.remove(0);
        assert!(e.to_string().starts_with("s.yaml:1: at /openapi: OpenAPI 3.1.0"), "{e}");
    }

    #[test]
    fn structural_errors_name_the_pointer_and_line() {
        let text = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let e = parse("s.yaml", text.as_bytes()).unwrap_err().0.remove(0);
        assert_eq!(e.pointer, "/paths/~1a/get/responses");
        assert_eq!(e.line, Some(8));
    }

    #[test]
    fn errors_inside_schemas_point_at_the_property() {
        let text = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          type: 5\n";
        let e = parse("s.yaml", text.as_bytes()).unwrap_err().0.remove(0);
        assert_eq!(e.pointer, "/components/schemas/A/properties/b");
        assert_eq!(e.line, Some(11));
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let e = parse("s.yaml", b"openapi: 3.0.1\ninfo:\n  title: [unclosed\n").unwrap_err().0.remove(0);
        assert!(e.line.is_some(), "{e}");
        assert!(e.message.starts_with("YAML syntax error"), "{e}");
    }
}
