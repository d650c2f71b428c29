//! Reads response examples (a JSON array of `{type, collection, body}`), round-trips each
//! through the generated type its `@odata.type` names, and prints one JSON result per line.

use serde_json::{json, Value};

/// Equal as JSON values, with numbers compared by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    let mut stack = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                if x != y && x.as_f64() != y.as_f64() {
                    return false;
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                stack.extend(x.iter().zip(y));
            }
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => stack.push((v, w)),
                        None => return false,
                    }
                }
            }
            _ => {
                if a != b {
                    return false;
                }
            }
        }
    }
    true
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: graph-conformance EXAMPLES.json");
    let text = std::fs::read_to_string(&path).expect("readable examples file");
    let examples: Vec<Value> = serde_json::from_str(&text).expect("a JSON array of examples");
    for (index, ex) in examples.into_iter().enumerate() {
        let type_name = ex["type"].as_str().unwrap_or_default();
        let collection = ex["collection"].as_bool().unwrap_or(false);
        let body = ex["body"].clone();
        let result = match graph_corpus::registry::round_trip(type_name, collection, body.clone()) {
            None => json!({"index": index, "status": "unknown-type"}),
            Some(Err(e)) => json!({"index": index, "status": "error", "detail": e.to_string()}),
            Some(Ok(back)) if same(&back, &body) => json!({"index": index, "status": "pass"}),
            Some(Ok(back)) => json!({"index": index, "status": "mismatch", "detail": back.to_string().chars().take(300).collect::<String>()}),
        };
        println!("{result}");
    }
}
