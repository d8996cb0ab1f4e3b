//! Reading content files safely: inside the site root, bounded in size,
//! tolerant of what Word and Excel produce (BOM, CRLF, Windows-1252).

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Largest content file read (YAML, CSV or Markdown).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A file's text, and a note when it had to be converted.
pub struct Text {
    /// The file as UTF-8 without a byte-order mark.
    pub text: String,
    /// Set when the file was read as Windows-1252.
    pub converted_from: Option<&'static str>,
}

/// Resolve `name`, written in `from_dir`'s file, to a path inside `root`.
///
/// Refuses absolute paths, `..` that climbs out of the root, and symlinks
/// that lead outside it.
pub fn resolve_inside(root: &Path, from_dir: &Path, name: &str) -> Result<PathBuf, String> {
    let rel = Path::new(name);
    if rel.is_absolute() || name.starts_with('\\') || name.contains(':') {
        return Err(format!(
            "`{name}` is an absolute path: give a path relative to the plan's folder"
        ));
    }
    let mut out = from_dir.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return Err(format!("`{name}` leads outside the site folder"));
                }
            }
            _ => return Err(format!("`{name}` is not a relative path")),
        }
    }
    if out.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(format!("`{name}` leads outside the site folder"));
    }
    let full = root.join(&out);
    if let (Ok(real), Ok(real_root)) = (full.canonicalize(), root.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(format!(
            "`{name}` is a link to a file outside the site folder; copy the file into the site instead"
        ));
    }
    Ok(out)
}

/// Read a text file (path relative to `root`).
pub fn read_text(root: &Path, rel: &Path) -> Result<Text, String> {
    let full = root.join(rel);
    let meta = fs::metadata(&full).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_string(),
        _ => format!("cannot read the file: {e}"),
    })?;
    if !meta.is_file() {
        return Err("expected a file, found a folder".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} MB; content files may be at most {} MB (is it the right file?)",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = fs::read(&full).map_err(|e| format!("cannot read the file: {e}"))?;
    decode(&bytes)
}

/// Decode file bytes: UTF-8 (BOM stripped), else Windows-1252 when it looks like text.
pub fn decode(bytes: &[u8]) -> Result<Text, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(
            "the file is binary, not text (it contains NUL bytes): is it a spreadsheet or a Word file saved under the wrong name?".into(),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Text {
            text: s.to_string(),
            converted_from: None,
        }),
        Err(_) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            if text.chars().any(|c| c == '\u{FFFD}') {
                return Err("the file is neither UTF-8 nor Windows-1252 text".into());
            }
            Ok(Text {
                text,
                converted_from: Some("Windows-1252"),
            })
        }
    }
}

/// Map one Windows-1252 byte to its character.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_reads_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").unwrap().text, "a,b");
        let t = decode(b"\xA3100 \x96 note").unwrap();
        assert_eq!(t.text, "£100 – note");
        assert_eq!(t.converted_from, Some("Windows-1252"));
        assert!(decode(b"a\0b").is_err());
    }

    #[test]
    fn refuses_paths_outside() {
        let root = Path::new("/nonexistent-root");
        let dir = Path::new("content/plans/a");
        assert!(resolve_inside(root, dir, "../../../../etc/passwd").is_err());
        assert!(resolve_inside(root, dir, "/etc/passwd").is_err());
        assert_eq!(
            resolve_inside(root, dir, "data/x.csv").unwrap(),
            PathBuf::from("content/plans/a/data/x.csv")
        );
    }
}
