//! `AppSourceCop.json`: arbitrary bytes must never panic the reader; what it accepts
//! must survive a model -> JSON -> model round-trip.
#![no_main]

use al_manifest::AppSourceCop;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = AppSourceCop::from_json_str(text) {
        let _ = c.affixes();
        let json = c.to_json_string();
        assert_eq!(
            AppSourceCop::from_json_str(&json).ok(),
            Some(c),
            "round-trip failed: {json}"
        );
    }
});
