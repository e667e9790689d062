//! NavxManifest.xml reading, writing and the app.json mapping.
#![allow(clippy::unwrap_used, clippy::panic)]

use al_manifest::{
    AppManifest, AppVersion, DiagnosticKind, IdKey, IdRange, NavxManifest, RuntimeVersion, Target,
};

const APP_JSON: &str = r#"{
  "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
  "name": "Fancy & <Co>",
  "publisher": "Contoso \"Ltd\"",
  "version": "1.2.3.4",
  "brief": "b",
  "logo": "images/Logo.png",
  "contextSensitiveHelpUrl": "https://help/{0}/",
  "dependencies": [
    { "id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "name": "Lib", "publisher": "Me", "version": "2.0.0.0" }
  ],
  "internalsVisibleTo": [ { "id": "11111111-1111-1111-1111-111111111111", "name": "Tests", "publisher": "Me" } ],
  "platform": "24.0.0.0",
  "application": "24.0.0.0",
  "idRanges": [ { "from": 50100, "to": 50149 }, { "from": 50200, "to": 50249 } ],
  "resourceExposurePolicy": { "allowDebugging": true, "includeSourceInSymbolFile": true },
  "runtime": "13.0",
  "features": [ "NoImplicitWith", "TranslationFile" ],
  "preprocessorSymbols": [ "CLEAN24" ],
  "supportedLocales": [ "da-DK" ],
  "propagateDependencies": true,
  "source": { "repositoryUrl": "https://git/x", "commit": "abc" }
}"#;

const EXPECTED_XML: &str = "<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id=\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\" Name=\"Fancy &amp; &lt;Co&gt;\" Publisher=\"Contoso &quot;Ltd&quot;\" Brief=\"b\" Description=\"\" Version=\"1.2.3.4\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" HelpBaseUrl=\"\" ContextSensitiveHelpUrl=\"https://help/{0}/\" Url=\"\" Logo=\"/logo/Logo.png\" Platform=\"24.0.0.0\" Application=\"24.0.0.0\" Runtime=\"13.0\" Target=\"Cloud\" ShowMyCode=\"False\" PropagateDependencies=\"True\" />\r\n  <IdRanges>\r\n    <IdRange MinObjectId=\"50100\" MaxObjectId=\"50149\" />\r\n    <IdRange MinObjectId=\"50200\" MaxObjectId=\"50249\" />\r\n  </IdRanges>\r\n  <Dependencies>\r\n    <Dependency Id=\"63ca2fa4-4f03-4f2b-a480-172fef340d3f\" Name=\"Lib\" Publisher=\"Me\" MinVersion=\"2.0.0.0\" CompatibilityId=\"0.0.0.0\" />\r\n  </Dependencies>\r\n  <InternalsVisibleTo>\r\n    <Module Id=\"11111111-1111-1111-1111-111111111111\" Name=\"Tests\" Publisher=\"Me\" />\r\n  </InternalsVisibleTo>\r\n  <ScreenShots />\r\n  <SupportedLocales>\r\n    <SupportedLocale Local=\"da-DK\" />\r\n  </SupportedLocales>\r\n  <Features>\r\n    <Feature>NOIMPLICITWITH</Feature>\r\n    <Feature>TRANSLATIONFILE</Feature>\r\n  </Features>\r\n  <PreprocessorSymbols>\r\n    <PreprocessorSymbol>CLEAN24</PreprocessorSymbol>\r\n  </PreprocessorSymbols>\r\n  <SuppressWarnings />\r\n  <ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"false\" IncludeSourceInSymbolFile=\"true\" ApplyToDevExtension=\"false\" />\r\n  <KeyVaultUrls />\r\n  <Source RepositoryUrl=\"https://git/x\" Commit=\"abc\" />\r\n  <AlternateIds />\r\n</Package>";

#[test]
fn app_json_to_xml_exact() {
    let m = AppManifest::from_json_str(APP_JSON).unwrap();
    let xml = m.to_navx().to_xml();
    assert_eq!(xml, EXPECTED_XML);
    assert!(!xml.starts_with('\u{feff}') && !xml.starts_with("<?xml"));
}

