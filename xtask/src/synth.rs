//! `cargo xtask synth`: writes a synthetic OpenAPI 3.0 spec of a size like a whole SailPoint API version
//! (by default 500 operations and 1,000 schemas), for the generator's speed and scale checks.
//!
//! The spec is deterministic (no randomness: every choice cycles through the constructs by index) and
//! mixes what real specs use: objects with required, optional and nullable properties, date-times,
//! string and integer enums, arrays and arrays of arrays, maps, `allOf` compositions, `oneOf` unions with
//! and without a discriminator, inline objects, recursive schemas, aliases, keyword and odd property
//! names; path, query (array) and header parameters; JSON, JSON Patch, multipart, form and text bodies;
//! binary and CSV responses, `default` responses, several success statuses, deprecated operations,
//! alternative security requirements; several documented error statuses and a `204`.

use std::fmt::Write;
use std::path::Path;

/// Writes the default synthetic spec (500 operations, 1,000 schemas) into `dir` and its generated crate
/// into `dir/crate`, with this workspace's lock file, outside the workspace so it builds on its own.
pub fn write_crate(root: &Path, dir: &Path) -> anyhow::Result<generator::Output> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let spec = dir.join("synthetic.yaml");
    std::fs::write(&spec, spec_text(500, 1000))?;
    let inputs = generator::load_inputs(&spec, Some(dir))?;
    let output =
        generator::generate(&inputs, &generator::Options { crate_name: "synthetic".into(), ..Default::default() })?;
    let krate = dir.join("crate");
    output.files.write(&krate)?;
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))?;
    Ok(output)
}

/// Lines of Rust in a generated crate.
pub fn rust_lines(output: &generator::Output) -> usize {
    output.files.files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.lines().count()).sum()
}

/// Renders the synthetic spec as YAML.
pub fn spec_text(operations: usize, schemas: usize) -> String {
    let mut y = String::with_capacity(operations * 1500 + schemas * 900);
    y.push_str("openapi: 3.0.1\ninfo:\n  title: Synthetic API\n  version: '1.0'\n  description: A synthetic spec for scale tests.\n");
    y.push_str("servers:\n  - url: https://{tenant}.api.example.com/v9\n    variables:\n      tenant:\n        default: tenant\n");
    y.push_str("tags:\n");
    for t in 0..10 {
        let _ = writeln!(y, "  - name: Area {t}\n    description: Operations of area {t}.");
    }
    y.push_str("paths:\n");
    // Four operations per resource path pair: list, create, patch, delete.
    let resources = operations.div_ceil(4);
    let mut count = 0;
    for r in 0..resources {
        let model = format!("Model{}", r % schemas.max(1));
        let tag = format!("Area {}", r % 10);
        let _ = writeln!(y, "  /resources-{r}:");
        if count < operations {
            count += 1;
            let _ = write!(
                y,
                "    get:\n      operationId: listResources{r}\n      tags: [{tag}]\n      summary: List resources {r}\n      parameters:\n        - name: filters\n          in: query\n          schema:\n            type: string\n        - name: limit\n          in: query\n          schema:\n            type: integer\n            format: int32\n            minimum: 0\n            maximum: 250\n        - name: ids\n          in: query\n          explode: false\n          schema:\n            type: array\n            items:\n              type: string\n        - name: X-SailPoint-Experimental\n          in: header\n          schema:\n            type: string\n            default: 'true'\n      responses:\n        '200':\n          description: The resources.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/{model}'\n{}",
                errors()
            );
        }
        if count < operations {
            count += 1;
            let _ = write!(
                y,
                "    post:\n      operationId: createResource{r}\n      tags: [{tag}]\n      summary: Create a resource {r}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/{model}'\n      responses:\n        '201':\n          description: Created.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{model}'\n{}",
                errors()
            );
        }
        let _ = writeln!(
            y,
            "  /resources-{r}/{{id}}:\n    parameters:\n      - name: id\n        in: path\n        required: true\n        schema:\n          type: string"
        );
        if count < operations {
            count += 1;
            let _ = write!(
                y,
                "    patch:\n      operationId: patchResource{r}\n      tags: [{tag}]\n      summary: Patch a resource {r}\n      requestBody:\n        required: true\n        content:\n          application/json-patch+json:\n            schema:\n              type: array\n              items:\n                $ref: '#/components/schemas/PatchOp'\n      responses:\n        '200':\n          description: Patched.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{model}'\n{}",
                errors()
            );
        }
        if count < operations {
            count += 1;
            if r % 10 == 9 {
                // Every tenth resource's fourth operation is one of the rarer constructs instead.
                y.push_str(&special(r, &tag, &model));
            } else {
                let _ = write!(
                    y,
                    "    delete:\n      operationId: deleteResource{r}\n      tags: [{tag}]\n      summary: Delete a resource {r}\n      responses:\n        '204':\n          description: Deleted.\n{}",
                    errors()
                );
            }
        }
    }
    y.push_str("components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://example.com/oauth/token\n          scopes:\n            sp:scopes:all: everything\n    key:\n      type: apiKey\n      in: header\n      name: X-Key\n");
    y.push_str("  responses:\n");
    for code in [400, 401, 403, 404, 429, 500] {
        let _ = writeln!(
            y,
            "    '{code}':\n      description: Error {code}.\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/ErrorResponse'"
        );
    }
    y.push_str("  schemas:\n");
    y.push_str("    ErrorResponse:\n      type: object\n      properties:\n        detailCode:\n          type: string\n        trackingId:\n          type: string\n        messages:\n          type: array\n          items:\n            type: object\n            properties:\n              locale:\n                type: string\n                nullable: true\n              text:\n                type: string\n");
    y.push_str("    PatchOp:\n      type: object\n      required: [op, path]\n      properties:\n        op:\n          type: string\n          enum: [add, remove, replace, move, copy, test]\n        path:\n          type: string\n        value:\n          oneOf:\n            - type: string\n            - type: boolean\n            - type: integer\n            - type: object\n            - type: array\n              items:\n                type: string\n");
    for i in 0..schemas {
        y.push_str(&schema(i, schemas));
    }
    y
}

