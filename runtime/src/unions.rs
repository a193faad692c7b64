//! Choosing the variant of an untagged union (`oneOf`/`anyOf` without a discriminator) that keeps the
//! most of what the server sent. Trying the variants in a fixed order loses data whenever an earlier
//! variant accepts a body meant for a later one: every struct whose members are all optional accepts
//! any object, and a summary type accepts the whole object it summarises, dropping the rest. So every
//! variant that is a struct is decoded, and the one whose value, encoded again, keeps the most of the
//! body's members (at any depth) wins; ties keep the spec's order. Variants that are not structs are
//! tried after them, in order.

/// How many of `sent`'s members (at any depth; `null` ones do not count) `decoded`, encoded again,
/// still has.
#[doc(hidden)]
pub fn kept<T: serde::Serialize>(sent: &serde_json::Value, decoded: &T) -> usize {
    serde_json::to_value(decoded).map_or(0, |again| count(sent, &again))
}

fn count(sent: &serde_json::Value, again: &serde_json::Value) -> usize {
    use serde_json::Value;
    match (sent, again) {
        (Value::Object(a), Value::Object(b)) => {
            a.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| b.get(k).map_or(0, |w| 1 + count(v, w))).sum()
        }
        (Value::Array(a), Value::Array(b)) => a.iter().zip(b).map(|(v, w)| count(v, w)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::kept;
    use serde_json::json;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Slim {
        id: Option<String>,
    }
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Metrics {
        id: Option<String>,
        metrics: Option<Inner>,
    }
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Inner {
        events: Option<i64>,
    }

    #[test]
    fn the_variant_that_keeps_more_members_at_any_depth_scores_higher() {
        let sent = json!({"id": "a", "metrics": {"events": 3, "made_up": 1}, "gone": null});
        let slim: Slim = serde_json::from_value(sent.clone()).unwrap();
        let full: Metrics = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(kept(&sent, &slim), 1);
        assert_eq!(kept(&sent, &full), 3, "id, metrics and metrics.events");
        assert_eq!(kept(&json!([{"other": "x"}]), &vec![Slim { id: None }]), 0, "a member the type has no field for");
    }
}
