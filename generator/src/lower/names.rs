//! Naming: turning spec names into Rust identifiers, deterministically and without collisions.
//!
//! Rules: types and variants are UpperCamelCase, fields, parameters and functions snake_case (heck).
//! A Rust keyword gets a trailing `_` (the wire name is kept by a serde rename); a name that starts with a
//! digit gets a letter prefix; a name that is empty after conversion gets a placeholder; a name that
//! collides with one already taken in the same scope gets a numeric suffix, in spec order.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];

/// Type names the generated code already uses unqualified; a schema with such a name is suffixed.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    "Map",
    "DateTime",
    "Utc",
    "NaiveDate",
    "Bytes",
    "SecretString",
    "Client",
    "Error",
    "ApiResponse",
    "Formatter",
    "Future",
    "Pin",
    "IntoFuture",
    "FromStr",
    "Infallible",
];

/// Splits on anything that is not alphanumeric so heck sees word boundaries in `a.b`, `a$b`, `a b`.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(folded) = fold(c) {
            // Accented Latin letters keep their base letter (`étage` -> `etage`), and their case.
            if c.is_uppercase() {
                let mut f = folded.chars();
                if let Some(first) = f.next() {
                    out.push(first.to_ascii_uppercase());
                    out.push_str(f.as_str());
                }
            } else {
                out.push_str(folded);
            }
        } else {
            out.push(' ');
        }
    }
    out
}

/// The ASCII letters an accented Latin letter stands for.
fn fold(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// An UpperCamelCase type name for `s`; never empty, never starting with a digit, never reserved.
pub fn type_name(s: &str) -> String {
    let mut name = ascii(&words(s).to_upper_camel_case());
    if name.is_empty() {
        name = "Unnamed".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("Type{name}");
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// Whether a schema `title` reads as a name (`Approval Item Details`) rather than a sentence (`The thing
/// the server returns.`): at most five words, no sentence punctuation, not too long.
pub fn is_name_like(title: &str) -> bool {
    let t = title.trim();
    !t.is_empty()
        && t.len() <= 48
        && t.split_whitespace().count() <= 5
        && !t.contains(['.', ',', ';', ':', '!', '?', '(', ')', '\n'])
}

/// An UpperCamelCase enum variant name for a wire value; `fallback` is used when nothing is left.
pub fn variant_name(s: &str, fallback: &str) -> String {
    let mut name = ascii(&words(s).to_upper_camel_case());
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if name == "Self" || name == "Unknown" {
        name.push('_');
    }
    name
}

/// A snake_case identifier for fields, parameters and functions.
pub fn snake_ident(s: &str) -> String {
    // Split camelCase and odd characters the same way heck does, then make it a valid identifier.
    let mut name = ascii(&words(s).to_snake_case());
    if name.is_empty() {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Keeps ASCII identifier characters only (heck keeps Unicode letters, which are valid but unwieldy).
fn ascii(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// A scope in which names must be unique (a module's types, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A new scope with some names already in use.
    pub fn with(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }
    /// Claims `name`, or `name2`, `name3`, ... if it is taken; the same inputs in the same order always
    /// give the same names.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{name}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
    /// Whether a name is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn accented_letters_keep_their_base_letter_and_other_scripts_separate_words() {
        assert_eq!(super::variant_name("étage-1", "V"), "Etage1");
        assert_eq!(super::snake_ident("Größe"), "grosse");
        assert_eq!(super::type_name("日本 data"), "Data");
        assert_eq!(super::variant_name("🚀", "Variant0"), "Variant0");
    }

    #[test]
    fn titles_name_types_only_when_they_read_as_names() {
        assert!(super::is_name_like("Approval Item Details"));
        assert!(super::is_name_like("Identity Attribute Config"));
        assert!(!super::is_name_like("This is the thing that the server returns when you ask for it."));
        assert!(!super::is_name_like("Account, or identity"));
        assert!(!super::is_name_like("   "));
    }

    use super::*;

    #[test]
    fn converts_odd_names() {
        assert_eq!(snake_ident("owner-id"), "owner_id");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("accessTokenValiditySeconds"), "access_token_validity_seconds");
        assert_eq!(snake_ident("$ref"), "ref_");
        assert_eq!(snake_ident("2fa code"), "n_2fa_code");
        assert_eq!(snake_ident("a.b"), "a_b");
        assert_eq!(snake_ident("--"), "value");
        assert_eq!(type_name("Create Personal Access Token Request"), "CreatePersonalAccessTokenRequest");
        assert_eq!(type_name("createpersonalaccesstokenrequest"), "Createpersonalaccesstokenrequest");
        assert_eq!(type_name("401"), "Type401");
        assert_eq!(type_name("Error"), "ErrorModel");
        assert_eq!(variant_name("sp:scopes:all", "V"), "SpScopesAll");
        assert_eq!(variant_name("1.0", "V"), "V10");
        assert_eq!(variant_name("", "Empty"), "Empty");
        assert_eq!(variant_name("unknown", "V"), "Unknown_");
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut s = Scope::default();
        assert_eq!(s.claim("FooBar"), "FooBar");
        assert_eq!(s.claim("FooBar"), "FooBar2");
        assert_eq!(s.claim("FooBar"), "FooBar3");
    }
}
