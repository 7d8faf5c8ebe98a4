//! What the output stage compares with the tree: the generated files, in units (one per
//! service, say), some of them derived from others.
//!
//! A derived file (`k8s/<env>/<service>.yaml`, rendered from the service's chart) must be made
//! from its sources *as they will be on disk* after the regeneration, hand edits kept by the
//! three-way merge included; otherwise an edit in the chart would stay in the chart and never
//! reach the derived file. So the planner decides a unit's own files first, then asks the
//! source for the derived ones, handing it those files as they will be.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::{FileSet, OutputError};

/// The generated tree, unit by unit.
pub trait Source {
    /// The error of rendering a unit; output's own errors convert into it.
    type Error: From<OutputError>;

    /// How many units there are.
    fn units(&self) -> usize;

    /// The files of unit `unit` that are rendered from the inputs alone.
    fn files(&self, unit: usize) -> Result<Cow<'_, FileSet>, Self::Error>;

    /// The files of unit `unit` derived from its own files as they will be on disk: `on_disk`
    /// holds each file of [`Source::files`] with any hand edit the merge keeps, and `edited`
    /// names those that differ from their rendering. A hand edit of a derived file cannot reach
    /// its sources, so the planner reports it (`WriteReport::derived_edits`).
    fn derive(
        &self,
        unit: usize,
        on_disk: &FileSet,
        edited: &BTreeSet<String>,
    ) -> Result<FileSet, Self::Error>;
}

/// A plain file set is one unit with nothing derived.
impl Source for FileSet {
    type Error = OutputError;

    fn units(&self) -> usize {
        1
    }

    fn files(&self, _unit: usize) -> Result<Cow<'_, FileSet>, OutputError> {
        Ok(Cow::Borrowed(self))
    }

    fn derive(
        &self,
        _unit: usize,
        _on_disk: &FileSet,
        _edited: &BTreeSet<String>,
    ) -> Result<FileSet, OutputError> {
        Ok(FileSet::new())
    }
}
