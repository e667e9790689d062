//! Property tests: model round-trips, XML round-trips, byte-exact edits.
#![allow(clippy::unwrap_used, clippy::panic)]

use al_manifest::{
    AppJsonDocument, AppManifest, AppSourceCop, AppVersion, BuildInfo, Dependency, IdKey, IdRange,
    InternalsVisibleTo, NavxApp, NavxBuild, NavxDependency, NavxManifest, NavxModule,
    NavxResourceExposurePolicy, NavxSource, ResourceExposurePolicy, RuntimeVersion, SourceInfo,
    Target,
};
use proptest::prelude::*;
use serde_json::{Map, Value};
use uuid::Uuid;

fn version() -> impl Strategy<Value = AppVersion> {
    (0u32..30, 0u32..30, 0u32..100_000, 0..=i32::MAX as u32)
        .prop_map(|(a, b, c, d)| AppVersion::new(a, b, c, d))
}

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..3)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Unknown keys: prefixed so they never match a known key case-insensitively.
fn extra() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::vec(("x_[a-zA-Z0-9]{0,8}", json()), 0..3)
        .prop_map(|kv| kv.into_iter().collect())
}

fn dependency() -> impl Strategy<Value = Dependency> {
    (uuid(), text(), text(), version(), any::<bool>(), extra()).prop_map(
        |(id, name, publisher, version, legacy, extra)| Dependency {
            id,
            name,
            publisher,
            version,
            id_key: if legacy { IdKey::AppId } else { IdKey::Id },
            extra,
        },
    )
}

fn module() -> impl Strategy<Value = InternalsVisibleTo> {
    (uuid(), text(), text(), any::<bool>()).prop_map(|(id, name, publisher, legacy)| {
        InternalsVisibleTo {
            id,
            name,
            publisher,
            id_key: if legacy { IdKey::AppId } else { IdKey::Id },
            extra: Map::new(),
        }
    })
}

fn range() -> impl Strategy<Value = IdRange> {
    (any::<u32>(), any::<u32>()).prop_map(|(a, b)| IdRange::new(a, b))
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Cloud),
        Just(Target::OnPrem),
        Just(Target::Extension),
        Just(Target::Internal),
        "zz[a-z]{0,5}".prop_map(Target::Other),
    ]
}

fn manifest() -> impl Strategy<Value = AppManifest> {
    let a = (
        uuid(),
        text(),
        text(),
        version(),
        (opt_text(), opt_text(), opt_text(), opt_text()),
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        proptest::collection::vec(dependency(), 0..3),
        proptest::collection::vec(module(), 0..2),
    );
    let b = (
        proptest::option::of(any::<bool>()),
        texts(),
        proptest::option::of(version()),
        proptest::option::of(version()),
        proptest::option::of(version()),
        proptest::option::of(range()),
        proptest::option::of(proptest::collection::vec(range(), 0..3)),
        proptest::option::of((any::<[bool; 4]>(), extra())),
        proptest::option::of(any::<bool>()),
        proptest::option::of((0u32..30, 0u32..10).prop_map(|(a, b)| RuntimeVersion::new(a, b))),
        proptest::option::of(target()),
    );
    let c = (
        (texts(), texts(), texts(), texts(), texts(), texts()),
        (opt_text(), opt_text()),
        proptest::option::of((opt_text(), opt_text())),
        proptest::option::of((opt_text(), opt_text())),
        proptest::collection::vec(uuid(), 0..2),
        extra(),
    );
    (a, b, c).prop_map(|(a, b, c)| {
        let (id, name, publisher, version, t1, t2, dependencies, internals_visible_to) = a;
        let (
            propagate,
            screenshots,
            platform,
            application,
            test,
            id_range,
            id_ranges,
            pol,
            smc,
            runtime,
            target,
        ) = b;
        let (lists, ai, source, build, alternate_ids, extra) = c;
        AppManifest {
            id,
            name,
            publisher,
            version,
            brief: t1.0,
            description: t1.1,
            privacy_statement: t1.2,
            eula: t1.3,
            help: t2.0,
            help_base_url: t2.1,
            url: t2.2,
            logo: t2.3,
            context_sensitive_help_url: t2.4,
            dependencies,
            internals_visible_to,
            propagate_dependencies: propagate,
            screenshots,
            platform,
            application,
            test,
            id_range,
            id_ranges,
            resource_exposure_policy: pol.map(|(f, extra)| ResourceExposurePolicy {
                allow_debugging: f[0],
                allow_downloading_source: f[1],
                include_source_in_symbol_file: f[2],
                apply_to_dev_extension: f[3],
                extra,
            }),
            show_my_code: smc,
            runtime,
            target,
            features: lists.0,
            supported_locales: lists.1,
            preprocessor_symbols: lists.2,
            suppress_warnings: lists.3,
            key_vault_urls: lists.4,
            application_insights_connection_string: ai.0,
            application_insights_key: ai.1,
            source: source.map(|(r, c)| SourceInfo {
                repository_url: r,
                commit: c,
                extra: Map::new(),
            }),
            build: build.map(|(b, u)| BuildInfo {
                by: b,
                url: u,
                extra: Map::new(),
            }),
            alternate_ids,
            resource_folders: lists.5,
            extra,
        }
    })
}

