//! Reading synthetic packages: every kind, every defect.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use runtime_pack::fixtures::{self, sign};
use runtime_pack::{
    DigestCheck, Package, PackageError, PackageKind, ReadLimits, SymbolObjectType,
    UnsafeNameReason, Uuid, write_container,
};

fn ids() -> (Uuid, Uuid) {
    (
        Uuid::parse_str("3af0cee6-88bb-4539-835d-60115121a0c5").unwrap(),
        Uuid::parse_str("ed43c16b-0000-4000-8000-000000000001").unwrap(),
    )
}

fn normal() -> Vec<u8> {
    let (pkg, app) = ids();
    fixtures::normal_package(pkg, app, "Fixture App")
}

fn zip_package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    write_container(Uuid::nil(), &fixtures::zip_raw(entries))
}

#[test]
fn normal_package_reads_fully() {
    let (pkg, app) = ids();
    let file = normal();
    // Header bytes are in .NET GUID order.
    assert_eq!(&file[12..16], &[0xE6, 0xCE, 0xF0, 0x3A]);
    let p = Package::read(&file).unwrap();
    assert_eq!(p.kind(), PackageKind::Normal);
    assert!(!p.is_signed());
    assert_eq!(p.header().package_id, pkg);
    assert_eq!(p.header().version, 2);
    assert_eq!(p.header().header_size, 40);
    assert_eq!(p.header().content_length, file.len() as u64 - 40);
    assert_eq!(p.entries().len(), 6);

    let src: Vec<_> = p.source_files().map(|e| e.path.as_str()).collect();
    assert!(src.contains(&"src/System Codeunits/Fixture Codeunit.Codeunit.al"));
    let e = p
        .entry("src/System Codeunits/Fixture Codeunit.Codeunit.al")
        .unwrap();
    assert_eq!(
        e.name,
        "src/System%2520Codeunits/Fixture%2520Codeunit.Codeunit.al"
    );
    assert_eq!(
        p.entry("Translations/Fixture App.g.xlf").unwrap().name,
        "Translations/Fixture%20App.g.xlf"
    );

    let m = p.manifest().unwrap().unwrap();
    assert_eq!(m.app.id, app);
    assert_eq!(m.app.name, "Fixture App");
    assert_eq!(m.dependencies.len(), 1);
    assert!(p.manifest_xml().unwrap().contains("<IdRanges>"));
    assert!(p.content_types_xml().unwrap().contains("Extension=\"al\""));

    let s = p.symbol_reference().unwrap().unwrap();
    assert_eq!(s.app_id.as_deref(), Some(app.to_string().as_str()));
    let objects = s.objects();
    assert_eq!(objects.len(), 3);
    let table = objects
        .iter()
        .find(|o| o.kind == SymbolObjectType::Table)
        .unwrap();
    assert_eq!(table.namespace.as_deref(), Some("Fixture.Sales"));
    assert_eq!(table.object.fields.as_ref().unwrap()[0].name, "Code");
}

#[test]
fn signed_package_digest_matches() {
    let file = sign(normal(), None, "Fixture Signer");
    let p = Package::read(&file).unwrap();
    assert_eq!(p.kind(), PackageKind::Normal);
    assert!(p.is_signed());
    let s = p.signature().unwrap();
    assert_eq!(s.digest, DigestCheck::Match);
    assert_eq!(s.offset, normal().len() as u64);
    assert_eq!(s.signer_common_name.as_deref(), Some("Fixture Signer"));
    let subject = s.signer_subject.as_deref().unwrap();
    assert!(subject.contains("CN=Fixture Signer"), "{subject}");
    assert!(subject.contains("O=Contoso"), "{subject}");
    assert_eq!(s.certificate_count, 2);
    assert_eq!(s.digest_algorithm, runtime_pack::OID_SHA256);
}

#[test]
fn signed_package_modified_after_signing_mismatches() {
    let mut file = sign(normal(), None, "Fixture Signer");
    file[20] ^= 0xFF; // a byte of the package id: still a valid package
    let p = Package::read(&file).unwrap();
    let s = p.signature().unwrap();
    assert_eq!(s.digest, DigestCheck::Mismatch);
    assert_ne!(
        s.computed_digest.as_deref(),
        Some(s.signed_digest.as_slice())
    );

    let wrong = sign(normal(), Some(&[7; 32]), "X");
    assert_eq!(
        Package::read(&wrong).unwrap().signature().unwrap().digest,
        DigestCheck::Mismatch
    );
}

