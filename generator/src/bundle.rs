//! Bundling: a spec split over several files (`$ref: 'schemas/Pet.yaml'`, `$ref: 'paths/pets.yaml'`,
//! `$ref: 'common.yaml#/components/schemas/Id'`) becomes one document with only local references, the
//! way SailPoint's own repository is laid out before their SDK generation bundles it.
//!
//! Schemas referenced from another file are hoisted into `components/schemas` (named after the
//! fragment's last segment, or the file's stem) so they keep one name and recursion stays possible.
//! Responses, request bodies and parameters that operations reference from another file are hoisted the
//! same way into `components/responses`, `requestBodies` and `parameters`, so the inline schema of a
//! shared `responses/401.yaml` is one type, as it is in a one-file spec, and not one per operation
//! (SailPoint's v3 had 714 such copies). Every other referenced object (path items, examples, headers)
//! is copied in place. References inside a referenced file are resolved relative to that file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

use crate::error::{SpecError, escape_pointer};
use crate::source::SourceMap;

/// The root document, as a reference target (its local references).
const ROOT: &str = "#root";

/// Keys whose values are schemas.
const SCHEMA_KEYS: &[&str] = &["schema", "items", "additionalProperties", "not"];
/// Keys whose values are maps or lists of schemas.
const SCHEMA_CONTAINERS: &[&str] = &["properties", "allOf", "oneOf", "anyOf"];
/// The other components a file may hold that operations share: hoisted like schemas, so an inline schema
/// in a shared response file (`responses/401.yaml`) is one type, not one per operation.
const SHARED_KINDS: &[&str] = &["responses", "requestBodies", "parameters"];

