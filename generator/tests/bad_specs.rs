//! The corpus of malformed and unsupported specs in `tests/bad/`: each gives one clear error that names
//! the file and the JSON pointer its header comment expects (`# expect-pointer:`), with the expected
//! words (`# expect-message:`), and never a panic. (That `generated/` stays untouched on such errors is
//! proven end to end in `xtask/tests/cli.rs`.)

use std::path::{Path, PathBuf};

use generator::{Error, Options, SpecInput, generate};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn header(bytes: &[u8], key: &str) -> Option<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}:")).map(|v| v.trim().to_string()))
}

#[test]
fn every_bad_spec_gets_one_clear_error_naming_file_and_pointer() {
    let files = corpus("bad");
    assert!(files.len() >= 30, "the corpus has only {} specs", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let pointer = header(&bytes, "expect-pointer").unwrap_or_else(|| panic!("{name}: no expect-pointer header"));
        let message = header(&bytes, "expect-message").unwrap_or_else(|| panic!("{name}: no expect-message header"));
        let input = SpecInput { display: name.clone(), bytes, module: "api".into(), dir: None };
        let result = std::panic::catch_unwind(|| generate(&[input], &Options::default()));
        match result {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok(Ok(_)) => failures.push(format!("{name}: generated without an error")),
            Ok(Err(Error::Spec(errors))) if errors.0.len() != 1 => {
                failures.push(format!("{name}: {} errors, expected one:\n{errors}", errors.0.len()))
            }
            Ok(Err(Error::Spec(errors))) => {
                let e = &errors.0[0];
                let shown = e.to_string();
                if e.place.file != name || !shown.starts_with(&name) {
                    failures.push(format!("{name}: the error does not name the file: {shown}"));
                }
                if e.place.pointer != pointer {
                    failures.push(format!("{name}: pointer `{}`, expected `{pointer}`: {shown}", e.place.pointer));
                }
                if !e.message.contains(&message) {
                    failures.push(format!("{name}: message lacks `{message}`: {shown}"));
                }
                if shown.lines().count() != 1 {
                    failures.push(format!("{name}: not one line: {shown}"));
                }
            }
            Ok(Err(other)) => failures.push(format!("{name}: not a spec error: {other}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} bad specs misbehave:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// A spec split over files with several defects: one run reports every one of them, each in the file a
/// maintainer edits, with its line and the pointer inside that file.
#[test]
fn every_error_of_a_split_spec_in_one_run_each_in_its_own_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    $ref: 'paths/a.yaml'\n  /b:\n    $ref: 'paths/b.yaml'\ncomponents:\n  schemas:\n    Thing:\n      $ref: 'schemas/Thing.yaml'\n    Local:\n      type: object\n      properties:\n        x:\n          $ref: '#/components/schemas/Gone'\n";
    std::fs::create_dir_all(dir.path().join("paths")).unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    // paths/a.yaml: an operation without responses (line 3).
    std::fs::write(dir.path().join("paths/a.yaml"), "get:\n  operationId: getA\n  responses: {}\n").unwrap();
    // paths/b.yaml: a dangling $ref at line 8; and the same operationId as a.yaml's at line 10.
    std::fs::write(
        dir.path().join("paths/b.yaml"),
        "get:\n  operationId: getB\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Nope'}\npost:\n  operationId: getA\n  responses:\n    '204':\n      description: ok\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("schemas/Thing.yaml"), "type: object\nproperties:\n  id:\n    type: string\n")
        .unwrap();
    let input = SpecInput {
        display: "api/root.yaml".into(),
        bytes: root.into(),
        module: "api".into(),
        dir: Some(dir.path().to_path_buf()),
    };
    let Err(Error::Spec(errors)) = generate(&[input], &Options::default()) else { panic!("expected spec errors") };
    let shown: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    let has = |prefix: &str, words: &str| shown.iter().any(|l| l.starts_with(prefix) && l.contains(words));
    assert!(has("api/paths/a.yaml:3: at /get/responses:", "documents no responses"), "{shown:#?}");
    assert!(
        has(
            "api/paths/b.yaml:8: at /get/responses/200/content/application~1json/schema:",
            "`/components/schemas/Nope` is not in that file"
        ),
        "{shown:#?}"
    );
    assert!(has("api/paths/b.yaml:10: at /post/operationId:", "duplicate operationId `getA`"), "{shown:#?}");
    assert!(has("api/root.yaml:17: at /components/schemas/Local/properties/x:", "no schema `Gone`"), "{shown:#?}");
    assert_eq!(errors.0.len(), 4, "{shown:#?}");
}
