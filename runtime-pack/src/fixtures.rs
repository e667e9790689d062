//! Synthetic packages for tests (feature `test-fixtures`). Nothing here comes from a real
//! package: every byte is written by this module.

#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use std::io::Write;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::container::write_container;
use crate::escape::escape_part_name;
use crate::signature::NXSB_MAGIC;

/// A minimal NavxManifest.xml for fixtures.
pub fn manifest_xml(id: Uuid, name: &str, version: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id=\"{id}\" Name=\"{name}\" Publisher=\"Fixture Publisher\" Brief=\"\" Description=\"\" Version=\"{version}\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" HelpBaseUrl=\"\" Url=\"\" Logo=\"\" Platform=\"24.0.0.0\" Application=\"24.0.0.0\" Runtime=\"13.0\" Target=\"Cloud\" ShowMyCode=\"True\" />\r\n  <IdRanges>\r\n    <IdRange MinObjectId=\"50100\" MaxObjectId=\"50149\" />\r\n  </IdRanges>\r\n  <Dependencies>\r\n    <Dependency Id=\"437dbf0e-84ff-417a-965d-ed2bb9650972\" Name=\"Base Application\" Publisher=\"Microsoft\" MinVersion=\"24.0.0.0\" CompatibilityId=\"0.0.0.0\" />\r\n  </Dependencies>\r\n  <InternalsVisibleTo />\r\n  <ScreenShots />\r\n  <SupportedLocales />\r\n  <Features />\r\n  <PreprocessorSymbols />\r\n  <SuppressWarnings />\r\n  <ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"false\" IncludeSourceInSymbolFile=\"false\" ApplyToDevExtension=\"false\" />\r\n  <KeyVaultUrls />\r\n</Package>"
    )
}

/// A small SymbolReference.json (BOM, one namespace, one table, one codeunit, one enum).
pub fn symbol_reference_json(id: Uuid, name: &str) -> Vec<u8> {
    let json = format!(
        r#"{{"RuntimeVersion":"13.0","Namespaces":[{{"Name":"Fixture","Namespaces":[{{"Name":"Sales","Tables":[{{"Id":50100,"Name":"Fixture Table","ReferenceSourceFileName":"src/FixtureTable.Table.al","Fields":[{{"Id":1,"Name":"Code","TypeDefinition":{{"Name":"Code[20]"}}}}],"Keys":[{{"Name":"PK","FieldNames":["Code"]}}]}}]}}]}}],"Tables":[],"Codeunits":[{{"Id":50100,"Name":"Fixture Codeunit","ReferenceSourceFileName":"src/System Codeunits/Fixture Codeunit.Codeunit.al","Methods":[{{"Id":1,"Name":"Run","Parameters":[{{"Name":"Value","IsVar":true,"TypeDefinition":{{"Name":"Integer"}}}}],"ReturnTypeDefinition":{{"Name":"Boolean"}}}}]}}],"EnumTypes":[{{"Id":50100,"Name":"Fixture Enum","Values":[{{"Ordinal":0,"Name":"None"}}]}}],"InternalsVisibleToModules":[],"AppId":"{id}","Name":"{name}","Publisher":"Fixture Publisher","Version":"1.0.0.0"}}"#
    );
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(json.as_bytes());
    out
}

/// `[Content_Types].xml` listing the given extensions.
pub fn content_types_xml(extensions: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    );
    for e in extensions {
        s.push_str(&format!("<Default Extension=\"{e}\" ContentType=\"\" />"));
    }
    s.push_str("</Types>");
    s.into_bytes()
}

/// Builds a zip (deflate) from `(stored name, bytes)` pairs, names used verbatim.
pub fn zip_raw(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The entries of a typical normal package, with names escaped as the compiler does.
pub fn normal_entries(app_id: Uuid, name: &str) -> Vec<(String, Vec<u8>)> {
    let src1 = "src/System Codeunits/Fixture Codeunit.Codeunit.al";
    let src2 = "src/FixtureTable.Table.al";
    vec![
        (
            "NavxManifest.xml".to_owned(),
            manifest_xml(app_id, name, "1.0.0.0").into_bytes(),
        ),
        (
            "SymbolReference.json".to_owned(),
            symbol_reference_json(app_id, name),
        ),
        (
            escape_part_name(src1),
            b"codeunit 50100 \"Fixture Codeunit\"\r\n{\r\n}\r\n".to_vec(),
        ),
        (
            escape_part_name(src2),
            b"table 50100 \"Fixture Table\"\r\n{\r\n    fields { field(1; Code; Code[20]) { } }\r\n}\r\n".to_vec(),
        ),
        (
            escape_part_name("Translations/Fixture App.g.xlf"),
            b"<xliff/>".to_vec(),
        ),
        (
            "[Content_Types].xml".to_owned(),
            content_types_xml(&["xml", "json", "al", "xlf"]),
        ),
    ]
}

/// A zip of owned entries.
pub fn zip_owned(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_raw(&borrowed)
}

/// A complete unsigned normal package.
pub fn normal_package(package_id: Uuid, app_id: Uuid, name: &str) -> Vec<u8> {
    write_container(package_id, &zip_owned(&normal_entries(app_id, name)))
}

/// An unsigned runtime package: `.NEA` header, opaque bytes, and the 8 extra container bytes.
pub fn runtime_package(package_id: Uuid) -> Vec<u8> {
    let mut payload = b".NEA\x00\x00\x00\x01".to_vec();
    payload.extend((0u32..200).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let mut file = write_container(package_id, &payload);
    file.extend_from_slice(&[0xA5; 8]);
    file
}

/// A ready-to-run wrapper around `inner` (a complete package file).
pub fn ready_to_run_package(package_id: Uuid, inner_name: &str, inner: &[u8]) -> Vec<u8> {
    let manifest = format!(
        "{{\"EmbeddedAppId\":\"00000000-0000-0000-0000-000000000001\",\"EmbeddedAppName\":\"Fixture\",\"EmbeddedAppPublisher\":\"Fixture Publisher\",\"EmbeddedAppVersion\":\"1.0.0.0\",\"EmbeddedAppFileName\":\"{inner_name}\"}}"
    );
    let zip = zip_raw(&[
        ("readytorunappmanifest.json", manifest.as_bytes()),
        (inner_name, inner),
        ("[Content_Types].xml", &content_types_xml(&["json", "app"])),
    ]);
    write_container(package_id, &zip)
}

// ------------------------------------------------------------------ DER

/// A DER TLV with a one-byte tag.
pub fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

const OID_SIGNED_DATA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];
const OID_SPC_INDIRECT: &[u8] = &[
    0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04,
];
const OID_SPC_SIPINFO: &[u8] = &[
    0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x1E,
];
/// DER of the SHA-256 OID.
pub const OID_SHA256_DER: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];
/// DER of the MD5 OID (unsupported for digest checks).
pub const OID_MD5_DER: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05];
/// DER of the SHA-1 OID.
pub const OID_SHA1_DER: &[u8] = &[0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A];

