//! Values: defaults and examples checked against their type (one that does not fit is dropped with a warning).

use super::*;

impl<'a> TypeLowerer<'a> {
    /// Keeps a `default` only if it fits the type; otherwise warns and drops it (it stays documentation).
    pub(super) fn checked_default(
        &mut self,
        default: Option<&Value>,
        t: &TypeRef,
        nullable: bool,
        enums: &[Value],
        pointer: &str,
    ) -> Option<Value> {
        let d = default?;
        if fits(t, d, nullable, enums) {
            Some(d.clone())
        } else {
            self.warn(
                WarningKind::DefaultDoesNotFit,
                &format!("{pointer}/default"),
                format!("default {d} does not fit the schema; kept as documentation only"),
            );
            None
        }
    }

    /// Keeps an `example` only if it fits the type (the docs' examples are decoded in tests); otherwise
    /// warns and drops it (`example: 29.94` on an integer, a number beyond 64 bits).
    pub(super) fn checked_example(
        &mut self,
        example: Option<Value>,
        t: &TypeRef,
        meta: &Meta,
        pointer: &str,
    ) -> Option<Value> {
        let e = example?;
        if fits(t, &e, meta.nullable, &meta.enum_values) {
            return Some(e);
        }
        self.warn(
            WarningKind::ExampleDoesNotFit,
            &format!("{pointer}/example"),
            format!("example {e} does not fit the schema; left out of the generated examples"),
        );
        None
    }
}

/// Whether a default or example value fits a type (for named types: a listed enum value or an object).
pub(super) fn fits(t: &TypeRef, v: &Value, nullable: bool, enums: &[Value]) -> bool {
    match (t, v) {
        (_, Value::Null) => nullable,
        (TypeRef::String | TypeRef::Secret, Value::String(_)) => true,
        (TypeRef::DateTime, Value::String(s)) => looks_like_date_time(s),
        (TypeRef::Date, Value::String(s)) => s.len() == 10 && s.as_bytes()[4] == b'-',
        (TypeRef::Integer(32), Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (TypeRef::Integer(_), Value::Number(n)) => n.is_i64(),
        (TypeRef::Number(_), Value::Number(_)) => true,
        (TypeRef::Boolean, Value::Bool(_)) => true,
        (TypeRef::Array(inner), Value::Array(items)) => items.iter().all(|i| fits(inner, i, false, &[])),
        (TypeRef::Nullable(inner), v) => fits(inner, v, true, enums),
        (TypeRef::Map(_) | TypeRef::Object, Value::Object(_)) => true,
        (TypeRef::Any, _) => true,
        (TypeRef::Named(_), v) => enums.is_empty() || enums.contains(v) || v.is_object(),
        _ => false,
    }
}

pub(super) fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20 && b[4] == b'-' && b[7] == b'-' && (b[10] == b'T' || b[10] == b't') && b[13] == b':'
}

/// A label for a union variant without a title.
pub(super) fn type_label(t: &TypeRef) -> String {
    match t {
        TypeRef::String | TypeRef::Secret => "String".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Number(_) => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Any => "Any".into(),
        TypeRef::Object => "Object".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Array(inner) => format!("{}Array", type_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", type_label(inner)),
        TypeRef::Nullable(inner) => format!("Nullable{}", type_label(inner)),
    }
}
