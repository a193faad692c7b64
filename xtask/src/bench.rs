//! `cargo xtask bench`: the numbers the project is judged by, measured, printed as a Markdown table and
//! optionally written into BENCHMARKS.md. `--quick` only checks that every benchmark runs (CI uses it);
//! timings are never asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, ensure};

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// In-process: generate `runs` times from `spec` (parse + lower + render, no writing) and print
/// `median_ms=` and `peak_kib=` lines.
pub fn generate_runs(spec: &Path, runs: usize) -> Result<()> {
    let mut times = Vec::new();
    let mut files = 0;
    let mut lines = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let inputs = generator::load_inputs(spec, spec.parent())?;
        let out = generator::generate(&inputs, &generator::Options::default().with_settings(spec)?)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        files = out.files.files.len();
        lines = crate::synth::rust_lines(&out);
    }
    println!("median_ms={:.1}", median(times));
    println!("peak_kib={}", peak_rss_kib().unwrap_or(0));
    println!("files={files}");
    println!("lines={lines}");
    Ok(())
}

use crate::cargo;

/// A clean build's cost: wall-clock seconds, and CPU seconds (user + system) of cargo and every compiler
/// it ran, which scheduling noise on a busy 2-core machine moves much less.
#[derive(Clone, Copy)]
struct BuildTime {
    wall: f64,
    cpu: f64,
}

/// CPU seconds used so far by this process's finished children (Linux: `/proc/self/stat` fields 16
/// and 17, in clock ticks of `getconf CLK_TCK`); 0 where that cannot be read.
fn children_cpu_secs() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let ticks = *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    });
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name, which may itself hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<f64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
    // `rest` starts at field 3 (state), so fields 16 and 17 are at 13 and 14.
    (fields.get(13).copied().unwrap_or(0.0) + fields.get(14).copied().unwrap_or(0.0)) / ticks
}

/// Builds the crate in `dir` from a cold target folder (removed afterwards) and returns what it took.
fn timed_build(dir: &Path, extra: &[&str], what: &str) -> Result<BuildTime> {
    let target = dir.join("target");
    let _ = std::fs::remove_dir_all(&target);
    let (t, cpu) = (Instant::now(), children_cpu_secs());
    let built = output(
        Command::new(cargo()).args(["build", "--quiet"]).args(extra).arg("--target-dir").arg(&target).current_dir(dir),
        what,
    );
    let time = BuildTime { wall: t.elapsed().as_secs_f64(), cpu: children_cpu_secs() - cpu };
    let _ = std::fs::remove_dir_all(&target);
    built.map(|_| time)
}

/// Runs a command and returns its stdout, failing with its stderr.
fn output(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output().with_context(|| format!("could not run {what}"))?;
    ensure!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn value<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('='))).unwrap_or("?")
}

