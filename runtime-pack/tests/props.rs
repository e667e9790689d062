//! Property tests: container round trip, no panics on arbitrary or mutated input.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use proptest::prelude::*;
use runtime_pack::{NavxHeader, Package, SymbolReference, Uuid, read_container, write_container};

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
        let _ = Package::read(&bytes);
        let _ = SymbolReference::from_slice(&bytes);
        let mut with_header = write_container(Uuid::nil(), &bytes);
        let _ = Package::read(&with_header);
        with_header.truncate(with_header.len() / 2);
        let _ = Package::read(&with_header);
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
        let _ = Package::read(&file);
        let end = cut.index(file.len() + 1);
        let _ = Package::read(&file[..end]);
    }
}
