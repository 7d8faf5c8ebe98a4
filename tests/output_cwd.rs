//! The output does not depend on the working directory. Kept in its own test binary because
//! it changes the process-wide current directory.

mod common;

use std::env;

use chartwright::output::{self, WriteOptions};
use common::*;

#[test]
fn same_tree_from_another_working_directory_and_through_relative_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let files = fileset(&[
        ("chart/values.yaml", V1),
        ("compose.yaml", "services: {}\n"),
    ]);
    let absolute = tmp.path().join("absolute");
    output::write(&files, &absolute, &WriteOptions::default()).unwrap();

    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    env::set_current_dir(&elsewhere).unwrap();
    output::write(&files, "../relative/out".as_ref(), &WriteOptions::default()).unwrap();
    assert_eq!(
        snapshot(&tmp.path().join("relative/out")),
        snapshot(&absolute)
    );
    assert!(output::check(&files, &absolute).unwrap().in_sync);

    // A relative output directory that is the working directory itself.
    env::set_current_dir(&absolute).unwrap();
    assert!(output::check(&files, "".as_ref()).unwrap().in_sync);
    assert!(output::check(&files, ".".as_ref()).unwrap().in_sync);
    let report = output::write(&files, ".".as_ref(), &WriteOptions::default()).unwrap();
    assert_eq!(report.unchanged.len(), 2);
    assert_eq!(
        snapshot(&absolute),
        snapshot(&tmp.path().join("relative/out"))
    );
}