struct Bundler<'a> {
    /// Where every node came from; errors are placed with it too.
    map: &'a mut SourceMap,
    /// The root file's folder, canonical, and as shown in messages.
    root_dir: PathBuf,
    shown_dir: String,
    /// Loaded files by canonical path, with their index in the source map.
    files: HashMap<PathBuf, (Value, usize)>,
    /// (file, fragment) -> hoisted schema name.
    hoisted: HashMap<(PathBuf, String), String>,
    /// New component schemas, in the order they were hoisted.
    schemas: BTreeMap<String, Value>,
    /// Bytes of every file read, for the digest.
    read: Vec<u8>,
    /// The (file, fragment) pairs being copied in place, to stop on cycles.
    stack: Vec<(PathBuf, String)>,
    /// Schema names the root document already has.
    taken: Vec<String>,
    /// (file, fragment) -> (kind, name) of a hoisted response, request body or parameter.
    shared: HashMap<(PathBuf, String), (&'static str, String)>,
    /// Hoisted responses, request bodies and parameters, in the order they were hoisted.
    shared_values: Vec<(&'static str, String, Value)>,
    /// (kind, name) of every response, request body and parameter the root document already has.
    shared_taken: Vec<(&'static str, String)>,
    /// The reference being resolved is a schema wherever it sits (a discriminator mapping's value).
    force_schema: bool,
    /// References that could not be resolved (each replaced by an empty schema so the walk goes on).
    errors: Vec<SpecError>,
    /// The root document as read, for its local references that are copied in place.
    root_value: Value,
    /// Whether references to other files may be read (the spec was read from a folder).
    files_allowed: bool,
    /// Paths as written (joined to their folder) -> canonical paths.
    canonical: HashMap<PathBuf, PathBuf>,
}

/// Rewrites `doc` (read from `root` in `dir`) so every `$ref` is local, recording in `map` where each
/// node came from. Returns the bytes of the other files read, so the document's digest covers them too.
/// Every reference that cannot be resolved is reported (the second list), not just the first; each is
/// left as an empty schema so the rest of the run can find more.
pub fn bundle(
    doc: &mut Value,
    map: &mut SourceMap,
    dir: Option<&Path>,
) -> Result<(Vec<u8>, Vec<SpecError>), Vec<SpecError>> {
    let files_allowed = dir.is_some();
    let dir = dir.unwrap_or(Path::new("."));
    let root_shown = map.files.first().map(|f| f.display.clone()).unwrap_or_default();
    let shown_dir = match root_shown.rfind('/') {
        Some(i) => root_shown[..i].to_string(),
        None => String::new(),
    };
    let mut b = Bundler {
        map,
        root_dir: dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
        shown_dir,
        files: HashMap::new(),
        hoisted: HashMap::new(),
        schemas: BTreeMap::new(),
        read: Vec::new(),
        stack: Vec::new(),
        force_schema: false,
        errors: Vec::new(),
        root_value: doc.clone(),
        files_allowed,
        canonical: HashMap::new(),
        taken: crate::yaml::get(doc, "/components/schemas")
            .and_then(Value::as_mapping)
            .map(|m| m.keys().map(crate::yaml::scalar_text).collect())
            .unwrap_or_default(),
        shared: HashMap::new(),
        shared_values: Vec::new(),
        shared_taken: SHARED_KINDS
            .iter()
            .flat_map(|kind| {
                crate::yaml::get(doc, &format!("/components/{kind}"))
                    .and_then(Value::as_mapping)
                    .into_iter()
                    .flat_map(|m| m.keys().map(|k| (*kind, crate::yaml::scalar_text(k))))
            })
            .collect(),
    };
    // Root components that are only a reference to another file keep their own names: register them
    // first, so references met earlier (in paths) point at them instead of hoisting a second copy.
    for (key, name) in file_components(doc, "schemas", dir) {
        b.hoisted.entry(key).or_insert(name);
    }
    for kind in SHARED_KINDS {
        for (key, name) in file_components(doc, kind, dir) {
            b.shared.entry(key).or_insert((kind, name));
        }
    }
    let mut path = Vec::new();
    b.walk(doc, &mut path, None, dir).map_err(|e| vec![e])?;
    // Hoisted components join the root's: schemas by name, the shared kinds in the order they were met.
    let schemas = std::mem::take(&mut b.schemas).into_iter().map(|(name, v)| ("schemas", name, v));
    let hoisted: Vec<(&str, String, Value)> = std::mem::take(&mut b.shared_values).into_iter().chain(schemas).collect();
    for (kind, name, value) in hoisted {
        let Value::Mapping(top) = &mut *doc else { break };
        let components = top.entry(Value::from("components")).or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(components) = components else {
            return Err(vec![b.error("/components", "`components` is not a mapping".into())]);
        };
        let items = components.entry(Value::from(kind)).or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(items) = items else {
            return Err(vec![b.error(&format!("/components/{kind}"), format!("`components/{kind}` is not a mapping"))]);
        };
        items.insert(Value::from(name), value);
    }
    Ok((b.read, b.errors))
}

/// The root's `components/<kind>` entries that are only a reference to another file: (file, fragment)
/// with the entry's name.
fn file_components(doc: &Value, kind: &str, dir: &Path) -> Vec<((PathBuf, String), String)> {
    let Some(Value::Mapping(items)) = crate::yaml::get(doc, &format!("/components/{kind}")) else { return Vec::new() };
    items
        .iter()
        .filter_map(|(name, v)| {
            let reference = v.get("$ref").and_then(Value::as_str).filter(|r| !r.starts_with('#'))?;
            let (f, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            let target = dir.join(f).canonicalize().ok()?;
            Some(((target, fragment.to_string()), crate::yaml::scalar_text(name)))
        })
        .collect()
}

fn pointer_of(path: &[String]) -> String {
    path.iter().map(|s| format!("/{}", escape_pointer(s))).collect()
}

/// The kind of shared component (`responses`, `requestBodies`, `parameters`) a reference at `path` stands
/// for, if it is one: an operation's response, request body or parameter.
fn shared_position(path: &[String]) -> Option<&'static str> {
    let n = path.len();
    if n < 3 || in_schema_position(path) || path[n - 3] == "properties" {
        return None;
    }
    let (parent, last) = (path[n - 2].as_str(), path[n - 1].as_str());
    let method = |s: &str| crate::ir::METHODS.contains(&s);
    let status =
        last == "default" || (last.len() == 3 && last.chars().all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'));
    if parent == "responses" && status {
        Some("responses")
    } else if last == "requestBody" && method(parent) {
        Some("requestBodies")
    } else if parent == "parameters"
        && last.parse::<usize>().is_ok()
        && (method(&path[n - 3]) || (path[0] == "paths" && n == 4))
    {
        Some("parameters")
    } else {
        None
    }
}

fn in_schema_position(path: &[String]) -> bool {
    let n = path.len();
    let last = path.last().map(String::as_str).unwrap_or("");
    let parent = if n >= 2 { path[n - 2].as_str() } else { "" };
    SCHEMA_KEYS.contains(&last)
        || SCHEMA_CONTAINERS.contains(&parent)
        || (n == 3 && path[0] == "components" && path[1] == "schemas")
}

impl Bundler<'_> {
    fn error(&self, pointer: &str, message: String) -> SpecError {
        SpecError::at(self.map.place(pointer), message)
    }

    /// How a file is named in messages: relative to the root file's folder, under the root's shown folder.
    fn shown(&self, target: &Path) -> String {
        let rel = relative(target, &self.root_dir);
        if self.shown_dir.is_empty() { rel } else { format!("{}/{rel}", self.shown_dir) }
    }

    /// Walks a node. `file` is the external file the node came from (`None`: the root document), `dir`
    /// the folder its relative references start from.
    fn walk(
        &mut self,
        node: &mut Value,
        path: &mut Vec<String>,
        file: Option<&Path>,
        dir: &Path,
    ) -> Result<(), SpecError> {
        if let Value::Mapping(m) = node {
            if let Some(Value::String(reference)) = m.get("$ref").cloned() {
                // Path items and operations cannot be references in the document model: local ones in the
                // root are copied in place too.
                let n = path.len();
                let inline_local = n >= 2
                    && path[0] == "paths"
                    && (n == 2 || (n == 3 && crate::ir::METHODS.contains(&path[2].as_str())));
                if file.is_some() || !reference.starts_with('#') || inline_local {
                    match self.resolve(&reference, path, file, dir) {
                        Ok(v) => *node = v,
                        Err(e) => {
                            // Reported with the rest; the node stands for any value so the run goes on.
                            self.errors.push(e);
                            *node = Value::Mapping(Mapping::new());
                        }
                    }
                }
                return Ok(());
            }
            let n = path.len();
            if n >= 2 && path[n - 1] == "mapping" && path[n - 2] == "discriminator" {
                // Mapping values are schema references too (`Dog: '../pets/Dog.yaml'`); plain names stay.
                for (k, v) in m.iter_mut() {
                    let Value::String(reference) = v else { continue };
                    let is_ref = reference.contains('/') || reference.contains('#') || reference.ends_with(".yaml");
                    if !is_ref || (file.is_none() && reference.starts_with('#')) {
                        continue;
                    }
                    let reference = reference.clone();
                    path.push(crate::yaml::scalar_text(k));
                    self.force_schema = true;
                    let resolved = self.resolve(&reference, path, file, dir);
                    self.force_schema = false;
                    path.pop();
                    match resolved {
                        Ok(r) => {
                            if let Some(Value::String(local)) = r.get("$ref") {
                                *v = Value::String(local.clone());
                            }
                        }
                        Err(e) => self.errors.push(e),
                    }
                }
                return Ok(());
            }
            for (k, v) in m.iter_mut() {
                path.push(crate::yaml::scalar_text(k));
                self.walk(v, path, file, dir)?;
                path.pop();
            }
        } else if let Value::Sequence(items) = node {
            for (i, v) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                self.walk(v, path, file, dir)?;
                path.pop();
            }
        }
        Ok(())
    }

    /// What a non-local reference (or any reference inside another file) becomes.
    fn resolve(
        &mut self,
        reference: &str,
        path: &mut Vec<String>,
        file: Option<&Path>,
        dir: &Path,
    ) -> Result<Value, SpecError> {
        let pointer = pointer_of(path);
        let (target_file, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, frag.to_string()),
            None => (reference, String::new()),
        };
        let target = if target_file.is_empty() {
            // A local reference inside another file means that file; in the root, the root.
            file.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(ROOT))
        } else {
            if !self.files_allowed {
                return Err(self.error(
                    &pointer,
                    format!("$ref `{reference}` names another file; only local references are read when the spec is not read from a folder"),
                ));
            }
            if target_file.contains("://") {
                return Err(self.error(
                    &pointer,
                    format!("$ref `{reference}` points at a URL; only files beside the spec are read"),
                ));
            }
            let joined = dir.join(target_file);
            // Thousands of references name the same few hundred files: each path is resolved once.
            match self.canonical.get(&joined) {
                Some(c) => c.clone(),
                None => {
                    let c = joined.canonicalize().map_err(|e| {
                        self.error(
                            &pointer,
                            format!("cannot read the file `{target_file}` that $ref `{reference}` names: {e}"),
                        )
                    })?;
                    self.canonical.insert(joined, c.clone());
                    c
                }
            }
        };
        let key = (target.clone(), fragment.clone());
        let schema = self.force_schema || in_schema_position(path);
        let root_component = file.is_none() && path.len() == 3 && path[0] == "components" && path[1] == "schemas";
        if schema
            && !root_component
            && let Some(name) = self.hoisted.get(&key)
        {
            return Ok(local_ref(name));
        }
        let (content, index) = self.load(&target, &pointer, reference)?;
        let inner_pointer = if fragment == "/" { String::new() } else { fragment.clone() };
        let mut value = if fragment.is_empty() || fragment == "/" {
            content.clone()
        } else {
            crate::yaml::get(content, &fragment).cloned().ok_or_else(|| {
                let place = if index == 0 { "this document" } else { "that file" };
                self.error(&pointer, format!("$ref `{reference}`: `{fragment}` is not in {place}"))
            })?
        };
        let target_dir = match target.parent() {
            Some(p) if target != Path::new(ROOT) => p.to_path_buf(),
            _ => dir.to_path_buf(),
        };
        // What is copied from the root keeps its local references local.
        let walk_file = if target == Path::new(ROOT) { None } else { Some(target.as_path()) };
        // A root component that is only a reference to another file takes that schema's place and name.
        if root_component {
            let name = path[2].clone();
            self.map.record(pointer.clone(), index, inner_pointer);
            self.hoisted.entry(key).or_insert(name);
            let mut inner = path.clone();
            self.walk(&mut value, &mut inner, walk_file, &target_dir)?;
            return Ok(value);
        }
        if schema {
            let base = fragment.rsplit('/').find(|s| !s.is_empty()).map(String::from).unwrap_or_else(|| {
                target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Schema".into())
            });
            let mut name = base.clone();
            let mut n = 2;
            while self.schemas.contains_key(&name)
                || self.hoisted.values().any(|v| v == &name)
                || self.taken.contains(&name)
            {
                name = format!("{base}{n}");
                n += 1;
            }
            self.hoisted.insert(key, name.clone());
            self.map.record(format!("/components/schemas/{}", escape_pointer(&name)), index, inner_pointer);
            // The hoisted schema's own references are relative to its file; it sits at components/schemas.
            let mut inner = vec!["components".to_string(), "schemas".to_string(), name.clone()];
            self.walk(&mut value, &mut inner, walk_file, &target_dir)?;
            self.schemas.insert(name.clone(), value);
            return Ok(local_ref(&name));
        }
        if target != Path::new(ROOT)
            && let Some(kind) = shared_position(path)
        {
            if let Some((k, name)) = self.shared.get(&key)
                && *k == kind
            {
                return Ok(local_ref_to(kind, name));
            }
            let base = fragment.rsplit('/').find(|s| !s.is_empty()).map(String::from).unwrap_or_else(|| {
                target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| kind.into())
            });
            let mut name = base.clone();
            let mut n = 2;
            while self.shared.values().any(|(k, v)| *k == kind && v == &name)
                || self.shared_taken.iter().any(|(k, v)| *k == kind && v == &name)
            {
                name = format!("{base}_{n}");
                n += 1;
            }
            self.shared.insert(key, (kind, name.clone()));
            let at = format!("/components/{kind}/{}", escape_pointer(&name));
            self.map.record(at, index, inner_pointer);
            // Its own references are relative to its file; it sits at components/<kind>.
            let mut inner = vec!["components".to_string(), kind.to_string(), name.clone()];
            self.walk(&mut value, &mut inner, walk_file, &target_dir)?;
            self.shared_values.push((kind, name.clone(), value));
            return Ok(local_ref_to(kind, &name));
        }
        if self.stack.contains(&key) {
            return Err(self.error(&pointer, format!("$ref `{reference}` refers back to itself through other files")));
        }
        self.stack.push(key);
        self.map.record(pointer, index, inner_pointer);
        self.walk(&mut value, path, walk_file, &target_dir)?;
        self.stack.pop();
        Ok(value)
    }

    fn load(&mut self, target: &Path, pointer: &str, reference: &str) -> Result<(&Value, usize), SpecError> {
        if target == Path::new(ROOT) {
            return Ok((&self.root_value, 0));
        }
        if !self.files.contains_key(target) {
            let shown = self.shown(target);
            let bytes = std::fs::read(target)
                .map_err(|e| self.error(pointer, format!("cannot read `{shown}` for $ref `{reference}`: {e}")))?;
            let text = String::from_utf8(bytes.clone()).map_err(|e| {
                self.error(pointer, format!("`{shown}` (named by $ref `{reference}`) is not UTF-8: {e}"))
            })?;
            let value: Value = crate::yaml::from_text(&shown, &text).map_err(|e| {
                let mut e = e;
                e.message = format!("{} (in the file $ref `{reference}` names)", e.message);
                e
            })?;
            self.read.extend_from_slice(&bytes);
            let index = self.map.add_file(shown, text);
            self.files.insert(target.to_path_buf(), (value, index));
        }
        let (value, index) = &self.files[target];
        Ok((value, *index))
    }
}

