//! Request values for the conformance driver, sampled from the spec's own JSON Schemas (the bundled
//! document, so every `$ref` is local), so that Prism's request validation accepts them.
//!
//! A scalar takes the schema's `const`, first `enum` value, `default` or `example` when that keeps the
//! schema's rules (type, bounds, length, pattern, format); otherwise a value is built to keep them: a
//! string matching the `pattern` (built from its parsed form), a value of the `format`, numbers inside
//! their bounds and multiples. Objects get their required properties ([`Fill::Required`]) or every
//! property that is not read-only ([`Fill::All`]); `allOf` members are merged; a union takes the
//! variant asked for at the top and its first elsewhere, with its discriminator set.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value, json};

/// Which optional members a value carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only what the schema requires.
    Required,
    /// Every property that is not read-only, and one entry of a map.
    All,
}

/// Samples values from the schemas of one document.
pub struct Sampler<'a> {
    doc: &'a Value,
    /// The `$ref`s being sampled, to stop on recursion.
    stack: Vec<String>,
    /// Which item of a list is being made: the second item takes an enum's second value, a string
    /// with a suffix, so that lists of two stay valid (`uniqueItems`, enums).
    nth: usize,
}

impl<'a> Sampler<'a> {
    /// A sampler over `doc` (a bundled OpenAPI document as JSON).
    pub fn new(doc: &'a Value) -> Self {
        Sampler { doc, stack: Vec::new(), nth: 0 }
    }

    /// Follows a chain of local `$ref`s (at most 32) to the object it names.
    pub fn resolve<'b>(&'b self, mut v: &'b Value) -> &'b Value {
        for _ in 0..32 {
            let Some(r) = v.get("$ref").and_then(Value::as_str) else { return v };
            match r.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                Some(t) => v = t,
                None => return &Value::Null,
            }
        }
        v
    }

    /// The path item of `op` and its operation object, references followed.
    pub fn operation(&self, op: &generator::ir::Operation) -> Option<(&Value, &Value)> {
        let item = self.resolve(self.doc.get("paths")?.get(&op.path)?);
        Some((item, self.resolve(item.get(op.method.as_str().to_ascii_lowercase())?)))
    }

    /// The schema of `op`'s request body, for the media type the IR sends.
    pub fn request_schema(&self, op: &generator::ir::Operation) -> Option<&Value> {
        let media = &op.body.as_ref()?.media_type;
        let body = self.resolve(self.operation(op)?.1.get("requestBody")?);
        body.get("content")?.get(media)?.get("schema")
    }

    /// The schema of `op`'s `code` response body (its first media type).
    pub fn response_schema(&self, op: &generator::ir::Operation, code: u16) -> Option<&Value> {
        let response = self.resolve(self.operation(op)?.1.get("responses")?.get(code.to_string())?);
        response.get("content")?.as_object()?.values().next()?.get("schema")
    }

    /// How many variants a union schema has (after references and `allOf`); 0 for other schemas.
    pub fn variants(&self, schema: &Value) -> usize {
        let s = merged(self, schema);
        ["oneOf", "anyOf"].iter().find_map(|k| s.get(*k).and_then(Value::as_array)).map_or(0, Vec::len)
    }

    /// A value of `schema`, with the union variant `variant` at the top; `None` when none can be made
    /// (a required member that only recursion could fill).
    pub fn sample(&mut self, schema: &Value, fill: Fill, variant: usize) -> Option<Value> {
        self.value(schema, fill, variant, 0)
    }

    fn value(&mut self, schema: &Value, fill: Fill, variant: usize, depth: usize) -> Option<Value> {
        if depth > 10 {
            return None;
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if self.stack.iter().any(|s| s == r) {
                return None;
            }
            let target = r.strip_prefix('#').and_then(|p| self.doc.pointer(p))?.clone();
            self.stack.push(r.to_string());
            // Sibling keywords of a `$ref` (3.1) apply too.
            let mut with = target;
            if let (Value::Object(t), Value::Object(s)) = (&mut with, schema) {
                for (k, v) in s.iter().filter(|(k, _)| k.as_str() != "$ref") {
                    t.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            let out = self.value(&with, fill, variant, depth + 1);
            self.stack.pop();
            return out;
        }
        let s = merged(self, schema);
        if let Some(narrowed) = exactly_one_of(&s, variant, fill) {
            return self.object(&narrowed, fill, depth);
        }
        if let Some(c) = s.get("const") {
            return Some(c.clone());
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            // Values of the schema's type: Linode's `replication_commit_type` (`type: string`) lists
            // `true` and `false`, which no value of it can be (the YAML 1.1 reading of `on` and `off`).
            let kind = kind_of(&s);
            let all: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            let typed: Vec<&Value> = all.iter().copied().filter(|v| of_type(Some(&kind), v)).collect();
            let values = if typed.is_empty() { all } else { typed };
            if !values.is_empty() {
                return Some(values[self.nth % values.len()].clone());
            }
        }
        let kind = kind_of(&s);
        if matches!(kind.as_str(), "string" | "integer" | "number" | "boolean") && self.nth == 0 {
            let examples = s.get("examples").and_then(Value::as_array).into_iter().flatten();
            for candidate in [s.get("default"), s.get("example")].into_iter().flatten().chain(examples) {
                if fits(&s, &kind, candidate) {
                    return Some(candidate.clone());
                }
            }
        }
        let one_of = s.get("oneOf").is_some();
        if let Some(members) = ["oneOf", "anyOf"].iter().find_map(|k| s.get(*k).and_then(Value::as_array)) {
            let members: Vec<Value> = members.iter().filter(|m| kind_of(self.resolve(m)) != "null").cloned().collect();
            if !members.is_empty() {
                // The variant asked for, else the first that can be made; for `oneOf`, a value that
                // matches that variant alone where one can be made (more members, then fewer).
                let order: Vec<usize> =
                    std::iter::once(variant.min(members.len() - 1)).chain(0..members.len()).collect();
                let mut fallback = None;
                for i in order {
                    for f in [fill, if fill == Fill::All { Fill::Required } else { Fill::All }] {
                        let Some(mut v) = self.value(&members[i], f, 0, depth + 1) else { continue };
                        if let Some(d) = s.get("discriminator") {
                            set_discriminator(d, &members[i], &mut v);
                        }
                        // Properties beside the union belong to every variant.
                        if s.get("properties").is_some()
                            && let (Value::Object(m), Some(Value::Object(rest))) =
                                (&mut v, self.object(&s, fill, depth))
                        {
                            for (k, val) in rest {
                                m.entry(k).or_insert(val);
                            }
                        }
                        let alone = !one_of
                            || s.get("discriminator").is_some()
                            || members.iter().filter(|m| conforms(self, m, &v, 0)).count() == 1;
                        if alone {
                            return Some(v);
                        }
                        fallback.get_or_insert(v);
                    }
                }
                return fallback;
            }
        }
        match kind.as_str() {
            "object" => self.object(&s, fill, depth),
            "array" => {
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = s.get("maxItems").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
                let unique = s.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false);
                // Two items where allowed: a one-item list in a form or multipart body reads as a
                // single value to a parser that does not look at the schema.
                let n = min.max(2).min(max).min(8);
                let item = s.get("items").cloned().unwrap_or(json!({}));
                let mut items: Vec<Value> = Vec::new();
                let outer = self.nth;
                for i in 0..n {
                    self.nth = i;
                    let made = self.value(&item, fill, 0, depth + 1);
                    self.nth = outer;
                    match made {
                        // A repeat (an enum of one value, a constant) only where the list may repeat
                        // and needs the length.
                        Some(v) if items.contains(&v) && (unique || i >= min.max(1)) => {
                            if i >= min {
                                break;
                            }
                            return None;
                        }
                        Some(v) => items.push(v),
                        None if i >= min => break,
                        None => return None,
                    }
                }
                Some(Value::Array(items))
            }
            "integer" => Some(integer(&s, self.nth)),
            "number" => Some(number(&s)),
            "boolean" => Some(Value::Bool(true)),
            "null" => Some(Value::Null),
            _ => Some(Value::String(string(&s, self.nth))),
        }
    }

    fn object(&mut self, s: &Value, fill: Fill, depth: usize) -> Option<Value> {
        let required: Vec<&str> =
            s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        if let Some(Value::Object(props)) = s.get("properties") {
            for (name, prop) in props {
                let needed = required.contains(&name.as_str());
                // Marked read-only by the property or by any `allOf` member of it (a property two
                // members declare, merged).
                let read_only = alternatives(self, prop, 0)
                    .iter()
                    .any(|p| self.resolve(p).get("readOnly").and_then(Value::as_bool).unwrap_or(false));
                if !needed && (fill == Fill::Required || read_only) {
                    continue;
                }
                match self.value(prop, fill, 0, depth + 1) {
                    Some(v) => {
                        out.insert(name.clone(), v);
                    }
                    None if needed => return None,
                    None => {}
                }
            }
        }
        for name in &required {
            if !out.contains_key(*name) {
                out.insert(name.to_string(), Value::String("conformance".into()));
            }
        }
        if fill == Fill::All
            && out.is_empty()
            && let Some(extra @ Value::Object(_)) = s.get("additionalProperties")
            && let Some(v) = self.value(&extra.clone(), fill, 0, depth + 1)
        {
            out.insert("key".into(), v);
        }
        Some(Value::Object(out))
    }
}

