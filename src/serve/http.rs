//! What `serve` answers: mapping a URL to a file inside the built site,
//! content types, the reload script and the error page.
//!
//! Kept free of sockets so each rule can be tested on its own.

use std::path::{Path, PathBuf};

use crate::render::markdown::escape;

/// The path of the server-sent events stream the reload script listens to.
pub const EVENTS_PATH: &str = "/__boardpack/events";

/// Where a request's URL leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file inside the served folder.
    File(PathBuf),
    /// A folder asked for without its trailing `/`: redirect there, so the
    /// site's relative links resolve.
    Redirect(String),
    /// Nothing there (or outside the served folder, or hidden).
    NotFound,
    /// A URL that is not a path inside the site (`..`, `\`, bad escapes).
    BadRequest,
}

/// Map `url` (path and maybe a query) onto a file under `dir`.
///
/// Refuses `..`, `.`, backslashes, drive letters and NUL in any segment
/// (400), hidden files (404), and anything whose real path, symbolic links
/// followed, leaves `dir` (404).
pub fn resolve(dir: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::BadRequest;
    };
    if !decoded.starts_with('/') {
        return Target::BadRequest;
    }
    let mut file = dir.to_path_buf();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." || seg.contains(['\\', ':', '\0']) {
            return Target::BadRequest;
        }
        if seg.starts_with('.') {
            return Target::NotFound;
        }
        file.push(seg);
    }
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Target::Redirect(format!("{path}/"));
        }
        file.push("index.html");
    }
    let (Ok(real), Ok(real_dir)) = (file.canonicalize(), dir.canonicalize()) else {
        return Target::NotFound;
    };
    if !real.starts_with(&real_dir) || !real.is_file() {
        return Target::NotFound;
    }
    Target::File(real)
}

/// `%XX` escapes decoded; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The reload script for a page built at `generation`: it listens to
/// [`EVENTS_PATH`] and reloads when a later build is announced.
fn script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g=\"{generation}\";\
         var s=new EventSource(\"{EVENTS_PATH}\");\
         s.onmessage=function(e){{if(e.data!==g){{s.close();location.reload();}}}};}})();</script>"
    )
}

/// `html` with the reload script added before its last `</body>` (or at the
/// end). Only responses get it; the built files never do.
pub fn inject(html: &str, generation: u64) -> String {
    let tag = script(generation);
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

/// The page shown instead of every page while the content has errors:
/// every diagnostic (as `check` prints them, file:line:column and the
/// quoted line), escaped, with the reload script so it clears when fixed.
pub fn error_page(report: &str, generation: u64) -> String {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Build failed – boardpack serve</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}\
         pre{{background:#fff4f4;border-left:4px solid #b00;padding:1rem;overflow-x:auto;\
         white-space:pre-wrap}}</style></head>\n<body>\n<h1>The site did not build</h1>\n\
         <p>Fix these problems and save; this page reloads by itself.</p>\n\
         <pre>{}</pre>\n</body></html>\n",
        escape(report)
    );
    inject(&body, generation)
}

/// One server-sent event carrying `data`.
pub fn event(data: &str) -> String {
    format!("data: {data}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("site/plans")).unwrap();
        std::fs::write(d.path().join("site/index.html"), "<p>home</p>").unwrap();
        std::fs::write(d.path().join("site/plans/a.html"), "a").unwrap();
        std::fs::write(d.path().join("site/.boardpack-output"), "").unwrap();
        std::fs::write(d.path().join("secret.txt"), "no").unwrap();
        d
    }

    #[test]
    fn resolves_files_and_folders_inside_only() {
        let d = site();
        let dir = d.path().join("site");
        let real = dir.canonicalize().unwrap();
        assert_eq!(
            resolve(&dir, "/"),
            Target::File(real.join("index.html")),
            "/ serves index.html"
        );
        assert_eq!(
            resolve(&dir, "/plans/a.html?x=1"),
            Target::File(real.join("plans/a.html"))
        );
        assert_eq!(resolve(&dir, "/plans"), Target::Redirect("/plans/".into()));
        assert_eq!(resolve(&dir, "/plans/b.html"), Target::NotFound);
        for bad in [
            "/../secret.txt",
            "/plans/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/plans/..%5c..%5csecret.txt",
            "/C:/x",
            "/a%00b",
            "/%zz",
            "relative",
        ] {
            assert_eq!(resolve(&dir, bad), Target::BadRequest, "{bad}");
        }
        assert_eq!(resolve(&dir, "/.boardpack-output"), Target::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_site_is_not_followed() {
        let d = site();
        let dir = d.path().join("site");
        std::os::unix::fs::symlink(d.path().join("secret.txt"), dir.join("s.txt")).unwrap();
        assert_eq!(resolve(&dir, "/s.txt"), Target::NotFound);
    }

    #[test]
    fn script_goes_before_the_last_body_end_and_errors_are_escaped() {
        let html = inject("<body>x</body></html>", 7);
        assert!(html.starts_with("<body>x<script>"), "{html}");
        assert!(html.ends_with("</script></body></html>"));
        assert!(html.contains("var g=\"7\""));
        let page = error_page("error: <script>alert(1)</script> & more", 3);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the reload script"
        );
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.CSS")),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("c.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("p.pdf")), "application/pdf");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }
}
