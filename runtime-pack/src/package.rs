//! The package model: kind, header, signature, entries, typed accessors.

use crate::container::{NavxHeader, read_container};
use crate::error::PackageError;
use crate::escape::CONTENT_TYPES;
use crate::signature::{NXSB_MAGIC, SignatureInfo, check_signature, locate_block};
use crate::symbols::{SymbolError, SymbolReference};
use crate::zipread::{Entry, EntryInfo, ReadLimits, ZipIndex, read_zip_entries};

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
    /// An ordinary zip/OPC package with AL source (`src/…` entries): what the compiler
    /// writes and a server publishes (it compiles the source).
    Normal,
    /// A zip/OPC package without AL source: manifest and `SymbolReference.json` (what
    /// `altool CreateSymbolPackage` and Microsoft's symbol feeds deliver). Dependents compile
    /// against it; a server cannot publish it as an extension (nothing to compile). AL-Go's
    /// rule: not `.NEA` and no source files.
    SymbolsOnly,
    /// A genuine BC runtime package (`.NEA` payload, opaque: never decrypted).
    Runtime,
    /// A ready-to-run wrapper around an embedded package.
    ReadyToRun,
}

impl PackageKind {
    /// `normal`, `symbols-only`, `runtime` or `ready-to-run`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::SymbolsOnly => "symbols-only",
            Self::Runtime => "runtime",
            Self::ReadyToRun => "ready-to-run",
        }
    }
}

