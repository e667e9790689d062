//! The NXSB Authenticode signature block and its digest check.
//!
//! Layout after the signed region: `NXSB`, DER CMS `SignedData`, u32 LE offset of the leading
//! `NXSB`, `NXSB`. The `SpcIndirectDataContent` digest covers every byte before the leading `NXSB`.
//!
//! **What is checked:** the block's framing, its offset, and that the digest stored in the
//! signature equals the SHA-256 (or, for old packages, SHA-1) of the signed region. **What is not checked:** the CMS signature
//! over that digest, the certificate chain, revocation and the timestamp. A matching digest means
//! the package was not changed after the digest was computed *if* the signature is genuine; it is
//! not proof of who signed it.

use sha2::{Digest, Sha256};
use x509_cert::der::asn1::{AnyRef, ObjectIdentifier};
use x509_cert::der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::name::Name;

use crate::error::PackageError;

/// The 4-byte magic opening and closing the block.
pub const NXSB_MAGIC: [u8; 4] = *b"NXSB";

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_SPC_INDIRECT_DATA: &str = "1.3.6.1.4.1.311.2.1.4";
/// OID of SHA-256 (current packages).
pub const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// OID of SHA-1 (BC 11-era Microsoft packages).
pub const OID_SHA1: &str = "1.3.14.3.2.26";

/// Outcome of comparing the stored digest with the package bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestCheck {
    /// The digest of the signed region equals the stored digest.
    Match,
    /// It differs: the package was modified after signing (or the signature belongs elsewhere).
    Mismatch,
    /// The digest uses an algorithm other than SHA-256 or SHA-1; not computed.
    UnsupportedAlgorithm,
}

/// What the signature block says and whether its digest matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// File offset of the leading `NXSB` (= end of the signed region).
    pub offset: u64,
    /// Length of the DER `SignedData`.
    pub der_len: u64,
    /// Dotted OID of the `SpcIndirectDataContent` digest algorithm.
    pub digest_algorithm: String,
    /// The digest stored in the signature.
    pub signed_digest: Vec<u8>,
    /// Digest of the signed region computed here (SHA-256 or SHA-1, as the signature says).
    pub computed_digest: Option<Vec<u8>>,
    /// The comparison.
    pub digest: DigestCheck,
    /// Subject DN of the signing certificate (RFC 4514 text), when it could be found.
    pub signer_subject: Option<String>,
    /// Subject common name of the signing certificate.
    pub signer_common_name: Option<String>,
    /// Number of certificates carried in the signature.
    pub certificate_count: usize,
}

/// The parts of a CMS `SignedData` that matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDataSummary {
    /// Dotted OID of the digest algorithm in `SpcIndirectDataContent`.
    pub digest_algorithm: String,
    /// The digest value.
    pub digest: Vec<u8>,
    /// Subject DN of the certificate matching the first signer, if found.
    pub signer_subject: Option<String>,
    /// Common name of that subject.
    pub signer_common_name: Option<String>,
    /// Number of certificates in the `certificates` field.
    pub certificate_count: usize,
}

fn sig_err(msg: impl Into<String>) -> PackageError {
    PackageError::Signature(msg.into())
}

/// One DER element: its tag, contents and the full TLV bytes.
struct Tlv<'a> {
    tag: Tag,
    value: &'a [u8],
    raw: &'a [u8],
}

/// Splits DER contents into their child elements.
fn children(bytes: &[u8]) -> Result<Vec<Tlv<'_>>, PackageError> {
    let mut reader = SliceReader::new(bytes).map_err(|e| sig_err(e.to_string()))?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        let raw = reader.tlv_bytes().map_err(|e| sig_err(e.to_string()))?;
        let any = AnyRef::from_der(raw).map_err(|e| sig_err(e.to_string()))?;
        out.push(Tlv {
            tag: any.tag(),
            value: any.value(),
            raw,
        });
    }
    Ok(out)
}

fn expect<'a>(
    els: &'a [Tlv<'a>],
    i: usize,
    tag: Tag,
    what: &str,
) -> Result<&'a Tlv<'a>, PackageError> {
    els.get(i)
        .filter(|t| t.tag == tag)
        .ok_or_else(|| sig_err(format!("expected {what}")))
}

