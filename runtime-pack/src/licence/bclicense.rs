//! Sniffing and the `.bclicense` reader (text header + XML body).

use al_manifest::xml::Element;

use super::error::LicenceError;
use super::model::{
    CollectionKind, HeaderLine, Licence, LicenceFormat, LicenceProperty, PermissionCollection,
    PermissionRange, RangeExpiry, SignatureStatus,
};
use super::perm::Permissions;

/// The preamble of a legacy `.flf` licence after its ASCII header (license-format.md §10).
pub const FLF_MAGIC: &[u8] = b"\x1A\x04\xFF\x0D\x10\x08\x1B@MBS Dynamics NAV lic";

/// The first header line of every Microsoft licence file.
pub const HEADER_TITLE: &str = "Microsoft Software License Information";

/// What a licence file looks like from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// UTF-16LE with BOM (`FF FE`): a `.bclicense`.
    BcLicenseUtf16Le,
    /// UTF-16BE with BOM (`FE FF`): a re-saved `.bclicense`.
    BcLicenseUtf16Be,
    /// A legacy `.flf` (contains [`FLF_MAGIC`]).
    Flf,
    /// Anything else: read as UTF-8 (a range file, or a `.bclicense` re-saved as UTF-8).
    Text,
}

/// Classifies licence bytes (license-format.md §11.1 step 1).
///
/// ```
/// use runtime_pack::licence::{FileKind, sniff};
/// assert_eq!(sniff(b"\xFF\xFEM\x00"), FileKind::BcLicenseUtf16Le);
/// assert_eq!(sniff(b"Microsoft\r\n\x1A\x04\xFF\x0D\x10\x08\x1B@MBS Dynamics NAV lic\x00"), FileKind::Flf);
/// assert_eq!(sniff(b"table 50000 50099 RIMDX\n"), FileKind::Text);
/// ```
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"\xFF\xFE") {
        FileKind::BcLicenseUtf16Le
    } else if bytes.starts_with(b"\xFE\xFF") {
        FileKind::BcLicenseUtf16Be
    } else if bytes.windows(FLF_MAGIC.len()).any(|w| w == FLF_MAGIC) {
        FileKind::Flf
    } else {
        FileKind::Text
    }
}

/// Decodes UTF-16 (after the 2-byte BOM); unpaired surrogates become U+FFFD.
pub(crate) fn decode_utf16(bytes: &[u8], little_endian: bool) -> Result<String, LicenceError> {
    let body = bytes.get(2..).unwrap_or_default();
    if body.len() % 2 != 0 {
        return Err(LicenceError::TruncatedUtf16);
    }
    let units = body.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Ok(char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect())
}

/// Byte index of the `<License` start tag in `text`, if any.
pub(crate) fn find_license_tag(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = text.get(from..)?.find("<License") {
        let at = from + rel;
        let next = text.get(at + 8..)?.chars().next();
        match next {
            Some(c) if c == '>' || c == '/' || c.is_whitespace() => return Some(at),
            _ => from = at + 8,
        }
    }
    None
}

/// Splits the text header into key/value lines (license-format.md §11.1 step 4): a line
/// starting at column 0 with a `:` is `key : value`; indented lines continue the previous
/// value; everything else is kept raw only.
pub fn parse_header(text: &str) -> Vec<HeaderLine> {
    let mut out: Vec<HeaderLine> = Vec::new();
    let mut last_kv: Option<usize> = None;
    for raw in text.lines() {
        let raw = raw.trim_end_matches(['\r', '\u{feff}']);
        let indented = raw.starts_with([' ', '\t']);
        if indented && !raw.trim().is_empty() {
            if let Some(v) = last_kv
                .and_then(|i| out.get_mut(i))
                .and_then(|l| l.value.as_mut())
            {
                v.push('\n');
                v.push_str(raw.trim());
                out.push(HeaderLine {
                    raw: raw.to_string(),
                    key: None,
                    value: None,
                });
                continue;
            }
        }
        let kv = if indented {
            None
        } else {
            raw.split_once(':')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, _)| !k.is_empty() && !k.starts_with('*') && !k.starts_with('-'))
        };
        match kv {
            Some((k, v)) => {
                last_kv = Some(out.len());
                out.push(HeaderLine {
                    raw: raw.to_string(),
                    key: Some(k.to_string()),
                    value: Some(v.to_string()),
                });
            }
            None => {
                last_kv = None;
                out.push(HeaderLine {
                    raw: raw.to_string(),
                    key: None,
                    value: None,
                });
            }
        }
    }
    while out.last().is_some_and(|l| l.raw.trim().is_empty()) {
        out.pop();
    }
    out
}

