{% import "rust/checks.rs" as checks -%}
//! The models of the {{ title }} (`{{ version }}`): every schema of `{{ source }}`, and the inline
//! schemas that need a name of their own.
#![allow(clippy::large_enum_variant)]
// Deprecated schemas and fields warn their users, not this module's own serde and constructor code.
#![allow(deprecated)]

{%- if needs_serde %}
{%- if gated %}
// Every model here may be left out by the tag features.
#[allow(unused_imports)]
{%- endif %}
use serde::{Deserialize, Serialize};
{%- endif %}
{% for s in structs %}
// @generator:chunk
{{ s.docs }}
#[derive({{ s.derives }})]
{%- if s.deprecated %}
#[deprecated]
{%- endif %}
pub struct {{ s.name }} {
{%- for f in s.fields %}
{{ f.docs }}
{{ f.attrs }}
{%- if f.deprecated %}
    #[deprecated]
{%- endif %}
    pub {{ f.ident }}: {{ f.ty }},
{%- endfor %}
}
{% if let Some(c) = s.ctor %}
impl {{ s.name }} {
    /// A new value with the required fields set and every optional field empty.
    {%- if c.args.len() > 7 %}
    #[allow(clippy::too_many_arguments)]
    {%- endif %}
    pub fn new({% for a in c.args %}{{ a.ident }}: {{ a.ty }}, {% endfor %}) -> Self {
        Self {
        {%- for i in c.inits %}
            {{ i }},
        {%- endfor %}
        }
    }
}
{%- endif %}
{%- if !s.checks.is_empty() %}

impl {{ s.name }} {
{{ s.checks_doc }}
    pub fn validate(&self) -> Result<(), crate::InvalidValue> {
    {%- for f in s.checks %}{% call checks::on_field(f) %}{% endcall %}{% endfor %}
        Ok(())
    }
}
{%- endif %}
{%- if let Some(r) = s.record %}

impl<'de> Deserialize<'de> for {{ s.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::record::deserialize(deserializer)
    }
}

impl crate::record::Record for {{ s.name }} {
    const NAME: &'static str = {{ r.name_lit }};
    const FIELDS: &'static [&'static str] = &[{% for f in r.fields %}{{ f.wire_lit }}, {% endfor %}];
    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
{%- if r.fields.is_empty() %}
        let mut keys = crate::record::Keys::new(Self::FIELDS);
        while map.next_key_seed(&mut keys)?.is_some() {
            crate::record::skip(&mut map)?;
        }
        Ok(Self {})
{%- else %}
{%- for f in r.fields %}
        let mut f{{ loop.index0 }} = None;
{%- endfor %}
        let mut keys = crate::record::Keys::new(Self::FIELDS);
        while let Some(i) = map.next_key_seed(&mut keys)? {
            match i {
{%- for f in r.fields %}
                {{ loop.index0 }} => crate::record::put(&mut map, &mut f{{ loop.index0 }}, {{ f.wire_lit }})?,
{%- endfor %}
                _ => crate::record::skip(&mut map)?,
            }
        }
        Ok(Self {
{%- for f in r.fields %}
            {{ f.ident }}: {{ f.init }},
{%- endfor %}
        })
{%- endif %}
    }
}
{%- endif %}
{% endfor %}
{% for e in enums %}
// @generator:chunk
{{ e.docs }}
///
/// Values this version of the crate does not know are kept in [`{{ e.name }}::Unknown`] instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
{%- if e.deprecated %}
#[deprecated]
{%- endif %}
pub enum {{ e.name }} {
{%- for v in e.variants %}
    /// `{{ v.wire_doc }}`
    {{ v.ident }},
{%- endfor %}
    /// A value not documented by the spec, kept as sent.
    Unknown(String),
}

impl {{ e.name }} {
    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
        {%- for v in e.variants %}
            Self::{{ v.ident }} => {{ v.wire_lit }},
        {%- endfor %}
            Self::Unknown(other) => other,
        }
    }
}

