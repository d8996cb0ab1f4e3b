//! `boardpack serve`: build into a temporary folder, serve it over HTTP,
//! rebuild when a source changes and reload the open pages.
//!
//! The site is built exactly as `build` builds it, into a folder under the
//! system's temporary folder that is removed on exit. `content/`,
//! `templates/`, `static/` and `themes/` are watched (with `notify`, events
//! debounced); each change rebuilds and then announces the build's number
//! on a server-sent events stream ([`http::EVENTS_PATH`]). HTML responses —
//! and only responses, never the built files — carry a small script that
//! listens to the stream and reloads the page when a newer build is
//! announced. While the content has errors, every page is replaced by a page
//! listing them, which reloads into the site once they are fixed.

pub mod http;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify_debouncer_full::notify::{Event, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tiny_http::{Header, Request, Response, Server};

use crate::diagnostics::Diagnostics;
use http::Target;

/// The folders whose changes trigger a rebuild.
pub const WATCHED: [&str; 4] = ["content", "templates", "static", "themes"];

/// How long file events are gathered before one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// How often an idle event stream gets a comment, so closed tabs are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Options of `boardpack serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Site folder (holding content/ and themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on. The default serves this machine only; give
    /// another (such as 0.0.0.0) only on a network you trust.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// What the server knows about the latest build.
#[derive(Debug, Default)]
struct Status {
    /// Builds finished so far (successful or not); pages carry it.
    generation: u64,
    /// The diagnostics of the latest build, when it failed.
    failure: Option<String>,
}

/// State shared by the request threads and the rebuild thread.
struct Shared {
    status: Mutex<Status>,
    /// Open event streams.
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
    /// The built site.
    dir: PathBuf,
    /// Plans as last loaded: a rebuild parses only the plans whose folders changed.
    cache: Arc<crate::load::cache::LoadCache>,
}

/// Run `serve` until interrupted; `Err` when it cannot start.
pub fn serve(args: &ServeArgs) -> Result<(), String> {
    let root = args
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site folder {}: {e}", args.root.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix("boardpack-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    // Ctrl-C removes the temporary folder along with any build in progress.
    crate::write::interrupt::install();
    let _cleanup = crate::write::interrupt::register(vec![tmp.path().to_path_buf()]);
    let shared = Arc::new(Shared {
        status: Mutex::new(Status::default()),
        clients: Mutex::new(Vec::new()),
        dir: tmp.path().join("site"),
        cache: crate::load::cache::LoadCache::on_disk(&root, true)
            .unwrap_or_else(|| Arc::new(crate::load::cache::LoadCache::new())),
    });
    rebuild(&root, &shared);

    let server = Server::http((args.bind, args.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.bind, args.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let url = format!("http://{addr}/");
    println!("serving {} at {url} (Ctrl-C to stop)", root.display());
    let _ = std::io::stdout().flush();

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch for changes: {e}"))?;
    // The root itself (not recursively) so a watched folder created later is seen.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
    }
    {
        let shared = Arc::clone(&shared);
        let root = root.clone();
        std::thread::spawn(move || watch_loop(&root, &rx, &shared));
    }
    if args.open {
        open_browser(&url);
    }
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || handle(request, &shared));
    }
    drop(debouncer);
    Ok(())
}

/// True when an event can change the site: a file written, created, renamed
/// or removed under a watched folder (not merely read, as a build reads them).
fn relevant(root: &Path, event: &Event) -> bool {
    let changes = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    };
    changes
        && event
            .paths
            .iter()
            .any(|p| WATCHED.iter().any(|name| p.starts_with(root.join(name))))
}

