//! Runs the docs' request examples through the generated stubs. Each example is a function in
//! the generated `cases.rs` that builds its operation's stub with the example's path parameter
//! values, query options and body; this program gives it its inputs (a JSON array: the example's
//! body, its query as `QueryOptions` fields, the response example's status and body), sends the
//! request with the runtime's client to a mock Graph on 127.0.0.1 that answers with the response
//! example, reads the typed response, and prints one JSON line of facts per example.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use graph_runtime::client::{reqwest, Client, RetryPolicy, StaticToken};
use graph_runtime::{Endpoint, QueryOptions};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::runtime::Runtime;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One example's function: its facts, or why its stub could not be built.
type R = Result<Value, String>;
type Case = fn(&H<'_>) -> R;

include!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/conformance/requests/cases.rs"));

/// What an example function works with.
struct H<'a> {
    input: &'a Value,
    rt: &'a Runtime,
    client: &'a Client,
    server: &'a MockServer,
    /// How the body was made: from the example, or (when the example has none or it does not
    /// read) from an empty value, so that the request line can still be checked.
    body: std::cell::RefCell<Value>,
}

/// Equal as JSON values, numbers by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A value as JSON, written to bytes as the client writes bodies (one serializer for both).
fn written<T: Serialize>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(&serde_json::to_vec(value)?)
}

fn short(text: String) -> String {
    if text.chars().count() > 300 {
        text.chars().take(300).chain("...".chars()).collect()
    } else {
        text
    }
}

impl H<'_> {
    /// The example's body as the stub's body type; an empty value of it when the example has no
    /// body or its body does not read.
    fn body<T: DeserializeOwned>(&self) -> Result<T, String> {
        let example = &self.input["body"];
        let mut error = None;
        // Read from bytes, as the client reads responses: one deserializer for both.
        if !example.is_null() {
            match serde_json::from_slice::<T>(example.to_string().as_bytes()) {
                Ok(t) => {
                    *self.body.borrow_mut() = json!({"read": "example"});
                    return Ok(t);
                }
                Err(e) => error = Some(e.to_string()),
            }
        }
        *self.body.borrow_mut() = json!({"read": "empty", "error": error});
        for empty in ["{}", "null", "[]", "\"\""] {
            if let Ok(t) = serde_json::from_slice::<T>(empty.as_bytes()) {
                return Ok(t);
            }
        }
        Err(format!("no body of the stub's type could be made ({})", error.unwrap_or_default()))
    }

    fn query(&self) -> QueryOptions {
        let q = &self.input["query"];
        let list = |k: &str| -> Vec<String> {
            q[k].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default()
        };
        let text = |k: &str| q[k].as_str().map(String::from);
        let count = |k: &str| q[k].as_u64().and_then(|n| u32::try_from(n).ok());
        QueryOptions {
            select: list("select"),
            expand: list("expand"),
            orderby: list("orderby"),
            filter: text("filter"),
            search: text("search"),
            top: count("top"),
            skip: count("skip"),
            count: q["count"].as_bool(),
            params: q["params"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                .collect(),
        }
    }

    /// Makes the mock server answer the next request with `status` and `text`.
    fn answer(&self, status: u16, text: &str) {
        self.rt.block_on(async {
            self.server.reset().await;
            let answer = ResponseTemplate::new(status).set_body_raw(text.as_bytes().to_vec(), "application/json");
            Mock::given(any()).respond_with(answer).mount(self.server).await;
        });
    }

    /// The typed response written back, against the response example.
    fn compare(&self, back: Result<Value, serde_json::Error>, text: &str) -> Value {
        let back = back.unwrap_or(Value::Null);
        let expected =
            if text.trim().is_empty() { Value::Null } else { serde_json::from_str(text).unwrap_or(Value::Null) };
        json!({"ok": true, "same": same(&back, &expected), "back": short(back.to_string())})
    }

    /// The request the mock server received.
    fn received(&self) -> Value {
        let received = self.rt.block_on(self.server.received_requests()).unwrap_or_default();
        match received.first() {
            Some(r) => json!({"method": r.method.as_str(), "path": r.url.path(), "query": r.url.query().unwrap_or("")}),
            None => json!({}),
        }
    }

    /// The request the stub describes, the request that reached the mock server, the body
    /// written back, and the typed response read from the response example.
    fn run<E: Endpoint>(&self, op: E) -> R
    where
        E::Response: Serialize,
    {
        let request = op.request();
        let mut body = self.body.borrow().clone();
        if let Some(b) = request.body {
            let back = written(b).map_err(|e| format!("the body is not written: {e}"))?;
            if body["read"] == "example" {
                body["same"] = json!(same(&back, &self.input["body"]));
                body["back"] = json!(short(back.to_string()));
            }
        }
        let response = &self.input["response"];
        let status = response["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(204);
        let text = response["body"].as_str().unwrap_or("").to_string();
        // Only the send itself is generic: the mock's set-up and what it received are not, so
        // that each operation adds as little code as it can.
        self.answer(status, &text);
        let read = match self.rt.block_on(self.client.send(&op)) {
            Ok(value) => self.compare(written(&value), &text),
            Err(e) => json!({"ok": false, "error": short(e.to_string())}),
        };
        let wire = self.received();
        Ok(json!({
            "method": request.method.as_str(),
            "path_and_query": request.path_and_query,
            "body": body,
            "wire": wire,
            "response": read,
        }))
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: graph-requests CASES.json");
    let text = std::fs::read_to_string(&path).expect("a readable cases file");
    let inputs: Vec<Value> = serde_json::from_str(&text).expect("a JSON array of cases");
    assert_eq!(inputs.len(), CASES.len(), "one input per example function");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let server = rt.block_on(MockServer::start());
    // Redirects are not followed: the mock server is the only host a request may reach.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client");
    let client = Client::builder(StaticToken::new("t"))
        .base_url(server.uri())
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");
    for (i, (case, input)) in CASES.iter().zip(&inputs).enumerate() {
        let h = H { input, rt: &rt, client: &client, server: &server, body: std::cell::RefCell::new(Value::Null) };
        let mut line = match catch_unwind(AssertUnwindSafe(|| case(&h))) {
            Ok(Ok(facts)) => facts,
            Ok(Err(e)) => json!({"error": e}),
            Err(_) => json!({"error": "the example's function panicked"}),
        };
        line["i"] = json!(i);
        println!("{line}");
    }
}