/// `target` relative to the folder `base` (both canonical), with `/` separators and `..` where needed.
fn relative(target: &Path, base: &Path) -> String {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), b.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

fn local_ref(name: &str) -> Value {
    local_ref_to("schemas", name)
}

fn local_ref_to(kind: &str, name: &str) -> Value {
    let mut m = Mapping::new();
    m.insert(Value::from("$ref"), Value::from(format!("#/components/{kind}/{}", escape_pointer(name))));
    Value::Mapping(m)
}

#[cfg(test)]
mod tests {
    use crate::parse::parse_in;

    const ROOT: &str = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: 'REF'\n";

    #[test]
    fn missing_files_and_urls_are_clear_errors_at_the_reference() {
        let dir = tempfile::tempdir().unwrap();
        let pointer = "/paths/~1a/get/responses/200/content/application~1json/schema";
        let e = parse_in("root.yaml", ROOT.replace("REF", "schemas/Nope.yaml").as_bytes(), Some(dir.path()))
            .unwrap()
            .deferred
            .remove(0);
        assert_eq!(e.place.pointer, pointer);
        assert!(e.message.contains("cannot read the file `schemas/Nope.yaml`"), "{e}");
        let e = parse_in("root.yaml", ROOT.replace("REF", "https://example.com/x.yaml").as_bytes(), Some(dir.path()))
            .unwrap()
            .deferred
            .remove(0);
        assert!(e.message.contains("points at a URL"), "{e}");
        std::fs::write(dir.path().join("x.yaml"), "components: {}\n").unwrap();
        let e =
            parse_in("root.yaml", ROOT.replace("REF", "x.yaml#/components/schemas/Gone").as_bytes(), Some(dir.path()))
                .unwrap()
                .deferred
                .remove(0);
        assert!(e.message.contains("is not in that file"), "{e}");
    }

