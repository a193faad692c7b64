//! `cargo xtask corpus`: the generator on real specs. Every SailPoint root file under
//! `../shared/reference/sailpoint-api-specs/idn/` and every spec under `../shared/reference/real-world/`
//! (OpenAPI 3.0) and `real-world-3.1/` (3.1) is generated, unedited, into a crate of its own outside the workspace, and each crate is linted with
//! `cargo clippy --lib -- -D warnings` (so a warning fails it, as an error does). One line per spec, then
//! `N passed, M failed`.
//!
//! All crates share one target folder (`target/corpus`), so the dependencies build once; each crate gets
//! this workspace's `Cargo.lock`, so the versions are the ones the project tests with.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

/// One spec of the corpus.
pub struct Spec {
    /// Short name (`sailpoint/v3`, `linode`, `oai-examples/uspto`).
    pub name: String,
    /// The root file.
    pub path: PathBuf,
}

/// The specs of the corpus, SailPoint's first, each group sorted by name.
pub fn specs(shared: &Path) -> Result<Vec<Spec>> {
    let mut out = Vec::new();
    let idn = shared.join("reference/sailpoint-api-specs/idn");
    let mut roots: Vec<PathBuf> = read_dir(&idn)?.into_iter().filter(|p| is_spec(p)).collect();
    roots.sort();
    for p in roots {
        let stem = p.file_stem().unwrap_or_default().to_string_lossy();
        let version = stem.rsplit('.').next().unwrap_or(&stem).to_string();
        out.push(Spec { name: format!("sailpoint/{version}"), path: p });
    }
    // Other vendors' 3.0 specs, then their 3.1 ones (and the specification's 3.1 fixtures).
    let mut vendors: Vec<PathBuf> = Vec::new();
    for folder in ["reference/real-world", "reference/real-world-3.1"] {
        let mut found: Vec<PathBuf> = read_dir(&shared.join(folder))?.into_iter().filter(|p| p.is_dir()).collect();
        found.sort();
        vendors.extend(found);
    }
    for dir in vendors {
        let vendor = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = read_dir(&dir)?.into_iter().filter(|p| is_spec(p)).collect();
        files.sort();
        if files.is_empty() {
            // A multi-file spec kept in a sub-folder: its root is the file named like `openapi*`.
            for sub in read_dir(&dir)?.into_iter().filter(|p| p.is_dir()) {
                files.extend(read_dir(&sub)?.into_iter().filter(|p| {
                    is_spec(p) && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("openapi"))
                }));
            }
        }
        let several = files.len() > 1;
        for p in files {
            let name = if several {
                format!("{vendor}/{}", p.file_stem().unwrap_or_default().to_string_lossy())
            } else {
                vendor.clone()
            };
            out.push(Spec { name, path: p });
        }
    }
    Ok(out)
}

/// The generator options for a spec of the corpus: the settings file beside it, if any, then the one
/// this project keeps for its vendor (`xtask/corpus-settings/<vendor>.yaml`), since `../shared` is not
/// ours to edit. Those say only what a spec leaves open (where a paged list is).
pub fn options(root: &Path, spec: &Path) -> Result<generator::Options> {
    let mut options = generator::Options::default().with_settings(spec)?;
    let names: Vec<String> = spec.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let vendor = names.iter().position(|n| n.starts_with("real-world")).and_then(|i| names.get(i + 1));
    if let Some(file) =
        vendor.map(|v| root.join("xtask/corpus-settings").join(format!("{v}.yaml"))).filter(|f| f.is_file())
    {
        options = options.with_settings_file(&file)?;
    }
    Ok(options)
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect())
}

