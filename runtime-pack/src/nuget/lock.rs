//! The lock file: which package versions a fetch chose, with digests, so that the next
//! fetch is reproducible and can run offline.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::NuGetError;

/// The lock file's format version.
pub const LOCK_VERSION: u32 = 1;

/// One locked package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockedPackage {
    /// The package id as the feed spells it.
    pub id: String,
    /// The version chosen.
    pub version: String,
    /// SHA-256 of the `.nupkg`, lower-case hex.
    pub sha256: String,
    /// The feed it came from (URL without credentials, query or fragment).
    pub feed: String,
    /// The `.app` files extracted from it.
    #[serde(default)]
    pub apps: Vec<LockedApp>,
}

/// One extracted `.app` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockedApp {
    /// File name in the output folder.
    pub file: String,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
}

/// The lock file (`alkit-symbols.lock.json`). Holds no credentials: feeds are stored as
/// [`redact_url`] leaves them.
///
/// ```
/// use runtime_pack::nuget::{LockFile, LockedPackage};
/// let mut lock = LockFile::default();
/// lock.packages.push(LockedPackage { id: "A.B".into(), version: "1.0.0.0".into(),
///     sha256: runtime_pack::nuget::sha256_hex(b"x"), feed: "https://f/index.json".into(), apps: vec![] });
/// let text = lock.to_json();
/// assert_eq!(LockFile::from_json(&text).unwrap(), lock);
/// assert!(lock.find("a.b").is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockFile {
    /// [`LOCK_VERSION`].
    pub version: u32,
    /// The packages, sorted by id (case-insensitive).
    pub packages: Vec<LockedPackage>,
}

impl Default for LockFile {
    fn default() -> Self {
        Self {
            version: LOCK_VERSION,
            packages: Vec::new(),
        }
    }
}

impl LockFile {
    /// Parses a lock file; an unknown format version is an error.
    pub fn from_json(text: &str) -> Result<Self, NuGetError> {
        let lock: Self = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| NuGetError::Lock(e.to_string()))?;
        if lock.version != LOCK_VERSION {
            return Err(NuGetError::Lock(format!(
                "lock file version {} (this alkit reads {LOCK_VERSION})",
                lock.version
            )));
        }
        Ok(lock)
    }

    /// The JSON text (packages sorted by id), ending with a newline.
    pub fn to_json(&self) -> String {
        let mut sorted = self.clone();
        sorted.packages.sort_by_key(|a| a.id.to_lowercase());
        let mut s = serde_json::to_string_pretty(&sorted).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The locked package with this id (case-insensitive).
    pub fn find(&self, id: &str) -> Option<&LockedPackage> {
        self.packages.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }
}

/// Lower-case hex SHA-256 of `bytes`.
///
/// ```
/// assert_eq!(&runtime_pack::nuget::sha256_hex(b"")[..8], "e3b0c442");
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A URL without user information, query or fragment (where tokens hide).
///
/// ```
/// use runtime_pack::nuget::redact_url;
/// assert_eq!(redact_url("https://user:secret@host/v3/index.json?code=x#y"), "https://host/v3/index.json");
/// ```
pub fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = match rest.find('/') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    }
}
