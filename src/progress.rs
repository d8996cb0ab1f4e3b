//! Counted progress lines on stderr for long builds and PDF printing.
//!
//! A build that finishes within a second prints no progress, only its
//! summary; past a second each step is announced as `[3/5] rendering pages`.
//! On a terminal each line replaces the one before; otherwise (a log, CI)
//! each is a plain line. `--quiet` silences them.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long a build runs before it starts reporting its steps.
const AFTER: Duration = Duration::from_secs(1);

/// Progress of one run.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    started: Instant,
    terminal: bool,
    /// A line is on screen that the next should replace.
    open: bool,
}

impl Progress {
    /// Progress that prints when `enabled` and not `--quiet`.
    pub fn new(enabled: bool) -> Progress {
        let quiet = crate::cli::QUIET.load(std::sync::atomic::Ordering::Relaxed);
        Progress {
            enabled: enabled && !quiet,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            open: false,
        }
    }

    /// Announce step `n` of `total`, once the run has taken over a second
    /// (or at once when `always`, as for each PDF, which takes seconds).
    pub fn step(&mut self, n: usize, total: usize, what: &str, always: bool) {
        if !self.enabled || !(always || self.started.elapsed() >= AFTER) {
            return;
        }
        let line = format!("[{n}/{total}] {what}");
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            self.open = true;
            write!(err, "\r\x1b[K{line}")
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
    }

    /// End the progress line (on a terminal), before other output.
    pub fn finish(&mut self) {
        if self.open {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.open = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// With `BOARDPACK_TIMINGS` set, print on stderr how long the run has taken,
/// and its resident memory, when it reaches `stage`: a cheap profile of a build's stages for
/// benchmarks (`benches/scale.sh`, docs/performance.md). Otherwise nothing.
pub fn timing(stage: &str) {
    use std::sync::OnceLock;
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    if let Some(start) =
        START.get_or_init(|| std::env::var_os("BOARDPACK_TIMINGS").map(|_| Instant::now()))
    {
        // Resident memory now, where the system tells it (Linux).
        let rss_mib = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| {
                format!("{:>6} MiB", (pages * 4096) >> 20)
            });
        eprintln!(
            "timing: {:>8.1} ms {rss_mib}  {stage}",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
