//! The zip/OPC payload reader with its safety limits: arbitrary bytes must never panic or
//! exceed the limits, and every accepted entry path must be safe to join to a directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runtime_pack::{Package, ReadLimits, Uuid, read_zip_entries, write_container};

fuzz_target!(|data: &[u8]| {
    let mut limits = ReadLimits::default();
    limits.max_total_size = 64 << 20;
    if let Ok(entries) = read_zip_entries(data, &limits) {
        let total: u64 = entries.iter().map(|e| e.size).sum();
        assert!(total <= limits.max_total_size);
        for e in &entries {
            assert_eq!(e.size, e.data.len() as u64);
            assert!(!e.path.starts_with('/'), "{}", e.path);
            assert!(!e.path.contains('\\'), "{}", e.path);
            assert!(
                e.path.split('/').all(|s| s != ".." && s != "."),
                "{}",
                e.path
            );
        }
    }
    // The same bytes as the payload of a package.
    let file = write_container(Uuid::nil(), data);
    let _ = Package::read_with_limits(&file, &limits);
});
