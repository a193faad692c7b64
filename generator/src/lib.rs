//! The SDK generator: OpenAPI 3.0 spec files -> a Rust client crate and Markdown docs.
//!
//! The flow is one-way, one internal module a stage: `yaml` and `bundle` (read the files, resolve
//! references across them), `parse` (-> `openapiv3`), `lower` (-> the [`ir`]), `render` (IR -> Askama
//! templates -> formatted Rust and Markdown), [`fileset`] (write atomically, or check for drift).
//! [`generate`] runs all of it in memory; nothing touches the disk until the caller writes. The public
//! API is the IR, the [`diagnostics`], the file set, and the functions of this page.

// The public API is small: the IR (the contract every renderer reads), the diagnostics, writing and
// checking files, and the functions below. The stages themselves are internal.
pub(crate) mod bundle;
pub mod diagnostics;
pub mod error;
pub(crate) mod features;
pub mod fileset;
pub mod ir;
pub(crate) mod lower;
pub(crate) mod oas31;
pub(crate) mod parse;
pub(crate) mod render;
pub(crate) mod source;
pub(crate) mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Error, SpecError, SpecErrors};
pub use fileset::{Drift, FileSet, WriteReport};
pub use lower::paging::PagingSettings;
pub use render::docs::{SiteOperation, SitePage, site_map};
pub use render::rust::public_ty;
pub use source::Place;

/// One spec file to generate from.
#[derive(Debug, Clone)]
pub struct SpecInput {
    /// Path shown in messages and preambles (relative, with `/`).
    pub display: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The module name its file name gives (`v2024.yaml` -> `v2024`); [`lower_all`] names the module
    /// from the API's version or the settings instead when they say (see [`Output::modules`]).
    pub module: String,
    /// The folder references to other files are resolved from (`None`: only local references).
    pub dir: Option<PathBuf>,
}

/// What to call the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Crate (package) name; empty: taken from the first spec's `info.title` (see [`crate_name_for`]).
    pub crate_name: String,
    /// Crate version.
    pub crate_version: String,
    /// The crate's one-line description; `None`: one made from the first spec's `info.title`.
    pub description: Option<String>,
    /// What the client is for, as its docs name it; `None`: the first spec's `info.title`.
    pub title: Option<String>,
    /// Where the crate's runtime comes from: embedded (the default) or the `sdk-runtime` crate.
    pub runtime: ir::Runtime,
    /// Vendor-specific behaviour; `None`: SailPoint's when a server is on `identitynow.com`, else none.
    pub profile: Option<ir::Profile>,
    /// The prefix of `from_env`'s variables; `None`: `SAIL` for SailPoint's profile, else the crate name
    /// in upper case (`kinde-management-api` -> `KINDE_MANAGEMENT_API`).
    pub env_prefix: Option<String>,
    /// Module names by spec file name (`v3.yaml` -> `v3`), instead of the ones made from the specs.
    pub modules: BTreeMap<String, String>,
    /// Where lists are, and which operations get no paginator, where the spec leaves it open.
    pub paging: lower::paging::PagingSettings,
}

impl Default for Options {
    /// Everything from the spec itself: the crate named and described from its `info.title`.
    fn default() -> Self {
        Options {
            crate_name: String::new(),
            crate_version: "0.1.0".into(),
            description: None,
            title: None,
            runtime: ir::Runtime::Embedded,
            profile: None,
            env_prefix: None,
            modules: BTreeMap::new(),
            paging: lower::paging::PagingSettings::default(),
        }
    }
}

/// The settings file a spec folder (or a spec file's folder) may hold: the crate's name, version,
/// description and title, instead of the ones made from the spec's `info.title`. It is not a spec.
pub const SETTINGS_FILE: &str = "generator.settings.yaml";

/// What a settings file may say; every key is optional.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    crate_name: Option<String>,
    version: Option<String>,
    description: Option<String>,
    title: Option<String>,
    /// `sailpoint` or `generic`.
    profile: Option<ir::Profile>,
    /// The prefix of `from_env`'s variables.
    env_prefix: Option<String>,
    /// Module names by spec file name.
    modules: Option<BTreeMap<String, String>>,
    /// Paging where the spec leaves it open (`items`: where the list is; `skip`: operation ids).
    pagination: Option<lower::paging::PagingSettings>,
}

