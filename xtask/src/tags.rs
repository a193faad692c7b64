//! Tag features checked as a downstream build sees them: a generated crate with one cargo feature per
//! tag is linted with clippy `-D warnings` once per chosen tag, with only that tag (and every version)
//! on. `cargo xtask test` does it for every tag of the fixtures' crate and a sample of SailPoint's full
//! v3 crate; `cargo xtask tags --crate DIR` does any crate, every tag by default (a release check).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, ensure};

/// The version and tag features a generated manifest declares, read from the comments the generator
/// writes above each.
pub fn declared(manifest: &str) -> (Vec<String>, Vec<String>) {
    let (mut versions, mut tags) = (Vec::new(), Vec::new());
    let mut comment = String::new();
    for line in manifest.lines() {
        if let Some(c) = line.strip_prefix('#') {
            comment.push_str(c);
            continue;
        }
        if let Some(name) = line.strip_suffix(" = []") {
            if comment.contains("API version (module") {
                versions.push(name.to_string());
            } else if comment.contains("The operations tagged") {
                tags.push(name.to_string());
            }
        }
        comment.clear();
    }
    (versions, tags)
}

/// Lints the crate in `dir` once per tag of `only` (every tag when empty) with only that tag on;
/// `target` is the cargo target folder. Prints a line per tag; fails if any is not clean.
pub fn check(dir: &Path, target: &Path, only: &[String]) -> Result<()> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).with_context(|| dir.display().to_string())?;
    let (versions, tags) = declared(&manifest);
    ensure!(!tags.is_empty(), "{} has no tag features (a crate with one tag has none)", dir.display());
    for o in only {
        ensure!(tags.contains(o), "{} has no tag feature `{o}`", dir.display());
    }
    let chosen: Vec<&String> = tags.iter().filter(|t| only.is_empty() || only.contains(t)).collect();
    let mut failed = Vec::new();
    let started = Instant::now();
    for tag in &chosen {
        let features = format!("{},{tag},rustls-ring", versions.join(","));
        let one = Instant::now();
        let output = Command::new(crate::cargo())
            .args(["clippy", "--quiet", "--lib", "--no-default-features", "--features", &features, "--target-dir"])
            .arg(target)
            .args(["--", "-D", "warnings"])
            .current_dir(dir)
            .output()
            .context("could not run cargo clippy")?;
        let took = one.elapsed().as_secs_f64();
        if output.status.success() {
            println!("ok   tag {tag} alone: clippy -D warnings clean in {took:.1} s");
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first: Vec<&str> = stderr.lines().take(12).collect();
            println!("FAIL tag {tag} alone ({took:.1} s):\n    {}", first.join("\n    "));
            failed.push(tag.to_string());
        }
    }
    println!(
        "tags: {} of {} tags of {} checked alone in {:.1} s, {} failed",
        chosen.len(),
        tags.len(),
        dir.display(),
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    ensure!(failed.is_empty(), "tag features that do not build alone: {}", failed.join(", "));
    Ok(())
}

/// Builds the fixtures' crate's rustdoc as docs.rs does (`--cfg docsrs`, with the stable compiler's
/// bootstrap switch for `doc_cfg`) and checks that a model only the `pets` tag reaches, the `pets` handle
/// and a model of the `default` tag show the badge naming their feature.
pub fn doc_badges(root: &Path) -> Result<()> {
    let target = root.join("target/docsrs");
    let output = Command::new(crate::cargo())
        .args(["doc", "--quiet", "--no-deps", "--package", "fixtures-golden", "--target-dir"])
        .arg(&target)
        .env("RUSTDOCFLAGS", "--cfg docsrs")
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(root)
        .output()
        .context("could not run cargo doc")?;
    ensure!(
        output.status.success(),
        "cargo doc with --cfg docsrs failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = target.join("doc/fixtures_golden");
    for (page, feature) in [
        ("compositions/models/struct.Pet.html", "pets"),
        ("compositions/pets/struct.PetsApi.html", "pets"),
        ("bounds/models/struct.Order.html", "default-api"),
    ] {
        let html = std::fs::read_to_string(doc.join(page)).with_context(|| format!("rustdoc wrote no {page}"))?;
        let badge = format!("<code>{feature}</code>");
        ensure!(
            html.contains("Available on") && html.contains(&badge),
            "rustdoc's {page} does not say it needs the `{feature}` feature"
        );
    }
    println!("docs.rs-style rustdoc: the feature badges are on the gated items");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_and_tags_are_told_apart_by_their_comments() {
        let manifest = "[features]\ndefault = [\"v3\"]\n# The `v3` API version (module `v3`); ...\nv3 = []\n# The operations tagged Pets, and the models they reach; a program\n# the others out.\npets = []\n# The models no operation reaches.\nunreferenced-models = []\nblocking = [\"tokio/rt\"]\n";
        let (v, t) = super::declared(manifest);
        assert_eq!(v, ["v3"]);
        assert_eq!(t, ["pets"]);
    }
}
