//! The command line: `build`, `check` and `init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::Diagnostics;

/// Turn plans kept as YAML, CSV and Markdown into a static site of plans and board packs.
#[derive(Debug, Parser)]
#[command(name = "boardpack", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into output/.
    Build {
        /// Site folder (holding content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: output/ under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an output folder that boardpack did not create.
        #[arg(long)]
        force: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Also print each board pack to PDF (packs/<period>/pack.pdf) with a headless
        /// Chromium-family browser (chromium, google-chrome, msedge).
        #[arg(long)]
        pdf: bool,
        /// The browser to print PDFs with (default: $BOARDPACK_BROWSER, else the first found on PATH).
        #[arg(long, value_name = "PATH", requires = "pdf")]
        browser: Option<PathBuf>,
    },
    /// Check the content and report every problem, writing nothing.
    ///
    /// Exit code 0 when there are no errors (nor warnings, under --strict),
    /// 1 when there are, 2 for a mistake on the command line.
    Check {
        /// Site folder (holding content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// How to print the diagnostics: `text` on stderr for people, or `json`
        /// on stdout for editors and CI (an array of {severity, file, line,
        /// column, message, hint}).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create a new site with one small plan that builds.
    Init {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
    },
}

/// How `check` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: one diagnostic per paragraph on stderr, quoting the line.
    Text,
    /// For tools: a JSON array on stdout.
    Json,
}

/// Exit code for content errors.
const CONTENT_ERROR: u8 = 1;

/// Parse arguments and run; the process exit code is returned.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    run(cli.command)
}

/// `1 error`, `2 errors`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn report(diags: &Diagnostics) {
    let text = diags.render();
    if !text.is_empty() {
        eprint!("{text}");
    }
}

/// What `--out` held before a build, so a failure says truthfully what was kept.
enum Before {
    /// Nothing at that path.
    Nothing,
    /// A folder boardpack wrote.
    Output,
    /// Something else (a folder boardpack did not write, a file, the sources).
    Other,
}

impl Before {
    fn of(out: &std::path::Path) -> Before {
        if std::fs::symlink_metadata(out).is_err() {
            Before::Nothing
        } else if out.join(crate::write::MARKER).is_file() {
            Before::Output
        } else {
            Before::Other
        }
    }

    /// The end of "build failed: …". A failed build never changes `--out`.
    fn left_as_it_was(&self, out: &std::path::Path) -> String {
        match self {
            Before::Nothing => format!(
                "nothing was written to {} (there was no previous output)",
                out.display()
            ),
            Before::Output => format!(
                "the previous output in {} was left as it was",
                out.display()
            ),
            Before::Other => format!("{} was left as it was", out.display()),
        }
    }
}

/// Run one command.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Build {
            root,
            out,
            force,
            strict,
            pdf,
            browser,
        } => {
            let out = out.unwrap_or_else(|| root.join("output"));
            // Interrupted, the build removes its staging folder and lock before exiting.
            crate::write::interrupt::install();
            let mut diags = Diagnostics::new();
            let options = crate::BuildOptions {
                force,
                strict,
                pdf,
                browser,
            };
            let result = crate::build(&root, &out, &options, &mut diags);
            report(&diags);
            match result {
                Ok(stats) => {
                    eprintln!(
                        "built {} pages for {} plans and {} packs{} into {} ({} warnings)",
                        stats.pages,
                        stats.plans,
                        stats.packs,
                        if stats.pdfs + stats.pdfs_kept > 0 {
                            format!(
                                " ({} PDFs printed, {} unchanged and kept)",
                                stats.pdfs, stats.pdfs_kept
                            )
                        } else {
                            String::new()
                        },
                        out.display(),
                        diags.warning_count()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    // A failed build never changes --out, so what is there now was there before.
                    eprintln!("build failed: {}", Before::of(&out).left_as_it_was(&out));
                    ExitCode::from(CONTENT_ERROR)
                }
            }
        }
        Command::Check {
            root,
            strict,
            format,
        } => {
            let mut diags = Diagnostics::new();
            let ok = crate::check(&root, &mut diags);
            match format {
                Format::Text => report(&diags),
                Format::Json => println!("{}", diags.to_json()),
            }
            let failed = !ok || (strict && diags.warning_count() > 0);
            eprintln!(
                "{}, {}",
                count(diags.error_count(), "error"),
                count(diags.warning_count(), "warning")
            );
            if failed {
                ExitCode::from(CONTENT_ERROR)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Init { dir } => match crate::scaffold::init(&dir) {
            Ok(()) => {
                eprintln!(
                    "created a new site in {}; build it with: boardpack build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(CONTENT_ERROR)
            }
        },
    }
}
