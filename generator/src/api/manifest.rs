//! The manifest: the text form of an [`ApiModel`], one line per fact, made to be committed next
//! to a generated crate and read in a git diff.
//!
//! ```text
//! feature users
//! type microsoft.graph.user struct rust=User base=microsoft.graph.directoryObject area=users cfg=* at=resources/user.md:9
//! prop microsoft.graph.user accountEnabled rust=account_enabled type=Boolean at=resources/user.md:40
//! prop microsoft.graph.user manager rust=manager type=microsoft.graph.directoryObject nav cfg=users at=resources/user.md:99
//! type microsoft.graph.x enum rust=X flags area=users cfg=users,groups at=resources/enums.md:12
//! member microsoft.graph.x value rust=Value at=resources/enums.md:16
//! op GetUser GET page=api/user-get.md paths=GetUserPath body=- response=microsoft.graph.user query area=users cfg=users at=api/user-get.md:1
//! path GetUser /users/{id} variant=Users params=id at=api/user-get.md:20
//! qparam ListCalendarView startDateTime rust=start_date_time at=api/user-list-calendarview.md:30
//! ```
//!
//! Features come first; then each type, followed by its properties (by JSON name) or members (by
//! wire value); then each operation (by Rust name), followed by its paths (by template). A line
//! is a record word, its key fields, then `key=value` attributes and bare flags (`nav`, `boxed`,
//! `flags`, `query`). Attributes that keep their usual value are left out: `base`, `any`,
//! `paths`, `variant` when there is none, `extra` when it is `additional_properties`,
//! `catch_all` when it is `Unrecognized`, a property's `cfg` when it has no gate of its own.
//! `-` is "none" and `cfg=*` "always compiled". In key fields and values, `%`, `"`, whitespace
//! and control characters are percent-encoded (and `,` within lists), `""` is the empty string, and a
//! value that is literally `-` or `*` is written `%2D` or `%2A`. `at=` is where the item is
//! documented (page:line). Lines starting with `#` and blank lines are skipped; any order of
//! lines reads the same.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    ApiEnum, ApiError, ApiMember, ApiModel, ApiOperation, ApiPath, ApiProperty, ApiQueryParam, ApiShape, ApiStruct,
    ApiType,
};
use crate::diagnostics::Span;
use crate::ir::HttpMethod;
use crate::resolve::{ADDITIONAL_PROPERTIES, CATCH_ALL};