#[test]
fn xml_round_trip_and_back_to_app_json() {
    let m = AppManifest::from_json_str(APP_JSON).unwrap();
    let navx = NavxManifest::from_xml(EXPECTED_XML).unwrap();
    assert_eq!(navx, m.to_navx());
    assert_eq!(navx.to_xml(), EXPECTED_XML);
    let back = navx.to_app_manifest();
    assert_eq!(back.name, m.name);
    assert_eq!(back.logo.as_deref(), Some("logo/Logo.png"));
    assert_eq!(back.features, vec!["NoImplicitWith", "TranslationFile"]);
    assert_eq!(back.dependencies[0].id_key, IdKey::Id);
    assert_eq!(back.dependencies, m.dependencies);
    assert_eq!(back.internals_visible_to, m.internals_visible_to);
    assert_eq!(back.id_ranges, m.id_ranges);
    assert_eq!(back.resource_exposure_policy, m.resource_exposure_policy);
    assert_eq!(back.show_my_code, None);
    assert_eq!(back.target, Some(Target::Cloud));
    assert_eq!(back.propagate_dependencies, Some(true));
    assert_eq!(back.source, m.source);
    assert_eq!(back.supported_locales, m.supported_locales);
    assert_eq!(back.preprocessor_symbols, m.preprocessor_symbols);
}

#[test]
fn old_runtime_uses_show_my_code_and_app_id() {
    let mut m = AppManifest::from_json_str(APP_JSON).unwrap();
    m.runtime = Some(RuntimeVersion::new(4, 0));
    m.resource_exposure_policy = None;
    m.show_my_code = Some(true);
    let navx = m.to_navx();
    assert!(navx.resource_exposure_policy.is_none());
    let xml = navx.to_xml();
    assert!(xml.contains(" ShowMyCode=\"True\""));
    assert!(!xml.contains("ResourceExposurePolicy"));
    let back = NavxManifest::from_xml(&xml).unwrap().to_app_manifest();
    assert_eq!(back.show_my_code, Some(true));
    assert!(back.resource_exposure_policy.is_none());
    assert_eq!(back.dependencies[0].id_key, IdKey::AppId);
    assert!(back.to_json_string().contains("\"appId\": \"63ca2fa4"));
    // 4.1 switches to "id"
    m.runtime = Some(RuntimeVersion::new(4, 1));
    let back = NavxManifest::from_xml(&m.to_navx().to_xml())
        .unwrap()
        .to_app_manifest();
    assert_eq!(back.dependencies[0].id_key, IdKey::Id);
}

#[test]
fn tolerant_reading_bc11_layout() {
    // BOM, declaration, comment, LF, shuffled attributes, unknown element and attribute,
    // bare IdRange, braces around GUIDs, no Runtime.
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- old -->\n<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\n  <App Version=\"1.0.0.0\" Publisher=\"Microsoft\" Name=\"Get Address Service\" Id=\"{5AB46E3E-B2A8-4A6B-9F1B-3F7A1D3A1B2C}\" Brief=\"\" Description=\"\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" Url=\"\" Logo=\"\" Platform=\"11.0.0.0\" Application=\"11.0.0.0\" Target=\"Extension\" ShowMyCode=\"true\" Custom=\"kept\" />\n  <IdRange MinObjectId=\"70000000\" MaxObjectId=\"70000100\" />\n  <Dependencies />\n  <Whatever a=\"b\"><Nested /></Whatever>\n  <Features><Feature Name=\"X\" /></Features>\n  <PreprocessorSymbols><PreprocessorSymbol Name=\"BC28\" /></PreprocessorSymbols>\n</Package>\n";
    let navx = NavxManifest::from_xml(xml).unwrap();
    assert!(navx.bare_id_range);
    assert_eq!(navx.id_ranges, vec![IdRange::new(70_000_000, 70_000_100)]);
    assert_eq!(
        navx.app.id.to_string(),
        "5ab46e3e-b2a8-4a6b-9f1b-3f7a1d3a1b2c"
    );
    assert_eq!(navx.app.runtime, None);
    assert_eq!(navx.app.show_my_code, Some(true));
    assert_eq!(
        navx.app.extra_attributes,
        vec![("Custom".to_string(), "kept".to_string())]
    );
    assert_eq!(navx.features, vec!["X"]);
    assert_eq!(navx.preprocessor_symbols, vec!["BC28"]);
    let out = navx.to_xml();
    assert!(out.contains(
        "\r\n  <IdRange MinObjectId=\"70000000\" MaxObjectId=\"70000100\" />\r\n  <Dependencies />"
    ));
    assert!(out.contains(" ShowMyCode=\"True\" Custom=\"kept\" />"));
    assert!(!out.contains("<IdRanges"));
    assert_eq!(NavxManifest::from_xml(&out).unwrap(), navx);
    let m = navx.to_app_manifest();
    assert_eq!(m.id_range, Some(IdRange::new(70_000_000, 70_000_100)));
    assert_eq!(m.target, Some(Target::Extension));
    assert_eq!(m.show_my_code, Some(true));
    assert_eq!(m.version, AppVersion::new(1, 0, 0, 0));
}