fn is_spec(p: &Path) -> bool {
    p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

/// What happened to one spec.
pub struct Outcome {
    /// Whether it generated and (if asked) linted clean.
    pub passed: bool,
    /// The line printed for it.
    pub line: String,
}

/// Generates (and, when `lint` says so for its name, lints) each spec whose name contains one of `only`
/// (all when empty). Returns the outcomes; prints a line per spec as it goes.
pub fn run(
    root: &Path,
    shared: &Path,
    only: &[String],
    lint: &dyn Fn(&str) -> bool,
    tags: &dyn Fn(&str) -> Option<Vec<String>>,
) -> Result<Vec<Outcome>> {
    let specs = specs(shared)?;
    let chosen: Vec<&Spec> =
        specs.iter().filter(|s| only.is_empty() || only.iter().any(|o| s.name.contains(o.as_str()))).collect();
    anyhow::ensure!(!chosen.is_empty(), "no spec of the corpus matches {only:?}");
    let base = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
    let target = root.join("target/corpus");
    let mut outcomes = Vec::new();
    for spec in chosen {
        let dir = base.join(spec.name.replace('/', "-"));
        let outcome = one(root, spec, &dir, &target, lint(&spec.name), tags(&spec.name));
        println!("{}", outcome.line);
        outcomes.push(outcome);
    }
    let _ = std::fs::remove_dir_all(&base);
    let passed = outcomes.iter().filter(|o| o.passed).count();
    println!("corpus: {passed} passed, {} failed", outcomes.len() - passed);
    Ok(outcomes)
}

/// The first generated file that names SailPoint, its hosts, its `SAIL_*` variables or its CLI's file,
/// and the word found (the preamble's spec path is left out: it names the spec, not the crate's behaviour).
fn sailpoint_trace(files: &generator::fileset::FileSet) -> Option<(String, String)> {
    const WORDS: &[&str] = &["sailpoint", "identitynow", "sail_", ".sailpoint", "sail cli"];
    for (path, text) in &files.files {
        let lower = text.to_ascii_lowercase();
        let body =
            lower.lines().filter(|l| !l.contains("generated by `cargo xtask generate`")).collect::<Vec<_>>().join("\n");
        if let Some(word) = WORDS.iter().find(|w| body.contains(*w)) {
            return Some((path.clone(), word.to_string()));
        }
    }
    None
}

fn one(root: &Path, spec: &Spec, dir: &Path, target: &Path, lint: bool, tags: Option<Vec<String>>) -> Outcome {
    let fail = |line: String| Outcome { passed: false, line };
    let started = Instant::now();
    let generated = (|| -> Result<generator::Output> {
        let inputs = generator::load_inputs(&spec.path, None)?;
        let options = options(root, &spec.path)?;
        Ok(generator::generate(&inputs, &options)?)
    })();
    let took = started.elapsed().as_secs_f64();
    let output = match generated {
        Ok(o) => o,
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            let n = e.to_string().lines().count();
            return fail(format!("FAIL {:<28} generate: {n} error(s), first: {first}", spec.name));
        }
    };
    let lines = crate::synth::rust_lines(&output);
    let summary = format!(
        "{:<28} generated in {took:.2} s: {} files, {lines} lines of Rust, {} warnings",
        spec.name,
        output.files.files.len(),
        output.warnings.len()
    );
    // Another vendor's crate carries nothing of SailPoint's: no name, variable or path.
    if !spec.name.starts_with("sailpoint/")
        && let Some((path, word)) = sailpoint_trace(&output.files)
    {
        return fail(format!("FAIL {summary}; {path} mentions `{word}`, a SailPoint name"));
    }
    if !lint {
        return Outcome { passed: true, line: format!("ok   {summary}") };
    }
    let written = (|| -> Result<()> {
        let _ = std::fs::remove_dir_all(dir);
        output.files.write(dir)?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        Ok(())
    })();
    if let Err(e) = written {
        return fail(format!("FAIL {summary}; writing the crate: {e:#}"));
    }
    let started = Instant::now();
    let result = std::process::Command::new(crate::cargo())
        .args(["clippy", "--quiet", "--lib", "--target-dir"])
        .arg(target)
        .args(["--", "-D", "warnings"])
        .current_dir(dir)
        .output();
    let took = started.elapsed().as_secs_f64();
    match result {
        Ok(o) if o.status.success() => match tags {
            // Then each chosen tag feature alone (every tag when none is named).
            Some(only) => match crate::tags::check(dir, target, &only) {
                Ok(()) => Outcome {
                    passed: true,
                    line: format!("ok   {summary}; clippy clean in {took:.1} s, tags alone too"),
                },
                Err(e) => fail(format!("FAIL {summary}; clippy clean in {took:.1} s, but {e:#}")),
            },
            None => Outcome { passed: true, line: format!("ok   {summary}; clippy clean in {took:.1} s") },
        },
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let errors: Vec<&str> =
                stderr.lines().filter(|l| l.starts_with("error") || l.starts_with("warning")).collect();
            let first = stderr
                .lines()
                .position(|l| l.starts_with("error"))
                .map(|i| stderr.lines().skip(i).take(6).collect::<Vec<_>>().join("\n    "))
                .unwrap_or_default();
            fail(format!("FAIL {summary}; clippy: {} diagnostics in {took:.1} s, first:\n    {first}", errors.len()))
        }
        Err(e) => fail(format!("FAIL {summary}; could not run cargo clippy: {e}")),
    }
}

#[cfg(test)]
mod trace_tests {
    use super::*;

    fn set(text: &str) -> generator::fileset::FileSet {
        generator::fileset::FileSet { files: [("src/lib.rs".to_string(), text.to_string())].into() }
    }

    #[test]
    fn a_sailpoint_name_is_found_and_the_preamble_is_not_one() {
        assert_eq!(sailpoint_trace(&set("// x\nconst A: &str = \"SAIL_BASE_URL\";")).unwrap().1, "sail_");
        assert!(
            sailpoint_trace(&set(
                "// Generated by `cargo xtask generate` from sailpoint.yaml. Do not edit.\nfn f() {}"
            ))
            .is_none()
        );
        assert!(sailpoint_trace(&set("https://{tenant}.api.identitynow.com")).is_some());
    }
}
