//! The client against a mock Graph on 127.0.0.1 (wiremock), one server per test: paging,
//! delta, throttling and retries, Graph error bodies, batching, decode failures, secrecy of the
//! token, the `Prefer` header and binary responses.
#![cfg(feature = "client")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use graph_runtime::client::{AccessToken, Batch, BatchError, BoxError, Client, Error, RetryPolicy, StaticToken};
use graph_runtime::{DateTimeOffset, Endpoint, Method, NoContent, Page, QueryOptions};
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "tok-7f3a9c-never-printed";
const BEARER: &str = "Bearer tok-7f3a9c-never-printed";

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Event {
    id: String,
    #[serde(rename = "createdDateTime")]
    created_date_time: DateTimeOffset,
}

struct ListUsers(QueryOptions);
impl Endpoint for ListUsers {
    type Body = NoContent;
    type Response = Page<User>;
    const METHOD: Method = Method::Get;
    fn template(&self) -> &'static str {
        "/users"
    }
    fn path(&self) -> String {
        "/users".into()
    }
    fn query(&self) -> Option<&QueryOptions> {
        Some(&self.0)
    }
}

struct UsersDelta;
impl Endpoint for UsersDelta {
    type Body = NoContent;
    type Response = Page<Value>;
    const METHOD: Method = Method::Get;
    fn template(&self) -> &'static str {
        "/users/delta"
    }
    fn path(&self) -> String {
        "/users/delta".into()
    }
}

struct GetUser(&'static str);
impl Endpoint for GetUser {
    type Body = NoContent;
    type Response = User;
    const METHOD: Method = Method::Get;
    fn template(&self) -> &'static str {
        "/users/{id}"
    }
    fn path(&self) -> String {
        format!("/users/{}", self.0)
    }
}

struct CreateUser(Value);
impl Endpoint for CreateUser {
    type Body = Value;
    type Response = User;
    const METHOD: Method = Method::Post;
    fn template(&self) -> &'static str {
        "/users"
    }
    fn path(&self) -> String {
        "/users".into()
    }
    fn body(&self) -> Option<&Value> {
        Some(&self.0)
    }
}

struct DeleteUser(&'static str);
impl Endpoint for DeleteUser {
    type Body = NoContent;
    type Response = NoContent;
    const METHOD: Method = Method::Delete;
    fn template(&self) -> &'static str {
        "/users/{id}"
    }
    fn path(&self) -> String {
        format!("/users/{}", self.0)
    }
}

struct ListEvents;
impl Endpoint for ListEvents {
    type Body = NoContent;
    type Response = Page<Event>;
    const METHOD: Method = Method::Get;
    fn template(&self) -> &'static str {
        "/me/events"
    }
    fn path(&self) -> String {
        "/me/events".into()
    }
}

struct GetPhoto;
impl Endpoint for GetPhoto {
    type Body = NoContent;
    type Response = NoContent;
    const METHOD: Method = Method::Get;
    fn template(&self) -> &'static str {
        "/me/photo/$value"
    }
    fn path(&self) -> String {
        "/me/photo/$value".into()
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Tiny delays, so that no test waits long unless it asks for `Retry-After: 1`.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_max_attempts(4).with_backoff(ms(10), ms(40)).with_max_total_wait(Duration::from_secs(3))
}

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder(StaticToken::new(TOKEN))
        .base_url(format!("{}/v1.0", server.uri()))
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    client_with(server, fast_retries())
}

fn users(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id, "displayName": format!("User {id}")})).collect())
}

