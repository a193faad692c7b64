//! The SailPoint PAT SDK generator: OpenAPI 3.0 spec files -> a Rust client crate and Markdown docs.
//!
//! The flow is one-way: [`parse`] (YAML -> `openapiv3`), [`lower`] (-> the [`ir`]), [`render`]
//! (IR -> Askama templates -> formatted Rust and Markdown), [`fileset`] (write atomically, or check for
//! drift). [`generate`] runs all of it in memory; nothing touches the disk until the caller writes.

pub mod bundle;
pub mod error;
pub mod fileset;
pub mod ir;
pub mod lower;
pub mod parse;
pub mod render;
pub mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Error, SpecError, SpecErrors};
pub use fileset::{Drift, FileSet, WriteReport};

/// One spec file to generate from.
#[derive(Debug, Clone)]
pub struct SpecInput {
    /// Path shown in messages and preambles (relative, with `/`).
    pub display: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Rust module name for this version.
    pub module: String,
    /// The folder references to other files are resolved from (`None`: only local references).
    pub dir: Option<PathBuf>,
}

/// What to call the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Crate (package) name.
    pub crate_name: String,
    /// Crate version.
    pub crate_version: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { crate_name: "sailpoint-pat".into(), crate_version: "0.1.0".into() }
    }
}

/// The result of a generation: the files, and the tolerated oddities per spec file.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every generated file.
    pub files: FileSet,
    /// Warnings, each naming the file, line and pointer it is about.
    pub warnings: Vec<ir::Warning>,
}

/// The module name a spec file gets from its file name (`v2024.yaml` -> `v2024`).
pub fn module_for(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let m = lower::names::snake_ident(stem);
    match m.strip_prefix("n_") {
        Some(rest) => format!("v{rest}"),
        None => m,
    }
}

/// Reads a spec file, or every `.yaml`/`.yml`/`.json` file of a folder (sorted). `display_root` is
/// stripped from paths shown in messages, so output does not depend on where the checkout lives.
pub fn load_inputs(path: &Path, display_root: Option<&Path>) -> Result<Vec<SpecInput>, Error> {
    let io = |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), source: e };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io(path, e))? {
            let p = entry.map_err(|e| io(path, e))?.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if p.is_file() && matches!(ext, "yaml" | "yml" | "json") {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(Error::Usage(format!("{}: no .yaml, .yml or .json spec files in this folder", path.display())));
        }
    } else {
        files.push(path.to_path_buf());
    }
    let mut inputs: Vec<SpecInput> = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| io(&f, e))?;
        let shown = display_root.and_then(|r| f.strip_prefix(r).ok()).unwrap_or(&f);
        let display = shown.to_string_lossy().replace('\\', "/");
        let module = module_for(&f);
        if let Some(other) = inputs.iter().find(|i| i.module == module) {
            return Err(Error::Usage(format!(
                "{display} and {} would both become the module `{module}`",
                other.display
            )));
        }
        inputs.push(SpecInput { display, bytes, module, dir: f.parent().map(Path::to_path_buf) });
    }
    Ok(inputs)
}

/// Parses and lowers every input into the IR; the errors of every input are reported together.
pub fn lower_all(inputs: &[SpecInput], options: &Options) -> Result<ir::Crate, Error> {
    let mut apis = BTreeMap::new();
    let mut errors = Vec::new();
    for input in inputs {
        let lowered = parse::parse_in(&input.display, &input.bytes, input.dir.as_deref())
            .and_then(|doc| lower::lower(&doc, &input.module));
        match lowered {
            Ok(api) => {
                apis.insert(input.module.clone(), api);
            }
            Err(SpecErrors(e)) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Spec(SpecErrors(errors)));
    }
    Ok(ir::Crate { name: options.crate_name.clone(), version: options.crate_version.clone(), apis })
}

/// Generates every file in memory.
pub fn generate(inputs: &[SpecInput], options: &Options) -> Result<Output, Error> {
    let krate = lower_all(inputs, options)?;
    let files = render::render(&krate)?;
    let warnings = krate.apis.values().flat_map(|a| a.warnings.iter().cloned()).collect();
    Ok(Output { files, warnings })
}
