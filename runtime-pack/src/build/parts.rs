//! Small generated parts: `MediaIdListing.xml`, `entitlement/<appId>.xml`, `DocComments.xml`
//! (app-format.md §2.3).

use std::borrow::Cow;

use al_manifest::xml::{Escape, escape};
use al_parser::Parse;
use al_parser::ast::ObjectKind;
use uuid::Uuid;

use crate::build::symbols::AppIdentity;
use crate::symbols::{SymbolObjectType, SymbolReference};

/// All five predefined entities escaped: the spelling of the compiler's generated parts.
fn esc(s: &str) -> Cow<'_, str> {
    escape(s, Escape::PREDEFINED)
}

/// `MediaIdListing.xml`: UTF-8 BOM, root `MediaIdListing` in
/// `http://schemas.microsoft.com/navx/2016/mediaidlisting`, `LogoFileName` / `LogoId` (empty
/// without a logo), an empty `<MediaSetIds />`.
///
/// ```
/// let xml = runtime_pack::build::media_id_listing_xml(None);
/// assert!(xml.starts_with(b"\xEF\xBB\xBF<?xml"));
/// assert!(std::str::from_utf8(&xml).unwrap().contains(r#"LogoFileName="" LogoId="""#));
/// ```
pub fn media_id_listing_xml(logo: Option<(&str, Uuid)>) -> Vec<u8> {
    let (file, id) = match logo {
        Some((f, id)) => (esc(f), id.to_string()),
        None => (Cow::Borrowed(""), String::new()),
    };
    format!(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><MediaIdListing LogoFileName=\"{file}\" LogoId=\"{id}\" xmlns=\"http://schemas.microsoft.com/navx/2016/mediaidlisting\"><MediaSetIds /></MediaIdListing>"
    )
    .into_bytes()
}

/// `entitlement/<appId>.xml`: the implicit entitlement the compiler writes (runtime ≥ 6), one
/// `Permission` row per object — tables get TableData (type 0, value 15) and Table (1, 16);
/// reports 3, codeunits 5, xmlports 6, pages 8, queries 9, value 16. Rows sorted by type, then
/// id; objects without an id are skipped. UTF-8 BOM.
///
/// ```
/// use runtime_pack::SymbolReference;
/// let s = SymbolReference::from_slice(br#"{"Tables":[{"Id":50100,"Name":"T"}],"Codeunits":[{"Id":50101,"Name":"C"}]}"#).unwrap();
/// let xml = runtime_pack::build::entitlement_xml(uuid::Uuid::nil(), &s);
/// let text = std::str::from_utf8(&xml[3..]).unwrap();
/// assert!(text.contains(r#"<Permission Type="0" ID="50100" Value="15" /><Permission Type="1" ID="50100" Value="16" /><Permission Type="5" ID="50101" Value="16" />"#));
/// ```
pub fn entitlement_xml(app_id: Uuid, symbols: &SymbolReference) -> Vec<u8> {
    let mut rows: Vec<(u8, i64, u8)> = Vec::new();
    for o in symbols.objects() {
        let id = o.object.id;
        if id <= 0 {
            continue;
        }
        match o.kind {
            SymbolObjectType::Table => {
                rows.push((0, id, 15));
                rows.push((1, id, 16));
            }
            SymbolObjectType::Report => rows.push((3, id, 16)),
            SymbolObjectType::Codeunit => rows.push((5, id, 16)),
            SymbolObjectType::XmlPort => rows.push((6, id, 16)),
            SymbolObjectType::Page => rows.push((8, id, 16)),
            SymbolObjectType::Query => rows.push((9, id, 16)),
            _ => {}
        }
    }
    rows.sort_unstable();
    rows.dedup();
    let mut s = format!(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><Entitlement MetadataVersion=\"130000\" Name=\"{app_id}\" Type=\"Implicit\" xmlns=\"urn:schemas-microsoft-com:dynamics:NAV:MetaObjects\">"
    );
    if rows.is_empty() {
        s.push_str("<ObjectEntitlements />");
    } else {
        s.push_str("<ObjectEntitlements>");
        for (ty, id, value) in rows {
            s.push_str(&format!(
                "<Permission Type=\"{ty}\" ID=\"{id}\" Value=\"{value}\" />"
            ));
        }
        s.push_str("</ObjectEntitlements>");
    }
    s.push_str("</Entitlement>");
    s.into_bytes()
}

/// One documented member for `DocComments.xml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMember {
    /// Member name, `O:<Kind>::<Object name>` for objects.
    pub name: String,
    /// The comment's XML content (the `///` lines without the slashes), or its text escaped
    /// when it is not well-formed XML.
    pub xml: String,
}

fn kind_name(k: ObjectKind) -> &'static str {
    match k {
        ObjectKind::Table => "Table",
        ObjectKind::TableExtension => "TableExtension",
        ObjectKind::Page => "Page",
        ObjectKind::PageExtension => "PageExtension",
        ObjectKind::PageCustomization => "PageCustomization",
        ObjectKind::Codeunit => "Codeunit",
        ObjectKind::Report => "Report",
        ObjectKind::ReportExtension => "ReportExtension",
        ObjectKind::XmlPort => "XmlPort",
        ObjectKind::Query => "Query",
        ObjectKind::Enum => "Enum",
        ObjectKind::EnumExtension => "EnumExtension",
        ObjectKind::Interface => "Interface",
        ObjectKind::PermissionSet => "PermissionSet",
        ObjectKind::PermissionSetExtension => "PermissionSetExtension",
        ObjectKind::Profile => "Profile",
        ObjectKind::ProfileExtension => "ProfileExtension",
        ObjectKind::ControlAddIn => "ControlAddIn",
        ObjectKind::Entitlement => "Entitlement",
        ObjectKind::DotNet => "DotNet",
    }
}

