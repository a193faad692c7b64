//! SailPoint's upstream specs, defects and all, lower without edits: bad defaults and stray `items` are
//! warnings, untyped properties become any JSON, `null` in an enum makes it nullable, and the result has
//! the same shape as the IR of our own `spec/` (which does not carry those defects).

use std::path::{Path, PathBuf};

use generator::ir::{Api, TypeKind, TypeRef};
use generator::{Options, SpecInput, lower_all};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lower(path: &Path, module: &str) -> Api {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e} (CI has ../shared beside the clone)", path.display()));
    let input = SpecInput {
        display: path.file_name().unwrap().to_string_lossy().into(),
        bytes,
        module: module.into(),
        dir: None,
    };
    let mut krate = lower_all(&[input], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    krate.apis.remove(module).unwrap()
}

fn upstream(name: &str) -> PathBuf {
    root().join("../shared/reference/upstream-pat").join(name)
}

/// The shape of the lowered API: operations and every type's fields, without prose.
fn shape(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for op in &api.operations {
        let params: Vec<String> =
            op.params.iter().map(|p| format!("{}:{:?}:{}:{:?}", p.wire_name, p.location, p.required, p.ty)).collect();
        let responses: Vec<String> =
            op.responses.iter().map(|r| format!("{}:{:?}:{:?}", r.status.label(), r.media_type, r.ty)).collect();
        let body = op.body.as_ref().map(|b| format!("{}:{:?}:{}", b.media_type, b.ty, b.required));
        out.push(format!("{} {} {} {params:?} {body:?} {responses:?}", op.method.as_str(), op.path, op.fn_name));
    }
    for t in &api.types {
        let kind = match &t.kind {
            TypeKind::Struct { fields, extra } => format!(
                "struct {:?} {extra:?}",
                fields
                    .iter()
                    .map(|f| format!("{}:{:?}:{}:{}", f.wire_name, f.ty, f.required, f.nullable))
                    .collect::<Vec<_>>()
            ),
            TypeKind::Enum { variants } => format!("enum {:?}", variants.iter().map(|v| &v.wire).collect::<Vec<_>>()),
            TypeKind::Union { variants } => {
                format!("union {:?}", variants.iter().map(|v| (&v.ident, &v.ty)).collect::<Vec<_>>())
            }
            other => format!("{other:?}"),
        };
        out.push(format!("{}: {kind}", t.name));
    }
    // The per-resource layout names one schema from its lower-case key; compare names case-insensitively.
    out.into_iter().map(|l| l.to_lowercase()).collect()
}

#[test]
fn upstream_defects_are_tolerated_with_warnings() {
    let api = lower(&upstream("v3.yaml"), "v3");
    let warned = |needle: &str| api.warnings.iter().any(|w| w.message.contains(needle));
    assert!(warned("\"6 Months from created date\" does not fit"), "bad date-time default: {:#?}", api.warnings);
    assert!(warned("`items` on a schema of type `string` is ignored"), "{:#?}", api.warnings);
    assert!(warned("`items` on a schema of type `integer` is ignored"), "{:#?}", api.warnings);
    assert!(
        warned("scope `sp:my-personal-access-tokens:read` is not declared by security scheme `userAuth`"),
        "{:#?}",
        api.warnings
    );
    let ty = |name: &str| api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"));
    // `null` in an enum: a nullable enum of the other values.
    let TypeKind::Enum { variants } = &ty("LocaleOrigin").kind else { panic!() };
    assert_eq!(variants.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["DEFAULT", "REQUEST"]);
    let TypeKind::Struct { fields, .. } = &ty("ErrorMessageDto").kind else { panic!() };
    assert!(fields.iter().find(|f| f.wire_name == "localeOrigin").unwrap().nullable);
    // Untyped properties of the 401 and 429 bodies are any JSON.
    for (name, field) in [("Response401", "error"), ("Response429", "message")] {
        let TypeKind::Struct { fields, .. } = &ty(name).kind else { panic!() };
        assert_eq!(fields.iter().find(|f| f.wire_name == field).unwrap().ty, TypeRef::Any);
    }
    // Required and nullable stays representable; the contradicting default is gone from the IR.
    let TypeKind::Struct { fields, .. } = &ty("CreatePersonalAccessTokenResponse").kind else { panic!() };
    let scope = fields.iter().find(|f| f.wire_name == "scope").unwrap();
    assert!(scope.required && scope.nullable);
    let TypeKind::Struct { fields, .. } = &ty("GetPersonalAccessTokenResponse").kind else { panic!() };
    assert_eq!(fields.iter().find(|f| f.wire_name == "expirationDate").unwrap().default, None);
    assert_eq!(fields.iter().find(|f| f.wire_name == "managed").unwrap().default, Some(serde_json::json!(false)));
}

#[test]
fn upstream_and_our_spec_lower_to_the_same_shape() {
    for (ours, theirs, module) in [
        ("v3.yaml", "v3.yaml", "v3"),
        ("v2024.yaml", "v2024.yaml", "v2024"),
        ("v2025.yaml", "v2025.yaml", "v2025"),
        ("v1.yaml", "resource-v1.yaml", "v1"),
    ] {
        let a = shape(&lower(&root().join("spec").join(ours), module));
        let b = shape(&lower(&upstream(theirs), module));
        assert_eq!(a, b, "spec/{ours} and upstream {theirs} lower differently");
    }
}

#[test]
fn every_upstream_version_generates() {
    for name in ["v3.yaml", "v2024.yaml", "v2025.yaml", "v2026.yaml", "beta.yaml", "resource-v1.yaml"] {
        let bytes = std::fs::read(upstream(name)).unwrap();
        let input =
            SpecInput { display: name.into(), bytes, module: generator::module_for(Path::new(name)), dir: None };
        let out = generator::generate(&[input], &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out.files.files.len() > 20, "{name}");
    }
}
