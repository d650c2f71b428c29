//! An async Graph client (cargo feature `client`, off by default): sends any [`Endpoint`] and
//! reads its typed response, on `reqwest` with rustls (no OpenSSL).
//!
//! - [`Client::send`] sends one operation; [`Client::send_bytes`] one whose response is not
//!   JSON (file content, photos), returned as bytes.
//! - [`Client::pages`] and [`Client::items`] follow `@odata.nextLink` as streams (with a page
//!   limit; dropping the stream stops it); [`Client::delta`] runs a delta round to its
//!   `@odata.deltaLink`, and [`Client::delta_from`] starts the next round from it.
//! - [`Client::send_batch`] sends a typed [`Batch`] as JSON batches (`POST /$batch`, 20
//!   requests each, `dependsOn` kept).
//! - Every request asks the [`TokenProvider`] for a bearer token, and is retried on throttling
//!   and transient failures as its [`RetryPolicy`] says.
//! - Errors are one [`Error`] type: transport failures, HTTP errors with Graph's error body
//!   parsed ([`GraphError`]), and decode failures that name the JSON path of the value that
//!   failed ([`DecodeError`]).
//!
//! Without the feature the crate is the sans-IO core alone: [`Endpoint::request`] and
//! [`Endpoint::parse_response`] work with any HTTP client.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use graph_runtime::client::{Batch, Client, StaticToken};
//! use graph_runtime::{Endpoint, Method, NoContent, Page, QueryOptions};
//! use serde_json::Value;
//!
//! // Generated crates have an endpoint type per operation; this one is written by hand.
//! struct ListUsers(QueryOptions);
//! impl Endpoint for ListUsers {
//!     type Body = NoContent;
//!     type Response = Page<Value>;
//!     const METHOD: Method = Method::Get;
//!     fn template(&self) -> &'static str { "/users" }
//!     fn path(&self) -> String { "/users".into() }
//!     fn query(&self) -> Option<&QueryOptions> { Some(&self.0) }
//! }
//! # struct GetUser(&'static str);
//! # impl Endpoint for GetUser {
//! #     type Body = NoContent;
//! #     type Response = Value;
//! #     const METHOD: Method = Method::Get;
//! #     fn template(&self) -> &'static str { "/users/{id}" }
//! #     fn path(&self) -> String { format!("/users/{}", self.0) }
//! # }
//!
//! # async fn run() -> Result<(), graph_runtime::client::Error> {
//! let client = Client::builder(StaticToken::new("eyJ0eX..."))
//!     .base_url(graph_runtime::client::BETA)
//!     .include_unknown_enum_members(true)
//!     .build()?;
//!
//! // Every user, page after page (at most 50 pages).
//! let query = QueryOptions { select: vec!["id".into(), "displayName".into()], top: Some(100), ..Default::default() };
//! let users: Vec<Value> = client.pages(&ListUsers(query)).max_pages(50).items().try_collect().await?;
//!
//! // Two reads in one round trip, each read back as its operation's response type.
//! let mut batch = Batch::new();
//! let a = batch.add(&GetUser("alice@contoso.com"))?;
//! let b = batch.add(&GetUser("bob@contoso.com"))?;
//! let responses = client.send_batch(batch).await?;
//! let alice: Value = responses.get(&a)?;
//! match responses.get(&b) {
//!     Ok(bob) => println!("{bob}"),
//!     Err(e) if e.status() == Some(404) => println!("no bob"),
//!     Err(e) => return Err(e),
//! }
//! # let _ = (users, alice);
//! # Ok(())
//! # }
//! ```

mod auth;
mod batch;
mod error;
mod paging;
mod retry;

use ::std::fmt;
use ::std::string::String;
use ::std::sync::Arc;
use ::std::time::{Duration, SystemTime};

use ::bytes::Bytes;
use ::reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use ::reqwest::Url;
use ::serde::de::DeserializeOwned;

pub use self::auth::{AccessToken, BoxError, StaticToken, TokenProvider};
pub use self::batch::{Batch, BatchHandle, BatchId, BatchItemResponse, BatchResponses};
pub use self::error::{BatchError, DecodeError, Error, GraphError, HttpError, InnerError, TransportError};
pub use self::paging::{Delta, Items, Pages};
pub use self::retry::RetryPolicy;
/// The HTTP client underneath, for [`ClientBuilder::http_client`] (proxies, timeouts).
pub use ::reqwest;

use self::auth::DynTokenProvider;
use self::retry::{parse_retry_after, Outcome};
use crate::{Endpoint, Method, Page};

/// The service root of Graph v1.0 (the default).
pub const V1_0: &str = "https://graph.microsoft.com/v1.0";
/// The service root of Graph beta.
pub const BETA: &str = "https://graph.microsoft.com/beta";