    #[test]
    fn referenced_files_change_the_digest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.yaml"), "type: string\n").unwrap();
        let root = ROOT.replace("REF", "s.yaml");
        let a = parse_in("root.yaml", root.as_bytes(), Some(dir.path())).unwrap();
        std::fs::write(dir.path().join("s.yaml"), "type: integer\n").unwrap();
        let b = parse_in("root.yaml", root.as_bytes(), Some(dir.path())).unwrap();
        assert_ne!(a.sha256, b.sha256);
        assert!(b.openapi.components.unwrap().schemas.contains_key("s"));
    }
    #[test]
    fn a_response_file_shared_by_operations_is_one_component() {
        use openapiv3::ReferenceOr;
        let dir = tempfile::tempdir().unwrap();
        let file = "description: Unauthorized\ncontent:\n  application/json:\n    schema:\n      type: object\n      properties:\n        error: {type: string}\n";
        std::fs::create_dir_all(dir.path().join("responses")).unwrap();
        std::fs::write(dir.path().join("responses/401.yaml"), file).unwrap();
        std::fs::write(dir.path().join("responses/404.yaml"), "description: Not found\n").unwrap();
        std::fs::write(dir.path().join("limit.yaml"), "name: limit\nin: query\nschema: {type: integer}\n").unwrap();
        let op = |id: &str| {
            format!(
                "    get:\n      operationId: {id}\n      parameters:\n        - $ref: 'limit.yaml'\n      responses:\n        '200': {{description: ok}}\n        '401':\n          $ref: 'responses/401.yaml'\n        '404':\n          $ref: 'responses/404.yaml'\n"
            )
        };
        let root = format!(
            "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n{}  /b:\n{}components:\n  responses:\n    NotFound:\n      $ref: 'responses/404.yaml'\n    '401': {{description: a different one}}\n",
            op("a"),
            op("b")
        );
        let doc = parse_in("root.yaml", root.as_bytes(), Some(dir.path())).unwrap();
        assert!(doc.deferred.is_empty(), "{:?}", doc.deferred);
        let components = doc.openapi.components.as_ref().unwrap();
        // The root's own `401` keeps its name; the file's takes the next free one; the root's `NotFound`
        // is where the 404 file went, and the operations point there.
        let mut names: Vec<&String> = components.responses.keys().collect();
        names.sort();
        assert_eq!(names, ["401", "401_2", "NotFound"]);
        assert_eq!(components.parameters.keys().collect::<Vec<_>>(), ["limit"]);
        for path in ["/a", "/b"] {
            let ReferenceOr::Item(item) = &doc.openapi.paths.paths[path] else { panic!("{path} is a reference") };
            let get = item.get.as_ref().unwrap();
            let refs: Vec<String> = get
                .responses
                .responses
                .values()
                .filter_map(|r| match r {
                    ReferenceOr::Reference { reference } => Some(reference.clone()),
                    ReferenceOr::Item(_) => None,
                })
                .collect();
            assert_eq!(refs, ["#/components/responses/401_2", "#/components/responses/NotFound"], "{path}");
            assert!(
                matches!(&get.parameters[0], ReferenceOr::Reference { reference } if reference == "#/components/parameters/limit")
            );
        }
        // A warning about the shared response points into its own file.
        let place = doc.sources.place("/components/responses/401_2/content/application~1json/schema");
        assert_eq!((place.file.as_str(), place.line), ("responses/401.yaml", Some(4)), "{place:?}");
    }
}
