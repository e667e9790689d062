//! Optional check against real packages' manifests: set `ALKIT_REAL_NAVX` to a
//! folder of `NavxManifest.xml` files extracted from `.app` packages (not
//! committed: Microsoft content). Each must read and write back byte for byte.
#![allow(clippy::unwrap_used, clippy::panic)]

#[test]
fn real_manifests_write_back_byte_for_byte() {
    let Ok(dir) = std::env::var("ALKIT_REAL_NAVX") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let m = al_manifest::NavxManifest::from_xml(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(m.to_xml(), text, "{}", f.display());
        let app = m.to_app_manifest();
        assert_eq!(app.id, m.app.id);
        assert_eq!(app.version, m.app.version);
    }
}