/// Where the runtime of a crate written to `out` comes from: a crate inside the workspace at
/// `workspace` (outside its `target/`) depends on `runtime/` by a relative path; any other embeds it.
pub fn runtime_for(out: &Path, workspace: &Path) -> ir::Runtime {
    match out.strip_prefix(workspace) {
        Ok(rel) if !rel.starts_with("target") && rel.components().count() > 0 => {
            ir::Runtime::Path(format!("{}runtime", "../".repeat(rel.components().count())))
        }
        _ => ir::Runtime::Embedded,
    }
}

impl Options {
    /// These options with the settings file beside `spec` (in the folder, or beside the file) applied,
    /// when there is one ([`SETTINGS_FILE`]).
    pub fn with_settings(self, spec: &Path) -> Result<Self, Error> {
        let dir = if spec.is_dir() { Some(spec) } else { spec.parent() };
        let Some(file) = dir.map(|d| d.join(SETTINGS_FILE)).filter(|f| f.is_file()) else { return Ok(self) };
        self.with_settings_file(&file)
    }

    /// These options with a settings file applied (the format of [`SETTINGS_FILE`]), for a spec that
    /// cannot hold one beside it (`cargo xtask generate --settings`).
    pub fn with_settings_file(mut self, file: &Path) -> Result<Self, Error> {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| Error::Io { path: shown.clone(), source: e })?;
        let settings: Settings =
            serde_norway::from_str(&text).map_err(|e| Error::Usage(format!("{shown}: not valid settings: {e}")))?;
        if let Some(name) = settings.crate_name {
            self.crate_name = name;
        }
        if let Some(version) = settings.version {
            self.crate_version = version;
        }
        self.description = settings.description.or(self.description);
        self.title = settings.title.or(self.title);
        self.profile = settings.profile.or(self.profile);
        self.env_prefix = settings.env_prefix.or(self.env_prefix);
        if let Some(paging) = settings.pagination {
            self.paging = paging;
        }
        for (file, module) in settings.modules.unwrap_or_default() {
            let valid = lower::names::snake_ident(&module) == module && !CRATE_ROOT_MODULES.contains(&module.as_str());
            if !valid {
                return Err(Error::Usage(format!("{shown}: `modules.{file}`: `{module}` is not a usable module name")));
            }
            self.modules.insert(file, module);
        }
        Ok(self)
    }
}

