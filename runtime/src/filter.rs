//! A builder for SailPoint's standard collection filter syntax, for `filters` query parameters:
//! `Filter::isnull("lastUsed").or(Filter::le("lastUsed", cutoff))` is `lastUsed isnull or lastUsed le
//! 2023-02-05T10:59:27.214Z` (the examples are this module's tests).
//!
//! Strings are double-quoted with `"` and `\` escaped; numbers and booleans are bare; date-times are
//! RFC 3339 in UTC with milliseconds. Compound filters are parenthesized where precedence requires it.

use std::fmt;

/// A value compared in a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// A string, written quoted and escaped.
    String(String),
    /// An integer.
    Integer(i64),
    /// A floating-point number.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
    /// A date-time, written as RFC 3339 in UTC.
    DateTime(chrono::DateTime<chrono::Utc>),
}

impl fmt::Display for FilterValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterValue::String(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
            FilterValue::Integer(i) => write!(f, "{i}"),
            FilterValue::Number(n) => write!(f, "{n}"),
            FilterValue::Boolean(b) => write!(f, "{b}"),
            FilterValue::DateTime(d) => f.write_str(&d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        }
    }
}

impl From<&str> for FilterValue {
    fn from(v: &str) -> Self {
        FilterValue::String(v.to_string())
    }
}
impl From<String> for FilterValue {
    fn from(v: String) -> Self {
        FilterValue::String(v)
    }
}
impl From<i64> for FilterValue {
    fn from(v: i64) -> Self {
        FilterValue::Integer(v)
    }
}
impl From<i32> for FilterValue {
    fn from(v: i32) -> Self {
        FilterValue::Integer(v.into())
    }
}
impl From<f64> for FilterValue {
    fn from(v: f64) -> Self {
        FilterValue::Number(v)
    }
}
impl From<bool> for FilterValue {
    fn from(v: bool) -> Self {
        FilterValue::Boolean(v)
    }
}
impl From<chrono::DateTime<chrono::Utc>> for FilterValue {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Self {
        FilterValue::DateTime(v)
    }
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    text: String,
    /// The weakest operator at the top: 0 for a comparison or `not`, 1 for `and`, 2 for `or`.
    level: u8,
}

impl Filter {
    fn compare(field: &str, op: &str, value: FilterValue) -> Filter {
        Filter { text: format!("{field} {op} {value}"), level: 0 }
    }

    /// `field eq value`
    pub fn eq(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "eq", value.into())
    }
    /// `field ne value`
    pub fn ne(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "ne", value.into())
    }
    /// `field gt value`
    pub fn gt(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "gt", value.into())
    }
    /// `field ge value`
    pub fn ge(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "ge", value.into())
    }
    /// `field lt value`
    pub fn lt(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "lt", value.into())
    }
    /// `field le value`
    pub fn le(field: &str, value: impl Into<FilterValue>) -> Filter {
        Filter::compare(field, "le", value.into())
    }
    /// `field co "value"`: contains.
    pub fn co(field: &str, value: impl Into<String>) -> Filter {
        Filter::compare(field, "co", FilterValue::String(value.into()))
    }
    /// `field sw "value"`: starts with.
    pub fn sw(field: &str, value: impl Into<String>) -> Filter {
        Filter::compare(field, "sw", FilterValue::String(value.into()))
    }
    /// `field in (v1, v2, ...)`
    pub fn is_in<V: Into<FilterValue>>(field: &str, values: impl IntoIterator<Item = V>) -> Filter {
        let list: Vec<String> = values.into_iter().map(|v| v.into().to_string()).collect();
        Filter { text: format!("{field} in ({})", list.join(", ")), level: 0 }
    }
    /// `field isnull`
    pub fn isnull(field: &str) -> Filter {
        Filter { text: format!("{field} isnull"), level: 0 }
    }
    /// `field pr`: the field is present.
    pub fn pr(field: &str) -> Filter {
        Filter { text: format!("{field} pr"), level: 0 }
    }

    fn operand(&self, max_level: u8) -> String {
        if self.level > max_level { format!("({})", self.text) } else { self.text.clone() }
    }

    /// `self and other`
    pub fn and(self, other: Filter) -> Filter {
        Filter { text: format!("{} and {}", self.operand(1), other.operand(1)), level: 1 }
    }
    /// `self or other`
    pub fn or(self, other: Filter) -> Filter {
        Filter { text: format!("{} or {}", self.operand(2), other.operand(2)), level: 2 }
    }
    /// `not (self)`
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter {
        Filter { text: format!("not ({})", self.text), level: 0 }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<Filter> for String {
    fn from(f: Filter) -> String {
        f.text
    }
}

#[cfg(test)]
mod examples {
    #[test]
    fn the_documented_examples_hold() {
        use super::Filter;

        let cutoff = chrono::DateTime::parse_from_rfc3339("2023-02-05T10:59:27.214Z").unwrap().to_utc();
        assert_eq!(Filter::le("lastUsed", cutoff).to_string(), "lastUsed le 2023-02-05T10:59:27.214Z");
        assert_eq!(
            Filter::isnull("lastUsed").or(Filter::le("lastUsed", cutoff)).to_string(),
            "lastUsed isnull or lastUsed le 2023-02-05T10:59:27.214Z"
        );
        assert_eq!(Filter::eq("name", r#"say "hi""#).not().to_string(), r#"not (name eq "say \"hi\"")"#);
        assert_eq!(Filter::is_in("id", ["a", "b"]).to_string(), r#"id in ("a", "b")"#);
    }
}
