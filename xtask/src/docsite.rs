//! `cargo xtask docs`: builds a generated crate's `docs/` folder into a website with Docusaurus 3, the
//! way SailPoint's developer site is built, so the pages are proven to compile as MDX (where `{` starts
//! an expression and `<` a tag) and every link and anchor resolves (`onBrokenLinks` and
//! `onBrokenAnchors` throw). The site (`xtask/docsite/`) pins its packages with a lock file and installs
//! them itself with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, ensure};

/// Builds `docs` (a generated crate's docs folder) into `target/docsite/<name>`; returns the number of
/// HTML pages written.
pub fn build(root: &Path, docs: &Path) -> Result<usize> {
    ensure!(docs.join("README.md").is_file(), "{} has no README.md: not a generated docs folder", docs.display());
    let site = root.join("xtask/docsite");
    let bin = crate::conformance::npm_ci(&site, &["docusaurus"], "the pinned Docusaurus 3 site")?;
    let name = docs.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let out = root.join("target/docsite").join(if name.is_empty() { "docs".to_string() } else { name });
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let output = Command::new(bin.join("docusaurus"))
        .args(["build", "--out-dir"])
        .arg(&out)
        .env("DOCS_DIR", docs.canonicalize().with_context(|| docs.display().to_string())?)
        .env("DOCUSAURUS_IGNORE_SSG_WARNINGS", "true")
        .current_dir(&site)
        .output()
        .context("could not run docusaurus")?;
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr);
        let interesting: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("Error") || l.contains("Broken") || l.contains("->") || l.contains("Cause"))
            .take(40)
            .collect();
        anyhow::bail!("Docusaurus could not build {}:\n{}", docs.display(), interesting.join("\n"));
    }
    let pages = html_pages(&out);
    eprintln!(
        "docs site: {} built by Docusaurus into {} in {:.1} s: {pages} HTML pages, 0 broken links or anchors",
        docs.display(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(pages)
}

fn html_pages(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                n += 1;
            }
        }
    }
    n
}