/// The Graph hosts of the national clouds: the base URL is the host, `/`, and the version
/// (`v1.0` or `beta`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// `https://graph.microsoft.com`
    Global,
    /// US Government L4: `https://graph.microsoft.us`
    UsGov,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`
    UsGovDod,
    /// Microsoft Graph China operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`
    China,
}

impl Cloud {
    /// The host, with its scheme.
    pub fn host(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The base URL of `version` (`"v1.0"`, `"beta"`) in this cloud.
    pub fn base_url(self, version: &str) -> String {
        format!("{}/{}", self.host(), version.trim_matches('/'))
    }
}

/// A Graph client: cheap to clone (clones share the connection pool and the token provider).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: ::reqwest::Client,
    /// The base URL without a trailing `/`.
    base: String,
    /// The base URL parsed, for comparing links' origins with it.
    base_url: Url,
    auth: ::std::boxed::Box<dyn DynTokenProvider>,
    retry: RetryPolicy,
    include_unknown_enum_members: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("retry", &self.inner.retry)
            .field("include_unknown_enum_members", &self.inner.include_unknown_enum_members)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    auth: ::std::boxed::Box<dyn DynTokenProvider>,
    base: String,
    http: Option<::reqwest::Client>,
    retry: RetryPolicy,
    include_unknown_enum_members: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .field("retry", &self.retry)
            .field("include_unknown_enum_members", &self.include_unknown_enum_members)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The service root requests go to: [`V1_0`] (the default), [`BETA`], a national cloud
    /// ([`Cloud::base_url`]), or a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = url.into();
        self
    }

    /// How throttled and failed requests are retried ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends `Prefer: include-unknown-enum-members` with every request, so that Graph returns
    /// the members of evolvable enums that it otherwise hides behind `unknownFutureValue`
    /// (generated enums keep members they do not list in their `Unrecognized` variant).
    pub fn include_unknown_enum_members(mut self, include: bool) -> Self {
        self.include_unknown_enum_members = include;
        self
    }

    /// The `reqwest::Client` to send with, for proxies, timeouts or a user agent of your own
    /// (otherwise one is built with rustls, the crate's user agent, a 30 s connect timeout and
    /// no overall timeout, since some Graph operations answer slowly or stream large bodies).
    pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base = self.base.trim_end_matches('/').to_owned();
        let base_url = Url::parse(&base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(Error::Config(format!("base URL {base:?}: not an http or https URL")));
        }
        let http = match self.http {
            Some(http) => http,
            None => ::reqwest::Client::builder()
                .user_agent(concat!("graph-runtime/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                base_url,
                auth: self.auth,
                retry: self.retry,
                include_unknown_enum_members: self.include_unknown_enum_members,
            }),
        })
    }
}

/// A request ready to send (and to send again).
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    method: Method,
    url: Url,
    body: Option<Bytes>,
}

/// A successful response.
pub(crate) struct Response {
    status: u16,
    body: Bytes,
}

/// What a request accepts in return.
#[derive(Clone, Copy)]
enum Accept {
    Json,
    Any,
}

impl Client {
    /// A client for Graph v1.0 with the default retry policy.
    pub fn new(auth: impl TokenProvider) -> Result<Client, Error> {
        Client::builder(auth).build()
    }

    /// A builder, for another base URL, retry policy or HTTP client.
    pub fn builder(auth: impl TokenProvider) -> ClientBuilder {
        ClientBuilder {
            auth: ::std::boxed::Box::new(auth),
            base: V1_0.into(),
            http: None,
            retry: RetryPolicy::default(),
            include_unknown_enum_members: false,
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends `op` and reads its typed response (through [`Endpoint::parse_response`]: an empty
    /// body reads as JSON `null`, so operations answering `204 No Content` have
    /// [`NoContent`](crate::NoContent) as their response).
    pub async fn send<E: Endpoint>(&self, op: &E) -> Result<E::Response, Error> {
        let prepared = self.prepare(op)?;
        let response = self.execute(&prepared, Accept::Json).await?;
        decode(response, E::parse_response)
    }

    /// Sends `op` and returns the response body as it came, without reading it as JSON: for
    /// operations whose response is binary (`/content`, `/$value`, photos). Redirects to a
    /// download URL are followed, without the `Authorization` header when they leave the host.
    pub async fn send_bytes<E: Endpoint>(&self, op: &E) -> Result<Bytes, Error> {
        let prepared = self.prepare(op)?;
        Ok(self.execute(&prepared, Accept::Any).await?.body)
    }

    /// The pages of a collection, following `@odata.nextLink`: a stream that sends the next
    /// request only when the next page is asked for, and stops when it is dropped.
    pub fn pages<E, T>(&self, op: &E) -> Pages<T>
    where
        E: Endpoint<Response = Page<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        Pages::new(self.clone(), self.prepare(op))
    }

    /// The items of a collection, page after page (see [`Client::pages`]).
    pub fn items<E, T>(&self, op: &E) -> Items<T>
    where
        E: Endpoint<Response = Page<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        self.pages(op).items()
    }

    /// The pages from a `@odata.nextLink` or `@odata.deltaLink` kept from an earlier run
    /// ([`Pages::next_link`], [`Delta::delta_link`]). The link must point to the client's own
    /// host.
    pub fn pages_from<T>(&self, link: &str) -> Pages<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        Pages::new(self.clone(), self.prepare_link(link))
    }

