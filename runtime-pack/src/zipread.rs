//! Safe reading of the zip payload: name checks, duplicates, entry-count, size and ratio limits.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::error::{PackageError, UnsafeNameReason};
use crate::escape::unescape_part_name;

/// Limits applied while reading a package (zip-bomb and resource protection).
///
/// ```
/// let mut limits = runtime_pack::ReadLimits::default();
/// limits.max_entries = 1_000;
/// assert_eq!(limits.max_compression_ratio, 200);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadLimits {
    /// Maximum number of zip entries (default 100,000).
    pub max_entries: u64,
    /// Maximum total uncompressed size of all entries, in bytes (default 1 GiB). A package
    /// read by [`Package::read_with_limits`](crate::Package::read_with_limits) or
    /// [`LazyPackage::read_with_limits`](crate::LazyPackage::read_with_limits) counts the
    /// entries of every nesting level against one budget: this, or
    /// [`max_total_ratio`](Self::max_total_ratio) times the file's size if that is less.
    pub max_total_size: u64,
    /// Maximum total uncompressed size of a package as a multiple of its file's size
    /// (default 25; never less than [`TOTAL_SIZE_FLOOR`]): one budget for the whole
    /// package, nested packages included, so a small file cannot inflate to gigabytes
    /// through many entries each below the ratio check (a 1.2 MB package took 1 GB).
    /// Real packages inflate to well under ten times their size.
    pub max_total_ratio: u64,
    /// Maximum uncompressed/compressed ratio of one entry (default 200). Real packages stay far
    /// below (text compresses about 5–30×); deflate cannot exceed about 1032.
    pub max_compression_ratio: u64,
    /// Entries whose uncompressed size is at most this many bytes are exempt from the ratio check
    /// (default 1 MiB): a small file of zeros is not a bomb.
    pub ratio_exempt_size: u64,
    /// Maximum nesting of ready-to-run wrappers (default 2: a wrapper and its embedded app).
    pub max_nesting: u32,
    /// Uncompressed bytes the outer levels of a nested package have already declared
    /// (counted against `max_total_size` with this level's).
    pub(crate) spent: u64,
}

/// The least total budget [`ReadLimits::max_total_ratio`] gives (64 MiB): a small package
/// may hold a few files of zeros.
pub const TOTAL_SIZE_FLOOR: u64 = 64 << 20;

impl ReadLimits {
    /// These limits for a package file of `file_len` bytes: the total budget
    /// ([`ReadLimits::max_total_size`]) lowered to [`ReadLimits::max_total_ratio`] times
    /// the file's size, but not below [`TOTAL_SIZE_FLOOR`].
    pub(crate) fn for_file(&self, file_len: usize) -> ReadLimits {
        let by_ratio = (file_len as u64)
            .saturating_mul(self.max_total_ratio)
            .max(TOTAL_SIZE_FLOOR);
        ReadLimits {
            max_total_size: self.max_total_size.min(by_ratio),
            ..self.clone()
        }
    }

    /// These limits for a package nested in one whose levels declared `spent` bytes.
    pub(crate) fn nested(&self, spent: u64) -> ReadLimits {
        ReadLimits {
            spent: self.spent.saturating_add(spent),
            ..self.clone()
        }
    }
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_total_size: 1 << 30,
            max_total_ratio: 25,
            max_compression_ratio: 200,
            ratio_exempt_size: 1 << 20,
            max_nesting: 2,
            spent: 0,
        }
    }
}

/// One file in the package's zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name as stored in the zip (escaped).
    pub name: String,
    /// The package path: the name un-escaped (twice under `src/`).
    pub path: String,
    /// Compressed size in bytes.
    pub compressed_size: u64,
    /// Uncompressed size in bytes (= `data.len()`).
    pub size: u64,
    /// The uncompressed bytes.
    pub data: Vec<u8>,
}

