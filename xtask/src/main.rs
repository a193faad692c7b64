//! Maintainer commands for the SailPoint PAT SDK workspace (`cargo xtask <command>`).
//!
//! `generate` writes `generated/` from `spec/` (or any spec into any folder); `generate --check` fails,
//! listing every stale, missing or extra file, when `generated/` does not match `spec/`.

mod bench;
mod conformance;
mod corpus;
mod docsite;
mod driver;
// Pasted into every driver (see `driver`); a module here only to be tested.
#[cfg(test)]
mod judge;
mod paging;
mod sample;
mod synth;
mod tags;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Maintainer commands for the SailPoint PAT SDK generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client crate and its docs from OpenAPI specs.
    Generate {
        /// Compare with what is on disk instead of writing; exit non-zero on any difference.
        #[arg(long)]
        check: bool,
        /// A spec file, or a folder of spec files (one API version each). Default: spec/.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The crate folder to write. Default: generated/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The generated crate's package name. Default: `sailpoint-pat` for spec/, else one made from the
        /// spec's `info.title` (`Linode API` -> `linode-api`).
        #[arg(long)]
        crate_name: Option<String>,
        /// List every warning (by default: one line per kind of warning, with a count and an example).
        #[arg(long, short)]
        verbose: bool,
        /// A settings file (the format of `generator.settings.yaml`) for a spec that cannot hold one
        /// beside it; applied after the one beside the spec, if any.
        #[arg(long)]
        settings: Option<PathBuf>,
    },
    /// Run every check CI runs: formatting, clippy (warnings are errors), the drift check, all tests,
    /// the spec lint, the conformance suite and the benchmarks in quick mode.
    Test {
        /// The folder of SailPoint's upstream specs for the conformance suite.
        #[arg(long, default_value = "../shared/reference/upstream-pat")]
        upstream: PathBuf,
        /// The inner loop only: formatting, the drift check, clippy and the unit tests.
        #[arg(long)]
        quick: bool,
    },
    /// Serve SailPoint's upstream specs with Prism and drive the generated client through every operation;
    /// with `--spec`, generate the crate of any spec and drive every operation of it the same way.
    Conformance {
        /// The folder holding v3.yaml, v2024.yaml, v2025.yaml and resource-v1.yaml.
        #[arg(long, default_value = "../shared/reference/upstream-pat")]
        upstream: PathBuf,
        /// A spec file, a split spec's root file or a folder of versions (repeatable): its crate and an
        /// every-operation driver rendered from the IR, judged by Prism serving the spec.
        #[arg(long)]
        spec: Vec<PathBuf>,
    },
    /// Generate every real spec of the corpus (SailPoint's full APIs, other vendors' specs) and lint
    /// each crate with clippy (`-D warnings`); one line per spec, then `N passed, M failed`.
    Corpus {
        /// Only specs whose name contains one of these (`sailpoint/v3`, `linode`, ...).
        #[arg(long)]
        only: Vec<String>,
        /// Generate every spec, but lint only the crates whose names contain one of these (default: all).
        #[arg(long)]
        lint: Vec<String>,
        /// The shared folder holding `reference/`.
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Also lint every linted crate that has tag features once per tag, with only that tag on.
        #[arg(long)]
        tags: bool,
    },
    /// Which operations of each corpus spec got a paginator, and why the others did not: writes
    /// docs/pagination.md (with `--check`, compares).
    Paging {
        /// Compare with docs/pagination.md instead of writing; exit non-zero on a difference.
        #[arg(long)]
        check: bool,
        /// The shared folder holding `reference/`.
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
    },
    /// Clean builds of SailPoint's whole-API crates with and without their tag features (minutes).
    BenchTags {
        /// Interleaved rounds of clean builds.
        #[arg(long, default_value_t = 1)]
        rounds: usize,
        /// openapi-generator's CLI (7.26, e.g. from PyPI's `openapi-generator-cli`): its Rust client for
        /// the same spec is built in the same rounds.
        #[arg(long)]
        openapi_generator: Option<PathBuf>,
        /// Instead: the full v3 crate with each TLS feature (`rustls-aws-lc`, `rustls-ring`, `native-tls`),
        /// every other default feature on.
        #[arg(long)]
        tls: bool,
    },
    /// Lint a generated crate with clippy (`-D warnings`) once per tag feature, with only that tag on.
    Tags {
        /// The generated crate's folder.
        #[arg(long = "crate")]
        crate_dir: PathBuf,
        /// Only these tags (default: every tag).
        #[arg(long)]
        only: Vec<String>,
        /// The cargo target folder. Default: target/tags.
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
    /// Build a generated crate's Markdown docs with Docusaurus 3 (pinned); a page that does not compile
    /// as MDX, or a broken link or anchor, fails.
    Docs {
        /// The docs folder. Default: generated/docs.
        #[arg(long)]
        docs: Option<PathBuf>,
        /// The spec file or folder the docs were generated from: the rendered pages are then checked in
        /// headless Chromium against it. Default: spec/ for generated/docs, the fixtures for their docs.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Lint spec/ with Redocly CLI (pinned); any error fails.
    Lint,
    /// Write a synthetic spec of a whole API version's size (for scale and speed checks).
    Synth {
        /// Number of operations.
        #[arg(long, default_value_t = 500)]
        operations: usize,
        /// Number of component schemas.
        #[arg(long, default_value_t = 1000)]
        schemas: usize,
        /// Where to write the YAML.
        #[arg(long)]
        out: PathBuf,
    },
    /// Scale check: generate a crate from the synthetic 500-operation spec and lint it with clippy
    /// (`-D warnings`), reporting both times.
    Scale,
    /// Benchmarks: generator speed and memory, generated-crate build time, client overhead, decoding.
    Bench {
        /// A fast run that only checks the benchmarks work (debug builds, few iterations, no clean build).
        #[arg(long)]
        quick: bool,
        /// Write the results table into BENCHMARKS.md between the bench markers.
        #[arg(long)]
        write: bool,
    },
    /// Generate from a spec in memory several times; print the median time and peak memory (used by bench).
    #[command(hide = true)]
    BenchGenerate {
        /// A spec file or folder.
        #[arg(long)]
        spec: PathBuf,
        /// How many runs.
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
}

/// The workspace root (the folder above xtask/).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    match Cli::parse().command {
        Command::Generate { check, spec, out, crate_name, verbose, settings } => {
            generate(&GenerateArgs { check, verbose, settings }, spec, out, crate_name)
        }
        Command::Test { upstream, quick } => test(&upstream, quick),
        Command::Conformance { upstream, spec } if spec.is_empty() => {
            conformance::run(&root(), &absolute(&upstream)).map(|()| ExitCode::SUCCESS)
        }
        Command::Conformance { spec, .. } => {
            let mut ok = true;
            for s in &spec {
                ok &= conformance::run_spec(&root(), &absolute(s))?;
            }
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Lint => conformance::lint(&root()).map(|()| ExitCode::SUCCESS),
        Command::Docs { docs, spec } => {
            let docs = docs.map(|d| absolute(&d)).unwrap_or_else(|| root().join("generated/docs"));
            let spec = spec.map(|s| absolute(&s)).or_else(|| docsite::own_spec(&root(), &docs));
            let site = docsite::build(&root(), &docs)?;
            match spec {
                Some(spec) => docsite::check(&root(), &site, &spec)?,
                None => eprintln!("the rendered pages were not checked: give --spec, the spec the docs come from"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Paging { check, shared } => {
            let same = paging::report(&root(), &absolute(&shared), check)?;
            Ok(if same { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Corpus { only, lint, shared, tags } => {
            let outcomes = corpus::run(
                &root(),
                &absolute(&shared),
                &only,
                &|name: &str| lint.is_empty() || lint.iter().any(|l| name.contains(l.as_str())),
                &|_: &str| tags.then(Vec::new),
            )?;
            Ok(if outcomes.iter().all(|o| o.passed) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::BenchTags { rounds, tls: true, .. } => bench::tls(&root(), rounds).map(|()| ExitCode::SUCCESS),
        Command::BenchTags { rounds, openapi_generator, .. } => {
            bench::tags(&root(), rounds, openapi_generator.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Tags { crate_dir, only, target_dir } => {
            let target = target_dir.map(|t| absolute(&t)).unwrap_or_else(|| root().join("target/tags"));
            tags::check(&absolute(&crate_dir), &target, &only).map(|()| ExitCode::SUCCESS)
        }
        Command::Synth { operations, schemas, out } => {
            std::fs::write(&out, synth::spec_text(operations, schemas)).with_context(|| out.display().to_string())?;
            eprintln!("wrote {} ({operations} operations, {schemas} schemas)", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Scale => scale().map(|()| ExitCode::SUCCESS),
        Command::Bench { quick, write } => bench::run(&root(), quick, write).map(|()| ExitCode::SUCCESS),
        Command::BenchGenerate { spec, runs } => {
            bench::generate_runs(&absolute(&spec), runs).map(|()| ExitCode::SUCCESS)
        }
    }
}

/// How `generate` runs.
struct GenerateArgs {
    /// Compare instead of writing.
    check: bool,
    /// Every warning, not a summary.
    verbose: bool,
    /// A settings file given on the command line.
    settings: Option<PathBuf>,
}

fn generate(
    args: &GenerateArgs,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
) -> Result<ExitCode> {
    // Without --spec and --out: both outputs of the repository, the client crate and the fixtures' golden crate.
    if spec.is_none() && out.is_none() {
        let root = root();
        let a = generate_one(args, None, None, Some(crate_name.unwrap_or_else(|| "sailpoint-pat".into())))?;
        let b = generate_one(
            args,
            Some(root.join("generator/tests/fixtures")),
            Some(root.join("generator/tests/golden")),
            Some("fixtures-golden".to_string()),
        )?;
        let c = defects_page(&root, args.check)?;
        return Ok(if a == ExitCode::SUCCESS && b == ExitCode::SUCCESS && c == ExitCode::SUCCESS {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    generate_one(args, spec, out, crate_name)
}

/// `docs/tolerated-defects.md`, made from the warning kinds' docs: written, or with `check` compared.
fn defects_page(root: &Path, check: bool) -> Result<ExitCode> {
    let path = root.join("docs/tolerated-defects.md");
    let page = generator::diagnostics::defects_page();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if check {
        if on_disk == page {
            eprintln!("{} is up to date with the warning kinds", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale (generator/src/diagnostics.rs changed). Run `cargo xtask generate`.", path.display());
        return Ok(ExitCode::FAILURE);
    }
    if on_disk != page {
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints warnings: every one with `verbose`, else one line per kind with its count and first example.
fn print_warnings(warnings: &[generator::ir::Warning], verbose: bool) {
    let place = |w: &generator::ir::Warning| w.place.to_string();
    if verbose {
        for w in warnings {
            eprintln!("warning[{}]: {}: {}", w.kind, place(w), w.message);
        }
        return;
    }
    let mut kinds: Vec<(&str, usize, &generator::ir::Warning)> = Vec::new();
    for w in warnings {
        match kinds.iter_mut().find(|(k, _, _)| *k == w.kind.slug()) {
            Some(entry) => entry.1 += 1,
            None => kinds.push((w.kind.slug(), 1, w)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (kind, count, first) in &kinds {
        let more = if *count > 1 { format!(" ({count} like it)") } else { String::new() };
        eprintln!("warning[{kind}]{more}: {}: {}", place(first), first.message);
    }
    if warnings.len() > kinds.len() {
        eprintln!("note: {} warnings of {} kinds; `--verbose` lists them all", warnings.len(), kinds.len());
    }
}

fn generate_one(
    args: &GenerateArgs,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
) -> Result<ExitCode> {
    let check = args.check;
    let root = root();
    let (spec, display_root) = match spec {
        Some(s) if s.starts_with(&root) => (s, Some(root.clone())),
        Some(s) => (s, std::env::current_dir().ok()),
        None => (root.join("spec"), Some(root.clone())),
    };
    let out = out.unwrap_or_else(|| root.join("generated"));
    let started = std::time::Instant::now();
    let inputs = generator::load_inputs(&spec, display_root.as_deref())?;
    // The spec's folder may hold the crate's settings (spec/ and the fixtures do); else all comes from the spec.
    let mut base = generator::Options::default().with_settings(&spec)?;
    if let Some(file) = &args.settings {
        base = base.with_settings_file(file)?;
    }
    // A crate written inside this workspace depends on the runtime crate; any other embeds its source.
    let runtime = generator::runtime_for(&absolute(&out), &root);
    let options = generator::Options { crate_name: crate_name.unwrap_or(base.crate_name.clone()), runtime, ..base };
    let output = match generator::generate(&inputs, &options) {
        Ok(o) => o,
        Err(generator::Error::Spec(errors)) => {
            for line in errors.to_string().lines() {
                eprintln!("error: {line}");
            }
            let n = errors.0.len();
            eprintln!(
                "error: {n} error{} in {}; nothing was written to {}",
                if n == 1 { "" } else { "s" },
                spec.display(),
                out.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    print_warnings(&output.warnings, args.verbose);
    let elapsed = started.elapsed();
    if check {
        let drift = output.files.check(&out);
        if drift.is_empty() {
            eprintln!("{} is up to date with {} ({} files)", out.display(), spec.display(), output.files.files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{drift}");
        // The specs whose own files drifted (shared files like lib.rs drift with any of them).
        let changed: Vec<&str> = output
            .modules
            .iter()
            .filter(|(_, module)| {
                let (src, docs) = (format!("src/{module}/"), format!("docs/{module}/"));
                drift
                    .stale
                    .iter()
                    .map(|(p, _)| p)
                    .chain(&drift.missing)
                    .chain(&drift.extra)
                    .any(|p| p.starts_with(&src) || p.starts_with(&docs))
            })
            .map(|(display, _)| display.as_str())
            .collect();
        if !changed.is_empty() {
            eprintln!("out of date with: {}", changed.join(", "));
        }
        let specs: Vec<&str> = inputs.iter().map(|i| i.display.as_str()).collect();
        eprintln!(
            "{} does not match {}: {} stale, {} missing, {} extra. Run `cargo xtask generate`.",
            out.display(),
            specs.join(", "),
            drift.stale.len(),
            drift.missing.len(),
            drift.extra.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = output.files.write(&out).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "generated {} files into {} in {:.1} ms ({} written, {} removed, {} warnings)",
        output.files.files.len(),
        out.display(),
        elapsed.as_secs_f64() * 1000.0,
        report.written.len(),
        report.removed.len(),
        output.warnings.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The corpus crates `cargo xtask test` lints (every spec is generated): SailPoint's full v3 API, the
/// multi-file Equinix spec, Spotify's and Xero's, and the specification's own examples. The rest
/// (`cargo xtask corpus`) is a release check: it takes about 9 minutes on the 2-core machine.
const CI_LINT: &[&str] = &[
    "sailpoint/v3",
    "equinix-metal",
    "spotify",
    "xero-accounting",
    "oai-examples/",
    // OpenAPI 3.1: two vendors' crates, and the specification's fixtures that found defects.
    "resend",
    "unkey",
    "oai-31-examples/mega",
    "oai-31-examples/path_item_servers_parameters",
];

/// The real-world specs (under `../shared/reference/real-world/`) whose every operation `cargo xtask test`
/// drives against Prism, beside `spec/` and SailPoint's full v3; the others are release checks (README).
const CI_CONFORMANCE: &[&str] = &["clerk-bapi/2026-05-12.yml", "kinde-mgmt/kinde-mgmt-api-specs.yaml"];

/// The tags of SailPoint's full v3 crate that `cargo xtask test` builds alone: the PAT API, the largest
/// tag (sources) and one with discriminated unions (workflows). Every tag is a release check
/// (`cargo xtask corpus --only sailpoint/v3 --tags`).
const CI_TAGS: &[&str] = &["personal-access-tokens", "sources", "workflows"];

/// The generated crates' default TLS (native-tls) builds against the system's OpenSSL: its headers and
/// pkg-config, installed with apt when `pkg-config` cannot find them.
fn openssl_headers() -> Result<()> {
    let found =
        std::process::Command::new("pkg-config").args(["--exists", "openssl"]).status().is_ok_and(|s| s.success());
    if !found {
        eprintln!("==> installing Debian's libssl-dev and pkg-config (apt-get) for the default TLS, native-tls");
        docsite::apt_install(&["libssl-dev", "pkg-config"])?;
    }
    Ok(())
}

/// Runs one step of `cargo xtask test`, failing with its name.
fn step(name: &str, program: &str, args: &[&str]) -> Result<()> {
    step_with_env(name, program, args, ("XTASK_STEP", name))
}

/// Like [`step`], with one environment variable set for the command.
fn step_with_env(name: &str, program: &str, args: &[&str], env: (&str, &str)) -> Result<()> {
    eprintln!("==> {name}: {program} {}", args.join(" "));
    let started = std::time::Instant::now();
    let status = std::process::Command::new(program)
        .args(args)
        .env(env.0, env.1)
        .current_dir(root())
        .status()
        .with_context(|| format!("could not start `{program}`"))?;
    eprintln!("    {name} took {:.1} s", started.elapsed().as_secs_f64());
    anyhow::ensure!(status.success(), "{name} failed ({status})");
    Ok(())
}

/// The generated crate's features: each version alone (without TLS or the config file, the leanest
/// build a downstream crate can ask for) passes clippy with warnings as errors; the HTTP tests pass
/// without a TLS feature; `blocking` passes clippy and its tests; and no version at all is a compile
/// error that names them.
fn features(cargo: &str) -> Result<()> {
    let manifest = std::fs::read_to_string(root().join("generated/Cargo.toml"))?;
    let versions: Vec<&str> =
        manifest.lines().filter_map(|l| l.strip_suffix(" = []")).filter(|f| !f.contains(' ')).collect();
    anyhow::ensure!(!versions.is_empty(), "generated/Cargo.toml declares no version features");
    for v in &versions {
        step(
            &format!("feature {v} alone"),
            cargo,
            &[
                "clippy",
                "--quiet",
                "--package",
                "sailpoint-pat",
                "--lib",
                "--no-default-features",
                "--features",
                v,
                "--",
                "-D",
                "warnings",
            ],
        )?;
    }
    // Every version, no TLS: HTTPS settings are refused at build time (generated/tests/http.rs).
    let all = versions.join(",");
    step(
        "no TLS feature: HTTP tests",
        cargo,
        &[
            "test",
            "--quiet",
            "--package",
            "sailpoint-pat",
            "--no-default-features",
            "--features",
            &all,
            "--test",
            "http",
        ],
    )?;
    // rustls with aws-lc-rs, the TLS for static and cross builds: the HTTP tests, and the program's own
    // reqwest clients still have a crypto provider (the default, native-tls, runs both in "tests").
    let aws_lc = format!("rustls-aws-lc,{all}");
    step(
        "feature rustls-aws-lc: HTTP tests",
        cargo,
        &[
            "test",
            "--quiet",
            "--package",
            "sailpoint-pat",
            "--no-default-features",
            "--features",
            &aws_lc,
            "--test",
            "http",
            "--test",
            "tls_provider",
        ],
    )?;
    // The `blocking` feature: linted, and its tests run (generated/tests/blocking.rs has none without it).
    step(
        "feature blocking: clippy",
        cargo,
        &[
            "clippy",
            "--quiet",
            "--package",
            "sailpoint-pat",
            "--features",
            "blocking",
            "--lib",
            "--test",
            "blocking",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step(
        "feature blocking: tests",
        cargo,
        &["test", "--quiet", "--package", "sailpoint-pat", "--features", "blocking", "--test", "blocking"],
    )?;
    eprintln!("==> no version feature: expecting the crate's compile error");
    let out = std::process::Command::new(cargo)
        .args(["check", "--quiet", "--package", "sailpoint-pat", "--lib", "--no-default-features"])
        .current_dir(root())
        .output()
        .context("could not start cargo check")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    anyhow::ensure!(
        !out.status.success()
            && stderr.contains("no API version is enabled")
            && versions.iter().all(|v| stderr.contains(&format!("`{v}`"))),
        "the crate without version features should fail with a message naming {versions:?}; got: {stderr}"
    );
    Ok(())
}

/// Generates the synthetic spec's crate outside the workspace and runs clippy on it with warnings as
/// errors; its dependencies are cached in target/scale.
fn scale() -> Result<()> {
    let root = root();
    let dir = std::env::temp_dir().join(format!("sailpoint-pat-scale-{}", std::process::id()));
    let started = std::time::Instant::now();
    let output = synth::write_crate(&root, &dir)?;
    let generated = started.elapsed();
    let krate = dir.join("crate");
    let started = std::time::Instant::now();
    let status = std::process::Command::new(cargo())
        .args(["clippy", "--quiet", "--lib", "--target-dir"])
        .arg(root.join("target/scale"))
        .args(["--", "-D", "warnings"])
        .current_dir(&krate)
        .status()?;
    let linted = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(status.success(), "the synthetic crate does not pass clippy -D warnings");
    println!(
        "scale: 500 operations, 1,000 schemas -> {} files, {} lines of Rust, generated in {:.2} s, clippy -D warnings clean in {:.1} s",
        output.files.files.len(),
        synth::rust_lines(&output),
        generated.as_secs_f64(),
        linted.as_secs_f64()
    );
    Ok(())
}

/// The cargo that runs xtask (so nested builds use the same toolchain).
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// A path given on the command line, relative to the current folder.
fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
    }
}

fn test(upstream: &Path, quick: bool) -> Result<ExitCode> {
    let cargo = cargo();
    let upstream = absolute(upstream);
    step("formatting", &cargo, &["fmt", "--all", "--check"])?;
    openssl_headers()?;
    step("drift check", &cargo, &["run", "--quiet", "--package", "xtask", "--", "generate", "--check"])?;
    step("clippy", &cargo, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    if quick {
        step("unit tests", &cargo, &["test", "--workspace", "--lib"])?;
        eprintln!("quick run passed (the full `cargo xtask test` runs every other step too)");
        return Ok(ExitCode::SUCCESS);
    }
    features(&cargo)?;
    let started = std::time::Instant::now();
    eprintln!(
        "==> tag features: every tag of the fixtures' crate alone under clippy -D warnings; rustdoc's feature badges"
    );
    tags::check(&root().join("generator/tests/golden"), &root().join("target"), &[])?;
    tags::doc_badges(&root())?;
    eprintln!("    tag features took {:.1} s", started.elapsed().as_secs_f64());
    step("tests", &cargo, &["test", "--workspace"])?;
    step_with_env(
        "rustdoc",
        &cargo,
        &["doc", "--no-deps", "--workspace", "--exclude", "xtask"],
        ("RUSTDOCFLAGS", "-D warnings"),
    )?;
    let started = std::time::Instant::now();
    eprintln!("==> spec lint: redocly lint spec/*.yaml");
    conformance::lint(&root())?;
    eprintln!("    spec lint took {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    eprintln!(
        "==> docs site: generated/docs and the fixtures' docs built by Docusaurus 3 (MDX; broken links and anchors fail)"
    );
    for docs in [root().join("generated/docs"), root().join("generator/tests/golden/docs")] {
        let site = docsite::build(&root(), &docs)?;
        let spec = docsite::own_spec(&root(), &docs).context("the repository's docs have a spec")?;
        docsite::check(&root(), &site, &spec)?;
    }
    eprintln!("    docs site took {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    eprintln!("==> conformance: Prism serving {}", upstream.display());
    conformance::run(&root(), &upstream)?;
    eprintln!("    conformance took {:.1} s", started.elapsed().as_secs_f64());
    let shared = upstream.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| "../shared".into());
    let started = std::time::Instant::now();
    eprintln!("==> conformance of every operation: spec/, SailPoint's full v3, {}", CI_CONFORMANCE.join(", "));
    let mut specs = vec![root().join("spec"), shared.join("reference/sailpoint-api-specs/idn/sailpoint-api.v3.yaml")];
    specs.extend(CI_CONFORMANCE.iter().map(|s| shared.join("reference/real-world").join(s)));
    for spec in &specs {
        anyhow::ensure!(conformance::run_spec(&root(), spec)?, "conformance failed for {} (see above)", spec.display());
    }
    eprintln!("    every-operation conformance took {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    eprintln!("==> scale: the synthetic 500-operation spec's crate under clippy -D warnings");
    scale()?;
    eprintln!("    scale took {:.1} s", started.elapsed().as_secs_f64());
    eprintln!("==> pagination: docs/pagination.md agrees with what the corpus's specs lower to");
    let started = std::time::Instant::now();
    anyhow::ensure!(
        paging::report(&root(), &shared, true)?,
        "docs/pagination.md is out of date: run `cargo xtask paging`"
    );
    eprintln!("    pagination took {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    eprintln!("==> corpus: every real spec generated, unedited; {} linted with clippy -D warnings", CI_LINT.join(", "));
    let outcomes = corpus::run(
        &root(),
        &shared,
        &[],
        &|name: &str| CI_LINT.iter().any(|l| name.starts_with(l)),
        &|name: &str| (name == "sailpoint/v3").then(|| CI_TAGS.iter().map(|t| t.to_string()).collect()),
    )?;
    anyhow::ensure!(outcomes.iter().all(|o| o.passed), "the corpus has failures (see above)");
    eprintln!("    corpus took {:.1} s", started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    eprintln!("==> benchmarks, quick mode (checks they run; times are not asserted)");
    bench::run(&root(), true, false)?;
    eprintln!("    benchmarks took {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