/// Properties with a `oneOf`/`anyOf` whose members only require some of them ("exactly one of
/// `image`, `git`"): the object with the asked alternative's properties required and, when every
/// property is wanted, the other alternatives' own properties left out (sending two would match two).
fn exactly_one_of(s: &Value, variant: usize, fill: Fill) -> Option<Value> {
    let props = s.get("properties")?.as_object()?;
    let members = ["oneOf", "anyOf"].iter().find_map(|k| s.get(*k).and_then(Value::as_array))?;
    let requires = |m: &Value| -> Option<Vec<String>> {
        let o = m.as_object()?;
        let names: Vec<String> =
            o.get("required")?.as_array()?.iter().filter_map(|n| n.as_str().map(String::from)).collect();
        o.keys().all(|k| matches!(k.as_str(), "required" | "description" | "title" | "type")).then_some(names)
    };
    let lists: Vec<Vec<String>> = members.iter().map(requires).collect::<Option<_>>()?;
    let chosen = lists.get(variant.min(lists.len().checked_sub(1)?))?.clone();
    let mut out = s.as_object()?.clone();
    out.remove("oneOf");
    out.remove("anyOf");
    let mut required: Vec<Value> = out.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    required.extend(chosen.iter().map(|n| Value::String(n.clone())));
    out.insert("required".into(), Value::Array(required));
    if fill == Fill::All {
        let others: Vec<&String> = lists.iter().flatten().filter(|n| !chosen.contains(n)).collect();
        let kept: Map<String, Value> =
            props.iter().filter(|(k, _)| !others.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        out.insert("properties".into(), Value::Object(kept));
    }
    Some(Value::Object(out))
}

/// Whether `value` keeps `schema`'s rules, as far as this module reads them (types, `enum`, `const`,
/// `required`, `additionalProperties: false`, bounds, lengths, patterns, the compositions); `true` where
/// it cannot tell. Used to choose a `oneOf` value that matches one variant alone, and to show that a
/// `oneOf`'s variants overlap.
pub fn conforms(sampler: &Sampler<'_>, schema: &Value, value: &Value, depth: usize) -> bool {
    within(sampler, schema, value, depth, &mut Vec::new())
}

/// [`conforms`], with the references already followed for this same value (`seen`): a cycle through
/// compositions (`A: allOf [B]`, `B: anyOf [A, ..]`) ends instead of branching to its depth limit.
fn within(sampler: &Sampler<'_>, schema: &Value, value: &Value, depth: usize, seen: &mut Vec<String>) -> bool {
    if depth > 32 {
        return true;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|s| s == r) {
            return true;
        }
        seen.push(r.to_string());
    }
    let s = sampler.resolve(schema);
    let Value::Object(_) = s else { return true };
    if value.is_null() {
        return s.get("nullable").and_then(Value::as_bool).unwrap_or(false)
            || s.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|t| t == "null"))
            || s.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(&Value::Null));
    }
    if let Some(c) = s.get("const")
        && c != value
    {
        return false;
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        return false;
    }
    let each = |key: &str| s.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    if !each("allOf").iter().all(|m| within(sampler, m, value, depth + 1, &mut seen.clone())) {
        return false;
    }
    let any = each("anyOf");
    if !any.is_empty() && !any.iter().any(|m| within(sampler, m, value, depth + 1, &mut seen.clone())) {
        return false;
    }
    let one = each("oneOf");
    if !one.is_empty() && !one.iter().any(|m| within(sampler, m, value, depth + 1, &mut seen.clone())) {
        return false;
    }
    let kind = match s.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        _ => None,
    };
    let typed = of_type(kind, value);
    if !typed {
        return false;
    }
    match value {
        Value::String(_) | Value::Number(_) => fits(s, if value.is_string() { "string" } else { "number" }, value),
        Value::Array(items) => {
            let n = items.len() as u64;
            if s.get("minItems").and_then(Value::as_u64).is_some_and(|m| n < m)
                || s.get("maxItems").and_then(Value::as_u64).is_some_and(|m| n > m)
            {
                return false;
            }
            match s.get("items") {
                Some(item) => items.iter().all(|i| conforms(sampler, item, i, depth + 1)),
                None => true,
            }
        }
        Value::Object(members) => {
            let required = each("required");
            if required.iter().filter_map(Value::as_str).any(|r| !members.contains_key(r)) {
                return false;
            }
            let props = s.get("properties").and_then(Value::as_object);
            for (k, v) in members {
                match props.and_then(|p| p.get(k)) {
                    Some(p) => {
                        if !conforms(sampler, p, v, depth + 1) {
                            return false;
                        }
                    }
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => return false,
                        Some(extra @ Value::Object(_)) if !conforms(sampler, extra, v, depth + 1) => return false,
                        _ => {}
                    },
                }
            }
            true
        }
        _ => true,
    }
}