#[test]
fn xml_errors_have_paths_and_positions() {
    let e =
        NavxManifest::from_xml("<Package><App Id=\"x\" Name=\"A\" Version=\"1.0\" /></Package>")
            .unwrap_err();
    let kinds: Vec<_> = e
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.path.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DiagnosticKind::InvalidGuid, "Package/App/@Id"),
            (DiagnosticKind::MissingProperty, "Package/App/@Publisher"),
            (DiagnosticKind::InvalidVersion, "Package/App/@Version"),
        ]
    );
    assert!(
        e.diagnostics[0]
            .to_string()
            .starts_with("NavxManifest.xml:1:10: Package/App/@Id: invalid GUID")
    );
    for bad in [
        "",
        "<Package>",
        "<Other />",
        "<Package></Package>",
        "<Package><App></Package>",
        "<a/><b/>",
        "<Package>&bogus;</Package>",
    ] {
        assert!(NavxManifest::from_xml(bad).is_err(), "{bad:?}");
    }
    let e = NavxManifest::from_xml("<Package>\n  <App Id=\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\" Name=\"A\" Publisher=\"P\" Version=\"1.0.0.0\" />\n  <IdRanges><IdRange MinObjectId=\"-5\" MaxObjectId=\"1\" /></IdRanges>\n</Package>").unwrap_err();
    assert_eq!(
        e.diagnostics[0].path,
        "Package/IdRanges/IdRange[0]/@MinObjectId"
    );
    assert_eq!(e.diagnostics[0].line, Some(3));
}

#[test]
fn attribute_escapes_round_trip() {
    let mut m = AppManifest::from_json_str(APP_JSON).unwrap();
    m.description = Some("line1\r\nline2\ttab & \"q\" <x>".into());
    let navx = m.to_navx();
    let xml = navx.to_xml();
    assert!(
        xml.contains("Description=\"line1&#xD;&#xA;line2&#x9;tab &amp; &quot;q&quot; &lt;x&gt;\"")
    );
    let back = NavxManifest::from_xml(&xml).unwrap();
    assert_eq!(back.app.description, "line1\r\nline2\ttab & \"q\" <x>");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "<Package>{}{}</Package>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let e = NavxManifest::from_xml(&deep).unwrap_err();
    assert!(e.to_string().contains("nested deeper than 64"));
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(AppManifest::from_json_str(&deep_json).is_err());
    let deep_obj = format!(
        "{{\"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\", \"name\": \"A\", \"publisher\": \"P\", \"version\": \"1.0.0.0\", \"x\": {}1{}}}",
        "[".repeat(500),
        "]".repeat(500)
    );
    assert!(AppManifest::from_json_str(&deep_obj).is_ok());
}

/// Layout of BC 11 packages (bare IdRange, no Runtime/ShowMyCode/HelpBaseUrl, few
/// elements); written here from the research notes, not copied from a package.
const BC11_SHAPE: &str = "<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id=\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\" Name=\"Sample\" Publisher=\"Contoso\" Brief=\"\" Description=\"\" Version=\"1.0.0.0\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" Url=\"\" Logo=\"\" Platform=\"11.0.0.0\" Application=\"11.0.0.0\" Target=\"Extension\" />\r\n  <IdRange MinObjectId=\"50100\" MaxObjectId=\"50149\" />\r\n  <Dependencies />\r\n  <ScreenShots />\r\n</Package>";

