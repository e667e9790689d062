//! Licence files: arbitrary bytes must never panic the reader (`.bclicense`, `.flf`
//! sniffing, range files) or the check; a parsed licence converted to a range file must
//! read back with the same permissions per range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runtime_pack::licence::{
    LicObject, LicenceError, ObjectType, check_objects, parse_range_file, read_licence,
    write_range_file,
};

fuzz_target!(|data: &[u8]| {
    let Ok(lic) = read_licence(data) else {
        return;
    };
    let objects: Vec<LicObject> = [
        ObjectType::Table,
        ObjectType::Page,
        ObjectType::Codeunit,
        ObjectType::TableExtension,
        ObjectType::Enum,
    ]
    .into_iter()
    .flat_map(|kind| {
        [0, 1, 50000, 50100, 2_000_000_000, u32::MAX].map(|id| LicObject {
            kind,
            id: Some(id),
            name: String::new(),
            temporary: false,
            obsolete_removed: false,
            source: String::new(),
        })
    })
    .collect();
    let _ = check_objects(&lic, &objects, "2026-01-01".parse().ok());
    let _ = lic.expires();
    let text = write_range_file(&lic);
    let flat = |l: &runtime_pack::licence::Licence| {
        let mut v: Vec<_> = l
            .collections
            .iter()
            .filter(|c| c.kind.is_some())
            .flat_map(|c| {
                c.ranges.iter().map(move |r| {
                    (
                        c.kind,
                        r.from,
                        r.to,
                        r.permissions,
                        r.expiry.as_ref().and_then(|e| e.expires),
                    )
                })
            })
            .collect();
        v.sort_by_key(|x| format!("{x:?}"));
        v
    };
    match parse_range_file(&text) {
        Ok(back) => assert_eq!(flat(&lic), flat(&back), "convert round trip: {text}"),
        Err(LicenceError::EmptyRangeFile) => assert!(flat(&lic).is_empty(), "{text}"),
        Err(e) => panic!("written range file does not parse: {e}\n{text}"),
    }
});