/// Whether a `oneOf` schema's variants overlap so that no value this module can make of any variant
/// matches it alone: a body the client sends then always breaks `oneOf` (a defect of the spec).
pub fn one_of_overlaps(sampler: &mut Sampler<'_>, schema: &Value) -> bool {
    let s = merged(sampler, schema);
    let Some(members) = s.get("oneOf").and_then(Value::as_array).cloned() else { return false };
    if members.len() < 2 {
        return false;
    }
    for m in &members {
        for fill in [Fill::Required, Fill::All] {
            if let Some(v) = sampler.sample(m, fill, 0)
                && members.iter().filter(|other| conforms(sampler, other, &v, 0)).count() <= 1
            {
                return false;
            }
        }
    }
    true
}

/// Whether `schema` is an `allOf` whose members' `enum`s share no value, so that no value matches it (a
/// defect of the spec, which the generator warns about as `all-of-no-value`).
pub fn allows_nothing(sampler: &Sampler<'_>, schema: &Value) -> bool {
    alternatives(sampler, schema, 0).iter().any(|s| {
        let Some(members) = sampler.resolve(s).get("allOf").and_then(Value::as_array) else { return false };
        let lists: Vec<&Vec<Value>> =
            members.iter().filter_map(|m| sampler.resolve(m).get("enum").and_then(Value::as_array)).collect();
        lists.len() >= 2 && !lists[0].iter().any(|v| !v.is_null() && lists[1..].iter().all(|l| l.contains(v)))
    })
}

/// Whether `schema` is a string whose `format` has one length (`uuid`: 36 characters, `date`: 10)
/// that its `minLength`/`maxLength` exclude (Intercom's `from.id`: a `uuid` of 24 characters), so that
/// no value matches it (a defect of the spec).
pub fn format_excluded_by_length(sampler: &Sampler<'_>, schema: &Value) -> bool {
    alternatives(sampler, schema, 0).iter().any(|s| {
        let s = sampler.resolve(s);
        let length = match s.get("format").and_then(Value::as_str) {
            Some("uuid") => 36,
            Some("date") => 10,
            _ => return false,
        };
        s.get("minLength").and_then(Value::as_u64).is_some_and(|m| m > length)
            || s.get("maxLength").and_then(Value::as_u64).is_some_and(|m| m < length)
    })
}

