//! The every-operation conformance driver, rendered from the IR (what to call and how) and the bundled
//! spec (what values Prism will accept, see [`crate::sample`]) as an example of the generated crate.
//!
//! For each operation it calls the typed API once with the required arguments and once with every
//! optional parameter and a body with every property, once more per variant of a union body, and once
//! per documented status (`Prefer: code=N, dynamic=true`, so Prism builds each body from its schema).
//! It prints one line per finding, read by `cargo xtask conformance --spec`:
//! `sent OP` (Prism answered), `exercised OP N` (status N judged and passed), `violation OP: ...`
//! (Prism's `sl-violations` header: the request broke the spec), `decode OP N: ...` (a body or a
//! sampled value the types reject, or a body that needed correction), `lost OP N: paths` (members
//! Prism sent that the decoded value no longer has; the xtask keeps those the schema declares),
//! `failure OP N: ...` (anything else), and last, when Prism stops answering (a timeout, or no
//! connection), `stalled K OP N: why` with the call's number `K` (`stalled K example OP N` when the
//! call asked for a body built from the schema: the spec's example is asked for next): the xtask
//! restarts Prism and the driver from the next call.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use generator::ir::{self, BodyEncoding, Operation, Status, TypeRef};
use serde_json::Value;

use crate::sample::{Fill, Sampler};

/// The driver's source for `krate`, whose APIs' bundled documents (as JSON) are in `docs` by module.
pub fn render(krate: &ir::Crate, docs: &BTreeMap<String, Value>) -> String {
    let ident = krate.name.replace('-', "_");
    let mut out = String::new();
    out.push_str(&PRELUDE.replace("CRATE", &ident).replace("LOST\n", include_str!("judge.rs")));
    let mut dispatch = String::new();
    for (module, api) in &krate.apis {
        let Some(doc) = docs.get(module) else { continue };
        let mut names = Vec::new();
        // Every call has a fixed number in its module, so a run Prism stopped resumes after it.
        let mut calls = 0;
        for (n, op) in api.operations.iter().enumerate() {
            let name = format!("{module}_{n}");
            let first = calls;
            out.push_str(&operation(&ident, api, op, doc, &name, &mut calls));
            names.push((name, first, calls));
        }
        let _ = writeln!(out, "\nasync fn {module}(c: &Clients, r: &mut Report) {{");
        for (n, first, last) in &names {
            // An operation without calls (its limits only) runs when the call before it was the last.
            let run = if first == last { format!("r.from <= {first}") } else { format!("r.from < {last}") };
            let _ = writeln!(out, "    if {run} {{ {n}(c, r).await; }}");
        }
        out.push_str("}\n");
        let _ = writeln!(dispatch, "        \"{module}\" => {module}(&clients, &mut report).await,");
    }
    out.push_str(&MAIN.replace("DISPATCH", &dispatch));
    out
}

/// An operation id as one word of a finding line (`%` and spaces percent-encoded).
pub fn op_token(id: &str) -> String {
    id.replace('%', "%25").replace(' ', "%20")
}

