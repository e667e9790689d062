//! Building rows: options, projects as file lists, the base app as dependency symbols.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

pub(crate) fn files(list: &[(&str, &str)]) -> Vec<ProjectFile> {
    list.iter()
        .map(|(p, t)| ProjectFile::new(*p, t.as_bytes().to_vec()))
        .collect()
}

/// An app.json with `dependencies` (JSON array text) and one range.
pub(crate) fn app_json(id: &str, name: &str, deps: &str, from: u32, to: u32) -> String {
    format!(
        "{{
  \"id\": \"{id}\",
  \"name\": \"{name}\",
  \"publisher\": \"Contoso\",
  \"version\": \"1.0.0.0\",
  \"dependencies\": {deps},
  \"idRanges\": [
    {{ \"from\": {from}, \"to\": {to} }}
  ]
}}
"
    )
}

/// The dependency entry of the base app ([`base`]).
pub(crate) fn base_dep() -> String {
    format!(
        "[
    {{ \"id\": \"{BASE_ID}\", \"name\": \"Base\", \"publisher\": \"Microsoft\",
      \"version\": \"24.0.0.0\" }}
  ]"
    )
}

/// A small base app (its sources as dependency symbols): Customer, Customer Card, the
/// Sales Line Type enum.
pub(crate) fn base() -> Dependencies {
    let manifest = al_manifest::AppManifest::from_json_str(&format!(
        r#"{{"id":"{BASE_ID}","name":"Base","publisher":"Microsoft","version":"24.0.0.0"}}"#
    ))
    .unwrap();
    let src = vec![
        SourceText::new(
            "Customer.Table.al",
            b"table 18 Customer
{
    fields
    {
        field(1; \"No.\"; Code[20]) { }
        field(2; Name; Text[100]) { }
    }
}
"
            .to_vec(),
        ),
        SourceText::new(
            "CustomerCard.Page.al",
            b"page 21 \"Customer Card\"
{
    SourceTable = Customer;
    layout
    {
        area(Content)
        {
            field(\"No.\"; Rec.\"No.\") { }
            field(Name; Rec.Name) { }
        }
    }
}
"
            .to_vec(),
        ),
        SourceText::new(
            "SalesLineType.Enum.al",
            b"enum 37 \"Sales Line Type\"
{
    Extensible = true;
    value(0; \" \") { }
    value(1; Item) { }
}
"
            .to_vec(),
        ),
    ];
    Dependencies {
        sources: vec![ParsedApp::parse(app_info(&manifest), src)],
        packages: Vec::new(),
    }
}

/// A project's sources as dependency symbols.
pub(crate) fn symbols_of(project: &[ProjectFile]) -> Dependencies {
    let app = project.iter().find(|f| f.path == "app.json").unwrap();
    let manifest = al_manifest::AppManifest::from_json_str(&text(&app.bytes)).unwrap();
    let src = project
        .iter()
        .filter(|f| f.path.ends_with(".al"))
        .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
        .collect();
    Dependencies {
        sources: vec![ParsedApp::parse(app_info(&manifest), src)],
        packages: Vec::new(),
    }
}

/// Options of a move to AppSource in 70000000..70000099 with affix `ABC` and the app id
/// [`NEW_ID`].
pub(crate) fn to_appsource() -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, GENERATED_ID);
    o.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    o.affix = Some("ABC".into());
    o.id = Some(NEW_ID.into());
    o
}

pub(crate) fn with(mut o: MoveOptions, f: impl FnOnce(&mut MoveOptions)) -> MoveOptions {
    f(&mut o);
    o
}

pub(crate) fn moved(
    name: &'static str,
    project: Vec<ProjectFile>,
    opts: MoveOptions,
    checks: Vec<Check>,
) -> Scenario {
    Scenario {
        name,
        project,
        dependents: Vec::new(),
        deps: Dependencies::default(),
        opts,
        mapping_text: None,
        first: None,
        expect: Expect::Moved(checks),
        expect_bug: None,
    }
}

pub(crate) fn refused(
    name: &'static str,
    project: Vec<ProjectFile>,
    opts: MoveOptions,
    r: Refusal,
) -> Scenario {
    Scenario {
        expect: Expect::Refused(r),
        ..moved(name, project, opts, Vec::new())
    }
}

impl Scenario {
    pub(crate) fn deps(mut self, d: Dependencies) -> Self {
        self.deps = d;
        self
    }
    pub(crate) fn dependent(mut self, label: &str, files: Vec<ProjectFile>) -> Self {
        self.dependents.push(Dependent {
            label: label.into(),
            files,
        });
        self
    }
    pub(crate) fn mapping(mut self, text: &'static str) -> Self {
        self.mapping_text = Some(text);
        self
    }
    pub(crate) fn after(mut self, first: MoveOptions) -> Self {
        self.first = Some(First {
            opts: first,
            on_original: false,
            tamper: None,
        });
        self
    }
    pub(crate) fn on_original(mut self) -> Self {
        if let Some(f) = &mut self.first {
            f.on_original = true;
        }
        self
    }
    pub(crate) fn tamper(mut self, t: fn(&mut Vec<ProjectFile>)) -> Self {
        if let Some(f) = &mut self.first {
            f.tamper = Some(t);
        }
        self
    }
    /// Marks a row that shows a known bug (none today: the two this table found are fixed).
    #[allow(dead_code)]
    pub(crate) fn expect_bug(mut self, why: &'static str) -> Self {
        self.expect_bug = Some(why);
        self
    }
}

/// Options of the reverse of a move (the mapping comes from the first move).
pub(crate) fn reverse() -> MoveOptions {
    with(MoveOptions::to(Scope::Dev, GENERATED_ID), |o| {
        o.reverse = true
    })
}

pub(crate) fn has(p: &'static str, subs: &[&'static str]) -> Check {
    Check::Has(p, subs.to_vec())
}

pub(crate) fn lacks(p: &'static str, subs: &[&'static str]) -> Check {
    Check::Lacks(p, subs.to_vec())
}

pub(crate) fn entry(
    kind: &'static str,
    object_kind: &'static str,
    ids: Option<(u32, u32)>,
    old: &'static str,
    new: &'static str,
) -> Check {
    Check::Entry {
        kind,
        object_kind,
        ids,
        names: (old, new),
    }
}