fn graph_error(code: &str, message: &str, request_id: &str) -> Value {
    json!({"error": {"code": code, "message": message, "innerError": {
        "date": "2024-05-17T15:52:39",
        "request-id": request_id,
        "client-request-id": format!("client-{request_id}"),
    }}})
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

#[tokio::test]
async fn three_pages_through_next_link() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$top", "2"))
        .and(query_param_is_missing("$skiptoken"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": users(&["1", "2"]), "@odata.nextLink": format!("{base}/users?$top=2&$skiptoken=p2")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p2"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": users(&["3", "4"]), "@odata.nextLink": format!("{base}/users?$top=2&$skiptoken=p3")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p3"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(&["5"])})))
        .mount(&server)
        .await;
    let client = client(&server);
    let op = ListUsers(QueryOptions { top: Some(2), ..QueryOptions::default() });

    let all: Vec<User> = client.items(&op).try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(all[4].display_name.as_deref(), Some("User 5"));
    assert_eq!(requests_to(&server, "/v1.0/users").await.len(), 3);

    // A page limit stops the stream and says where to go on from.
    let mut pages = client.pages(&op).max_pages(2);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().value.len());
    }
    assert_eq!(sizes, [2, 2]);
    let rest = pages.next_link().expect("stopped before the last page").to_owned();
    assert!(rest.ends_with("$skiptoken=p3"), "{rest}");
    let last: Vec<Page<User>> = client.pages_from(&rest).try_collect().await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].value[0].id, "5");

    // Pages are requested only when asked for: dropping the stream after one page sends no more.
    let before = requests_to(&server, "/v1.0/users").await.len();
    let first: Vec<_> = client.pages(&op).take(1).collect().await;
    assert_eq!(first.len(), 1);
    assert_eq!(requests_to(&server, "/v1.0/users").await.len(), before + 1);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": users(&["1"]), "@odata.nextLink": "https://graph.example.net/v1.0/users?$skiptoken=x"}),
        ))
        .mount(&server)
        .await;
    let results: Vec<Result<Page<User>, Error>> =
        client(&server).pages(&ListUsers(QueryOptions::default())).collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    match &results[1] {
        Err(Error::ForeignLink { origin }) => assert_eq!(origin, "https://graph.example.net"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client(&server).pages_from::<User>("http://127.0.0.1:1/v1.0/users").next().await,
        Some(Err(Error::ForeignLink { .. }))
    ));
}

#[tokio::test]
async fn a_delta_round_ends_in_a_delta_link_and_the_next_starts_from_it() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param_is_missing("$deltatoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": users(&["1", "2"]), "@odata.nextLink": format!("{base}/users/delta?$skiptoken=s1")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param("$skiptoken", "s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": users(&["3"]), "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=d1")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param("$deltatoken", "d1"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "2", "@removed": {"reason": "deleted"}}],
            "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=d2"),
        })))
        .mount(&server)
        .await;
    let client = client(&server);

    let round = client.delta(&UsersDelta).await.unwrap();
    assert_eq!(round.items.len(), 3);
    assert_eq!(round.delta_link, format!("{base}/users/delta?$deltatoken=d1"));

    let next = client.delta_from::<Value>(&round.delta_link).await.unwrap();
    assert_eq!(next.items, [json!({"id": "2", "@removed": {"reason": "deleted"}})]);
    assert!(next.delta_link.ends_with("$deltatoken=d2"));

    // The pages stream holds the delta link once it has reached it.
    let mut pages = client.pages(&UsersDelta);
    assert_eq!(pages.delta_link(), None);
    while let Some(page) = pages.next().await {
        page.unwrap();
    }
    assert!(pages.delta_link().unwrap().ends_with("$deltatoken=d1"));
    assert_eq!(pages.pages_read(), 2);

    // A "delta" query that never hands out a delta link is an error, not a silent loss of the
    // sync point.
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param("$skiptoken", "none"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(&["9"])})))
        .mount(&server)
        .await;
    let err = client.delta_from::<Value>(&format!("{base}/users/delta?$skiptoken=none")).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("no @odata.deltaLink"), "{err}");
}

#[tokio::test]
async fn throttled_429_honours_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(graph_error(
            "TooManyRequests",
            "Too many requests",
            "r-429",
        )))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u1"})))
        .mount(&server)
        .await;
    // A backoff far shorter than a second: the wait must come from Retry-After.
    let client = client_with(&server, fast_retries());
    let started = Instant::now();
    let user = client.send(&GetUser("u1")).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(user.id, "u1");
    assert!(elapsed >= ms(950), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}");
    assert_eq!(requests_to(&server, "/v1.0/users/u1").await.len(), 2);
}