/// Runtime 8.1 layout: no Source/Build/AlternateIds, policy without ApplyToDevExtension.
const RUNTIME8_SHAPE: &str = "<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id=\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\" Name=\"Sample\" Publisher=\"Contoso\" Brief=\"\" Description=\"\" Version=\"2.0.0.0\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" HelpBaseUrl=\"\" Url=\"\" Logo=\"/logo/Logo.png\" Platform=\"19.0.0.0\" Runtime=\"8.1\" Target=\"Cloud\" ShowMyCode=\"False\" />\r\n  <IdRanges>\r\n    <IdRange MinObjectId=\"50100\" MaxObjectId=\"50149\" />\r\n  </IdRanges>\r\n  <Dependencies />\r\n  <InternalsVisibleTo />\r\n  <ScreenShots />\r\n  <SupportedLocales />\r\n  <Features />\r\n  <PreprocessorSymbols />\r\n  <SuppressWarnings />\r\n  <ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"true\" IncludeSourceInSymbolFile=\"true\" />\r\n  <KeyVaultUrls />\r\n</Package>";

#[test]
fn older_layouts_write_back_byte_for_byte() {
    for xml in [BC11_SHAPE, RUNTIME8_SHAPE] {
        let m = NavxManifest::from_xml(xml).unwrap();
        assert_eq!(m.to_xml(), xml);
    }
    let m = NavxManifest::from_xml(BC11_SHAPE).unwrap();
    assert!(m.omitted.iter().any(|o| o == "HelpBaseUrl"));
    assert!(!m.omitted.iter().any(|o| o == "ScreenShots"));
    // a value added to an omitted part is written
    let mut m2 = m.clone();
    m2.features.push("NOIMPLICITWITH".into());
    assert!(
        m2.to_xml()
            .contains("<Features>\r\n    <Feature>NOIMPLICITWITH</Feature>")
    );
    let app = NavxManifest::from_xml(RUNTIME8_SHAPE)
        .unwrap()
        .to_app_manifest();
    let p = app.resource_exposure_policy.unwrap();
    assert!(p.allow_debugging && !p.apply_to_dev_extension);
    assert_eq!(app.logo.as_deref(), Some("logo/Logo.png"));
}

/// From runtime 8.0 `ShowMyCode="True"` survives manifest → app.json → manifest, with and
/// without policy flags; an empty policy element (Microsoft System 19/24) stays empty.
#[test]
fn show_my_code_survives_the_policy_era() {
    let with_flags = RUNTIME8_SHAPE.replace("ShowMyCode=\"False\"", "ShowMyCode=\"True\"");
    let app = NavxManifest::from_xml(&with_flags)
        .unwrap()
        .to_app_manifest();
    assert_eq!(app.show_my_code, Some(true));
    assert!(app.resource_exposure_policy.is_some());
    let xml = app.to_navx().to_xml();
    assert!(xml.contains(" ShowMyCode=\"True\""), "{xml}");
    assert!(xml.contains("<ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"true\" IncludeSourceInSymbolFile=\"true\""), "{xml}");

    let empty_policy = with_flags.replace(
        "<ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"true\" IncludeSourceInSymbolFile=\"true\" />",
        "<ResourceExposurePolicy />",
    );
    let app = NavxManifest::from_xml(&empty_policy)
        .unwrap()
        .to_app_manifest();
    assert_eq!(app.show_my_code, Some(true));
    assert!(app.resource_exposure_policy.is_none());
    let json = app.to_json_string();
    assert!(json.contains("\"showMyCode\": true"), "{json}");
    assert!(!json.contains("resourceExposurePolicy"), "{json}");
    let xml = app.to_navx().to_xml();
    assert!(xml.contains(" ShowMyCode=\"True\""), "{xml}");
    assert!(xml.contains("<ResourceExposurePolicy />"), "{xml}");

    // ShowMyCode="False" stays implicit.
    let app = NavxManifest::from_xml(RUNTIME8_SHAPE)
        .unwrap()
        .to_app_manifest();
    assert_eq!(app.show_my_code, None);
}
