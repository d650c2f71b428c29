//! The client's one error type, and Graph's error body.

use ::std::borrow::Cow;
use ::std::fmt;
use ::std::string::String;
use ::std::sync::Arc;
use ::std::time::Duration;

use ::bytes::Bytes;
use ::serde_json::Value;

use super::auth::BoxError;
use crate::AdditionalProperties;

/// Everything a call through the [`Client`](super::Client) can fail with.
///
/// No variant carries the access token, in its `Debug` or its `Display` form.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with something unusable (a base URL that does not parse).
    Config(String),
    /// The [`TokenProvider`](super::TokenProvider) failed, or gave a token that cannot be sent.
    Auth(BoxError),
    /// The request body could not be serialized.
    Encode(::serde_json::Error),
    /// No HTTP response: the connection failed, timed out or broke off.
    Transport(TransportError),
    /// Graph answered with an error status (after any retries).
    Http(::std::boxed::Box<HttpError>),
    /// A successful response whose body is not what the operation's response type reads.
    Decode(::std::boxed::Box<DecodeError>),
    /// A `@odata.nextLink` or `@odata.deltaLink` (or a link handed to the client) that points
    /// away from the client's own scheme, host and port: it is not followed, so the token is
    /// never sent elsewhere.
    ForeignLink {
        /// The link's scheme, host and port.
        origin: String,
    },
    /// A response that does not have the shape the protocol promises (a `$batch` answer without
    /// `responses`, a delta round that ends without a `@odata.deltaLink`).
    Protocol(String),
    /// A JSON batch that cannot be built or whose part is not available.
    Batch(BatchError),
}

impl Error {
    /// The HTTP error, when Graph answered with an error status.
    pub fn as_http(&self) -> Option<&HttpError> {
        match self {
            Error::Http(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when Graph answered with an error status.
    pub fn status(&self) -> Option<u16> {
        self.as_http().map(|e| e.status)
    }

    /// The decode error, when a successful response could not be read.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Auth(source) => write!(f, "no access token: {source}"),
            Error::Encode(source) => write!(f, "could not serialize the request body: {source}"),
            Error::Transport(e) => e.fmt(f),
            Error::Http(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::ForeignLink { origin } => {
                write!(f, "not following a link to {origin}, which is not the client's own host")
            }
            Error::Protocol(message) => write!(f, "unexpected response: {message}"),
            Error::Batch(e) => e.fmt(f),
        }
    }
}

impl ::std::error::Error for Error {
    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            Error::Auth(source) => Some(&**source),
            Error::Encode(source) => Some(source),
            Error::Transport(e) => Some(&e.0),
            Error::Batch(BatchError::Failed(e)) => Some(&**e),
            _ => None,
        }
    }
}

/// A request that got no HTTP response.
#[derive(Debug)]
pub struct TransportError(pub(crate) ::reqwest::Error);

impl TransportError {
    /// The request timed out (a timeout of the `reqwest::Client` the client was built with).
    pub fn is_timeout(&self) -> bool {
        self.0.is_timeout()
    }

    /// No connection could be made.
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport failure: {}", self.0)
    }
}

/// An error status from Graph, with Graph's error body when it has one.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HttpError {
    pub status: u16,
    /// The parsed `{"error": {...}}` body; `None` when the body has another shape (a gateway's
    /// HTML page, say), which is then only in [`HttpError::body`].
    pub graph: Option<GraphError>,
    /// The response body as received.
    pub body: Bytes,
    /// The `request-id` response header (Graph's id of the request, for support cases).
    pub request_id_header: Option<String>,
    /// How long the response asked to wait before trying again (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// How many times the request was sent (more than one when it was retried).
    pub attempts: u32,
}

impl HttpError {
    pub(crate) fn new(
        status: u16,
        body: Bytes,
        request_id_header: Option<String>,
        retry_after: Option<Duration>,
        attempts: u32,
    ) -> Self {
        let graph = GraphError::from_body(&body);
        HttpError { status, graph, body, request_id_header, retry_after, attempts }
    }

    /// Graph's error code (`Request_ResourceNotFound`, `InvalidAuthenticationToken`, ...).
    pub fn code(&self) -> Option<&str> {
        self.graph.as_ref().map(|g| g.code.as_str())
    }

    /// Graph's error message.
    pub fn message(&self) -> Option<&str> {
        self.graph.as_ref().map(|g| g.message.as_str())
    }

