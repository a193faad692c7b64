//! Checks of the bounds a spec sets on request values (`minimum`/`maximum`, `minLength`/`maxLength`,
//! `minItems`/`maxItems`), which every model with bounds runs in its `validate` method and every request
//! runs on its body before sending. Responses are never checked: the client decodes what the server sends.

use crate::error::InvalidValue;

/// A number against its bounds; `rule` is the bounds in words for the message.
#[doc(hidden)]
pub fn number(
    path: &str,
    value: f64,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    rule: &str,
) -> Result<(), InvalidValue> {
    let low = min.is_some_and(|(m, exclusive)| if exclusive { value <= m } else { value < m });
    let high = max.is_some_and(|(m, exclusive)| if exclusive { value >= m } else { value > m });
    if low || high || value.is_nan() {
        return Err(InvalidValue::new(path, format!("is {value}; it must be {rule}")));
    }
    Ok(())
}
/// A count (a string's characters, an array's items) against its bounds. The message gives the
/// count, never the content.
#[doc(hidden)]
pub fn count(
    path: &str,
    n: usize,
    min: Option<usize>,
    max: Option<usize>,
    what: &str,
    rule: &str,
) -> Result<(), InvalidValue> {
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        return Err(InvalidValue::new(path, format!("has {n} {what}; it must be {rule}")));
    }
    Ok(())
}
