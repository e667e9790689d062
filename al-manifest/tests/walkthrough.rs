//! A tour of the whole public API in one readable function.
#![allow(clippy::unwrap_used, clippy::panic)]

use al_manifest::{
    AppJsonDocument, AppManifest, AppSourceCop, AppVersion, Dependency, DependencyGraph,
    DiagnosticKind, GraphOptions, IdRange, NavxManifest, PolicyFlag, SYSTEM_APPLICATION_APP_ID,
    Severity, Uuid,
};

#[test]
fn walkthrough() {
    // 1. Read an app.json (BOM, comments, trailing commas and odd casing are fine).
    let text = "\u{feff}{\r\n  \"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\",\r\n  \"name\": \"Contoso Sales\",\r\n  \"publisher\": \"Contoso\",\r\n  \"version\": \"1.0.0.0\",\r\n  \"dependencies\": [],\r\n  \"idRanges\": [ { \"from\": 50100, \"to\": 50149 } ],\r\n  \"application\": \"24.0.0.0\",\r\n  \"runtime\": \"13.0\",\r\n  \"features\": [ \"NoImplicitWith\" ], // compiler features\r\n  \"alGoSettings\": { \"kept\": true },\r\n}\r\n";
    let manifest = AppManifest::from_json_str(text).unwrap();
    assert_eq!(manifest.version, AppVersion::new(1, 0, 0, 0));
    assert!(manifest.extra.contains_key("alGoSettings"));
    assert!(manifest.validate().is_empty());

    // 2. Bad input: every problem, each with file, JSON path and line:column.
    let err = AppManifest::from_json_str(&text.replace("\"1.0.0.0\"", "\"1.0\"")).unwrap_err();
    assert_eq!(err.diagnostics[0].kind, DiagnosticKind::InvalidVersion);
    assert!(
        err.to_string()
            .starts_with("app.json:5:14: version: expected major.minor.build.revision")
    );

    // 3. Edit without reformatting: only the changed bytes differ.
    let mut doc = AppJsonDocument::parse(text).unwrap();
    doc.set_version(&AppVersion::new(1, 1, 0, 0)).unwrap();
    doc.add_dependency(&Dependency::new(
        SYSTEM_APPLICATION_APP_ID,
        "System Application",
        "Microsoft",
        AppVersion::new(24, 0, 0, 0),
    ))
    .unwrap();
    doc.set_id_ranges(&[IdRange::new(50100, 50149), IdRange::new(50200, 50249)])
        .unwrap();
    doc.set_policy_flag(PolicyFlag::AllowDebugging, true)
        .unwrap();
    let edited = doc.to_string();
    assert!(edited.starts_with('\u{feff}'));
    assert!(edited.contains("// compiler features\r\n"));
    assert!(
        !edited.replace("\r\n", "").contains('\n'),
        "line endings kept"
    );
    assert_eq!(doc.manifest().dependencies.len(), 1);

    // 4. The package manifest the compiler would write, and back.
    let xml = doc.manifest().to_navx().to_xml();
    assert!(xml.contains("<Feature>NOIMPLICITWITH</Feature>"));
    let navx = NavxManifest::from_xml(&xml).unwrap();
    assert_eq!(
        navx.to_app_manifest().id_ranges(),
        doc.manifest().id_ranges()
    );

    // 5. AppSourceCop.json.
    let cop = AppSourceCop::from_json_str(r#"{ "mandatoryAffixes": ["CSA"] }"#).unwrap();
    assert_eq!(cop.affixes(), ["CSA"]);

    // 6. Build order over several apps.
    let sysapp = AppManifest {
        id: SYSTEM_APPLICATION_APP_ID,
        name: "System Application".into(),
        publisher: "Microsoft".into(),
        version: AppVersion::new(24, 0, 0, 0),
        ..AppManifest::default()
    };
    let tests = AppManifest {
        id: Uuid::from_u128(7),
        name: "Contoso Sales Tests".into(),
        publisher: "Contoso".into(),
        version: AppVersion::new(1, 0, 0, 0),
        dependencies: vec![Dependency::new(
            doc.manifest().id,
            "Contoso Sales",
            "Contoso",
            AppVersion::new(1, 0, 0, 0),
        )],
        ..AppManifest::default()
    };
    let graph = DependencyGraph::new(vec![tests, doc.manifest().clone(), sysapp]);
    let sorted = graph.sort(&GraphOptions::default()).unwrap();
    let names: Vec<_> = sorted.order.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["System Application", "Contoso Sales", "Contoso Sales Tests"]
    );
    assert!(
        sorted
            .warnings
            .iter()
            .all(|w| w.severity(&GraphOptions::default()) == Severity::Warning)
    );
}

#[test]
fn load_project_reads_app_json_and_labels_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = al_manifest::load_project(dir.path()).unwrap_err();
    assert!(err.to_string().contains("cannot read file"));
    std::fs::write(
        dir.path().join("app.json"),
        "{\"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\", \"name\": \"A\", \"publisher\": \"P\", \"version\": \"1.0.0.0\"}",
    )
    .unwrap();
    assert_eq!(al_manifest::load_project(dir.path()).unwrap().name, "A");
    std::fs::write(dir.path().join("app.json"), "{\n  \"id\": 1\n}").unwrap();
    let err = al_manifest::load_project(dir.path()).unwrap_err();
    let id = err
        .diagnostics
        .iter()
        .find(|d| d.path == "id")
        .unwrap()
        .to_string();
    assert!(id.contains("app.json:2:9: id: "), "{id}");
    assert!(id.starts_with(&dir.path().display().to_string()));
    let name = err
        .diagnostics
        .iter()
        .find(|d| d.path == "name")
        .unwrap()
        .to_string();
    assert!(
        name.ends_with("app.json:1:1: name: missing required property \"name\""),
        "{name}"
    );
}
