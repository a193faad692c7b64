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

/// How long one version's driver may run (SailPoint's full v3, 358 operations, takes about 12 s).
const DRIVER_DEADLINE: Duration = Duration::from_secs(600);

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
    /// Serves `document`; `extra` are further `prism mock` options.
    fn start(bin: &Path, document: &Path, port: u16, log: PathBuf, extra: &[&str]) -> Result<Prism> {
        let out = std::fs::File::create(&log)?;
        let child = Command::new(bin.join("prism"))
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--seed", "20261122"])
            .args(extra)
            // Whole specs with deep recursive schemas need more than node's default heap.
            .env("NODE_OPTIONS", "--max-old-space-size=8192")
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
        let prism = Prism::start(&bin, &document, port, work.join(format!("prism-{module}.log")), &[])?;
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

/// What the driver found for one spec (one API module).
#[derive(Default)]
struct Tally {
    /// Operations Prism answered at least once.
    sent: BTreeSet<String>,
    /// (operation, status) pairs judged and passed.
    exercised: BTreeSet<(String, u16)>,
    /// (operation, status) pairs whose requests met a Prism limitation: what followed is not judged.
    limited: BTreeSet<(String, u16)>,
    violations: Vec<String>,
    decode: Vec<String>,
    lost: Vec<String>,
    limits: Vec<String>,
    other: Vec<String>,
}

/// The operation and status a driver line is about (`OP CODE: ...` or `OP CODE`).
fn subject(rest: &str) -> (String, u16) {
    let head = rest.split(": ").next().unwrap_or(rest);
    let mut words = head.split(' ');
    let op = words.next().unwrap_or_default().replace("%20", " ").replace("%25", "%");
    (op, words.next().and_then(|c| c.parse().ok()).unwrap_or(0))
}

impl Tally {
    fn read(stdout: &str, api: &generator::ir::Api, doc: &serde_json::Value) -> Tally {
        let mut t = Tally::default();
        for line in stdout.lines() {
            let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
            let (op, code) = subject(rest);
            let limited = t.limited.contains(&(op.clone(), code));
            match kind {
                "sent" => {
                    t.sent.insert(op);
                }
                "exercised" => {
                    t.exercised.insert((op, code));
                }
                "violation" => {
                    let json = rest.split_once(": ").map_or("", |(_, j)| j);
                    // Prism shortens a long list with this prefix; the list follows in full.
                    let json = json.strip_prefix("Too many violations! ").unwrap_or(json);
                    let found: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
                    let operation = api.operations.iter().find(|o| o.id == op);
                    let mut real = Vec::new();
                    let mut reasons = BTreeSet::new();
                    for v in &found {
                        match operation.and_then(|o| prism_limit(v, api, o, doc)) {
                            Some(why) => {
                                reasons.insert(why);
                            }
                            None => real.push(v.to_string()),
                        }
                    }
                    if found.is_empty() {
                        // A list cut short by the header's length: only its locations can be read.
                        if json.contains(r#""location":["response""#) && !json.contains(r#""location":["request""#) {
                            reasons.insert("prism-limit: Prism generated a body its own schema rejects".to_string());
                        } else {
                            real.push(json.to_string());
                        }
                    }
                    if real.is_empty() {
                        let why: Vec<String> = reasons.into_iter().collect();
                        t.limits.push(format!("{op} {code}: {}", why.join("; ")));
                        t.limited.insert((op, code));
                    } else {
                        t.violations.push(format!("{op} {code}: [{}]", real.join(",")));
                    }
                }
                "body" => {
                    // A body that did not decode: Prism's fault when it breaks its own schema.
                    let body: serde_json::Value =
                        serde_json::from_str(rest.split_once(": ").map_or("", |(_, b)| b)).unwrap_or_default();
                    if let Some(schema) = response_schema(api, doc, &op, code)
                        && !crate::sample::conforms(&crate::sample::Sampler::new(doc), &schema, &body, 0)
                    {
                        t.limits
                            .push(format!("{op} {code}: prism-limit: Prism generated a body its own schema rejects"));
                        t.limited.insert((op, code));
                    }
                }
                // A `fallback` is named, but the status is still judged by the call that followed.
                "limit" | "fallback" => {
                    t.limits
                        .push(format!("{op} {code}: prism-limit: {}", rest.split_once(": ").map_or("", |(_, w)| w)));
                    if kind == "limit" {
                        t.limited.insert((op, code));
                    }
                }
                _ if limited && kind != "exercised" => {}
                // An empty body where the operation's schema has one, from an operation another route
                // shares: Prism answered for that other operation (Vault's `/{mount}/config`).
                "decode"
                    if rest.ends_with("EOF while parsing a value at line 1 column 0")
                        && api.operations.iter().find(|o| o.id == op).is_some_and(|o| shares_route(api, o)) =>
                {
                    t.limits.push(format!("{op} {code}: prism-limit: {ANOTHER_ROUTE}"));
                    t.limited.insert((op, code));
                }
                "decode" => t.decode.push(rest.to_string()),
                "lost" => t.lost.push(rest.to_string()),
                // Mistral's `/v1/connectors/{id}#id`: a request line has no fragment, so Prism, which
                // matches it against the path as written, finds no route.
                "failure"
                    if rest.contains("NO_PATH_MATCHED_ERROR")
                        && api.operations.iter().find(|o| o.id == op).is_some_and(|o| o.path.contains('#')) =>
                {
                    t.limits.push(format!("{op} {code}: prism-limit: Prism cannot route a path with a #fragment"));
                    t.limited.insert((op, code));
                }
                // Prism's own refusals of what this operation declares (a body: "No supported content
                // types, but request included a non-empty body"; a documented status: "Requested status
                // code 200 is not defined"), where another template matches the request (Vault's
                // `/{aws_mount_path}/creds/{name}`): Prism judged that other operation.
                "failure"
                    if (rest.contains("#INVALID_CONTENT_TYPE")
                        || (rest.contains("#NOT_FOUND") && rest.contains("Requested status code")))
                        && api.operations.iter().find(|o| o.id == op).is_some_and(|o| shares_route(api, o)) =>
                {
                    t.limits.push(format!("{op} {code}: prism-limit: {ANOTHER_ROUTE}"));
                    t.limited.insert((op, code));
                }
                "failure" => t.other.push(rest.to_string()),
                _ => {}
            }
        }
        t
    }
}

/// Prism routes a request to the first operation whose template matches it, and judges it by that one.
const ANOTHER_ROUTE: &str = "Prism judges the request against another operation whose path template also matches it";

/// Whether one of Prism's violations (`{location, severity, code, message}`) is a limitation of
/// Prism's rather than a fault of the request: the reason, by name. Each rule is as narrow as its
/// evidence, so none can hide a client defect.
fn prism_limit(
    v: &serde_json::Value,
    api: &generator::ir::Api,
    op: &generator::ir::Operation,
    doc: &serde_json::Value,
) -> Option<String> {
    prism_limit_reason(v, api, op, doc).map(|why| {
        if why.starts_with("the spec") { format!("spec-defect: {why}") } else { format!("prism-limit: {why}") }
    })
}

fn prism_limit_reason(
    v: &serde_json::Value,
    api: &generator::ir::Api,
    op: &generator::ir::Operation,
    doc: &serde_json::Value,
) -> Option<&'static str> {
    let location: Vec<&str> = v["location"].as_array().into_iter().flatten().filter_map(|l| l.as_str()).collect();
    // `sl-violations` puts `request` first; Prism's own 422 body does not.
    let location: &[&str] = location.strip_prefix(&["request"]).unwrap_or(&location);
    let message = v["message"].as_str().unwrap_or_default();
    if v["severity"].as_str() != Some("Error") {
        // "We currently do not support this type of security scheme: http/token".
        return Some("Prism does not check this kind of security scheme");
    }
    if location.first() == Some(&"response") {
        return Some("Prism generated a body its own schema rejects");
    }
    // Security that names a scheme the spec does not declare (SailPoint v2024's `UserContextAuth`): no
    // credential can satisfy it, and the generator warned.
    if location.is_empty() && v["code"] == 401 {
        let declared = doc.pointer("/components/securitySchemes").and_then(serde_json::Value::as_object);
        let sampler = crate::sample::Sampler::new(doc);
        let security = sampler
            .operation(op)
            .and_then(|(_, o)| o.get("security"))
            .or_else(|| doc.get("security"))
            .and_then(serde_json::Value::as_array);
        let undeclared = security
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_object)
            .flat_map(|a| a.keys())
            .any(|name| declared.is_none_or(|d| !d.contains_key(name)));
        if undeclared {
            return Some(
                "the spec's security for the operation names a scheme it does not declare (warned when generating)",
            );
        }
    }
    // A parameter the path template and the declarations disagree on, which the generator warned about
    // and sends where the template says: no request can satisfy both.
    let repaired = ["path-parameter-renamed", "path-variable-declared-elsewhere", "path-parameter-not-in-template"];
    if matches!(location.first(), Some(&("path" | "query" | "header")))
        && api
            .warnings
            .iter()
            .any(|w| repaired.contains(&w.kind.slug()) && w.message.contains(&format!("`{}`", op.path)))
    {
        return Some("the spec's path template and parameters disagree (a tolerated defect, warned when generating)");
    }
    // `scope=email%20profile` read as one item: Prism 5.16 does not split these styles.
    if location.len() >= 2
        && location[0] == "query"
        && op.params.iter().any(|p| p.wire_name == location[1] && !p.explode && p.delimiter != ',')
    {
        return Some("Prism does not split a spaceDelimited or pipeDelimited query array");
    }
    // `filter=` as `user_id=x`: Prism builds an exploded object query parameter from the schema's own
    // `properties` only, so one whose properties are in its `oneOf`/`anyOf`/`allOf` members reads as `{}`.
    if location.len() == 2
        && location[0] == "query"
        && let Some(p) = op.params.iter().find(|p| {
            p.wire_name == location[1]
                && p.location == generator::ir::ParamLocation::Query
                && p.explode
                && !p.deep_object
        })
    {
        let sampler = crate::sample::Sampler::new(doc);
        if let Some((item, raw)) = sampler.operation(op)
            && let Some(schema) = crate::driver::param_schema(&sampler, item, raw, p)
        {
            let s = sampler.resolve(schema);
            if s.get("properties").is_none() && ["oneOf", "anyOf", "allOf"].iter().any(|k| s.get(*k).is_some()) {
                return Some(
                    "Prism reads an exploded object query parameter by its own `properties` only, not its oneOf/anyOf/allOf members'",
                );
            }
        }
    }
    // Equinix's `timeframe` (`style: deepObject`, optional, with required members) left out of the
    // request: Prism 5 reads the absent parameter as `{}` and reports its required members missing. The
    // client cannot send it without them (they are not `Option`s in its type).
    if location.len() == 2
        && location[0] == "query"
        && v["code"] == "required"
        && op.params.iter().any(|p| p.wire_name == location[1] && p.deep_object && !p.required)
    {
        return Some("Prism reads an absent optional deepObject query parameter as an empty object");
    }
    // `/v1/conversations#stream` beside `/v1/conversations`: the request line is the same, so Prism
    // judges the request against the operation without the fragment.
    if let Some((bare, _)) = op.path.split_once('#')
        && api.operations.iter().any(|o| o.method == op.method && o.path == bare)
    {
        return Some(
            "Prism judges a request to a path with a #fragment against the operation at the same path without it",
        );
    }
    // Prism routes a request to the first operation whose template matches it (Vault's
    // `/{kv_v2_mount_path}/config` and many more `/{mount}/config`): it then judges another operation.
    // The evidence: Prism requires a member or parameter this operation does not declare at all.
    if v["code"] == "required"
        && shares_route(api, op)
        && let Some(name) = message.split('\'').nth(1)
    {
        let declared = match location.first() {
            Some(&"body") => {
                op.body.is_some() && {
                    let sampler = crate::sample::Sampler::new(doc);
                    sampler.request_schema(op).is_none_or(|s| crate::sample::declared(&sampler, s, name))
                }
            }
            _ => op.params.iter().any(|p| p.wire_name.eq_ignore_ascii_case(name)),
        };
        if !declared {
            return Some(ANOTHER_ROUTE);
        }
    }
    // The same, seen in a rule this operation's schema does not have at that place (Vault's
    // `pki-write-role` judged as SSH's `/{ssh_mount_path}/roles/{role}`: "allowed_domains must be
    // string", where PKI's is an array; "key_type must be equal to one of the allowed values: otp, ca").
    if location.first() == Some(&"body")
        && location.len() >= 2
        && shares_route(api, op)
        && let sampler = crate::sample::Sampler::new(doc)
        && let Some(schema) = sampler.request_schema(op)
    {
        let here = crate::sample::schemas_at(&sampler, schema, &location[1..]);
        let foreign = match v["code"].as_str() {
            // "must be integer,null": none of the types it names is this operation's there.
            Some("type") => message.rsplit_once("must be ").is_some_and(|(_, types)| {
                types
                    .split(',')
                    .filter(|t| *t != "null")
                    .all(|t| !here.iter().any(|s| crate::sample::has_rule(&sampler, s, "type", &serde_json::json!(t))))
            }),
            Some("enum") => message.rsplit_once("allowed values: ").is_some_and(|(_, list)| {
                let theirs: BTreeSet<&str> = list.split(", ").collect();
                !here.iter().any(|s| {
                    crate::sample::enum_values(&sampler, s)
                        .is_some_and(|ours| ours.iter().map(String::as_str).collect::<BTreeSet<_>>() == theirs)
                })
            }),
            _ => false,
        };
        if foreign && !here.is_empty() {
            return Some(ANOTHER_ROUTE);
        }
    }
    // The same, seen in a path parameter this operation does not have (Xero's `/Contacts/{ContactNumber}`
    // judged as `/Contacts/{ContactID}`: "path parameter contactid must match format uuid").
    if location.len() == 2
        && location[0] == "path"
        && shares_route(api, op)
        && !op
            .params
            .iter()
            .any(|p| p.location == generator::ir::ParamLocation::Path && p.wire_name.eq_ignore_ascii_case(location[1]))
    {
        return Some(ANOTHER_ROUTE);
    }
    let body = op.body.as_ref()?;
    if location.first() == Some(&"body") {
        let sampler = crate::sample::Sampler::new(doc);
        let body_schema = sampler.request_schema(op)?;
        let here = crate::sample::schemas_at(&sampler, body_schema, &location[1..]);
        if here.iter().any(|s| crate::sample::allows_nothing(&sampler, s)) {
            return Some("the spec's allOf of enums allows no value (warned when generating: all-of-no-value)");
        }
        // "must NOT have additional properties; found 'devices'".
        if v["code"] == "additionalProperties"
            && let Some(found) = message.rsplit_once("; found '").and_then(|(_, f)| f.strip_suffix('\''))
            && crate::sample::closed_against(&sampler, &here, found)
        {
            return Some(
                "the spec closes an object (additionalProperties: false) against a property its allOf declares or it requires (warned when generating: all-of-closed-member, undeclared-required)",
            );
        }
        if v["code"] == "format" && here.iter().any(|s| crate::sample::format_excluded_by_length(&sampler, s)) {
            return Some("the spec's string format and its length bounds allow no value (a `uuid` of 24 characters)");
        }
    }
    if location.first() == Some(&"body") && v["code"] == "oneOf" {
        let sampler = crate::sample::Sampler::new(doc);
        let body_schema = sampler.request_schema(op)?;
        // The schemas at the violation's place (the body, or a member of it) that are a `oneOf`.
        let here: Vec<serde_json::Value> = crate::sample::schemas_at(&sampler, body_schema, &location[1..])
            .into_iter()
            .flat_map(|s| [s.clone(), sampler.resolve(&s).clone()])
            .filter(|s| s.get("oneOf").is_some())
            .collect();
        if here.iter().any(|s| s.get("discriminator").is_some()) {
            return Some("Prism checks a oneOf body without its discriminator, and its variants overlap");
        }
        let mut sampler = crate::sample::Sampler::new(doc);
        if here.iter().any(|s| crate::sample::one_of_overlaps(&mut sampler, s)) {
            return Some("the spec's oneOf variants overlap: every body that matches one matches another");
        }
    }
    if body.encoding == generator::ir::BodyEncoding::Form
        && location.len() == 2
        && location[0] == "body"
        && (message.ends_with("must be array") || message.ends_with("must be array,null"))
    {
        // OpenAPI's form style repeats the field (`a=x&a=y`); Prism reads only `a[]=x&a[]=y` as a list.
        return Some("Prism reads a repeated form field as one value");
    }
    if body.encoding == generator::ir::BodyEncoding::Multipart
        && location.len() == 2
        && location[0] == "body"
        && (message.ends_with("must be object") || message.ends_with("must be array"))
    {
        return Some("Prism reads a JSON part of a multipart body as text");
    }
    None
}

