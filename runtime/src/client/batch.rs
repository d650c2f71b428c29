//! JSON batching: typed requests out, typed responses back by handle.

use ::std::collections::{BTreeMap, HashMap};
use ::std::fmt;
use ::std::marker::PhantomData;
use ::std::string::String;
use ::std::sync::atomic::{AtomicU64, Ordering};
use ::std::sync::Arc;
use ::std::time::SystemTime;

use ::bytes::Bytes;
use ::serde::de::DeserializeOwned;
use ::serde_json::{json, Map, Value};

use super::{
    parse_json, parse_retry_after, Accept, BatchError, Client, DecodeError, Error, HttpError, Prepared, Response,
};
use crate::{Endpoint, Method};

/// Tells batches apart, so that a handle is only ever read back from its own batch.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

/// Requests to send together as JSON batches ([`Client::send_batch`]).
///
/// Each [`add`](Batch::add) returns a [`BatchHandle`] that carries the operation's response
/// type, and reads that response back from the [`BatchResponses`]. A request can wait for
/// others ([`add_after`](Batch::add_after), `dependsOn`): Graph runs it once they have
/// succeeded, and answers `424 Failed Dependency` when one has not.
///
/// A batch of any size is sent [`MAX_REQUESTS`](Batch::MAX_REQUESTS) requests to a `$batch`
/// request; requests chained by `dependsOn` always travel together, so a chain can hold at
/// most that many (adding beyond is [`BatchError::ChainTooLong`]).
pub struct Batch {
    id: u64,
    entries: Vec<Entry>,
    /// The size of each chain, by the chain's label.
    chains: HashMap<usize, usize>,
}

struct Entry {
    id: String,
    method: Method,
    url: String,
    body: Option<Value>,
    depends_on: Vec<String>,
    /// The label of its chain (requests linked by `dependsOn`, either way).
    chain: usize,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let requests: Vec<String> =
            self.entries.iter().map(|e| format!("{} {} {}", e.id, e.method.as_str(), e.url)).collect();
        f.debug_struct("Batch").field("requests", &requests).finish()
    }
}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

/// The id of one request in a batch, whatever its response type: what
/// [`Batch::add_after_all`] takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BatchId {
    batch: u64,
    id: String,
}

impl BatchId {
    /// The `id` the request has in the `$batch` body.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

/// A request in a [`Batch`], typed with its operation's response: [`BatchResponses::get`] reads
/// the response as an `R`.
pub struct BatchHandle<R> {
    id: BatchId,
    response: PhantomData<fn() -> R>,
}

impl<R> BatchHandle<R> {
    pub fn id(&self) -> &BatchId {
        &self.id
    }
}

impl<R> Clone for BatchHandle<R> {
    fn clone(&self) -> Self {
        BatchHandle { id: self.id.clone(), response: PhantomData }
    }
}

impl<R> fmt::Debug for BatchHandle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BatchHandle").field(&self.id.id).finish()
    }
}

impl Batch {
    /// The most requests one `$batch` request holds.
    pub const MAX_REQUESTS: usize = 20;

