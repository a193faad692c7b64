//! `cargo xtask conformance` and `cargo xtask lint`: external judges of the generated client and of
//! `spec/`, installed from the pinned `xtask/conformance/package-lock.json` into that folder.
//!
//! Conformance serves each of SailPoint's upstream documents with Stoplight Prism on 127.0.0.1 and runs
//! the driver (`generated/examples/conformance.rs`) against it. Prism routes paths without the server
//! URL's path (`/v3`), so it is given a copy of the document whose paths carry that prefix, as the real
//! server does; schemas, parameters and responses are untouched.

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_norway::Value;

/// The upstream documents and the module each is checked against.
const VERSIONS: &[(&str, &str)] =
    &[("v3.yaml", "v3"), ("v2024.yaml", "v2024"), ("v2025.yaml", "v2025"), ("resource-v1.yaml", "v1")];

/// Environment that keeps the Node tools from phoning home (the network is closed anyway).
const QUIET: &[(&str, &str)] = &[
    ("SCARF_ANALYTICS", "false"),
    ("DO_NOT_TRACK", "1"),
    ("REDOCLY_TELEMETRY", "off"),
    ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
    ("NO_UPDATE_NOTIFIER", "1"),
];

fn tools_dir(root: &Path) -> PathBuf {
    root.join("xtask/conformance")
}

/// Installs the pinned tools with `npm ci` unless the installed ones match the lock file.
pub fn install_tools(root: &Path) -> Result<PathBuf> {
    npm_ci(&tools_dir(root), &["prism", "redocly"], "the pinned Prism and Redocly CLI")
}

/// Runs `npm ci` in `dir` (a folder with a `package-lock.json`) unless what is installed matches the lock
/// file and has every one of `bins`; returns the folder of the installed commands.
pub fn npm_ci(dir: &Path, bins: &[&str], what: &str) -> Result<PathBuf> {
    let lock =
        std::fs::read(dir.join("package-lock.json")).with_context(|| format!("{}/package-lock.json", dir.display()))?;
    let digest = generator::fileset::sha256_hex(&lock);
    let marker = dir.join("node_modules/.xtask-lock-sha256");
    let bin = dir.join("node_modules/.bin");
    let current = std::fs::read_to_string(&marker).unwrap_or_default();
    if current.trim() != digest || bins.iter().any(|b| !bin.join(b).exists()) {
        eprintln!("==> installing {what} into {} (npm ci)", dir.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir)
            .envs(QUIET.iter().copied())
            .status()
            .context("could not run npm (Node.js and npm are needed for the node tools)")?;
        ensure!(status.success(), "npm ci failed ({status})");
        std::fs::write(&marker, &digest)?;
    }
    Ok(bin)
}

/// Lints every spec file with Redocly's recommended rules; any error fails.
pub fn lint(root: &Path) -> Result<()> {
    let bin = install_tools(root)?;
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("spec"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| p.file_name().is_none_or(|n| n != generator::SETTINGS_FILE))
        .collect();
    specs.sort();
    let status = Command::new(bin.join("redocly"))
        .arg("lint")
        .args(&specs)
        .current_dir(root)
        .envs(QUIET.iter().copied())
        .status()
        .context("could not run redocly")?;
    ensure!(status.success(), "redocly lint found errors in spec/");
    Ok(())
}