/// Rebuild on every batch of relevant changes; keep idle streams alive.
fn watch_loop(root: &Path, rx: &mpsc::Receiver<DebounceEventResult>, shared: &Shared) {
    loop {
        match rx.recv_timeout(KEEPALIVE) {
            Ok(Ok(events)) => {
                let mut changed = events.iter().any(|e| relevant(root, &e.event));
                // Fold batches that queued up during a build into one rebuild.
                while let Ok(more) = rx.try_recv() {
                    changed |= more.is_ok_and(|ev| ev.iter().any(|e| relevant(root, &e.event)));
                }
                if changed {
                    rebuild(root, shared);
                }
            }
            Ok(Err(errors)) => {
                for e in errors {
                    eprintln!("serve: watching for changes: {e}");
                }
            }
            Err(RecvTimeoutError::Timeout) => broadcast(shared, ": keepalive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Build the site into the served folder and tell the open pages.
fn rebuild(root: &Path, shared: &Shared) {
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    let options = crate::BuildOptions {
        cache: Some(shared.cache.clone()),
        ..crate::BuildOptions::default()
    };
    let result = crate::build(root, &shared.dir, &options, &mut diags);
    shared.cache.end_build();
    let ms = started.elapsed().as_millis();
    let failure = match result {
        // --quiet: only problems are printed.
        Ok(_) if crate::cli::QUIET.load(std::sync::atomic::Ordering::Relaxed) => None,
        Ok(stats) => {
            let warnings = diags.warning_count();
            eprintln!(
                "built {} in {ms} ms{}",
                crate::cli::count(stats.pages, "page"),
                match warnings {
                    0 => String::new(),
                    n => format!(
                        " ({}; run `boardpack check`)",
                        crate::cli::count(n, "warning")
                    ),
                }
            );
            None
        }
        Err(e) => {
            let report = format!("{}error: {e}\n", diags.render());
            eprint!("{report}");
            eprintln!("build failed in {ms} ms; the browser shows the problems");
            Some(report)
        }
    };
    let generation = {
        let mut status = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
        status.generation += 1;
        status.failure = failure;
        status.generation
    };
    broadcast(shared, &http::event(&generation.to_string()));
}

/// Send `text` to every open event stream, forgetting closed ones.
fn broadcast(shared: &Shared, text: &str) {
    let mut clients = shared
        .clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    clients.retain_mut(|w| {
        w.write_all(text.as_bytes())
            .and_then(|()| w.flush())
            .is_ok()
    });
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Answer one request.
fn handle(request: Request, shared: &Shared) {
    let get = matches!(request.method(), tiny_http::Method::Get);
    let head = matches!(request.method(), tiny_http::Method::Head);
    if !get && !head {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let url = request.url().to_string();
    if get && url.split('?').next() == Some(http::EVENTS_PATH) {
        open_stream(request, shared);
        return;
    }
    let (generation, failure) = {
        let s = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
        (s.generation, s.failure.clone())
    };
    let (code, ctype, body, extra) = match http::resolve(&shared.dir, &url) {
        Target::BadRequest => (
            400,
            "text/plain; charset=utf-8",
            b"bad request".to_vec(),
            None,
        ),
        Target::Redirect(to) => (301, "text/plain; charset=utf-8", Vec::new(), Some(to)),
        Target::File(path) => {
            let ctype = http::content_type(&path);
            let html = ctype.starts_with("text/html");
            match (html, &failure, std::fs::read(&path)) {
                (true, Some(report), _) => page(500, http::error_page(report, generation)),
                (true, None, Ok(bytes)) => page(
                    200,
                    http::inject(&String::from_utf8_lossy(&bytes), generation),
                ),
                (false, _, Ok(bytes)) => (200, ctype, bytes, None),
                // Removed between resolving and reading: a rebuild is swapping it.
                (_, _, Err(_)) => not_found(generation),
            }
        }
        Target::NotFound => match &failure {
            Some(report) => page(500, http::error_page(report, generation)),
            None => not_found(generation),
        },
    };
    let mut response = Response::from_data(if head { Vec::new() } else { body })
        .with_status_code(code)
        .with_chunked_threshold(usize::MAX);
    let headers = [
        header("Content-Type", ctype),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        extra.and_then(|to| header("Location", &to)),
    ];
    for h in headers.into_iter().flatten() {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

type Answer = (u16, &'static str, Vec<u8>, Option<String>);

fn page(code: u16, html: String) -> Answer {
    (code, "text/html; charset=utf-8", html.into_bytes(), None)
}

fn not_found(generation: u64) -> Answer {
    let html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                <title>Not found</title></head><body><h1>Not found</h1>\
                <p>No page here. <a href=\"/\">The site's home page</a>.</p></body></html>\n";
    page(404, http::inject(html, generation))
}

/// Start an event stream: headers, then the current build's number at once
/// (a page built earlier reloads), then one event per rebuild.
fn open_stream(request: Request, shared: &Shared) {
    let status = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
    let mut writer = request.into_writer();
    let start = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
         Connection: keep-alive\r\n\r\nretry: 500\n\n{}",
        http::event(&status.generation.to_string())
    );
    if writer
        .write_all(start.as_bytes())
        .and_then(|()| writer.flush())
        .is_ok()
    {
        shared
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(writer);
    }
}

/// Open `url` with the platform's opener; a failure is only reported.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        eprintln!("serve: could not open a browser ({e}); open {url} yourself");
    }
}
