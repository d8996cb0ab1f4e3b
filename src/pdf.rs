//! Printing board packs (and, through [`crate::plan_pdf`], plans) to PDF with a
//! headless Chromium-family browser.
//!
//! The browser prints the pack's own HTML and print stylesheet (A4, landscape
//! appendix pages, running header, page numbers), with a bookmark outline from
//! the headings. When `pdftotext` (poppler-utils) is on the machine, a first
//! print is read back to put page numbers into the contents, and the pack is
//! printed again. Nothing else is needed and nothing leaves the machine.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser names searched for on `PATH`, in order.
pub const BROWSERS: [&str; 7] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
];

/// How long one print may take.
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// Find the browser: `explicit`, else `$BOARDPACK_BROWSER`, else the first of [`BROWSERS`] on `PATH`.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            find_on_path(p.as_os_str())
                .ok_or_else(|| format!("--browser {}: no such program", p.display()))
        };
    }
    if let Some(p) = env::var_os("BOARDPACK_BROWSER").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(&p);
        return if path.is_file() {
            Ok(path)
        } else {
            find_on_path(&p)
                .ok_or_else(|| format!("BOARDPACK_BROWSER={}: no such program", path.display()))
        };
    }
    BROWSERS
        .iter()
        .find_map(|b| find_on_path(b.as_ref()))
        .ok_or_else(|| {
            "no Chromium-family browser found to print PDFs. Install one (Debian/Ubuntu: `apt-get install chromium`; \
             or Google Chrome or Microsoft Edge), or name it with --browser PATH or BOARDPACK_BROWSER"
                .to_string()
        })
}

fn find_on_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Run `cmd`, killing it after `timeout`; returns its stderr on failure.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<(), String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the browser: {e}"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    use std::io::Read;
                    let _ = s.read_to_string(&mut err);
                }
                let tail: Vec<&str> = err.lines().rev().take(5).collect();
                return Err(format!(
                    "the browser failed ({status}): {}",
                    tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
                ));
            }
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the browser did not finish within {} s",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for the browser: {e}")),
        }
    }
}

/// Print `html` to `pdf` with `browser`.
pub fn print(browser: &Path, html: &Path, pdf: &Path) -> Result<(), String> {
    let profile =
        tempfile::tempdir().map_err(|e| format!("cannot make a browser profile folder: {e}"))?;
    let html = html
        .canonicalize()
        .map_err(|e| format!("{}: {e}", html.display()))?;
    let mut url = OsString::from("file://");
    url.push(html.as_os_str());
    let mut target = OsString::from("--print-to-pdf=");
    target.push(pdf.as_os_str());
    let mut user = OsString::from("--user-data-dir=");
    user.push(profile.path().as_os_str());
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        // The sandbox cannot start as root (CI); only local files are opened.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        "--export-tagged-pdf",
        "--run-all-compositor-stages-before-draw",
    ])
    .arg(user)
    .arg(target)
    .arg(url)
    .env("TZ", "UTC");
    run_with_timeout(cmd, PRINT_TIMEOUT)?;
    match fs::metadata(pdf) {
        Ok(m) if m.len() > 0 => Ok(()),
        _ => Err("the browser finished but wrote no PDF".into()),
    }
}

/// Which page each of `titles` appears on, read with `pdftotext`: the first after `skip`
/// pages, and no earlier than the page of the title before it. The contents list
/// itself (the titles one after another, each followed by the page number `shown`
/// for it in this print, if any) is not counted, so a part that starts on the
/// contents page is found there. `None` when pdftotext is not installed.
pub fn pages_of(
    pdf: &Path,
    titles: &[String],
    shown: &[Option<usize>],
    skip: usize,
) -> Option<Vec<Option<usize>>> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let listed: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| match shown.get(i).copied().flatten() {
            Some(n) => format!("{t} {n}"),
            None => t.clone(),
        })
        .collect();
    let contents = norm(&listed.join(" "));
    let mut seen_contents = false;
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| {
            let p = norm(p);
            match p.find(&contents) {
                Some(i) if !seen_contents && !contents.is_empty() => {
                    seen_contents = true;
                    format!("{} {}", &p[..i], &p[i + contents.len()..])
                }
                _ => p,
            }
        })
        .collect();
    // Entries are in page order: search each from where the previous one was found.
    let mut from = skip;
    Some(
        titles
            .iter()
            .map(|t| {
                let t = norm(t);
                let found = pages
                    .iter()
                    .enumerate()
                    .skip(from)
                    .find(|(_, p)| p.contains(&t))
                    .map(|(i, _)| i);
                if let Some(i) = found {
                    from = i;
                }
                found.map(|i| i + 1)
            })
            .collect(),
    )
}

