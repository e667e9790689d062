//! The licence check: may these objects be packaged (generate a runtime package) and run?

use serde::Serialize;

use super::model::{CollectionKind, Licence};
use super::perm::{Date, Permission, Permissions};

/// AL object types, as far as the licence check needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ObjectType {
    /// `table`.
    Table,
    /// `tableextension`.
    TableExtension,
    /// `page`.
    Page,
    /// `pageextension`.
    PageExtension,
    /// `pagecustomization`.
    PageCustomization,
    /// `codeunit`.
    Codeunit,
    /// `report`.
    Report,
    /// `reportextension`.
    ReportExtension,
    /// `xmlport`.
    XmlPort,
    /// `query`.
    Query,
    /// `enum`.
    Enum,
    /// `enumextension`.
    EnumExtension,
    /// `interface`.
    Interface,
    /// `permissionset`.
    PermissionSet,
    /// `permissionsetextension`.
    PermissionSetExtension,
    /// `profile`.
    Profile,
    /// `profileextension`.
    ProfileExtension,
    /// `controladdin`.
    ControlAddIn,
    /// `entitlement`.
    Entitlement,
    /// `dotnet`.
    DotNet,
}

impl ObjectType {
    const KEYWORDS: [(&'static str, ObjectType); 20] = [
        ("table", Self::Table),
        ("tableextension", Self::TableExtension),
        ("page", Self::Page),
        ("pageextension", Self::PageExtension),
        ("pagecustomization", Self::PageCustomization),
        ("codeunit", Self::Codeunit),
        ("report", Self::Report),
        ("reportextension", Self::ReportExtension),
        ("xmlport", Self::XmlPort),
        ("query", Self::Query),
        ("enum", Self::Enum),
        ("enumextension", Self::EnumExtension),
        ("interface", Self::Interface),
        ("permissionset", Self::PermissionSet),
        ("permissionsetextension", Self::PermissionSetExtension),
        ("profile", Self::Profile),
        ("profileextension", Self::ProfileExtension),
        ("controladdin", Self::ControlAddIn),
        ("entitlement", Self::Entitlement),
        ("dotnet", Self::DotNet),
    ];

    /// The AL keyword (`tableextension`, `xmlport`, …).
    pub fn keyword(self) -> &'static str {
        Self::KEYWORDS
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("?", |(k, _)| k)
    }

    /// Recognises an AL keyword (case-insensitive); `enumtype`/`enumextensiontype`
    /// (SymbolReference array names) are accepted too.
    pub fn from_keyword(s: &str) -> Option<ObjectType> {
        let l = s.trim().to_ascii_lowercase();
        let l = match l.as_str() {
            "enumtype" => "enum",
            "enumextensiontype" => "enumextension",
            "dotnetpackage" => "dotnet",
            other => other,
        };
        Self::KEYWORDS
            .iter()
            .find(|(k, _)| *k == l)
            .map(|(_, t)| *t)
    }
}

/// How the licence applies to an object type (license-format.md §8, proposed table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mapping {
    /// Checked against this collection; failures are errors.
    Checked(CollectionKind),
    /// Checked against this collection, but BC's behaviour differs between versions:
    /// failures are warnings (table, page and report extensions).
    Warning(CollectionKind),
    /// Not covered by the licence (enums, permission sets, profiles, interfaces, …).
    NotLicensed,
}

