//! `NavxManifest.xml`: arbitrary bytes must never panic the reader; whatever it
//! accepts must write and read back to the same model, and map to app.json.
#![no_main]

use al_manifest::NavxManifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(m) = NavxManifest::from_xml(text) else {
        return;
    };
    let xml = m.to_xml();
    let back = NavxManifest::from_xml(&xml);
    assert!(back.is_ok(), "written XML does not read back: {xml}");
    let app = m.to_app_manifest();
    let _ = app.to_json_string();
    let _ = app.to_navx().to_xml();
});