/// Whether the member at `path` (`a.b[0].c`, as the driver prints it) is declared by `schema`: named
/// by the `properties` of the schema, of one of its `allOf`, `oneOf` or `anyOf` members, or inside a
/// map (`additionalProperties`) or list on the way. Members no schema declares are ones Prism made
/// up; a struct is not expected to keep them (they stay in the response's received body).
pub fn declared(sampler: &Sampler<'_>, schema: &Value, path: &str) -> bool {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            segments.push(Err(key.to_string()));
        }
        for _ in rest.split('[').filter(|i| !i.is_empty()) {
            segments.push(Ok(()));
        }
    }
    let mut here = vec![schema.clone()];
    for segment in segments {
        let mut next = Vec::new();
        for s in here.iter().flat_map(|s| alternatives(sampler, s, 0)) {
            match &segment {
                Ok(()) => next.extend(s.get("items").cloned()),
                Err(key) => {
                    if let Some(p) = s.get("properties").and_then(|p| p.get(key)) {
                        next.push(p.clone());
                    }
                    match s.get("additionalProperties") {
                        Some(Value::Bool(true)) => next.push(json!({})),
                        Some(extra @ Value::Object(_)) => next.push(extra.clone()),
                        _ => {}
                    }
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        here = next;
    }
    true
}

/// The schemas that may stand at `path` (member names and list indices, as Prism's violation locations
/// give them) inside `schema`, through references, compositions, properties and items.
pub fn schemas_at(sampler: &Sampler<'_>, schema: &Value, path: &[&str]) -> Vec<Value> {
    let mut here = vec![schema.clone()];
    for segment in path {
        let mut next = Vec::new();
        for s in here.iter().flat_map(|s| alternatives(sampler, s, 0)) {
            if segment.parse::<usize>().is_ok() {
                next.extend(s.get("items").cloned());
            }
            if let Some(p) = s.get("properties").and_then(|p| p.get(*segment)) {
                next.push(p.clone());
            }
        }
        here = next;
    }
    here
}

/// Whether `schema` (or a schema it stands for: its reference's target, its compositions' members)
/// has `key: value` (`type: string`; a type list that holds it counts).
pub fn has_rule(sampler: &Sampler<'_>, schema: &Value, key: &str, value: &Value) -> bool {
    alternatives(sampler, schema, 0).iter().any(|s| match s.get(key) {
        Some(Value::Array(list)) if key == "type" => list.contains(value),
        Some(v) => v == value,
        None => false,
    })
}

/// The `enum` values (as text) of `schema` or a schema it stands for, if one has an `enum`.
pub fn enum_values(sampler: &Sampler<'_>, schema: &Value) -> Option<Vec<String>> {
    alternatives(sampler, schema, 0).iter().find_map(|s| {
        let values = s.get("enum")?.as_array()?;
        Some(values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect())
    })
}

/// Whether the schemas at one place (as [`schemas_at`] gives them, with their `allOf` members) close the
/// object against `property` (`additionalProperties: false` without it in their own `properties`) while
/// another of them declares it or the closed one requires it: the spec contradicts itself there
/// (Linode's firewall, closed in its `allOf` member while `devices` is declared beside it).
pub fn closed_against(sampler: &Sampler<'_>, here: &[Value], property: &str) -> bool {
    let mut all = Vec::new();
    for s in here {
        conjoined(sampler, s, 0, &mut all);
    }
    let declares = |s: &Value| s.get("properties").and_then(|p| p.get(property)).is_some();
    let requires = |s: &Value| {
        s.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|n| n.as_str() == Some(property)))
    };
    all.iter().enumerate().any(|(i, c)| {
        c.get("additionalProperties") == Some(&Value::Bool(false))
            && !declares(c)
            && (requires(c) || all.iter().enumerate().any(|(j, d)| j != i && (declares(d) || requires(d))))
    })
}

/// A schema (resolved) and its `allOf` members, theirs in turn: the schemas a value must all satisfy.
fn conjoined(sampler: &Sampler<'_>, schema: &Value, depth: usize, out: &mut Vec<Value>) {
    if depth > 16 {
        return;
    }
    let s = sampler.resolve(schema);
    out.push(s.clone());
    for member in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        conjoined(sampler, member, depth + 1, out);
    }
}

/// A schema and every schema it stands for: its reference's target, its `allOf`, `oneOf` and `anyOf`
/// members, theirs in turn.
fn alternatives(sampler: &Sampler<'_>, schema: &Value, depth: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    collect(sampler, schema, depth, &mut seen, &mut out);
    out
}

fn collect(sampler: &Sampler<'_>, schema: &Value, depth: usize, seen: &mut Vec<String>, out: &mut Vec<Value>) {
    if depth > 16 {
        return;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|s| s == r) {
            return;
        }
        seen.push(r.to_string());
    }
    let s = sampler.resolve(schema);
    out.push(s.clone());
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            collect(sampler, member, depth + 1, seen, out);
        }
    }
}

/// A schema with its `allOf` members (and theirs) merged in: properties and `required` joined, any
/// other keyword taken from the first that has it.
fn merged(sampler: &Sampler<'_>, schema: &Value) -> Value {
    let mut out = Map::new();
    merge_into(sampler, schema, &mut out, 0);
    Value::Object(out)
}

