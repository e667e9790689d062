//! The NuGet v3 client of `alkit symbols fetch`: a [`PackageSource`] over HTTP(S), and
//! one over the local nupkg cache.
//!
//! The protocol-independent parts (naming, nuspec, nupkg checks, resolution, lock file)
//! are in `runtime_pack::nuget`; this module owns the network I/O, as the CLI owns all I/O.
//!
//! - Service index `index.json` → the `PackageBaseAddress/3.0.0` resource (flat container);
//!   versions from `{base}/{id-lower}/index.json`; nupkgs from
//!   `{base}/{id-lower}/{version}/{id-lower}.{version}.nupkg`.
//! - HTTPS only, except for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`); every URL,
//!   redirects included, is checked. Redirects are followed by hand (at most 5); the token is
//!   sent only to the feed's own host.
//! - A token (GitHub Packages, Azure DevOps PAT) goes as HTTP basic auth (`alkit:<token>`).
//!   It is never printed, never put in an error, never written to the lock file.
//! - Retries: HTTP 5xx, 429, timeouts and connection failures are retried with exponential
//!   backoff; 404 means "not on this feed"; other statuses fail at once. Every error names
//!   the feed, the package and the status.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use runtime_pack::nuget::{NuGetVersion, PackageSource, SourceError, redact_url};

/// Largest response accepted (the zip limits cap the nupkg itself at the same size).
const MAX_BODY: u64 = 1 << 30;

/// Settings of a feed client.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Timeout of one request (connect + response + body).
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff (doubled after each retry).
    pub backoff: Duration,
    /// Show a progress bar on downloads (only when stderr is a terminal).
    pub progress: bool,
}

/// One NuGet v3 feed.
pub struct HttpFeed {
    index_url: String,
    token: Option<String>,
    agent: ureq::Agent,
    settings: HttpSettings,
    base: Option<String>,
    /// The search endpoint (`SearchQueryService`), read with `base`; `None` when the
    /// index has none.
    search: Option<String>,
    cache: Option<PathBuf>,
}

/// Whether `url` may be fetched: `https://`, or `http://` to a loopback host.
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split('/').next().unwrap_or_default();
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Ok(());
        }
    }
    Err(format!(
        "{}: only https:// feeds are allowed (http:// only to loopback)",
        redact_url(url)
    ))
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((s, rest)) => format!("{s}://{}", rest.split('/').next().unwrap_or_default()),
        None => String::new(),
    }
}

/// Standard base64 (RFC 4648, with padding), for the Basic credentials.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// What one attempt gave.
enum Attempt {
    Body(Vec<u8>),
    NotFound,
    Retry(String),
    Fail(String),
}

