//! NAVX container, package kinds and the NXSB signature block: arbitrary bytes must never panic
//! the reader; an accepted container must round-trip through the writer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runtime_pack::{Package, PackageKind, read_container, write_container};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = read_container(data) {
        assert_eq!(c.payload.len() as u64, c.header.content_length);
        assert_eq!(
            u64::from(c.header.header_size) + c.header.content_length + c.trailer.len() as u64,
            data.len() as u64
        );
        let rewritten = write_container(c.header.package_id, c.payload);
        let again = read_container(&rewritten).expect("written container reads back");
        assert_eq!(again.payload, c.payload);
        assert_eq!(again.header.package_id, c.header.package_id);
    }
    if let Ok(p) = Package::read(data) {
        if let Some(sig) = p.signature() {
            assert!(sig.offset <= data.len() as u64);
        }
        match p.kind() {
            PackageKind::Runtime => assert!(p.entries().is_empty()),
            PackageKind::ReadyToRun => assert!(p.ready_to_run().is_some()),
            PackageKind::Normal | PackageKind::SymbolsOnly => {}
        }
        let _ = p.manifest();
        let _ = p.symbol_reference();
    }
});