/// Make a printed PDF reproducible: set its creation and modification dates
/// (which the browser stamps with the time of printing) to `date` (`YYYYMMDD`).
/// The replacement has the same length, so the file's offsets stay valid.
pub fn set_dates(pdf: &Path, date: &str) -> Result<(), String> {
    let mut bytes = fs::read(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    let stamp = format!("(D:{date}000000+00'00')");
    let stamp = stamp.as_bytes();
    let mut i = 0;
    while i + stamp.len() <= bytes.len() {
        let window = &bytes[i..i + stamp.len()];
        let is_date = window.starts_with(b"(D:")
            && window[3..17].iter().all(u8::is_ascii_digit)
            && &window[17..] == b"+00'00')";
        if is_date {
            bytes[i..i + stamp.len()].copy_from_slice(stamp);
            i += stamp.len();
        } else {
            i += 1;
        }
    }
    fs::write(pdf, bytes).map_err(|e| format!("{}: {e}", pdf.display()))
}

/// The end (one past the closing parenthesis) of the PDF string literal that
/// starts at `open` (an opening parenthesis), honouring escapes and nesting.
fn literal_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Name boardpack as the PDF's Creator and Producer (`boardpack 0.1.0`; the
/// Producer keeps the browser's PDF library after it). The browser writes both
/// in the document information dictionary, Creator first with its long user-agent
/// string; the new entries take the same bytes, padded with spaces (which PDF reads
/// as the gap between entries), so the file's offsets stay valid and a reprint is
/// byte-identical. A PDF laid out otherwise is left as it is.
pub fn set_creator(pdf: &Path, version: &str) -> Result<(), String> {
    let mut bytes = fs::read(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    if let Some((start, new)) = creator_entries(&bytes, version) {
        bytes[start..start + new.len()].copy_from_slice(&new);
        fs::write(pdf, bytes).map_err(|e| format!("{}: {e}", pdf.display()))?;
    }
    Ok(())
}

/// Where the Creator and Producer entries start, and what replaces them (the same length).
fn creator_entries(bytes: &[u8], version: &str) -> Option<(usize, Vec<u8>)> {
    let find = |key: &[u8]| bytes.windows(key.len()).position(|w| w == key);
    let creator = find(b"/Creator (")?;
    let producer = find(b"/Producer (")?;
    let creator_end = literal_end(bytes, creator + 9)?;
    let producer_end = literal_end(bytes, producer + 10)?;
    let (start, first_end, second, end) = if creator < producer {
        (creator, creator_end, producer, producer_end)
    } else {
        (producer, producer_end, creator, creator_end)
    };
    // Only the gap between two entries may lie between them.
    if !bytes[first_end..second].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let mut library = &bytes[producer + 11..producer_end - 1];
    // Already named (a second run): keep only the library's own name.
    if library.starts_with(b"boardpack ") {
        library = match library.windows(2).position(|w| w == b"; ") {
            Some(i) => &library[i + 2..],
            None => b"",
        };
    }
    let mut new =
        format!("/Creator (boardpack {version})\n/Producer (boardpack {version}").into_bytes();
    if !library.is_empty() {
        new.extend_from_slice(b"; ");
        new.extend_from_slice(library);
    }
    new.push(b')');
    let room = end - start;
    if new.len() > room {
        new =
            format!("/Creator (boardpack {version})\n/Producer (boardpack {version})").into_bytes();
    }
    if new.len() > room {
        return None;
    }
    new.resize(room, b' ');
    Some((start, new))
}

/// Links for the printed copy: a PDF carries its links as absolute file paths of
/// the folder it was printed from, which mean nothing to its readers. Keep links
/// within the page (`#…`) and to the web (`http`, `https`, `mailto`); drop the
/// `href` of every other `<a>`. Stylesheet links are left alone.
pub fn printable_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..tag_end];
        match tag.find(" href=\"") {
            Some(h) => {
                let after = &tag[h + 7..];
                let end = after.find('"').unwrap_or(after.len());
                let target = &after[..end];
                let keep = target.starts_with('#')
                    || target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:");
                if keep {
                    out.push_str(tag);
                } else {
                    out.push_str(&tag[..h]);
                    out.push_str(after.get(end + 1..).unwrap_or(""));
                }
            }
            None => out.push_str(tag),
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_links_that_work_in_a_pdf() {
        let html = r##"<a href="#x">a</a><a href="../2008/index.html">b</a><a href="https://e.org">c</a><link rel="stylesheet" href="../../static/style.css">"##;
        assert_eq!(
            printable_links(html),
            r##"<a href="#x">a</a><a>b</a><a href="https://e.org">c</a><link rel="stylesheet" href="../../static/style.css">"##
        );
    }

    #[test]
    fn creator_and_producer_name_boardpack_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        let before: &[u8] = b"1 0 obj\n<</Title (T)\n/Creator (Mozilla/5.0 \\(X11; Linux x86_64\\) HeadlessChrome/156.0.0.0 Safari/537.36)\n/Producer (Skia/PDF m156)\n/CreationDate (D:20160420000000+00'00')>>\nendobj";
        fs::write(&p, before).unwrap();
        set_creator(&p, "1.2.3").unwrap();
        let after = fs::read(&p).unwrap();
        assert_eq!(after.len(), before.len(), "offsets stay valid");
        let text = String::from_utf8(after).unwrap();
        assert!(
            text.contains("/Creator (boardpack 1.2.3)\n/Producer (boardpack 1.2.3; Skia/PDF m156)"),
            "{text}"
        );
        assert!(!text.contains("Mozilla"), "{text}");
        assert!(
            text.ends_with(")>>\nendobj") && text.contains("/Title (T)\n"),
            "{text}"
        );
        // Twice gives the same bytes.
        let once = fs::read(&p).unwrap();
        set_creator(&p, "1.2.3").unwrap();
        assert_eq!(fs::read(&p).unwrap(), once);
    }

    #[test]
    fn dates_are_replaced_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        fs::write(
            &p,
            b"/CreationDate (D:20261125085107+00'00')\n/ModDate (D:20261125085107+00'00')",
        )
        .unwrap();
        set_dates(&p, "20080716").unwrap();
        assert_eq!(
            fs::read(&p).unwrap(),
            b"/CreationDate (D:20080716000000+00'00')\n/ModDate (D:20080716000000+00'00')"
        );
    }
}