impl Entry {
    /// The content as text, decoded by the one decoder ([`al_manifest::text::decode`]:
    /// UTF-8 with or without BOM, UTF-16 with BOM), without its BOM. `None` if it is not
    /// text.
    pub fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        al_manifest::text::decode(&self.data).ok().map(|d| d.text)
    }
}

/// Checks that a name (stored or un-escaped) cannot leave the extraction directory.
fn check_path(name: &str) -> Result<(), UnsafeNameReason> {
    if name.is_empty() {
        return Err(UnsafeNameReason::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(UnsafeNameReason::ControlCharacter);
    }
    if name.contains('\\') {
        return Err(UnsafeNameReason::Backslash);
    }
    if name.starts_with('/') {
        return Err(UnsafeNameReason::Absolute);
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err(UnsafeNameReason::Drive);
    }
    // Empty segments (`a//b`) occur in real ready-to-run wrappers
    // (`publishedartifacts/file:///S:/…`); they are harmless once skipped.
    if name.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(UnsafeNameReason::Traversal);
    }
    if name.split('/').all(str::is_empty) {
        return Err(UnsafeNameReason::Empty);
    }
    Ok(())
}

/// The key under which two paths collide: lower-case, empty segments dropped.
fn duplicate_key(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments.join("/").to_lowercase()
}

/// Validates a stored entry name and returns its un-escaped package path.
pub(crate) fn checked_path(name: &str) -> Result<String, PackageError> {
    let unsafe_name = |reason| PackageError::UnsafeEntryName {
        name: name.to_owned(),
        reason,
    };
    check_path(name).map_err(unsafe_name)?;
    let path = unescape_part_name(name).ok_or_else(|| unsafe_name(UnsafeNameReason::BadEscape))?;
    check_path(&path).map_err(unsafe_name)?;
    Ok(path)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(*b.get(at..)?.first_chunk::<2>()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(*b.get(at..)?.first_chunk::<4>()?))
}

/// Compression methods a package entry may use.
const METHOD_STORED: u16 = 0;
const METHOD_DEFLATE: u16 = 8;

/// One entry as listed by the central directory, checked but not inflated (see
/// [`ZipIndex`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// The name as stored in the zip (escaped).
    pub name: String,
    /// The package path: the name un-escaped (twice under `src/`).
    pub path: String,
    /// Compressed size in bytes.
    pub compressed_size: u64,
    /// Uncompressed size declared by the central directory (checked against the data when the
    /// entry is inflated).
    pub size: u64,
    /// CRC-32 declared by the central directory.
    pub crc32: u32,
    method: u16,
    /// Offset of the compressed data in the zip.
    data_start: usize,
}

/// The checked central directory of a zip payload: every entry's name, sizes and data location,
/// nothing inflated.
///
/// Building it applies every check that does not need the data: the entry-count limit; safe,
/// unique names (checked before and after un-escaping, duplicates case-insensitive); only stored
/// or deflated, unencrypted, non-zip64 entries; declared sizes within the total-size and ratio
/// limits; every local header present where the directory says, with the same name, and its data
/// inside the payload, before the central directory and overlapping no other entry (truncated
/// payloads and overlapping "zip bombs" are refused). [`ZipIndex::read`] then inflates one entry
/// and checks that the data has exactly the declared size and CRC-32.
///
/// ```
/// # fn demo(zip: &[u8]) -> Result<(), runtime_pack::PackageError> {
/// let limits = runtime_pack::ReadLimits::default();
/// let index = runtime_pack::ZipIndex::new(zip, &limits)?;
/// if let Some(e) = index.entries().iter().find(|e| e.path == "NavxManifest.xml") {
///     let bytes = index.read(zip, e)?;
///     assert_eq!(bytes.len() as u64, e.size);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ZipIndex {
    entries: Vec<EntryInfo>,
}

fn bad(m: impl Into<String>) -> PackageError {
    PackageError::MalformedZip(m.into())
}

/// Signature of the end-of-central-directory record.
const EOCD: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
/// Signature of a central directory file header.
const CDH: [u8; 4] = [0x50, 0x4B, 0x01, 0x02];
/// Signature of a local file header.
const LFH: [u8; 4] = [0x50, 0x4B, 0x03, 0x04];