fn oid(tlv: &Tlv<'_>) -> Result<String, PackageError> {
    let oid: Result<ObjectIdentifier, _> = ObjectIdentifier::from_der(tlv.raw);
    oid.map(|o| o.to_string())
        .map_err(|e| sig_err(e.to_string()))
}

fn context(n: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(u32::from(n)),
    }
}

/// Parses a DER `ContentInfo { signedData }` as Authenticode writes it: the
/// `SpcIndirectDataContent` digest and the signer certificate's subject.
pub fn parse_signed_data(der: &[u8]) -> Result<SignedDataSummary, PackageError> {
    let top = children(der)?;
    let content_info = expect(&top, 0, Tag::Sequence, "ContentInfo SEQUENCE")?;
    let ci = children(content_info.value)?;
    if oid(expect(
        &ci,
        0,
        Tag::ObjectIdentifier,
        "ContentInfo contentType",
    )?)? != OID_SIGNED_DATA
    {
        return Err(sig_err("ContentInfo is not signedData"));
    }
    let explicit = children(expect(&ci, 1, context(0, true), "[0] content")?.value)?;
    let sd = children(expect(&explicit, 0, Tag::Sequence, "SignedData SEQUENCE")?.value)?;
    // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
    let encap = children(expect(&sd, 2, Tag::Sequence, "encapContentInfo")?.value)?;
    if oid(expect(&encap, 0, Tag::ObjectIdentifier, "eContentType")?)? != OID_SPC_INDIRECT_DATA {
        return Err(sig_err("content is not SpcIndirectDataContent"));
    }
    let econtent = children(expect(&encap, 1, context(0, true), "[0] eContent")?.value)?;
    // PKCS#7 v1.5 (Authenticode) puts the SEQUENCE directly; CMS wraps it in an OCTET STRING.
    let indirect_bytes = match econtent.first() {
        Some(t) if t.tag == Tag::Sequence => t.value,
        Some(t) if t.tag == Tag::OctetString => {
            let inner = children(t.value)?;
            match inner.first() {
                Some(s) if s.tag == Tag::Sequence => s.value,
                _ => return Err(sig_err("expected SpcIndirectDataContent")),
            }
        }
        _ => return Err(sig_err("expected SpcIndirectDataContent")),
    };
    let indirect = children(indirect_bytes)?;
    let digest_info = children(expect(&indirect, 1, Tag::Sequence, "DigestInfo")?.value)?;
    let alg =
        children(expect(&digest_info, 0, Tag::Sequence, "digest AlgorithmIdentifier")?.value)?;
    let digest_algorithm = oid(expect(
        &alg,
        0,
        Tag::ObjectIdentifier,
        "digest algorithm OID",
    )?)?;
    let digest = expect(&digest_info, 1, Tag::OctetString, "digest OCTET STRING")?
        .value
        .to_vec();

    let certs = match sd.get(3) {
        Some(t) if t.tag == context(0, true) => children(t.value)?,
        _ => Vec::new(),
    };
    let signer_infos = sd
        .iter()
        .skip(3)
        .find(|t| t.tag == Tag::Set)
        .ok_or_else(|| sig_err("no signerInfos"))?;
    let (signer_subject, signer_common_name) = signer_name(&certs, signer_infos.value);
    Ok(SignedDataSummary {
        digest_algorithm,
        digest,
        signer_subject,
        signer_common_name,
        certificate_count: certs.len(),
    })
}

/// `(issuer, serial, subject)` raw TLVs of a certificate, read leniently.
fn cert_names<'a>(cert: &Tlv<'a>) -> Option<(&'a [u8], &'a [u8], &'a [u8])> {
    let c = children(cert.value).ok()?;
    let tbs = children(c.first()?.value).ok()?;
    // Optional [0] EXPLICIT version first.
    let skip = usize::from(tbs.first()?.tag == context(0, true));
    let serial = tbs.get(skip)?;
    let issuer = tbs.get(skip + 2)?;
    let subject = tbs.get(skip + 4)?;
    Some((issuer.raw, serial.raw, subject.raw))
}

