//! Output: the rendered file set written atomically, diffed against the tree on disk, or checked.

mod fileset;

pub use fileset::FileSet;