/// Where the central directory lies, as the end-of-central-directory record declares it.
struct CentralDirectory<'z> {
    /// Number of entries the EOCD declares.
    count: u16,
    /// Offset of the central directory in the payload (entry data must end before it).
    start: usize,
    /// The central directory's bytes.
    bytes: &'z [u8],
}

/// Finds the EOCD record, refuses zip64 and too many entries, and locates the central directory
/// inside the payload, before the EOCD.
fn central_directory<'z>(
    zip: &'z [u8],
    limits: &ReadLimits,
) -> Result<CentralDirectory<'z>, PackageError> {
    let min = zip.len().saturating_sub(22 + 0xFFFF);
    let eocd = (min..=zip.len().saturating_sub(22))
        .rev()
        .find(|&i| zip.get(i..i + 4) == Some(&EOCD[..]))
        .ok_or_else(|| bad("no end-of-central-directory record (truncated payload?)"))?;
    let count = u16_at(zip, eocd + 10).ok_or_else(|| bad("short EOCD"))?;
    let cd_size = u32_at(zip, eocd + 12).ok_or_else(|| bad("short EOCD"))?;
    let cd_offset = u32_at(zip, eocd + 16).ok_or_else(|| bad("short EOCD"))?;
    if count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        return Err(bad("zip64 archives are not supported in packages"));
    }
    if u64::from(count) > limits.max_entries {
        return Err(PackageError::TooManyEntries {
            count: u64::from(count),
            limit: limits.max_entries,
        });
    }
    let cd_start = cd_offset as usize;
    let cd_end = cd_start
        .checked_add(cd_size as usize)
        .filter(|&e| e <= eocd)
        .ok_or_else(|| bad("central directory outside the payload"))?;
    let bytes = zip
        .get(cd_start..cd_end)
        .ok_or_else(|| bad("central directory outside the payload"))?;
    Ok(CentralDirectory {
        count,
        start: cd_start,
        bytes,
    })
}

/// The fields of one central directory file header that the checks use.
struct CdHeader<'z> {
    /// General purpose bit flags (bit 0: encrypted).
    flags: u16,
    /// Compression method.
    method: u16,
    /// Declared CRC-32.
    crc32: u32,
    /// Declared compressed size.
    csize: u32,
    /// Declared uncompressed size.
    usize_: u32,
    /// Offset of the local header.
    local: usize,
    /// The stored name bytes.
    raw: &'z [u8],
}

/// Reads the central directory header at `at` of `cd` (signature checked) and returns it with
/// the offset of the next header.
fn cd_header(cd: &[u8], at: usize) -> Result<(CdHeader<'_>, usize), PackageError> {
    if cd.get(at..at + 4) != Some(&CDH[..]) {
        return Err(bad("bad central directory header signature"));
    }
    let short = || bad("short central directory header");
    let flags = u16_at(cd, at + 8).ok_or_else(short)?;
    let method = u16_at(cd, at + 10).ok_or_else(short)?;
    let crc32 = u32_at(cd, at + 16).ok_or_else(short)?;
    let csize = u32_at(cd, at + 20).ok_or_else(short)?;
    let usize_ = u32_at(cd, at + 24).ok_or_else(short)?;
    let name_len = usize::from(u16_at(cd, at + 28).ok_or_else(short)?);
    let extra_len = usize::from(u16_at(cd, at + 30).ok_or_else(short)?);
    let comment_len = usize::from(u16_at(cd, at + 32).ok_or_else(short)?);
    let local = u32_at(cd, at + 42).ok_or_else(short)? as usize;
    let raw = cd
        .get(at + 46..at + 46 + name_len)
        .ok_or_else(|| bad("entry name runs past the central directory"))?;
    let next = at + 46 + name_len + extra_len + comment_len;
    let header = CdHeader {
        flags,
        method,
        crc32,
        csize,
        usize_,
        local,
        raw,
    };
    Ok((header, next))
}