#[tokio::test]
async fn throttling_gives_up_within_its_bounds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/slow"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(graph_error(
            "TooManyRequests",
            "Too many requests",
            "r-slow",
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;

    // Retry-After: 1 is more than the half second of waiting allowed: no retry, no wait.
    let client = client_with(&server, fast_retries().with_max_total_wait(ms(500)));
    let started = Instant::now();
    let err = client.send(&GetUser("slow")).await.unwrap_err();
    assert!(started.elapsed() < ms(900), "{:?}", started.elapsed());
    let http = err.as_http().unwrap();
    assert_eq!((http.status, http.retry_after, http.attempts), (429, Some(Duration::from_secs(1)), 1));
    assert_eq!(http.code(), Some("TooManyRequests"));
    assert_eq!(requests_to(&server, "/v1.0/users/slow").await.len(), 1);

    // Throttled every time: as many attempts as the policy allows, then the last 429.
    let client = client_with(&server, fast_retries().with_max_attempts(3));
    let err = client.send(&GetUser("busy")).await.unwrap_err();
    assert_eq!((err.status(), err.as_http().unwrap().attempts), (Some(429), 3));
    assert_eq!(requests_to(&server, "/v1.0/users/busy").await.len(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");

    // POST is retried on 429 (it was not processed).
    let err = client.send(&CreateUser(json!({"displayName": "x"}))).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(requests_to(&server, "/v1.0/users").await.len(), 3);
}

#[tokio::test]
async fn service_unavailable_backs_off_for_safe_methods_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u1"})))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/v1.0/users")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/users/gone"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;

    // The token provider is asked before every attempt, so a refreshed token is used on retry.
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let provider = move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok::<_, BoxError>(AccessToken::new(format!("{TOKEN}-{n}"))) }
    };
    let client = Client::builder(provider)
        .base_url(format!("{}/v1.0", server.uri()))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(client.send(&GetUser("u1")).await.unwrap().id, "u1");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let sent = requests_to(&server, "/v1.0/users/u1").await;
    assert_eq!(sent.len(), 3);
    let tokens: Vec<&str> = sent.iter().map(|r| r.headers.get("authorization").unwrap().to_str().unwrap()).collect();
    assert_eq!(tokens, [format!("{BEARER}-1"), format!("{BEARER}-2"), format!("{BEARER}-3")]);

    // POST is not repeated on a server error: it may have been carried out.
    let err = client.send(&CreateUser(json!({}))).await.unwrap_err();
    assert_eq!((err.status(), err.as_http().unwrap().attempts), (Some(503), 1));
    assert_eq!(requests_to(&server, "/v1.0/users").await.len(), 1);

    // DELETE is, as often as the policy allows.
    let err = client.send(&DeleteUser("gone")).await.unwrap_err();
    assert_eq!((err.status(), err.as_http().unwrap().attempts), (Some(504), 4));
}