// ------------------------------------------------------------- XML strategies

/// Attribute text: anything but control characters other than \t \r \n.
fn attr_text() -> impl Strategy<Value = String> {
    "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\u{FFFE}\\u{FFFF}]{0,10}"
}

/// List item text: non-empty, no surrounding whitespace (the reader trims).
fn item_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9&<>\"'._-]([A-Za-z0-9&<>\"' ._-]{0,8}[A-Za-z0-9&<>\"'._-])?"
}

fn items() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(item_text(), 0..3)
}

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    proptest::option::of(any::<bool>())
}

fn navx() -> impl Strategy<Value = NavxManifest> {
    let app = (
        (
            uuid(),
            attr_text(),
            attr_text(),
            attr_text(),
            attr_text(),
            version(),
            version(),
        ),
        (
            attr_text(),
            proptest::option::of(attr_text()),
            proptest::option::of(attr_text()),
        ),
        (
            attr_text(),
            attr_text(),
            attr_text(),
            proptest::option::of(attr_text()),
            attr_text(),
            attr_text(),
        ),
        (
            proptest::option::of(version()),
            proptest::option::of(version()),
            proptest::option::of((0u32..30, 0u32..10).prop_map(|(a, b)| RuntimeVersion::new(a, b))),
            proptest::option::of(attr_text()),
            opt_bool(),
            opt_bool(),
        ),
        proptest::collection::btree_map("X[a-z]{0,5}", attr_text(), 0..3),
    )
        .prop_map(|(a, b, c, d, extra)| NavxApp {
            id: a.0,
            name: a.1,
            publisher: a.2,
            brief: a.3,
            description: a.4,
            version: a.5,
            compatibility_id: a.6,
            privacy_statement: b.0,
            application_insights_key: b.1,
            application_insights_connection_string: b.2,
            eula: c.0,
            help: c.1,
            help_base_url: c.2,
            context_sensitive_help_url: c.3,
            url: c.4,
            logo: c.5,
            platform: d.0,
            application: d.1,
            runtime: d.2,
            target: d.3,
            show_my_code: d.4,
            propagate_dependencies: d.5,
            extra_attributes: extra.into_iter().collect(),
        });
    let deps = proptest::collection::vec(
        (uuid(), attr_text(), attr_text(), version(), version()).prop_map(
            |(id, name, publisher, min_version, compatibility_id)| NavxDependency {
                id,
                name,
                publisher,
                min_version,
                compatibility_id,
            },
        ),
        0..3,
    );
    let modules = proptest::collection::vec(
        (uuid(), attr_text(), attr_text()).prop_map(|(id, name, publisher)| NavxModule {
            id,
            name,
            publisher,
        }),
        0..3,
    );
    (
        app,
        proptest::collection::vec(range(), 0..3),
        any::<bool>(),
        deps,
        modules,
        (
            items(),
            items(),
            items(),
            items(),
            items(),
            items(),
            items(),
        ),
        proptest::option::of((opt_bool(), opt_bool(), opt_bool(), opt_bool())),
        proptest::option::of((
            proptest::option::of(attr_text()),
            proptest::option::of(attr_text()),
        )),
        proptest::option::of((
            proptest::option::of(attr_text()),
            proptest::option::of(attr_text()),
            proptest::option::of(attr_text()),
            proptest::option::of(attr_text()),
        )),
    )
        .prop_map(
            |(app, id_ranges, bare, dependencies, internals_visible_to, l, pol, src, build)| {
                let bare_id_range = bare && id_ranges.len() == 1;
                NavxManifest {
                    app,
                    id_ranges,
                    bare_id_range,
                    dependencies,
                    internals_visible_to,
                    screenshots: l.0,
                    supported_locales: l.1,
                    features: l.2,
                    preprocessor_symbols: l.3,
                    suppress_warnings: l.4,
                    resource_exposure_policy: pol.map(|p| NavxResourceExposurePolicy {
                        allow_debugging: p.0,
                        allow_downloading_source: p.1,
                        include_source_in_symbol_file: p.2,
                        apply_to_dev_extension: p.3,
                    }),
                    key_vault_urls: l.5,
                    source: src.map(|(r, c)| NavxSource {
                        repository_url: r,
                        commit: c,
                    }),
                    build: build.map(|(by, url, timestamp, compiler_version)| NavxBuild {
                        by,
                        url,
                        timestamp,
                        compiler_version,
                    }),
                    alternate_ids: l.6,
                    omitted: Vec::new(),
                }
            },
        )
}