/// Refuses an entry whose (case-insensitive, un-escaped) path was already seen; otherwise
/// remembers it under `name`.
fn check_duplicate(
    seen: &mut HashMap<String, String>,
    path: &str,
    name: &str,
) -> Result<(), PackageError> {
    let key = duplicate_key(path);
    if let Some(first) = seen.get(&key) {
        return Err(PackageError::DuplicateEntry {
            name: name.to_owned(),
            first: first.clone(),
        });
    }
    seen.insert(key, name.to_owned());
    Ok(())
}

/// Refuses zip64 fields, encryption, compression methods other than stored and deflate, and
/// stored entries whose two sizes differ.
fn check_entry_format(h: &CdHeader<'_>, name: &str) -> Result<(), PackageError> {
    if h.csize == 0xFFFF_FFFF || h.usize_ == 0xFFFF_FFFF || h.local == 0xFFFF_FFFF {
        return Err(bad(format!("entry `{name}` needs zip64, not supported")));
    }
    if h.flags & 1 != 0 {
        return Err(bad(format!("entry `{name}` is encrypted")));
    }
    let method = h.method;
    if method != METHOD_STORED && method != METHOD_DEFLATE {
        return Err(bad(format!(
            "entry `{name}` uses compression method {method} (only stored and deflate are supported)"
        )));
    }
    let (compressed, size) = (u64::from(h.csize), u64::from(h.usize_));
    if method == METHOD_STORED && compressed != size {
        return Err(bad(format!(
            "stored entry `{name}` declares {size} bytes but holds {compressed}"
        )));
    }
    Ok(())
}

/// Checks the declared sizes against the ratio limit and adds them to `total`, which must stay
/// within the total-size limit (the data is checked against them when inflated).
fn check_declared_size(
    h: &CdHeader<'_>,
    name: &str,
    total: &mut u64,
    limits: &ReadLimits,
) -> Result<(), PackageError> {
    let (compressed, size) = (u64::from(h.csize), u64::from(h.usize_));
    let ratio_cap = compressed
        .max(1)
        .saturating_mul(limits.max_compression_ratio)
        .max(limits.ratio_exempt_size);
    if size > ratio_cap {
        return Err(PackageError::CompressionRatioExceeded {
            entry: name.to_owned(),
            uncompressed: size,
            compressed,
            limit: limits.max_compression_ratio,
        });
    }
    *total = total.saturating_add(size);
    if total.saturating_add(limits.spent) > limits.max_total_size {
        return Err(PackageError::TotalSizeExceeded {
            entry: name.to_owned(),
            limit: limits.max_total_size,
        });
    }
    Ok(())
}

/// Checks the local header (where the directory says, same name) and returns where the entry's
/// data starts and ends; the data must end before the central directory at `cd_start`.
fn local_data_span(
    zip: &[u8],
    h: &CdHeader<'_>,
    name: &str,
    cd_start: usize,
) -> Result<(usize, usize), PackageError> {
    let local = h.local;
    if zip.get(local..local + 4) != Some(&LFH[..]) {
        return Err(bad(format!(
            "entry `{name}`: no local header at offset {local} (truncated payload?)"
        )));
    }
    let short_local = || bad(format!("entry `{name}`: truncated local header"));
    let local_name_len = usize::from(u16_at(zip, local + 26).ok_or_else(short_local)?);
    let local_extra_len = usize::from(u16_at(zip, local + 28).ok_or_else(short_local)?);
    if zip.get(local + 30..local + 30 + local_name_len) != Some(h.raw) {
        return Err(bad(format!(
            "entry `{name}`: the local header names a different file"
        )));
    }
    let data_start = local + 30 + local_name_len + local_extra_len;
    let data_end = data_start
        .checked_add(h.csize as usize)
        .filter(|&e| e <= cd_start)
        .ok_or_else(|| {
            bad(format!(
                "entry `{name}` runs past the start of the central directory (truncated payload?)"
            ))
        })?;
    Ok((data_start, data_end))
}