    /// The request id: from the error body's `innerError`, else from the `request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.graph
            .as_ref()
            .and_then(|g| g.inner_error.as_ref())
            .and_then(|i| i.request_id.as_deref())
            .or(self.request_id_header.as_deref())
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(reason) = ::reqwest::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()) {
            write!(f, " {reason}")?;
        }
        match &self.graph {
            Some(g) => write!(f, ": {}: {}", g.code, g.message)?,
            None if self.body.is_empty() => {}
            None => write!(f, " (a body of {} bytes that is not a Graph error)", self.body.len())?,
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request-id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl ::std::error::Error for HttpError {}

/// Graph's error body: `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct GraphError {
    pub code: String,
    pub message: String,
    pub inner_error: Option<InnerError>,
    /// `error.details`, when there are any.
    pub details: Vec<Value>,
    /// The other members of `error`.
    pub additional_properties: AdditionalProperties,
}

/// `error.innerError`: where Graph puts the ids of the request.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct InnerError {
    pub code: Option<String>,
    /// `request-id`: Graph's id of the request.
    pub request_id: Option<String>,
    /// `client-request-id`: the id the client sent, or Graph made up.
    pub client_request_id: Option<String>,
    /// `date`, as Graph wrote it (it is not always a valid `DateTimeOffset`).
    pub date: Option<String>,
    /// The other members.
    pub additional_properties: AdditionalProperties,
}

impl GraphError {
    /// Reads Graph's error shape from a body; `None` when the body is not JSON of that shape
    /// (an object `error` with a string `code`).
    pub fn from_body(body: &[u8]) -> Option<GraphError> {
        let value: Value = ::serde_json::from_slice(body).ok()?;
        GraphError::from_value(&value)
    }

    /// Reads Graph's error shape from a parsed body.
    pub fn from_value(body: &Value) -> Option<GraphError> {
        let error = body.get("error")?.as_object()?;
        let code = error.get("code")?.as_str()?.into();
        let mut out = GraphError {
            code,
            message: String::new(),
            inner_error: None,
            details: Vec::new(),
            additional_properties: AdditionalProperties::new(),
        };
        for (key, value) in error {
            match (key.as_str(), value) {
                ("code", _) => {}
                ("message", Value::String(m)) => out.message = m.clone(),
                ("innerError" | "innererror", Value::Object(inner)) => {
                    let mut parsed = InnerError::default();
                    for (key, value) in inner {
                        let text = value.as_str().map(String::from);
                        match key.as_str() {
                            "code" if text.is_some() => parsed.code = text,
                            "request-id" if text.is_some() => parsed.request_id = text,
                            "client-request-id" if text.is_some() => parsed.client_request_id = text,
                            "date" if text.is_some() => parsed.date = text,
                            _ => {
                                parsed.additional_properties.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    out.inner_error = Some(parsed);
                }
                ("details", Value::Array(details)) => out.details = details.clone(),
                _ => {
                    out.additional_properties.insert(key.clone(), value.clone());
                }
            }
        }
        Some(out)
    }
}

/// A successful response that the operation's response type could not read.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The JSON path of the value that failed (`value[3].createdDateTime`; `.` for the whole
    /// body).
    pub path: String,
    /// What was wrong with it.
    pub message: String,
    pub status: u16,
    /// The response body as received.
    pub body: Bytes,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not read the response (HTTP {}) at `{}`: {}", self.status, self.path, self.message)
    }
}

impl ::std::error::Error for DecodeError {}

/// Why a JSON batch could not be built, or one of its parts has no response.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum BatchError {
    /// Requests chained by `dependsOn` must travel in one `$batch` request, which holds at
    /// most [`Batch::MAX_REQUESTS`](super::Batch::MAX_REQUESTS).
    ChainTooLong { requests: usize },
    /// A handle of another batch.
    ForeignHandle { id: String },
    /// Graph's answer has no response with this id.
    Missing { id: String },
    /// The `$batch` request that carried this part failed as a whole.
    Failed(Arc<Error>),
    /// This part was not sent, because an earlier `$batch` request of the batch failed.
    NotSent { id: String },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::ChainTooLong { requests } => write!(
                f,
                "{requests} requests depend on each other, more than the {} one $batch request holds",
                super::Batch::MAX_REQUESTS
            ),
            BatchError::ForeignHandle { id } => write!(f, "batch request {id:?} belongs to another batch"),
            BatchError::Missing { id } => write!(f, "the $batch response has no response with id {id:?}"),
            BatchError::Failed(e) => write!(f, "the $batch request failed: {e}"),
            BatchError::NotSent { id } => {
                write!(f, "batch request {id:?} was not sent, because an earlier $batch request failed")
            }
        }
    }
}