impl HttpFeed {
    /// A client for the feed whose service index is `index_url`. `cache`: a folder where
    /// downloaded nupkgs are kept (`<id-lower>/<version>.nupkg`) and read back.
    pub fn new(
        index_url: &str,
        token: Option<String>,
        settings: HttpSettings,
        cache: Option<PathBuf>,
    ) -> Result<Self, String> {
        check_url(index_url)?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("alkit/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Self {
            index_url: index_url.to_owned(),
            token: token.filter(|t| !t.is_empty()),
            agent,
            settings,
            base: None,
            search: None,
            cache,
        })
    }

    fn one_attempt(&self, url: &str, what: &str, progress: bool) -> Attempt {
        let feed = redact_url(&self.index_url);
        let mut url = url.to_owned();
        for _ in 0..6 {
            if let Err(e) = check_url(&url) {
                return Attempt::Fail(format!("feed {feed}: {what}: {e}"));
            }
            let mut req = self.agent.get(&url);
            if let Some(t) = &self.token
                && origin(&url).eq_ignore_ascii_case(&origin(&self.index_url))
            {
                req = req.header(
                    "Authorization",
                    format!("Basic {}", base64(format!("alkit:{t}").as_bytes())),
                );
            }
            let mut resp = match req.call() {
                Ok(r) => r,
                Err(ureq::Error::Timeout(_)) => {
                    return Attempt::Retry(format!(
                        "feed {feed}: {what}: timed out after {:?}",
                        self.settings.timeout
                    ));
                }
                Err(e) => {
                    let m = format!("feed {feed}: {what}: {e}");
                    return match e {
                        ureq::Error::Io(_)
                        | ureq::Error::ConnectionFailed
                        | ureq::Error::HostNotFound
                        | ureq::Error::Protocol(_) => Attempt::Retry(m),
                        _ => Attempt::Fail(m),
                    };
                }
            };
            let status = resp.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let Some(loc) = resp.headers().get("location").and_then(|v| v.to_str().ok()) else {
                    return Attempt::Fail(format!(
                        "feed {feed}: {what}: HTTP {status} without a Location"
                    ));
                };
                url = if loc.starts_with('/') {
                    format!("{}{loc}", origin(&url))
                } else {
                    loc.to_owned()
                };
                continue;
            }
            let fail = |m: &str| format!("feed {feed}: {what}: HTTP {status}{m}");
            match status {
                200 => {}
                404 => return Attempt::NotFound,
                401 | 403 => {
                    let hint = if self.token.is_some() {
                        " (the token was refused)"
                    } else {
                        " (the feed needs a token: --token-env VAR or \"tokenEnv\" in alkit-symbols.json)"
                    };
                    return Attempt::Fail(fail(hint));
                }
                429 | 500..=599 => return Attempt::Retry(fail("")),
                _ => return Attempt::Fail(fail("")),
            }
            let len = resp.body().content_length();
            let bar = (progress && self.settings.progress && std::io::stderr().is_terminal()).then(
                || {
                    let b = indicatif::ProgressBar::new(len.unwrap_or(0));
                    if let Ok(style) = indicatif::ProgressStyle::with_template(
                        "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
                    ) {
                        b.set_style(style);
                    }
                    b.set_message(what.to_owned());
                    b
                },
            );
            let mut reader = resp.body_mut().with_config().limit(MAX_BODY).reader();
            let mut data = Vec::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        data.extend_from_slice(buf.get(..n).unwrap_or_default());
                        if let Some(b) = &bar {
                            b.inc(n as u64);
                        }
                    }
                    Err(e) => {
                        if let Some(b) = &bar {
                            b.abandon();
                        }
                        return Attempt::Retry(format!("feed {feed}: {what}: {e}"));
                    }
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            return Attempt::Body(data);
        }
        Attempt::Fail(format!("feed {feed}: {what}: too many redirects"))
    }

    /// GET with retries: the body, `Ok(None)` on 404.
    fn get(&self, url: &str, what: &str, progress: bool) -> Result<Option<Vec<u8>>, SourceError> {
        let mut backoff = self.settings.backoff;
        let mut attempt = 0;
        loop {
            match self.one_attempt(url, what, progress) {
                Attempt::Body(b) => return Ok(Some(b)),
                Attempt::NotFound => return Ok(None),
                Attempt::Fail(m) => return Err(SourceError::Failed(m)),
                Attempt::Retry(m) => {
                    if attempt >= self.settings.retries {
                        let tries = attempt + 1;
                        return Err(SourceError::Failed(format!(
                            "{m} ({tries} attempt{})",
                            if tries == 1 { "" } else { "s" }
                        )));
                    }
                    attempt += 1;
                    std::thread::sleep(backoff);
                    backoff = backoff.saturating_mul(2);
                }
            }
        }
    }

    /// The flat-container base address (read from the service index once).
    fn base(&mut self) -> Result<String, SourceError> {
        if let Some(b) = &self.base {
            return Ok(b.clone());
        }
        let feed = redact_url(&self.index_url);
        let body = self
            .get(&self.index_url.clone(), "service index", false)?
            .ok_or_else(|| SourceError::Failed(format!("feed {feed}: service index: HTTP 404")))?;
        let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            SourceError::Failed(format!("feed {feed}: service index is not JSON: {e}"))
        })?;
        let base = json
            .get("resources")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
            .find(|r| {
                r.get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.eq_ignore_ascii_case("PackageBaseAddress/3.0.0"))
            })
            .and_then(|r| r.get("@id"))
            .and_then(|i| i.as_str())
            .ok_or_else(|| {
                SourceError::Failed(format!(
                    "feed {feed}: the service index has no PackageBaseAddress/3.0.0 resource"
                ))
            })?;
        check_url(base).map_err(|e| SourceError::Failed(format!("feed {feed}: {e}")))?;
        let base = base.trim_end_matches('/').to_owned();
        // The search endpoint, when the feed has one (`SearchQueryService`,
        // `SearchQueryService/3.0.0-beta`, `…/3.5.0`): used only to find an app by its id.
        self.search = json
            .get("resources")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
            .filter(|r| {
                r.get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.starts_with("SearchQueryService"))
            })
            .filter_map(|r| r.get("@id").and_then(|i| i.as_str()))
            .find(|u| check_url(u).is_ok())
            .map(ToOwned::to_owned);
        self.base = Some(base.clone());
        Ok(base)
    }
}

/// Where the cache keeps a nupkg.
fn cache_path(cache: &Path, id: &str, version: &NuGetVersion) -> PathBuf {
    cache
        .join(id.to_lowercase())
        .join(format!("{}.nupkg", version.normalized()))
}