/// The `///` lines directly above byte offset `start` (attribute lines `[…]` in between are
/// skipped), joined with `\n`, slashes and one following space removed.
fn doc_above(text: &[u8], start: usize) -> Option<String> {
    let before = text.get(..start)?;
    // Drop the partial line the declaration starts on.
    let mut end = before.iter().rposition(|&b| b == b'\n')?;
    let mut lines: Vec<String> = Vec::new();
    loop {
        let line_start = before
            .get(..end)?
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = String::from_utf8_lossy(before.get(line_start..end)?);
        let t = line.trim();
        if let Some(doc) = t.strip_prefix("///") {
            lines.push(doc.strip_prefix(' ').unwrap_or(doc).to_owned());
        } else if !(t.starts_with('[') && lines.is_empty()) {
            break;
        }
        if line_start == 0 {
            break;
        }
        end = line_start - 1;
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

fn well_formed(fragment: &str) -> bool {
    let wrapped = format!("<r>{fragment}</r>");
    let mut reader = quick_xml::Reader::from_str(&wrapped);
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => return depth == 0,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// The documented objects of one file: each object declaration preceded by `///` lines.
/// Procedure comments are **not** collected (the compiler's member-name format for methods is
/// not documented in our samples).
pub fn doc_members(parse: &Parse) -> Vec<DocMember> {
    let text = parse.text();
    let mut out = Vec::new();
    for obj in parse.source_file().objects() {
        let (Some(kind), Some(name)) = (obj.kind(), obj.name()) else {
            continue;
        };
        let Some(doc) = doc_above(text, obj.syntax().span().start as usize) else {
            continue;
        };
        let xml = if well_formed(&doc) {
            doc
        } else {
            esc(&doc).into_owned()
        };
        out.push(DocMember {
            name: format!("O:{}::{}", kind_name(kind), name.value),
            xml,
        });
    }
    out
}

/// `DocComments.xml`: `<?xml version="1.0"?>` (no BOM), `<doc><application>` with id, name,
/// publisher, version, then `<members>` with one `<member name="…">` per [`DocMember`].
///
/// ```
/// use runtime_pack::build::{AppIdentity, doc_comments_xml, parts::doc_members};
/// let p = al_parser::parse(b"/// <summary>Points.</summary>\ncodeunit 50100 \"Loyalty Mgt\" { }");
/// let xml = doc_comments_xml(&AppIdentity::default(), &doc_members(&p));
/// assert!(String::from_utf8(xml).unwrap().contains(
///     r#"<member name="O:Codeunit::Loyalty Mgt"><summary>Points.</summary></member>"#));
/// ```
pub fn doc_comments_xml(app: &AppIdentity, members: &[DocMember]) -> Vec<u8> {
    let mut s = String::from("<?xml version=\"1.0\"?>\r\n<doc>\r\n  <application>\r\n");
    s.push_str(&format!("    <id>{}</id>\r\n", app.app_id));
    s.push_str(&format!("    <name>{}</name>\r\n", esc(&app.name)));
    s.push_str(&format!(
        "    <publisher>{}</publisher>\r\n",
        esc(&app.publisher)
    ));
    s.push_str(&format!("    <version>{}</version>\r\n", esc(&app.version)));
    s.push_str("  </application>\r\n  <members>\r\n");
    for m in members {
        s.push_str(&format!(
            "    <member name=\"{}\">{}</member>\r\n",
            esc(&m.name),
            m.xml
        ));
    }
    s.push_str("  </members>\r\n</doc>");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn doc_comments() {
        let src = "namespace A;\n\n/// <summary>\n/// Keeps tiers.\n/// </summary>\n[Obsolete]\ntable 50100 T { }\n\n// plain\ncodeunit 50101 C { }\n/// broken <b>\nenum 50102 E { }\n";
        let p = al_parser::parse(src.as_bytes());
        let m = doc_members(&p);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].name, "O:Table::T");
        assert_eq!(m[0].xml, "<summary>\nKeeps tiers.\n</summary>");
        assert_eq!(m[1].name, "O:Enum::E");
        assert_eq!(m[1].xml, "broken &lt;b&gt;");
        let xml = String::from_utf8(doc_comments_xml(&AppIdentity::default(), &m)).unwrap();
        assert!(well_formed(
            xml.trim_start_matches("<?xml version=\"1.0\"?>")
        ));
    }

    #[test]
    fn media_listing_with_logo() {
        let xml = media_id_listing_xml(Some(("logo.png", Uuid::nil())));
        let t = String::from_utf8(xml).unwrap();
        assert!(
            t.contains("LogoFileName=\"logo.png\" LogoId=\"00000000-0000-0000-0000-000000000000\"")
        );
    }
}
