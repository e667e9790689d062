//! The lazy reader (`LazyPackage`, `ZipIndex`) and the light symbol parse (`SymbolSummary`):
//! the same answers as the full reader, every defect still refused. Synthetic input only.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use runtime_pack::build::{AppIdentity, BuildEntry, BuildOptions, SymbolBuilder, build_package};
use runtime_pack::fixtures::{self, sign};
use runtime_pack::{
    LazyPackage, NAVX_MANIFEST, Package, PackageError, ReadLimits, SYMBOL_REFERENCE,
    SymbolReference, SymbolSummary, Uuid, ZipIndex, write_container,
};

fn packages() -> Vec<(&'static str, Vec<u8>)> {
    let normal = fixtures::normal_package(Uuid::nil(), Uuid::nil(), "Fixture App");
    vec![
        ("signed", sign(normal.clone(), None, "Fixture Signer")),
        (
            "ready-to-run",
            fixtures::ready_to_run_package(Uuid::nil(), "inner.app", &normal),
        ),
        ("runtime", fixtures::runtime_package(Uuid::nil())),
        ("normal", normal),
    ]
}

#[test]
fn lazy_read_matches_the_full_read() {
    for (label, bytes) in packages() {
        let full = Package::read(&bytes).unwrap();
        let lazy = LazyPackage::read(&bytes).unwrap();
        assert_eq!(lazy.kind(), full.kind(), "{label}");
        assert_eq!(lazy.header(), full.header(), "{label}");
        assert_eq!(lazy.is_signed(), full.is_signed(), "{label}");
        assert_eq!(lazy.runtime_info(), full.runtime_info(), "{label}");
        assert_eq!(lazy.file_len(), full.file_len(), "{label}");
        for (l, f) in [(&lazy, &full), (lazy.app_package(), full.app_package())] {
            assert_eq!(l.entries().len(), f.entries().len(), "{label}");
            for (le, fe) in l.entries().iter().zip(f.entries()) {
                assert_eq!(
                    (&le.name, &le.path, le.size, le.compressed_size),
                    (&fe.name, &fe.path, fe.size, fe.compressed_size),
                    "{label}"
                );
                assert_eq!(l.read_entry(le).unwrap(), fe.data, "{label} {}", le.name);
            }
        }
        assert_eq!(
            lazy.read_app_file(NAVX_MANIFEST).unwrap().as_deref(),
            full.app_package()
                .entry(NAVX_MANIFEST)
                .map(|e| e.data.as_slice()),
            "{label}"
        );
        assert_eq!(
            lazy.ready_to_run().map(|(m, _)| m),
            full.ready_to_run().map(|(m, _)| m),
            "{label}"
        );
    }
}

#[test]
fn lazy_read_refuses_what_the_full_read_refuses() {
    let normal = fixtures::normal_package(Uuid::nil(), Uuid::nil(), "Fixture App");
    let zeros = vec![0u8; 4 << 20];
    let mut bad: Vec<Vec<u8>> = vec![
        normal[..normal.len() / 2].to_vec(),
        write_container(Uuid::nil(), &fixtures::zip_raw(&[("../x.xml", b"x")])),
        write_container(Uuid::nil(), &fixtures::zip_raw(&[("C:x.xml", b"x")])),
        write_container(
            Uuid::nil(),
            &fixtures::zip_raw(&[("a.xml", b"x"), ("A.XML", b"y")]),
        ),
        write_container(Uuid::nil(), &fixtures::zip_raw(&[("bomb.xml", &zeros)])),
        sign(normal.clone(), Some(&[0; 32]), "Fixture Signer")[..normal.len() + 10].to_vec(),
    ];
    let zip = &normal[40..];
    bad.push(write_container(Uuid::nil(), &zip[..zip.len() / 2]));
    for (i, bytes) in bad.iter().enumerate() {
        assert!(Package::read(bytes).is_err(), "case {i}");
        assert!(LazyPackage::read(bytes).is_err(), "case {i}");
    }
}

// ------------------------------------------------------------------ hand-made zips

/// One record of a hand-made zip: stored (method 0) unless `method` says otherwise.
struct Raw<'a> {
    local_name: &'a str,
    cd_name: &'a str,
    data: &'a [u8],
    crc: u32,
    size: u32,
    method: u16,
    flags: u16,
    /// Central-directory offset override (else where the local header was written).
    offset: Option<u32>,
}