/// The collection and severity for an object type.
///
/// ```
/// use runtime_pack::licence::{CollectionKind, Mapping, ObjectType, mapping};
/// assert_eq!(mapping(ObjectType::Table), Mapping::Checked(CollectionKind::Table));
/// assert_eq!(mapping(ObjectType::PageExtension), Mapping::Warning(CollectionKind::Page));
/// assert_eq!(mapping(ObjectType::Enum), Mapping::NotLicensed);
/// ```
pub fn mapping(t: ObjectType) -> Mapping {
    use ObjectType as O;
    match t {
        O::Table => Mapping::Checked(CollectionKind::Table),
        O::Page => Mapping::Checked(CollectionKind::Page),
        O::Codeunit => Mapping::Checked(CollectionKind::Codeunit),
        O::Report => Mapping::Checked(CollectionKind::Report),
        O::Query => Mapping::Checked(CollectionKind::Query),
        O::XmlPort => Mapping::Checked(CollectionKind::XmlPort),
        O::TableExtension => Mapping::Warning(CollectionKind::Table),
        O::PageExtension => Mapping::Warning(CollectionKind::Page),
        O::ReportExtension => Mapping::Warning(CollectionKind::Report),
        O::PageCustomization
        | O::Enum
        | O::EnumExtension
        | O::Interface
        | O::PermissionSet
        | O::PermissionSetExtension
        | O::Profile
        | O::ProfileExtension
        | O::ControlAddIn
        | O::Entitlement
        | O::DotNet => Mapping::NotLicensed,
    }
}

/// An object to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicObject {
    /// Type.
    pub kind: ObjectType,
    /// ID (`None` for types without one, or when it could not be read).
    pub id: Option<u32>,
    /// Name.
    pub name: String,
    /// A table with `TableType = Temporary`.
    pub temporary: bool,
    /// `ObsoleteState = Removed`.
    pub obsolete_removed: bool,
    /// Where it comes from (file label), for reports.
    pub source: String,
}

/// Outcome for one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Both generating the package and running are allowed.
    Ok,
    /// Outside the licence: the package cannot be built.
    Fail,
    /// Outside the licence for an extension object (version-dependent): reported only.
    Warning,
    /// Not checked (not licensed type, temporary table, removed object, no ID).
    Skipped,
}

/// The check of one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectCheck {
    /// The object.
    pub object: LicObject,
    /// Outcome.
    pub status: Status,
    /// The collection checked, if any.
    pub collection: Option<CollectionKind>,
    /// First licence row containing the ID, `(from, to)`.
    pub range: Option<(u32, u32)>,
    /// Combined permissions on the ID (expired rows excluded).
    pub permissions: Permissions,
    /// For tables: the `TableData` range and permissions (shown, not required).
    pub table_data: Option<(Option<(u32, u32)>, Permissions)>,
    /// Direct Insert: publishing a normal app (`None` when skipped).
    pub publish: Option<bool>,
    /// Direct Execute: running the objects of a runtime package (`None` when skipped).
    pub runtime: Option<bool>,
    /// Generating a runtime package: treated like publishing, so direct Insert is required
    /// (the docs only say the developer licence must grant the IDs; publishing needs Insert).
    pub generate: Option<bool>,
    /// Notes: why skipped, expired or expiring rows, missing collections.
    pub notes: Vec<String>,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceCheck {
    /// One entry per input object, in input order.
    pub objects: Vec<ObjectCheck>,
    /// Licence-level warnings (expired licence, expiring licence, parse remarks).
    pub warnings: Vec<String>,
}

impl LicenceCheck {
    /// Objects that make the build fail.
    pub fn failures(&self) -> impl Iterator<Item = &ObjectCheck> {
        self.objects.iter().filter(|o| o.status == Status::Fail)
    }

    /// Whether no object fails.
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
    }
}

fn skipped(object: &LicObject, note: String) -> ObjectCheck {
    ObjectCheck {
        object: object.clone(),
        status: Status::Skipped,
        collection: None,
        range: None,
        permissions: Permissions::NONE,
        table_data: None,
        publish: None,
        runtime: None,
        generate: None,
        notes: vec![note],
    }
}

