//! Content hashes for the build manifest.
//!
//! A hash here only tells "changed" from "unchanged" between two builds of
//! the same site, so it needs to be stable and wide, not secret: two 64-bit
//! SipHash-1-3 states with fixed keys (std's `DefaultHasher::new()`), fed
//! the same bytes after different seeds, make 128 bits, written as hex.
//! Were the standard library to change the algorithm, hashes would just
//! differ and the next build would render everything once.

use std::hash::{DefaultHasher, Hasher};

/// A 128-bit content hash being fed.
pub struct Fingerprint {
    a: DefaultHasher,
    b: DefaultHasher,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    /// An empty hash.
    pub fn new() -> Self {
        let mut a = DefaultHasher::new();
        let mut b = DefaultHasher::new();
        a.write_u8(0xa5);
        b.write_u8(0x5a);
        Fingerprint { a, b }
    }

    /// Add one field; its length goes first, so fields never run together.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        for h in [&mut self.a, &mut self.b] {
            h.write_u64(bytes.len() as u64);
            h.write(bytes);
        }
        self
    }

    /// The hash as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.a.finish(), self.b.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_run_together_and_hashes_are_stable() {
        let h = |parts: &[&str]| {
            let mut f = Fingerprint::new();
            for p in parts {
                f.field(p.as_bytes());
            }
            f.hex()
        };
        assert_ne!(h(&["ab", "c"]), h(&["a", "bc"]));
        assert_eq!(h(&["ab", "c"]), h(&["ab", "c"]));
        assert_eq!(h(&[]).len(), 32);
    }
}