/// Kills Prism when dropped, also when the run fails.
struct Prism {
    child: Child,
    log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    fn start(bin: &Path, document: &Path, port: u16, log: PathBuf) -> Result<Prism> {
        let out = std::fs::File::create(&log)?;
        let child = Command::new(bin.join("prism"))
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--seed", "20261122"])
            .arg(document)
            .envs(QUIET.iter().copied())
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .context("could not start prism")?;
        let mut prism = Prism { child, log };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = prism.child.try_wait()? {
                bail!("prism exited early ({status}):\n{}", prism.log_tail());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if Instant::now() > deadline {
                bail!("prism did not answer on port {port} within 90 s:\n{}", prism.log_tail());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A copy of an upstream document whose paths carry the first server URL's path, and the documented
/// (operationId, status) pairs.
fn prepare(document: &Path, out: &Path) -> Result<BTreeSet<(String, u16)>> {
    let text = std::fs::read_to_string(document).with_context(|| format!("{}", document.display()))?;
    let mut doc: Value = serde_norway::from_str(&text).with_context(|| format!("{}", document.display()))?;
    let url = doc["servers"][0]["url"].as_str().unwrap_or("").to_string();
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let prefix = after_scheme.find('/').map_or("", |i| &after_scheme[i..]).trim_end_matches('/').to_string();
    let mut expected = BTreeSet::new();
    let Some(Value::Mapping(paths)) = doc.get_mut("paths") else { bail!("{}: no paths", document.display()) };
    let mut folded = serde_norway::Mapping::new();
    for (path, item) in std::mem::take(paths) {
        for (_, op) in item.as_mapping().into_iter().flatten() {
            let (Some(id), Some(responses)) = (op.get("operationId").and_then(Value::as_str), op.get("responses"))
            else {
                continue;
            };
            for code in
                responses.as_mapping().into_iter().flatten().filter_map(|(k, _)| k.as_str()?.parse::<u16>().ok())
            {
                expected.insert((id.to_string(), code));
            }
        }
        folded.insert(Value::String(format!("{prefix}{}", path.as_str().unwrap_or(""))), item);
    }
    *paths = folded;
    std::fs::write(out, serde_norway::to_string(&doc)?)?;
    Ok(expected)
}

/// Runs the conformance suite against every upstream document in `upstream`.
pub fn run(root: &Path, upstream: &Path) -> Result<()> {
    let bin = install_tools(root)?;
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work)?;
    let cargo = crate::cargo();
    let status = Command::new(&cargo)
        .args(["build", "--quiet", "--package", "sailpoint-pat", "--example", "conformance"])
        .current_dir(root)
        .status()?;
    ensure!(status.success(), "the conformance driver does not build");
    let mut failed = Vec::new();
    for (file, module) in VERSIONS {
        let source = upstream.join(file);
        let document = work.join(file);
        let expected = prepare(&source, &document)?;
        let operations: BTreeSet<&str> = expected.iter().map(|(id, _)| id.as_str()).collect();
        let port = free_port()?;
        let prism = Prism::start(&bin, &document, port, work.join(format!("prism-{module}.log")))?;
        let output = Command::new(&cargo)
            .args(["run", "--quiet", "--package", "sailpoint-pat", "--example", "conformance", "--"])
            .args([module.to_string(), format!("http://127.0.0.1:{port}")])
            .current_dir(root)
            .output()?;
        let log = prism.log_tail();
        drop(prism);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut exercised = BTreeSet::new();
        let mut failures = Vec::new();
        let mut violations = 0usize;
        for line in stdout.lines() {
            if let Some(rest) = line.strip_prefix("exercised ") {
                if let Some((id, code)) = rest.split_once(' ') {
                    exercised.insert((id.to_string(), code.parse::<u16>().unwrap_or(0)));
                }
            } else if let Some(f) = line.strip_prefix("failure: ") {
                failures.push(f.to_string());
            } else if let Some(v) = line.strip_prefix("violations ") {
                violations = v.parse().unwrap_or(usize::MAX);
            }
        }
        let ops_done = operations.iter().filter(|op| exercised.iter().any(|(id, _)| id == *op)).count();
        let missing: Vec<String> = expected.difference(&exercised).map(|(id, code)| format!("{id} {code}")).collect();
        println!(
            "{module} ({file}): operations exercised {ops_done}/{}, responses exercised {}/{}, violations {violations}",
            operations.len(),
            expected.intersection(&exercised).count(),
            expected.len()
        );
        for f in &failures {
            println!("    failure: {f}");
        }
        if !missing.is_empty() {
            println!("    not exercised: {}", missing.join(", "));
        }
        if !output.status.success() || !failures.is_empty() || !missing.is_empty() || violations != 0 {
            if !output.status.success() && failures.is_empty() {
                println!("    driver failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr));
            }
            println!("    prism log (last lines):\n{log}");
            failed.push(*module);
        }
    }
    println!("conformance: {} passed, {} failed", VERSIONS.len() - failed.len(), failed.len());
    ensure!(failed.is_empty(), "conformance failed for {}", failed.join(", "));
    Ok(())
}
