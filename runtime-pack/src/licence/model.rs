//! The parsed licence: header, properties, permission collections.

use serde::Serialize;

use super::perm::{Date, Permissions};

/// An object-type collection of a licence (`pl/@t`), with the Permission Range
/// "Object Type" code of license-format.md §4.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CollectionKind {
    /// 0, `TableData` (data in tables).
    TableData,
    /// 1, `TableDescription` (table objects).
    Table,
    /// 2, `Form` (legacy).
    Form,
    /// 3, `Report`.
    Report,
    /// 4, `Dataport` (legacy).
    Dataport,
    /// 5, `Codeunit`.
    Codeunit,
    /// 6, `XMLPort`.
    XmlPort,
    /// 7, `MenuSuite`.
    MenuSuite,
    /// 8, `Page`.
    Page,
    /// 9, `Query`.
    Query,
    /// 10, `System`.
    System,
    /// 11, `FieldNo`.
    FieldNumber,
    /// 12, `LimitedUsageTable`.
    LimitedUsageTableData,
    /// 13, TablePage (no collection name seen).
    TablePage,
    /// 14, PageExtension (no collection name seen).
    PageExtension,
    /// 15, TableExtension (no collection name seen).
    TableExtension,
    /// 16, Enum (no collection name seen).
    Enum,
    /// 17, EnumExtension (no collection name seen).
    EnumExtension,
    /// 18, Profile (no collection name seen).
    Profile,
    /// 19, ProfileExtension (no collection name seen).
    ProfileExtension,
    /// 20, PermissionSet (no collection name seen).
    PermissionSet,
    /// 21, PermissionSetExtension (no collection name seen).
    PermissionSetExtension,
    /// 22, ReportExtension (no collection name seen).
    ReportExtension,
}

impl CollectionKind {
    /// Every kind, in code order.
    pub const ALL: [CollectionKind; 23] = [
        Self::TableData,
        Self::Table,
        Self::Form,
        Self::Report,
        Self::Dataport,
        Self::Codeunit,
        Self::XmlPort,
        Self::MenuSuite,
        Self::Page,
        Self::Query,
        Self::System,
        Self::FieldNumber,
        Self::LimitedUsageTableData,
        Self::TablePage,
        Self::PageExtension,
        Self::TableExtension,
        Self::Enum,
        Self::EnumExtension,
        Self::Profile,
        Self::ProfileExtension,
        Self::PermissionSet,
        Self::PermissionSetExtension,
        Self::ReportExtension,
    ];

    /// The Permission Range "Object Type" option code (0–22).
    pub fn code(self) -> u8 {
        // ALL is in code order, so the position is the code.
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as u8
    }

    /// The collection name used in `.bclicense` files (`pl/@t`); for codes 13–22, where no
    /// file has been seen, the Permission Range option name.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::TableData => "TableData",
            Self::Table => "TableDescription",
            Self::Form => "Form",
            Self::Report => "Report",
            Self::Dataport => "Dataport",
            Self::Codeunit => "Codeunit",
            Self::XmlPort => "XMLPort",
            Self::MenuSuite => "MenuSuite",
            Self::Page => "Page",
            Self::Query => "Query",
            Self::System => "System",
            Self::FieldNumber => "FieldNo",
            Self::LimitedUsageTableData => "LimitedUsageTable",
            Self::TablePage => "TablePage",
            Self::PageExtension => "PageExtension",
            Self::TableExtension => "TableExtension",
            Self::Enum => "Enum",
            Self::EnumExtension => "EnumExtension",
            Self::Profile => "Profile",
            Self::ProfileExtension => "ProfileExtension",
            Self::PermissionSet => "PermissionSet",
            Self::PermissionSetExtension => "PermissionSetExtension",
            Self::ReportExtension => "ReportExtension",
        }
    }

    /// The short lower-case name written to range files (`table`, `tabledata`, `xmlport`, …).
    pub fn range_name(self) -> &'static str {
        match self {
            Self::TableData => "tabledata",
            Self::Table => "table",
            Self::Form => "form",
            Self::Report => "report",
            Self::Dataport => "dataport",
            Self::Codeunit => "codeunit",
            Self::XmlPort => "xmlport",
            Self::MenuSuite => "menusuite",
            Self::Page => "page",
            Self::Query => "query",
            Self::System => "system",
            Self::FieldNumber => "fieldnumber",
            Self::LimitedUsageTableData => "limitedusagetable",
            Self::TablePage => "tablepage",
            Self::PageExtension => "pageextension",
            Self::TableExtension => "tableextension",
            Self::Enum => "enum",
            Self::EnumExtension => "enumextension",
            Self::Profile => "profile",
            Self::ProfileExtension => "profileextension",
            Self::PermissionSet => "permissionset",
            Self::PermissionSetExtension => "permissionsetextension",
            Self::ReportExtension => "reportextension",
        }
    }

    /// Recognises a collection by AL name, file collection name or numeric code
    /// (case-insensitive): `table`, `TableDescription`, `1` all give [`CollectionKind::Table`].
    ///
    /// ```
    /// use runtime_pack::licence::CollectionKind;
    /// assert_eq!(CollectionKind::from_name("TableDescription"), Some(CollectionKind::Table));
    /// assert_eq!(CollectionKind::from_name("XMLport"), Some(CollectionKind::XmlPort));
    /// assert_eq!(CollectionKind::from_name("8"), Some(CollectionKind::Page));
    /// assert_eq!(CollectionKind::from_name("widget"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<CollectionKind> {
        let n = name.trim();
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            let code: usize = n.parse().ok()?;
            return Self::ALL.get(code).copied();
        }
        let lower = n.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "tabledescription" => Some(Self::Table),
            "fieldno" => Some(Self::FieldNumber),
            "limitedusagetabledata" => Some(Self::LimitedUsageTableData),
            _ => None,
        };
        alias.or_else(|| {
            Self::ALL
                .iter()
                .copied()
                .find(|k| k.range_name() == lower || k.file_name().eq_ignore_ascii_case(&lower))
        })
    }
}