impl ApiModel {
    /// The manifest: one sorted line per fact, ending with a newline.
    pub fn to_manifest(&self) -> String {
        let mut out = String::new();
        for f in &self.features {
            line(&mut out, &["feature", &esc(f)]);
        }
        for (id, t) in &self.types {
            let mut head = vec!["type".to_string(), esc(id), t.shape.kind().to_string(), attr("rust", &esc(&t.rust))];
            match &t.shape {
                ApiShape::Struct(s) => {
                    head.extend(s.base.as_deref().map(|b| attr("base", &esc(b))));
                    head.extend(s.any.as_deref().map(|a| attr("any", &esc(a))));
                    if s.additional_properties != ADDITIONAL_PROPERTIES {
                        head.push(attr("extra", &esc(&s.additional_properties)));
                    }
                }
                ApiShape::Enum(e) => {
                    if e.flags {
                        head.push("flags".into());
                    }
                    if e.catch_all != CATCH_ALL {
                        head.push(attr("catch_all", &esc(&e.catch_all)));
                    }
                }
            }
            head.extend([attr("area", &esc(&t.area)), attr("cfg", &cfg(&t.cfg)), attr("at", &span(&t.at))]);
            line(&mut out, &head);
            match &t.shape {
                ApiShape::Struct(s) => {
                    for (json, p) in &s.properties {
                        let mut l = vec![
                            "prop".to_string(),
                            esc(id),
                            esc(json),
                            attr("rust", &esc(&p.rust)),
                            attr("type", &esc(&p.ty)),
                        ];
                        if p.navigation {
                            l.push("nav".into());
                        }
                        if p.boxed {
                            l.push("boxed".into());
                        }
                        if !p.cfg.is_empty() {
                            l.push(attr("cfg", &cfg(&p.cfg)));
                        }
                        l.push(attr("at", &span(&p.at)));
                        line(&mut out, &l);
                    }
                }
                ApiShape::Enum(e) => {
                    for (wire, m) in &e.members {
                        line(
                            &mut out,
                            &["member", &esc(id), &esc(wire), &attr("rust", &esc(&m.rust)), &attr("at", &span(&m.at))],
                        );
                    }
                }
            }
        }
        for (name, op) in &self.operations {
            let mut l = vec!["op".to_string(), esc(name), esc(&op.method), attr("page", &esc(&op.page))];
            l.extend(op.path_enum.as_deref().map(|e| attr("paths", &esc(e))));
            l.push(attr("body", &optional(op.body.as_deref())));
            l.push(attr("response", &optional(op.response.as_deref())));
            if op.query {
                l.push("query".into());
            }
            l.extend([attr("area", &esc(&op.area)), attr("cfg", &cfg(&op.cfg)), attr("at", &span(&op.at))]);
            line(&mut out, &l);
            for (template, p) in &op.paths {
                let mut l = vec!["path".to_string(), esc(name), esc(template)];
                l.extend(p.variant.as_deref().map(|v| attr("variant", &esc(v))));
                l.push(attr("params", &list(&p.params, "-")));
                l.push(attr("at", &span(&p.at)));
                line(&mut out, &l);
            }
            for (wire, q) in &op.query_params {
                let l =
                    ["qparam".to_string(), esc(name), esc(wire), attr("rust", &esc(&q.rust)), attr("at", &span(&q.at))];
                line(&mut out, &l);
            }
        }
        out
    }