/// The rarer operation shapes, cycling: multipart upload, form body, text in and CSV out, binary
/// download, a deprecated operation with several success statuses, security alternatives.
fn special(r: usize, tag: &str, model: &str) -> String {
    let e = errors();
    match (r / 10) % 6 {
        0 => format!(
            "    post:\n      operationId: uploadResource{r}\n      tags: [{tag}]\n      requestBody:\n        required: true\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              required: [file]\n              properties:\n                file:\n                  type: string\n                  format: binary\n                note:\n                  type: string\n      responses:\n        '201':\n          description: Stored.\n{e}"
        ),
        1 => format!(
            "    post:\n      operationId: formResource{r}\n      tags: [{tag}]\n      requestBody:\n        required: true\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              properties:\n                name:\n                  type: string\n                flags:\n                  type: array\n                  items:\n                    type: string\n      responses:\n        '204':\n          description: Done.\n{e}"
        ),
        2 => format!(
            "    post:\n      operationId: textResource{r}\n      tags: [{tag}]\n      requestBody:\n        required: true\n        content:\n          text/plain:\n            schema:\n              type: string\n      responses:\n        '200':\n          description: A CSV.\n          content:\n            text/csv:\n              schema:\n                type: string\n{e}"
        ),
        3 => format!(
            "    get:\n      operationId: downloadResource{r}\n      tags: [{tag}]\n      responses:\n        '200':\n          description: A PDF.\n          headers:\n            Content-Disposition:\n              schema:\n                type: string\n          content:\n            application/pdf:\n              schema:\n                type: string\n                format: binary\n        default:\n          description: Anything else.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/ErrorResponse'\n"
        ),
        4 => format!(
            "    delete:\n      operationId: deleteResource{r}\n      tags: [{tag}]\n      deprecated: true\n      responses:\n        '200':\n          description: Deleted, here is what it was.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{model}'\n        '202':\n          description: Deletion queued.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/ErrorResponse'\n        '204':\n          description: Deleted.\n{e}"
        ),
        _ => format!(
            "    delete:\n      operationId: deleteResource{r}\n      tags: [{tag}]\n      security:\n        - oauth: [sp:scopes:all]\n        - key: []\n      responses:\n        '204':\n          description: Deleted.\n{e}"
        ),
    }
}

fn errors() -> String {
    let mut s = String::new();
    for code in [400, 401, 403, 404, 429, 500] {
        let _ = writeln!(s, "        '{code}':\n          $ref: '#/components/responses/{code}'");
    }
    s
}

