//! Reading content files safely: inside the site root, bounded in size,
//! tolerant of what Word and Excel produce (BOM, CRLF, Windows-1252).

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest content file read (YAML, CSV or Markdown).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A file's text, and a note when it had to be converted.
#[derive(Debug)]
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
///
/// Refuses what is not a regular file, a file that a link takes outside the
/// site, and anything over [`MAX_FILE_BYTES`]; the read itself is capped, so
/// a file that grows while it is read cannot exhaust memory either.
pub fn read_text(root: &Path, rel: &Path) -> Result<Text, String> {
    let full = root.join(rel);
    let meta = fs::metadata(&full).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_string(),
        _ => format!("cannot read the file: {e}"),
    })?;
    if meta.is_dir() {
        return Err("expected a file, found a folder".into());
    }
    if !meta.is_file() {
        return Err("expected an ordinary file, found a device, pipe or socket".into());
    }
    if let (Ok(real), Ok(real_root)) = (full.canonicalize(), root.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(
            "the file is a link to a file outside the site folder; copy the file into the site instead"
                .into(),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = fs::File::open(&full).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    decode(&bytes)
}

fn too_big(len: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    format!(
        "the file is {:.1} MB, over the {} MB limit for content files: is it the right file? (split a large table into several CSV files)",
        (len as f64 / MB * 10.0).floor() / 10.0,
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Decode file bytes: UTF-8 (BOM stripped), else Windows-1252 when it looks like text.
///
/// Bytes no text file holds (NUL, and control characters other than tab,
/// line ends and form feed) mark the file as binary: a spreadsheet, a Word
/// file or an image under the wrong name.
pub fn decode(bytes: &[u8]) -> Result<Text, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // An old DOS end-of-file mark is harmless.
    let bytes = bytes.strip_suffix(b"\x1A").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(
            "the file is binary, not text (it contains NUL bytes): is it a spreadsheet or a Word file saved under the wrong name?".into(),
        );
    }
    if let Some(i) = bytes
        .iter()
        .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
    {
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(format!(
            "the file is binary, not text (line {line} has the control character 0x{:02X}): is it a spreadsheet, a Word file or an image saved under the wrong name?",
            bytes[i]
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Text {
            text: s.to_string(),
            converted_from: None,
        }),
        Err(_) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            if text.chars().any(|c| c == '\u{FFFD}') {
                return Err("the file is neither UTF-8 nor Windows-1252 text: is it a binary file saved under the wrong name? Save it as UTF-8 text".into());
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
        assert!(
            decode(b"a\x1b[31mb")
                .unwrap_err()
                .contains("control character 0x1B")
        );
        assert_eq!(decode(b"a\r\n\tb\x1A").unwrap().text, "a\r\n\tb");
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
