//! SymbolReference.json: arbitrary bytes must never panic the reader; an accepted file must
//! write back to something the reader accepts with the same objects.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runtime_pack::SymbolReference;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = SymbolReference::from_slice(data) else {
        return;
    };
    let objects = s.objects();
    let written = s.to_vec().expect("a parsed model serializes");
    let back = SymbolReference::from_slice(&written).expect("written symbols read back");
    let again = back.objects();
    assert_eq!(objects.len(), again.len());
    for (a, b) in objects.iter().zip(&again) {
        assert_eq!(
            (a.kind, &a.namespace, a.object.id, &a.object.name),
            (b.kind, &b.namespace, b.object.id, &b.object.name)
        );
    }
});
