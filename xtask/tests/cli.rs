//! `cargo xtask generate` end to end: the real binary on real files in a temporary folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(cwd).output().expect("xtask runs")
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(p.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn generates_checks_and_cleans_up_any_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let spec = root().join("spec/v3.yaml");
    let spec = spec.to_str().unwrap();
    let o = xtask(&["generate", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("src/v3/models.rs").is_file() && out.join("docs/v3/PersonalAccessTokensApi.md").is_file());
    // A hand-written file beside the generated ones is never touched.
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/mine.rs"), "// mine\n").unwrap();

    let o = xtask(&["generate", "--check", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));

    // Drift: a stale file, a missing file and a file the previous generation wrote that no longer belongs.
    std::fs::write(out.join("src/v3/models.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(out.join("docs/v3/models/PatOwner.md")).unwrap();
    let manifest = out.join(".generated-files");
    let listing = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{listing}docs/v3/models/Retired.md\n")).unwrap();
    std::fs::write(out.join("docs/v3/models/Retired.md"), "old\n").unwrap();
    let o = xtask(&["generate", "--check", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("stale:   src/v3/models.rs"), "{e}");
    assert!(e.contains("missing: docs/v3/models/PatOwner.md"), "{e}");
    assert!(e.contains("extra:   docs/v3/models/Retired.md"), "{e}");
    assert!(e.contains("out of date with: ") && e.contains("v3.yaml"), "the check names the spec: {e}");

    let o = xtask(&["generate", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("docs/v3/models/Retired.md").exists(), "files that no longer belong are removed");
    assert_eq!(std::fs::read_to_string(out.join("tests/mine.rs")).unwrap(), "// mine\n");
    let o = xtask(&["generate", "--check", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // A second run writes nothing.
    let o = xtask(&["generate", "--spec", spec, "--out", out.to_str().unwrap()], tmp.path());
    assert!(stderr(&o).contains("(0 written, 0 removed"), "{}", stderr(&o));
}

#[test]
fn a_bad_spec_names_file_and_pointer_and_leaves_the_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let good = root().join("spec/v3.yaml");
    let o = xtask(&["generate", "--spec", good.to_str().unwrap(), "--out", out.to_str().unwrap()], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);

    let text = std::fs::read_to_string(&good).unwrap();
    let cases = [
        (
            "dangling.yaml",
            text.replacen("$ref: '#/components/schemas/PatOwner'", "$ref: '#/components/schemas/NoSuchOwner'", 1),
            "/components/schemas/CreatePersonalAccessTokenResponse/properties/owner",
            "dangling $ref",
        ),
        (
            // Two defects: both are reported by the one run (the dangling one is checked below too).
            "two-errors.yaml",
            text.replacen("operationId: deletePersonalAccessToken", "operationId: listPersonalAccessTokens", 1)
                .replacen("$ref: '#/components/schemas/PatOwner'", "$ref: '#/components/schemas/NoSuchOwner'", 1),
            "/paths/~1personal-access-tokens~1{id}/delete/operationId",
            "duplicate operationId `listPersonalAccessTokens`",
        ),
        (
            "swagger.yaml",
            "swagger: '2.0'\ninfo:\n  title: x\n  version: '1'\npaths: {}\n".to_string(),
            "/swagger",
            "Swagger 2.0",
        ),
        (
            "wrongtype.yaml",
            text.replacen("        '204':\n          description: No content.", "        '204': 7", 1),
            "/paths/~1personal-access-tokens~1{id}/delete/responses/204",
            "",
        ),
        ("syntax.yaml", format!("{text}\n  bad: [unclosed\n"), "", "YAML syntax error"),
    ];
    for (name, contents, pointer, message) in cases {
        let bad = tmp.path().join(name);
        std::fs::write(&bad, &contents).unwrap();
        let o = xtask(&["generate", "--spec", name, "--out", out.to_str().unwrap()], tmp.path());
        let e = stderr(&o);
        assert!(!o.status.success(), "{name}: must fail");
        assert!(!e.contains("panicked"), "{name}: {e}");
        assert!(e.contains(&format!("error: {name}:")), "{name}: error must name the file: {e}");
        assert!(e.contains(&format!("at {pointer}")) || pointer.is_empty(), "{name}: error must name {pointer}: {e}");
        assert!(e.contains(message), "{name}: {e}");
        if name == "two-errors.yaml" {
            assert!(e.contains("dangling $ref") && e.contains("error: 2 errors in two-errors.yaml"), "{e}");
        }
        assert_eq!(snapshot(&out), before, "{name}: the output folder changed");
        // An output folder that does not exist yet is not created by a failed run.
        let fresh = tmp.path().join("never").join("created");
        let o = xtask(&["generate", "--spec", name, "--out", fresh.to_str().unwrap()], tmp.path());
        assert!(!o.status.success() && !tmp.path().join("never").exists(), "{name}: a failed run created a folder");
    }
}

#[test]
fn every_spec_of_the_bad_corpus_fails_the_cli_and_leaves_the_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let good = root().join("spec/v3.yaml");
    assert!(
        xtask(&["generate", "--spec", good.to_str().unwrap(), "--out", out.to_str().unwrap()], tmp.path())
            .status
            .success()
    );
    let before = snapshot(&out);
    let mut corpus: Vec<PathBuf> =
        std::fs::read_dir(root().join("generator/tests/bad")).unwrap().map(|e| e.unwrap().path()).collect();
    corpus.sort();
    assert!(corpus.len() >= 30);
    for bad in corpus {
        let name = bad.file_name().unwrap().to_string_lossy().into_owned();
        let o = xtask(&["generate", "--spec", bad.to_str().unwrap(), "--out", out.to_str().unwrap()], tmp.path());
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: exit code: {e}");
        assert!(!e.contains("panicked"), "{name}: {e}");
        assert!(e.contains(&name) && e.contains(": at /"), "{name}: the error names the file and a pointer: {e}");
        assert_eq!(snapshot(&out), before, "{name}: the output folder changed");
    }
}