/// The kind of a zip payload from its entry paths: [`PackageKind::Normal`] when any entry is
/// AL source (below `src/`), else [`PackageKind::SymbolsOnly`]. (A ready-to-run wrapper is
/// recognised afterwards by its manifest.)
fn zip_kind<'p>(mut paths: impl Iterator<Item = &'p str>) -> PackageKind {
    if paths.any(|p| p.starts_with(crate::escape::SOURCE_PREFIX)) {
        PackageKind::Normal
    } else {
        PackageKind::SymbolsOnly
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

/// Header, payload kind and trailer of a package file, checked: what every reader does before
/// looking inside the payload.
struct Frame {
    header: NavxHeader,
    /// Payload byte range in the file.
    payload: std::ops::Range<usize>,
    is_runtime: bool,
    signature: Option<SignatureInfo>,
    /// Runtime-package extra bytes after the payload.
    extra: usize,
}

impl Frame {
    fn read(file: &[u8], limits: &ReadLimits, depth: u32) -> Result<Self, PackageError> {
        if depth > limits.max_nesting {
            return Err(PackageError::NestingTooDeep {
                limit: limits.max_nesting,
            });
        }
        let container = read_container(file)?;
        let header = container.header;
        let payload = container.payload;
        let payload_end = file.len() - container.trailer.len();
        let payload_start = payload_end - payload.len();
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
        Ok(Self {
            header,
            payload: payload_start..payload_end,
            is_runtime,
            signature,
            extra,
        })
    }

    fn runtime_info(&self) -> Option<RuntimeInfo> {
        self.is_runtime.then_some(RuntimeInfo {
            nea_header: NEA_MAGIC,
            declared_length: self.header.content_length,
            extra_bytes: self.extra as u64,
        })
    }
}

/// Parses `readytorunappmanifest.json`.
fn ready_to_run_manifest(bytes: &[u8]) -> Result<ReadyToRunManifest, PackageError> {
    let text = al_manifest::text::decode(bytes)
        .map_err(|e| PackageError::ReadyToRun(format!("{READY_TO_RUN_MANIFEST}: {e}")))?;
    serde_json::from_str(text.text.trim_end_matches('\0'))
        .map_err(|e| PackageError::ReadyToRun(format!("{READY_TO_RUN_MANIFEST}: {e}")))
}

/// The entry of a ready-to-run wrapper that holds the app: the one the manifest names, else the
/// only `.app` entry.
fn embedded_app<'e, E>(
    manifest: &ReadyToRunManifest,
    entries: &'e [E],
    path: impl Fn(&E) -> &str,
) -> Result<&'e E, PackageError> {
    let find = |p: &str| {
        entries
            .iter()
            .find(|e| path(e) == p)
            .or_else(|| entries.iter().find(|e| path(e).eq_ignore_ascii_case(p)))
    };
    manifest
        .embedded_app_file_name
        .as_deref()
        .and_then(find)
        .or_else(|| {
            let mut apps = entries
                .iter()
                .filter(|e| path(e).to_ascii_lowercase().ends_with(".app"));
            match (apps.next(), apps.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
        .ok_or_else(|| PackageError::ReadyToRun("no embedded .app entry".to_owned()))
}

fn embedded_error(entry: &str) -> impl FnOnce(PackageError) -> PackageError + '_ {
    move |e| match e {
        e @ PackageError::NestingTooDeep { .. } => e,
        e => PackageError::Embedded {
            entry: entry.to_owned(),
            source: Box::new(e),
        },
    }
}

impl Package {
    /// Reads a package with the default [`ReadLimits`].
    pub fn read(file: &[u8]) -> Result<Self, PackageError> {
        Self::read_with_limits(file, &ReadLimits::default())
    }

    /// Reads a package: header, payload kind, signature block (digest checked), and for zip
    /// payloads every entry under `limits`. Any defect is an error.
    pub fn read_with_limits(file: &[u8], limits: &ReadLimits) -> Result<Self, PackageError> {
        Self::read_at_depth(file, &limits.for_file(file.len()), 1)
    }

    fn read_at_depth(file: &[u8], limits: &ReadLimits, depth: u32) -> Result<Self, PackageError> {
        let frame = Frame::read(file, limits, depth)?;
        let mut package = Package {
            kind: PackageKind::Normal,
            header: frame.header,
            runtime: frame.runtime_info(),
            signature: frame.signature,
            entries: Vec::new(),
            ready_to_run: None,
            file_len: file.len() as u64,
        };
        if frame.is_runtime {
            package.kind = PackageKind::Runtime;
            return Ok(package);
        }
        let payload = file.get(frame.payload).unwrap_or_default();
        package.entries = read_zip_entries(payload, limits)?;
        package.kind = zip_kind(package.entries.iter().map(|e| e.path.as_str()));
        if let Some(r2r) = package.entry(READY_TO_RUN_MANIFEST) {
            let manifest = ready_to_run_manifest(&r2r.data)?;
            let inner_entry = embedded_app(&manifest, &package.entries, |e| &e.path)?;
            let spent: u64 = package.entries.iter().map(|e| e.size).sum();
            let inner = Self::read_at_depth(&inner_entry.data, &limits.nested(spent), depth + 1)
                .map_err(embedded_error(&inner_entry.name))?;
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

    /// `NavxManifest.xml` as text, decoded by the one decoder ([`al_manifest::text::decode`]:
    /// UTF-8 with or without BOM, UTF-16 with BOM; BOM stripped). `None` for runtime packages,
    /// a missing entry or bytes that are not text ([`Package::manifest`] says why).
    pub fn manifest_xml(&self) -> Option<std::borrow::Cow<'_, str>> {
        let entry = self.app_package().entry(NAVX_MANIFEST)?;
        al_manifest::text::decode(&entry.data).ok().map(|d| d.text)
    }

    /// Parses `NavxManifest.xml` with [`al_manifest::NavxManifest::from_xml_bytes`] (any
    /// encoding the one decoder reads; bytes that are not text are an error). `None` when
    /// the package has no manifest, e.g. a runtime package.
    pub fn manifest(
        &self,
    ) -> Option<Result<al_manifest::NavxManifest, al_manifest::ManifestErrors>> {
        let entry = self.app_package().entry(NAVX_MANIFEST)?;
        Some(al_manifest::NavxManifest::from_xml_bytes(&entry.data))
    }

    /// The manifest mapped to the `app.json` model ([`al_manifest::NavxManifest::to_app_manifest`]).
    pub fn app_manifest(
        &self,
    ) -> Option<Result<al_manifest::AppManifest, al_manifest::ManifestErrors>> {
        self.manifest().map(|m| m.map(|m| m.to_app_manifest()))
    }

    /// `[Content_Types].xml` as text (decoded as [`Package::manifest_xml`]).
    pub fn content_types_xml(&self) -> Option<std::borrow::Cow<'_, str>> {
        let entry = self.app_package().entry(CONTENT_TYPES)?;
        al_manifest::text::decode(&entry.data).ok().map(|d| d.text)
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

/// A package read without inflating its entries: the same checks as [`Package::read`] on the
/// header, trailer, signature and zip directory (see [`ZipIndex`]), but entry data is inflated
/// only when asked for ([`LazyPackage::read_entry`], which checks size and CRC-32). Made for
/// commands that look at a few entries of a large package, such as `alkit inspect`.
///
/// A ready-to-run wrapper's embedded package is inflated and read lazily in turn.
///
/// ```
/// # fn demo(bytes: &[u8]) -> Result<(), runtime_pack::PackageError> {
/// let package = runtime_pack::LazyPackage::read(bytes)?;
/// let manifest = package.read_app_file(runtime_pack::NAVX_MANIFEST)?;
/// println!("{} entries, manifest {} bytes", package.entries().len(),
///          manifest.map_or(0, |m| m.len()));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct LazyPackage<'a> {
    kind: PackageKind,
    header: NavxHeader,
    signature: Option<SignatureInfo>,
    runtime: Option<RuntimeInfo>,
    file: std::borrow::Cow<'a, [u8]>,
    payload: std::ops::Range<usize>,
    index: ZipIndex,
    ready_to_run: Option<(ReadyToRunManifest, Box<LazyPackage<'static>>)>,
}

impl<'a> LazyPackage<'a> {
    /// Reads a package lazily with the default [`ReadLimits`].
    pub fn read(file: &'a [u8]) -> Result<Self, PackageError> {
        Self::read_with_limits(file, &ReadLimits::default())
    }

    /// Reads a package lazily: header, payload kind, signature block (digest checked) and the
    /// checked zip directory; for a ready-to-run wrapper also its manifest and embedded package.
    pub fn read_with_limits(file: &'a [u8], limits: &ReadLimits) -> Result<Self, PackageError> {
        Self::read_at_depth(
            std::borrow::Cow::Borrowed(file),
            &limits.for_file(file.len()),
            1,
        )
    }

    fn read_at_depth(
        file: std::borrow::Cow<'a, [u8]>,
        limits: &ReadLimits,
        depth: u32,
    ) -> Result<Self, PackageError> {
        let frame = Frame::read(&file, limits, depth)?;
        let mut package = LazyPackage {
            kind: PackageKind::Normal,
            header: frame.header,
            runtime: frame.runtime_info(),
            signature: frame.signature,
            payload: frame.payload.clone(),
            index: ZipIndex::default(),
            ready_to_run: None,
            file,
        };
        if frame.is_runtime {
            package.kind = PackageKind::Runtime;
            return Ok(package);
        }
        package.index = ZipIndex::new(package.zip(), limits)?;
        package.kind = zip_kind(package.entries().iter().map(|e| e.path.as_str()));
        if let Some(r2r) = package.entry(READY_TO_RUN_MANIFEST) {
            let manifest = ready_to_run_manifest(&package.read_entry(r2r)?)?;
            let inner_entry = embedded_app(&manifest, package.entries(), |e| &e.path)?;
            let inner_bytes = package.read_entry(inner_entry)?;
            let inner = LazyPackage::read_at_depth(
                std::borrow::Cow::Owned(inner_bytes),
                &limits.nested(package.index.total_size()),
                depth + 1,
            )
            .map_err(embedded_error(&inner_entry.name))?;
            package.kind = PackageKind::ReadyToRun;
            package.ready_to_run = Some((manifest, Box::new(inner)));
        }
        Ok(package)
    }

    fn zip(&self) -> &[u8] {
        self.file.get(self.payload.clone()).unwrap_or_default()
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
        self.file.len() as u64
    }

    /// Whether an NXSB signature block is present.
    pub fn is_signed(&self) -> bool {
        self.signature.is_some()
    }

    /// The signature block, if any.
    pub fn signature(&self) -> Option<&SignatureInfo> {
        self.signature.as_ref()
    }

    /// What is known about a runtime payload.
    pub fn runtime_info(&self) -> Option<&RuntimeInfo> {
        self.runtime.as_ref()
    }

    /// The zip entries (not inflated) of this package; for a ready-to-run wrapper, the
    /// wrapper's own entries.
    pub fn entries(&self) -> &[EntryInfo] {
        self.index.entries()
    }

    /// The entry whose package path is `path`; exact match first, then case-insensitive.
    pub fn entry(&self, path: &str) -> Option<&EntryInfo> {
        let entries = self.entries();
        entries
            .iter()
            .find(|e| e.path == path)
            .or_else(|| entries.iter().find(|e| e.path.eq_ignore_ascii_case(path)))
    }

    /// Inflates one of this package's [`entries`](LazyPackage::entries), checking its size and
    /// CRC-32.
    pub fn read_entry(&self, entry: &EntryInfo) -> Result<Vec<u8>, PackageError> {
        self.index.read(self.zip(), entry)
    }

    /// The wrapper manifest and the embedded package of a ready-to-run wrapper.
    pub fn ready_to_run(&self) -> Option<(&ReadyToRunManifest, &LazyPackage<'a>)> {
        self.ready_to_run.as_ref().map(|(m, p)| (m, p.as_ref()))
    }

    /// The package that carries the app: the embedded one for a ready-to-run wrapper
    /// (recursively), `self` otherwise.
    pub fn app_package(&self) -> &LazyPackage<'a> {
        match &self.ready_to_run {
            Some((_, inner)) => inner.app_package(),
            None => self,
        }
    }

    /// Inflates the app package's entry `path` (e.g. [`NAVX_MANIFEST`], [`SYMBOL_REFERENCE`]);
    /// `Ok(None)` when there is no such entry (always for runtime packages).
    pub fn read_app_file(&self, path: &str) -> Result<Option<Vec<u8>>, PackageError> {
        let app = self.app_package();
        app.entry(path).map(|e| app.read_entry(e)).transpose()
    }
}
