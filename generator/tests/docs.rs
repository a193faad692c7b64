//! The Markdown docs in `generated/docs/`: one API page per tag and one page per model for every version,
//! the sections the SailPoint SDK pages have, front matter for the docs site, and links that resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("generated/docs")
}

fn pages() -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.insert(p.clone(), std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&docs(), &mut out);
    out
}

/// GitHub's heading anchors, written independently of the generator's.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') && !line.starts_with("#!") {
            out.insert(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// `[text](target)` links outside code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let end = after.find(')').expect("a link is closed");
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_link_resolves_to_a_page_and_heading() {
    let pages = pages();
    assert!(pages.len() > 50, "expected the docs of four versions, found {} pages", pages.len());
    let mut checked = 0;
    for (page, text) in &pages {
        for link in links(text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let (file, anchor) = link.split_once('#').map(|(f, a)| (f, Some(a))).unwrap_or((link.as_str(), None));
            let target = if file.is_empty() { page.clone() } else { page.parent().unwrap().join(file) };
            let target = target.canonicalize().unwrap_or_else(|_| panic!("{}: link to missing {link}", page.display()));
            let target_text =
                &pages.get(&target).unwrap_or_else(|| panic!("{}: {link} is not a docs page", page.display()));
            // `#` alone is the top of the page.
            if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                assert!(
                    anchors(target_text).contains(a),
                    "{}: anchor #{a} not in {}",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}

#[test]
fn every_version_has_an_api_page_and_a_page_per_model() {
    for version in ["v1", "v2024", "v2025", "v3"] {
        let dir = docs().join(version);
        let api = std::fs::read_to_string(dir.join("PersonalAccessTokensApi.md")).expect("API page");
        for section in [
            "All URIs are relative to *https://",
            "Method | HTTP request | Description",
            "### Parameters",
            "### Return type",
            "### Responses",
            "### HTTP request headers",
            "- **Content-Type**: application/json-patch+json",
            "### Example",
            "```rust no_run",
        ] {
            assert!(api.contains(section), "{version}: API page lacks `{section}`");
        }
        for method in [
            "list_personal_access_tokens",
            "create_personal_access_token",
            "patch_personal_access_token",
            "delete_personal_access_token",
        ] {
            assert!(api.contains(&format!("## {method}")), "{version}: no section for {method}");
        }
        // Every model of the version's Rust module has a page.
        let models = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join(format!("generated/src/{version}/models.rs")),
        )
        .unwrap();
        let mut count = 0;
        for line in models.lines() {
            for kind in ["pub struct ", "pub enum ", "pub type "] {
                if let Some(rest) = line.strip_prefix(kind) {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    let page = std::fs::read_to_string(dir.join("models").join(format!("{name}.md")))
                        .unwrap_or_else(|_| panic!("{version}: no page for model {name}"));
                    assert!(page.contains("## Example") && page.contains("```json"), "{version}/{name}: no example");
                    count += 1;
                }
            }
        }
        assert!(count >= 10, "{version}: only {count} models");
    }
}

#[test]
fn pages_have_docs_site_front_matter_and_no_upstream_defects() {
    for (page, text) in pages() {
        assert!(text.starts_with("---\n"), "{}: no front matter", page.display());
        let fm = &text[4..text[4..].find("\n---\n").expect("front matter closes") + 4];
        for key in [
            "id: ",
            "title: ",
            "pagination_label: ",
            "sidebar_label: ",
            "sidebar_class_name: ",
            "keywords: [",
            "slug: /",
            "tags: [",
        ] {
            assert!(fm.contains(key), "{}: front matter lacks {key}", page.display());
        }
        // Upstream pages carry a stray `}` line, unquoted list items and `# string` comments in code.
        assert!(!text.lines().any(|l| l.trim() == "}" && !text.contains("```")), "{}: stray brace", page.display());
        assert!(!text.contains("# string"), "{}: `# string` comment", page.display());
        for line in fm.lines().filter(|l| l.starts_with("keywords") || l.starts_with("tags")) {
            let inner = line.split_once('[').unwrap().1.trim_end_matches(']');
            assert!(
                inner.split(", ").all(|i| i.starts_with('\'') && i.ends_with('\'')),
                "{}: unquoted list item in {line}",
                page.display()
            );
        }
    }
}

#[test]
fn the_readme_shows_the_compiled_example_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("generated/examples/pat_lifecycle.rs")).unwrap();
    assert!(
        readme.contains(&format!("```rust\n{example}```")),
        "README.md must show generated/examples/pat_lifecycle.rs as it is"
    );
}

/// MDX (what Docusaurus reads `.md` with) takes `{` as the start of a JavaScript expression: outside
/// code, every brace on every page is escaped (a path such as `/personal-access-tokens/{id}` in a method
/// table once broke the build with "Could not parse expression with acorn").
#[test]
fn braces_outside_code_are_escaped_for_mdx() {
    let mut bad = Vec::new();
    for (path, text) in pages() {
        let mut fenced = false;
        let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
        for (n, line) in body.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            if fenced {
                continue;
            }
            // Drop inline code spans, then look for a brace without a backslash before it.
            let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
            let chars: Vec<char> = prose.chars().collect();
            if chars.iter().enumerate().any(|(i, c)| matches!(c, '{' | '}') && (i == 0 || chars[i - 1] != '\\')) {
                bad.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(bad.is_empty(), "unescaped braces outside code:\n{}", bad.join("\n"));
}