fn parse_tree(text: &str) -> Result<Element, LicenceError> {
    al_manifest::xml::parse(text).map_err(|e| LicenceError::Xml {
        offset: e.offset,
        message: e.kind.to_string(),
    })
}

fn bad(collection: &str, element: &str, message: impl Into<String>) -> LicenceError {
    LicenceError::BadElement {
        collection: collection.to_string(),
        element: element.to_string(),
        message: message.into(),
    }
}

fn num_attr(el: &Element, coll: &str, name: &str) -> Result<u32, LicenceError> {
    let v = el
        .attr(name)
        .ok_or_else(|| bad(coll, &el.name, format!("missing attribute {name}")))?;
    let t = v.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(
            coll,
            &el.name,
            format!("attribute {name}={v:?} is not a decimal number"),
        ));
    }
    t.parse().map_err(|_| {
        bad(
            coll,
            &el.name,
            format!("attribute {name}={v:?} is too large"),
        )
    })
}

fn read_row(
    p: &Element,
    coll: &str,
    warnings: &mut Vec<String>,
) -> Result<PermissionRange, LicenceError> {
    let from = num_attr(p, coll, "f")?;
    let to = num_attr(p, coll, "t")?;
    let pbm = num_attr(p, coll, "pbm")?;
    if from > to {
        return Err(bad(
            coll,
            "p",
            format!("range f={from} is greater than t={to}"),
        ));
    }
    let expiry = p.children_named("e").next().map(|e| {
        let mut date = |name: &str| {
            let v = e.attr(name)?;
            match v.parse() {
                Ok(d) => Some(d),
                Err(_) => {
                    warnings.push(format!(
                        "collection {coll:?}, range {from}..{to}: {name}={v:?} is not an ISO date; ignored"
                    ));
                    None
                }
            }
        };
        RangeExpiry {
            expires: date("ed"),
            warning: date("wd"),
            label: e.text.trim().to_string(),
        }
    });
    Ok(PermissionRange {
        from,
        to,
        pbm,
        permissions: Permissions::from_pbm(pbm),
        expiry,
        line: None,
    })
}

