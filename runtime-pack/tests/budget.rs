//! Issue 19 item 6: one budget of inflated bytes per package, nested packages included,
//! and no more than 25 times the file's size (at least 64 MiB). A 1.2 MB package of
//! entries each just under the ratio check's 1 MiB exemption inflated to 1 GB, and a
//! ready-to-run wrapper had the full limit at every level.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use runtime_pack::fixtures;
use runtime_pack::{LazyPackage, Package, PackageError, ReadLimits, TOTAL_SIZE_FLOOR, Uuid};

fn total_of(p: &Package) -> u64 {
    p.entries().iter().map(|e| e.size).sum()
}

#[test]
fn nested_packages_share_one_budget() {
    let inner = fixtures::normal_package(Uuid::from_u128(1), Uuid::from_u128(2), "Inner");
    let wrapper = fixtures::ready_to_run_package(Uuid::from_u128(3), "Inner.app", &inner);
    let inner_total = total_of(&Package::read(&inner).unwrap());
    let outer_total = {
        let p = Package::read(&wrapper).unwrap();
        p.entries().iter().map(|e| e.size).sum::<u64>()
    };
    // Each level alone fits; both together do not.
    let mut limits = ReadLimits::default();
    limits.max_total_ratio = u64::MAX;
    limits.max_total_size = inner_total + outer_total - 1;
    assert!(Package::read_with_limits(&inner, &limits).is_ok());
    for r in [
        Package::read_with_limits(&wrapper, &limits).map(|_| ()),
        LazyPackage::read_with_limits(&wrapper, &limits).map(|_| ()),
    ] {
        match r {
            Err(PackageError::Embedded { source, .. }) => match *source {
                PackageError::TotalSizeExceeded { limit, .. } => {
                    assert_eq!(limit, limits.max_total_size)
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }
    limits.max_total_size = inner_total + outer_total;
    assert!(Package::read_with_limits(&wrapper, &limits).is_ok());
}

#[test]
fn a_small_file_cannot_inflate_past_its_budget() {
    // 65 entries of 1 MiB of zeros (each exempt from the ratio check): 65 MiB from a
    // file of about 70 KB.
    let zeros = vec![0u8; 1 << 20];
    let mut entries = fixtures::normal_entries(Uuid::from_u128(2), "Zeros");
    for i in 0..65 {
        entries.push((format!("src/z{i}.al"), zeros.clone()));
    }
    let file = runtime_pack::write_container(Uuid::from_u128(1), &fixtures::zip_owned(&entries));
    assert!(file.len() < 1 << 20, "{}", file.len());
    let err = Package::read(&file).unwrap_err();
    match &err {
        PackageError::TotalSizeExceeded { limit, .. } => assert_eq!(*limit, TOTAL_SIZE_FLOOR),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("in all, nested packages included"),
        "{err}"
    );
    assert!(LazyPackage::read(&file).is_err());
    // The budget is the file's size times the ratio when that is more than the floor.
    let mut limits = ReadLimits::default();
    limits.max_total_ratio = 1_000;
    assert!(Package::read_with_limits(&file, &limits).is_ok());
}

/// A symbol file of `top` codeunits at the top level and `nested` tables in a namespace.
fn symbols(top: usize, nested: usize) -> Vec<u8> {
    let list = |n: usize| {
        (0..n)
            .map(|i| format!("{{\"Id\":{i},\"Name\":\"o{i}\"}}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{{\"Codeunits\":[{}],\"Namespaces\":[{{\"Name\":\"N\",\"Tables\":[{}]}}],\"AppId\":\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11\",\"Name\":\"S\",\"Publisher\":\"P\",\"Version\":\"1.0.0.0\"}}",
        list(top),
        list(nested)
    )
    .into_bytes()
}

#[test]
fn a_symbol_file_of_too_many_objects_is_refused_before_it_is_kept() {
    use runtime_pack::{MAX_SYMBOL_OBJECTS, SymbolReference, SymbolSummary};
    let half = MAX_SYMBOL_OBJECTS / 2;
    let at_limit = symbols(half, MAX_SYMBOL_OBJECTS - half);
    assert_eq!(
        SymbolSummary::from_slice(&at_limit)
            .unwrap()
            .objects()
            .len(),
        MAX_SYMBOL_OBJECTS
    );
    let over = symbols(half, MAX_SYMBOL_OBJECTS - half + 1);
    for e in [
        SymbolSummary::from_slice(&over).map(|_| ()).unwrap_err(),
        SymbolReference::from_slice(&over).map(|_| ()).unwrap_err(),
    ] {
        assert!(
            e.to_string()
                .contains(&format!("more than {MAX_SYMBOL_OBJECTS} objects")),
            "{e}"
        );
    }
}
