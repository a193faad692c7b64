//! Cargo features below the version level: one per tag, so a program that calls a few operations of a
//! whole-API crate compiles only those and the models they reach.
//!
//! Computed from the IR, read by both renderers (the Rust code gates items with it, the Markdown pages
//! name the feature of each page). A crate with at most one tag has no tag features: everything is
//! compiled with its version. Otherwise each tag gets a feature named like its module in kebab case
//! (`personal-access-tokens`); a model compiles when any tag whose operations reach it (transitively,
//! through fields, maps, arrays, unions and aliases) is on, and the models no operation reaches compile
//! with [`UNREFERENCED`]. All are on by default.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Crate, TypeKind};

/// The feature of the models that no operation reaches.
pub const UNREFERENCED: &str = "unreferenced-models";

/// Features the crate template defines itself (and cargo's own `default`): a tag never takes these names.
const RESERVED: &[&str] =
    &["default", "blocking", "http2", "config-file", "native-tls", "rustls-aws-lc", "rustls-ring", UNREFERENCED];

/// The tag features of a crate and what each compiles.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Tag module name -> feature name; empty when the crate has at most one tag.
    tags: BTreeMap<String, String>,
    /// (version module, type name) -> the features that compile it, sorted; a model compiled by every
    /// tag (or any model of a crate without tag features) is not here.
    models: BTreeMap<(String, String), Vec<String>>,
    /// Whether some model is reached by no operation.
    unreferenced: bool,
}

impl Features {
    /// The features of `krate`.
    pub fn of(krate: &Crate) -> Features {
        let modules: BTreeSet<&str> =
            krate.apis.values().flat_map(|a| a.tags.iter().map(|t| t.module.as_str())).collect();
        if modules.len() < 2 {
            return Features::default();
        }
        let versions: BTreeSet<&str> = krate.apis.keys().map(String::as_str).collect();
        let mut taken: BTreeSet<String> = RESERVED.iter().chain(&versions).map(|s| s.to_string()).collect();
        let mut tags = BTreeMap::new();
        for module in modules {
            let base = module.replace('_', "-");
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name) {
                name = if n == 1 { format!("{base}-api") } else { format!("{base}-api{n}") };
                n += 1;
            }
            taken.insert(name.clone());
            tags.insert(module.to_string(), name);
        }
        let all: BTreeSet<&str> = tags.values().map(String::as_str).collect();
        let mut models = BTreeMap::new();
        let mut unreferenced = false;
        for api in krate.apis.values() {
            for (name, features) in reach(api, &tags) {
                if features.iter().any(|f| f == UNREFERENCED) {
                    unreferenced = true;
                }
                let covers_all = all.iter().all(|f| features.iter().any(|g| g == f));
                if !covers_all {
                    models.insert((api.module.clone(), name), features);
                }
            }
        }
        Features { tags, models, unreferenced }
    }

    /// Whether the crate has tag features at all.
    pub fn enabled(&self) -> bool {
        !self.tags.is_empty()
    }

    /// Every tag feature, sorted.
    pub fn tag_features(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self.tags.values().map(String::as_str).collect();
        set.into_iter().collect()
    }

    /// Whether the [`UNREFERENCED`] feature exists.
    pub fn has_unreferenced(&self) -> bool {
        self.unreferenced
    }

    /// The feature of the tag whose module is `module`.
    pub fn tag(&self, module: &str) -> Option<&str> {
        self.tags.get(module).map(String::as_str)
    }

    /// The features that compile the model `name` of `version` (any one suffices); `None` when it is
    /// always compiled with its version.
    pub fn model(&self, version: &str, name: &str) -> Option<&[String]> {
        self.models.get(&(version.to_string(), name.to_string())).map(Vec::as_slice)
    }
}

/// A `cfg` predicate that holds when any of `features` is on.
pub fn any(features: &[impl AsRef<str>]) -> String {
    let each: Vec<String> = features.iter().map(|f| format!("feature = \"{}\"", f.as_ref())).collect();
    match each.len() {
        1 => each[0].clone(),
        _ => format!("any({})", each.join(", ")),
    }
}