    pub fn new() -> Self {
        Batch { id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed), entries: Vec::new(), chains: HashMap::new() }
    }

    /// Adds `op`. Fails only when its body cannot be serialized.
    pub fn add<E: Endpoint>(&mut self, op: &E) -> Result<BatchHandle<E::Response>, Error> {
        self.add_after_all(op, &[])
    }

    /// Adds `op`, to run once `after` has succeeded.
    pub fn add_after<E: Endpoint, R>(
        &mut self,
        op: &E,
        after: &BatchHandle<R>,
    ) -> Result<BatchHandle<E::Response>, Error> {
        self.add_after_all(op, &[after.id()])
    }

    /// Adds `op`, to run once all of `after` have succeeded.
    pub fn add_after_all<E: Endpoint>(
        &mut self,
        op: &E,
        after: &[&BatchId],
    ) -> Result<BatchHandle<E::Response>, Error> {
        if let Some(foreign) = after.iter().find(|a| a.batch != self.id) {
            return Err(Error::Batch(BatchError::ForeignHandle { id: foreign.id.clone() }));
        }
        let request = op.request();
        let body = match request.body {
            Some(body) => Some(::serde_json::to_value(body).map_err(Error::Encode)?),
            None => None,
        };
        // The chains `after` belong to, merged with this request into one.
        let mut joined: Vec<usize> = Vec::new();
        for dependency in after {
            let chain = self.entries.iter().find(|e| e.id == dependency.id).map(|e| e.chain);
            if let Some(chain) = chain.filter(|c| !joined.contains(c)) {
                joined.push(chain);
            }
        }
        let size = 1 + joined.iter().map(|c| self.chains[c]).sum::<usize>();
        if size > Batch::MAX_REQUESTS {
            return Err(Error::Batch(BatchError::ChainTooLong { requests: size }));
        }
        let chain = joined.first().copied().unwrap_or(self.entries.len());
        for entry in &mut self.entries {
            if joined.contains(&entry.chain) {
                entry.chain = chain;
            }
        }
        for other in &joined {
            self.chains.remove(other);
        }
        self.chains.insert(chain, size);
        let id = (self.entries.len() + 1).to_string();
        let mut depends_on: Vec<String> = Vec::new();
        for dependency in after {
            if !depends_on.contains(&dependency.id) {
                depends_on.push(dependency.id.clone());
            }
        }
        self.entries.push(Entry {
            id: id.clone(),
            method: request.method,
            url: request.path_and_query,
            body,
            depends_on,
            chain,
        });
        Ok(BatchHandle { id: BatchId { batch: self.id, id }, response: PhantomData })
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The requests of each `$batch` request, as indices into `entries`: whole chains, each in
    /// the first `$batch` request with room for it (first fit), in the order they were added.
    fn chunks(&self) -> Vec<Vec<usize>> {
        let mut order: Vec<usize> = Vec::new();
        for entry in &self.entries {
            if !order.contains(&entry.chain) {
                order.push(entry.chain);
            }
        }
        // The chains of each chunk, and its size.
        let mut chunks: Vec<(Vec<usize>, usize)> = Vec::new();
        for chain in order {
            let size = self.chains[&chain];
            match chunks.iter_mut().find(|(_, used)| used + size <= Batch::MAX_REQUESTS) {
                Some((chains, used)) => {
                    chains.push(chain);
                    *used += size;
                }
                None => chunks.push((vec![chain], size)),
            }
        }
        chunks
            .into_iter()
            .map(|(chains, _)| (0..self.entries.len()).filter(|&i| chains.contains(&self.entries[i].chain)).collect())
            .collect()
    }

    fn request_json(&self, index: usize, include_unknown_enum_members: bool) -> Value {
        let entry = &self.entries[index];
        let mut request = Map::new();
        request.insert("id".into(), Value::String(entry.id.clone()));
        request.insert("method".into(), Value::String(entry.method.as_str().into()));
        request.insert("url".into(), Value::String(entry.url.clone()));
        let mut headers = Map::new();
        if let Some(body) = &entry.body {
            request.insert("body".into(), body.clone());
            headers.insert("Content-Type".into(), Value::String("application/json".into()));
        }
        if include_unknown_enum_members {
            headers.insert("Prefer".into(), Value::String("include-unknown-enum-members".into()));
        }
        if !headers.is_empty() {
            request.insert("headers".into(), Value::Object(headers));
        }
        if !entry.depends_on.is_empty() {
            request.insert("dependsOn".into(), json!(entry.depends_on));
        }
        Value::Object(request)
    }
}

/// One response of a JSON batch, as Graph returned it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BatchItemResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    /// The body: JSON as is; other content as Graph encodes it in a batch (base64 text).
    pub body: Option<Value>,
}