    /// A delta round: every page of the delta query `op`, and the `@odata.deltaLink` that the
    /// next round starts from ([`Client::delta_from`]).
    pub async fn delta<E, T>(&self, op: &E) -> Result<Delta<T>, Error>
    where
        E: Endpoint<Response = Page<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        self.pages(op).into_delta().await
    }

    /// The next delta round, from the `@odata.deltaLink` of the last one: the changes since.
    pub async fn delta_from<T>(&self, delta_link: &str) -> Result<Delta<T>, Error>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages_from(delta_link).into_delta().await
    }

    /// Sends the requests of `batch` as JSON batches (`POST /$batch`), [`Batch::MAX_REQUESTS`]
    /// to a `$batch` request, and returns every response by its handle.
    ///
    /// An error here means that nothing came back (the first `$batch` request failed). When a
    /// later one fails, the responses already read are kept, and the parts it carried (or
    /// would have) report [`BatchError::Failed`] or [`BatchError::NotSent`].
    pub async fn send_batch(&self, batch: Batch) -> Result<BatchResponses, Error> {
        batch::send(self, batch).await
    }

    pub(crate) fn prepare<E: Endpoint>(&self, op: &E) -> Result<Prepared, Error> {
        let request = op.request();
        let mut url = self.inner.base.clone();
        if !request.path_and_query.starts_with('/') {
            url.push('/');
        }
        url.push_str(&request.path_and_query);
        let url = Url::parse(&url).map_err(|e| Error::Config(format!("request URL {url:?}: {e}")))?;
        let body = match request.body {
            Some(body) => Some(Bytes::from(::serde_json::to_vec(body).map_err(Error::Encode)?)),
            None => None,
        };
        Ok(Prepared { method: request.method, url, body })
    }

    /// A `GET` of a link Graph handed out, if it points to the client's own host.
    pub(crate) fn prepare_link(&self, link: &str) -> Result<Prepared, Error> {
        let url = Url::parse(link).map_err(|e| Error::Protocol(format!("a link that is not a URL ({e})")))?;
        if url.origin() != self.inner.base_url.origin() {
            return Err(Error::ForeignLink { origin: url.origin().ascii_serialization() });
        }
        Ok(Prepared { method: Method::Get, url, body: None })
    }

    pub(crate) fn join(&self, path: &str) -> Result<Url, Error> {
        let url = format!("{}{path}", self.inner.base);
        Url::parse(&url).map_err(|e| Error::Config(format!("request URL {url:?}: {e}")))
    }

    pub(crate) fn includes_unknown_enum_members(&self) -> bool {
        self.inner.include_unknown_enum_members
    }

    /// Sends `request` until it succeeds or the retry policy gives up.
    async fn execute(&self, request: &Prepared, accept: Accept) -> Result<Response, Error> {
        let policy = &self.inner.retry;
        let mut attempts = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let outcome = match self.attempt(request, accept).await? {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let (retry_outcome, error) = match outcome {
                Failure::Status { status, headers, body } => {
                    let retry_after = headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    let request_id = headers.get("request-id").and_then(|v| v.to_str().ok()).map(String::from);
                    let error = HttpError::new(status, body, request_id, retry_after, attempts);
                    (Outcome::Status { status, retry_after }, Error::Http(::std::boxed::Box::new(error)))
                }
                Failure::Transport(e) => {
                    (Outcome::Transport { connect: e.is_connect() }, Error::Transport(TransportError(e)))
                }
            };
            match policy.delay(request.method, retry_outcome, attempts, waited) {
                Some(delay) => {
                    ::tokio::time::sleep(delay).await;
                    waited += delay;
                }
                None => return Err(error),
            }
        }
    }

    /// One send: `Err` for what cannot be retried (no token), `Ok(Err)` for what may be.
    async fn attempt(&self, request: &Prepared, accept: Accept) -> Result<Result<Response, Failure>, Error> {
        let token = self.inner.auth.boxed_token().await.map_err(Error::Auth)?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.secret()))
            .map_err(|_| Error::Auth("the access token has characters a header cannot carry".into()))?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(
            ACCEPT,
            HeaderValue::from_static(match accept {
                Accept::Json => "application/json",
                Accept::Any => "*/*",
            }),
        );
        if self.inner.include_unknown_enum_members {
            headers.insert("prefer", HeaderValue::from_static("include-unknown-enum-members"));
        }
        let mut builder = self.inner.http.request(reqwest_method(request.method), request.url.clone());
        if let Some(body) = &request.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            builder = builder.body(body.clone());
        }
        let response = match builder.headers(headers).send().await {
            Ok(response) => response,
            Err(e) => return Ok(Err(Failure::Transport(e))),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return Ok(Err(Failure::Transport(e))),
        };
        if (200..300).contains(&status) {
            Ok(Ok(Response { status, body }))
        } else {
            Ok(Err(Failure::Status { status, headers, body }))
        }
    }
}