#[tokio::test]
async fn graph_error_bodies_are_parsed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/me"))
        .respond_with(ResponseTemplate::new(401).set_body_json(graph_error(
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
            "req-401",
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/nobody"))
        .respond_with(
            ResponseTemplate::new(404).insert_header("request-id", "req-404-header").set_body_json(graph_error(
                "Request_ResourceNotFound",
                "Resource 'nobody' does not exist.",
                "req-404",
            )),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/gateway"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());

    let err = client.send(&GetUser("me")).await.unwrap_err();
    let http = err.as_http().unwrap();
    assert_eq!(http.status, 401);
    assert_eq!(http.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(http.message(), Some("Access token has expired or is not yet valid."));
    let inner = http.graph.as_ref().unwrap().inner_error.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("req-401"));
    assert_eq!(inner.client_request_id.as_deref(), Some("client-req-401"));
    assert_eq!(inner.date.as_deref(), Some("2024-05-17T15:52:39"));
    assert_eq!(
        err.to_string(),
        "HTTP 401 Unauthorized: InvalidAuthenticationToken: Access token has expired or is not yet valid. (request-id req-401)"
    );

    let err = client.send(&GetUser("nobody")).await.unwrap_err();
    let http = err.as_http().unwrap();
    assert_eq!((http.status, http.code()), (404, Some("Request_ResourceNotFound")));
    assert_eq!(http.message(), Some("Resource 'nobody' does not exist."));
    assert_eq!(http.request_id(), Some("req-404"));
    assert_eq!(http.request_id_header.as_deref(), Some("req-404-header"));

    // A body that is not Graph's shape is kept as it came.
    let err = client.send(&GetUser("gateway")).await.unwrap_err();
    let http = err.as_http().unwrap();
    assert_eq!((http.status, http.graph.is_none()), (502, true));
    assert_eq!(http.body_text(), "<html>Bad Gateway</html>");
    assert!(err.to_string().starts_with("HTTP 502 Bad Gateway (a body of 24 bytes"), "{err}");
}

#[tokio::test]
async fn a_batch_with_mixed_statuses_and_a_dependency() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"responses": [
            {"id": "3", "status": 404, "headers": {"Content-Type": "application/json"},
             "body": graph_error("Request_ResourceNotFound", "Resource 'missing' does not exist.", "req-b3")},
            {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"},
             "body": {"id": "u1", "displayName": "Alice"}},
            {"id": "5", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "Dependency failed"}}},
            {"id": "2", "status": 204},
            {"id": "4", "status": 201, "body": {"id": "new", "displayName": "Carol"}},
            {"id": "6", "status": 429, "headers": {"Retry-After": "7"},
             "body": graph_error("TooManyRequests", "Slow down", "req-b6")},
        ]})))
        .mount(&server)
        .await;
    let client = client(&server);

    let mut batch = Batch::new();
    let get = batch.add(&GetUser("u1")).unwrap();
    let delete = batch.add_after(&DeleteUser("u2"), &get).unwrap();
    let missing = batch.add(&GetUser("missing")).unwrap();
    let create = batch.add(&CreateUser(json!({"displayName": "Carol"}))).unwrap();
    let after_missing = batch.add_after(&GetUser("after"), &missing).unwrap();
    let throttled = batch.add(&GetUser("busy")).unwrap();
    assert_eq!(batch.len(), 6);
    let responses = client.send_batch(batch).await.unwrap();

    assert_eq!(responses.get(&get).unwrap(), User { id: "u1".into(), display_name: Some("Alice".into()) });
    assert_eq!(responses.get(&delete).unwrap(), NoContent);
    let err = responses.get(&missing).unwrap_err();
    let http = err.as_http().unwrap();
    assert_eq!((http.status, http.code(), http.request_id()), (404, Some("Request_ResourceNotFound"), Some("req-b3")));
    assert_eq!(responses.get(&create).unwrap().id, "new");
    assert_eq!(responses.status(create.id()), Some(201));
    assert_eq!(responses.get(&after_missing).unwrap_err().status(), Some(424));
    let err = responses.get(&throttled).unwrap_err();
    assert_eq!(err.as_http().unwrap().retry_after, Some(Duration::from_secs(7)));

    // What was sent: one $batch request, with dependsOn and the body of the POST.
    let sent = requests_to(&server, "/v1.0/$batch").await;
    assert_eq!(sent.len(), 1);
    let body: Value = serde_json::from_slice(&sent[0].body).unwrap();
    let requests = body["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 6);
    assert_eq!(requests[0], json!({"id": "1", "method": "GET", "url": "/users/u1"}));
    assert_eq!(requests[1], json!({"id": "2", "method": "DELETE", "url": "/users/u2", "dependsOn": ["1"]}));
    assert_eq!(
        requests[3],
        json!({"id": "4", "method": "POST", "url": "/users", "body": {"displayName": "Carol"},
               "headers": {"Content-Type": "application/json"}})
    );
    assert_eq!(requests[4]["dependsOn"], json!(["3"]));

    // A handle is read back only from its own batch's responses.
    let mut other = Batch::new();
    let foreign = other.add(&GetUser("u1")).unwrap();
    assert!(matches!(responses.get(&foreign), Err(Error::Batch(BatchError::ForeignHandle { .. }))));
}

