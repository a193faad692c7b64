//! Views: a schema, which openapiv3 spreads over several enum variants, flattened into one shape.

use super::*;

/// A schema flattened into one shape.
#[derive(Default)]
pub(super) struct View<'a> {
    pub(super) typ: Option<String>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'a [ReferenceOr<Schema>],
    pub(super) all_of: &'a [ReferenceOr<Schema>],
    pub(super) any_of: &'a [ReferenceOr<Schema>],
    pub(super) not: bool,
    pub(super) bounds: Bounds,
}

pub(super) fn num_f64(v: f64) -> Option<serde_json::Number> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(serde_json::Number::from(v as i64))
    } else {
        serde_json::Number::from_f64(v)
    }
}

pub(super) fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string".into());
            v.format = format_name(&s.format);
            v.enumeration = s.enumeration.iter().map(|e| e.clone().map(Value::String).unwrap_or(Value::Null)).collect();
            v.bounds.min_length = s.min_length;
            v.bounds.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number".into());
            v.format = format_name(&n.format);
            v.enumeration =
                n.enumeration.iter().map(|e| e.and_then(num_f64).map(Value::Number).unwrap_or(Value::Null)).collect();
            v.bounds.minimum = n.minimum.and_then(num_f64);
            v.bounds.maximum = n.maximum.and_then(num_f64);
            v.bounds.exclusive_minimum = n.exclusive_minimum && n.minimum.is_some();
            v.bounds.exclusive_maximum = n.exclusive_maximum && n.maximum.is_some();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer".into());
            v.format = format_name(&i.format);
            v.enumeration = i.enumeration.iter().map(|e| e.map(Value::from).unwrap_or(Value::Null)).collect();
            v.bounds.minimum = i.minimum.map(serde_json::Number::from);
            v.bounds.maximum = i.maximum.map(serde_json::Number::from);
            v.bounds.exclusive_minimum = i.exclusive_minimum && i.minimum.is_some();
            v.bounds.exclusive_maximum = i.exclusive_maximum && i.maximum.is_some();
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            v.typ = Some("boolean".into());
            v.enumeration = b.enumeration.iter().map(|e| e.map(Value::Bool).unwrap_or(Value::Null)).collect();
        }
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object".into());
            v.properties = o.properties.iter().collect();
            v.required = o.required.clone();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array".into());
            v.items = a.items.as_ref();
            v.bounds.min_items = a.min_items;
            v.bounds.max_items = a.max_items;
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::Not { .. } => v.not = true,
        SchemaKind::Any(a) => {
            v.typ = a.typ.clone();
            v.format = a.format.clone();
            v.enumeration = a.enumeration.clone();
            v.properties = a.properties.iter().collect();
            v.required = a.required.clone();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref();
            v.one_of = &a.one_of;
            v.all_of = &a.all_of;
            v.any_of = &a.any_of;
            v.not = a.not.is_some();
            v.bounds = Bounds {
                minimum: a.minimum.and_then(num_f64),
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false) && a.minimum.is_some(),
                maximum: a.maximum.and_then(num_f64),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false) && a.maximum.is_some(),
                min_length: a.min_length,
                max_length: a.max_length,
                min_items: a.min_items,
                max_items: a.max_items,
            };
        }
    }
    v
}

pub(super) fn format_name<T: serde::Serialize>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => serde_json::to_value(i).ok()?.as_str().map(String::from),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}
