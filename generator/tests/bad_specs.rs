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
            Ok(Err(Error::Spec(e))) => {
                let shown = e.to_string();
                if e.file != name || !shown.starts_with(&name) {
                    failures.push(format!("{name}: the error does not name the file: {shown}"));
                }
                if e.pointer != pointer {
                    failures.push(format!("{name}: pointer `{}`, expected `{pointer}`: {shown}", e.pointer));
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
