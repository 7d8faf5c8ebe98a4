//! Template paths: containment (no path may leave the tree) and the `exclude`/`eject` globs.

use std::path::Path;

use super::JINJA_SUFFIX;

/// An `exclude`/`eject` pattern: matched against a template's path and against it without
/// `.j2`. `*` and `?` stay within one path segment, `**` as a whole segment spans segments
/// (gitignore's rules, by `globset`, which compiles to a linear-time automaton: no pattern
/// makes matching exponential).
pub struct TemplateGlob(globset::GlobMatcher);

impl TemplateGlob {
    pub fn new(pattern: &str) -> Result<Self, String> {
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map(|g| TemplateGlob(g.compile_matcher()))
            .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))
    }

    pub fn matches(&self, path: &str) -> bool {
        let bare = path.strip_suffix(JINJA_SUFFIX).unwrap_or(path);
        self.0.is_match(path) || self.0.is_match(bare)
    }
}

/// Whether a relative path stays inside the tree it is joined to.
pub fn is_contained(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !p.is_absolute()
        && !path.starts_with('/')
        && !path.contains('\\')
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches_template(pattern: &str, path: &str) -> bool {
        TemplateGlob::new(pattern).unwrap().matches(path)
    }

    #[test]
    fn globs() {
        assert!(matches_template("k8s/**", "k8s/dev/a.yaml.j2"));
        assert!(matches_template("**/*.yaml.j2", "a.yaml.j2"));
        assert!(matches_template(
            "charts/*/values.yaml.j2",
            "charts/__service__/values.yaml.j2"
        ));
        assert!(!matches_template("charts/*.j2", "charts/x/values.yaml.j2"));
        assert!(matches_template("?.txt", "a.txt"));
        assert!(matches_template(".env.example", ".env.example.j2"));
        assert!(!matches_template(".env", ".env.example.j2"));
    }

    /// Issue 18: `**?**?…#` took 14 s with seven `**?` and doubled with each one under the
    /// hand-written backtracking matcher. A compiled glob matches in time linear in the path,
    /// whatever the pattern, so thirty of them end at once (the suite would time out if not).
    #[test]
    fn a_pathological_glob_is_matched_in_linear_time() {
        let pattern = format!("{}#", "**?".repeat(30));
        let glob = TemplateGlob::new(&pattern).unwrap();
        let path = "a".repeat(200);
        assert!(!glob.matches(&path));
        assert!(glob.matches(&format!("{path}#")));
    }

    #[test]
    fn a_bad_glob_is_an_error_not_a_panic() {
        assert!(TemplateGlob::new("charts/[").is_err());
    }

    #[test]
    fn containment() {
        assert!(is_contained("charts/api/x.yaml"));
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b"] {
            assert!(!is_contained(bad), "{bad}");
        }
    }
}