/// A JSON value as a Rust raw string literal.
fn lit(v: &Value) -> String {
    let text = v.to_string();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The raw parameter schema for an IR parameter: the operation's own, else its path item's.
pub fn param_schema<'a>(sampler: &'a Sampler<'a>, item: &'a Value, op: &'a Value, p: &ir::Param) -> Option<&'a Value> {
    let lists = [op.get("parameters"), item.get("parameters")];
    for list in lists.into_iter().flatten().filter_map(Value::as_array) {
        for raw in list {
            let raw = sampler.resolve(raw);
            let same = raw.get("name").and_then(Value::as_str) == Some(p.wire_name.as_str())
                && raw.get("in").and_then(Value::as_str) == Some(p.location.as_str());
            if !same {
                continue;
            }
            if let Some(s) = raw.get("schema") {
                return Some(s);
            }
            return raw.get("content").and_then(Value::as_object).and_then(|c| c.values().next()?.get("schema"));
        }
    }
    None
}

fn operation(ident: &str, api: &ir::Api, op: &Operation, doc: &Value, name: &str, calls: &mut usize) -> String {
    let mut sampler = Sampler::new(doc);
    let (item, raw_op) = sampler.operation(op).map(|(i, o)| (i.clone(), o.clone())).unwrap_or_default();
    let tag = api.tags.iter().find(|t| t.name == op.tag).map_or("default", |t| t.module.as_str());
    let ty = |t: &TypeRef| generator::public_ty(t, &api.module, ident);
    let mut s = String::new();
    let _ = writeln!(s, "\n/// `{}` ({} {}).", op.id, op.method.as_str(), op.path);
    let _ = writeln!(s, "async fn {name}(c: &Clients, r: &mut Report) {{");
    // Findings are `kind OP CODE: ...` lines: an id with spaces (Intercom's) is written with `%20`.
    let _ = writeln!(s, "    const OP: &str = {:?};", op_token(&op.id));
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        if p.required && p.constant.is_some() {
            continue;
        }
        let what = format!("`{}` {} parameter", p.wire_name, p.location.as_str());
        let schema = param_schema(&sampler, &item, &raw_op, p).cloned();
        let fill = if p.required { Fill::Required } else { Fill::All };
        // A parameter the lowering repaired (renamed after its path template, moved to the path) has no
        // schema under its name: its type gives the value.
        let value = match &schema {
            Some(schema) => sampler.sample(schema, fill, 0),
            None => Some(ir::example_of(&p.ty, &|n| api.type_named(n), 0)),
        };
        let Some(value) = value else {
            let _ =
                writeln!(s, "    println!(\"failure {{OP}}: no value of the {what} could be made from its schema\");");
            if p.required {
                s.push_str("    return;\n}\n");
                return s;
            }
            continue;
        };
        // Prism 5's `simple`-style reader throws on an object in the path and the server exits, ending
        // the run: such an operation is not sent (the client's encoding, `key,value,...`, is proven by
        // the fixtures' HTTP test instead).
        if p.location == ir::ParamLocation::Path && value.is_object() {
            for r in &op.responses {
                if let Status::Code(code) = r.status {
                    let _ = writeln!(
                        s,
                        "    println!(\"limit {{OP}} {code}: Prism cannot read an object path parameter (its simple-style reader throws and the server exits)\");"
                    );
                }
            }
            s.push_str("    let _ = (c, r);\n}\n");
            return s;
        }
        let t = ty(&p.ty);
        if p.required {
            let _ =
                writeln!(s, "    let Some(a{i}) = r.value::<{t}>(OP, {what:?}, {}) else {{ return }};", lit(&value));
            args.push(format!("a{i}.clone()"));
        } else {
            let _ = writeln!(s, "    let o{i} = r.value::<{t}>(OP, {what:?}, {});", lit(&value));
            setters.push((format!("o{i}"), p.ident.clone()));
        }
    }
    // The body: its schema in the bundled spec, for the media type the IR sends.
    let mut variants = Vec::new();
    if let Some(b) = &op.body {
        let schema = sampler.request_schema(op).cloned().unwrap_or(Value::Null);
        let t = match b.encoding {
            BodyEncoding::JsonPatch => "Vec<serde_json::Value>".to_string(),
            BodyEncoding::Text => "String".to_string(),
            _ => ty(&b.ty),
        };
        let fill = if b.required { Fill::Required } else { Fill::All };
        // A required body whose members are all optional gets them: an empty form reads as no body.
        let sample = match sampler.sample(&schema, fill, 0) {
            // Bytes sent as they are (Wazuh's file upload); a text the schema describes where it does
            // (Xero's attachments: `format: byte`, base64).
            Some(Value::String(text)) if b.encoding == BodyEncoding::Binary => Some(Value::String(text)),
            _ if b.encoding == BodyEncoding::Binary => Some(Value::String("conformance".into())),
            Some(v) if v == serde_json::json!({}) => sampler.sample(&schema, Fill::All, 0),
            other => other,
        };
        match sample {
            Some(value) if b.required => {
                let _ = writeln!(
                    s,
                    "    let Some(body) = r.value::<{t}>(OP, \"request body\", {}) else {{ return }};",
                    lit(&value)
                );
                args.push("body.clone()".into());
                // A second body with every property, and one per union variant.
                let binary = b.encoding == BodyEncoding::Binary;
                if let Some(full) = sampler.sample(&schema, Fill::All, 0).filter(|f| *f != value && !binary) {
                    let _ = writeln!(
                        s,
                        "    let full = r.value::<{t}>(OP, \"request body with every property\", {});",
                        lit(&full)
                    );
                    variants.push("full".to_string());
                }
                for v in (1..sampler.variants(&schema).min(6)).filter(|_| !binary) {
                    if let Some(value) = sampler.sample(&schema, Fill::Required, v) {
                        let _ = writeln!(
                            s,
                            "    let variant{v} = r.value::<{t}>(OP, \"request body, union variant {}\", {});",
                            v + 1,
                            lit(&value)
                        );
                        variants.push(format!("variant{v}"));
                    }
                }
            }
            Some(value) => {
                let _ = writeln!(s, "    let body = r.value::<{t}>(OP, \"request body\", {});", lit(&value));
                // An optional JSON Patch body's setter takes the `JsonPatch` itself.
                let value = match b.encoding {
                    BodyEncoding::JsonPatch => format!("body.clone().map({ident}::JsonPatch::from)"),
                    _ => "body".to_string(),
                };
                setters.push((value, b.ident.clone()));
            }
            None => {
                let _ = writeln!(s, "    println!(\"failure {{OP}}: no request body could be made from its schema\");");
                if b.required {
                    s.push_str("    return;\n}\n");
                    return s;
                }
            }
        }
    }
    let call = format!("c.get(prefer).{}().{tag}().{}({})", api.module, op.fn_name, args.join(", "));
    let _ = writeln!(s, "    let call = |prefer: &str| {call};");
    let codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            Status::Code(c) => Some(c),
            _ => None,
        })
        .collect();
    let first = codes.iter().copied().find(|c| (200..300).contains(c));
    for code in &codes {
        let judge = if (200..300).contains(code) { "success" } else { "error" };
        let prefer = format!("code={code}, dynamic=true");
        // Where Prism cannot build the body from a schema (a media type without one), or stalled
        // building it (a run resumed after call k1), the spec's example instead.
        let (k1, k2) = (*calls + 1, *calls + 2);
        *calls += 2;
        let _ = writeln!(
            s,
            "    if ((r.go_dynamic({k1}) && r.{judge}(OP, {code}, true, call({prefer:?}).send_with_response().await)) || r.resumed_at({k1})) && r.go({k2}) {{ r.{judge}(OP, {code}, false, call(\"code={code}\").send_with_response().await); }}"
        );
        if Some(*code) == first {
            // Every optional parameter, and the other bodies.
            if !setters.is_empty() {
                let _ = writeln!(s, "    let mut all = call({prefer:?});");
                for (value, setter) in &setters {
                    let _ = writeln!(s, "    if let Some(v) = {value}.clone() {{ all = all.{setter}(v); }}");
                }
                *calls += 1;
                let _ = writeln!(
                    s,
                    "    if r.go({calls}) {{ r.{judge}(OP, {code}, false, all.send_with_response().await); }}"
                );
            }
            for v in &variants {
                let other = call.replace("body.clone()", "b").replace("prefer", &format!("{prefer:?}"));
                *calls += 1;
                let _ = writeln!(
                    s,
                    "    if let Some(b) = {v}.clone() && r.go({calls}) {{ r.{judge}(OP, {code}, false, {other}.send_with_response().await); }}"
                );
            }
        }
    }
    if codes.is_empty() {
        // Only `default` or ranges: whatever Prism answers, it must decode.
        *calls += 1;
        let _ = writeln!(s, "    if r.go({calls}) {{ r.any(OP, call(\"dynamic=true\").send_with_response().await); }}");
    }
    s.push_str("}\n");
    s
}

