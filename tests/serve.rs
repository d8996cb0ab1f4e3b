//! `boardpack serve`: real HTTP on 127.0.0.1 against the built binary.
//!
//! Each test starts the server on a free port (`--port 0`; it prints the
//! address), talks to it with plain `TcpStream`s and stops it at the end.
//! Waits are bounded by a generous read timeout that fails with a message;
//! nothing asserts how fast anything is.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

/// How long any single wait may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(120);

/// A running `boardpack serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new site made by `init` in `dir`.
fn new_site(dir: &Path) {
    let o = common::boardpack(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "init failed: {}", common::stderr(&o));
}

fn start(root: &Path) -> Server {
    let mut child = common::command()
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start boardpack serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("serve did not print its address; it printed {line:?}"));
    Server { child, port }
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect to serve");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s
}

/// Send `GET target` exactly as written (no client normalises it); the status and body.
fn get(port: u16, target: &str) -> (u16, String) {
    let mut s = connect(port);
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// An open event stream.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = connect(port);
        write!(
            stream,
            "GET /__boardpack/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.wait_for("text/event-stream");
        events
    }

    /// Read until `text` has arrived, failing clearly if it never does.
    fn wait_for(&mut self, text: &str) {
        let mut buf = [0u8; 4096];
        while !self.seen.contains(text) {
            match self.stream.read(&mut buf) {
                Ok(0) => panic!(
                    "the event stream closed before {text:?}; got {:?}",
                    self.seen
                ),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) => panic!(
                    "no {text:?} on the event stream within {PATIENCE:?} ({e}); got {:?}",
                    self.seen
                ),
            }
        }
    }
}

const PLAN: &str = "content/plans/example/plan.yaml";

fn edit_plan(root: &Path, from: &str, to: &str) {
    common::edit(&root.join(PLAN), from, to);
}

#[test]
fn a_change_rebuilds_and_the_open_page_is_told_to_reload() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    new_site(&root);
    let server = start(&root);

    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("Example improvement plan"));
    assert!(
        home.contains("new EventSource(\"/__boardpack/events\")") && home.contains("var g=\"1\""),
        "served pages carry the reload script for build 1"
    );
    let (status, css) = get(server.port, "/static/style.css");
    assert_eq!(status, 200);
    assert!(!css.contains("EventSource"), "only HTML gets the script");

    let mut events = Events::open(server.port);
    events.wait_for("data: 1\n\n");
    edit_plan(
        &root,
        "title: Example improvement plan",
        "title: Renamed while serving",
    );
    events.wait_for("data: 2\n\n");
    let (status, plan) = get(server.port, "/plans/example-plan.html");
    assert_eq!(status, 200);
    assert!(
        plan.contains("Renamed while serving"),
        "the rebuilt page is served"
    );
    assert!(plan.contains("var g=\"2\""));
}

#[test]
fn content_errors_show_in_the_browser_and_clear_when_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    new_site(&root);
    let server = start(&root);
    let mut events = Events::open(server.port);
    events.wait_for("data: 1\n\n");

    edit_plan(
        &root,
        "polarity: higher_is_better",
        "polarity: <b>sideways</b>",
    );
    events.wait_for("data: 2\n\n");
    for page in ["/", "/plans/example-plan.html", "/no-such-page.html"] {
        let (status, body) = get(server.port, page);
        assert_eq!(status, 500, "{page}: {body}");
        assert!(body.contains("The site did not build"), "{page}: {body}");
        assert!(
            body.contains("content/plans/example/plan.yaml:"),
            "the file and line are given: {body}"
        );
        assert!(
            body.contains("polarity: &lt;b&gt;sideways&lt;/b&gt;"),
            "the quoted line is escaped: {body}"
        );
        assert!(
            !body.contains("<b>sideways"),
            "nothing from the content is raw HTML"
        );
        assert!(
            body.contains("EventSource"),
            "the error page reloads by itself"
        );
    }

    edit_plan(
        &root,
        "polarity: <b>sideways</b>",
        "polarity: higher_is_better",
    );
    events.wait_for("data: 3\n\n");
    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200, "{home}");
    assert!(!home.contains("did not build"));
    assert!(home.contains("Example improvement plan"));
}

#[test]
fn paths_outside_the_built_site_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    new_site(&root);
    let server = start(&root);
    for target in [
        "/../content/site.yaml",
        "/plans/../../content/site.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/plans/..%5c..%5ccontent%5csite.yaml",
    ] {
        let (status, body) = get(server.port, target);
        assert_eq!(status, 400, "{target} must be refused: {body}");
    }
    for target in ["/content/site.yaml", "/.boardpack-output", "/nothing.html"] {
        let (status, _) = get(server.port, target);
        assert_eq!(status, 404, "{target}");
    }
    let (status, _) = get(server.port, "/plans/example-plan.html");
    assert_eq!(status, 200);
}
