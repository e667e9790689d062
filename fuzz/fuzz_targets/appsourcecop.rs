//! `AppSourceCop.json` and the AL-Go settings written into it: arbitrary bytes must never
//! panic either reader; what the AppSourceCop reader accepts must survive a model -> JSON ->
//! model round-trip; AL-Go settings applied to it replace only the keys they manage.
#![no_main]

use al_manifest::{AlGoSettings, AppSourceCop};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cop = AppSourceCop::from_json_str(text);
    if let Ok(c) = &cop {
        let _ = c.affixes();
        let json = c.to_json_string();
        assert_eq!(
            AppSourceCop::from_json_str(&json).ok().as_ref(),
            Some(c),
            "round-trip failed: {json}"
        );
    }
    if let Ok(s) = AlGoSettings::from_json_str_named(text, ".AL-Go/settings.json") {
        let mut twice = s.clone();
        twice.merge(s.clone());
        assert_eq!(twice, s, "merging settings with themselves changed them");
        let _ = s.is_test_folder(text);
        if let Ok(c) = cop {
            let applied = s.applied_to(Some(c.clone())).expect("a file stays a file");
            assert_eq!(applied.supported_countries, c.supported_countries);
            assert_eq!(applied.extra, c.extra);
            if s.app_source_cop_mandatory_affixes.is_empty() {
                assert_eq!(applied.mandatory_affixes, c.mandatory_affixes);
            } else {
                assert_eq!(applied.mandatory_affixes, s.app_source_cop_mandatory_affixes);
            }
        }
    }
});