/// A crate name from an API title: kebab case, cut after the word `API` when there is one (`Spotify Web
/// API with fixes` -> `spotify-web-api`), else after four words; `api` when nothing usable is left.
pub fn crate_name_for(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let end = match words.iter().position(|w| w == "api") {
        Some(i) if i < 6 => i + 1,
        _ => words.len().min(4),
    };
    let name = words[..end].join("-");
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}").trim_end_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_named_from_the_server_version_or_info_version() {
        let doc = |url: &str, version: &str| openapiv3::OpenAPI {
            servers: vec![openapiv3::Server { url: url.into(), ..Default::default() }],
            info: openapiv3::Info { version: version.into(), ..Default::default() },
            ..Default::default()
        };
        let m = |url: &str, version: &str| version_module(&doc(url, version));
        assert_eq!(m("https://{t}.api.example.com/v2025", "1").as_deref(), Some("v2025"));
        assert_eq!(m("https://x.example/auth/v1/", "1").as_deref(), Some("v1"));
        assert_eq!(m("https://x.example/beta", "1").as_deref(), Some("beta"));
        assert_eq!(m("https://x.example", "v1").as_deref(), Some("v1"));
        assert_eq!(m("https://x.example/api", "1.0.3"), None);
        assert_eq!(m("/v2.1", "1").as_deref(), Some("v2_1"));
    }

    #[test]
    fn settings_name_the_profile_the_environment_prefix_and_the_modules() {
        let dir = std::env::temp_dir().join(format!("settings-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = "openapi: 3.0.3\ninfo: {title: Shop API, version: '1'}\nservers: [{url: 'https://shop.example/v2'}]\npaths: {}\n";
        std::fs::write(dir.join("shop.yaml"), spec).unwrap();
        std::fs::write(dir.join(SETTINGS_FILE), "profile: generic\nenv_prefix: SHOP\nmodules: {shop.yaml: store}\n")
            .unwrap();
        let options = Options::default().with_settings(&dir).unwrap();
        let inputs = load_inputs(&dir, Some(&dir)).unwrap();
        let unset = lower_all(&inputs, &Options::default()).unwrap();
        assert_eq!(unset.apis.keys().collect::<Vec<_>>(), ["v2"], "from the server's version segment");
        let krate = lower_all(&inputs, &options).unwrap();
        assert_eq!(krate.apis.keys().collect::<Vec<_>>(), ["store"]);
        assert_eq!((krate.profile, krate.env_prefix.as_str()), (ir::Profile::Generic, "SHOP"));
        std::fs::write(dir.join(SETTINGS_FILE), "modules: {shop.yaml: client}\n").unwrap();
        assert!(Options::default().with_settings(&dir).is_err(), "a crate-root module name is refused");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn crate_names_come_from_titles() {
        let cases = [
            ("Identity Security Cloud V3 API", "identity-security-cloud-v3-api"),
            ("Spotify Web API with fixes and improvements from sonallux", "spotify-web-api"),
            ("Wazuh API REST", "wazuh-api"),
            ("Simple API overview", "simple-api"),
            ("Callback Example", "callback-example"),
            ("HashiCorp Vault API", "hashicorp-vault-api"),
            ("A very long title that has no such word in it", "a-very-long-title"),
            ("3D Print API", "api-3d-print-api"),
            ("", "api"),
        ];
        for (title, name) in cases {
            assert_eq!(super::crate_name_for(title), name, "{title}");
        }
    }
}

/// The result of a generation: the files, and the tolerated oddities per spec file.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every generated file.
    pub files: FileSet,
    /// Warnings, each naming the file, line and pointer it is about.
    pub warnings: Vec<ir::Warning>,
    /// Each spec (as [`SpecInput::display`] shows it) and the module it became.
    pub modules: Vec<(String, String)>,
}

/// The module name a spec file gets from its file name (`v2024.yaml` -> `v2024`).
pub fn module_for(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let m = lower::names::snake_ident(stem);
    if m.is_empty() || m == "_" {
        return "api".to_string();
    }
    let m = match m.strip_prefix("n_") {
        Some(rest) => format!("v{rest}"),
        None => m,
    };
    // The crate root also holds the runtime's modules and the scheme declarations.
    if CRATE_ROOT_MODULES.contains(&m.as_str()) { format!("{m}_api") } else { m }
}

/// A module named from the API rather than its file: the version segment of the first server URL's
/// path (`/v2025`, `/beta`), else `info.version` when it is one (`v1`). `None` when the document says
/// neither.
fn version_module(doc: &openapiv3::OpenAPI) -> Option<String> {
    let is_version = |s: &str| {
        let s = s.to_ascii_lowercase();
        s == "beta"
            || s == "alpha"
            || (s.len() > 1
                && s.starts_with('v')
                && s[1..].starts_with(|c: char| c.is_ascii_digit())
                && s[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
    };
    let from_server = doc
        .servers
        .first()
        .map(|s| s.url.as_str())
        .and_then(|u| u.split("://").nth(1).or(Some(u)))
        .and_then(|rest| rest.split_once('/').map(|(_, path)| path.to_string()))
        .and_then(|path| path.split('/').rev().find(|seg| !seg.is_empty()).map(str::to_string))
        .filter(|seg| is_version(seg));
    let name = from_server.or_else(|| Some(doc.info.version.trim().to_string()).filter(|v| is_version(v)))?;
    let m = lower::names::snake_ident(&name.to_ascii_lowercase());
    if CRATE_ROOT_MODULES.contains(&m.as_str()) { None } else { Some(m) }
}

/// The modules every generated crate has at its root, which an API's module must not be named.
const CRATE_ROOT_MODULES: &[&str] = &[
    "auth",
    "client",
    "config",
    "correct",
    "doc_pages",
    "binary",
    "env",
    "error",
    "filter",
    "pagination",
    "patch",
    "record",
    "retry",
    "runtime_client",
    "schemes",
    "secret",
    "security",
    "servers",
    "unions",
    "validate",
];

/// Reads a spec file, or every `.yaml`/`.yml`/`.json` file of a folder (sorted). `display_root` is
/// stripped from paths shown in messages, so output does not depend on where the checkout lives.
pub fn load_inputs(path: &Path, display_root: Option<&Path>) -> Result<Vec<SpecInput>, Error> {
    let io = |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), source: e };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io(path, e))? {
            let p = entry.map_err(|e| io(path, e))?.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let settings = p.file_name().is_some_and(|n| n == SETTINGS_FILE);
            if p.is_file() && matches!(ext, "yaml" | "yml" | "json") && !settings {
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
    let mut parsed = Vec::new();
    for input in inputs {
        match parse::parse_in(&input.display, &input.bytes, input.dir.as_deref()) {
            Ok(doc) => parsed.push((input, doc)),
            Err(SpecErrors(e)) => errors.extend(e),
        }
    }
    // Modules are named from the APIs' versions when those are all known and distinct, else from the
    // file names; a module the settings name for a file wins over both.
    let versions: Vec<Option<String>> = parsed.iter().map(|(_, doc)| version_module(&doc.openapi)).collect();
    let known: std::collections::BTreeSet<&String> = versions.iter().flatten().collect();
    let distinct = known.len() == parsed.len();
    for ((input, doc), version) in parsed.iter().zip(versions) {
        let file = input.display.rsplit('/').next().unwrap_or(&input.display);
        let module = match (options.modules.get(file), version) {
            (Some(m), _) => m.clone(),
            (None, Some(v)) if distinct => v,
            (None, _) => input.module.clone(),
        };
        if apis.contains_key(&module) {
            return Err(Error::Usage(format!("{}: the module `{module}` is taken by another spec", input.display)));
        }
        match lower::lower(doc, &module) {
            Ok(mut api) => {
                lower::paging::assign(&mut api, &options.paging);
                apis.insert(module, api);
            }
            Err(SpecErrors(e)) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Spec(SpecErrors(errors)));
    }
    let title = apis.values().next().map(|a| a.title.clone()).unwrap_or_default();
    let name = if options.crate_name.is_empty() { crate_name_for(&title) } else { options.crate_name.clone() };
    let description = options.description.clone().unwrap_or_else(|| {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ").replace('"', "'");
        format!("Typed async client for the {title}, generated from OpenAPI.")
    });
    let title = options.title.clone().unwrap_or_else(|| title.split_whitespace().collect::<Vec<_>>().join(" "));
    let sailpoint_host = apis.values().flat_map(|a| &a.servers).any(|s| s.origin().ends_with(".identitynow.com"));
    let profile = options.profile.unwrap_or(if sailpoint_host { ir::Profile::SailPoint } else { ir::Profile::Generic });
    let env_prefix = options.env_prefix.clone().unwrap_or_else(|| match profile {
        ir::Profile::SailPoint => "SAIL".to_string(),
        ir::Profile::Generic => name.to_ascii_uppercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
    });
    Ok(ir::Crate {
        name,
        version: options.crate_version.clone(),
        description,
        title,
        apis,
        runtime: options.runtime.clone(),
        profile,
        env_prefix,
    })
}

/// One input's document as the lowering reads it: bundled (every `$ref` local), nothing lowered yet.
/// For tools that need the spec's own schemas beside the IR (the conformance driver samples request
/// values from them, and serves this document to Prism).
pub fn bundled(input: &SpecInput) -> Result<serde_norway::Value, Error> {
    parse::parse_in(&input.display, &input.bytes, input.dir.as_deref()).map(|d| d.raw).map_err(Error::Spec)
}

/// One input's document both ways, from one reading: as the lowering reads it (what [`bundled`]
/// returns) and as its author wrote it, bundled (for OpenAPI 3.1, before it is read as 3.0; for 3.0,
/// the same). A judge of the client should serve the second, so the reading is judged too.
pub fn bundled_and_written(input: &SpecInput) -> Result<(serde_norway::Value, serde_norway::Value), Error> {
    let doc = parse::parse_in(&input.display, &input.bytes, input.dir.as_deref()).map_err(Error::Spec)?;
    let written = doc.written.unwrap_or_else(|| doc.raw.clone());
    Ok((doc.raw, written))
}

/// Generates every file in memory.
pub fn generate(inputs: &[SpecInput], options: &Options) -> Result<Output, Error> {
    render_crate(&lower_all(inputs, options)?)
}

/// Renders every file of a crate already lowered (for tools that also read the IR, so nothing is
/// lowered twice).
pub fn render_crate(krate: &ir::Crate) -> Result<Output, Error> {
    let files = render::render(krate)?;
    let warnings = krate.apis.values().flat_map(|a| a.warnings.iter().cloned()).collect();
    let modules = krate.apis.values().map(|a| (a.source.path.clone(), a.module.clone())).collect();
    Ok(Output { files, warnings, modules })
}
