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
