//! Rendering: the IR -> every file of the generated crate, as a [`FileSet`].
//!
//! `rust` renders Rust through Askama and `format` turns it into formatted source; `docs` renders the
//! Markdown pages; `text` makes spec prose safe for both. Every file gets the preamble naming its spec.

pub mod docs;
pub mod format;
pub mod rust;
pub mod text;

use crate::error::Error;
use crate::fileset::FileSet;
use crate::fileset::sha256_hex;
use crate::ir::{Api, Crate};

/// Which specs a file comes from, for its preamble.
fn sources(krate: &Crate, api: Option<&Api>) -> String {
    match api {
        Some(a) => format!("{} (sha256 {})", a.source.path, a.source.sha256),
        None => {
            let list: Vec<&str> = krate.apis.values().map(|a| a.source.path.as_str()).collect();
            let digest_input: String =
                krate.apis.values().map(|a| format!("{} {}\n", a.source.path, a.source.sha256)).collect();
            format!("{} (combined sha256 {})", list.join(", "), sha256_hex(digest_input.as_bytes()))
        }
    }
}

/// Renders the whole crate.
pub fn render(krate: &Crate) -> Result<FileSet, Error> {
    let mut set = FileSet::default();
    let all = sources(krate, None);
    let features = crate::features::Features::of(krate);
    let pages =
        docs::pages(krate, &features, &|api| format::preamble("#", &sources(krate, api)).trim_end().to_string());
    let page_cfg = |path: &str| -> Option<String> {
        let (module, rest) = path.strip_prefix("docs/")?.split_once('/')?;
        let api = krate.apis.get(module)?;
        let version = format!("feature = {}", text::rust_str(module));
        // A method page needs its tag, a model page any tag that compiles the model.
        let tag = api.tags.iter().find(|t| rest == format!("{}.md", t.type_name)).and_then(|t| features.tag(&t.module));
        let model = rest
            .strip_prefix("models/")
            .and_then(|r| r.strip_suffix(".md"))
            .and_then(|name| features.model(module, name))
            .map(crate::features::any);
        Some(match tag.map(|t| crate::features::any(&[t])).or(model) {
            Some(more) => format!("all({version}, {more})"),
            None => version,
        })
    };
    let doc_pages: Vec<rust::DocPage> = pages
        .iter()
        .filter(|p| p.text.contains("```rust"))
        .map(|p| rust::DocPage {
            path: p.path.clone(),
            cfg: page_cfg(&p.path),
            ident: p
                .path
                .trim_start_matches("docs/")
                .trim_end_matches(".md")
                .split(['/', '-', '.'])
                .map(|s| {
                    let mut c = s.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
                })
                .collect::<String>(),
        })
        .collect();
    // Every chunk of every Rust file is formatted independently, on all cores.
    let files = rust::files(krate, &features, doc_pages);
    let chunks: Vec<(usize, &str)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.verbatim)
        .flat_map(|(i, f)| f.text.split(format::CHUNK).map(move |c| (i, c)))
        .collect();
    let formatted = format::parallel(&chunks, |(i, c)| format::rust(c, files[*i].template, &files[*i].path))?;
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    for ((i, _), f) in chunks.iter().zip(formatted) {
        texts[*i].push(f);
    }
    for (file, parts) in files.iter().zip(texts) {
        if file.verbatim {
            // The embedded runtime: its source as the runtime crate has it, comments included.
            set.files.insert(file.path.clone(), format!("{}\n{}", format::preamble("//", &all), file.text));
            continue;
        }
        let api = file.path.strip_prefix("src/").and_then(|p| p.split_once('/')).and_then(|(m, _)| krate.apis.get(m));
        let body: Vec<&str> = parts.iter().map(|s| s.trim_end()).filter(|s| !s.is_empty()).collect();
        let text = format!("{}\n{}\n", format::preamble("//", &sources(krate, api)), body.join("\n"));
        set.files.insert(file.path.clone(), text);
    }
    set.files.insert("README.md".into(), rust::readme(krate, &features, format::preamble("<!--", &all)));
    set.files.insert(
        "Cargo.toml".into(),
        format!("{}\n{}\n", format::preamble("#", &all), rust::cargo_toml(krate, &features).trim_end()),
    );
    for page in pages {
        set.files.insert(page.path, page.text);
    }
    Ok(set.with_manifest(&format::preamble("#", &all)))
}