/// For every model of `api`: the tag features whose operations reach it, or [`UNREFERENCED`] for a model
/// no operation reaches (and for everything such models reach).
fn reach(api: &Api, tags: &BTreeMap<String, String>) -> BTreeMap<String, Vec<String>> {
    let by_name: BTreeMap<&str, &TypeKind> = api.types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    let mut found: BTreeMap<String, BTreeSet<String>> =
        api.types.iter().map(|t| (t.name.clone(), BTreeSet::new())).collect();
    let spread = |roots: Vec<String>, feature: &str, found: &mut BTreeMap<String, BTreeSet<String>>| {
        let mut stack = roots;
        while let Some(name) = stack.pop() {
            let Some(set) = found.get_mut(&name) else { continue };
            if !set.insert(feature.to_string()) {
                continue;
            }
            if let Some(kind) = by_name.get(name.as_str()) {
                kind_refs(kind, &mut stack);
            }
        }
    };
    for tag in &api.tags {
        let Some(feature) = tags.get(&tag.module) else { continue };
        let mut roots = Vec::new();
        for &i in &tag.operations {
            roots.extend(api.operations[i].named_types().map(str::to_string));
        }
        spread(roots, feature, &mut found);
    }
    let orphans: Vec<String> = found.iter().filter(|(_, s)| s.is_empty()).map(|(n, _)| n.clone()).collect();
    spread(orphans, UNREFERENCED, &mut found);
    found.into_iter().map(|(n, s)| (n, s.into_iter().collect())).collect()
}

/// The named types a type definition uses directly.
fn kind_refs(kind: &TypeKind, out: &mut Vec<String>) {
    out.extend(kind.members().into_iter().filter_map(|(_, t)| t.name_within()).map(str::to_string));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(yaml: &str) -> Crate {
        let doc = crate::parse::parse_in("t.yaml", yaml.as_bytes(), None).expect("parses");
        let api = crate::lower::lower(&doc, "v1").expect("lowers");
        Crate {
            name: "t".into(),
            version: "0.1.0".into(),
            description: String::new(),
            title: String::new(),
            apis: [("v1".to_string(), api)].into_iter().collect(),
            runtime: Default::default(),
            profile: Default::default(),
            env_prefix: "T".into(),
        }
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /a:
    get:
      operationId: getA
      tags: [Alpha]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/A" } } } }
        "400": { description: bad, content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
  /b:
    post:
      operationId: postB
      tags: [Beta]
      requestBody: { content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/B" } } } } }
      responses:
        "400": { description: bad, content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
  /default:
    get:
      operationId: getDefault
      tags: [default]
      responses: { "204": { description: none } }
components:
  schemas:
    A: { type: object, properties: { u: { oneOf: [ { $ref: "#/components/schemas/Deep" }, { type: string } ] } } }
    Deep: { type: object, properties: { m: { type: object, additionalProperties: { $ref: "#/components/schemas/Shared" } } } }
    B: { type: object, properties: { s: { $ref: "#/components/schemas/Shared" } } }
    Shared: { type: string, enum: [x, y] }
    Err: { type: object, properties: { message: { type: string } } }
    Orphan: { type: object, properties: { a: { $ref: "#/components/schemas/A" } } }
"##;

    #[test]
    fn each_tag_compiles_the_models_it_reaches_through_every_composition() {
        let f = Features::of(&lowered(SPEC));
        assert_eq!(f.tag_features(), ["alpha", "beta", "default-api"]);
        // Through a union member and a map's values.
        assert_eq!(f.model("v1", "Deep").unwrap(), ["alpha", UNREFERENCED]);
        // Shared by two tags; through an array body.
        assert_eq!(f.model("v1", "Shared").unwrap(), ["alpha", "beta", UNREFERENCED]);
        assert_eq!(f.model("v1", "B").unwrap(), ["beta"]);
        // An error body counts (`Err` is renamed: it would shadow `Result::Err`).
        assert_eq!(f.model("v1", "ErrModel").unwrap(), ["alpha", "beta"]);
        assert_eq!(f.model("v1", "Orphan").unwrap(), [UNREFERENCED]);
        assert!(f.has_unreferenced());
    }

    #[test]
    fn a_crate_with_one_tag_has_no_tag_features() {
        let one = SPEC.replace("[Beta]", "[Alpha]").replace("[default]", "[Alpha]");
        let f = Features::of(&lowered(&one));
        assert!(!f.enabled());
        assert_eq!(f.model("v1", "Orphan"), None);
    }

    #[test]
    fn a_model_every_tag_reaches_is_not_gated() {
        let shared = SPEC.replace("responses: { \"204\": { description: none } }", "responses: { \"400\": { description: bad, content: { application/json: { schema: { $ref: \"#/components/schemas/Err\" } } } } }");
        let f = Features::of(&lowered(&shared));
        assert_eq!(f.model("v1", "ErrModel"), None);
        assert_eq!(any(&["a"]), "feature = \"a\"");
        assert_eq!(any(&["a", "b"]), "any(feature = \"a\", feature = \"b\")");
    }
}