impl BatchItemResponse {
    /// A header, by its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn body_bytes(&self) -> Bytes {
        self.body.as_ref().map(|b| Bytes::from(b.to_string())).unwrap_or_default()
    }

    fn error(&self) -> Error {
        let retry_after = self.header("retry-after").and_then(|v| parse_retry_after(v, SystemTime::now()));
        let request_id = self.header("request-id").map(String::from);
        Error::Http(::std::boxed::Box::new(HttpError::new(self.status, self.body_bytes(), request_id, retry_after, 1)))
    }
}

enum Slot {
    Done(BatchItemResponse),
    Missing,
    Failed(Arc<Error>),
    NotSent,
}

/// The responses of a [`Batch`], read back by handle.
pub struct BatchResponses {
    batch: u64,
    slots: HashMap<String, Slot>,
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<(&String, Option<u16>)> = self
            .slots
            .iter()
            .map(|(id, slot)| (id, if let Slot::Done(r) = slot { Some(r.status) } else { None }))
            .collect();
        ids.sort_by_key(|(id, _)| id.parse::<usize>().unwrap_or(usize::MAX));
        f.debug_struct("BatchResponses").field("statuses", &ids).finish()
    }
}

impl BatchResponses {
    /// The response of `handle`'s request read as its operation's response type; an error
    /// status is [`Error::Http`] with Graph's error body parsed (`424` when a request it
    /// depended on failed).
    pub fn get<R: DeserializeOwned>(&self, handle: &BatchHandle<R>) -> Result<R, Error> {
        let response = self.response(handle.id())?;
        if !(200..300).contains(&response.status) {
            return Err(response.error());
        }
        let value = response.body.as_ref().unwrap_or(&Value::Null);
        ::serde_path_to_error::deserialize::<_, R>(value).map_err(|e| {
            Error::Decode(::std::boxed::Box::new(DecodeError {
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
                status: response.status,
                body: response.body_bytes(),
            }))
        })
    }

    /// The response of a request as Graph returned it, whatever its status.
    pub fn response(&self, id: &BatchId) -> Result<&BatchItemResponse, Error> {
        if id.batch != self.batch {
            return Err(Error::Batch(BatchError::ForeignHandle { id: id.id.clone() }));
        }
        match self.slots.get(&id.id) {
            Some(Slot::Done(response)) => Ok(response),
            Some(Slot::Failed(e)) => Err(Error::Batch(BatchError::Failed(e.clone()))),
            Some(Slot::NotSent) => Err(Error::Batch(BatchError::NotSent { id: id.id.clone() })),
            Some(Slot::Missing) | None => Err(Error::Batch(BatchError::Missing { id: id.id.clone() })),
        }
    }

    /// The status of a request's response, when it has one.
    pub fn status(&self, id: &BatchId) -> Option<u16> {
        self.response(id).ok().map(|r| r.status)
    }
}

pub(crate) async fn send(client: &Client, batch: Batch) -> Result<BatchResponses, Error> {
    let mut slots = HashMap::new();
    let mut failed: Option<Arc<Error>> = None;
    let url = client.join("/$batch")?;
    for (n, chunk) in batch.chunks().into_iter().enumerate() {
        if failed.is_some() {
            slots.extend(chunk.iter().map(|&i| (batch.entries[i].id.clone(), Slot::NotSent)));
            continue;
        }
        let requests: Vec<Value> =
            chunk.iter().map(|&i| batch.request_json(i, client.includes_unknown_enum_members())).collect();
        let body = ::serde_json::to_vec(&json!({ "requests": requests })).map_err(Error::Encode)?;
        let request = Prepared { method: Method::Post, url: url.clone(), body: Some(Bytes::from(body)) };
        let answer = match client.execute(&request, Accept::Json).await {
            Ok(response) => read_responses(response),
            Err(e) => Err(e),
        };
        match answer {
            Ok(mut responses) => {
                for &i in &chunk {
                    let id = &batch.entries[i].id;
                    let slot = responses.remove(id).map_or(Slot::Missing, Slot::Done);
                    slots.insert(id.clone(), slot);
                }
            }
            Err(e) if n == 0 => return Err(e),
            Err(e) => {
                let e = Arc::new(e);
                slots.extend(chunk.iter().map(|&i| (batch.entries[i].id.clone(), Slot::Failed(e.clone()))));
                failed = Some(e);
            }
        }
    }
    Ok(BatchResponses { batch: batch.id, slots })
}