// ------------------------------------------------------- document generator

#[derive(Debug, Clone)]
struct Doc {
    text: String,
}

const DEP_ID: &str = "63ca2fa4-4f03-4f2b-a480-172fef340d3f";

fn ws(eol: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just(" "), Just("\t"), Just(eol), Just("  ")],
        0..3,
    )
    .prop_map(|v| v.concat())
}

fn value_text(eol: &'static str) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("-12.5e3".to_string()),
        "[a-z ]{0,6}".prop_map(|s| format!("\"{s}\"")),
    ];
    leaf.prop_recursive(2, 8, 3, move |inner| {
        prop_oneof![
            (
                proptest::collection::vec((inner.clone(), ws(eol)), 0..3),
                ws(eol)
            )
                .prop_map(|(v, w)| {
                    let parts: Vec<String> =
                        v.into_iter().map(|(x, w)| format!("{w}{x}")).collect();
                    format!("[{}{w}]", parts.join(","))
                }),
            (
                proptest::collection::vec(("[a-z]{1,4}", inner, ws(eol)), 0..3),
                ws(eol)
            )
                .prop_map(|(v, w)| {
                    let parts: Vec<String> = v
                        .into_iter()
                        .map(|(k, x, w)| format!("{w}\"{k}\":{w}{x}"))
                        .collect();
                    format!("{{{}{w}}}", parts.join(","))
                }),
        ]
    })
}

