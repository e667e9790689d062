//! The package model: kind, header, signature, entries, typed accessors.

use crate::container::{NavxHeader, read_container};
use crate::error::PackageError;
use crate::escape::CONTENT_TYPES;
use crate::signature::{NXSB_MAGIC, SignatureInfo, check_signature, locate_block};
use crate::symbols::{SymbolError, SymbolReference};
use crate::zipread::{Entry, ReadLimits, read_zip_entries};

/// First 8 bytes of a genuine BC runtime (`.NEA`) payload.
pub const NEA_MAGIC: [u8; 8] = *b".NEA\x00\x00\x00\x01";
/// Zip local-file-header signature.
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";
/// Extra container bytes that follow the header-declared length in runtime packages.
pub const NEA_EXTRA_BYTES: usize = 8;
/// Name of the entry that marks a ready-to-run wrapper.
pub const READY_TO_RUN_MANIFEST: &str = "readytorunappmanifest.json";
/// Name of the manifest entry.
pub const NAVX_MANIFEST: &str = "NavxManifest.xml";
/// Name of the symbols entry.
pub const SYMBOL_REFERENCE: &str = "SymbolReference.json";

/// What the payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// An ordinary zip/OPC package.
    Normal,
    /// A genuine BC runtime package (`.NEA` payload, opaque: never decrypted).
    Runtime,
    /// A ready-to-run wrapper around an embedded package.
    ReadyToRun,
}

impl PackageKind {
    /// `normal`, `runtime` or `ready-to-run`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Runtime => "runtime",
            Self::ReadyToRun => "ready-to-run",
        }
    }
}

impl std::fmt::Display for PackageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is known about a `.NEA` runtime payload without decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeInfo {
    /// The first 8 payload bytes (`.NEA` + `00 00 00 01`).
    pub nea_header: [u8; 8],
    /// Payload length declared in the NAVX header.
    pub declared_length: u64,
    /// Bytes after the declared payload that belong to the `.NEA` container (8 in the known
    /// sample, 0 if the file ends there).
    pub extra_bytes: u64,
}

/// The `readytorunappmanifest.json` of a ready-to-run wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReadyToRunManifest {
    /// Embedded app id.
    #[serde(default)]
    pub embedded_app_id: Option<String>,
    /// Embedded app name.
    #[serde(default)]
    pub embedded_app_name: Option<String>,
    /// Embedded app publisher.
    #[serde(default)]
    pub embedded_app_publisher: Option<String>,
    /// Embedded app version.
    #[serde(default)]
    pub embedded_app_version: Option<String>,
    /// Entry name of the embedded `.app`.
    #[serde(default)]
    pub embedded_app_file_name: Option<String>,
}

/// A fully read and validated package.
///
/// ```
/// # fn demo(bytes: &[u8]) -> Result<(), runtime_pack::PackageError> {
/// let package = runtime_pack::Package::read(bytes)?;
/// println!("{} signed={}", package.kind(), package.is_signed());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Package {
    kind: PackageKind,
    header: NavxHeader,
    signature: Option<SignatureInfo>,
    entries: Vec<Entry>,
    runtime: Option<RuntimeInfo>,
    ready_to_run: Option<(ReadyToRunManifest, Box<Package>)>,
    file_len: u64,
}

impl Package {
    /// Reads a package with the default [`ReadLimits`].
    pub fn read(file: &[u8]) -> Result<Self, PackageError> {
        Self::read_with_limits(file, &ReadLimits::default())
    }

    /// Reads a package: header, payload kind, signature block (digest checked), and for zip
    /// payloads every entry under `limits`. Any defect is an error.
    pub fn read_with_limits(file: &[u8], limits: &ReadLimits) -> Result<Self, PackageError> {
        Self::read_at_depth(file, limits, 1)
    }