/// The responses of one `$batch` answer, by id.
fn read_responses(response: Response) -> Result<HashMap<String, BatchItemResponse>, Error> {
    let body: Value = super::decode(response, parse_json::<Value>)?;
    let shape = |what: &str| Error::Protocol(format!("a $batch answer {what}"));
    let responses = body.get("responses").and_then(Value::as_array).ok_or_else(|| shape("without `responses`"))?;
    let mut out = HashMap::new();
    for response in responses {
        let id = response.get("id").and_then(Value::as_str).ok_or_else(|| shape("with a response without `id`"))?;
        let status = response
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| shape("with a response without `status`"))?;
        let headers = response
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), String::from))).collect()
            })
            .unwrap_or_default();
        let body = response.get("body").cloned();
        out.insert(id.to_owned(), BatchItemResponse { status, headers, body });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NoContent, Page};

    struct Get(String);
    impl Endpoint for Get {
        type Body = NoContent;
        type Response = Page<Value>;
        const METHOD: Method = Method::Get;
        fn template(&self) -> &'static str {
            "/x/{id}"
        }
        fn path(&self) -> String {
            format!("/x/{}", self.0)
        }
    }

    #[test]
    fn chains_stay_together_and_batches_hold_twenty() {
        let mut batch = Batch::new();
        // 15 independent requests, then a chain of 10, then 10 more independent ones.
        for i in 0..15 {
            batch.add(&Get(i.to_string())).unwrap();
        }
        let mut last = batch.add(&Get("chain".into())).unwrap();
        for _ in 1..10 {
            last = batch.add_after(&Get("link".into()), &last).unwrap();
        }
        for i in 0..10 {
            batch.add(&Get(format!("after{i}"))).unwrap();
        }
        let chunks = batch.chunks();
        assert!(chunks.iter().all(|c| c.len() <= Batch::MAX_REQUESTS), "{chunks:?}");
        assert_eq!(chunks.iter().map(Vec::len).sum::<usize>(), 35);
        let chain: Vec<usize> = (15..25).collect();
        assert!(chunks.iter().any(|c| chain.iter().all(|i| c.contains(i))), "the chain is split: {chunks:?}");
        // Every request comes after what it depends on, within its chunk.
        for chunk in &chunks {
            for (pos, &i) in chunk.iter().enumerate() {
                for dep in &batch.entries[i].depends_on {
                    let d = batch.entries.iter().position(|e| &e.id == dep).unwrap();
                    assert!(chunk[..pos].contains(&d));
                }
            }
        }
    }

    #[test]
    fn a_chain_longer_than_a_batch_and_foreign_handles_are_refused() {
        let mut batch = Batch::new();
        let first = batch.add(&Get("0".into())).unwrap();
        let mut last = first.clone();
        for _ in 1..Batch::MAX_REQUESTS {
            last = batch.add_after(&Get("n".into()), &last).unwrap();
        }
        let err = batch.add_after(&Get("too many".into()), &last).unwrap_err();
        assert!(matches!(err, Error::Batch(BatchError::ChainTooLong { requests: 21 })), "{err}");
        // Two chains joined by one request count together.
        let mut batch = Batch::new();
        let a = batch.add(&Get("a".into())).unwrap();
        let b = batch.add(&Get("b".into())).unwrap();
        let joined = batch.add_after_all(&Get("both".into()), &[a.id(), b.id()]).unwrap();
        assert_eq!(batch.chains.values().copied().collect::<Vec<_>>(), [3]);
        assert_eq!(batch.request_json(2, false)["dependsOn"], json!(["1", "2"]));
        let mut other = Batch::new();
        assert!(matches!(
            other.add_after(&Get("x".into()), &joined),
            Err(Error::Batch(BatchError::ForeignHandle { .. }))
        ));
    }
}