enum Failure {
    Status { status: u16, headers: HeaderMap, body: Bytes },
    Transport(::reqwest::Error),
}

fn reqwest_method(method: Method) -> ::reqwest::Method {
    match method {
        Method::Get => ::reqwest::Method::GET,
        Method::Post => ::reqwest::Method::POST,
        Method::Patch => ::reqwest::Method::PATCH,
        Method::Put => ::reqwest::Method::PUT,
        Method::Delete => ::reqwest::Method::DELETE,
    }
}

/// Reads a successful response with `parse`; on failure reads it again, tracking the JSON
/// path, to say which value failed.
fn decode<T: DeserializeOwned>(
    response: Response,
    parse: fn(&[u8]) -> Result<T, ::serde_json::Error>,
) -> Result<T, Error> {
    parse(&response.body).map_err(|error| {
        let (path, message) = locate::<T>(&response.body, error);
        Error::Decode(::std::boxed::Box::new(DecodeError {
            path,
            message,
            status: response.status,
            body: response.body,
        }))
    })
}

/// The JSON path and message of the failure `error` of reading `body` as `T`.
fn locate<T: DeserializeOwned>(body: &[u8], error: ::serde_json::Error) -> (String, String) {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    let mut deserializer = ::serde_json::Deserializer::from_slice(text);
    match ::serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => (e.path().to_string(), e.into_inner().to_string()),
        // Read without error this time (the failure came after the value): the whole body.
        Ok(_) => (".".into(), error.to_string()),
    }
}

/// Reads a JSON body as `T`, the way [`Endpoint::parse_response`] does.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ::serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        ::serde_json::from_slice(b"null")
    } else {
        ::serde_json::from_slice(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NoContent, QueryOptions};

    struct List(QueryOptions);
    impl Endpoint for List {
        type Body = NoContent;
        type Response = Page<::serde_json::Value>;
        const METHOD: Method = Method::Get;
        fn template(&self) -> &'static str {
            "/groups"
        }
        fn path(&self) -> String {
            "/groups".into()
        }
        fn query(&self) -> Option<&QueryOptions> {
            Some(&self.0)
        }
    }

    fn client(base: &str) -> Client {
        Client::builder(StaticToken::new("t")).base_url(base).build().unwrap()
    }

    #[test]
    fn requests_go_below_the_base_url_and_links_only_to_its_origin() {
        assert_eq!(Cloud::China.base_url("/beta/"), "https://microsoftgraph.chinacloudapi.cn/beta");
        assert_eq!(Cloud::Global.base_url("v1.0"), V1_0);
        let c = client("https://graph.microsoft.us/v1.0/");
        assert_eq!(c.base_url(), "https://graph.microsoft.us/v1.0");
        let q = QueryOptions { filter: Some("startswith(displayName,'a b')".into()), ..QueryOptions::default() };
        let prepared = c.prepare(&List(q)).unwrap();
        // The URL parser of the HTTP stack encodes `'` in queries (WHATWG URL), which Graph
        // decodes like any other percent-encoding.
        assert_eq!(
            prepared.url.as_str(),
            "https://graph.microsoft.us/v1.0/groups?$filter=startswith(displayName,%27a%20b%27)"
        );
        assert!(prepared.body.is_none());
        assert!(c.prepare_link("https://graph.microsoft.us/beta/groups?$skiptoken=x").is_ok());
        for foreign in [
            "http://graph.microsoft.us/v1.0/groups",
            "https://graph.microsoft.us:8443/v1.0/groups",
            "https://graph.microsoft.com/v1.0/groups",
            "https://graph.microsoft.us.example.net/v1.0/groups",
        ] {
            assert!(matches!(c.prepare_link(foreign), Err(Error::ForeignLink { .. })), "{foreign}");
        }
        assert!(matches!(c.prepare_link("/v1.0/groups"), Err(Error::Protocol(_))));
        for bad in ["graph.microsoft.com/v1.0", "ftp://graph.microsoft.com/v1.0", ""] {
            assert!(
                matches!(Client::builder(StaticToken::new("t")).base_url(bad).build(), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