/// Whether another operation with the same method has a path template that matches every path this
/// one's does or some of them (segment by segment, literals equal or either a parameter).
fn shares_route(api: &generator::ir::Api, op: &generator::ir::Operation) -> bool {
    let segments = |p: &str| p.split('/').map(str::to_string).collect::<Vec<_>>();
    let mine = segments(&op.path);
    let param = |s: &str| s.starts_with('{') && s.ends_with('}');
    api.operations.iter().any(|other| {
        let theirs = segments(&other.path);
        other.id != op.id
            && other.method == op.method
            && theirs.len() == mine.len()
            && mine.iter().zip(&theirs).all(|(a, b)| a == b || param(a) || param(b))
            && mine.iter().zip(&theirs).any(|(a, b)| a != b)
    })
}

/// The schema of operation `id`'s `code` response body in the bundled document.
fn response_schema(
    api: &generator::ir::Api,
    doc: &serde_json::Value,
    id: &str,
    code: u16,
) -> Option<serde_json::Value> {
    let op = api.operations.iter().find(|o| o.id == id)?;
    crate::sample::Sampler::new(doc).response_schema(op, code).cloned()
}

/// The `lost OP CODE: paths` findings reduced to the paths the response's schema declares (Prism makes
/// up extra members where a schema allows them, and `--json-schema-faker-fillProperties=false` does not
/// stop it in Prism 5.16); findings with none left are dropped.
fn declared_losses(api: &generator::ir::Api, doc: &serde_json::Value, found: &[String]) -> Vec<String> {
    let sampler = crate::sample::Sampler::new(doc);
    let mut out = Vec::new();
    for finding in found {
        let (head, paths) = finding.split_once(": ").unwrap_or((finding, ""));
        let (id, code) = head.split_once(' ').unwrap_or((head, ""));
        let schema = code.parse().ok().and_then(|c| response_schema(api, doc, id, c)).unwrap_or_default();
        let kept: Vec<&str> = paths.split(", ").filter(|p| crate::sample::declared(&sampler, &schema, p)).collect();
        if !kept.is_empty() {
            out.push(format!("{head}: {}", kept.join(", ")));
        }
    }
    out
}