    /// Reads a manifest as [`ApiModel::to_manifest`] writes it; lines starting with `#` and blank
    /// lines are skipped. A line that does not read is an error naming it.
    pub fn from_manifest(text: &str) -> Result<ApiModel, ApiError> {
        let mut model = ApiModel::default();
        // Properties, members and paths attach to their type or operation once all are read.
        let mut props = Vec::new();
        let mut members = Vec::new();
        let mut paths = Vec::new();
        let mut qparams = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let l = raw.strip_suffix('\r').unwrap_or(raw);
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let err = |message: String| ApiError::Manifest { line: n, message };
            let mut rec = Record::parse(l).map_err(err)?;
            match rec.word {
                "feature" => {
                    let [name] = rec.keys::<1>().map_err(err)?;
                    rec.finish().map_err(err)?;
                    if !model.features.insert(name.clone()) {
                        return Err(err(format!("feature `{name}` is listed twice")));
                    }
                }
                "type" => {
                    let [id, kind] = rec.keys::<2>().map_err(err)?;
                    let rust = rec.value("rust").map_err(err)?;
                    let shape = match kind.as_str() {
                        "struct" => ApiShape::Struct(ApiStruct {
                            base: rec.maybe("base").map_err(err)?,
                            any: rec.maybe("any").map_err(err)?,
                            additional_properties: rec
                                .maybe("extra")
                                .map_err(err)?
                                .unwrap_or_else(|| ADDITIONAL_PROPERTIES.to_string()),
                            properties: BTreeMap::new(),
                        }),
                        "enum" => ApiShape::Enum(ApiEnum {
                            flags: rec.flag("flags"),
                            catch_all: rec.maybe("catch_all").map_err(err)?.unwrap_or_else(|| CATCH_ALL.to_string()),
                            members: BTreeMap::new(),
                        }),
                        other => return Err(err(format!("expected `struct` or `enum`, found `{other}`"))),
                    };
                    let area = rec.value("area").map_err(err)?;
                    let cfg = rec.cfg("cfg").map_err(err)?.unwrap_or_default();
                    let at = rec.span().map_err(err)?;
                    rec.finish().map_err(err)?;
                    let t = ApiType { rust, area, cfg, at, shape };
                    if model.types.insert(id.clone(), t).is_some() {
                        return Err(err(format!("type `{id}` is listed twice")));
                    }
                }
                "prop" => {
                    let [owner, json] = rec.keys::<2>().map_err(err)?;
                    let p = ApiProperty {
                        rust: rec.value("rust").map_err(err)?,
                        ty: rec.value("type").map_err(err)?,
                        navigation: rec.flag("nav"),
                        boxed: rec.flag("boxed"),
                        cfg: rec.cfg("cfg").map_err(err)?.unwrap_or_default(),
                        at: rec.span().map_err(err)?,
                    };
                    rec.finish().map_err(err)?;
                    props.push((n, owner, json, p));
                }
                "member" => {
                    let [owner, wire] = rec.keys::<2>().map_err(err)?;
                    let m = ApiMember { rust: rec.value("rust").map_err(err)?, at: rec.span().map_err(err)? };
                    rec.finish().map_err(err)?;
                    members.push((n, owner, wire, m));
                }
                "op" => {
                    let [name, method] = rec.keys::<2>().map_err(err)?;
                    let method = HttpMethod::parse(&method)
                        .filter(|m| m.as_str() == method)
                        .ok_or_else(|| err(format!("expected an HTTP method in capitals, found `{method}`")))?;
                    let op = ApiOperation {
                        page: rec.value("page").map_err(err)?,
                        method: method.as_str().to_string(),
                        path_enum: rec.maybe("paths").map_err(err)?,
                        paths: BTreeMap::new(),
                        body: rec.optional("body").map_err(err)?,
                        response: rec.optional("response").map_err(err)?,
                        query: rec.flag("query"),
                        query_params: BTreeMap::new(),
                        area: rec.value("area").map_err(err)?,
                        cfg: rec.cfg("cfg").map_err(err)?.unwrap_or_default(),
                        at: rec.span().map_err(err)?,
                    };
                    rec.finish().map_err(err)?;
                    if model.operations.insert(name.clone(), op).is_some() {
                        return Err(err(format!("operation `{name}` is listed twice")));
                    }
                }
                "path" => {
                    let [name, template] = rec.keys::<2>().map_err(err)?;
                    let variant = rec.maybe("variant").map_err(err)?;
                    let params = rec.list("params", "-").map_err(err)?;
                    let p = ApiPath { variant, params, at: rec.span().map_err(err)? };
                    rec.finish().map_err(err)?;
                    paths.push((n, name, template, p));
                }
                "qparam" => {
                    let [name, wire] = rec.keys::<2>().map_err(err)?;
                    let q = ApiQueryParam { rust: rec.value("rust").map_err(err)?, at: rec.span().map_err(err)? };
                    rec.finish().map_err(err)?;
                    qparams.push((n, name, wire, q));
                }
                other => return Err(err(format!("no record `{other}`"))),
            }
        }
        for (n, owner, json, p) in props {
            let err = |message: String| ApiError::Manifest { line: n, message };
            match model.types.get_mut(&owner).map(|t| &mut t.shape) {
                Some(ApiShape::Struct(s)) => {
                    if s.properties.insert(json.clone(), p).is_some() {
                        return Err(err(format!("property `{json}` of `{owner}` is listed twice")));
                    }
                }
                Some(ApiShape::Enum(_)) => return Err(err(format!("`{owner}` is an enum; it has no properties"))),
                None => return Err(err(format!("property of `{owner}`, which has no `type` line"))),
            }
        }
        for (n, owner, wire, m) in members {
            let err = |message: String| ApiError::Manifest { line: n, message };
            match model.types.get_mut(&owner).map(|t| &mut t.shape) {
                Some(ApiShape::Enum(e)) => {
                    if e.members.insert(wire.clone(), m).is_some() {
                        return Err(err(format!("member `{wire}` of `{owner}` is listed twice")));
                    }
                }
                Some(ApiShape::Struct(_)) => return Err(err(format!("`{owner}` is a struct; it has no members"))),
                None => return Err(err(format!("member of `{owner}`, which has no `type` line"))),
            }
        }
        for (n, name, template, p) in paths {
            let err = |message: String| ApiError::Manifest { line: n, message };
            let op = model
                .operations
                .get_mut(&name)
                .ok_or_else(|| err(format!("path of `{name}`, which has no `op` line")))?;
            if op.paths.insert(template.clone(), p).is_some() {
                return Err(err(format!("path `{template}` of `{name}` is listed twice")));
            }
        }
        for (n, name, wire, q) in qparams {
            let err = |message: String| ApiError::Manifest { line: n, message };
            let op = model
                .operations
                .get_mut(&name)
                .ok_or_else(|| err(format!("query parameter of `{name}`, which has no `op` line")))?;
            if op.query_params.insert(wire.clone(), q).is_some() {
                return Err(err(format!("query parameter `{wire}` of `{name}` is listed twice")));
            }
        }
        Ok(model)
    }
}

