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
    decode(&read_content_bytes(root, rel)?)
}

/// Read a content file that is not text (a workbook) the way [`read_text`]
/// reads text: the same checks and the same [`MAX_FILE_BYTES`] limit.
pub fn read_content_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, String> {
    read_capped(root, rel, MAX_FILE_BYTES, |len, _| too_big(len))
}

/// Read an asset (the logo, a file under `static/`) of at most `max` bytes,
/// path relative to `root`, as content is read.
pub fn read_asset(root: &Path, rel: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_capped(root, rel, max, asset_too_big)
}

/// Read a file of at most `max` bytes, path relative to `root`: a regular file
/// only (a FIFO, device or socket is refused without being waited on), no link
/// that leads outside the site, and the size capped both before and while
/// reading; `too_big(size, max)` words the refusal.
fn read_capped(
    root: &Path,
    rel: &Path,
    max: u64,
    too_big: fn(u64, u64) -> String,
) -> Result<Vec<u8>, String> {
    let full = root.join(rel);
    // Look before opening: opening a FIFO for reading would wait for a writer.
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
    if meta.len() > max {
        return Err(too_big(meta.len(), max));
    }
    let file = open_regular(&full)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// Open a file that was seen to be a regular file. It may have been swapped
/// for a FIFO since: open without waiting for a writer (`O_NONBLOCK`, which
/// changes nothing for a regular file), then check what was opened.
fn open_regular(full: &Path) -> Result<fs::File, String> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(full)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("expected an ordinary file, found a device, pipe or socket".into());
    }
    Ok(file)
}

fn asset_too_big(len: u64, max: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    format!(
        "the file is {:.1} MB, over the {} MB limit for a logo or static file: save the image smaller",
        (len as f64 / MB * 10.0).floor() / 10.0,
        max / (1024 * 1024)
    )
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
    if let Some(what) = utf16(bytes) {
        return Err(format!(
            "the file is {what}, not UTF-8: save it as UTF-8 (Excel: \"CSV UTF-8\"; Notepad: Save as, Encoding: UTF-8)"
        ));
    }
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
            text: lone_cr_to_lf(s.to_string()),
            converted_from: None,
        }),
        Err(_) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            if text.chars().any(|c| c == '\u{FFFD}') {
                return Err("the file is neither UTF-8 nor Windows-1252 text: is it a binary file saved under the wrong name? Save it as UTF-8 text".into());
            }
            Ok(Text {
                text: lone_cr_to_lf(text),
                converted_from: Some("Windows-1252"),
            })
        }
    }
}

/// Name the UTF-16 encoding of `bytes`, if that is what they are: a UTF-16
/// byte-order mark, or (without one) a NUL in every other byte and in no
/// other, which is how UTF-16 stores Latin text.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some("UTF-16 text (little-endian, with a byte-order mark)");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some("UTF-16 text (big-endian, with a byte-order mark)");
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    // Most characters of Latin text have a NUL high byte; a few (’, –, €) do not.
    let mostly = |n: usize| n * 4 >= pairs * 3;
    match (even, odd) {
        (0, n) if mostly(n) => Some("UTF-16 text (little-endian, without a byte-order mark)"),
        (n, 0) if mostly(n) => Some("UTF-16 text (big-endian, without a byte-order mark)"),
        _ => None,
    }
}

/// Old Mac files end lines with a lone CR: make every line end `\n` (a CRLF
/// stays as it is), so each parser and each line number sees the same lines.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
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

    /// Issue 8: UTF-16 was called binary ("it contains NUL bytes").
    #[test]
    fn names_utf16_with_and_without_bom() {
        let le: Vec<u8> = "id: p\ntitle: T\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "period,actual\n2016/17,1\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let with_bom = |bom: &[u8], b: &[u8]| [bom, b].concat();
        for (bytes, what) in [
            (
                with_bom(b"\xFF\xFE", &le),
                "little-endian, with a byte-order mark",
            ),
            (le.clone(), "little-endian, without a byte-order mark"),
            (
                with_bom(b"\xFE\xFF", &be),
                "big-endian, with a byte-order mark",
            ),
            (be.clone(), "big-endian, without a byte-order mark"),
        ] {
            let e = decode(&bytes).unwrap_err();
            assert!(e.contains(what), "{e}");
            assert!(e.contains("save it as UTF-8"), "{e}");
            assert!(!e.contains("binary"), "{e}");
        }
        // A stray NUL in UTF-8 text is still binary.
        assert!(decode(b"abc\0def").unwrap_err().contains("binary"));
    }

    /// Issue 8: a file with old Mac line ends (CR only) read as one line.
    #[test]
    fn reads_lone_cr_as_line_ends() {
        assert_eq!(decode(b"a\rb\r\nc\rd").unwrap().text, "a\nb\r\nc\nd");
        assert_eq!(decode(b"\xA3\r1").unwrap().text, "£\n1");
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
