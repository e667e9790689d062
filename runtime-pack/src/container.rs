//! The NAVX container: a 40-byte header in front of the payload (zip or `.NEA`).

use uuid::Uuid;

use crate::error::PackageError;

/// The 4-byte magic at offsets 0 and 36 of every package.
pub const NAVX_MAGIC: [u8; 4] = *b"NAVX";
/// Length of the NAVX header written by the compiler and by [`write_container`].
pub const NAVX_HEADER_LEN: usize = 40;
/// Highest header version this crate reads.
pub const NAVX_MAX_VERSION: u32 = 2;

/// The fields of the NAVX header (all integers little-endian in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavxHeader {
    /// Header size = payload offset (offset 4); 40 in every known package.
    pub header_size: u32,
    /// Header version (offset 8); 2 for AL packages.
    pub version: u32,
    /// The package id (offset 12, .NET GUID byte order). Not the app id.
    pub package_id: Uuid,
    /// Payload length in bytes (offset 28).
    pub content_length: u64,
}

impl NavxHeader {
    /// A version-2, 40-byte header for a payload of `content_length` bytes.
    pub fn new(package_id: Uuid, content_length: u64) -> Self {
        Self {
            header_size: NAVX_HEADER_LEN as u32,
            version: NAVX_MAX_VERSION,
            package_id,
            content_length,
        }
    }

    /// Parses and validates the header at the start of `file`: both magics, version ≤ 2,
    /// header size ≥ 40, and payload `[header_size, header_size + content_length)` inside the file.
    ///
    /// ```
    /// use runtime_pack::{NavxHeader, write_container};
    /// let file = write_container(uuid::Uuid::nil(), b"PK\x03\x04");
    /// let header = NavxHeader::parse(&file)?;
    /// assert_eq!(header.content_length, 4);
    /// # Ok::<(), runtime_pack::PackageError>(())
    /// ```
    pub fn parse(file: &[u8]) -> Result<Self, PackageError> {
        let Some(h) = file.first_chunk::<NAVX_HEADER_LEN>() else {
            return Err(PackageError::TruncatedHeader { len: file.len() });
        };
        if h[0..4] != NAVX_MAGIC {
            return Err(PackageError::BadMagic { offset: 0 });
        }
        if h[36..40] != NAVX_MAGIC {
            return Err(PackageError::BadMagic { offset: 36 });
        }
        let header_size = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let version = u32::from_le_bytes([h[8], h[9], h[10], h[11]]);
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&h[12..28]);
        let mut len = [0u8; 8];
        len.copy_from_slice(&h[28..36]);
        let content_length = u64::from_le_bytes(len);
        if version > NAVX_MAX_VERSION {
            return Err(PackageError::UnsupportedVersion { version });
        }
        if (header_size as usize) < NAVX_HEADER_LEN {
            return Err(PackageError::BadHeaderSize { size: header_size });
        }
        let header = Self {
            header_size,
            version,
            package_id: Uuid::from_bytes_le(guid),
            content_length,
        };
        header.payload_range(file.len())?;
        Ok(header)
    }

    /// The byte range of the payload in a file of `file_len` bytes, or
    /// [`PackageError::PayloadOutOfBounds`] when the header claims more than the file holds.
    pub fn payload_range(&self, file_len: usize) -> Result<std::ops::Range<usize>, PackageError> {
        let start = u64::from(self.header_size);
        let out = || PackageError::PayloadOutOfBounds {
            offset: start,
            len: self.content_length,
            file_len: file_len as u64,
        };
        let end = start.checked_add(self.content_length).ok_or_else(out)?;
        if end > file_len as u64 {
            return Err(out());
        }
        let start = usize::try_from(start).map_err(|_| out())?;
        let end = usize::try_from(end).map_err(|_| out())?;
        Ok(start..end)
    }

    /// The 40 header bytes. A `header_size` above 40 is written as is; the caller supplies the
    /// extra header bytes.
    pub fn to_bytes(&self) -> [u8; NAVX_HEADER_LEN] {
        let mut out = [0u8; NAVX_HEADER_LEN];
        out[0..4].copy_from_slice(&NAVX_MAGIC);
        out[4..8].copy_from_slice(&self.header_size.to_le_bytes());
        out[8..12].copy_from_slice(&self.version.to_le_bytes());
        out[12..28].copy_from_slice(&self.package_id.to_bytes_le());
        out[28..36].copy_from_slice(&self.content_length.to_le_bytes());
        out[36..40].copy_from_slice(&NAVX_MAGIC);
        out
    }
}

/// A parsed container: the header, the payload slice it describes, and whatever follows.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    /// The validated header.
    pub header: NavxHeader,
    /// `file[header_size .. header_size + content_length]`.
    pub payload: &'a [u8],
    /// Bytes after the payload (signature block, runtime extra bytes), possibly empty.
    pub trailer: &'a [u8],
}

/// Splits a NAVX file into header, payload and trailer. The payload is taken from the header's
/// offset and length, never "the rest of the file".
pub fn read_container(file: &[u8]) -> Result<Container<'_>, PackageError> {
    let header = NavxHeader::parse(file)?;
    let range = header.payload_range(file.len())?;
    let (Some(payload), Some(trailer)) = (file.get(range.clone()), file.get(range.end..)) else {
        return Err(PackageError::PayloadOutOfBounds {
            offset: u64::from(header.header_size),
            len: header.content_length,
            file_len: file.len() as u64,
        });
    };
    Ok(Container {
        header,
        payload,
        trailer,
    })
}

/// Writes a version-2 container: the 40-byte header (with `package_id`, which should be a fresh
/// random id per build) followed by `payload`. Nothing is appended (no signature).
///
/// ```
/// let id = uuid::Uuid::new_v4();
/// let file = runtime_pack::write_container(id, b"payload");
/// let c = runtime_pack::read_container(&file)?;
/// assert_eq!((c.header.package_id, c.payload), (id, &b"payload"[..]));
/// # Ok::<(), runtime_pack::PackageError>(())
/// ```
pub fn write_container(package_id: Uuid, payload: &[u8]) -> Vec<u8> {
    let header = NavxHeader::new(package_id, payload.len() as u64);
    let mut out = Vec::with_capacity(NAVX_HEADER_LEN + payload.len());
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(payload);
    out
}