/// The subject of the certificate named by the first SignerInfo's issuerAndSerialNumber, falling
/// back to the first certificate.
fn signer_name(certs: &[Tlv<'_>], signer_infos: &[u8]) -> (Option<String>, Option<String>) {
    let wanted = children(signer_infos).ok().and_then(|infos| {
        let first = infos.into_iter().next()?;
        let si = children(first.value).ok()?;
        let sid = si.get(1).filter(|t| t.tag == Tag::Sequence)?;
        let ias = children(sid.value).ok()?;
        Some((ias.first()?.raw.to_vec(), ias.get(1)?.raw.to_vec()))
    });
    let names: Vec<_> = certs.iter().filter_map(cert_names).collect();
    let subject = wanted
        .and_then(|(iss, ser)| {
            names
                .iter()
                .find(|(i, s, _)| *i == iss.as_slice() && *s == ser.as_slice())
                .map(|n| n.2)
        })
        .or_else(|| names.first().map(|n| n.2));
    let Some(name) = subject.and_then(|raw| Name::from_der(raw).ok()) else {
        return (None, None);
    };
    let cn = name
        .common_name()
        .ok()
        .flatten()
        .map(|d| d.value().into_owned());
    (Some(name.to_string()), cn)
}

/// Locates the NXSB block at the end of `file`. Returns `None` when the file does not end in a
/// signature footer; errors when the footer's offset is outside the file or not at an `NXSB`
/// (`expected` is where the block should start, for the error).
pub(crate) fn locate_block(
    file: &[u8],
    expected: usize,
) -> Result<Option<(usize, &[u8])>, PackageError> {
    let len = file.len();
    if len < 12 || file.get(len - 4..) != Some(&NXSB_MAGIC[..]) {
        return Ok(None);
    }
    let Some(off) = file
        .get(len - 8..len - 4)
        .and_then(|b| b.first_chunk::<4>())
    else {
        return Ok(None);
    };
    let offset = u32::from_le_bytes(*off) as usize;
    // The block needs its 4-byte magic and the 8-byte footer.
    if offset.checked_add(12).is_none_or(|end| end > len) {
        return Err(PackageError::SignatureOffsetOutOfBounds {
            offset: offset as u64,
            file_len: len as u64,
        });
    }
    if file.get(offset..offset + 4) != Some(&NXSB_MAGIC[..]) {
        return Err(PackageError::SignatureOffsetMismatch {
            expected: expected as u64,
            found: offset as u64,
        });
    }
    let der = file.get(offset + 4..len - 8).unwrap_or_default();
    Ok(Some((offset, der)))
}

/// Parses the signature block whose leading `NXSB` is at `offset` with DER `der`, and checks its
/// digest against SHA-256 of `file[..offset]`.
pub(crate) fn check_signature(
    file: &[u8],
    offset: usize,
    der: &[u8],
) -> Result<SignatureInfo, PackageError> {
    let summary = parse_signed_data(der)?;
    let signed_region = file
        .get(..offset)
        .ok_or(PackageError::SignatureOffsetOutOfBounds {
            offset: offset as u64,
            file_len: file.len() as u64,
        })?;
    let computed = match summary.digest_algorithm.as_str() {
        OID_SHA256 => Some(Sha256::digest(signed_region).to_vec()),
        OID_SHA1 => Some(sha1::Sha1::digest(signed_region).to_vec()),
        _ => None,
    };
    let (computed_digest, digest) = if let Some(computed) = computed {
        let check = if computed == summary.digest {
            DigestCheck::Match
        } else {
            DigestCheck::Mismatch
        };
        (Some(computed), check)
    } else {
        (None, DigestCheck::UnsupportedAlgorithm)
    };
    Ok(SignatureInfo {
        offset: offset as u64,
        der_len: der.len() as u64,
        digest_algorithm: summary.digest_algorithm,
        signed_digest: summary.digest,
        computed_digest,
        digest,
        signer_subject: summary.signer_subject,
        signer_common_name: summary.signer_common_name,
        certificate_count: summary.certificate_count,
    })
}
