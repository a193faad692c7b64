//! The generator's modules point one way: read -> bundle -> parse -> lower -> render -> write. This reads
//! every module's source (its code outside `#[cfg(test)]`), collects the `crate::<module>` paths it uses,
//! and fails on any import circle between top-level modules, and on `render` reaching back into `lower`,
//! `parse` or `bundle`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its non-test code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let module =
                rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            if module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Code only: tests and comments (doc links such as [`crate::bundle`]) are not imports.
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let uses = out.entry(module.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let name: String =
                    code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                let is_module = src.join(format!("{name}.rs")).exists() || src.join(&name).is_dir();
                if !name.is_empty() && is_module && name != module {
                    uses.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn the_generator_modules_have_no_import_circle() {
    let g = graph();
    assert!(g.len() >= 8, "found the modules: {g:?}");
    // Depth-first search for a cycle, reporting it as a path.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(cycle) = visit(m, &g, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn render_reads_only_the_ir() {
    let g = graph();
    let render = &g["render"];
    for back in ["lower", "parse", "bundle", "yaml", "source"] {
        assert!(!render.contains(back), "render uses crate::{back}: {render:?}");
    }
}
