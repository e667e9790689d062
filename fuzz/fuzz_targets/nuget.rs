//! NuGet packages from feeds (`alkit symbols fetch`) and the files alkit writes for them:
//! arbitrary bytes must never panic the nupkg reader (a zip checked as strictly as a `.app`
//! payload, its nuspec, its `.app` files), the nuspec parser, the lock-file reader or the
//! runtime file-name reader. An accepted nuspec writes back to the same nuspec.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runtime_pack::ReadLimits;
use runtime_pack::nuget::{LockFile, Nupkg, Nuspec};
use runtime_pack::runtime::parse_runtime_file_name;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = Nupkg::read(data, &ReadLimits::default()) {
        for a in &p.apps {
            assert!(!a.file_name.contains('/'));
        }
        let _ = p.apps_for(Some("dk"));
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = Nuspec::parse(text) {
        assert_eq!(Nuspec::parse(&n.to_xml()).expect("a written nuspec reads back"), n);
    }
    let _ = LockFile::from_json(text);
    if let Some(n) = parse_runtime_file_name(text) {
        assert!(text.to_ascii_lowercase().ends_with(".app"));
        assert!(n.stem.len() < text.len());
    }
});