impl<'a> Raw<'a> {
    fn new(name: &'a str, data: &'a [u8]) -> Self {
        Self {
            local_name: name,
            cd_name: name,
            data,
            crc: crc32(data),
            size: data.len() as u32,
            method: 0,
            flags: 0,
            offset: None,
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(data);
    h.finalize()
}

fn local_header(r: &Raw) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(b"PK\x03\x04");
    h.extend_from_slice(&20u16.to_le_bytes());
    h.extend_from_slice(&r.flags.to_le_bytes());
    h.extend_from_slice(&r.method.to_le_bytes());
    h.extend_from_slice(&[0; 4]);
    h.extend_from_slice(&r.crc.to_le_bytes());
    h.extend_from_slice(&(r.data.len() as u32).to_le_bytes());
    h.extend_from_slice(&r.size.to_le_bytes());
    h.extend_from_slice(&(r.local_name.len() as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(r.local_name.as_bytes());
    h
}

fn raw_zip(records: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for r in records {
        offsets.push(out.len() as u32);
        out.extend_from_slice(&local_header(r));
        out.extend_from_slice(r.data);
    }
    let cd_start = out.len() as u32;
    for (r, &at) in records.iter().zip(&offsets) {
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&r.flags.to_le_bytes());
        out.extend_from_slice(&r.method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&r.crc.to_le_bytes());
        out.extend_from_slice(&(r.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&r.size.to_le_bytes());
        out.extend_from_slice(&(r.cd_name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&r.offset.unwrap_or(at).to_le_bytes());
        out.extend_from_slice(r.cd_name.as_bytes());
    }
    let cd_len = out.len() as u32 - cd_start;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(records.len() as u16).to_le_bytes());
    out.extend_from_slice(&(records.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn index_error(zip: &[u8]) -> String {
    match ZipIndex::new(zip, &ReadLimits::default()) {
        Err(e) => e.to_string(),
        Ok(i) => panic!("accepted: {:?}", i.entries()),
    }
}

#[test]
fn hand_made_zip_reads() {
    let zip = raw_zip(&[Raw::new("a.xml", b"hello"), Raw::new("b/", b"")]);
    let index = ZipIndex::new(&zip, &ReadLimits::default()).unwrap();
    assert_eq!(index.entries().len(), 1);
    assert_eq!(index.read(&zip, &index.entries()[0]).unwrap(), b"hello");
}

#[test]
fn overlapping_entries_are_refused() {
    // `a.xml` (stored) holds a complete local header and data of `b.xml`: the central directory
    // points into it, so the same bytes belong to two entries.
    let inner = Raw::new("b.xml", b"inner");
    let mut payload = local_header(&inner);
    payload.extend_from_slice(b"inner");
    let mut b = Raw::new("b.xml", b"inner");
    b.offset = Some(30 + 5); // just after `a.xml`'s local header
    let zip = raw_zip(&[Raw::new("a.xml", &payload), b]);
    let err = index_error(&zip);
    assert!(err.contains("overlap"), "{err}");
}

#[test]
fn local_and_central_names_must_agree() {
    let mut r = Raw::new("a.xml", b"x");
    r.local_name = "../evil.xml";
    let err = index_error(&raw_zip(&[r]));
    assert!(err.contains("different file"), "{err}");
}

#[test]
fn unsupported_methods_and_encryption_are_refused() {
    let mut r = Raw::new("a.xml", b"x");
    r.method = 12; // bzip2
    assert!(index_error(&raw_zip(&[r])).contains("method 12"));
    let mut r = Raw::new("a.xml", b"x");
    r.flags = 1;
    assert!(index_error(&raw_zip(&[r])).contains("encrypted"));
    let mut r = Raw::new("a.xml", b"xyz");
    r.size = 5; // stored, but declares more than it holds
    assert!(index_error(&raw_zip(&[r])).contains("declares 5"));
}

#[test]
fn local_header_outside_the_payload_is_refused() {
    let mut r = Raw::new("a.xml", b"x");
    r.offset = Some(10_000);
    assert!(index_error(&raw_zip(&[r])).contains("no local header"));
}

#[test]
fn crc_and_size_are_checked_when_inflating() {
    let mut r = Raw::new("a.xml", b"hello");
    r.crc ^= 1;
    let zip = raw_zip(&[r]);
    let index = ZipIndex::new(&zip, &ReadLimits::default()).unwrap();
    let err = index
        .read(&zip, &index.entries()[0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("CRC"), "{err}");
    let file = write_container(Uuid::nil(), &zip);
    assert!(matches!(
        Package::read(&file),
        Err(PackageError::MalformedZip(m)) if m.contains("CRC")
    ));

    // A deflated entry whose declared size is smaller, or larger, than its data.
    for delta in [-3i64, 3] {
        let mut zip = fixtures::zip_raw(&[("a.xml", b"hello hello hello hello")]);
        let declared = (23 + delta) as u32;
        // Patch the uncompressed size in the local header (22) and the central directory.
        zip[22..26].copy_from_slice(&declared.to_le_bytes());
        let cd = zip
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("central directory");
        zip[cd + 24..cd + 28].copy_from_slice(&declared.to_le_bytes());
        let index = ZipIndex::new(&zip, &ReadLimits::default()).unwrap();
        let err = index
            .read(&zip, &index.entries()[0])
            .unwrap_err()
            .to_string();
        assert!(err.contains("declares"), "{delta}: {err}");
        assert!(Package::read(&write_container(Uuid::nil(), &zip)).is_err());
    }
}

#[test]
fn declared_sizes_are_limited_before_inflating() {
    let data = vec![b'x'; 600];
    let zip = fixtures::zip_raw(&[("a.xml", &data), ("b.xml", &data)]);
    let mut limits = ReadLimits::default();
    limits.max_total_size = 1000;
    let file = write_container(Uuid::nil(), &zip);
    match LazyPackage::read_with_limits(&file, &limits) {
        Err(PackageError::TotalSizeExceeded { entry, .. }) => assert_eq!(entry, "b.xml"),
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------------ symbols

fn same_objects(bytes: &[u8]) {
    let full = SymbolReference::from_slice(bytes).unwrap();
    let summary = SymbolSummary::from_slice(bytes).unwrap();
    let a: Vec<_> = full
        .objects()
        .iter()
        .map(|o| {
            (
                o.kind,
                o.namespace.clone(),
                o.object.id,
                o.object.name.clone(),
                o.object.reference_source_file_name.clone(),
            )
        })
        .collect();
    let b: Vec<_> = summary
        .objects()
        .iter()
        .map(|o| {
            (
                o.kind,
                o.namespace.clone(),
                o.id,
                o.name.clone(),
                o.reference_source_file_name.clone(),
            )
        })
        .collect();
    assert_eq!(a, b);
    assert_eq!(full.counts(), summary.counts());
}

#[test]
fn summary_lists_what_the_full_model_lists() {
    same_objects(&fixtures::symbol_reference_json(Uuid::nil(), "Fixture App"));

    let mut builder = SymbolBuilder::new(AppIdentity {
        name: "S".into(),
        publisher: "P".into(),
        version: "1.0.0.0".into(),
        runtime: Some((13, 0)),
        ..Default::default()
    });
    let sources = [
        (
            "src/A.Table.al",
            "namespace Contoso.Sales;\ntable 50100 \"A\" { fields { field(1; Code; Code[20]) { } } keys { key(PK; Code) { } } }",
        ),
        (
            "src/B.Codeunit.al",
            "namespace Contoso;\ncodeunit 50100 B { procedure Run(x: Integer): Boolean begin end; }",
        ),
        ("src/C.Enum.al", "enum 50100 C { value(0; None) { } }"),
        (
            "src/D.PageExt.al",
            "pageextension 50100 D extends \"Customer Card\" { }",
        ),
    ];
    for (path, text) in sources {
        builder.add_file(path, &al_parser::parse(text.as_bytes()));
    }
    let json = builder.finish().to_vec().unwrap();
    same_objects(&json);
    let summary = SymbolSummary::from_slice(&json).unwrap();
    assert_eq!(summary.objects().len(), 4);

    // Through a built package and the lazy reader.
    let file = build_package(
        vec![
            BuildEntry::new(NAVX_MANIFEST, b"<Package/>".to_vec()),
            BuildEntry::new(SYMBOL_REFERENCE, json.clone()),
        ],
        &BuildOptions::default(),
    )
    .unwrap();
    let lazy = LazyPackage::read(&file).unwrap();
    assert_eq!(lazy.read_app_file(SYMBOL_REFERENCE).unwrap(), Some(json));
}

#[test]
fn summary_tolerates_and_refuses_like_the_full_model() {
    same_objects(
        b"\xEF\xBB\xBF{\"Tables\":[{\"Id\":1,\"Name\":\"T\",\"Fields\":[{\"Id\":1}]}]}\0\0\n",
    );
    for bad in [
        &b"{\"Tables\":[{\"Id\":\"x\"}]}"[..],
        b"{",
        b"[]",
        b"{\"Tables\":7}",
    ] {
        assert!(SymbolReference::from_slice(bad).is_err());
        assert!(SymbolSummary::from_slice(bad).is_err());
    }
}
