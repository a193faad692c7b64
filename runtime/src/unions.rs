//! Choosing the variant of an untagged union (`oneOf`/`anyOf` without a discriminator) that keeps the
//! most of what the server sent. Trying the variants in a fixed order loses data whenever an earlier
//! variant accepts a body meant for a later one: every struct whose members are all optional accepts
//! any object, and a summary type accepts the whole object it summarises, dropping the rest. So the
//! variants that are structs are tried in order of how many of the body's members they declare (ties
//! keep the spec's order, and non-struct variants keep their place after them); the first that decodes
//! wins.

/// The order to try a union's variants in, for `value`: each variant's declared member names (`None`
/// for a variant that is not a struct).
#[doc(hidden)]
pub fn order(value: &serde_json::Value, declared: &[Option<&[&str]>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..declared.len()).collect();
    let serde_json::Value::Object(members) = value else { return order };
    let score = |i: &usize| match declared[*i] {
        Some(names) => members.iter().filter(|(k, v)| !v.is_null() && names.contains(&k.as_str())).count(),
        None => 0,
    };
    // Stable: equal scores keep the spec's order.
    order.sort_by_key(|i| std::cmp::Reverse(score(i)));
    order
}

#[cfg(test)]
mod tests {
    use super::order;
    use serde_json::json;

    const SLIM: &[&str] = &["id", "name"];
    const FULL: &[&str] = &["id", "name", "status", "deadline"];
    const EVENT: &[&str] = &["id", "filter"];
    const SCHEDULE: &[&str] = &["cronString", "timeZone"];

    #[test]
    fn the_variant_that_declares_most_of_the_body_comes_first() {
        let whole = json!({"id": "c1", "name": "Q3", "status": "ACTIVE"});
        assert_eq!(order(&whole, &[Some(SLIM), Some(FULL)]), vec![1, 0]);
        let slim = json!({"id": "c1", "name": "Q3"});
        assert_eq!(order(&slim, &[Some(SLIM), Some(FULL)]), vec![0, 1], "a tie keeps the spec's order");
        let scheduled = json!({"cronString": "0 * * * *", "timeZone": "UTC"});
        assert_eq!(order(&scheduled, &[Some(EVENT), Some(SCHEDULE), None]), vec![1, 0, 2]);
        // Not an object: the spec's order.
        assert_eq!(order(&json!("text"), &[None, Some(SLIM)]), vec![0, 1]);
        // A null member declares nothing.
        assert_eq!(order(&json!({"status": null, "id": "x"}), &[Some(SLIM), Some(FULL)]), vec![0, 1]);
    }
}