/// Refuses entries that share bytes (overlapping entries expand the same data many times).
/// `spans` holds (local header offset, end of data, index into `names`) of every record.
fn check_overlaps(
    spans: &mut [(usize, usize, usize)],
    names: &[String],
) -> Result<(), PackageError> {
    spans.sort_unstable();
    for pair in spans.windows(2) {
        if let [(_, end, a), (start, _, b)] = pair
            && start < end
        {
            let name = |i: &usize| names.get(*i).cloned().unwrap_or_default();
            return Err(bad(format!(
                "entries `{}` and `{}` overlap",
                name(a),
                name(b)
            )));
        }
    }
    Ok(())
}

impl ZipIndex {
    /// Reads and checks the central directory of `zip` under `limits`. Directory entries (names
    /// ending in `/`) are checked but not listed.
    pub fn new(zip: &[u8], limits: &ReadLimits) -> Result<Self, PackageError> {
        let cd = central_directory(zip, limits)?;
        let count = usize::from(cd.count);
        let mut entries = Vec::with_capacity(count);
        // (local header offset, end of data, entry name) of every record, for the overlap check.
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(count);
        let mut seen: HashMap<String, String> = HashMap::with_capacity(count);
        let mut names: Vec<String> = Vec::with_capacity(count);
        let mut total: u64 = 0;
        let mut at = 0usize;
        while at < cd.bytes.len() {
            if names.len() >= count {
                return Err(bad(
                    "entry count in the EOCD does not match the central directory",
                ));
            }
            let (h, next) = cd_header(cd.bytes, at)?;
            at = next;
            // Names: safety and duplicates, before anything else about the entry.
            let name = String::from_utf8_lossy(h.raw).into_owned();
            let path = checked_path(&name)?;
            check_duplicate(&mut seen, &path, &name)?;
            check_entry_format(&h, &name)?;
            check_declared_size(&h, &name, &mut total, limits)?;
            let (data_start, data_end) = local_data_span(zip, &h, &name, cd.start)?;
            spans.push((h.local, data_end, names.len()));
            names.push(name.clone());
            if !name.ends_with('/') {
                entries.push(EntryInfo {
                    name,
                    path,
                    compressed_size: u64::from(h.csize),
                    size: u64::from(h.usize_),
                    crc32: h.crc32,
                    method: h.method,
                    data_start,
                });
            }
        }
        if names.len() != count {
            return Err(bad(
                "entry count in the EOCD does not match the central directory",
            ));
        }
        check_overlaps(&mut spans, &names)?;
        Ok(Self { entries })
    }