/// Parses the decoded text of a `.bclicense` (header + XML).
pub(crate) fn parse_bclicense_text(text: &str) -> Result<Licence, LicenceError> {
    let at = find_license_tag(text).ok_or(LicenceError::NoLicenseElement)?;
    let (head, xml) = text.split_at(at);
    let header = parse_header(&head.replace('\u{feff}', ""));
    let mut warnings = Vec::new();
    let first = header.iter().find(|l| !l.raw.trim().is_empty());
    if first.is_none_or(|l| l.raw.trim() != HEADER_TITLE) {
        warnings.push(format!(
            "the text header does not start with {HEADER_TITLE:?} (edited or hand-made file)"
        ));
    }
    let xml = xml.replace('\u{feff}', "");
    let root = parse_tree(&xml)?;
    if root.name != "License" {
        return Err(LicenceError::Xml {
            offset: 0,
            message: format!("root element is <{}>, expected <License>", root.name),
        });
    }
    let properties = root
        .children_named("Properties")
        .flat_map(|ps| ps.children_named("Property"))
        .map(|p| LicenceProperty {
            name: p.attr("name").unwrap_or_default().to_string(),
            r#type: p.attr("type").unwrap_or_default().to_string(),
            id: p.attr("id").unwrap_or_default().to_string(),
            text: p.text.trim().to_string(),
        })
        .collect();
    let mut collections = Vec::new();
    for pl in root
        .children_named("PermissionCollections")
        .flat_map(|c| c.children_named("pl"))
    {
        let name = pl
            .attr("t")
            .ok_or_else(|| bad("?", "pl", "missing attribute t"))?
            .to_string();
        let declared_count = pl.attr("c").and_then(|c| c.trim().parse().ok());
        let mut ranges = Vec::new();
        let rows = pl
            .children_named("ps")
            .flat_map(|ps| ps.children_named("p"))
            .chain(pl.children_named("p"));
        for p in rows {
            ranges.push(read_row(p, &name, &mut warnings)?);
        }
        if let Some(c) = declared_count
            && c != ranges.len() as u64
        {
            warnings.push(format!(
                "collection {name:?} declares c={c} rows but holds {}",
                ranges.len()
            ));
        }
        collections.push(PermissionCollection {
            kind: CollectionKind::from_name(&name).filter(|_| !name.trim().is_empty()),
            name,
            declared_count,
            ranges,
        });
    }
    for c in &collections {
        if c.kind.is_none() {
            warnings.push(format!("unknown collection {:?} kept but not used", c.name));
        }
    }
    let signature = match root.children_named("Signature").next() {
        Some(sig) => SignatureStatus::NotChecked {
            signer: signer_common_name(sig),
        },
        None => SignatureStatus::Absent,
    };
    Ok(Licence {
        format: LicenceFormat::BcLicense,
        header,
        properties,
        comments: Vec::new(),
        collections,
        signature,
        warnings,
    })
}

/// Subject CN of `Signature/KeyInfo/X509Data/X509Certificate`, if present and parseable.
/// Informational only: nothing is verified.
fn signer_common_name(sig: &Element) -> Option<String> {
    use x509_cert::der::Decode;
    let b64 = sig
        .children_named("KeyInfo")
        .flat_map(|k| k.children_named("X509Data"))
        .flat_map(|d| d.children_named("X509Certificate"))
        .next()?;
    let der = base64_decode(&b64.text)?;
    let cert = x509_cert::Certificate::from_der(&der).ok()?;
    let cn = cert.tbs_certificate().subject().common_name().ok()??;
    Some(cn.value().into_owned())
}

/// Standard base64 (whitespace ignored, `=` padding optional); `None` on any other character.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("TWFu").as_deref(), Some(&b"Man"[..]));
        assert_eq!(base64_decode("TWE=\n").as_deref(), Some(&b"Ma"[..]));
        assert_eq!(base64_decode("T W\r\nE").as_deref(), Some(&b"Ma"[..]));
        assert_eq!(base64_decode("TQ==").as_deref(), Some(&b"M"[..]));
        assert_eq!(base64_decode("T*"), None);
    }

    #[test]
    fn garbage_certificate_gives_no_signer() {
        let sig = Element {
            name: "Signature".into(),
            children: vec![Element {
                name: "KeyInfo".into(),
                children: vec![Element {
                    name: "X509Data".into(),
                    children: vec![Element {
                        name: "X509Certificate".into(),
                        text: "TWFueSBoYW5kcw==".into(),
                        ..Element::default()
                    }],
                    ..Element::default()
                }],
                ..Element::default()
            }],
            ..Element::default()
        };
        assert_eq!(signer_common_name(&sig), None);
    }

    #[test]
    fn header_keys_continuations_and_raw_lines() {
        let h = parse_header("A : 1\r\n  more\r\n***\r\nName   Amount\r\nX: y: z\r\n\r\n");
        assert_eq!(h.len(), 5);
        assert_eq!(h[0].value.as_deref(), Some("1\nmore"));
        assert_eq!(h[1].key, None);
        assert_eq!(h[2].key, None);
        assert_eq!(h[3].key, None);
        assert_eq!(h[4].value.as_deref(), Some("y: z"));
    }
}