#[test]
fn sha1_digest_is_checked_and_unknown_algorithms_reported() {
    use sha2::Digest;
    let unsigned = normal();
    let mut file = unsigned.clone();
    let digest = sha1::Sha1::digest(&unsigned).to_vec();
    let der = fixtures::signed_data_der(fixtures::OID_SHA1_DER, &digest, "Old Signer");
    fixtures::append_block(&mut file, &der);
    let s = Package::read(&file).unwrap().signature().unwrap().clone();
    assert_eq!(s.digest, DigestCheck::Match);
    assert_eq!(s.digest_algorithm, runtime_pack::OID_SHA1);

    let mut file = unsigned;
    let der = fixtures::signed_data_der(fixtures::OID_MD5_DER, &[1; 16], "Old Signer");
    fixtures::append_block(&mut file, &der);
    let p = Package::read(&file).unwrap();
    let s = p.signature().unwrap();
    assert_eq!(s.digest, DigestCheck::UnsupportedAlgorithm);
    assert_eq!(s.digest_algorithm, "1.2.840.113549.2.5");
    assert_eq!(s.computed_digest, None);
}

#[test]
fn signature_offset_outside_file() {
    let mut file = sign(normal(), None, "S");
    let n = file.len();
    file[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::SignatureOffsetOutOfBounds { .. })
    ));
    let too_far = (n as u32 - 10).to_le_bytes();
    file[n - 8..n - 4].copy_from_slice(&too_far);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::SignatureOffsetOutOfBounds { .. })
    ));
}

#[test]
fn signature_offset_not_at_block() {
    let unsigned_len = normal().len();
    let mut file = sign(normal(), None, "S");
    let n = file.len();
    // Points inside the payload.
    file[n - 8..n - 4].copy_from_slice(&100u32.to_le_bytes());
    match Package::read(&file) {
        Err(PackageError::SignatureOffsetMismatch { expected, found }) => {
            assert_eq!((expected, found), (unsigned_len as u64, 100));
        }
        other => panic!("{other:?}"),
    }
    // Points at a real NXSB that is not where the payload ends (junk before the block).
    let mut junk = normal();
    junk.extend_from_slice(b"junk");
    let file = sign(junk, None, "S");
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::SignatureOffsetMismatch { .. })
    ));
}

#[test]
fn truncated_signature_and_trailing_data() {
    let mut file = normal();
    file.extend_from_slice(b"NXSB\x30\x03");
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::TruncatedSignature { .. })
    ));
    let mut file = normal();
    file.extend_from_slice(b"garbage");
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::TrailingData { len: 7, .. })
    ));
    // A signature block whose DER is cut short.
    let full = sign(normal(), None, "S");
    let unsigned_len = normal().len();
    let mut cut = full[..unsigned_len + 40].to_vec();
    fixtures_footer(&mut cut, unsigned_len);
    assert!(matches!(
        Package::read(&cut),
        Err(PackageError::Signature(_))
    ));
}

fn fixtures_footer(file: &mut Vec<u8>, offset: usize) {
    file.extend_from_slice(&(offset as u32).to_le_bytes());
    file.extend_from_slice(b"NXSB");
}

#[test]
fn runtime_package_is_opaque() {
    let file = fixtures::runtime_package(Uuid::new_v4());
    let p = Package::read(&file).unwrap();
    assert_eq!(p.kind(), PackageKind::Runtime);
    assert!(!p.is_signed());
    assert!(p.entries().is_empty());
    assert!(p.manifest().is_none());
    assert!(p.symbol_reference().unwrap().is_none());
    let info = p.runtime_info().unwrap();
    assert_eq!(info.extra_bytes, 8);
    assert_eq!(&info.nea_header, b".NEA\x00\x00\x00\x01");

    // Signed over the 8 extra bytes too.
    let signed = sign(file.clone(), None, "Runtime Signer");
    let p = Package::read(&signed).unwrap();
    assert_eq!(p.kind(), PackageKind::Runtime);
    assert_eq!(p.signature().unwrap().digest, DigestCheck::Match);

    // Anything other than 0 or 8 extra bytes is trailing garbage.
    let mut odd = file;
    odd.extend_from_slice(&[1, 2, 3]);
    assert!(matches!(
        Package::read(&odd),
        Err(PackageError::TrailingData { .. })
    ));
}