pub fn run_all(root: &Path, quick: bool) -> Result<Vec<(String, String, String)>> {
    let mut rows = Vec::new();
    let profile = if quick { "debug" } else { "release" };
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    // The generator, in the profile being measured.
    let mut build = Command::new(cargo());
    build.args(["build", "--quiet", "--package", "xtask"]).current_dir(root);
    if !quick {
        build.arg("--release");
    }
    output(&mut build, "cargo build xtask")?;
    let xtask = target.join(profile).join("xtask");
    let runs = if quick { "2" } else { "9" };

    let out = output(
        Command::new(&xtask).args(["bench-generate", "--runs", runs, "--spec"]).arg(root.join("spec")),
        "bench-generate spec/",
    )?;
    rows.push((
        format!("generate all of `spec/` (4 versions, {} files), {profile}", value(&out, "files")),
        format!("{} ms, peak {} MiB", value(&out, "median_ms"), mib(value(&out, "peak_kib"))),
        "≤ 50 ms".to_string(),
    ));

    let bench_dir = target.join("bench");
    std::fs::create_dir_all(&bench_dir)?;
    let synthetic = bench_dir.join("synthetic.yaml");
    std::fs::write(&synthetic, crate::synth::spec_text(500, 1000))?;
    let out = output(
        Command::new(&xtask).args(["bench-generate", "--runs", runs, "--spec"]).arg(&synthetic),
        "bench-generate synthetic",
    )?;
    rows.push((
        format!(
            "generate the synthetic spec (500 operations, 1,000 schemas; {} files), {profile}",
            value(&out, "files")
        ),
        format!("{} ms, peak {} MiB", value(&out, "median_ms"), mib(value(&out, "peak_kib"))),
        "≤ 1 s".to_string(),
    ));

    // SailPoint's whole API, unedited, in the measured profile; the full run also times the debug build
    // `cargo xtask generate` uses (the target: within 2x of release).
    let idn = root.join("../shared/reference/sailpoint-api-specs/idn");
    let debug_xtask = target.join("debug").join("xtask");
    if !quick {
        output(
            Command::new(cargo()).args(["build", "--quiet", "--package", "xtask"]).current_dir(root),
            "cargo build xtask (debug)",
        )?;
    }
    for version in ["v3", "v2024", "beta"] {
        let spec = idn.join(format!("sailpoint-api.{version}.yaml"));
        if !spec.is_file() {
            rows.push((
                format!("generate SailPoint's full {version} API"),
                "skipped: ../shared not found".into(),
                String::new(),
            ));
            continue;
        }
        let runs = if quick { "1" } else { "5" };
        let out = output(
            Command::new(&xtask).args(["bench-generate", "--runs", runs, "--spec"]).arg(&spec),
            "bench-generate idn",
        )?;
        let mut result = format!("{} ms, peak {} MiB", value(&out, "median_ms"), mib(value(&out, "peak_kib")));
        if !quick {
            let dbg = output(
                Command::new(&debug_xtask).args(["bench-generate", "--runs", runs, "--spec"]).arg(&spec),
                "bench-generate idn (debug)",
            )?;
            let (r, d): (f64, f64) =
                (value(&out, "median_ms").parse().unwrap_or(0.0), value(&dbg, "median_ms").parse().unwrap_or(0.0));
            result.push_str(&format!("; debug build {d:.0} ms ({:.2}x)", d / r.max(1e-9)));
        }
        rows.push((
            format!(
                "generate SailPoint's full {version} API, unedited ({} files, {} lines of Rust), {profile}",
                value(&out, "files"),
                value(&out, "lines")
            ),
            result,
            if version == "v2024" { "< 1 s; debug ≤ 2x release".into() } else { "debug ≤ 2x release".into() },
        ));
    }

    // The synthetic spec's crate: clean debug build as a dependency, in the full run.
    if !quick {
        let scratch = std::env::temp_dir().join(format!("sailpoint-pat-bench-synthetic-{}", std::process::id()));
        let built = crate::synth::write_crate(root, &scratch).and_then(|output| {
            timed_build(&scratch.join("crate"), &[], "synthetic crate build")
                .map(|t| (t, crate::synth::rust_lines(&output)))
        });
        let _ = std::fs::remove_dir_all(&scratch);
        let (time, lines) = built?;
        let secs = time.wall;
        rows.push((
            format!("synthetic spec's crate ({lines} lines of Rust): clean debug build as a dependency"),
            format!("{secs:.1} s"),
            "compiles, no warnings (clippy in `cargo xtask scale`)".into(),
        ));
    }

    // The generated crate: dependency count always, clean builds in the full run.
    let tree = output(
        Command::new(cargo())
            .args(["tree", "--package", "sailpoint-pat", "--edges", "normal", "--prefix", "none"])
            .current_dir(root),
        "cargo tree",
    )?;
    let mut deps: Vec<&str> = tree.lines().map(|l| l.trim_end_matches(" (*)")).filter(|l| !l.is_empty()).collect();
    deps.sort();
    deps.dedup();
    let deps = deps.len().saturating_sub(1);
    if quick {
        rows.push((
            "generated crate: clean debug builds".into(),
            format!("skipped in quick mode ({deps} dependencies)"),
            "no slower than progenitor's output for PAT v3".into(),
        ));
    } else {
        rows.extend(build_rows(root, deps)?);
    }
    // The client against a loopback server.
    let mut bench = Command::new(cargo());
    bench.args(["run", "--quiet", "--package", "sailpoint-pat", "--example", "bench"]).current_dir(root);
    if quick {
        bench.args(["--", "--quick"]);
    } else {
        bench.arg("--release");
    }
    let out = output(&mut bench, "the client benchmark")?;
    rows.push((
        format!("client overhead: `list` on loopback, generated client vs raw reqwest ({profile})"),
        format!(
            "{} vs {} req/s: {}x",
            value(&out, "client_rps"),
            value(&out, "raw_rps"),
            value(&out, "overhead_ratio")
        ),
        "≤ 1.05x".into(),
    ));
    rows.push((
        format!(
            "decode 10,000 tokens ({} KiB): client vs reqwest + plain serde_json ({profile})",
            value(&out, "decode_body_bytes").parse::<u64>().unwrap_or(0) / 1024
        ),
        format!(
            "{} ms vs {} ms: {}x (serde_json alone on bytes in memory: {} ms)",
            value(&out, "decode_10k_client_ms"),
            value(&out, "decode_10k_raw_ms"),
            value(&out, "decode_ratio"),
            value(&out, "decode_10k_serde_ms")
        ),
        "≤ 1.1x".into(),
    ));
    Ok(rows)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let p = entry?.path();
        let dest = to.join(p.file_name().unwrap_or_default());
        if p.is_dir() {
            copy_dir(&p, &dest)?
        } else {
            std::fs::copy(&p, &dest)?;
        }
    }
    Ok(())
}