/// One line of the human-readable text header. Labels are localised: keep them raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderLine {
    /// The line as written (without the line end).
    pub raw: String,
    /// Text before the first `:` (trimmed), for `key : value` lines starting at column 0.
    pub key: Option<String>,
    /// Text after the first `:` (trimmed), plus indented continuation lines joined with `\n`.
    pub value: Option<String>,
}

/// A `Properties/Property` of the XML body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceProperty {
    /// `@name` (`SN`, `INF1`, `CC`, …).
    pub name: String,
    /// `@type` (`Int32`, `String`, …).
    pub r#type: String,
    /// `@id`, as written.
    pub id: String,
    /// The element's text (CDATA).
    pub text: String,
}

/// A time limit on a range (`p/e`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RangeExpiry {
    /// `@ed`: after this date the range grants nothing (`None` if absent or not ISO).
    pub expires: Option<Date>,
    /// `@wd`: warning date.
    pub warning: Option<Date>,
    /// The element's text (a label such as "License File Expiration").
    pub label: String,
}

/// One inclusive ID range of a collection with its permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionRange {
    /// First ID.
    pub from: u32,
    /// Last ID (inclusive).
    pub to: u32,
    /// The raw `pbm` (for range files: the canonical value of the permissions).
    pub pbm: u32,
    /// Decoded permissions.
    pub permissions: Permissions,
    /// Time limit, if any.
    pub expiry: Option<RangeExpiry>,
    /// 1-based line in a range file (`None` for `.bclicense`).
    pub line: Option<usize>,
}

impl PermissionRange {
    /// Whether `id` lies in the range.
    pub fn contains(&self, id: u32) -> bool {
        self.from <= id && id <= self.to
    }

    /// Whether the range has expired on `today` (expired the day after its expiry date).
    pub fn expired_on(&self, today: Date) -> bool {
        self.expiry
            .as_ref()
            .and_then(|e| e.expires)
            .is_some_and(|ed| today > ed)
    }
}

/// A `pl` collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionCollection {
    /// `pl/@t` as written (unknown names are kept).
    pub name: String,
    /// The recognised kind, if any.
    pub kind: Option<CollectionKind>,
    /// `pl/@c` (declared row count), if present and numeric.
    pub declared_count: Option<u64>,
    /// The rows, in file order.
    pub ranges: Vec<PermissionRange>,
}

/// Which file the licence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LicenceFormat {
    /// A `.bclicense` (UTF-16 header + XML).
    BcLicense,
    /// A plain-text licence range file (license-format.md §11.2).
    RangeFile,
}

/// What is known about the XML signature. Only integrity could ever be checked, never
/// authenticity (the trust anchor is not public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SignatureStatus {
    /// No `<Signature>` element (hand-made files, range files).
    Absent,
    /// A signature is present but was not verified (this library does not implement XML
    /// canonicalisation).
    NotChecked {
        /// `X509Certificate` subject CN, if the certificate could be read.
        signer: Option<String>,
    },
}