fn merge_into(sampler: &Sampler<'_>, schema: &Value, out: &mut Map<String, Value>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Value::Object(s) = schema else { return };
    for (k, v) in s {
        match k.as_str() {
            "allOf" => {
                for member in v.as_array().into_iter().flatten() {
                    let target = if member.get("$ref").is_some() { sampler.resolve(member) } else { member };
                    merge_into(sampler, target, out, depth + 1);
                }
            }
            "properties" => {
                let Value::Object(props) = v else { continue };
                let entry = out.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(into) = entry {
                    // A property two members declare keeps both sets of rules (Mistral's `stream`: a
                    // boolean in the base, `enum: [false]` in the request that extends it).
                    for (name, p) in props {
                        match into.get_mut(name) {
                            Some(existing) if existing != p => {
                                *existing = json!({"allOf": [existing.clone(), p.clone()]});
                            }
                            Some(_) => {}
                            None => {
                                into.insert(name.clone(), p.clone());
                            }
                        }
                    }
                }
            }
            "required" => {
                let entry = out.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(into) = entry {
                    for name in v.as_array().into_iter().flatten() {
                        if !into.contains(name) {
                            into.push(name.clone());
                        }
                    }
                }
            }
            _ => {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// The schema's type: the first non-null of a 3.1 list, else what its keywords imply.
fn kind_of(s: &Value) -> String {
    match s.get("type") {
        Some(Value::String(t)) => return t.clone(),
        Some(Value::Array(ts)) => {
            if let Some(t) = ts.iter().filter_map(Value::as_str).find(|t| *t != "null") {
                return t.to_string();
            }
            return "null".into();
        }
        _ => {}
    }
    if s.get("properties").is_some() || s.get("additionalProperties").is_some() || s.get("required").is_some() {
        "object".into()
    } else if s.get("items").is_some() {
        "array".into()
    } else if s.get("minimum").is_some() || s.get("maximum").is_some() {
        "number".into()
    } else {
        "string".into()
    }
}

/// Writes the discriminator value that selects `member` into `value`.
fn set_discriminator(d: &Value, member: &Value, value: &mut Value) {
    let (Some(property), Value::Object(m)) = (d.get("propertyName").and_then(Value::as_str), value) else { return };
    let Some(r) = member.get("$ref").and_then(Value::as_str) else { return };
    let from_mapping = d
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|map| map.iter().find(|(_, v)| v.as_str() == Some(r)).map(|(k, _)| k.clone()));
    let tag = from_mapping.unwrap_or_else(|| r.rsplit('/').next().unwrap_or(r).to_string());
    m.insert(property.to_string(), Value::String(tag));
}

fn bound(s: &Value, key: &str, exclusive_key: &str) -> (Option<f64>, bool) {
    let value = s.get(key).and_then(Value::as_f64);
    match s.get(exclusive_key) {
        // 3.1: the exclusive bound is the number itself.
        Some(Value::Number(n)) => (n.as_f64(), true),
        Some(Value::Bool(b)) => (value, *b),
        _ => (value, false),
    }
}

fn integer(s: &Value, nth: usize) -> Value {
    let (lo, lo_x) = bound(s, "minimum", "exclusiveMinimum");
    let (hi, hi_x) = bound(s, "maximum", "exclusiveMaximum");
    let lo = lo.map(|l| if lo_x { l.floor() as i64 + 1 } else { l.ceil() as i64 });
    let hi = hi.map(|h| if hi_x { h.ceil() as i64 - 1 } else { h.floor() as i64 });
    let mut v = match (lo, hi) {
        (Some(l), _) => l,
        (None, Some(h)) if h < 1 => h,
        _ => 1,
    };
    // The nth item of a list: the next integers, while the bounds allow.
    if hi.is_none_or(|h| v + nth as i64 <= h) {
        v += nth as i64;
    }
    if let Some(m) = s.get("multipleOf").and_then(Value::as_i64).filter(|m| *m > 0) {
        v = v.div_euclid(m) * m + if v.rem_euclid(m) == 0 { 0 } else { m };
    }
    json!(v)
}

fn number(s: &Value) -> Value {
    let (lo, lo_x) = bound(s, "minimum", "exclusiveMinimum");
    let (hi, hi_x) = bound(s, "maximum", "exclusiveMaximum");
    let v = match (lo, hi) {
        (Some(l), Some(h)) => (l + h) / 2.0,
        (Some(l), None) => l + if lo_x { 1.0 } else { 0.0 },
        (None, Some(h)) if h < 1.5 => h - if hi_x { 1.0 } else { 0.0 },
        _ => 1.5,
    };
    if let Some(m) = s.get("multipleOf").and_then(Value::as_f64).filter(|m| *m > 0.0) {
        return json!((v / m).ceil() * m);
    }
    json!(v)
}

/// A string of the schema: matching its pattern, else of its format, within its lengths.
fn string(s: &Value, nth: usize) -> String {
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        if let Some(t) = from_pattern(p, min, max).or_else(|| from_lookaheads(p, min, max)) {
            return t;
        }
        // Lookarounds elsewhere in a pattern are beyond the regex crates; a text with a character of
        // every usual class keeps most of them.
        if p.contains("(?=") || p.contains("(?!") {
            return fit_length("Conformance-1".into(), min.max(8), max);
        }
    }
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2026-01-02T03:04:05Z",
        "date" => "2026-01-02",
        "time" => "03:04:05Z",
        "email" => "conformance@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/conformance",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "Y29uZm9ybWFuY2U=",
        "int32" | "int64" => "1",
        "duration" => "P1D",
        _ => "conformance",
    };
    // The nth item of a list differs from the first where its format allows.
    let base = match (nth, format) {
        (0, _) => base.to_string(),
        (n, "uuid") => format!("{}{:x}", &base[..base.len() - 1], n % 16),
        (n, "email") => format!("conformance{n}@example.com"),
        (n, "" | "password") => format!("{base}{n}"),
        _ => base.to_string(),
    };
    fit_length(base, min, max)
}

fn fit_length(mut t: String, min: usize, max: usize) -> String {
    while t.chars().count() < min {
        t.push('x');
    }
    if t.chars().count() > max {
        t = t.chars().take(max).collect();
    }
    t
}

/// A string that matches `pattern` (searched, as JSON Schema does) and keeps the lengths, if one can
/// be built from the pattern's parts and checks out.
fn from_pattern(pattern: &str, min: usize, max: usize) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut out = String::new();
    build(&hir, &mut out)?;
    let re = regex::Regex::new(pattern).ok()?;
    let n = out.chars().count();
    if n < min {
        // Longer by repeating the last character, when the pattern still matches.
        let padded = fit_length(out.clone(), min, max);
        return re.is_match(&padded).then_some(padded);
    }
    (re.is_match(&out) && n <= max).then_some(out)
}