/// `cargo xtask conformance --spec ROOT`: generates the crate of any spec (a file, a split spec's
/// root, or a folder of versions), renders the every-operation driver from the IR, and runs it against
/// Prism serving each version. One line per version, its failures, then `N passed, M failed`.
pub fn run_spec(root: &Path, spec: &Path) -> Result<bool> {
    let bin = install_tools(root)?;
    let started = Instant::now();
    // Paths shown as given from where the command runs (`spec/v3.yaml`, `../shared/...`).
    let inputs = generator::load_inputs(spec, std::env::current_dir().ok().as_deref())?;
    let options = crate::corpus::options(root, spec)?;
    let krate = generator::lower_all(&inputs, &options)?;
    let output = generator::render_crate(&krate)?;
    let work = root.join("target/conformance-spec");
    std::fs::create_dir_all(&work)?;
    // Outside the workspace, as a user's crate is; one target folder for every run.
    let dir = std::env::temp_dir().join(format!("xtask-conformance-{}-{}", krate.name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    output.files.write(&dir)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let mut docs = std::collections::BTreeMap::new();
    let mut documents = Vec::new();
    for input in &inputs {
        let Some(api) = krate.apis.values().find(|a| a.source.path == input.display) else { continue };
        let (raw, written) = generator::bundled_and_written(input)?;
        let json: serde_json::Value = serde_json::to_value(&raw).context("the bundled spec as JSON")?;
        // Prism judges by the spec as written (a 3.1 document in 3.1, so the reading of it is judged
        // too); the driver samples from what the generator read.
        let written = serde_json::to_value(written).context("the spec as JSON")?;
        let document = work.join(format!("{}-{}.json", krate.name, api.module));
        std::fs::write(&document, serde_json::to_vec(&prefixed(written, &api.base_path))?)?;
        docs.insert(api.module.clone(), json);
        documents.push((input.display.clone(), api, document));
    }
    std::fs::create_dir_all(dir.join("examples"))?;
    let source = crate::driver::render(&krate, &docs);
    // A copy to read when a finding needs explaining (the crate's folder is removed after the run).
    std::fs::write(work.join(format!("{}-driver.rs", krate.name)), &source)?;
    std::fs::write(dir.join("examples/conformance_driver.rs"), source)?;
    let target = work.join("target");
    let status = Command::new(crate::cargo())
        .args(["build", "--quiet", "--example", "conformance_driver", "--target-dir"])
        .arg(&target)
        .current_dir(&dir)
        .status()?;
    ensure!(status.success(), "the conformance driver of {} does not build (in {})", spec.display(), dir.display());
    eprintln!("    generated and built {} with its driver in {:.1} s", krate.name, started.elapsed().as_secs_f64());
    let driver = target.join("debug/examples/conformance_driver");
    let mut failed = 0;
    for (shown, api, document) in &documents {
        let started = Instant::now();
        let log = work.join(format!("prism-{}-{}.log", krate.name, api.module));
        // The driver's findings, every run's, are kept in a file after the run.
        let findings = work.join(format!("{}-{}.findings", krate.name, api.module));
        let Driven { stdout, status, prism_exited, stderr, restarts } =
            drive(&mut |port| Prism::start(&bin, document, port, log.clone(), &[]), &driver, &api.module, &findings)?;
        let mut t = Tally::read(&stdout, api, &docs[&api.module]);
        t.lost = declared_losses(api, &docs[&api.module], &t.lost);
        for finding in &t.lost {
            let head = finding.split(':').next().unwrap_or_default();
            if let Some((id, code)) = head.split_once(' ') {
                t.exercised.remove(&(id.to_string(), code.parse().unwrap_or(0)));
            }
        }
        let operations = api.operations.len();
        let expected: BTreeSet<(String, u16)> = api
            .operations
            .iter()
            .flat_map(|op| {
                op.responses.iter().filter_map(move |r| match r.status {
                    generator::ir::Status::Code(c) => Some((op.id.clone(), c)),
                    _ => None,
                })
            })
            .collect();
        let ops_done = api.operations.iter().filter(|op| t.sent.contains(&op.id)).count();
        // An operation not sent at all, because Prism cannot take it, is covered when each of its
        // statuses is a named limit.
        let covered = api
            .operations
            .iter()
            .filter(|op| {
                t.sent.contains(&op.id) || expected.iter().filter(|(id, _)| *id == op.id).all(|e| t.limited.contains(e))
            })
            .count();
        let done = expected.intersection(&t.exercised).count();
        println!(
            "{shown}: operations exercised {ops_done}/{operations}, responses exercised {done}/{}, request violations {}, decode failures {}, data lost {}",
            expected.len(),
            t.violations.len(),
            t.decode.len(),
            t.lost.len()
        );
        for (what, list) in
            [("violation", &t.violations), ("decode", &t.decode), ("lost", &t.lost), ("failure", &t.other)]
        {
            for f in list {
                println!("    {what}: {f}");
            }
        }
        if !t.limits.is_empty() {
            let count = |kind: &str| t.limits.iter().filter(|l| l.contains(kind)).count();
            println!("    counted apart: prism-limit {}, spec-defect {}", count("prism-limit:"), count("spec-defect:"));
        }
        for l in &t.limits {
            println!("    {l}");
        }
        let missing: Vec<String> = expected
            .iter()
            .filter(|e| !t.exercised.contains(*e) && !t.limited.contains(*e))
            .map(|(id, code)| format!("{id} {code}"))
            .collect();
        if !missing.is_empty() {
            println!("    not exercised: {}", missing.join(", "));
        }
        let unjudged = expected.iter().filter(|e| !t.exercised.contains(*e) && !t.limited.contains(*e)).count();
        eprintln!("    {} judged in {:.1} s", api.module, started.elapsed().as_secs_f64());
        if restarts > 0 {
            println!("    Prism was restarted {restarts} times (each stall above is named)");
        }
        let finished = status.is_some_and(|s| s.success());
        if let Some((status, log)) = &prism_exited {
            let last: Vec<&str> = log.lines().rev().take(3).collect();
            println!("    Prism exited during the run ({status}); its log ends: {}", last.join(" | "));
        }
        match status {
            None => {
                println!("    the driver was stopped after {} s (Prism or the client hung)", DRIVER_DEADLINE.as_secs())
            }
            Some(s) if !s.success() => println!("    the driver failed ({s}): {stderr}"),
            Some(_) => {}
        }
        if !finished
            || prism_exited.is_some()
            || covered != operations
            || unjudged != 0
            || !t.violations.is_empty()
            || !t.decode.is_empty()
            || !t.lost.is_empty()
            || !t.other.is_empty()
        {
            failed += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{} passed, {failed} failed", documents.len() - failed);
    Ok(failed == 0)
}

/// How often one version's run restarts Prism after it stalled before the run is given up.
const MAX_RESTARTS: usize = 30;

/// What each restart adds to [`DRIVER_DEADLINE`].
const RESTART_ALLOWANCE: Duration = Duration::from_secs(30);

/// What one version's driver runs left: their findings, and how the last one ended.
#[derive(Debug)]
struct Driven {
    stdout: String,
    /// `None` when the deadline stopped the driver.
    status: Option<std::process::ExitStatus>,
    /// Prism's exit status and log tail, when it exited during the last run.
    prism_exited: Option<(std::process::ExitStatus, String)>,
    stderr: String,
    restarts: usize,
}

/// Runs the driver of `module` against Prism serving `document`. When Prism stops answering (the
/// driver's `stalled K OP N` line: a request timed out, or the connection failed), that call is named
/// (a timeout, or Prism's exit, is Prism's limit; a failed connection to a live Prism is a failure) and
/// Prism and the driver start again after call `K`, so one body Prism cannot build (a deep recursive
/// schema, a heap it runs out of) does not end the run. A run past [`DRIVER_DEADLINE`] (and
/// [`RESTART_ALLOWANCE`] per restart) is stopped and judged on what it found.
fn drive(start: &mut dyn FnMut(u16) -> Result<Prism>, driver: &Path, module: &str, findings: &Path) -> Result<Driven> {
    let mut deadline = Instant::now() + DRIVER_DEADLINE;
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    let mut from = 0usize;
    let mut restarts = 0;
    let (status, prism_exited, stderr) = loop {
        let port = free_port()?;
        let mut prism = start(port)?;
        let mut child = Command::new(driver)
            .args([module.to_string(), format!("http://127.0.0.1:{port}"), from.to_string()])
            .stdout(std::fs::File::create(findings)?)
            .stderr(Stdio::piped())
            .spawn()?;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        // Prism can exit mid-run (out of memory building a deep body).
        let prism_exited = prism.child.try_wait().ok().flatten().map(|s| (s, prism.log_tail()));
        drop(prism);
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        let text = std::fs::read_to_string(findings).unwrap_or_default();
        let mut stalled = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("stalled ") {
                stalled = Some(rest.to_string());
                continue;
            }
            // A resumed operation samples its values again: a rejected value is one finding.
            if line.starts_with("decode ") && subject(&line["decode ".len()..]).1 == 0 && !seen.insert(line.to_string())
            {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        let Some(rest) = stalled else { break (status, prism_exited, stderr) };
        let (head, why) = rest.split_once(": ").unwrap_or((&rest, ""));
        let (call, subject) = head.split_once(' ').unwrap_or((head, ""));
        // A body Prism could not build from its schema is asked for again as the spec's example: the
        // stall is named, and that status is still judged.
        let (kind, subject, then) = match subject.strip_prefix("example ") {
            Some(s) => ("fallback", s, "; the spec's example was asked for instead"),
            None => ("limit", subject, ""),
        };
        match &prism_exited {
            Some((exit, log)) => {
                let last = log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
                out.push_str(&format!(
                    "{kind} {subject}: Prism exited building this response ({exit}; its log ends: {}){then}\n",
                    last.trim()
                ));
            }
            None if why == "timeout" => {
                out.push_str(&format!("{kind} {subject}: Prism did not answer within 20 s (it was restarted){then}\n"))
            }
            None => out.push_str(&format!("failure {subject}: {why}\n")),
        }
        restarts += 1;
        // The stalled request's 20 s and Prism's start are not the driver's time.
        deadline += RESTART_ALLOWANCE;
        if restarts > MAX_RESTARTS || status.is_none() {
            break (status, prism_exited, stderr);
        }
        from = call.parse().context("the call number of a stalled driver")?;
    };
    std::fs::write(findings, &out)?;
    Ok(Driven { stdout: out, status, prism_exited, stderr, restarts })
}

/// The document with every path prefixed by the server URL's path, as the real server routes them
/// (Prism routes without it).
fn prefixed(mut doc: serde_json::Value, base_path: &str) -> serde_json::Value {
    if let Some(serde_json::Value::Object(paths)) = doc.get_mut("paths") {
        let taken = std::mem::take(paths);
        for (path, item) in taken {
            paths.insert(format!("{}{path}", base_path.trim_end_matches('/')), item);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /up:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                meta: {type: object, properties: {pages: {type: integer}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {a: {type: string}}}
        '400': {description: bad}
"#;

    fn api() -> (generator::ir::Api, serde_json::Value) {
        let input =
            generator::SpecInput { display: "t.yaml".into(), bytes: SPEC.into(), module: "t".into(), dir: None };
        let krate = generator::lower_all(std::slice::from_ref(&input), &generator::Options::default()).unwrap();
        let doc = serde_json::to_value(generator::bundled(&input).unwrap()).unwrap();
        (krate.apis.into_values().next().unwrap(), doc)
    }

    #[test]
    fn findings_are_sorted_into_violations_limits_and_declared_losses() {
        let (api, doc) = api();
        let stdout = r#"sent upload
violation upload 200: [{"location":["request","body","meta"],"severity":"Error","code":"type","message":"Request body property meta must be object"}]
failure upload 200: the API answered with an undocumented status 422
sent upload
violation upload 400: [{"location":["request","query","x"],"severity":"Error","code":"type","message":"Request query parameter x must be integer"}]
exercised upload 400
lost upload 200: a, made_up
"#;
        let mut t = Tally::read(stdout, &api, &doc);
        // Prism's misreading of a JSON multipart part is named, and what followed it is not judged.
        assert_eq!(t.limits, vec!["upload 200: prism-limit: Prism reads a JSON part of a multipart body as text"]);
        assert!(t.limited.contains(&("upload".to_string(), 200)));
        assert!(t.other.is_empty(), "{:?}", t.other);
        // A violation of the request's own making counts.
        assert_eq!(t.violations.len(), 1);
        assert!(t.exercised.contains(&("upload".to_string(), 400)));
        // Of the members lost, only the one the schema declares counts.
        t.lost = declared_losses(&api, &doc, &t.lost);
        assert!(t.lost.is_empty(), "the limited status is not judged: {:?}", t.lost);
        let t = Tally::read("lost upload 200: a, made_up\n", &api, &doc);
        assert_eq!(declared_losses(&api, &doc, &t.lost), vec!["upload 200: a"]);
    }

    /// A one-file spec's API, lowered, and its bundled document.
    fn lowered(spec: &str) -> (generator::ir::Api, serde_json::Value) {
        let input =
            generator::SpecInput { display: "t.yaml".into(), bytes: spec.into(), module: "t".into(), dir: None };
        let krate = generator::lower_all(std::slice::from_ref(&input), &generator::Options::default()).unwrap();
        let doc = serde_json::to_value(generator::bundled(&input).unwrap()).unwrap();
        (krate.apis.into_values().next().unwrap(), doc)
    }

    #[test]
    fn a_required_member_the_operation_does_not_declare_is_prism_judging_another_route() {
        let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /{mount}/config:
    post:
      operationId: configureKv
      parameters: [{name: mount, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {max: {type: integer, nullable: true}, mode: {type: string, enum: [a, b]}}}}}
      responses: {'204': {description: ok}}
  /{auth}/config:
    post:
      operationId: configureAuth
      parameters: [{name: auth, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [token], properties: {token: {type: string}}}}}
      responses: {'204': {description: ok}}
"#;
        let (api, doc) = lowered(spec);
        let kv = api.operations.iter().find(|o| o.id == "configureKv").unwrap();
        let auth = api.operations.iter().find(|o| o.id == "configureAuth").unwrap();
        let token = serde_json::json!({"location": ["request", "body"], "severity": "Error", "code": "required",
            "message": "Request body must have required property 'token'"});
        assert!(prism_limit(&token, &api, kv, &doc).is_some_and(|w| w.contains("another operation")));
        // The operation that declares `token` really broke its own rule: that is a violation.
        assert_eq!(prism_limit(&token, &api, auth, &doc), None);
        // A path parameter the operation does not have (Xero's `{ContactNumber}` judged as `{ContactID}`).
        let path = |name: &str| {
            serde_json::json!({"location": ["request", "path", name], "severity": "Error", "code": "format",
                "message": format!("Request path parameter {name} must match format \"uuid\"")})
        };
        assert!(prism_limit(&path("auth"), &api, kv, &doc).is_some_and(|w| w.contains("another operation")));
        // A body rule this operation's schema does not have there (Vault's `pki-write-role` judged as
        // SSH's role); one it has is the client's.
        let rule = |at: &str, code: &str, message: &str| {
            serde_json::json!({"location": ["request", "body", at], "severity": "Error", "code": code,
                "message": format!("Request body property {at} {message}")})
        };
        for (at, code, message, foreign) in [
            ("max", "type", "must be string", true),
            ("max", "type", "must be integer,null", false),
            ("mode", "enum", "must be equal to one of the allowed values: otp, ca", true),
            ("mode", "enum", "must be equal to one of the allowed values: a, b", false),
        ] {
            let why = prism_limit(&rule(at, code, message), &api, kv, &doc);
            assert_eq!(why.is_some_and(|w| w.contains("another operation")), foreign, "{at} {message}");
        }
        // Without another template that matches, the same violation is the client's.
        let alone = lowered(&spec.replace("/{auth}/config", "/{auth}/settings"));
        let kv_alone = alone.0.operations.iter().find(|o| o.id == "configureKv").unwrap();
        assert_eq!(prism_limit(&rule("max", "type", "must be string"), &alone.0, kv_alone, &alone.1), None);
        // Prism refusing the body or the status this operation declares, as the other operation's.
        let refused = "failure configureKv 204: the API answered with an undocumented status 415 Unsupported Media Type: {\"type\":\"https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE\"}\nfailure configureKv 400: the API answered with an undocumented status 404 Not Found: {\"type\":\"https://stoplight.io/prism/errors#NOT_FOUND\",\"detail\":\"Requested status code 400 is not defined in the document.\"}\n";
        let t = Tally::read(refused, &api, &doc);
        assert_eq!((t.limited.len(), t.other.len()), (2, 0), "{:?}", t.other);
        let t = Tally::read(refused, &alone.0, &alone.1);
        assert_eq!((t.limited.len(), t.other.len()), (0, 2), "without another route, failures");
        assert_eq!(prism_limit(&path("mount"), &api, kv, &doc), None, "its own parameter is the client's");
    }

    #[test]
    fn a_body_closed_against_what_its_all_of_declares_is_a_named_spec_defect() {
        // Linode's `POST /networking/firewalls`, shortened.
        let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /firewalls:
    post:
      operationId: createFirewall
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf: [{$ref: '#/components/schemas/Firewall'}]
              properties:
                devices: {type: object, properties: {linodes: {type: array, items: {type: integer}}}}
                rules:
                  additionalProperties: false
                  properties: {inbound: {type: array, items: {type: string}}}
                  required: [inbound_policy]
      responses: {'204': {description: ok}}
components:
  schemas:
    Firewall:
      type: object
      additionalProperties: false
      properties:
        label: {type: string}
        rules:
          type: object
          additionalProperties: false
          properties: {inbound: {type: array, items: {type: string}}, inbound_policy: {type: string}}
"#;
        let (api, doc) = lowered(spec);
        let op = &api.operations[0];
        let extra = |at: &[&str], found: &str| {
            let mut location = vec!["request", "body"];
            location.extend(at);
            serde_json::json!({"location": location, "severity": "Error", "code": "additionalProperties",
                "message": format!("Request body must NOT have additional properties; found '{found}'")})
        };
        for (at, found) in [(&[][..], "devices"), (&["rules"][..], "inbound_policy")] {
            let why = prism_limit(&extra(at, found), &api, op, &doc);
            assert!(
                why.as_deref().is_some_and(|w| w.starts_with("spec-defect:") && w.contains("all-of-closed-member")),
                "{found}: {why:?}"
            );
        }
        // A property nothing declares is the client's.
        assert_eq!(prism_limit(&extra(&[], "colour"), &api, op, &doc), None);
        assert_eq!(prism_limit(&extra(&["rules"], "outbound"), &api, op, &doc), None);
        assert!(api.warnings.iter().any(|w| w.kind.slug() == "all-of-closed-member"), "{:?}", api.warnings);
    }

    #[test]
    fn a_body_member_whose_all_of_allows_no_value_is_a_named_spec_defect() {
        let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /routes:
    post:
      operationId: createRoute
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                resource: {$ref: '#/components/schemas/Resource'}
                mode: {type: string, enum: [a, b]}
                from: {type: string, format: uuid, minLength: 24, maxLength: 24}
                ref: {type: string, format: uuid}
      responses: {'204': {description: ok}}
components:
  schemas:
    Kind: {type: string, enum: [host, subnet]}
    ResourceType:
      allOf: [{$ref: '#/components/schemas/Kind'}, {type: string, enum: [peer]}]
    Resource:
      type: object
      properties: {type: {$ref: '#/components/schemas/ResourceType'}}
"#;
        let (api, doc) = lowered(spec);
        let op = &api.operations[0];
        let enum_violation = |at: &str| {
            serde_json::json!({"location": ["request", "body", "resource", at], "severity": "Error", "code": "enum",
                "message": "Request body property resource.type must be equal to one of the allowed values"})
        };
        let why = prism_limit(&enum_violation("type"), &api, op, &doc);
        assert!(
            why.as_deref().is_some_and(|w| w.starts_with("spec-defect:") && w.contains("all-of-no-value")),
            "{why:?}"
        );
        // An enum the request really broke is a violation.
        let wrong = serde_json::json!({"location": ["request", "body", "mode"], "severity": "Error", "code": "enum",
            "message": "Request body property mode must be equal to one of the allowed values"});
        assert_eq!(prism_limit(&wrong, &api, op, &doc), None);
        // A `uuid` of 24 characters (Intercom's `from.id`) matches nothing; a plain `uuid` is the client's.
        let format = |at: &str| {
            serde_json::json!({"location": ["request", "body", at], "severity": "Error", "code": "format",
                "message": format!("Request body property {at} must match format \"uuid\"")})
        };
        assert!(prism_limit(&format("from"), &api, op, &doc).is_some_and(|w| w.contains("length bounds")));
        assert_eq!(prism_limit(&format("ref"), &api, op, &doc), None);
    }

    #[test]
    fn prisms_fragment_routes_and_exploded_union_objects_are_named_limits() {
        let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /conversations:
    post:
      operationId: start
      requestBody: {content: {application/json: {schema: {type: object, properties: {stream: {type: boolean, enum: [false]}}}}}}
      responses: {'204': {description: ok}}
  /conversations#stream:
    post:
      operationId: startStream
      requestBody: {content: {application/json: {schema: {type: object, properties: {stream: {type: boolean, enum: [true]}}}}}}
      responses: {'204': {description: ok}}
  /connectors/{id}#id:
    get:
      operationId: getConnector
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
  /events:
    get:
      operationId: listEvents
      parameters:
        - name: filter
          in: query
          required: true
          schema:
            type: object
            oneOf:
              - {properties: {user_id: {type: string}}, required: [user_id]}
              - {properties: {email: {type: string}}, required: [email]}
        - name: near
          in: query
          schema: {type: object, required: [code], properties: {code: {type: string}}}
        - name: timeframe
          in: query
          style: deepObject
          schema: {type: object, required: [started_at], properties: {started_at: {type: string}}}
        - name: window
          in: query
          required: true
          style: deepObject
          schema: {type: object, required: [started_at], properties: {started_at: {type: string}}}
      responses: {'204': {description: ok}}
"#;
        let (api, doc) = lowered(spec);
        let op = |id: &str| api.operations.iter().find(|o| o.id == id).unwrap();
        let stream = serde_json::json!({"location": ["request", "body", "stream"], "severity": "Error", "code": "enum",
            "message": "Request body property stream must be equal to one of the allowed values: false"});
        assert!(prism_limit(&stream, &api, op("startStream"), &doc).is_some_and(|w| w.contains("#fragment")));
        // The operation without the fragment is judged as usual.
        assert_eq!(prism_limit(&stream, &api, op("start"), &doc), None);
        let t = Tally::read(
            "failure getConnector 204: the API answered with an undocumented status 404 Not Found: {\"type\":\"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR\"}\nfailure start 204: the API answered with an undocumented status 404 Not Found: {\"type\":\"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR\"}\n",
            &api,
            &doc,
        );
        assert_eq!(t.limits, vec!["getConnector 204: prism-limit: Prism cannot route a path with a #fragment"]);
        assert_eq!(t.other.len(), 1, "a path without a fragment that Prism cannot route is a failure");
        let required = |name: &str, member: &str| {
            serde_json::json!({"location": ["request", "query", name], "severity": "Error", "code": "required",
                "message": format!("Request query parameter {name} must have required property '{member}'")})
        };
        assert!(
            prism_limit(&required("filter", "user_id"), &api, op("listEvents"), &doc)
                .is_some_and(|w| w.contains("exploded object query parameter"))
        );
        // An object with its own properties is read by Prism: a missing member there is the client's.
        assert_eq!(prism_limit(&required("near", "code"), &api, op("listEvents"), &doc), None);
        // An optional deepObject left out is read by Prism as `{}`; a required one is always sent.
        assert!(
            prism_limit(&required("timeframe", "started_at"), &api, op("listEvents"), &doc)
                .is_some_and(|w| w.contains("absent optional deepObject"))
        );
        assert_eq!(prism_limit(&required("window", "started_at"), &api, op("listEvents"), &doc), None);
    }

    /// A driver that stalls at call 2 the first time it runs, and finishes when resumed after it.
    fn stalling_driver(dir: &Path, head: &str, why: &str) -> PathBuf {
        let driver = dir.join("driver.sh");
        let script = format!(
            "#!/bin/sh\necho \"args $1 $3\"\nif [ \"$3\" = 0 ]; then\n  echo 'decode op 0: rejected'\n  echo 'exercised op 200'\n  echo 'stalled {head}: {why}'\n  exit 3\nfi\necho 'decode op 0: rejected'\necho 'exercised op 500'\n"
        );
        std::fs::write(&driver, script).unwrap();
        let mut perms = std::fs::metadata(&driver).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&driver, perms).unwrap();
        driver
    }

    /// A stand-in for Prism: a process that lives on, or one that has exited (out of memory).
    fn server(dir: &Path, lives: bool) -> Result<Prism> {
        let log = dir.join("prism.log");
        std::fs::write(&log, "FATAL ERROR: Reached heap limit\n\n")?;
        let (cmd, arg) = if lives { ("sleep", "30") } else { ("true", "") };
        let mut child = Command::new(cmd).args([arg].into_iter().filter(|a| !a.is_empty())).spawn()?;
        if !lives {
            child.wait()?;
        }
        Ok(Prism { child, log })
    }

    #[test]
    fn a_run_prism_stops_answering_is_named_and_resumed_after_the_call() {
        let dir = tempfile::tempdir().unwrap();
        let findings = dir.path().join("findings");
        // Prism alive but too slow: its limit, and the run goes on from call 3.
        let driver = stalling_driver(dir.path(), "2 op 404", "timeout");
        let mut starts = 0;
        let d = drive(
            &mut |_| {
                starts += 1;
                server(dir.path(), true)
            },
            &driver,
            "m",
            &findings,
        )
        .unwrap();
        assert_eq!((starts, d.restarts), (2, 1));
        assert!(d.status.is_some_and(|s| s.success()), "{d:?}");
        let lines: Vec<&str> = d.stdout.lines().collect();
        assert_eq!(
            lines,
            [
                "args m 0",
                "decode op 0: rejected",
                "exercised op 200",
                "limit op 404: Prism did not answer within 20 s (it was restarted)",
                "args m 2",
                "exercised op 500",
            ]
        );
        let t = Tally::read(&d.stdout, &api().0, &api().1);
        assert!(t.limited.contains(&("op".to_string(), 404)) && t.exercised.contains(&("op".to_string(), 500)));

        // Prism gone (out of memory): its exit and its log's last line are the limit.
        let mut starts = 0;
        let d = drive(
            &mut |_| {
                starts += 1;
                server(dir.path(), starts > 1)
            },
            &stalling_driver(dir.path(), "2 op 404", "error sending request"),
            "m",
            &findings,
        )
        .unwrap();
        assert!(
            d.stdout.contains("limit op 404: Prism exited building this response (exit status: 0; its log ends: FATAL ERROR: Reached heap limit)"),
            "{}",
            d.stdout
        );

        // A live Prism that dropped the connection: the client's failure, still resumed.
        let d = drive(
            &mut |_| server(dir.path(), true),
            &stalling_driver(dir.path(), "2 op 404", "connection reset"),
            "m",
            &findings,
        )
        .unwrap();
        assert!(d.stdout.contains("failure op 404: connection reset\nargs m 2\n"), "{}", d.stdout);
        assert_eq!(std::fs::read_to_string(&findings).unwrap(), d.stdout, "the findings file holds every run's");

        // A body Prism could not build from its schema: named, and the status is judged by the example
        // call the resumed driver makes.
        let d = drive(
            &mut |_| server(dir.path(), true),
            &stalling_driver(dir.path(), "2 example op 404", "timeout"),
            "m",
            &findings,
        )
        .unwrap();
        assert!(
            d.stdout.contains("fallback op 404: Prism did not answer within 20 s (it was restarted); the spec's example was asked for instead\n"),
            "{}",
            d.stdout
        );
        let t = Tally::read(&format!("{}failure op 404: got 500 instead\n", d.stdout), &api().0, &api().1);
        assert!(!t.limited.contains(&("op".to_string(), 404)), "the status is still judged");
        assert_eq!(t.other, ["op 404: got 500 instead"]);
        assert!(t.limits.iter().any(|l| l.starts_with("op 404: prism-limit: Prism did not answer")), "{:?}", t.limits);
    }
}