fn mib(kib: &str) -> String {
    kib.parse::<f64>().map(|k| format!("{:.1}", k / 1024.0)).unwrap_or_else(|_| "?".into())
}

pub fn run(root: &Path, quick: bool, write: bool) -> Result<()> {
    let rows = run_all(root, quick)?;
    let mut table = String::from("| benchmark | result | target |\n|---|---|---|\n");
    for (what, result, target) in &rows {
        table.push_str(&format!("| {what} | {result} | {target} |\n"));
    }
    println!("{table}");
    if write {
        ensure!(!quick, "--write records full runs only; drop --quick");
        let readme = root.join("BENCHMARKS.md");
        let text = std::fs::read_to_string(&readme)?;
        let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
            anyhow::bail!("BENCHMARKS.md has no {START} ... {END} markers")
        };
        let new = format!("{}{START}\n{table}{}", &text[..a], &text[b..]);
        std::fs::write(&readme, new)?;
        eprintln!("wrote the table into BENCHMARKS.md");
    }
    println!("bench: {} passed, 0 failed", rows.len());
    Ok(())
}

/// Cold builds per configuration in the full run; configurations alternate so drift hits all alike.
const BUILD_ROUNDS: usize = 5;

/// Clean debug builds, as a downstream crate builds them: a copy outside this workspace (so the
/// workspace's profile settings do not apply), cargo's default dev profile, this workspace's lock file,
/// a cold target folder each time. Ours with the default features, ours with PAT v3 alone (with and
/// without TLS), and progenitor's crate for the same spec (as it generates it: no TLS; and given the same
/// TLS as ours) when cargo-progenitor is installed. Medians of [`BUILD_ROUNDS`] alternating rounds.
fn build_rows(root: &Path, deps: usize) -> Result<Vec<(String, String, String)>> {
    let scratch = std::env::temp_dir().join(format!("sailpoint-pat-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let rows = build_rows_in(root, deps, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    rows
}

/// The `spec/` PAT crate as a crate outside this workspace gets it, in `dir`: generated with its runtime
/// embedded (`generated/` depends on the workspace's `runtime/` by path instead, which a copy cannot).
fn spec_pat_crate(root: &Path, dir: &Path) -> Result<()> {
    let spec = root.join("spec");
    let inputs = generator::load_inputs(&spec, None)?;
    let options = generator::Options::default().with_settings(&spec)?;
    generator::generate(&inputs, &options)?.files.write(dir)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

fn build_rows_in(root: &Path, deps: usize, scratch: &Path) -> Result<Vec<(String, String, String)>> {
    let ours = scratch.join("sailpoint-pat");
    spec_pat_crate(root, &ours)?;
    let progenitor = progenitor_crates(root, scratch)?;
    let v3_tls = ["--no-default-features", "--features", "v3,rustls-ring"];
    let v3_bare = ["--no-default-features", "--features", "v3"];
    let mut times: [Vec<BuildTime>; 5] = Default::default();
    for round in 1..=BUILD_ROUNDS {
        eprintln!("    clean builds, round {round} of {BUILD_ROUNDS}");
        times[0].push(timed_build(&ours, &[], "clean build with the default features")?);
        times[1].push(timed_build(&ours, &v3_tls, "clean build of v3 with rustls + ring")?);
        times[2].push(timed_build(&ours, &v3_bare, "clean build of v3 without TLS")?);
        if let Some((bare, tls)) = &progenitor {
            times[3].push(timed_build(bare, &[], "clean build of progenitor's crate")?);
            times[4].push(timed_build(tls, &[], "clean build of progenitor's crate with rustls + ring")?);
        }
    }
    let wall = |v: &[BuildTime]| median(v.iter().map(|b| b.wall).collect());
    let cpu = |v: &[BuildTime]| median(v.iter().map(|b| b.cpu).collect());
    let runs = |v: &[BuildTime]| v.iter().map(|b| format!("{:.1}", b.wall)).collect::<Vec<_>>().join(", ");
    let versus = |ours: &[BuildTime], theirs: &[BuildTime]| {
        if theirs.is_empty() {
            return format!(
                "{:.1} s, CPU {:.1} s (runs {}); progenitor not measured: `cargo install cargo-progenitor --version 0.15.1 --locked`",
                wall(ours),
                cpu(ours),
                runs(ours)
            );
        }
        format!(
            "{:.1} s vs progenitor {:.1} s: {:.2}x; CPU {:.1} s vs {:.1} s: {:.2}x (wall runs {} vs {})",
            wall(ours),
            wall(theirs),
            wall(ours) / wall(theirs),
            cpu(ours),
            cpu(theirs),
            cpu(ours) / cpu(theirs),
            runs(ours),
            runs(theirs)
        )
    };
    let target = "≤ 1.00x (no slower than progenitor's output for the same spec)".to_string();
    Ok(vec![
        (
            "generated crate, default features (4 versions, rustls + aws-lc, sail CLI config file): clean debug build as a dependency".into(),
            format!("{:.1} s, CPU {:.1} s, {deps} dependencies (runs {})", wall(&times[0]), cpu(&times[0]), runs(&times[0])),
            "4 specs where progenitor builds 1: see the two PAT v3 rows".into(),
        ),
        (
            "PAT v3 with TLS: ours (`--no-default-features --features v3,rustls-ring`) vs progenitor's v3 crate given the same rustls + ring".into(),
            versus(&times[1], &times[4]),
            target.clone(),
        ),
        (
            "PAT v3 without TLS: ours (`--no-default-features --features v3`) vs progenitor's v3 crate as generated (it has no TLS)".into(),
            versus(&times[2], &times[3]),
            target,
        ),
    ])
}

/// progenitor's crate for `spec/v3.yaml` in `scratch/progenitor`, and a copy given the same TLS as ours
/// in `scratch/progenitor-rustls`; `None` when cargo-progenitor is not installed.
fn progenitor_crates(root: &Path, scratch: &Path) -> Result<Option<(PathBuf, PathBuf)>> {
    let installed = Command::new(cargo()).args(["progenitor", "--help"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("    cargo-progenitor is not installed: its builds are not measured");
        return Ok(None);
    }
    let text = std::fs::read_to_string(root.join("spec/v3.yaml"))?;
    let mut spec: serde_norway::Value = serde_norway::from_str(&text).context("spec/v3.yaml")?;
    progenitor_edits(&mut spec);
    let input = scratch.join("pat-v3-progenitor.yaml");
    std::fs::write(&input, serde_norway::to_string(&spec)?)?;
    let bare = scratch.join("progenitor");
    output(
        Command::new(cargo()).args(["progenitor", "--input"]).arg(&input).arg("--output").arg(&bare).args([
            "--name",
            "pat-v3-progenitor",
            "--version",
            "0.1.0",
        ]),
        "cargo progenitor",
    )?;
    std::fs::copy(root.join("Cargo.lock"), bare.join("Cargo.lock"))?;
    let tls = scratch.join("progenitor-rustls");
    copy_dir(&bare, &tls)?;
    let manifest = std::fs::read_to_string(tls.join("Cargo.toml"))?;
    std::fs::write(tls.join("Cargo.toml"), with_rustls_ring(&manifest)?)?;
    // Downloads and lock-file updates happen here, not inside the timed builds.
    for dir in [&bare, &tls] {
        output(Command::new(cargo()).args(["fetch", "--quiet"]).current_dir(dir), "cargo fetch")?;
    }
    Ok(Some((bare, tls)))
}

/// progenitor's manifest given the TLS our `rustls-ring` feature gives: reqwest's rustls without a
/// provider, and rustls with ring.
fn with_rustls_ring(manifest: &str) -> Result<String> {
    let (head, tail) = manifest.split_once("\nreqwest = ").context("progenitor's Cargo.toml has no reqwest line")?;
    let line = tail.lines().next().unwrap_or_default();
    ensure!(line.contains("features = ["), "progenitor's reqwest line has no features list: {line}");
    let tail = tail.replacen("features = [", "features = [\"rustls-no-provider\", ", 1);
    Ok(format!(
        "{head}\nrustls = {{ version = \"0.23\", default-features = false, features = [\"std\", \"tls12\", \"ring\"] }}\nreqwest = {tail}"
    ))
}

/// The three edits progenitor 0.15.1 needs to take `spec/v3.yaml` and generate a crate that compiles:
/// - it accepts only `application/json` request bodies: `application/json-patch+json` is renamed;
/// - it asserts that all error responses share one body type (`response_types.len() <= 1`): the 401
///   and 429 bodies, which differ from the others, become `ErrorResponseDto`;
/// - a nullable enum with `null` among its values comes out as two types of one name: the `null` goes.
///
/// Returns how many places were edited.
fn progenitor_edits(spec: &mut serde_norway::Value) -> usize {
    use serde_norway::Value;
    let mut edits = 0;
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_mapping_mut) {
        for (_, item) in paths.iter_mut() {
            let Some(item) = item.as_mapping_mut() else { continue };
            for (_, op) in item.iter_mut() {
                let Some(content) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")) else { continue };
                let Some(content) = content.as_mapping_mut() else { continue };
                if let Some(media) = content.remove("application/json-patch+json") {
                    content.insert(Value::from("application/json"), media);
                    edits += 1;
                }
            }
        }
    }
    if let Some(responses) =
        spec.get_mut("components").and_then(|c| c.get_mut("responses")).and_then(Value::as_mapping_mut)
    {
        for (_, response) in responses.iter_mut() {
            let Some(schema) = response
                .get_mut("content")
                .and_then(|c| c.get_mut("application/json"))
                .and_then(|m| m.get_mut("schema"))
            else {
                continue;
            };
            if schema.get("$ref").is_none() {
                let mut reference = serde_norway::Mapping::new();
                reference.insert(Value::from("$ref"), Value::from("#/components/schemas/ErrorResponseDto"));
                *schema = Value::Mapping(reference);
                edits += 1;
            }
        }
    }
    if let Some(schemas) = spec.get_mut("components").and_then(|c| c.get_mut("schemas")).and_then(Value::as_mapping_mut)
    {
        for (_, schema) in schemas.iter_mut() {
            let Some(values) = schema.get_mut("enum").and_then(Value::as_sequence_mut) else { continue };
            if values.iter().any(Value::is_null) {
                values.retain(|v| !v.is_null());
                if let Some(schema) = schema.as_mapping_mut() {
                    schema.remove("nullable");
                }
                edits += 1;
            }
        }
    }
    edits
}

/// `cargo xtask bench-tags`: what tag features save a whole-API crate, as clean debug builds of a
/// downstream dependency (same method as [`build_rows`]: a copy outside the workspace, this workspace's
/// lock file, a cold target folder each time), configurations interleaved round by round. SailPoint's
/// full v3 crate with its default features and with only `personal-access-tokens`, the `spec/` PAT
/// crate with v3 alone (the same TLS and config features), and the full v2024 crate with every tag;
/// then where the time goes: the crate's own compile (a rebuild after touching its `lib.rs`) and its
/// lines per module.
pub fn tags(root: &Path, rounds: usize, openapi_generator: Option<&Path>) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("sailpoint-pat-bench-tags-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = tags_in(root, rounds, openapi_generator, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// `cargo xtask bench-tags --tls`: the full v3 crate, clean debug builds as a dependency, with each TLS
/// feature in place of the default `native-tls` (every other default feature on), interleaved.
pub fn tls(root: &Path, rounds: usize) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("sailpoint-pat-bench-tls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let v3 = scratch.join("v3");
    let idn = root.join("../shared/reference/sailpoint-api-specs/idn");
    let result = (|| -> Result<()> {
        whole_api_crate(root, &idn.join("sailpoint-api.v3.yaml"), &v3)?;
        let manifest = std::fs::read_to_string(v3.join("Cargo.toml"))?;
        let tls = ["native-tls", "rustls-aws-lc", "rustls-ring"];
        let others: Vec<&str> = default_features(&manifest)?.into_iter().filter(|f| !tls.contains(f)).collect();
        let features: Vec<String> = tls.iter().map(|t| format!("{t},{}", others.join(","))).collect();
        let mut times: Vec<Vec<BuildTime>> = vec![Vec::new(); tls.len()];
        for round in 1..=rounds.max(1) {
            eprintln!("    clean builds, round {round} of {rounds}");
            for (i, t) in tls.iter().enumerate() {
                let args = ["--no-default-features", "--features", features[i].as_str()];
                times[i].push(timed_build(&v3, &args, &format!("full v3 with {t}"))?);
            }
        }
        println!("| full v3 crate, clean debug build as a dependency | wall | CPU | runs |");
        println!("|---|---|---|---|");
        for (i, t) in tls.iter().enumerate() {
            let wall = median(times[i].iter().map(|b| b.wall).collect());
            let cpu = median(times[i].iter().map(|b| b.cpu).collect());
            let runs = times[i].iter().map(|b| format!("{:.1}", b.wall)).collect::<Vec<_>>().join(", ");
            println!("| `{t}` | {wall:.1} s | {cpu:.1} s | {runs} |");
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The features a generated crate's manifest turns on by default.
fn default_features(manifest: &str) -> Result<Vec<&str>> {
    let default = manifest
        .lines()
        .find_map(|l| l.strip_prefix("default = ["))
        .context("the generated crate's manifest has no default features")?;
    Ok(default.trim_end_matches(']').split(',').map(|f| f.trim().trim_matches('"')).collect())
}

fn whole_api_crate(root: &Path, spec: &Path, dir: &Path) -> Result<generator::Output> {
    let inputs = generator::load_inputs(spec, None)?;
    let output = generator::generate(&inputs, &generator::Options::default())?;
    output.files.write(dir)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(output)
}

/// The three spots where openapi-generator 7.26's Rust output for SailPoint's v3 spec does not compile,
/// each with its fix: an operation named `remove` (error enum `R#moveError`), a `oneOf` member named
/// `ArrayVecserde_json::Value`, and `{id}` in a path whose parameter is `filterId`. Returns how many files
/// each fix changed (each must change one).
fn openapi_generator_fixes(dir: &Path) -> Result<[usize; 3]> {
    let fixes: [(&str, &str); 3] = [
        ("R#moveError", "RMoveError"),
        ("ArrayVecserde_json::Value(", "ArrayVecValue("),
        (
            "/campaign-filters/{id}\", configuration.base_path, filterId=",
            "/campaign-filters/{filterId}\", configuration.base_path, filterId=",
        ),
    ];
    let mut counts = [0; 3];
    let mut stack = vec![dir.join("src")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut text = std::fs::read_to_string(&path)?;
            let mut changed = false;
            for (i, (from, to)) in fixes.iter().enumerate() {
                if text.contains(from) {
                    text = text.replace(from, to);
                    counts[i] += 1;
                    changed = true;
                }
            }
            if changed {
                std::fs::write(&path, text)?;
            }
        }
    }
    Ok(counts)
}

/// openapi-generator's Rust client for `spec` in `dir`, made to compile by [`openapi_generator_fixes`],
/// with this workspace's lock file and its extra crates fetched before any timing.
fn openapi_generator_crate(cli: &Path, spec: &Path, dir: &Path) -> Result<()> {
    output(
        Command::new(cli).args(["generate", "-g", "rust", "--skip-validate-spec", "-i"]).arg(spec).arg("-o").arg(dir),
        "openapi-generator generate",
    )?;
    let counts = openapi_generator_fixes(dir)?;
    ensure!(counts == [1, 1, 1], "openapi-generator's output changed: the known fixes applied {counts:?} times");
    Ok(())
}

fn tags_in(root: &Path, rounds: usize, openapi_generator: Option<&Path>, scratch: &Path) -> Result<()> {
    let idn = root.join("../shared/reference/sailpoint-api-specs/idn");
    let v3 = scratch.join("v3");
    let v2024 = scratch.join("v2024");
    let v3_out = whole_api_crate(root, &idn.join("sailpoint-api.v3.yaml"), &v3)?;
    whole_api_crate(root, &idn.join("sailpoint-api.v2024.yaml"), &v2024)?;
    let pat = scratch.join("sailpoint-pat");
    spec_pat_crate(root, &pat)?;
    let manifest = std::fs::read_to_string(v3.join("Cargo.toml"))?;
    let (versions, tags) = crate::tags::declared(&manifest);
    ensure!(
        tags.iter().any(|t| t == "personal-access-tokens"),
        "the full v3 crate has no personal-access-tokens feature"
    );
    let v3_pat = format!("{},personal-access-tokens,native-tls,config-file", versions.join(","));
    let v3_pat_args = ["--no-default-features", "--features", v3_pat.as_str()];
    let pat_args = ["--no-default-features", "--features", "v3,native-tls,config-file"];
    let oag = scratch.join("openapi-generator");
    if let Some(cli) = openapi_generator {
        openapi_generator_crate(cli, &idn.join("sailpoint-api.v3.yaml"), &oag)?;
        std::fs::copy(root.join("Cargo.lock"), oag.join("Cargo.lock"))?;
        output(Command::new(cargo()).args(["fetch", "--quiet"]).current_dir(&oag), "cargo fetch (openapi-generator)")?;
    }
    // Their default TLS is native-tls (the system's OpenSSL), as ours is; `rustls` gives them rustls + aws-lc.
    let oag_rustls = ["--no-default-features", "--features", "rustls"];
    // Ours with the same rustls + aws-lc, every other default feature on: the like-for-like pair to theirs.
    let v3_aws_lc: String = default_features(&manifest)?
        .into_iter()
        .map(|f| if f == "native-tls" { "rustls-aws-lc" } else { f })
        .collect::<Vec<_>>()
        .join(",");
    ensure!(v3_aws_lc.contains("rustls-aws-lc"), "the full v3 crate's default features have no native-tls");
    let v3_aws_lc_args = ["--no-default-features", "--features", v3_aws_lc.as_str()];
    let mut times: [Vec<BuildTime>; 7] = Default::default();
    for round in 1..=rounds.max(1) {
        eprintln!("    clean builds, round {round} of {rounds}");
        times[0].push(timed_build(&v3, &[], "full v3, default features")?);
        if openapi_generator.is_some() {
            times[4].push(timed_build(&oag, &[], "openapi-generator's v3 crate, default features")?);
            times[5].push(timed_build(&oag, &oag_rustls, "openapi-generator's v3 crate, rustls")?);
            times[6].push(timed_build(&v3, &v3_aws_lc_args, "full v3, rustls-aws-lc")?);
        }
        times[1].push(timed_build(&v3, &v3_pat_args, "full v3, personal-access-tokens alone")?);
        times[2].push(timed_build(&pat, &pat_args, "spec/ PAT crate, v3 alone")?);
    }
    eprintln!("    clean build of the full v2024 crate");
    times[3].push(timed_build(&v2024, &[], "full v2024, every tag")?);
    let wall = |v: &[BuildTime]| median(v.iter().map(|b| b.wall).collect());
    let cpu = |v: &[BuildTime]| median(v.iter().map(|b| b.cpu).collect());
    let runs = |v: &[BuildTime]| v.iter().map(|b| format!("{:.1}", b.wall)).collect::<Vec<_>>().join(", ");
    let row = |name: &str, v: &[BuildTime]| {
        println!("| {name} | {:.1} s, CPU {:.1} s (runs {}) |", wall(v), cpu(v), runs(v));
    };
    println!("| clean debug build as a dependency | time |");
    println!("|---|---|");
    row(&format!("full v3 crate, default features ({} tags)", tags.len()), &times[0]);
    row("full v3 crate, `personal-access-tokens` alone", &times[1]);
    row("`spec/` PAT crate, `v3` alone", &times[2]);
    row("full v2024 crate, default features (every tag)", &times[3]);
    if openapi_generator.is_some() {
        row("openapi-generator 7.26's v3 crate (3 fixes), default features (native-tls)", &times[4]);
        row("openapi-generator 7.26's v3 crate (3 fixes), `rustls` (reqwest's rustls + aws-lc)", &times[5]);
        row("full v3 crate, `rustls-aws-lc` in place of `native-tls`", &times[6]);
        println!(
            "full v3 default / openapi-generator default (both native-tls): {:.2}x wall, {:.2}x CPU (target ≤ 0.65x); both with rustls + aws-lc: {:.2}x wall, {:.2}x CPU",
            wall(&times[0]) / wall(&times[4]),
            cpu(&times[0]) / cpu(&times[4]),
            wall(&times[6]) / wall(&times[5]),
            cpu(&times[6]) / cpu(&times[5])
        );
    }
    println!(
        "full v3 with personal-access-tokens alone / spec/ PAT crate: {:.2}x wall, {:.2}x CPU (target ≤ 1.3x)",
        wall(&times[1]) / wall(&times[2]),
        cpu(&times[1]) / cpu(&times[2])
    );
    // Where the time goes: each crate's own compile once its dependencies are built, without incremental
    // compilation (a rebuild after touching `lib.rs` is then the whole crate); `check` is the front end
    // alone (expansion, type and borrow checking), the rest is code generation.
    for (name, dir) in [("full v3 crate", &v3), ("openapi-generator's v3 crate", &oag)] {
        if !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let target = dir.join("target");
        let _ = std::fs::remove_dir_all(&target);
        let run = |verb: &str, what: &str| -> Result<(f64, f64)> {
            let lib = dir.join("src/lib.rs");
            let text = std::fs::read_to_string(&lib)?;
            std::fs::write(&lib, format!("{text}\n"))?;
            let (t, c) = (Instant::now(), children_cpu_secs());
            output(
                Command::new(cargo())
                    .args([verb, "--quiet", "--target-dir"])
                    .arg(&target)
                    .env("CARGO_INCREMENTAL", "0")
                    .current_dir(dir),
                what,
            )?;
            Ok((t.elapsed().as_secs_f64(), children_cpu_secs() - c))
        };
        run("build", "dependencies")?;
        let (bw, bc) = run("build", "the crate alone")?;
        run("check", "dependencies (check)")?;
        let (cw, cc) = run("check", "the crate alone (check)")?;
        println!(
            "{name}'s own compile (dependencies built, not incremental): {bw:.1} s, CPU {bc:.1} s; of it the front end (`cargo check`) {cw:.1} s, CPU {cc:.1} s"
        );
        let _ = std::fs::remove_dir_all(&target);
    }
    let mut by_module: Vec<(String, usize)> = Vec::new();
    for (path, text) in &v3_out.files.files {
        if let Some(rest) = path.strip_prefix("src/")
            && rest.ends_with(".rs")
        {
            by_module.push((rest.to_string(), text.lines().count()));
        }
    }
    by_module.sort_by_key(|m| std::cmp::Reverse(m.1));
    let total: usize = by_module.iter().map(|(_, n)| n).sum();
    let top: Vec<String> = by_module.iter().take(6).map(|(p, n)| format!("{p} {n}")).collect();
    println!("full v3 lines of Rust: {total}; largest files: {}", top.join(", "));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progenitor_edits_touch_exactly_the_three_known_spots_of_spec_v3() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join("spec/v3.yaml")).unwrap();
        let mut spec: serde_norway::Value = serde_norway::from_str(&text).unwrap();
        // json-patch body (1), the 401 and 429 bodies (2), LocaleOrigin (1).
        assert_eq!(progenitor_edits(&mut spec), 4);
        let patch = &spec["paths"]["/personal-access-tokens/{id}"]["patch"]["requestBody"]["content"];
        assert!(patch.get("application/json").is_some() && patch.get("application/json-patch+json").is_none());
        let origin = &spec["components"]["schemas"]["LocaleOrigin"];
        assert!(origin.get("nullable").is_none());
        assert_eq!(origin["enum"].as_sequence().unwrap().len(), 2);
        assert_eq!(progenitor_edits(&mut spec), 0, "the edits are idempotent");
    }

    #[test]
    fn children_cpu_time_counts_a_finished_child() {
        let before = children_cpu_secs();
        let status = Command::new("sh").args(["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"]).status();
        assert!(status.unwrap().success());
        let used = children_cpu_secs() - before;
        assert!(used > 0.0 && used < 60.0, "{used}");
    }

    #[test]
    fn progenitor_manifest_gets_the_same_tls_as_ours() {
        let manifest = "[dependencies]\nbytes = \"1\"\nreqwest = { version = \"0.13\", default-features=false, features = [\"json\"] }\nserde = \"1\"\n";
        let out = with_rustls_ring(manifest).unwrap();
        assert!(out.contains("features = [\"rustls-no-provider\", \"json\"]"), "{out}");
        assert!(out.contains(
            "rustls = { version = \"0.23\", default-features = false, features = [\"std\", \"tls12\", \"ring\"] }"
        ));
        assert!(out.ends_with("serde = \"1\"\n"));
        assert!(with_rustls_ring("[dependencies]\nreqwest = \"0.13\"\n").is_err());
    }
}
