//! Parsing: spec file bytes -> `openapiv3::OpenAPI`, keeping what error messages need.
//!
//! YAML syntax errors carry the parser's line; errors in the document's structure carry the JSON pointer
//! that `serde_path_to_error` tracked, and the line that [`locate`] finds for it in the text.
//! OpenAPI 3.0.x is read as it is and 3.1.x through [`crate::oas31`]'s down-conversion; Swagger 2.0
//! and OpenAPI 3.2 documents get an error that says so.

use crate::error::{MAX_ERRORS, SpecError, SpecErrors, escape_pointer};
use crate::fileset::sha256_hex;
use crate::ir::METHODS;
use crate::source::{Place, SourceMap, locate};
use crate::yaml::{from_text, get, scalar_text};

/// A spec file, read and parsed, with what error messages need.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in messages.
    pub file: String,
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
    /// What reading an OpenAPI 3.1 document could not keep; the lowering reports them as warnings.
    pub notes: Vec<crate::oas31::Note>,
    /// An OpenAPI 3.1 document as written (bundled, not yet down-converted), for tools that judge the
    /// client by the spec itself (the conformance run serves it to Prism).
    pub written: Option<serde_norway::Value>,
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

/// Parses a spec from its text. `file` is the name used in error messages.
#[cfg(test)]
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
    digest_input: Vec<u8>,
    value: serde_norway::Value,
    sources: SourceMap,
    deferred: Vec<SpecError>,
    notes: Vec<crate::oas31::Note>,
    written: Option<serde_norway::Value>,
}

impl Bundled {
    fn finish(self) -> Result<Document, SpecErrors> {
        let Bundled { file, digest_input, value, sources, deferred, notes, written } = self;
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
        Ok(Document { file, sha256: sha256_hex(&digest_input), openapi, raw: value, sources, deferred, notes, written })
    }
}

fn parse_value(file: &str, bytes: &[u8], dir: Option<&std::path::Path>) -> Result<Bundled, Vec<SpecError>> {
    let err = |pointer: &str, line: Option<usize>, message: String| {
        vec![SpecError::at(Place::new(file, pointer, line), message)]
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
        Some(v) if !v.starts_with("3.0.") && !v.starts_with("3.1.") => {
            return Err(err(
                "/openapi",
                locate(&text, "/openapi"),
                format!("OpenAPI {v} is not supported; only OpenAPI 3.0.x and 3.1.x are"),
            ));
        }
        Some(_) => {}
    }
    let v31 = version("openapi").is_some_and(|v| v.starts_with("3.1."));
    let mut value = value;
    let mut digest_input = bytes.to_vec();
    let mut sources = SourceMap::single(file, &text);
    let mut notes = crate::oas31::before_bundle(&mut value);
    let (read, deferred) = crate::bundle::bundle(&mut value, &mut sources, dir)?;
    digest_input.extend(read);
    let written = v31.then(|| value.clone());
    notes.extend(if v31 {
        let done = crate::oas31::down_convert(&mut value)
            .map_err(|(pointer, message)| vec![SpecError::at(sources.place(&pointer), message)])?;
        // A moved node is placed where it was written.
        for (new, old) in done.moved {
            let place = sources.place(&old);
            if let Some(file) = sources.files.iter().position(|f| f.display == place.file) {
                sources.record(new, file, place.pointer);
            }
        }
        done.notes
    } else {
        Vec::new()
    });
    Ok(Bundled { file: file.to_string(), digest_input, value, sources, deferred, notes, written })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_3_1_and_rejects_other_openapi_versions_with_pointer() {
        let doc = parse("s.yaml", b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").expect("3.1 without paths");
        assert!(doc.openapi.paths.paths.is_empty());
        let e = parse("s.yaml", b"openapi: 3.2.0\ninfo: {}\n").unwrap_err().0.remove(0);
        assert!(e.to_string().starts_with("s.yaml:1: at /openapi: OpenAPI 3.2.0 is not supported"), "{e}");
        let e = parse("s.yaml", b"swagger: '2.0'\ninfo: {}\n").unwrap_err().0.remove(0);
        assert_eq!(e.place.pointer, "/swagger");
        assert!(e.message.contains("Swagger 2.0"), "{e}");
        let e = parse("s.yaml", b"openapi: 4.0.0\ninfo: {}\n").unwrap_err().0.remove(0);
        assert!(e.to_string().starts_with("s.yaml:1: at /openapi: OpenAPI 4.0.0"), "{e}");
    }

    #[test]
    fn structural_errors_name_the_pointer_and_line() {
        let text = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let e = parse("s.yaml", text.as_bytes()).unwrap_err().0.remove(0);
        assert_eq!(e.place.pointer, "/paths/~1a/get/responses");
        assert_eq!(e.place.line, Some(8));
    }

    #[test]
    fn errors_in_json_specs_name_their_line() {
        let text = "{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"responses\": 7\n      }\n    }\n  }\n}\n";
        let e = parse("openapi.json", text.as_bytes()).unwrap_err().0.remove(0);
        assert!(e.to_string().starts_with("openapi.json:7: at /paths/~1a/get/responses"), "{e}");
        let e = parse("openapi.json", b"{\"openapi\": \"2.5.0\", \"info\": {}}").unwrap_err().0.remove(0);
        assert!(e.to_string().starts_with("openapi.json:1: at /openapi"), "{e}");
    }

    #[test]
    fn errors_inside_schemas_point_at_the_property() {
        let text = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          type: 5\n";
        let e = parse("s.yaml", text.as_bytes()).unwrap_err().0.remove(0);
        assert_eq!(e.place.pointer, "/components/schemas/A/properties/b");
        assert_eq!(e.place.line, Some(11));
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let e = parse("s.yaml", b"openapi: 3.0.1\ninfo:\n  title: [unclosed\n").unwrap_err().0.remove(0);
        assert!(e.place.line.is_some(), "{e}");
        assert!(e.message.starts_with("YAML syntax error"), "{e}");
    }
}