/// Checks every object against the licence. `today` decides expiry (rows expired on
/// `today` grant nothing); with `None`, expiry is not evaluated. The library never reads
/// the clock.
///
/// Requirements: direct Insert (`publish`, and `generate` for producing a runtime package,
/// treated like publishing) and direct Execute (`runtime`). Indirect permissions do not
/// count. Tables are checked against `TableDescription`; their `TableData` row is shown.
///
/// ```
/// use runtime_pack::licence::{LicObject, ObjectType, Status, check_objects, parse_range_file};
/// let lic = parse_range_file("table 50000 50049 RIMDX\ncodeunit 50000 50099 X\n")?;
/// let obj = |kind, id| LicObject {
///     kind, id: Some(id), name: "X".into(), temporary: false, obsolete_removed: false,
///     source: String::new(),
/// };
/// let report = check_objects(&lic, &[obj(ObjectType::Table, 50001), obj(ObjectType::Codeunit, 50001)], None);
/// assert_eq!(report.objects[0].status, Status::Ok);
/// assert_eq!(report.objects[1].status, Status::Fail); // X only: may run, may not be packaged
/// assert_eq!(report.objects[1].runtime, Some(true));
/// assert_eq!(report.objects[1].generate, Some(false));
/// # Ok::<(), runtime_pack::licence::LicenceError>(())
/// ```
pub fn check_objects(
    licence: &Licence,
    objects: &[LicObject],
    today: Option<Date>,
) -> LicenceCheck {
    let mut warnings = licence.warnings.clone();
    if let (Some(t), Some(exp)) = (today, licence.expires()) {
        if t > exp {
            warnings.push(format!("the licence expired on {exp}"));
        } else {
            let warn_from = licence
                .collections
                .iter()
                .filter(|c| c.kind == Some(CollectionKind::System))
                .flat_map(|c| &c.ranges)
                .filter_map(|r| r.expiry.as_ref().and_then(|e| e.warning))
                .min();
            if warn_from.is_some_and(|wd| t >= wd) {
                warnings.push(format!("the licence expires on {exp}"));
            }
        }
    }
    let mut out = Vec::with_capacity(objects.len());
    for o in objects {
        let kw = o.kind.keyword();
        let (collection, is_warning) = match mapping(o.kind) {
            Mapping::NotLicensed => {
                out.push(skipped(
                    o,
                    format!("{kw} objects are not covered by the licence"),
                ));
                continue;
            }
            Mapping::Checked(c) => (c, false),
            Mapping::Warning(c) => (c, true),
        };
        if o.kind == ObjectType::Table && o.temporary {
            out.push(skipped(
                o,
                "temporary table (TableType = Temporary): no licence needed".into(),
            ));
            continue;
        }
        if o.obsolete_removed {
            out.push(skipped(o, "ObsoleteState = Removed: not checked".into()));
            continue;
        }
        let Some(id) = o.id else {
            out.push(skipped(o, "the object's ID could not be read".into()));
            continue;
        };
        let hit = licence.lookup(collection, id, today);
        let mut notes = Vec::new();
        if !licence.has_collection(collection) {
            notes.push(format!(
                "the licence has no {} collection",
                collection.file_name()
            ));
        }
        for (f, t, ed) in &hit.expired {
            notes.push(format!("range {f}..{t} expired on {ed}"));
        }
        for (f, t, ed) in &hit.expiring {
            notes.push(format!("range {f}..{t} expires on {ed}"));
        }
        let table_data = (o.kind == ObjectType::Table).then(|| {
            let td = licence.lookup(CollectionKind::TableData, id, today);
            (td.range, td.permissions)
        });
        let publish = hit.permissions.insert == Permission::Direct;
        let runtime = hit.permissions.execute == Permission::Direct;
        let generate = publish;
        if is_warning {
            notes.push(format!(
                "{kw} objects are checked against {} ranges as a warning only (BC versions differ)",
                collection.file_name()
            ));
        }
        let status = match (generate && runtime, is_warning) {
            (true, _) => Status::Ok,
            (false, true) => Status::Warning,
            (false, false) => Status::Fail,
        };
        out.push(ObjectCheck {
            object: o.clone(),
            status,
            collection: Some(collection),
            range: hit.range,
            permissions: hit.permissions,
            table_data,
            publish: Some(publish),
            runtime: Some(runtime),
            generate: Some(generate),
            notes,
        });
    }
    LicenceCheck {
        objects: out,
        warnings,
    }
}
