//! Safe reading of the zip payload: name checks, duplicates, entry-count, size and ratio limits.

use std::collections::HashMap;
use std::io::{Cursor, Read};

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
    /// Maximum total uncompressed size of all entries, in bytes (default 1 GiB).
    pub max_total_size: u64,
    /// Maximum uncompressed/compressed ratio of one entry (default 200). Real packages stay far
    /// below (text compresses about 5–30×); deflate cannot exceed about 1032.
    pub max_compression_ratio: u64,
    /// Entries whose uncompressed size is at most this many bytes are exempt from the ratio check
    /// (default 1 MiB): a small file of zeros is not a bomb.
    pub ratio_exempt_size: u64,
    /// Maximum nesting of ready-to-run wrappers (default 2: a wrapper and its embedded app).
    pub max_nesting: u32,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_total_size: 1 << 30,
            max_compression_ratio: 200,
            ratio_exempt_size: 1 << 20,
            max_nesting: 2,
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
    /// The content as text, without a leading UTF-8 BOM. `None` if it is not UTF-8.
    pub fn text(&self) -> Option<&str> {
        let bytes = self
            .data
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&self.data);
        std::str::from_utf8(bytes).ok()
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

/// Scans the end-of-central-directory record and the central directory for the raw entry names,
/// enforcing the entry limit before anything is allocated per entry.
fn central_directory_names(zip: &[u8], limits: &ReadLimits) -> Result<Vec<Vec<u8>>, PackageError> {
    const EOCD: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
    const CDH: [u8; 4] = [0x50, 0x4B, 0x01, 0x02];
    let bad = |m: &str| PackageError::MalformedZip(m.to_owned());
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
    let cd = zip
        .get(cd_start..cd_end)
        .ok_or_else(|| bad("central directory outside the payload"))?;
    let mut names = Vec::with_capacity(usize::from(count));
    let mut at = 0usize;
    while at < cd.len() {
        if cd.get(at..at + 4) != Some(&CDH[..]) {
            return Err(bad("bad central directory header signature"));
        }
        let name_len = usize::from(u16_at(cd, at + 28).ok_or_else(|| bad("short header"))?);
        let extra_len = usize::from(u16_at(cd, at + 30).ok_or_else(|| bad("short header"))?);
        let comment_len = usize::from(u16_at(cd, at + 32).ok_or_else(|| bad("short header"))?);
        let name = cd
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("entry name runs past the central directory"))?;
        names.push(name.to_vec());
        if names.len() as u64 > limits.max_entries {
            return Err(PackageError::TooManyEntries {
                count: names.len() as u64,
                limit: limits.max_entries,
            });
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    if names.len() != usize::from(count) {
        return Err(bad(
            "entry count in the EOCD does not match the central directory",
        ));
    }
    Ok(names)
}

/// Reads every entry of a zip payload with all safety checks of [`ReadLimits`]. Directory
/// entries (names ending in `/`) are checked but not returned.
pub fn read_zip_entries(zip: &[u8], limits: &ReadLimits) -> Result<Vec<Entry>, PackageError> {
    // 1. Names straight from the central directory: safety and duplicates, before decompressing.
    let raw_names = central_directory_names(zip, limits)?;
    let mut seen: HashMap<String, String> = HashMap::with_capacity(raw_names.len());
    for raw in &raw_names {
        let name = String::from_utf8_lossy(raw).into_owned();
        let path = checked_path(&name)?;
        let key = duplicate_key(&path);
        if let Some(first) = seen.get(&key) {
            return Err(PackageError::DuplicateEntry {
                name,
                first: first.clone(),
            });
        }
        seen.insert(key, name);
    }

    // 2. Decompress with running limits; declared sizes are not trusted.
    let zip_err = |entry: Option<String>| move |source| PackageError::Zip { entry, source };
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).map_err(zip_err(None))?;
    if archive.len() != raw_names.len() {
        return Err(PackageError::MalformedZip(
            "zip library and central directory disagree on the entry count".to_owned(),
        ));
    }
    let mut entries = Vec::with_capacity(archive.len());
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(zip_err(None))?;
        let name = file.name().map_err(zip_err(None))?.into_owned();
        let path = checked_path(&name)?;
        if file.is_dir() {
            continue;
        }
        let compressed = file.compressed_size();
        let remaining_total = limits.max_total_size.saturating_sub(total);
        let ratio_cap = compressed
            .max(1)
            .saturating_mul(limits.max_compression_ratio)
            .max(limits.ratio_exempt_size);
        let cap = remaining_total.min(ratio_cap);
        let declared = file.size();
        let mut data =
            Vec::with_capacity(usize::try_from(declared.min(cap).min(1 << 24)).unwrap_or(0));
        (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| PackageError::Zip {
                entry: Some(name.clone()),
                source: e.into(),
            })?;
        let size = data.len() as u64;
        if size > cap {
            return Err(if size > remaining_total {
                PackageError::TotalSizeExceeded {
                    entry: name,
                    limit: limits.max_total_size,
                }
            } else {
                PackageError::CompressionRatioExceeded {
                    entry: name,
                    uncompressed: size,
                    compressed,
                    limit: limits.max_compression_ratio,
                }
            });
        }
        if size != declared {
            return Err(PackageError::MalformedZip(format!(
                "entry `{name}` declares {declared} bytes but holds {size}"
            )));
        }
        total += size;
        entries.push(Entry {
            name,
            path,
            compressed_size: compressed,
            size,
            data,
        });
    }
    Ok(entries)
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
