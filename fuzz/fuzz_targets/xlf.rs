//! XLIFF (`.xlf`): arbitrary bytes must never panic the reader; an accepted file must print
//! back byte for byte with spans inside the text, and renaming an element named in a
//! note and then renaming it back must restore the file byte for byte.
#![no_main]

use al_manifest::xlf::{Rename, XlfFile, name_hash};
use al_manifest::xml::{Escape, escape};
use libfuzzer_sys::fuzz_target;

const NEW: &str = "Fz & <New> \"name\" 'x'";

fn eq_ci(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = XlfFile::parse(data) else {
        return;
    };
    assert_eq!(file.to_bytes(), data, "print-back");
    let text = file.text();
    for u in file.units() {
        assert!(text.get(u.id_span.clone()).is_some());
        for p in u.id_parts.iter().flatten() {
            assert!(p.hash_span.start >= u.id_span.start && p.hash_span.end <= u.id_span.end);
            assert!(text.get(p.hash_span.clone()).is_some());
        }
        if let Some(n) = &u.note {
            assert!(text.get(n.span.clone()).is_some());
            for p in &n.parts {
                assert!(p.name_span.start >= n.span.start && p.name_span.end <= n.span.end);
                assert!(text.get(p.name_span.clone()).is_some());
            }
        }
        if let Some(t) = &u.object_target {
            assert!(text.get(t.span.clone()).is_some());
        }
    }
    // Rename the first named path (object, and member if any) and back.
    let Some(parts) = file
        .units()
        .iter()
        .find_map(|u| u.note.as_ref().map(|n| &n.parts).filter(|p| !p.is_empty()))
    else {
        return;
    };
    let mut renames = Vec::new();
    if let Some(obj) = parts.first() {
        renames.push(Rename::object(&obj.kind, &obj.name, NEW));
        if let Some(member) = parts.get(1) {
            renames.push(Rename::member(&obj.kind, &obj.name, &member.kind, &member.name, NEW));
        }
    }
    let out = match file.rename(&renames) {
        Ok(out) => out,
        Err(e) => panic!("rename failed: {e}"),
    };
    let renamed = XlfFile::parse(&out.bytes).expect("renamed file reads back");
    // The reverse restores the input unless the input makes the rename lossy: a name
    // differing only in case from a renamed one, a renamed name escaped unlike the
    // compiler does, or something already spelled / hashed like the new name.
    let new_hash = name_hash(NEW);
    let old: Vec<&str> = renames.iter().filter_map(|r| r.path.last()).map(|p| p.name.as_str()).collect();
    let lossy = file.units().iter().any(|u| {
        u.id_parts.iter().flatten().any(|p| p.hash == new_hash)
            || u.object_target.as_ref().and_then(|t| t.part.as_ref()).is_some_and(|p| p.hash == new_hash)
            || u.note.as_ref().into_iter().flat_map(|n| &n.parts).any(|p| {
                eq_ci(&p.name, NEW)
                    || old.iter().any(|o| {
                        eq_ci(&p.name, o)
                            && (p.name != *o || text.get(p.name_span.clone()) != Some(&*escape(o, Escape::TEXT_WHITESPACE)))
                    })
            })
    });
    if lossy {
        return;
    }
    let reversed = Rename::reversed_all(&renames);
    let back = match renamed.rename(&reversed) {
        Ok(back) => back,
        // An old name that is not a valid new name (empty, or a character XML 1.0
        // forbids that the reader let through) cannot be restored by a rename.
        Err(al_manifest::xlf::XlfError::InvalidName { .. }) => return,
        Err(e) => panic!("reverse rename failed: {e}"),
    };
    assert_eq!(back.bytes, data, "rename + reverse is not the identity");
});
