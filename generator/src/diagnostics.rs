//! The kinds of defect the generator tolerates in a spec, each a warning with the file, line and
//! pointer where it is. A kind's doc comment is its documentation: its first paragraph says what the
//! spec does, the `Lowered:` paragraph what the generator makes of it. `cargo xtask generate` writes
//! them as the table in `docs/tolerated-defects.md`, and its `--check` (and `cargo test`) fails when the
//! page no longer matches.

macro_rules! warning_kinds {
    ($( $(#[doc = $doc:literal])* $variant:ident = $slug:literal; )*) => {
        /// A kind of tolerated spec defect (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum WarningKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl WarningKind {
            /// Every kind, in the order of the table.
            pub const ALL: &'static [WarningKind] = &[$(WarningKind::$variant),*];

            /// The short name warnings are summarised by (`undeclared-scope`).
            pub fn slug(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => $slug,)*
                }
            }

            /// The kind's doc comment, as written.
            pub fn docs(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => concat!($($doc, "\n"),*),)*
                }
            }
        }
    };
}

warning_kinds! {
    /// An operation asks for an OAuth scope its security scheme does not declare.
    ///
    /// Lowered: kept as documentation of the operation.
    UndeclaredScope = "undeclared-scope";
    /// A `default` of the wrong type (`"false"` on a boolean, `"6 Months from created date"` on a
    /// date-time).
    ///
    /// Lowered: dropped; it stays in the documentation.
    DefaultDoesNotFit = "default-does-not-fit";
    /// An example that does not decode into its type (a string where an array is declared, a
    /// date-time without an offset, `29.94` on an integer, a number beyond 64 bits).
    ///
    /// Lowered: left out of generated examples (which are decoded in doctests).
    ExampleDoesNotFit = "example-does-not-fit";
    /// `required` names a property that `properties` lacks (SailPoint v2024's role metadata `attribute`
    /// beside `attributeKey`; Prism rejected requests without it).
    ///
    /// Lowered: a member of any JSON type (`Option<serde_json::Value>`), always sent (`null` unless set).
    UndeclaredRequired = "undeclared-required";
    /// `items` beside a type that is not `array` (`type: string`).
    ///
    /// Lowered: ignored.
    ItemsOnNonArray = "items-on-non-array";
    /// A JSON Schema keyword of OpenAPI 3.1 with no Rust lowering (`if`/`then`/`else`,
    /// `patternProperties`, `propertyNames`, `unevaluated*`, `dependent*`, `contains`, `$dynamicRef`,
    /// `prefixItems`).
    ///
    /// Lowered: the keyword is dropped, and the type is the looser one left (the message says which):
    /// `patternProperties` members are kept as additional properties, `prefixItems` is a list of any of
    /// its items' types.
    UnloweredKeyword = "unlowered-keyword";
    /// A security scheme the client cannot send: a `mutualTLS` scheme (a TLS client certificate), or
    /// a scheme given as a `$ref` to a URL.
    ///
    /// Lowered: the scheme is left out; an operation that requires only it is called without its
    /// credential (a client certificate goes on the HTTP client).
    UnsupportedScheme = "unsupported-scheme";
    /// `type: array` without `items`.
    ///
    /// Lowered: `Vec<serde_json::Value>`; when an `allOf`, `oneOf` or `anyOf` stands beside `type`
    /// (`type: array, allOf: [$ref: Role]`), a list of that composition.
    ArrayWithoutItems = "array-without-items";
    /// A format given as the type (`type: date-time`).
    ///
    /// Lowered: `type: string` with that format (also `date`, `uuid`, `uri`, `email`, ...).
    FormatAsType = "format-as-type";
    /// Any other unknown `type` (`strnig`).
    ///
    /// Lowered: `serde_json::Value`.
    UnknownType = "unknown-type";
    /// An enum lists values of another type than the schema's (Linode's `replication_commit_type`: a
    /// string enum with `true` and `false`, YAML 1.1's reading of `on` and `off`).
    ///
    /// Lowered: in a string enum, variants of their text (`"true"`); in others, left out.
    EnumValueOfAnotherType = "enum-value-of-another-type";
    /// An enum lists a value twice.
    ///
    /// Lowered: one variant.
    DuplicateEnumValue = "duplicate-enum-value";
    /// A bound on a type it does not apply to (`minimum` on a string, `minItems` on an untyped schema).
    ///
    /// Lowered: ignored; no check is generated.
    BoundsDoNotFit = "bounds-do-not-fit";
    /// Bounds that no value meets (`minimum: 10, maximum: 5`, `minLength` above `maxLength`).
    ///
    /// Lowered: both bounds dropped; no check is generated.
    ImpossibleBounds = "impossible-bounds";
    /// `not`, which no Rust type expresses.
    ///
    /// Lowered: the value is any JSON (`serde_json::Value`).
    Not = "not";
    /// `allOf` of members that cannot merge into one struct (an enum or union beside an object).
    ///
    /// Lowered: `serde_json::Value`.
    AllOfNotMergeable = "all-of-not-mergeable";
    /// `allOf` of enums (or an enum and a scalar) that no value satisfies (NetBird's `ResourceType`: an enum
    /// of `host`, `subnet`, `domain` and `{enum: [peer]}`). `allOf` of enums that share values is those
    /// values, without a warning.
    ///
    /// Lowered: `serde_json::Value`.
    AllOfNoValue = "all-of-no-value";
    /// An `allOf` member (or the schema beside it) closed with `additionalProperties: false` while other
    /// members declare properties it does not (Linode's `POST /networking/firewalls`: the firewall is
    /// closed, `devices` is declared beside it): no value that has them satisfies the `allOf`.
    ///
    /// Lowered: one struct with every member's properties, as if the member were open.
    AllOfClosedMember = "all-of-closed-member";
    /// A discriminator over inline members that list no tag values.
    ///
    /// Lowered: an untagged union.
    DiscriminatorWithoutTags = "discriminator-without-tags";
    /// A discriminator mapping names a schema that is not a member.
    ///
    /// Lowered: the mapping entry is ignored.
    MappingNamesNoMember = "mapping-names-no-member";
    /// A union with itself as a member (`oneOf: [$ref: Self, ...]`).
    ///
    /// Lowered: the member is left out.
    UnionMemberIsItself = "union-member-is-itself";
    /// A schema defined only by itself (`allOf: [$ref: Self]`).
    ///
    /// Lowered: any JSON.
    SchemaIsOnlyItself = "schema-is-only-itself";
    /// References that only go round (a cycle of aliases and compositions too deep to resolve).
    ///
    /// Lowered: any JSON where the cycle closes.
    DeepRefCycle = "deep-ref-cycle";
    /// A path parameter declared under another name than the template's (`/campaign-filters/{id}`
    /// declares `filterId`).
    ///
    /// Lowered: paired, one unmatched on each side in order; the declared type is kept.
    PathParameterRenamed = "path-parameter-renamed";
    /// A template variable that no parameter declares.
    ///
    /// Lowered: a required `String` path parameter.
    UndeclaredPathVariable = "undeclared-path-variable";
    /// A template variable declared in another location (`{job_identifier}` declared `in: query`).
    ///
    /// Lowered: sent in the path.
    PathVariableDeclaredElsewhere = "path-variable-declared-elsewhere";
    /// A path parameter that the template does not name.
    ///
    /// Lowered: ignored.
    PathParameterNotInTemplate = "path-parameter-not-in-template";
    /// A path parameter that is not marked `required`.
    ///
    /// Lowered: required, as every path parameter is.
    PathParameterNotRequired = "path-parameter-not-required";
    /// `application/json-patch+json` over an object schema rather than an array of operations.
    ///
    /// Lowered: the schema's own type, sent with that media type.
    JsonPatchNotAnArray = "json-patch-not-an-array";
    /// A multipart body whose object has no properties.
    ///
    /// Lowered: an empty form (a map body sends each entry as a part).
    EmptyMultipart = "empty-multipart";
    /// A security requirement names a scheme that `components` lacks.
    ///
    /// Lowered: ignored.
    UndeclaredSecurityScheme = "undeclared-security-scheme";
    /// A response `$ref`s a `components/requestBodies` entry, or a request body a
    /// `components/responses` entry: a component of the wrong kind whose shape (`content`) fits.
    ///
    /// Lowered: that component's `content` (and description), as the author meant.
    WrongComponentKind = "wrong-component-kind";
    /// A `204 No Content` (or `205`, `304`) response declares a body, which HTTP says it cannot have
    /// (found by `cargo xtask conformance --spec`: SailPoint v2024's `deleteFormDefinition`).
    ///
    /// Lowered: a response without a body; nothing is decoded.
    BodyOnNoContent = "body-on-no-content";
}