/// Answers every request of a `$batch` body with `200 {"id": <its url>}`.
struct Echo;
impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!({"id": r["id"], "status": 200, "body": {"id": r["url"]}}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

#[tokio::test]
async fn a_large_batch_is_sent_twenty_at_a_time_with_chains_kept_together() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1.0/$batch")).respond_with(Echo).mount(&server).await;
    const IDS: [&str; 25] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
        "w", "x", "y",
    ];
    let mut batch = Batch::new();
    let mut handles = Vec::new();
    for id in &IDS[..18] {
        handles.push(batch.add(&GetUser(id)).unwrap());
    }
    // A chain of four that does not fit in the first $batch request after 18 others.
    let mut last = batch.add(&GetUser(IDS[18])).unwrap();
    handles.push(last.clone());
    for id in &IDS[19..22] {
        last = batch.add_after(&GetUser(id), &last).unwrap();
        handles.push(last.clone());
    }
    for id in &IDS[22..] {
        handles.push(batch.add(&GetUser(id)).unwrap());
    }
    let responses = client(&server).send_batch(batch).await.unwrap();
    for (handle, id) in handles.iter().zip(IDS) {
        assert_eq!(responses.get(handle).unwrap().id, format!("/users/{id}"));
    }
    let sent = requests_to(&server, "/v1.0/$batch").await;
    let sizes: Vec<usize> = sent
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["requests"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [20, 5]);
    let second: Value = serde_json::from_slice(&sent[1].body).unwrap();
    let urls: Vec<&str> = second["requests"].as_array().unwrap().iter().map(|r| r["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["/users/s", "/users/t", "/users/u", "/users/v", "/users/y"], "the chain travels whole");
}

#[tokio::test]
async fn a_decode_failure_names_its_json_path_and_keeps_the_body() {
    let server = MockServer::start().await;
    let events = json!({"value": [
        {"id": "e0", "createdDateTime": "2024-01-01T00:00:00Z"},
        {"id": "e1", "createdDateTime": "2024-01-02T00:00:00Z"},
        {"id": "e2", "createdDateTime": "2024-01-03T00:00:00Z"},
        {"id": "e3", "createdDateTime": "yesterday"},
    ]});
    let text = serde_json::to_string(&events).unwrap();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/events"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(text.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client.send(&ListEvents).await.unwrap_err();
    let decode = err.as_decode().unwrap();
    assert_eq!(decode.path, "value[3].createdDateTime");
    assert_eq!(decode.status, 200);
    assert_eq!(decode.body, text.as_bytes());
    assert!(decode.message.contains("yesterday"), "{}", decode.message);
    assert!(err.to_string().contains("at `value[3].createdDateTime`"), "{err}");

    // The same through the pages stream.
    let err = client.items(&ListEvents).try_collect::<Vec<Event>>().await.unwrap_err();
    assert_eq!(err.as_decode().unwrap().path, "value[3].createdDateTime");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/me"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(401).set_body_json(graph_error(
            "InvalidAuthenticationToken",
            "Access token validation failure.",
            "r1",
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": 1}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [], "@odata.nextLink": "https://elsewhere.example/v1.0/users"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    // A port nothing listens on, for a transport failure.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let unreachable = Client::builder(StaticToken::new(TOKEN))
        .base_url(format!("http://127.0.0.1:{closed_port}/v1.0"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let failing =
        Client::new(|| async { Err::<AccessToken, BoxError>("the identity platform is unreachable".into()) }).unwrap();

    let errors: Vec<Error> = vec![
        client.send(&GetUser("me")).await.unwrap_err(),
        client.send(&ListEvents).await.unwrap_err(),
        client.pages(&ListUsers(QueryOptions::default())).try_collect::<Vec<_>>().await.unwrap_err(),
        unreachable.send(&GetUser("me")).await.unwrap_err(),
        failing.send(&GetUser("me")).await.unwrap_err(),
        Client::builder(StaticToken::new(TOKEN)).base_url("not a url").build().unwrap_err(),
        Client::new(StaticToken::new("line\nbreak")).unwrap().send(&GetUser("me")).await.unwrap_err(),
    ];
    assert!(matches!(errors[0], Error::Http(_)));
    assert!(matches!(errors[1], Error::Decode(_)));
    assert!(matches!(errors[2], Error::ForeignLink { .. }));
    assert!(matches!(&errors[3], Error::Transport(t) if t.is_connect()), "{:?}", errors[3]);
    assert!(matches!(errors[4], Error::Auth(_)));
    assert!(matches!(errors[5], Error::Config(_)));
    assert!(matches!(errors[6], Error::Auth(_)));

    let mut shown = vec![
        format!("{client:?}"),
        format!("{unreachable:?}"),
        format!("{:?}", StaticToken::new(TOKEN)),
        format!("{:?}", AccessToken::new(TOKEN)),
        format!("{:?}", Client::builder(StaticToken::new(TOKEN))),
        format!("{:?}", client.pages(&ListUsers(QueryOptions::default()))),
    ];
    for err in &errors {
        shown.push(format!("{err}"));
        shown.push(format!("{err:?}"));
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            shown.push(format!("{s} {s:?}"));
            source = s.source();
        }
    }
    for text in &shown {
        assert!(!text.contains(TOKEN), "the token shows in {text}");
    }
    assert!(shown[3].contains("redacted"));
    // It was sent all the same.
    assert_eq!(AccessToken::new(TOKEN).secret(), TOKEN);
    assert_eq!(requests_to(&server, "/v1.0/users/me").await[0].headers.get("authorization").unwrap(), BEARER);
}

#[tokio::test]
async fn prefer_include_unknown_enum_members_is_sent_when_enabled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u1"})))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/v1.0/$batch")).respond_with(Echo).mount(&server).await;
    let plain = client(&server);
    let preferring = Client::builder(StaticToken::new(TOKEN))
        .base_url(format!("{}/v1.0/", server.uri()))
        .include_unknown_enum_members(true)
        .build()
        .unwrap();

    plain.send(&GetUser("u1")).await.unwrap();
    preferring.send(&GetUser("u1")).await.unwrap();
    let sent = requests_to(&server, "/v1.0/users/u1").await;
    assert_eq!(sent[0].headers.get("prefer"), None);
    assert_eq!(sent[1].headers.get("prefer").unwrap(), "include-unknown-enum-members");

    // In a batch, each request carries it.
    let mut batch = Batch::new();
    batch.add(&GetUser("u1")).unwrap();
    preferring.send_batch(batch).await.unwrap();
    let sent = requests_to(&server, "/v1.0/$batch").await;
    let body: Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["requests"][0]["headers"]["Prefer"], "include-unknown-enum-members");
}