impl std::fmt::Display for {{ e.name }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for {{ e.name }} {
    fn from(value: &str) -> Self {
        match value {
        {%- for v in e.variants %}
            {{ v.wire_lit }} => Self::{{ v.ident }},
        {%- endfor %}
            other => Self::Unknown(other.to_string()),
        }
    }
}

impl std::str::FromStr for {{ e.name }} {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

impl Serialize for {{ e.name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for {{ e.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::from(value.as_ref()))
    }
}
{% endfor %}
{% for e in int_enums %}
// @generator:chunk
{{ e.docs }}
///
/// Values this version of the crate does not know are kept in [`{{ e.name }}::Unknown`] instead of failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum {{ e.name }} {
{%- for v in e.variants %}
    /// `{{ v.value }}`
    {{ v.ident }},
{%- endfor %}
    /// A value not documented by the spec, kept as sent.
    Unknown(i64),
}

impl {{ e.name }} {
    /// The value as sent on the wire.
    pub fn value(self) -> i64 {
        match self {
        {%- for v in e.variants %}
            Self::{{ v.ident }} => {{ v.value }},
        {%- endfor %}
            Self::Unknown(other) => other,
        }
    }
}

impl From<i64> for {{ e.name }} {
    fn from(value: i64) -> Self {
        match value {
        {%- for v in e.variants %}
            {{ v.value }} => Self::{{ v.ident }},
        {%- endfor %}
            other => Self::Unknown(other),
        }
    }
}

impl Serialize for {{ e.name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.value())
    }
}

impl<'de> Deserialize<'de> for {{ e.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self::from(i64::deserialize(deserializer)?))
    }
}
{% endfor %}
{% for u in unions %}
// @generator:chunk
{{ u.docs }}
///
{%- if u.chosen %}
/// Decoded by trying every variant that is a struct and taking the one that keeps the most of the
/// body's members (the first of equals), then the other variants in order.
{%- else %}
/// Decoded by trying each variant in order; the order is chosen so that no variant is unreachable.
{%- endif %}
#[derive({{ u.derives }})]
#[serde(untagged)]
{%- if u.deprecated %}
#[deprecated]
{%- endif %}
pub enum {{ u.name }} {
{%- for v in u.variants %}
{{ v.docs }}
    {{ v.ident }}({{ v.ty }}),
{%- endfor %}
}
{%- if u.chosen %}
impl<'de> Deserialize<'de> for {{ u.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        // The struct variant that keeps the most of the body wins (ties: the first).
        let mut best: Option<(usize, Self)> = None;
{%- for v in u.variants %}
{%- if v.is_struct %}
        if let Ok(v) = <{{ v.ty }}>::deserialize(&value) {
            let kept = crate::unions::kept(&value, &v);
            if best.as_ref().is_none_or(|(most, _)| kept > *most) {
                best = Some((kept, Self::{{ v.ident }}(v)));
            }
        }
{%- endif %}
{%- endfor %}
        if let Some((_, v)) = best {
            return Ok(v);
        }
{%- for v in u.variants %}
{%- if !v.is_struct %}
        if let Ok(v) = <{{ v.ty }}>::deserialize(&value) {
            return Ok(Self::{{ v.ident }}(v));
        }
{%- endif %}
{%- endfor %}
        Err(serde::de::Error::custom("data did not match any variant of untagged enum {{ u.name }}"))
    }
}
{%- endif %}
{% for c in u.froms %}
impl From<{{ c.from_ty }}> for {{ u.name }} {
    fn from(value: {{ c.from_ty }}) -> Self {
        Self::{{ c.ident }}({{ c.expr }})
    }
}
{% endfor %}
{% endfor %}
{% for u in tagged %}
// @generator:chunk
{{ u.docs }}
///
/// The `{{ u.property_doc }}` property picks the variant; a value this version of the crate does not know is
/// kept in [`{{ u.name }}::Unknown`] instead of failing.
#[derive({{ u.derives }})]
pub enum {{ u.name }} {
{%- for v in u.variants %}
    /// `{{ u.property_doc }}` is {{ v.tags_doc }}.
    {{ v.ident }}({{ v.ty }}),
{%- endfor %}
    /// A variant this version of the crate does not know, kept as sent.
    Unknown(serde_json::Value),
}

impl Serialize for {{ u.name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (tag, mut value) = match self {
        {%- for v in u.variants %}
            Self::{{ v.ident }}(v) => ({{ v.tag_lit }}, serde_json::to_value(v).map_err(serde::ser::Error::custom)?),
        {%- endfor %}
            Self::Unknown(v) => return v.serialize(serializer),
        };
        if let serde_json::Value::Object(map) = &mut value {
            map.entry({{ u.property_lit }}).or_insert_with(|| tag.into());
        }
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for {{ u.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let tag = value.get({{ u.property_lit }}).and_then(serde_json::Value::as_str);
        match tag {
        {%- for v in u.variants %}
            {{ v.patterns }} => serde_json::from_value(value).map(Self::{{ v.ident }}).map_err(serde::de::Error::custom),
        {%- endfor %}
            _ => Ok(Self::Unknown(value)),
        }
    }
}
{% endfor %}
{% for a in aliases %}
// @generator:chunk
{{ a.docs }}
pub type {{ a.name }} = {{ a.ty }};
{% endfor %}