impl WarningKind {
    /// What the spec does (the doc comment's first paragraph, on one line).
    pub fn defect(self) -> String {
        one_line(self.docs().split("\n\n").next().unwrap_or(""))
    }

    /// What the generator makes of it (the `Lowered:` paragraph, on one line).
    pub fn lowering(self) -> String {
        let text = self.docs().split_once("Lowered:").map_or("", |(_, l)| l);
        one_line(text)
    }
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page `docs/tolerated-defects.md`: every kind with its defect and lowering.
pub fn defects_page() -> String {
    let mut out = String::from(
        "<!-- Generated by `cargo xtask generate` from generator/src/diagnostics.rs. Do not edit. -->\n\n\
         # Tolerated defects\n\n\
         Each is a warning naming the file, line and JSON pointer where the spec has it (`cargo xtask generate\n\
         --verbose` lists every one; without it they are summarised by kind), and is lowered as the author\n\
         evidently meant. How often SailPoint's specs have each is in [lowering.md](lowering.md). Back to the\n\
         [README](../README.md).\n\n\
         | warning | what the spec does | what the generator makes of it |\n|---|---|---|\n",
    );
    for k in WarningKind::ALL {
        out.push_str(&format!("| `{}` | {} | {} |\n", k.slug(), k.defect(), k.lowering()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_defect_and_a_lowering_and_a_unique_slug() {
        let mut slugs = std::collections::BTreeSet::new();
        for k in WarningKind::ALL {
            assert!(!k.defect().is_empty() && !k.lowering().is_empty(), "{k:?}");
            assert!(slugs.insert(k.slug()), "{} twice", k.slug());
        }
        assert_eq!(
            WarningKind::PathParameterRenamed.lowering(),
            "paired, one unmatched on each side in order; the declared type is kept."
        );
    }

    /// The checked-in page is what the kinds' docs say (the drift check for docs/tolerated-defects.md).
    #[test]
    fn the_defects_page_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/tolerated-defects.md");
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(on_disk == defects_page(), "docs/tolerated-defects.md is stale: run `cargo xtask generate`");
    }
}