#[test]
fn ready_to_run_wrapper_is_unwrapped() {
    let inner = sign(normal(), None, "Inner Signer");
    let file = sign(
        fixtures::ready_to_run_package(Uuid::new_v4(), "fixture_1.0.0.0.app", &inner),
        None,
        "Outer Signer",
    );
    let p = Package::read(&file).unwrap();
    assert_eq!(p.kind(), PackageKind::ReadyToRun);
    assert_eq!(
        p.signature().unwrap().signer_common_name.as_deref(),
        Some("Outer Signer")
    );
    let (m, inner_pkg) = p.ready_to_run().unwrap();
    assert_eq!(
        m.embedded_app_file_name.as_deref(),
        Some("fixture_1.0.0.0.app")
    );
    assert_eq!(inner_pkg.kind(), PackageKind::Normal);
    assert_eq!(
        inner_pkg.signature().unwrap().signer_common_name.as_deref(),
        Some("Inner Signer")
    );
    assert_eq!(p.entries().len(), 3);
    assert_eq!(p.app_package().entries().len(), 6);
    assert_eq!(p.manifest().unwrap().unwrap().app.name, "Fixture App");
    assert_eq!(p.source_files().count(), 2);
}

#[test]
fn ready_to_run_recursion_is_bounded() {
    let mut file = normal();
    for _ in 0..3 {
        file = fixtures::ready_to_run_package(Uuid::nil(), "inner.app", &file);
    }
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::NestingTooDeep { limit: 2 })
    ));
    let mut limits = ReadLimits::default();
    limits.max_nesting = 4;
    assert!(Package::read_with_limits(&file, &limits).is_ok());
}

#[test]
fn ready_to_run_defects() {
    let file = write_container(
        Uuid::nil(),
        &fixtures::zip_raw(&[("readytorunappmanifest.json", b"{}")]),
    );
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::ReadyToRun(_))
    ));
    let bad_inner = fixtures::ready_to_run_package(Uuid::nil(), "x.app", b"NAVX");
    match Package::read(&bad_inner) {
        Err(PackageError::Embedded { entry, source }) => {
            assert_eq!(entry, "x.app");
            assert!(matches!(*source, PackageError::TruncatedHeader { len: 4 }));
        }
        other => panic!("{other:?}"),
    }
}

fn unsafe_reason(file: &[u8]) -> (String, UnsafeNameReason) {
    match Package::read(file) {
        Err(PackageError::UnsafeEntryName { name, reason }) => (name, reason),
        other => panic!("{other:?}"),
    }
}

#[test]
fn zip_slip_and_absolute_names_are_rejected() {
    use UnsafeNameReason::*;
    for (name, reason) in [
        ("../evil.al", Traversal),
        ("src/../../evil.al", Traversal),
        ("src/%252E%252E/%252E%252E/evil.al", Traversal),
        ("Translations/%2E%2E/x.xlf", Traversal),
        ("/etc/passwd", Absolute),
        ("%2Fetc/passwd", Absolute),
        ("C:/Windows/x.dll", Drive),
        ("C:\\Windows\\x.dll", Backslash),
        ("\\\\server\\share\\x", Backslash),
        ("src\\a.al", Backslash),
        ("src/a%255Cb.al", Backslash),
    ] {
        let file = zip_package(&[("NavxManifest.xml", b"<Package/>"), (name, b"x")]);
        let (got_name, got_reason) = unsafe_reason(&file);
        assert_eq!(got_name, name);
        assert_eq!(got_reason, reason, "{name}");
        // The error message names the entry.
        let msg = Package::read(&file).unwrap_err().to_string();
        assert!(msg.contains(name), "{msg}");
    }
}

#[test]
fn duplicates_are_rejected() {
    let file = zip_package(&[("NavxManifest.xml", b"a"), ("navxmanifest.XML", b"b")]);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::DuplicateEntry { ref name, ref first })
            if name == "navxmanifest.XML" && first == "NavxManifest.xml"
    ));
    // Same path after un-escaping.
    let file = zip_package(&[("Logo%20File.png", b"a"), ("logo file.png", b"b")]);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::DuplicateEntry { .. })
    ));
    let file = zip_package(&[("src/A%2520B.al", b"a"), ("src/a%20b.al", b"b")]);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::DuplicateEntry { .. })
    ));
    // Byte-identical names: the zip writer refuses them, so patch the second name in place.
    let mut zip = fixtures::zip_raw(&[("AAAA.xml", b"a"), ("BBBB.xml", b"b")]);
    let mut i = 0;
    while let Some(pos) = zip[i..].windows(4).position(|w| w == b"BBBB") {
        zip[i + pos..i + pos + 4].copy_from_slice(b"AAAA");
        i += pos + 4;
    }
    let file = write_container(Uuid::nil(), &zip);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::DuplicateEntry { ref name, .. }) if name == "AAAA.xml"
    ));
}