impl PackageSource for HttpFeed {
    fn name(&self) -> String {
        redact_url(&self.index_url)
    }

    fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError> {
        let base = self.base()?;
        let lower = id.to_lowercase();
        let what = format!("package {id}");
        let Some(body) = self.get(&format!("{base}/{lower}/index.json"), &what, false)? else {
            return Ok(None);
        };
        let feed = redact_url(&self.index_url);
        let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            SourceError::Failed(format!(
                "feed {feed}: {what}: version list is not JSON: {e}"
            ))
        })?;
        let list = json
            .get("versions")
            .and_then(|v| v.as_array())
            .ok_or_else(|| {
                SourceError::Failed(format!("feed {feed}: {what}: no \"versions\" array"))
            })?;
        // Versions that do not parse (SemVer 2 labels beyond NuGet's) are skipped.
        Ok(Some(
            list.iter()
                .filter_map(|v| v.as_str()?.parse().ok())
                .collect(),
        ))
    }

    fn search(&mut self, query: &str) -> Result<Vec<String>, SourceError> {
        self.base()?;
        let Some(search) = self.search.clone() else {
            return Ok(Vec::new());
        };
        let feed = redact_url(&self.index_url);
        let what = format!("search for {query}");
        // The query is an app id or a package id: ASCII letters, digits, '-', '.', '_'.
        let q: String = query
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
            .collect();
        let sep = if search.contains('?') { '&' } else { '?' };
        let url = format!("{search}{sep}q={q}&prerelease=true&semVerLevel=2.0.0&take=100");
        let Some(body) = self.get(&url, &what, false)? else {
            return Ok(Vec::new());
        };
        let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            SourceError::Failed(format!("feed {feed}: {what}: the answer is not JSON: {e}"))
        })?;
        Ok(json
            .get("data")
            .and_then(|d| d.as_array())
            .into_iter()
            .flatten()
            .filter_map(|hit| hit.get("id").and_then(|i| i.as_str()))
            .map(ToOwned::to_owned)
            .collect())
    }

    fn download(&mut self, id: &str, version: &NuGetVersion) -> Result<Vec<u8>, SourceError> {
        if let Some(c) = &self.cache
            && let Ok(bytes) = std::fs::read(cache_path(c, id, version))
        {
            return Ok(bytes);
        }
        let base = self.base()?;
        let lower = id.to_lowercase();
        let v = version.normalized();
        let what = format!("package {id} {version}");
        let url = format!("{base}/{lower}/{v}/{lower}.{v}.nupkg");
        match self.get(&url, &what, true)? {
            Some(bytes) => Ok(bytes),
            None => Err(SourceError::NotFound(format!(
                "feed {}: {what}: HTTP 404",
                redact_url(&self.index_url)
            ))),
        }
    }
}

/// The local cache as a source (for `--offline` and for a second run with a lock file).
pub struct CacheSource {
    /// The cache folder.
    pub dir: PathBuf,
}

impl PackageSource for CacheSource {
    fn name(&self) -> String {
        format!("cache {}", self.dir.display())
    }

    fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError> {
        let Ok(rd) = std::fs::read_dir(self.dir.join(id.to_lowercase())) else {
            return Ok(None);
        };
        let vs: Vec<NuGetVersion> = rd
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_suffix(".nupkg")?.parse().ok()
            })
            .collect();
        Ok((!vs.is_empty()).then_some(vs))
    }

    fn download(&mut self, id: &str, version: &NuGetVersion) -> Result<Vec<u8>, SourceError> {
        let p = cache_path(&self.dir, id, version);
        std::fs::read(&p).map_err(|e| SourceError::NotFound(format!("{}: {e}", p.display())))
    }
}

/// Stores a nupkg in the cache.
pub fn store(cache: &Path, id: &str, version: &NuGetVersion, bytes: &[u8]) -> std::io::Result<()> {
    let p = cache_path(cache, id, version);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::output::write_atomic(&p, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_base64() {
        assert!(check_url("https://x/index.json").is_ok());
        assert!(check_url("http://127.0.0.1:8080/index.json").is_ok());
        assert!(check_url("http://localhost/index.json").is_ok());
        assert!(check_url("http://[::1]:9/index.json").is_ok());
        assert!(check_url("http://example.com/index.json").is_err());
        assert!(check_url("http://127.0.0.1.evil.com/").is_err());
        assert!(check_url("ftp://x").is_err());
        assert_eq!(base64(b"alkit:tok"), "YWxraXQ6dG9r");
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