#[tokio::test]
async fn a_bytes_response_is_returned_as_is_without_json_parsing() {
    let server = MockServer::start().await;
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, b'{', 0xfe];
    Mock::given(method("GET"))
        .and(path("/v1.0/me/photo/$value"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .mount(&server)
        .await;
    let client = client(&server);
    let bytes = client.send_bytes(&GetPhoto).await.unwrap();
    assert_eq!(&bytes[..], &png[..]);
    let sent = requests_to(&server, "/v1.0/me/photo/$value").await;
    assert_eq!(sent[0].headers.get("accept").unwrap(), "*/*");
    // Read as JSON, the same body would not have been accepted.
    assert!(client.send(&GetPhoto).await.unwrap_err().as_decode().is_some());
}

/// A struct shaped as generated ones are: its properties through the runtime's `Object`
/// plumbing, one `Field` constant per property.
#[derive(Clone, Debug, Default)]
struct UserPatch {
    department: Option<String>,
    job_title: Option<String>,
    additional_properties: graph_runtime::AdditionalProperties,
}

impl UserPatch {
    const JOB_TITLE: graph_runtime::Field<Self> = graph_runtime::Field::new("jobTitle");
}

impl graph_runtime::__private::Object for UserPatch {
    const EXPECTING: &'static str = "a `microsoft.graph.user` object";
    fn read_property<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: graph_runtime::__private::Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let reader = graph_runtime::__private::Reader::new(map, &mut self.additional_properties);
        match &*key {
            "department" => reader.field(key, &mut self.department),
            "jobTitle" => reader.field(key, &mut self.job_title),
            _ => reader.extra(key),
        }
    }
    fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let mut writer = graph_runtime::__private::Writer::new(map, &self.additional_properties);
        writer.field("department", &self.department)?;
        writer.field("jobTitle", &self.job_title)?;
        writer.finish()
    }
    fn additional_properties_mut(&mut self) -> &mut graph_runtime::AdditionalProperties {
        &mut self.additional_properties
    }
}
graph_runtime::__private::object_serde!(UserPatch);

struct UpdateUser(&'static str, UserPatch);
impl Endpoint for UpdateUser {
    type Body = UserPatch;
    type Response = NoContent;
    const METHOD: Method = Method::Patch;
    fn template(&self) -> &'static str {
        "/users/{id}"
    }
    fn path(&self) -> String {
        format!("/users/{}", self.0)
    }
    fn body(&self) -> Option<&UserPatch> {
        Some(&self.1)
    }
}

#[tokio::test]
async fn a_patch_sends_an_explicit_null_and_leaves_unset_properties_out() {
    use graph_runtime::Nulls;
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/adele"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let body = UserPatch { department: Some("Sales".into()), ..UserPatch::default() }.with_null(UserPatch::JOB_TITLE);
    client(&server).send(&UpdateUser("adele", body)).await.unwrap();
    let sent = requests_to(&server, "/v1.0/users/adele").await;
    assert_eq!(sent.len(), 1);
    let wire: Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(wire, json!({"department": "Sales", "jobTitle": null}));
}
