// The data-loss judge of the conformance driver: this file is both a module of the xtask (where it is
// tested) and, pasted in whole, part of every driver it renders (so it has no `//!` header and uses
// nothing but `serde_json`, named in full).

/// The paths of members `sent` has (not null) that `kept` lacks.
pub fn lost(sent: &serde_json::Value, kept: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match (sent, kept) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in a.iter().filter(|(_, v)| !v.is_null()) {
                let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                match b.get(k) {
                    Some(w) => lost(v, w, &path, out),
                    None => out.push(path),
                }
            }
        }
        (serde_json::Value::Array(a), serde_json::Value::Array(b)) => {
            for (i, v) in a.iter().enumerate() {
                match b.get(i) {
                    Some(w) => lost(v, w, &format!("{at}[{i}]"), out),
                    None => out.push(format!("{at}[{i}]")),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod judge_tests {
    use super::lost;
    use serde_json::json;

    fn paths(sent: serde_json::Value, kept: serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        lost(&sent, &kept, "", &mut out);
        out
    }

    #[test]
    fn members_the_decoded_value_dropped_are_found_at_any_depth() {
        // The union SailPoint's `GET /campaigns/{id}` lost: the summary variant kept `id` and `name` only.
        let sent = json!({"id": "c1", "name": "Q3", "sourceIds": ["s1"], "owner": {"id": "o", "email": "a@b"}});
        let kept = json!({"id": "c1", "name": "Q3", "owner": {"id": "o"}});
        assert_eq!(paths(sent, kept), vec!["sourceIds", "owner.email"]);
        assert_eq!(paths(json!([{"a": 1}, {"a": 2}]), json!([{"a": 1}, {}])), vec!["[1].a"]);
        assert_eq!(paths(json!([1, 2]), json!([1])), vec!["[1]"]);
    }

    #[test]
    fn nothing_is_lost_when_every_member_is_kept_or_was_null() {
        assert!(paths(json!({"a": 1, "b": null, "c": [{"d": "x"}]}), json!({"a": 1.0, "c": [{"d": "y"}]})).is_empty());
    }
}
