//! `cargo xtask docs`: builds a generated crate's `docs/` folder into a website with Docusaurus 3, the
//! way SailPoint's developer site is built, so the pages are proven to compile as MDX (where `{` starts
//! an expression and `<` a tag) and every link and anchor resolves (`onBrokenLinks` and
//! `onBrokenAnchors` throw). The site (`xtask/docsite/`) pins its packages with a lock file and installs
//! them itself with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, ensure};

/// Builds `docs` (a generated crate's docs folder) into `target/docsite/<name>`; returns that folder.
pub fn build(root: &Path, docs: &Path) -> Result<PathBuf> {
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
    ensure!(pages > 0, "Docusaurus wrote no HTML pages into {}", out.display());
    eprintln!(
        "docs site: {} built by Docusaurus into {} in {:.1} s: {pages} HTML pages, 0 broken links or anchors",
        docs.display(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(out)
}

/// The spec the repository's own docs folders come from: `spec/` for `generated/docs`, the fixtures for
/// the golden crate's docs.
pub fn own_spec(root: &Path, docs: &Path) -> Option<PathBuf> {
    if docs == root.join("generated/docs") {
        Some(root.join("spec"))
    } else if docs == root.join("generator/tests/golden/docs") {
        Some(root.join("generator/tests/fixtures"))
    } else {
        None
    }
}

/// Checks the built site `site` as rendered in headless Chromium against what the IR of `spec` says each
/// page must show (`generator::site_map`), and screenshots a method page and a model page
/// into `<site>-screenshots/`.
pub fn check(root: &Path, site: &Path, spec: &Path) -> Result<()> {
    let inputs = generator::load_inputs(spec, Some(root))?;
    let krate = generator::lower_all(&inputs, &generator::Options::default().with_settings(spec)?)?;
    let map = generator::site_map(&krate);
    let map_file = site.with_extension("site-map.json");
    std::fs::write(&map_file, serde_json::to_vec_pretty(&map)?)?;
    let chromium = ensure_chromium()?;
    let shots = PathBuf::from(format!("{}-screenshots", site.display()));
    let started = Instant::now();
    let status = Command::new("node")
        .arg(root.join("xtask/docsite/check.mjs"))
        .arg(site)
        .arg(&map_file)
        .arg(&shots)
        .env("CHROMIUM", chromium)
        .current_dir(root.join("xtask/docsite"))
        .status()
        .context("could not run node")?;
    ensure!(
        status.success(),
        "the rendered pages of {} do not show what {} says (see above)",
        site.display(),
        spec.display()
    );
    eprintln!("    rendered-page check took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Debian's Chromium, installed with apt when it is missing (as root, or through sudo).
fn ensure_chromium() -> Result<PathBuf> {
    let path = PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    if path.exists() {
        return Ok(path);
    }
    eprintln!("==> installing Debian's chromium package (apt-get) for the rendered-page check");
    apt_install(&["chromium"])?;
    ensure!(path.exists(), "apt-get installed chromium, but {} is not there", path.display());
    Ok(path)
}

/// Installs Debian packages with apt-get (as root, or through sudo): what CI's clean machine may lack.
pub fn apt_install(packages: &[&str]) -> Result<()> {
    let root_user = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = if root_user { Command::new("apt-get") } else { Command::new("sudo") };
        if !root_user {
            cmd.arg("apt-get");
        }
        let status = cmd
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(std::process::Stdio::null())
            .status()
            .context("could not run apt-get")?;
        ensure!(status.success(), "apt-get {} failed ({status})", args.join(" "));
        Ok(())
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    apt(&install)
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