fn document() -> impl Strategy<Value = Doc> {
    prop_oneof![Just("\n"), Just("\r\n")].prop_flat_map(|eol: &'static str| {
        let unknown = proptest::collection::vec(("[a-z]{1,6}", value_text(eol)), 0..4);
        (
            any::<bool>(),
            unknown,
            proptest::collection::vec(any::<u32>(), 12),
            proptest::collection::vec((ws(eol), ws(eol), ws(eol), 0u8..4), 12),
            ws(eol),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(bom, unknown, order, seps, end_ws, trailing_comma, legacy)| {
                let dep_key = if legacy { "appId" } else { "id" };
                let mut props: Vec<(String, String)> = vec![
                    ("id".into(), "\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\"".into()),
                    ("name".into(), "\"Name Q\"".into()),
                    ("publisher".into(), "\"Pub Q\"".into()),
                    ("version".into(), "\"1.2.3.4\"".into()),
                    (
                        "dependencies".into(),
                        format!("[{eol}  {{ \"{dep_key}\": \"{DEP_ID}\", \"name\": \"Dep\", \"publisher\": \"Pub Q\", \"version\": \"7.7.7.7\" }}{eol}]"),
                    ),
                ];
                for (k, v) in unknown {
                    props.push((format!("zz_{k}"), v));
                }
                // shuffle by random keys
                let mut keyed: Vec<(u32, (String, String))> =
                    order.into_iter().zip(props).collect();
                keyed.sort_by_key(|(k, _)| *k);
                let mut text = String::new();
                if bom {
                    text.push('\u{feff}');
                }
                text.push('{');
                let n = keyed.len();
                for (i, ((_, (k, v)), (w1, w2, w3, comment))) in keyed.into_iter().zip(seps).enumerate() {
                    text.push_str(&w1);
                    match comment {
                        1 => text.push_str(&format!("// c{i}{eol}")),
                        2 => text.push_str(&format!("/* c{i} */")),
                        _ => {}
                    }
                    text.push_str(&format!("\"{k}\"{w2}:{w3}{v}"));
                    if i + 1 < n || trailing_comma {
                        text.push(',');
                    }
                }
                text.push_str(&end_ws);
                text.push('}');
                text.push_str(&end_ws);
                Doc { text }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn app_json_model_round_trip(m in manifest()) {
        let json = m.to_json_string();
        let back = AppManifest::from_json_str(&json).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(back, m);
    }

    #[test]
    fn navx_xml_round_trip(n in navx()) {
        let xml = n.to_xml();
        let back = NavxManifest::from_xml(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        prop_assert_eq!(&back, &n);
        prop_assert_eq!(back.to_xml(), xml);
    }

    #[test]
    fn app_json_to_navx_and_back_keeps_identity(m in manifest()) {
        let xml = m.to_navx().to_xml();
        let n = NavxManifest::from_xml(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        let back = n.to_app_manifest();
        prop_assert_eq!(back.id, m.id);
        prop_assert_eq!(&back.name, &m.name);
        prop_assert_eq!(back.version, m.version);
        prop_assert_eq!(back.id_ranges(), m.id_ranges());
        prop_assert_eq!(back.dependencies.len(), m.dependencies.len());
    }

    #[test]
    fn parse_print_identity(d in document()) {
        let doc = AppJsonDocument::parse(&d.text).map_err(|e| TestCaseError::fail(format!("{e}\n{}", d.text)))?;
        prop_assert_eq!(doc.to_string(), d.text);
    }

    #[test]
    fn edits_touch_only_their_value(d in document(), v in version(), which in 0u8..5) {
        let mut doc = AppJsonDocument::parse(&d.text).unwrap();
        let dep = Uuid::parse_str(DEP_ID).unwrap();
        let (old, new) = match which {
            0 => { doc.set_version(&v).unwrap(); ("\"1.2.3.4\"".to_string(), format!("\"{v}\"")) }
            1 => { doc.set_name("Renamed").unwrap(); ("\"Name Q\"".to_string(), "\"Renamed\"".to_string()) }
            2 => { doc.set_dependency_version(dep, &v).unwrap(); ("\"7.7.7.7\"".to_string(), format!("\"{v}\"")) }
            3 => {
                let id = Uuid::from_u128(0xabcdef);
                doc.set_id(id).unwrap();
                ("\"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\"".to_string(), format!("\"{id}\""))
            }
            _ => {
                let id = Uuid::from_u128(0x1234);
                doc.set_dependency_id(dep, id).unwrap();
                (format!("\"{DEP_ID}\""), format!("\"{id}\""))
            }
        };
        prop_assert_eq!(d.text.matches(&old).count(), 1);
        let expected = d.text.replacen(&old, &new, 1);
        prop_assert_eq!(doc.to_string(), expected);
        // and the model follows
        let again = AppManifest::from_json_str(&doc.to_string()).unwrap();
        prop_assert_eq!(&again, doc.manifest());
    }

    #[test]
    fn add_then_remove_dependency_restores_bytes(d in document(), n in any::<u128>()) {
        let mut doc = AppJsonDocument::parse(&d.text).unwrap();
        let id = Uuid::from_u128(n | 1 << 100);
        doc.add_dependency(&Dependency::new(id, "New", "Pub", AppVersion::new(1, 0, 0, 0))).unwrap();
        prop_assert_eq!(doc.manifest().dependencies.len(), 2);
        prop_assert!(doc.remove_dependency(id).unwrap());
        prop_assert_eq!(doc.to_string(), d.text);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,200}") {
        let _ = AppManifest::from_json_str(&s);
        let _ = AppSourceCop::from_json_str(&s);
        let _ = NavxManifest::from_xml(&s);
        if let Ok(mut doc) = AppJsonDocument::parse(&s) {
            let _ = doc.set_version(&AppVersion::ZERO);
        }
    }
}