fn name(cn: &str, org: &str) -> Vec<u8> {
    let o = der(
        0x31,
        &seq(&[&[0x06, 0x03, 0x55, 0x04, 0x0A], &der(0x0C, org.as_bytes())]),
    );
    let c = der(
        0x31,
        &seq(&[&[0x06, 0x03, 0x55, 0x04, 0x03], &der(0x0C, cn.as_bytes())]),
    );
    seq(&[&o, &c])
}

/// A hand-assembled Authenticode-shaped `ContentInfo { SignedData }` carrying `digest` under the
/// algorithm `alg_oid_der`, one (unsigned, structurally minimal) certificate for `signer_cn`, and a
/// SignerInfo naming it. There is no real signature: this exercises parsing and the digest check.
pub fn signed_data_der(alg_oid_der: &[u8], digest: &[u8], signer_cn: &str) -> Vec<u8> {
    let null = [0x05, 0x00];
    let alg = seq(&[alg_oid_der, &null]);
    let sip_info = seq(&[
        &der(0x02, &[1]),
        &der(0x04, &[0x12; 16]),
        &der(0x02, &[0]),
        &der(0x02, &[0]),
        &der(0x02, &[0]),
        &der(0x02, &[0]),
        &der(0x02, &[0]),
    ]);
    let indirect = seq(&[
        &seq(&[OID_SPC_SIPINFO, &sip_info]),
        &seq(&[&alg, &der(0x04, digest)]),
    ]);
    let encap = seq(&[OID_SPC_INDIRECT, &der(0xA0, &indirect)]);
    let issuer = name("Fixture Root", "Fixture CA");
    let subject = name(signer_cn, "Contoso");
    let serial = der(0x02, &[0x01, 0x23, 0x45]);
    let rsa = seq(&[
        &[
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B,
        ],
        &null,
    ]);
    let validity = seq(&[&der(0x17, b"250101000000Z"), &der(0x17, b"350101000000Z")]);
    let spki = seq(&[&rsa, &der(0x03, &[0x00, 0x00])]);
    let other_cert_tbs = seq(&[
        &der(0xA0, &der(0x02, &[2])),
        &der(0x02, &[0x09]),
        &rsa,
        &issuer,
        &validity,
        &issuer,
        &spki,
    ]);
    let tbs = seq(&[
        &der(0xA0, &der(0x02, &[2])),
        &serial,
        &rsa,
        &issuer,
        &validity,
        &subject,
        &spki,
    ]);
    let root = seq(&[&other_cert_tbs, &rsa, &der(0x03, &[0x00, 0x00])]);
    let cert = seq(&[&tbs, &rsa, &der(0x03, &[0x00, 0x00])]);
    let certificates = der(0xA0, &[root, cert].concat());
    let signer_info = seq(&[
        &der(0x02, &[1]),
        &seq(&[&issuer, &serial]),
        &alg,
        &rsa,
        &der(0x04, &[0; 4]),
    ]);
    let signed_data = seq(&[
        &der(0x02, &[1]),
        &der(0x31, &alg),
        &encap,
        &certificates,
        &der(0x31, &signer_info),
    ]);
    seq(&[OID_SIGNED_DATA, &der(0xA0, &signed_data)])
}

/// Appends an NXSB block whose digest is SHA-256 of `file` (or `digest_override`).
pub fn sign(mut file: Vec<u8>, digest_override: Option<&[u8]>, signer_cn: &str) -> Vec<u8> {
    let digest = Sha256::digest(&file).to_vec();
    let der = signed_data_der(
        OID_SHA256_DER,
        digest_override.unwrap_or(&digest),
        signer_cn,
    );
    append_block(&mut file, &der);
    file
}

/// Appends `NXSB`, `der`, the block offset and `NXSB` to `file`.
pub fn append_block(file: &mut Vec<u8>, der: &[u8]) {
    let offset = file.len() as u32;
    file.extend_from_slice(&NXSB_MAGIC);
    file.extend_from_slice(der);
    file.extend_from_slice(&offset.to_le_bytes());
    file.extend_from_slice(&NXSB_MAGIC);
}
