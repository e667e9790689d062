//! Property tests: container round trip, no panics on arbitrary or mutated input.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use proptest::prelude::*;
use runtime_pack::{
    LazyPackage, NavxHeader, Package, SymbolReference, SymbolSummary, Uuid, read_container,
    write_container,
};

/// Reads `file` with both readers: never a panic, and the lazy one refuses nothing the full one
/// accepts; every entry it lists inflates to the full reader's bytes.
fn both_readers(file: &[u8]) -> Result<(), TestCaseError> {
    let full = Package::read(file);
    let lazy = LazyPackage::read(file);
    if let Ok(full) = &full {
        let lazy = lazy
            .as_ref()
            .map_err(|e| TestCaseError::fail(format!("lazy refused: {e}")))?;
        for (f, l) in full
            .app_package()
            .entries()
            .iter()
            .zip(lazy.app_package().entries())
        {
            prop_assert_eq!(
                &lazy.app_package().read_entry(l).ok(),
                &Some(f.data.clone())
            );
        }
    } else if let Ok(lazy) = &lazy {
        // Accepted lazily but refused fully (a defect inside entry data, found only when an entry
        // is inflated): inflating its entries must not panic either.
        for e in lazy.app_package().entries() {
            let _ = lazy.app_package().read_entry(e);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn container_round_trip(id in any::<u128>(), payload in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let id = Uuid::from_u128(id);
        let file = write_container(id, &payload);
        prop_assert_eq!(file.len(), 40 + payload.len());
        let c = read_container(&file).unwrap();
        prop_assert_eq!(c.header, NavxHeader::new(id, payload.len() as u64));
        prop_assert_eq!(c.payload, &payload[..]);
        prop_assert!(c.trailer.is_empty());
        let bytes = NavxHeader::parse(&file).unwrap().to_bytes();
        prop_assert_eq!(&bytes[..], &file[..40]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        both_readers(&bytes)?;
        let _ = SymbolReference::from_slice(&bytes);
        let _ = SymbolSummary::from_slice(&bytes);
        let mut with_header = write_container(Uuid::nil(), &bytes);
        both_readers(&with_header)?;
        with_header.truncate(with_header.len() / 2);
        both_readers(&with_header)?;
    }

    #[test]
    fn mutated_packages_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        signed in any::<bool>(),
    ) {
        let mut file = runtime_pack::fixtures::normal_package(Uuid::nil(), Uuid::nil(), "P");
        if signed {
            file = runtime_pack::fixtures::sign(file, None, "S");
        }
        for (at, byte) in flips {
            let i = at.index(file.len());
            file[i] = byte;
        }
        both_readers(&file)?;
        let end = cut.index(file.len() + 1);
        both_readers(&file[..end])?;
    }
}