/// The driver's fixed part: the judge of each response.
const PRELUDE: &str = r#####"//! The every-operation conformance driver, written by `cargo xtask conformance --spec` from the IR
//! and the spec (not checked in). Usage: `conformance_driver <module> <Prism base URL> [from]`, where
//! `from` is the number of the last call an earlier run made (it stalled there; see `stalled`).
#![allow(unused_variables, unused_mut, dead_code, deprecated, clippy::all)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::process::ExitCode;

use CRATE::{ApiResponse, Client, Error, RetryPolicy};
use serde_json::Value;

/// One client per `Prefer` header value, with a credential for every kind of scheme and no retries.
struct Clients {
    base: String,
    by_prefer: RefCell<HashMap<String, Client>>,
}

impl Clients {
    fn get(&self, prefer: &str) -> Client {
        self.by_prefer
            .borrow_mut()
            .entry(prefer.to_string())
            .or_insert_with(|| {
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert("prefer", reqwest::header::HeaderValue::from_str(prefer).expect("a header value"));
                // No kept-alive connections: Prism closes an idle one after 5 s, and a request that
                // meets the close would fail for a reason neither side is judged on.
                let http = CRATE::client::http_client_builder()
                    .default_headers(headers)
                    .pool_max_idle_per_host(0)
                    .build()
                    .expect("an HTTP client");
                Client::builder()
                    .base_url(self.base.clone())
                    .access_token("conformance-access-token")
                    .api_key("conformance-api-key")
                    .basic_auth("conformance-user", "conformance-password")
                    .experimental(true)
                    .retry_policy(RetryPolicy::never())
                    .timeout(std::time::Duration::from_secs(20))
                    .http_client(http)
                    .build()
                    .expect("a client for the Prism URL")
            })
            .clone()
    }
}