    fn read_at_depth(file: &[u8], limits: &ReadLimits, depth: u32) -> Result<Self, PackageError> {
        if depth > limits.max_nesting {
            return Err(PackageError::NestingTooDeep {
                limit: limits.max_nesting,
            });
        }
        let container = read_container(file)?;
        let header = container.header;
        let payload = container.payload;
        let payload_end = file.len() - container.trailer.len();
        let is_runtime = payload.starts_with(&NEA_MAGIC);
        if !is_runtime && !payload.starts_with(&ZIP_MAGIC) {
            return Err(PackageError::UnknownPayload {
                first_bytes: payload.iter().take(8).copied().collect(),
            });
        }

        // Trailer: nothing, runtime extra bytes, and/or a signature block.
        let trailer_err = |offset: usize| PackageError::TrailingData {
            offset: offset as u64,
            len: (file.len() - offset) as u64,
        };
        let (signature, extra) = match locate_block(file, payload_end)? {
            None if container.trailer.is_empty() => (None, 0),
            None if is_runtime && container.trailer.len() == NEA_EXTRA_BYTES => {
                (None, NEA_EXTRA_BYTES)
            }
            None if container.trailer.starts_with(&NXSB_MAGIC) => {
                return Err(PackageError::TruncatedSignature {
                    offset: payload_end as u64,
                });
            }
            None => return Err(trailer_err(payload_end)),
            Some((offset, der)) => {
                let extra = offset.checked_sub(payload_end);
                let allowed = match extra {
                    Some(0) => true,
                    Some(NEA_EXTRA_BYTES) => is_runtime,
                    _ => false,
                };
                if !allowed {
                    let expected = if is_runtime
                        && file
                            .get(payload_end + NEA_EXTRA_BYTES..)
                            .is_some_and(|t| t.starts_with(&NXSB_MAGIC))
                    {
                        payload_end + NEA_EXTRA_BYTES
                    } else {
                        payload_end
                    };
                    return Err(PackageError::SignatureOffsetMismatch {
                        expected: expected as u64,
                        found: offset as u64,
                    });
                }
                (
                    Some(check_signature(file, offset, der)?),
                    extra.unwrap_or(0),
                )
            }
        };

        let mut package = Package {
            kind: PackageKind::Normal,
            header,
            signature,
            entries: Vec::new(),
            runtime: None,
            ready_to_run: None,
            file_len: file.len() as u64,
        };
        if is_runtime {
            package.kind = PackageKind::Runtime;
            package.runtime = Some(RuntimeInfo {
                nea_header: NEA_MAGIC,
                declared_length: header.content_length,
                extra_bytes: extra as u64,
            });
            return Ok(package);
        }
        package.entries = read_zip_entries(payload, limits)?;
        if let Some(r2r) = package.entry(READY_TO_RUN_MANIFEST) {
            let text = r2r.text().ok_or_else(|| {
                PackageError::ReadyToRun(format!("{READY_TO_RUN_MANIFEST} is not UTF-8"))
            })?;
            let manifest: ReadyToRunManifest = serde_json::from_str(text.trim_end_matches('\0'))
                .map_err(|e| PackageError::ReadyToRun(format!("{READY_TO_RUN_MANIFEST}: {e}")))?;
            let inner_entry = manifest
                .embedded_app_file_name
                .as_deref()
                .and_then(|n| package.entry(n))
                .or_else(|| {
                    let mut apps = package
                        .entries
                        .iter()
                        .filter(|e| e.path.to_ascii_lowercase().ends_with(".app"));
                    match (apps.next(), apps.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                })
                .ok_or_else(|| PackageError::ReadyToRun("no embedded .app entry".to_owned()))?;
            let inner =
                Self::read_at_depth(&inner_entry.data, limits, depth + 1).map_err(|e| match e {
                    e @ PackageError::NestingTooDeep { .. } => e,
                    e => PackageError::Embedded {
                        entry: inner_entry.name.clone(),
                        source: Box::new(e),
                    },
                })?;
            package.kind = PackageKind::ReadyToRun;
            package.ready_to_run = Some((manifest, Box::new(inner)));
        }
        Ok(package)
    }

    /// The payload kind.
    pub fn kind(&self) -> PackageKind {
        self.kind
    }

    /// The NAVX header.
    pub fn header(&self) -> &NavxHeader {
        &self.header
    }

    /// File length in bytes.
    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    /// Whether an NXSB signature block is present (see [`Package::signature`] for the digest).
    pub fn is_signed(&self) -> bool {
        self.signature.is_some()
    }

    /// The signature block, if any.
    pub fn signature(&self) -> Option<&SignatureInfo> {
        self.signature.as_ref()
    }

    /// The zip entries of this package (empty for runtime packages; for a ready-to-run wrapper,
    /// the wrapper's own entries).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry whose package path (un-escaped) is `path`; exact match first, then
    /// case-insensitive.
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.path.eq_ignore_ascii_case(path))
        })
    }

    /// What is known about a runtime payload.
    pub fn runtime_info(&self) -> Option<&RuntimeInfo> {
        self.runtime.as_ref()
    }

    /// The wrapper manifest and the embedded package of a ready-to-run wrapper.
    pub fn ready_to_run(&self) -> Option<(&ReadyToRunManifest, &Package)> {
        self.ready_to_run.as_ref().map(|(m, p)| (m, p.as_ref()))
    }

    /// The package that carries the app: the embedded one for a ready-to-run wrapper (recursively),
    /// `self` otherwise. The content accessors below read from it.
    pub fn app_package(&self) -> &Package {
        match &self.ready_to_run {
            Some((_, inner)) => inner.app_package(),
            None => self,
        }
    }

    /// `NavxManifest.xml` as text (BOM stripped). `None` for runtime packages, a missing entry or
    /// non-UTF-8 content.
    pub fn manifest_xml(&self) -> Option<&str> {
        self.app_package().entry(NAVX_MANIFEST)?.text()
    }

    /// Parses `NavxManifest.xml` with [`al_manifest::NavxManifest::from_xml`]. `None` when the
    /// package has no (UTF-8) manifest, e.g. a runtime package.
    pub fn manifest(
        &self,
    ) -> Option<Result<al_manifest::NavxManifest, al_manifest::ManifestErrors>> {
        self.manifest_xml().map(al_manifest::NavxManifest::from_xml)
    }

    /// The manifest mapped to the `app.json` model ([`al_manifest::NavxManifest::to_app_manifest`]).
    pub fn app_manifest(
        &self,
    ) -> Option<Result<al_manifest::AppManifest, al_manifest::ManifestErrors>> {
        self.manifest().map(|m| m.map(|m| m.to_app_manifest()))
    }

    /// `[Content_Types].xml` as text.
    pub fn content_types_xml(&self) -> Option<&str> {
        self.app_package().entry(CONTENT_TYPES)?.text()
    }

    /// The raw bytes of `SymbolReference.json`.
    pub fn symbol_reference_bytes(&self) -> Option<&[u8]> {
        Some(&self.app_package().entry(SYMBOL_REFERENCE)?.data)
    }

    /// Parses `SymbolReference.json`; `Ok(None)` when the package has none.
    pub fn symbol_reference(&self) -> Result<Option<SymbolReference>, SymbolError> {
        self.symbol_reference_bytes()
            .map(SymbolReference::from_slice)
            .transpose()
    }

    /// The AL source entries (`src/…`), with un-escaped paths.
    pub fn source_files(&self) -> impl Iterator<Item = &Entry> {
        self.app_package()
            .entries
            .iter()
            .filter(|e| e.path.starts_with(crate::escape::SOURCE_PREFIX))
    }
}