#[test]
fn zip_bomb_by_ratio() {
    let zeros = vec![0u8; 4 << 20];
    let file = zip_package(&[("bomb.xml", &zeros)]);
    match Package::read(&file) {
        Err(PackageError::CompressionRatioExceeded { entry, limit, .. }) => {
            assert_eq!(entry, "bomb.xml");
            assert_eq!(limit, 200);
        }
        other => panic!("{other:?}"),
    }
    // Raising the limit admits it.
    let mut limits = ReadLimits::default();
    limits.max_compression_ratio = 10_000;
    assert!(Package::read_with_limits(&file, &limits).is_ok());
    // Small highly compressible entries are exempt.
    let small = zip_package(&[("small.xml", &zeros[..1000])]);
    assert!(Package::read(&small).is_ok());
}

#[test]
fn zip_bomb_by_total_size_and_entry_count() {
    let data = vec![b'x'; 600];
    let file = zip_package(&[("a.xml", &data), ("b.xml", &data), ("c.xml", &data)]);
    let mut limits = ReadLimits::default();
    limits.max_total_size = 1000;
    match Package::read_with_limits(&file, &limits) {
        Err(PackageError::TotalSizeExceeded { entry, limit }) => {
            assert_eq!((entry.as_str(), limit), ("b.xml", 1000));
        }
        other => panic!("{other:?}"),
    }
    let mut limits = ReadLimits::default();
    limits.max_entries = 2;
    assert!(matches!(
        Package::read_with_limits(&file, &limits),
        Err(PackageError::TooManyEntries { count: 3, limit: 2 })
    ));
}

#[test]
fn header_defects() {
    let good = normal();
    assert!(matches!(
        Package::read(&good[..39]),
        Err(PackageError::TruncatedHeader { len: 39 })
    ));
    assert!(matches!(
        Package::read(b""),
        Err(PackageError::TruncatedHeader { len: 0 })
    ));
    let mut f = good.clone();
    f[0] = b'X';
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::BadMagic { offset: 0 })
    ));
    let mut f = good.clone();
    f[39] = b'Y';
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::BadMagic { offset: 36 })
    ));
    let mut f = good.clone();
    f[8] = 3;
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::UnsupportedVersion { version: 3 })
    ));
    let mut f = good.clone();
    f[4] = 39;
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::BadHeaderSize { size: 39 })
    ));
    // Lying lengths: beyond the file, overflow, huge header size.
    let mut f = good.clone();
    f[28..36].copy_from_slice(&(good.len() as u64).to_le_bytes());
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::PayloadOutOfBounds { .. })
    ));
    let mut f = good.clone();
    f[28..36].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::PayloadOutOfBounds { .. })
    ));
    let mut f = good.clone();
    f[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::PayloadOutOfBounds { .. })
    ));
    // Truncated payload: file cut, header unchanged.
    assert!(matches!(
        Package::read(&good[..good.len() - 10]),
        Err(PackageError::PayloadOutOfBounds { .. })
    ));
    // Header length shorter than the zip: the payload slice is truncated, the rest is trailing.
    let mut f = good.clone();
    f[28..36].copy_from_slice(&((good.len() - 40) as u64 - 30).to_le_bytes());
    assert!(Package::read(&f).is_err());
    // Payload cut in half with a matching header: malformed zip.
    let zip = &good[40..];
    let half = write_container(Uuid::nil(), &zip[..zip.len() / 2]);
    assert!(matches!(
        Package::read(&half),
        Err(PackageError::MalformedZip(_) | PackageError::Zip { .. })
    ));
    // Unknown payload.
    let f = write_container(Uuid::nil(), b"MZ\x90\x00");
    assert!(matches!(
        Package::read(&f),
        Err(PackageError::UnknownPayload { .. })
    ));
}

#[test]
fn corrupted_entry_data_is_an_error() {
    let good = normal();
    // Flip a byte inside the first entry's compressed data (after its local header).
    let mut f = good.clone();
    let name_len = u16::from_le_bytes([f[40 + 26], f[40 + 27]]) as usize;
    let data_start = 40 + 30 + name_len;
    f[data_start + 5] ^= 0x55;
    assert!(Package::read(&f).is_err());
}

#[test]
fn larger_header_size_moves_the_payload() {
    let good = normal();
    let zip = &good[40..];
    let mut header = runtime_pack::NavxHeader::new(Uuid::nil(), zip.len() as u64);
    header.header_size = 48;
    let mut file = header.to_bytes().to_vec();
    file.extend_from_slice(&[0xEE; 8]); // opaque extra header bytes
    file.extend_from_slice(zip);
    let p = Package::read(&file).unwrap();
    assert_eq!(p.header().header_size, 48);
    assert_eq!(p.entries().len(), 6);
    // A reader that assumed offset 40 would see garbage; the header says 48.
    let c = runtime_pack::read_container(&file).unwrap();
    assert_eq!(c.payload, zip);
}
