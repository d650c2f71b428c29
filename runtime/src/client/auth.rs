//! Bearer tokens: what the client asks for before every request, and how it keeps them out of
//! sight.

use ::std::fmt;
use ::std::future::Future;
use ::std::pin::Pin;
use ::std::string::String;

/// Any error, as token providers report them.
pub type BoxError = ::std::boxed::Box<dyn ::std::error::Error + Send + Sync + 'static>;

/// An OAuth 2.0 access token for Graph.
///
/// Its `Debug` output never shows the token, and no error of this crate carries it; the one way
/// to read it is [`AccessToken::secret`]. (A hand-written wrapper rather than a secrets crate:
/// keeping the text out of `Debug` is all that is needed, and zeroizing on drop would not hold
/// anyway, since the HTTP stack keeps its own copy in the `Authorization` header.)
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token as the identity platform returned it (without `Bearer `).
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        AccessToken(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        AccessToken(token.into())
    }
}

/// Where the client gets its bearer token: asked before every request (retries included), so
/// that an implementation can cache a token and refresh it when it nears expiry.
///
/// Implement it with an `async fn`:
///
/// ```
/// use graph_runtime::client::{AccessToken, BoxError, TokenProvider};
///
/// struct FromEnvironment;
///
/// impl TokenProvider for FromEnvironment {
///     async fn token(&self) -> Result<AccessToken, BoxError> {
///         Ok(AccessToken::new(std::env::var("GRAPH_TOKEN")?))
///     }
/// }
/// ```
///
/// A closure returning a future is a provider too: `|| async { Ok(AccessToken::new(...)) }`.
pub trait TokenProvider: Send + Sync + 'static {
    /// A token valid for the next request. An error stops the request with
    /// [`Error::Auth`](super::Error::Auth).
    fn token(&self) -> impl Future<Output = Result<AccessToken, BoxError>> + Send;
}

/// A token that never changes: for scripts, tests and tokens obtained elsewhere.
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    pub fn new(token: impl Into<AccessToken>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticToken").field(&self.0).finish()
    }
}

impl TokenProvider for StaticToken {
    async fn token(&self) -> Result<AccessToken, BoxError> {
        Ok(self.0.clone())
    }
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, BoxError>> + Send,
{
    fn token(&self) -> impl Future<Output = Result<AccessToken, BoxError>> + Send {
        self()
    }
}

pub(crate) type TokenFuture<'a> =
    Pin<::std::boxed::Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + 'a>>;

/// [`TokenProvider`] made object-safe, so that the client holds any provider without a type
/// parameter.
pub(crate) trait DynTokenProvider: Send + Sync {
    fn boxed_token(&self) -> TokenFuture<'_>;
}

impl<T: TokenProvider> DynTokenProvider for T {
    fn boxed_token(&self) -> TokenFuture<'_> {
        ::std::boxed::Box::pin(self.token())
    }
}
