//! Hashes of renderings as the record holds them in memory: 32 bytes each, and one per path
//! without an allocation (the state file spells them as 64 hex digits), and the names of base
//! copies, which are hashes of their paths.

use sha2::{Digest, Sha256 as Sha256Hasher};

use super::state::BASE_DIR;

/// A SHA-256, as its 32 bytes: the state file writes it as 64 hex digits, but a record of
/// tens of thousands of files holds it in memory for the whole run (issue 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Sha256([u8; 32]);

impl Sha256 {
    pub fn of(bytes: &[u8]) -> Self {
        Sha256(Sha256Hasher::digest(bytes).into())
    }

    /// Parses 64 lowercase hex digits, the only spelling chartwright writes.
    pub fn parse(hex: &str) -> Option<Self> {
        if !is_hash(hex) {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
            let digit = |c: u8| match c {
                b'0'..=b'9' => c - b'0',
                _ => c - b'a' + 10,
            };
            out[i] = digit(pair[0]) << 4 | digit(pair[1]);
        }
        Some(Sha256(out))
    }
}

/// Lowercase hex, which sorts like the bytes.
impl std::fmt::Display for Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The hashes recorded for one path, sorted: almost always one, held without an allocation;
/// more after git merged two branches' records, or with an interrupted run's pending lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hashes {
    first: Sha256,
    rest: Vec<Sha256>,
}

impl Hashes {
    pub fn one(hash: Sha256) -> Self {
        Hashes {
            first: hash,
            rest: Vec::new(),
        }
    }

    pub fn insert(&mut self, hash: Sha256) {
        if hash == self.first || self.rest.contains(&hash) {
            return;
        }
        if hash < self.first {
            self.rest
                .insert(0, std::mem::replace(&mut self.first, hash));
        } else {
            let at = self.rest.partition_point(|h| *h < hash);
            self.rest.insert(at, hash);
        }
    }

    pub fn contains(&self, hash: &Sha256) -> bool {
        self.first == *hash || self.rest.contains(hash)
    }

    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }

    /// In order.
    pub fn iter(&self) -> impl Iterator<Item = &Sha256> {
        std::iter::once(&self.first).chain(&self.rest)
    }
}

/// The [`Sha256`] of text written into it piece by piece, which is never held whole.
#[derive(Default)]
pub(crate) struct TextHasher(Sha256Hasher);

impl TextHasher {
    pub fn finish(self) -> Sha256 {
        Sha256(self.0.finalize().into())
    }
}

impl std::fmt::Write for TextHasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The name of a generated path's base copy: the sha256 of the path, so that the store holds
/// nothing a scanner takes for a chart or a Compose file.
pub(crate) fn base_key(rel: &str) -> Sha256 {
    Sha256::of(rel.as_bytes())
}

/// Relative path of the base copy named `hash` (see [`base_key`]).
pub(crate) fn blob_path(hash: &Sha256) -> String {
    let hex = hash.to_string();
    format!("{BASE_DIR}/{}/{hex}", &hex[..2])
}

/// The key a base copy's path names, when it is one (`.chartwright/base/ab/ab…`).
pub(crate) fn blob_hash(rel: &str) -> Option<Sha256> {
    let rest = rel.strip_prefix(BASE_DIR)?.strip_prefix('/')?;
    let (prefix, hash) = rest.split_once('/')?;
    (hash.starts_with(prefix) && prefix.len() == 2)
        .then(|| Sha256::parse(hash))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(c: char) -> String {
        std::iter::repeat_n(c, 64).collect()
    }

    #[test]
    fn hashes_round_trip_as_hex_and_sort_like_it() {
        let text = "00ff10a0b1c2d3e4f5060708090a0b0c0d0e0f101112131415161718191a1b1c";
        let hash = Sha256::parse(text).unwrap();
        assert_eq!(hash.to_string(), text);
        assert_eq!(Sha256::of(b"").to_string(), sha2_hex(b""));
        for bad in [
            &text[1..],
            &text.to_uppercase(),
            &format!("{}g", &text[1..]),
        ] {
            assert_eq!(Sha256::parse(bad), None, "{bad}");
        }
        let mut hashes = Hashes::one(Sha256::parse(&h('b')).unwrap());
        for c in ['c', 'a', 'b', '9'] {
            hashes.insert(Sha256::parse(&h(c)).unwrap());
        }
        let listed: Vec<String> = hashes.iter().map(|h| h.to_string()).collect();
        assert_eq!(listed, [h('9'), h('a'), h('b'), h('c')]);
    }

    fn sha2_hex(bytes: &[u8]) -> String {
        Sha256Hasher::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn blob_paths_name_their_hash() {
        let key = Sha256::parse(&h('a')).unwrap();
        let p = blob_path(&key);
        assert_eq!(p, format!(".chartwright/base/aa/{}", h('a')));
        assert_eq!(blob_hash(&p), Some(key));
        assert_eq!(blob_hash(".chartwright/base/charts/x/values.yaml"), None);
    }
}
