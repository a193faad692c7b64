//! The generator's output as data, and the two things done with it: write it (atomically, removing
//! files that no longer belong) or check it against what is on disk.
//!
//! A [`FileSet`] maps paths relative to the output folder to contents. The generator owns the paths
//! listed in the manifest file [`MANIFEST`] (itself part of the set); everything else in the output
//! folder, such as hand-written tests, is never touched.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The file listing every generated path, one per line.
pub const MANIFEST: &str = ".generated-files";

/// Generated files: relative path (with `/`) -> contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSet {
    /// The files, sorted by path.
    pub files: BTreeMap<String, String>,
}

/// What differs between a [`FileSet`] and a folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drift {
    /// Files whose contents differ: path and a short diff.
    pub stale: Vec<(String, String)>,
    /// Files that should exist and do not.
    pub missing: Vec<String>,
    /// Files the previous generation wrote that no longer belong.
    pub extra: Vec<String>,
}

impl Drift {
    /// No difference at all.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (path, diff) in &self.stale {
            writeln!(f, "stale:   {path}")?;
            for line in diff.lines() {
                writeln!(f, "         {line}")?;
            }
        }
        for path in &self.missing {
            writeln!(f, "missing: {path}")?;
        }
        for path in &self.extra {
            writeln!(f, "extra:   {path}")?;
        }
        Ok(())
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.display().to_string(), source }
}

impl FileSet {
    /// Adds the manifest listing every file.
    pub fn with_manifest(mut self, preamble: &str) -> Self {
        let mut listing = String::from(preamble);
        for path in self.files.keys() {
            listing.push_str(path);
            listing.push('\n');
        }
        listing.push_str(MANIFEST);
        listing.push('\n');
        self.files.insert(MANIFEST.to_string(), listing);
        self
    }

    /// The paths the previous generation in `out` owned, from its manifest.
    fn previous(out: &Path) -> Vec<String> {
        fs::read_to_string(out.join(MANIFEST))
            .map(|t| {
                t.lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty() && !l.contains(".."))
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Compares with the folder `out`.
    pub fn check(&self, out: &Path) -> Drift {
        let mut drift = Drift::default();
        for (path, want) in &self.files {
            match fs::read_to_string(out.join(path)) {
                Ok(have) if &have == want => {}
                Ok(have) => drift.stale.push((path.clone(), short_diff(&have, want))),
                Err(_) => drift.missing.push(path.clone()),
            }
        }
        for path in Self::previous(out) {
            if !self.files.contains_key(&path) && out.join(&path).exists() {
                drift.extra.push(path);
            }
        }
        drift
    }

    /// Writes into `out`: every file is first written beside its target and then renamed over it, only
    /// files whose contents changed are touched, and files of the previous generation that no longer
    /// belong are removed last. Nothing is written until the whole set exists in memory, so a failing
    /// generation never leaves the folder half-written.
    pub fn write(&self, out: &Path) -> Result<WriteReport, Error> {
        let mut report = WriteReport::default();
        let previous = Self::previous(out);
        // Stage every changed file first.
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let result = (|| {
            for (path, contents) in &self.files {
                let target = out.join(path);
                if fs::read_to_string(&target).ok().as_deref() == Some(contents.as_str()) {
                    continue;
                }
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
                }
                let tmp = target.with_file_name(format!(
                    ".{}.tmp-{}",
                    target.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
                    std::process::id()
                ));
                fs::write(&tmp, contents).map_err(|e| io(&tmp, e))?;
                staged.push((tmp, target));
                report.written.push(path.clone());
            }
            Ok(())
        })();
        if let Err(e) = result {
            for (tmp, _) in &staged {
                let _ = fs::remove_file(tmp);
            }
            return Err(e);
        }
        for (tmp, target) in &staged {
            fs::rename(tmp, target).map_err(|e| io(target, e))?;
        }
        for path in previous {
            if !self.files.contains_key(&path) {
                let target = out.join(&path);
                if target.exists() {
                    fs::remove_file(&target).map_err(|e| io(&target, e))?;
                    report.removed.push(path.clone());
                    // Remove folders left empty.
                    let mut dir = target.parent();
                    while let Some(d) = dir {
                        if d == out || fs::remove_dir(d).is_err() {
                            break;
                        }
                        dir = d.parent();
                    }
                }
            }
        }
        Ok(report)
    }
}

/// What [`FileSet::write`] changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteReport {
    /// Files written (new or changed).
    pub written: Vec<String>,
    /// Files removed.
    pub removed: Vec<String>,
}

/// A few lines around the first difference.
fn short_diff(have: &str, want: &str) -> String {
    let h: Vec<&str> = have.lines().collect();
    let w: Vec<&str> = want.lines().collect();
    let first = h.iter().zip(&w).position(|(a, b)| a != b).unwrap_or(h.len().min(w.len()));
    let mut out = format!("first difference at line {}:\n", first + 1);
    for line in h.iter().skip(first).take(3) {
        out.push_str(&format!("- {}\n", clip(line)));
    }
    for line in w.iter().skip(first).take(3) {
        out.push_str(&format!("+ {}\n", clip(line)));
    }
    out
}

fn clip(line: &str) -> String {
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