/// Schema `i`: the construct cycles with the index in groups of eight; references stay inside the group
/// (shallow, acyclic), except for the explicitly recursive schema.
fn schema(i: usize, n: usize) -> String {
    let base = i - i % 8;
    let member = |k: usize| format!("Model{}", (base + k) % n);
    let mut s = String::new();
    match i % 8 {
        // A plain object with every kind of property.
        0 | 1 => {
            let _ = write!(
                s,
                "    Model{i}:\n      type: object\n      title: Model {i}\n      description: Synthetic object {i}.\n      required: [id, name, created]\n      properties:\n        id:\n          type: string\n        name:\n          type: string\n          minLength: 1\n          maxLength: 128\n          example: Model {i}\n        type:\n          type: string\n          enum: [ALPHA, BETA, GAMMA]\n        created:\n          type: string\n          format: date-time\n        modified:\n          type: string\n          format: date-time\n          nullable: true\n        count:\n          type: integer\n          format: int64\n          minimum: 0\n        ratio:\n          type: number\n          minimum: 0\n          maximum: 1\n          exclusiveMaximum: true\n        enabled:\n          type: boolean\n          default: true\n        tags:\n          type: array\n          maxItems: 50\n          items:\n            type: string\n        matrix:\n          type: array\n          items:\n            type: array\n            items:\n              type: integer\n        attributes:\n          type: object\n          additionalProperties:\n            type: string\n        owner:\n          $ref: '#/components/schemas/{}'\n        owner-ref:\n          type: object\n          properties:\n            id:\n              type: string\n            kind:\n              type: string\n              enum: [IDENTITY, GOVERNANCE_GROUP]\n",
                if i.is_multiple_of(8) { member(1) } else { member(5) }
            );
        }
        // allOf: a reference plus inline properties.
        2 => {
            let _ = write!(
                s,
                "    Model{i}:\n      allOf:\n        - $ref: '#/components/schemas/{}'\n        - type: object\n          properties:\n            extra{i}:\n              type: string\n            level:\n              type: integer\n              enum: [1, 2, 3]\n",
                member(1)
            );
        }
        // oneOf with a discriminator over two objects of the group.
        3 if (i / 8).is_multiple_of(2) => {
            let _ = write!(
                s,
                "    Model{i}:\n      description: A tagged union {i}.\n      oneOf:\n        - $ref: '#/components/schemas/{}'\n        - $ref: '#/components/schemas/{}'\n      discriminator:\n        propertyName: type\n        mapping:\n          ALPHA: '#/components/schemas/{}'\n          BETA: '#/components/schemas/{}'\n",
                member(0),
                member(1),
                member(0),
                member(1)
            );
        }
        // oneOf: an untagged union of a reference, a string and an integer.
        3 => {
            let _ = write!(
                s,
                "    Model{i}:\n      description: A union {i}.\n      oneOf:\n        - $ref: '#/components/schemas/{}'\n        - type: string\n        - type: integer\n",
                member(0)
            );
        }
        // A recursive tree.
        4 => {
            let _ = write!(
                s,
                "    Model{i}:\n      type: object\n      properties:\n        label:\n          type: string\n        parent:\n          $ref: '#/components/schemas/Model{i}'\n        children:\n          type: array\n          items:\n            $ref: '#/components/schemas/Model{i}'\n"
            );
        }
        // A string enum component.
        5 => {
            let _ = write!(
                s,
                "    Model{i}:\n      type: string\n      description: States {i}.\n      enum: [PENDING, ACTIVE, 'null-ish', '2fa', null]\n      nullable: true\n"
            );
        }
        // A map of references and a free-form object.
        6 => {
            let _ = write!(
                s,
                "    Model{i}:\n      type: object\n      properties:\n        entries:\n          type: object\n          additionalProperties:\n            $ref: '#/components/schemas/{}'\n        extra:\n          type: object\n        anything: {{}}\n        self:\n          type: string\n        $ref-like:\n          type: string\n",
                member(3)
            );
        }
        // An alias of another component.
        _ => {
            let _ = write!(s, "    Model{i}:\n      $ref: '#/components/schemas/{}'\n", member(0));
        }
    }
    s
}