fn line<S: AsRef<str>>(out: &mut String, tokens: &[S]) {
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(t.as_ref());
    }
    out.push('\n');
}

fn attr(key: &str, value: &str) -> String {
    format!("{key}={value}")
}

/// A value as one token: nothing in it can end the token or be read as `-`, `*` or `""`.
fn esc(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, in_list: bool) -> String {
    match s {
        "" => return "\"\"".into(),
        "-" => return "%2D".into(),
        "*" => return "%2A".into(),
        _ => {}
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let special = matches!(c, '%' | '"') || (in_list && c == ',') || c.is_whitespace() || c.is_control();
        if special {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape(token: &str) -> Result<String, String> {
    if token == "\"\"" {
        return Ok(String::new());
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = token.get(i + 1..i + 3).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
            let byte = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("expected `%` and two hex digits in `{token}`"))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{token}` does not decode to UTF-8"))
}

fn optional(v: Option<&str>) -> String {
    v.map_or_else(|| "-".to_string(), esc)
}

fn list(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        return empty.to_string();
    }
    items.iter().map(|i| escape(i, true)).collect::<Vec<_>>().join(",")
}

fn cfg(items: &[String]) -> String {
    list(items, "*")
}

fn span(at: &Span) -> String {
    format!("{}:{}", esc(&at.file), at.line)
}

/// One line: its record word, key fields, attributes and flags, each taken once.
struct Record<'a> {
    word: &'a str,
    keys: Vec<&'a str>,
    attrs: BTreeMap<&'a str, &'a str>,
    flags: Vec<&'a str>,
}

impl<'a> Record<'a> {
    fn parse(line: &'a str) -> Result<Record<'a>, String> {
        let mut tokens = line.split(' ');
        let word = tokens.next().unwrap_or_default();
        // The record word says how many key fields follow; they may hold any character but a
        // space, so only what follows them is read as attributes and flags.
        let count = match word {
            "feature" => 1,
            "type" | "prop" | "member" | "op" | "path" | "qparam" => 2,
            other => {
                return Err(format!(
                    "expected a line starting with `feature`, `type`, `prop`, `member`, `op`, `path` or `qparam`, found `{other}`"
                ))
            }
        };
        let mut rec = Record { word, keys: Vec::new(), attrs: BTreeMap::new(), flags: Vec::new() };
        for t in tokens {
            if t.is_empty() {
                return Err("expected fields separated by single spaces".into());
            }
            if rec.keys.len() < count {
                rec.keys.push(t);
                continue;
            }
            match t.split_once('=') {
                Some((k, v)) => {
                    if rec.attrs.insert(k, v).is_some() {
                        return Err(format!("`{k}=` is given twice"));
                    }
                }
                None => rec.flags.push(t),
            }
        }
        if rec.keys.len() < count {
            return Err(format!("`{word}` expects {count} fields, found {}", rec.keys.len()));
        }
        Ok(rec)
    }

    fn keys<const N: usize>(&mut self) -> Result<[String; N], String> {
        let mut out: [String; N] = std::array::from_fn(|_| String::new());
        if self.keys.len() != N {
            return Err(format!("`{}` expects {N} fields, found {}", self.word, self.keys.len()));
        }
        for (slot, k) in out.iter_mut().zip(&self.keys) {
            *slot = unescape(k)?;
        }
        Ok(out)
    }

    fn maybe(&mut self, key: &str) -> Result<Option<String>, String> {
        self.attrs.remove(key).map(unescape).transpose()
    }

    fn value(&mut self, key: &str) -> Result<String, String> {
        self.maybe(key)?.ok_or_else(|| format!("`{}` needs `{key}=`", self.word))
    }

    /// A value that may be `-` (none).
    fn optional(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.attrs.remove(key) {
            None => Err(format!("`{}` needs `{key}=`", self.word)),
            Some("-") => Ok(None),
            Some(v) => unescape(v).map(Some),
        }
    }

    fn list(&mut self, key: &str, empty: &str) -> Result<Vec<String>, String> {
        match self.attrs.remove(key) {
            None => Err(format!("`{}` needs `{key}=`", self.word)),
            Some(v) if v == empty => Ok(Vec::new()),
            Some(v) => v.split(',').map(unescape).collect(),
        }
    }

    fn cfg(&mut self, key: &str) -> Result<Option<Vec<String>>, String> {
        if !self.attrs.contains_key(key) {
            return Ok(None);
        }
        self.list(key, "*").map(Some)
    }

    fn span(&mut self) -> Result<Span, String> {
        let raw = self.attrs.remove("at").ok_or_else(|| format!("`{}` needs `at=`", self.word))?;
        let (file, line) = raw.rsplit_once(':').ok_or_else(|| format!("expected `at=page:line`, found `{raw}`"))?;
        let line = line.parse().map_err(|_| format!("expected a line number in `at={raw}`"))?;
        Ok(Span { file: unescape(file)?, line })
    }

    fn flag(&mut self, name: &str) -> bool {
        match self.flags.iter().position(|f| *f == name) {
            Some(i) => {
                self.flags.remove(i);
                true
            }
            None => false,
        }
    }

    fn finish(self) -> Result<(), String> {
        if let Some(k) = self.attrs.keys().next() {
            return Err(format!("`{}` has no attribute `{k}=`", self.word));
        }
        if let Some(f) = self.flags.first() {
            return Err(format!("`{}` has no flag `{f}`", self.word));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn at(file: &str, line: u32) -> Span {
        Span::new(file, line)
    }

    /// A model with every attribute in use, including values that need escaping.
    fn sample() -> ApiModel {
        let mut model =
            ApiModel { features: BTreeSet::from(["users".into(), "odd,area".into()]), ..Default::default() };
        let mut properties = BTreeMap::new();
        properties.insert(
            "accountEnabled".into(),
            ApiProperty {
                rust: "account_enabled".into(),
                ty: "Boolean".into(),
                navigation: false,
                boxed: false,
                cfg: vec![],
                at: at("resources/user.md", 40),
            },
        );
        properties.insert(
            "odd name=x %".into(),
            ApiProperty {
                rust: "r#type".into(),
                ty: "Collection(microsoft.graph.user)".into(),
                navigation: true,
                boxed: true,
                cfg: vec!["users".into(), "odd,area".into()],
                at: at("resources/a b.md", 7),
            },
        );
        properties.insert(
            "".into(),
            ApiProperty {
                rust: "empty".into(),
                ty: "Json".into(),
                navigation: false,
                boxed: false,
                cfg: vec![],
                at: at("resources/x:y.md", 1),
            },
        );
        model.types.insert(
            "microsoft.graph.user".into(),
            ApiType {
                rust: "User".into(),
                area: "users".into(),
                cfg: vec![],
                at: at("resources/user.md", 9),
                shape: ApiShape::Struct(ApiStruct {
                    base: Some("microsoft.graph.directoryObject".into()),
                    any: Some("AnyUser".into()),
                    additional_properties: "additional_properties_".into(),
                    properties,
                }),
            },
        );
        let mut members = BTreeMap::new();
        members.insert("-".into(), ApiMember { rust: "Dash".into(), at: at("resources/enums.md", 3) });
        members.insert("*".into(), ApiMember { rust: "Star".into(), at: at("resources/enums.md", 4) });
        members
            .insert("héllo wörld\t\"q\"".into(), ApiMember { rust: "Hello".into(), at: at("resources/enums.md", 5) });
        model.types.insert(
            "microsoft.graph.callRecords.kind".into(),
            ApiType {
                rust: "call_records::Kind".into(),
                area: "teams".into(),
                cfg: vec!["teams".into(), "users".into()],
                at: at("resources/enums.md", 2),
                shape: ApiShape::Enum(ApiEnum { flags: true, catch_all: "Unrecognized_".into(), members }),
            },
        );
        model.types.insert(
            "microsoft.graph.plain".into(),
            ApiType {
                rust: "Plain".into(),
                area: "general".into(),
                cfg: vec!["general".into()],
                at: at("resources/plain.md", 1),
                shape: ApiShape::Enum(ApiEnum { flags: false, catch_all: CATCH_ALL.into(), members: BTreeMap::new() }),
            },
        );
        let mut paths = BTreeMap::new();
        paths.insert(
            "/users/{id}".into(),
            ApiPath { variant: Some("Users".into()), params: vec!["id".into()], at: at("api/user-get.md", 20) },
        );
        paths.insert(
            "/me".into(),
            ApiPath { variant: Some("Me".into()), params: vec![], at: at("api/user-get.md", 21) },
        );
        model.operations.insert(
            "GetUser".into(),
            ApiOperation {
                page: "api/user-get.md".into(),
                method: "GET".into(),
                path_enum: Some("GetUserPath".into()),
                paths,
                query: true,
                query_params: BTreeMap::from([(
                    "$skiptoken".to_string(),
                    ApiQueryParam { rust: "skiptoken".into(), at: at("api/user-get.md", 30) },
                )]),
                body: None,
                response: Some("microsoft.graph.user".into()),
                area: "users".into(),
                cfg: vec!["users".into()],
                at: at("api/user-get.md", 1),
            },
        );
        let mut paths = BTreeMap::new();
        paths.insert(
            "/f(a='{a}',b='{b}')".into(),
            ApiPath { variant: None, params: vec!["a".into(), "b".into()], at: at("api/f.md", 12) },
        );
        model.operations.insert(
            "CallF".into(),
            ApiOperation {
                page: "api/f.md".into(),
                method: "POST".into(),
                path_enum: None,
                paths,
                query: false,
                query_params: BTreeMap::new(),
                body: Some("Collection(String)".into()),
                response: None,
                area: "general".into(),
                cfg: vec![],
                at: at("api/f.md", 1),
            },
        );
        model
    }

    #[test]
    fn the_manifest_round_trips_exactly() {
        let model = sample();
        let text = model.to_manifest();
        let back = ApiModel::from_manifest(&text).unwrap();
        assert_eq!(back, model, "{text}");
        assert_eq!(back.to_manifest(), text);
        // Every fact is one line, and every line reads.
        assert_eq!(text.lines().count(), 2 + (1 + 3) + (1 + 3) + 1 + (1 + 2 + 1) + (1 + 1), "{text}");
    }

    #[test]
    fn the_manifest_reads_as_documented() {
        let text = sample().to_manifest();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"feature odd,area"), "{text}");
        assert!(lines.contains(&"type microsoft.graph.user struct rust=User base=microsoft.graph.directoryObject any=AnyUser extra=additional_properties_ area=users cfg=* at=resources/user.md:9"), "{text}");
        assert!(
            lines.contains(
                &"prop microsoft.graph.user accountEnabled rust=account_enabled type=Boolean at=resources/user.md:40"
            ),
            "{text}"
        );
        assert!(lines.contains(&"prop microsoft.graph.user odd%20name=x%20%25 rust=r#type type=Collection(microsoft.graph.user) nav boxed cfg=users,odd%2Carea at=resources/a%20b.md:7"), "{text}");
        assert!(lines.contains(&"prop microsoft.graph.user \"\" rust=empty type=Json at=resources/x:y.md:1"), "{text}");
        assert!(
            lines.contains(&"member microsoft.graph.callRecords.kind %2D rust=Dash at=resources/enums.md:3"),
            "{text}"
        );
        assert!(
            lines.contains(
                &"type microsoft.graph.plain enum rust=Plain area=general cfg=general at=resources/plain.md:1"
            ),
            "{text}"
        );
        assert!(lines.contains(&"op GetUser GET page=api/user-get.md paths=GetUserPath body=- response=microsoft.graph.user query area=users cfg=users at=api/user-get.md:1"), "{text}");
        assert!(lines.contains(&"path GetUser /me variant=Me params=- at=api/user-get.md:21"), "{text}");
        assert!(lines.contains(&"path CallF /f(a='{a}',b='{b}') params=a,b at=api/f.md:12"), "{text}");
        assert!(lines.contains(&"qparam GetUser $skiptoken rust=skiptoken at=api/user-get.md:30"), "{text}");
    }

    #[test]
    fn comments_blank_lines_crlf_and_any_order_read_the_same() {
        let model = sample();
        let mut lines: Vec<String> = model.to_manifest().lines().map(String::from).collect();
        lines.reverse();
        let text = format!("# Generated by a tool. Do not edit.\n\n{}\r\n", lines.join("\r\n\n"));
        assert_eq!(ApiModel::from_manifest(&text).unwrap(), model);
    }

    #[test]
    fn lines_that_do_not_read_are_errors_naming_the_line() {
        let cases = [
            ("typo microsoft.graph.x", "expected a line starting with"),
            ("type microsoft.graph.x union rust=X area=a cfg=* at=p.md:1", "expected `struct` or `enum`"),
            ("type microsoft.graph.x struct area=a cfg=* at=p.md:1", "needs `rust=`"),
            ("type microsoft.graph.x struct rust=X area=a cfg=* at=p.md", "expected `at=page:line`"),
            ("type microsoft.graph.x struct rust=X area=a cfg=* at=p.md:x", "expected a line number"),
            ("type microsoft.graph.x struct rust=X area=a cfg=* at=p.md:1 colour=red", "no attribute `colour=`"),
            ("type microsoft.graph.x struct rust=X area=a cfg=* at=p.md:1 nav", "no flag `nav`"),
            ("type microsoft.graph.x  struct rust=X area=a cfg=* at=p.md:1", "single spaces"),
            ("type microsoft.graph.x struct rust=X%2 area=a cfg=* at=p.md:1", "two hex digits"),
            ("type microsoft.graph.x struct rust=X%FF area=a cfg=* at=p.md:1", "UTF-8"),
            ("prop microsoft.graph.x a rust=a type=String at=p.md:2", "no `type` line"),
            ("op GetX get page=p body=- response=- area=a cfg=* at=p.md:1", "HTTP method in capitals"),
            ("path GetX /x params=- at=p.md:1", "no `op` line"),
            ("qparam GetX top rust=top at=p.md:1", "no `op` line"),
            ("feature a\nfeature a", "listed twice"),
        ];
        for (text, expected) in cases {
            let err = ApiModel::from_manifest(&format!("# header\n{text}\n")).unwrap_err().to_string();
            let line = 1 + text.lines().count();
            assert!(err.starts_with(&format!("API manifest, line {line}: ")), "{text}: {err}");
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
