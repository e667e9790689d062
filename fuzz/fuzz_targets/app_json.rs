//! `app.json`: arbitrary bytes must never panic the parser, the validator or the
//! format-preserving editor; a parsed document must print back byte for byte, and
//! edits must keep it parseable and consistent with its model.
#![no_main]

use al_manifest::{
    AppJsonDocument, AppManifest, AppVersion, Dependency, IdRange, PolicyFlag, Uuid,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = AppManifest::from_json_str(text) {
        let _ = m.validate();
        let _ = m.to_navx().to_xml();
        // model -> JSON -> model
        let json = m.to_json_string();
        let back = AppManifest::from_json_str(&json);
        assert_eq!(
            back.as_ref().ok(),
            Some(&m),
            "model round-trip failed: {json}"
        );
    }
    let Ok(mut doc) = AppJsonDocument::parse(text) else {
        return;
    };
    assert_eq!(doc.to_string(), text, "parse/print is not the identity");
    let _ = doc.validate();
    let dep = Uuid::from_u128(0x5eed);
    let v = AppVersion::new(9, 8, 7, 6);
    let ranges = [IdRange::new(50100, 50149)];
    // Each edit, when it succeeds, must have the effect it names on the model
    // (which is re-read from the edited text).
    type Check = fn(&AppManifest) -> bool;
    let edits: [(&dyn Fn(&mut AppJsonDocument) -> bool, Check); 8] = [
        (&|d| d.set_version(&v).is_ok(), |m| {
            m.version == AppVersion::new(9, 8, 7, 6)
        }),
        (&|d| d.set_name("Fuzzed \"name\"").is_ok(), |m| {
            m.name == "Fuzzed \"name\""
        }),
        (&|d| d.set_id(Uuid::from_u128(42)).is_ok(), |m| {
            m.id == Uuid::from_u128(42)
        }),
        (&|d| d.set_id_ranges(&ranges).is_ok(), |m| {
            m.id_ranges() == [IdRange::new(50100, 50149)] && m.id_range.is_none()
        }),
        (&|d| d.set_id_range(IdRange::new(1, 2)).is_ok(), |m| {
            m.id_range == Some(IdRange::new(1, 2)) && m.id_ranges.is_none()
        }),
        (
            &|d| {
                d.add_dependency(&Dependency::new(dep, "D", "P", AppVersion::ZERO))
                    .is_ok()
            },
            |m| {
                m.dependencies
                    .iter()
                    .any(|d| d.id == Uuid::from_u128(0x5eed))
            },
        ),
        (&|d| d.remove_dependency(dep).is_ok(), |_| true),
        (
            &|d| d.set_policy_flag(PolicyFlag::AllowDebugging, true).is_ok(),
            |m| {
                m.resource_exposure_policy
                    .as_ref()
                    .is_some_and(|p| p.allow_debugging)
            },
        ),
    ];
    for (edit, check) in edits {
        if edit(&mut doc) {
            let out = doc.to_string();
            let reparsed = AppManifest::from_json_str(&out);
            assert_eq!(
                reparsed.as_ref().ok(),
                Some(doc.manifest()),
                "edited text and model differ: {out}"
            );
            assert!(check(doc.manifest()), "edit had no effect: {out}");
        }
    }
});