    /// The declared uncompressed size of all entries (checked against the limits).
    pub fn total_size(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// The entries in central-directory order (directories left out).
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    /// Inflates `entry` (one of [`ZipIndex::entries`] of this `zip`) and checks that it holds
    /// exactly the declared number of bytes with the declared CRC-32. Memory used is bounded by
    /// the declared size, which the limits have already bounded.
    pub fn read(&self, zip: &[u8], entry: &EntryInfo) -> Result<Vec<u8>, PackageError> {
        inflate(zip, entry)
    }
}

fn inflate(zip: &[u8], e: &EntryInfo) -> Result<Vec<u8>, PackageError> {
    let name = &e.name;
    let input = usize::try_from(e.compressed_size)
        .ok()
        .and_then(|len| zip.get(e.data_start..e.data_start.checked_add(len)?))
        .ok_or_else(|| bad(format!("entry `{name}` lies outside the payload")))?;
    let declared = usize::try_from(e.size)
        .map_err(|_| bad(format!("entry `{name}` is too large for this platform")))?;
    let data = if e.method == METHOD_STORED {
        input.to_vec()
    } else {
        let mut d = flate2::Decompress::new(false);
        // Room for one byte more than declared, so that a longer stream is noticed; grown in
        // steps so that a lying declared size does not reserve memory up front.
        let mut out: Vec<u8> = Vec::with_capacity(declared.min(1 << 22) + 1);
        loop {
            let (in_before, out_before) = (d.total_in(), d.total_out());
            let consumed = usize::try_from(in_before).unwrap_or(usize::MAX);
            let rest = input.get(consumed..).unwrap_or_default();
            let status = d
                .decompress_vec(rest, &mut out, flate2::FlushDecompress::Finish)
                .map_err(|err| bad(format!("entry `{name}`: invalid deflate data: {err}")))?;
            if status == flate2::Status::StreamEnd {
                break;
            }
            if out.len() > declared {
                return Err(bad(format!(
                    "entry `{name}` declares {declared} bytes but holds more"
                )));
            }
            if out.len() == out.capacity() {
                let room = (declared + 1 - out.len()).min(out.capacity().max(1 << 16));
                out.reserve_exact(room);
            } else if d.total_in() == in_before && d.total_out() == out_before {
                return Err(bad(format!(
                    "entry `{name}`: deflate data ends early (truncated entry)"
                )));
            }
        }
        out
    };
    if data.len() != declared {
        return Err(bad(format!(
            "entry `{name}` declares {declared} bytes but holds {}",
            data.len()
        )));
    }
    let mut crc = crc32fast::Hasher::new();
    crc.update(&data);
    if crc.finalize() != e.crc32 {
        return Err(bad(format!(
            "entry `{name}`: CRC-32 mismatch (corrupted data)"
        )));
    }
    Ok(data)
}

/// Reads every entry of a zip payload with all safety checks of [`ReadLimits`] (see
/// [`ZipIndex`]), inflating the entries in parallel. Directory entries (names ending in `/`)
/// are checked but not returned. When several entries are defective, the first in
/// central-directory order is reported.
pub fn read_zip_entries(zip: &[u8], limits: &ReadLimits) -> Result<Vec<Entry>, PackageError> {
    let index = ZipIndex::new(zip, limits)?;
    let data: Vec<Result<Vec<u8>, PackageError>> =
        index.entries.par_iter().map(|e| inflate(zip, e)).collect();
    index
        .entries
        .into_iter()
        .zip(data)
        .map(|(e, data)| {
            Ok(Entry {
                data: data?,
                name: e.name,
                path: e.path,
                compressed_size: e.compressed_size,
                size: e.size,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_checks() {
        for (name, reason) in [
            ("../x", UnsafeNameReason::Traversal),
            ("a/../../x", UnsafeNameReason::Traversal),
            ("./x", UnsafeNameReason::Traversal),
            ("/etc/passwd", UnsafeNameReason::Absolute),
            ("C:\\x", UnsafeNameReason::Backslash),
            ("C:x", UnsafeNameReason::Drive),
            ("\\\\server\\share", UnsafeNameReason::Backslash),
            ("a\\b", UnsafeNameReason::Backslash),
            ("/", UnsafeNameReason::Absolute),
            ("", UnsafeNameReason::Empty),
            ("a\0b", UnsafeNameReason::ControlCharacter),
            ("src/%252E%252E/x.al", UnsafeNameReason::Traversal),
            ("x/%2E%2E/y", UnsafeNameReason::Traversal),
            ("%2Fetc", UnsafeNameReason::Absolute),
            ("a%5Cb", UnsafeNameReason::Backslash),
            ("%FF", UnsafeNameReason::BadEscape),
        ] {
            match checked_path(name) {
                Err(PackageError::UnsafeEntryName { reason: r, .. }) => {
                    assert_eq!(r, reason, "{name}")
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(
            checked_path("src/a%2520b.al").ok().as_deref(),
            Some("src/a b.al")
        );
        assert_eq!(checked_path("dir/").ok().as_deref(), Some("dir/"));
        assert_eq!(checked_path("a//b").ok().as_deref(), Some("a//b"));
        assert_eq!(duplicate_key("A//b/"), "a/b");
    }
}