/// A pattern that starts with lookaheads, as password rules and length checks are written
/// (`^(?=.*[a-z])(?=.*\d)(?!.*\s)[a-zA-Z\d]{10,20}$`, Equinix's md5; `^(?=.{3,63}$)[a-z0-9]+...`,
/// Linode's bucket label): each lookahead (`true` if positive) and the rest, which the regex crates read.
fn leading_lookaheads(pattern: &str) -> Option<(Vec<(bool, &str)>, String)> {
    let body = pattern.strip_prefix('^')?;
    let mut ahead = Vec::new();
    let mut rest = body;
    while let Some(positive) =
        rest.strip_prefix("(?=").map(|_| true).or_else(|| rest.strip_prefix("(?!").map(|_| false))
    {
        // The group's end: parentheses in a class or after a backslash do not count.
        let (mut depth, mut class, mut escaped, mut end) = (1, false, false, None);
        for (i, ch) in rest.char_indices().skip(3) {
            match ch {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '[' => class = true,
                ']' => class = false,
                '(' if !class => depth += 1,
                ')' if !class => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end?;
        ahead.push((positive, &rest[3..end]));
        rest = &rest[end + 1..];
    }
    (!ahead.is_empty() && !rest.contains("(?=") && !rest.contains("(?!") && !rest.contains("(?<"))
        .then(|| (ahead, format!("^{rest}")))
}

/// Whether `text` matches `pattern`, also one with leading lookaheads (`None`: beyond this reader).
pub fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    if let Ok(re) = regex::Regex::new(pattern) {
        return Some(re.is_match(text));
    }
    let (ahead, rest) = leading_lookaheads(pattern)?;
    let mut ok = regex::Regex::new(&rest).ok()?.is_match(text);
    for (positive, inner) in ahead {
        ok &= regex::Regex::new(&format!("^(?:{inner})")).ok()?.is_match(text) == positive;
    }
    Some(ok)
}

/// A string for a pattern with leading lookaheads: a text of what each positive one looks for, then
/// the rest's own text (over its start, or after it), whichever matches the whole pattern.
fn from_lookaheads(pattern: &str, min: usize, max: usize) -> Option<String> {
    let (ahead, rest) = leading_lookaheads(pattern)?;
    let base = from_pattern(&rest, 0, usize::MAX)?;
    let mut prefix = String::new();
    for (_, inner) in ahead.iter().filter(|(positive, _)| *positive) {
        let inner = inner.strip_prefix(".*?").or_else(|| inner.strip_prefix(".*")).unwrap_or(inner);
        let hir = regex_syntax::ParserBuilder::new().build().parse(inner).ok()?;
        build(&hir, &mut prefix)?;
    }
    let over: String = prefix.chars().chain(base.chars().skip(prefix.chars().count())).collect();
    [over, format!("{prefix}{base}")].into_iter().map(|t| fit_length(t, min, max)).find(|t| {
        let n = t.chars().count();
        n >= min && n <= max && pattern_matches(pattern, t) == Some(true)
    })
}

fn build(h: &Hir, out: &mut String) -> Option<()> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
        HirKind::Class(Class::Unicode(c)) => {
            let preferred = ['a', 'A', '0', '1', 'x', '-', '_', '.'];
            let has = |ch: char| c.ranges().iter().any(|r| r.start() <= ch && ch <= r.end());
            let ch = preferred
                .into_iter()
                .find(|ch| has(*ch))
                .or_else(|| c.ranges().iter().flat_map(|r| r.start()..=r.end()).find(|ch| !ch.is_control()))?;
            out.push(ch);
        }
        HirKind::Class(Class::Bytes(c)) => {
            let b = c.ranges().iter().flat_map(|r| r.start()..=r.end()).find(|b| b.is_ascii_graphic())?;
            out.push(b as char);
        }
        HirKind::Repetition(r) => {
            let n = if r.min > 0 {
                r.min
            } else if r.max.is_none_or(|m| m >= 1) {
                1
            } else {
                0
            };
            for _ in 0..n.min(64) {
                build(&r.sub, out)?;
            }
        }
        HirKind::Capture(c) => build(&c.sub, out)?,
        HirKind::Concat(parts) => {
            for p in parts {
                build(p, out)?;
            }
        }
        HirKind::Alternation(alts) => build(alts.first()?, out)?,
    }
    Some(())
}

/// Whether `v` is of the JSON Schema type `kind` (any value when there is none, or it is another word).
fn of_type(kind: Option<&str>, v: &Value) -> bool {
    match kind {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    }
}