/// A `# key: value` comment of a range file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RangeComment {
    /// Key as written (trimmed).
    pub key: String,
    /// Value (trimmed).
    pub value: String,
}

/// A parsed licence, from a `.bclicense` or a range file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Licence {
    /// Source format.
    pub format: LicenceFormat,
    /// Text header lines (`.bclicense`; empty for range files).
    pub header: Vec<HeaderLine>,
    /// XML properties (`.bclicense`; empty for range files).
    pub properties: Vec<LicenceProperty>,
    /// `# key: value` comments (range files).
    pub comments: Vec<RangeComment>,
    /// Permission collections.
    pub collections: Vec<PermissionCollection>,
    /// Signature status.
    pub signature: SignatureStatus,
    /// Non-fatal remarks (missing first header line, `pl/@c` mismatch, …).
    pub warnings: Vec<String>,
}

/// Permissions of one object ID in one collection, combined over all rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookup {
    /// Combined permissions of the rows containing the ID that have not expired.
    pub permissions: Permissions,
    /// The first row containing the ID (expired or not), as `(from, to)`.
    pub range: Option<(u32, u32)>,
    /// Rows containing the ID that have expired on `today`, as `(from, to, expiry)`.
    pub expired: Vec<(u32, u32, Date)>,
    /// Rows containing the ID whose warning date has passed but which have not expired yet.
    pub expiring: Vec<(u32, u32, Date)>,
}

impl Licence {
    /// A property's text by `@name`.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.text.as_str())
    }

    /// A range-file comment's value by key (case-insensitive).
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments
            .iter()
            .find(|c| c.key.eq_ignore_ascii_case(key))
            .map(|c| c.value.as_str())
    }

    /// Serial number: property `SN`, or a range file's `# serial:` comment.
    pub fn serial(&self) -> Option<&str> {
        self.property("SN").or_else(|| self.comment("serial"))
    }

    /// Licensee: property `INF1`, or a range file's `# licensee:` comment.
    pub fn licensee(&self) -> Option<&str> {
        self.property("INF1").or_else(|| self.comment("licensee"))
    }

    /// Country code: property `CC`, or a range file's `# country:` comment.
    pub fn country(&self) -> Option<&str> {
        self.property("CC").or_else(|| self.comment("country"))
    }

    /// Licence expiry: the earliest `ed` on a `System` range (the demo licence carries
    /// "License File Expiration" there), or a range file's `# expires:` comment. The text
    /// header's localised expiry line is never parsed.
    pub fn expires(&self) -> Option<Date> {
        let from_xml = self
            .collections
            .iter()
            .filter(|c| c.kind == Some(CollectionKind::System))
            .flat_map(|c| &c.ranges)
            .filter_map(|r| r.expiry.as_ref().and_then(|e| e.expires))
            .min();
        from_xml.or_else(|| self.comment("expires").and_then(|v| v.parse().ok()))
    }

    /// Permissions for `id` in collection `kind`: rows of every collection of that kind
    /// containing `id` are combined per letter (direct beats indirect); rows expired on
    /// `today` grant nothing. With `today = None` expiry is not evaluated.
    pub fn lookup(&self, kind: CollectionKind, id: u32, today: Option<Date>) -> Lookup {
        let mut out = Lookup {
            permissions: Permissions::NONE,
            range: None,
            expired: Vec::new(),
            expiring: Vec::new(),
        };
        let rows = self
            .collections
            .iter()
            .filter(|c| c.kind == Some(kind))
            .flat_map(|c| &c.ranges)
            .filter(|r| r.contains(id));
        for r in rows {
            if out.range.is_none() {
                out.range = Some((r.from, r.to));
            }
            let exp = r.expiry.as_ref();
            if let (Some(t), Some(ed)) = (today, exp.and_then(|e| e.expires)) {
                if t > ed {
                    out.expired.push((r.from, r.to, ed));
                    continue;
                }
                if exp.and_then(|e| e.warning).is_some_and(|wd| t >= wd) {
                    out.expiring.push((r.from, r.to, ed));
                }
            }
            out.permissions = out.permissions.union(&r.permissions);
        }
        out
    }

    /// Whether the licence has a collection of `kind`.
    pub fn has_collection(&self, kind: CollectionKind) -> bool {
        self.collections.iter().any(|c| c.kind == Some(kind))
    }
}