/// The judge's state: the calls before `from` were made by an earlier run (see [`Report::go`]).
struct Report {
    from: usize,
    call: usize,
    /// Whether the call in hand asks Prism to build the body from its schema, with the spec's example
    /// to ask for next.
    dynamic: bool,
}

fn headers_of<E>(e: &Error<E>) -> Option<&reqwest::header::HeaderMap> {
    match e {
        Error::Api(a) => Some(&a.headers),
        Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => Some(&r.headers),
        _ => None,
    }
}

LOST
impl Report {
    /// Whether to make call `k` (each call's number is fixed): `false` for those an earlier run made.
    fn go(&mut self, k: usize) -> bool {
        self.call = k;
        self.dynamic = false;
        k > self.from
    }

    /// [`Report::go`] for a call with `dynamic=true` whose example call follows.
    fn go_dynamic(&mut self, k: usize) -> bool {
        let go = self.go(k);
        self.dynamic = true;
        go
    }

    /// Whether this run resumed after call `k`, which stalled: its example call is made instead.
    fn resumed_at(&self, k: usize) -> bool {
        self.from == k && k > 0
    }

    /// Prism stopped answering (busy building a body, or gone): the xtask restarts it and this driver
    /// after this call.
    fn stalled(&self, op: &str, code: u16, why: &str) -> ! {
        let then = if self.dynamic { " example" } else { "" };
        println!("stalled {}{then} {op} {code}: {}", self.call, why.replace('\n', " "));
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        std::process::exit(3)
    }

    /// A sampled request value in its Rust type; a type that rejects it is a decode failure.
    fn value<T: serde::de::DeserializeOwned>(&mut self, op: &str, what: &str, json: &str) -> Option<T> {
        match serde_json::from_str::<T>(json) {
            Ok(v) => Some(v),
            Err(e) => {
                println!("decode {op} 0: the type of the {what} rejects {json}: {e}");
                None
            }
        }
    }

    fn answered(&mut self, op: &str, code: u16, headers: &reqwest::header::HeaderMap) {
        println!("sent {op}");
        if let Some(v) = headers.get("sl-violations") {
            println!("violation {op} {code}: {}", v.to_str().unwrap_or("?"));
        }
    }

    /// Whether `e` is Prism's own error (it could not build the response), not the API's: `true` to ask
    /// again (`retry`), else a `limit` line.
    fn prism_error<E>(&mut self, op: &str, code: u16, retry: bool, e: &Error<E>) -> bool {
        let Some(h) = headers_of(e) else { return false };
        let problem = h.get("content-type").and_then(|v| v.to_str().ok()) == Some("application/problem+json");
        let status = match e {
            Error::Api(a) => a.status.as_u16(),
            Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => r.status.as_u16(),
            _ => 0,
        };
        if !problem || status != 500 || code == 500 {
            return false;
        }
        if !retry {
            println!("sent {op}");
            println!("limit {op} {code}: Prism cannot build this response (its own 500: no schema or example for the media type)");
        }
        true
    }