/// Whether a scalar candidate (an example, a default) keeps the schema's rules.
fn fits(s: &Value, kind: &str, v: &Value) -> bool {
    if !of_type(Some(kind), v) {
        return false;
    }
    if let Some(x) = v.as_f64() {
        let (lo, lo_x) = bound(s, "minimum", "exclusiveMinimum");
        let (hi, hi_x) = bound(s, "maximum", "exclusiveMaximum");
        if lo.is_some_and(|l| if lo_x { x <= l } else { x < l })
            || hi.is_some_and(|h| if hi_x { x >= h } else { x > h })
        {
            return false;
        }
        if kind == "integer" && s.get("format").and_then(Value::as_str) == Some("int32") && x.abs() > i32::MAX as f64 {
            return false;
        }
    }
    if let Some(t) = v.as_str() {
        let n = t.chars().count();
        if s.get("minLength").and_then(Value::as_u64).is_some_and(|m| (n as u64) < m)
            || s.get("maxLength").and_then(Value::as_u64).is_some_and(|m| n as u64 > m)
        {
            return false;
        }
        if let Some(p) = s.get("pattern").and_then(Value::as_str)
            && pattern_matches(p, t) != Some(true)
        {
            return false;
        }
        let shaped = |re: &str| regex::Regex::new(re).is_ok_and(|re| re.is_match(t));
        let ok = match s.get("format").and_then(Value::as_str).unwrap_or("") {
            "date-time" => shaped(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$"),
            "date" => shaped(r"^\d{4}-\d{2}-\d{2}$"),
            "email" => shaped(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
            "uuid" => shaped(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
            "uri" | "url" => shaped(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"),
            "ipv4" => shaped(r"^\d{1,3}(\.\d{1,3}){3}$"),
            "byte" => shaped(r"^[A-Za-z0-9+/]*={0,2}$"),
            // ISO 8601, as JSON Schema's `duration` (Vault's own defaults, Go's `30s`, are not).
            "duration" => shaped(r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$") && t.len() > 1,
            "binary" => false,
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(schema: Value, fill: Fill) -> Value {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "next": {"$ref": "#/components/schemas/Node"}}},
            "Cat": {"type": "object", "required": ["kind", "lives"], "properties": {
                "kind": {"type": "string"}, "lives": {"type": "integer", "minimum": 1, "maximum": 9}}},
            "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
        }}});
        Sampler::new(&doc).sample(&schema, fill, 1).unwrap()
    }

    #[test]
    fn a_member_is_declared_by_any_variant_and_made_up_ones_are_not() {
        let doc = json!({"components": {"schemas": {
            "Slim": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Full": {"allOf": [{"$ref": "#/components/schemas/Slim"}, {"properties": {"tags": {"type": "array", "items": {"properties": {"k": {}}}}}}]},
            "Any": {"anyOf": [{"$ref": "#/components/schemas/Slim"}, {"$ref": "#/components/schemas/Full"}]}
        }}});
        let sampler = Sampler::new(&doc);
        let any = json!({"$ref": "#/components/schemas/Any"});
        assert!(declared(&sampler, &any, "tags[0].k"));
        assert!(declared(&sampler, &json!({"type": "array", "items": any.clone()}), "[2].id"));
        assert!(!declared(&sampler, &any, "in_da"));
        assert!(!declared(&sampler, &any, "tags[0].made_up"));
        assert!(declared(&sampler, &json!({"additionalProperties": {"type": "string"}}), "anything"));
    }

    #[test]
    fn a_one_of_value_matches_one_variant_where_it_can_and_overlaps_are_found() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["level"], "properties": {"level": {"type": "string"}, "minutes": {"type": "integer"}}},
            "B": {"type": "object", "required": ["level"], "properties": {"level": {"type": "string"}, "until": {"type": "string"}}},
            "C": {"type": "object", "required": ["level", "until"], "additionalProperties": false,
                  "properties": {"level": {"type": "string"}, "until": {"type": "string"}}}
        }}});
        let mut sampler = Sampler::new(&doc);
        let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        // A's and B's bodies match each other: every body breaks `oneOf`.
        let overlapping = json!({"oneOf": [r("A"), r("B")]});
        assert!(one_of_overlaps(&mut sampler, &overlapping));
        // C denies A's extra member: A with every member matches A alone.
        let apart = json!({"oneOf": [r("A"), r("C")]});
        assert!(!one_of_overlaps(&mut sampler, &apart));
        let v = sampler.sample(&apart, Fill::Required, 0).unwrap();
        assert_eq!([r("A"), r("C")].iter().filter(|m| conforms(&sampler, m, &v, 0)).count(), 1, "{v}");
    }

    #[test]
    fn list_items_differ_and_keep_enums_and_formats() {
        let doc = json!({});
        let mut sampler = Sampler::new(&doc);
        let grants = json!({"type": "array", "items": {"type": "string", "enum": ["A", "B", "C"]}});
        assert_eq!(sampler.sample(&grants, Fill::Required, 0).unwrap(), json!(["A", "B"]));
        let ids = json!({"type": "array", "uniqueItems": true, "items": {"type": "string", "format": "uuid"}});
        let ids = sampler.sample(&ids, Fill::Required, 0).unwrap();
        assert_ne!(ids[0], ids[1]);
        assert!(fits(&json!({"format": "uuid"}), "string", &ids[1]), "{ids}");
        let one = json!({"type": "array", "items": {"type": "string", "enum": ["only"]}});
        assert_eq!(sampler.sample(&one, Fill::Required, 0).unwrap(), json!(["only"]));
    }

    #[test]
    fn strings_keep_their_pattern_format_and_length() {
        let id = one(json!({"type": "string", "pattern": "^[0-9a-f]{32}$"}), Fill::Required);
        assert!(regex::Regex::new("^[0-9a-f]{32}$").unwrap().is_match(id.as_str().unwrap()), "{id}");
        assert_eq!(one(json!({"type": "string", "format": "date-time"}), Fill::Required), "2026-01-02T03:04:05Z");
        assert_eq!(one(json!({"type": "string", "minLength": 15}), Fill::Required).as_str().unwrap().len(), 15);
        assert_eq!(one(json!({"type": "string", "maxLength": 3}), Fill::Required), "con");
        // Leading lookaheads (password rules, a length check), read by the sampler itself.
        for (pattern, min, want) in [
            ("^(?=.*[0-9])(?=.*[A-Z])(?=.*[^a-zA-Z0-9]).{8,}$", 0, "0A-aaaaa"),
            (r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d]{10,20}$", 0, "aA0aaaaaaa"),
            ("^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*(?:[.][a-z0-9]+(?:-[a-z0-9]+)*)*$", 0, "aaa.a-a"),
            (r"^(?!.*\s)(?=.*[()])\S+$", 4, "(xxx"),
        ] {
            let got = one(json!({"type": "string", "pattern": pattern, "minLength": min}), Fill::Required);
            assert_eq!(got, want, "{pattern}");
            assert_eq!(pattern_matches(pattern, got.as_str().unwrap()), Some(true), "{pattern}");
        }
        assert_eq!(pattern_matches("^(?=.*[0-9]).{8,}$", "Conformance"), Some(false), "no digit");
        assert_eq!(pattern_matches("^(?!.*--)[a-z-]+$", "con--formance"), Some(false), "a negative lookahead");
        assert_eq!(pattern_matches("^a(?=b)", "ab"), None, "a lookahead past the start is not read");
        // Lookaheads elsewhere: a text with a character of each usual class.
        let inner = one(json!({"type": "string", "pattern": "^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$"}), Fill::Required);
        assert_eq!(inner, "Conformance-1");
    }

    #[test]
    fn enum_values_of_another_type_are_not_sent() {
        let s = json!({"type": "string", "enum": [true, "local", false]});
        assert_eq!(one(s, Fill::Required), "local");
        // Only values of another type: the first of them, as before.
        assert_eq!(one(json!({"type": "string", "enum": [true]}), Fill::Required), true);
    }

    #[test]
    fn an_example_is_used_only_when_it_keeps_the_schema() {
        assert_eq!(one(json!({"type": "string", "example": "me"}), Fill::Required), "me");
        let bad = one(json!({"type": "string", "pattern": "^[a-z]+$", "example": "NOT OK"}), Fill::Required);
        assert!(regex::Regex::new("^[a-z]+$").unwrap().is_match(bad.as_str().unwrap()), "{bad}");
        assert_eq!(one(json!({"type": "integer", "minimum": 10, "example": 3}), Fill::Required), 10);
        assert_eq!(one(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}), Fill::Required), 1);
        assert_eq!(one(json!({"type": "integer", "minimum": 7, "multipleOf": 5}), Fill::Required), 10);
        // Vault's defaults are Go durations; `format: duration` is ISO 8601.
        assert_eq!(one(json!({"type": "string", "format": "duration", "default": "30s"}), Fill::Required), "P1D");
    }

    #[test]
    fn exactly_one_of_sends_one_alternative() {
        let s = json!({"type": "object", "required": ["app"], "properties": {"app": {"type": "string"},
            "image": {"type": "string"}, "git": {"type": "object", "properties": {"sha": {"type": "string"}}}},
            "oneOf": [{"required": ["image"]}, {"required": ["git"]}]});
        let doc = json!({});
        let mut sampler = Sampler::new(&doc);
        assert_eq!(sampler.sample(&s, Fill::All, 0).unwrap(), json!({"app": "conformance", "image": "conformance"}));
        assert_eq!(sampler.sample(&s, Fill::Required, 1).unwrap(), json!({"app": "conformance", "git": {}}));
    }

    #[test]
    fn objects_fill_as_asked_and_recursion_stops() {
        let node = json!({"$ref": "#/components/schemas/Node"});
        assert_eq!(one(node.clone(), Fill::Required), json!({"id": "conformance"}));
        // The optional self-reference is left out, not followed forever.
        assert_eq!(one(node, Fill::All), json!({"id": "conformance"}));
        let ro = json!({"type": "object", "properties": {"a": {"type": "boolean"}, "b": {"type": "string", "readOnly": true}}});
        assert_eq!(one(ro, Fill::All), json!({"a": true}));
    }

    #[test]
    fn unions_take_the_asked_variant_with_its_discriminator_and_all_of_merges() {
        let pet = json!({"oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}});
        assert_eq!(one(pet, Fill::Required), json!({"kind": "cat", "lives": 1}));
        let both = json!({"allOf": [{"$ref": "#/components/schemas/Dog"}, {"required": ["age"], "properties": {"age": {"type": "integer"}}}]});
        assert_eq!(one(both, Fill::Required), json!({"kind": "conformance", "age": 1}));
    }

    #[test]
    fn a_property_two_all_of_members_declare_keeps_both_rules() {
        // Mistral's `stream`: a boolean in the base, `enum: [false]` where a request extends it.
        let narrowed = json!({"allOf": [
            {"type": "object", "properties": {"stream": {"type": "boolean"}, "id": {"type": "string"}}},
            {"type": "object", "properties": {"stream": {"type": "boolean", "enum": [false]}}}]});
        assert_eq!(one(narrowed, Fill::All), json!({"stream": false, "id": "conformance"}));
    }
}