    /// Judges a success; `true` when Prism could not build it and `retry` asks to try its example.
    fn success<T: serde::Serialize, E: std::fmt::Display>(
        &mut self,
        op: &str,
        code: u16,
        retry: bool,
        result: Result<ApiResponse<T>, Error<E>>,
    ) -> bool {
        let response = match result {
            Ok(r) => r,
            Err(e) if self.prism_error(op, code, retry, &e) => return retry,
            Err(e) => {
                self.failed(op, code, e);
                return false;
            }
        };
        self.answered(op, code, &response.headers);
        if response.status.as_u16() != code {
            println!("failure {op} {code}: got {} instead", response.status);
            return false;
        }
        if !response.corrections.is_empty() {
            println!("decode {op} {code}: the body needed corrections at {}", response.corrections.join(", "));
            return false;
        }
        if let Some(raw) = response.received()
            && let Ok(sent) = serde_json::from_slice::<Value>(raw.bytes())
        {
            let kept = serde_json::to_value(&response.body).unwrap_or(Value::Null);
            let mut paths = Vec::new();
            lost(&sent, &kept, "", &mut paths);
            if !paths.is_empty() {
                // The xtask keeps the paths the schema declares; a finding left counts against the status.
                println!("lost {op} {code}: {}", paths.join(", "));
            }
        }
        println!("exercised {op} {code}");
        false
    }

    /// Judges a documented error status, as [`Report::success`] does a success.
    fn error<T, E: std::fmt::Display>(
        &mut self,
        op: &str,
        code: u16,
        retry: bool,
        result: Result<ApiResponse<T>, Error<E>>,
    ) -> bool {
        if let Err(e) = &result
            && self.prism_error(op, code, retry, e)
        {
            return retry;
        }
        match result {
            Err(Error::Api(api)) => {
                self.answered(op, code, &api.headers);
                if api.status.as_u16() == code {
                    println!("exercised {op} {code}");
                } else {
                    println!("failure {op} {code}: got {} instead", api.status);
                }
            }
            Err(e) => self.failed(op, code, e),
            // Asked to build an error body it has no schema for (only examples), Prism answers with a
            // success instead: ask again for the example.
            Ok(_) if retry => return true,
            Ok(r) => {
                self.answered(op, code, &r.headers);
                println!("failure {op} {code}: got {} and a success instead", r.status);
            }
        }
        false
    }

    fn any<T, E: std::fmt::Display>(&mut self, op: &str, result: Result<ApiResponse<T>, Error<E>>) {
        match result {
            Ok(r) => self.answered(op, 0, &r.headers),
            Err(Error::Api(api)) => self.answered(op, 0, &api.headers),
            Err(e) => self.failed(op, 0, e),
        }
    }

    fn failed<E: std::fmt::Display>(&mut self, op: &str, code: u16, e: Error<E>) {
        if let Some(h) = headers_of(&e) {
            self.answered(op, code, h);
        }
        // Prism's own answer to an invalid request, where the spec documents none: its violations.
        if let Error::UnexpectedStatus(r) = &e
            && let Ok(body) = serde_json::from_slice::<Value>(r.body.bytes())
            && body["type"].as_str().is_some_and(|t| t.ends_with("#UNPROCESSABLE_ENTITY"))
        {
            return println!("violation {op} {code}: {}", body["validation"]);
        }
        match &e {
            // Prism builds some bodies slowly (deep recursive schemas): its limit, not the client's.
            Error::Timeout(_) => self.stalled(op, code, "timeout"),
            Error::Transport(e) => {
                let mut why = e.to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    why = format!("{why}: {s}");
                    source = s.source();
                }
                self.stalled(op, code, &why)
            }
            Error::Decode { path, source, response } => {
                // The body, for the xtask to check against the schema: Prism does not always say when
                // the body it made breaks its own schema.
                if let Ok(body) = serde_json::from_slice::<Value>(response.body.bytes()) {
                    println!("body {op} {code}: {body}");
                }
                println!("decode {op} {code}: at `{path}`: {source}")
            }
            other => println!("failure {op} {code}: {}", other.to_string().replace('\n', " ")),
        }
    }
}
"#####;

const MAIN: &str = r#####"
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (module, base, from) = match args.as_slice() {
        [module, base] => (module, base, 0),
        [module, base, from] if from.parse::<usize>().is_ok() => (module, base, from.parse().unwrap_or(0)),
        _ => {
            eprintln!("usage: conformance_driver <module> <Prism base URL> [the last call already made]");
            return ExitCode::from(2);
        }
    };
    let clients = Clients { base: base.clone(), by_prefer: RefCell::new(HashMap::new()) };
    let mut report = Report { from, call: 0, dynamic: false };
    match module.as_str() {
DISPATCH        other => {
            eprintln!("unknown module {other}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
"#####;
