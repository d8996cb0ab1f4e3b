//! The command line: `build`, `check`, `serve`, `new`, `init`, `diff`, `tag-pack`, `schema` and `completions`.

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
    /// Print only problems: no progress, no summary.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// Set by `--quiet`: progress and summaries are not printed.
pub static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Print a progress or summary line on stderr, unless `--quiet`.
macro_rules! say {
    ($($arg:tt)*) => {
        if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
            eprintln!($($arg)*);
        }
    };
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into output/.
    #[command(after_help = crate::cli_help::BUILD)]
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
        /// Also print to PDF with a headless Chromium-family browser (chromium,
        /// google-chrome, msedge): each plan with its landscape appendix
        /// (plans/<id>.pdf) and each board pack (packs/<period>/pack.pdf).
        /// `--pdf plans` or `--pdf packs` prints only those; `--pdf` alone, both.
        #[arg(
            long,
            value_name = "plans,packs",
            num_args = 0..=1,
            default_missing_value = "plans,packs"
        )]
        pdf: Option<crate::plan_pdf::PdfParts>,
        /// The browser to print PDFs with (default: $BOARDPACK_BROWSER, else the first found on PATH).
        #[arg(long, value_name = "PATH", requires = "pdf")]
        browser: Option<PathBuf>,
    },
    /// Check the content and report every problem, writing nothing.
    #[command(after_help = crate::cli_help::CHECK)]
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
    /// List what changed in the plans between two git revisions.
    ///
    /// Actions and indicators added or removed, dates moved, targets changed,
    /// leads changed, descriptions reworded (word by word) and RAG stated by
    /// hand, each with the commit, author and date that made it. Exit code 1
    /// when a revision cannot be found or read.
    #[command(after_help = crate::cli_help::DIFF)]
    Diff {
        /// The older revision: a tag, branch or commit.
        from: String,
        /// The newer revision (default: the working tree, with uncommitted changes).
        to: Option<String>,
        /// Site folder (holding content/), inside a git repository.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` for people, `markdown` for a pull-request comment, `json` for
        /// tools, `html` for a page of its own.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Tag the commit checked out as `pack/<PACK>`: the version of the plans a board saw.
    ///
    /// Refused when the content has uncommitted changes. A later pack can name the
    /// tag with `previous: pack/<PACK>`.
    #[command(after_help = crate::cli_help::TAG_PACK)]
    TagPack {
        /// The pack, by its web address name (`2015-16-q3`, as in packs/2015-16-q3/).
        pack: String,
        /// Site folder (holding content/), inside a git repository.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site with one small plan and a board pack that build.
    #[command(after_help = crate::cli_help::INIT)]
    Init {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Serve the site on this machine, rebuilding and reloading the browser on every change.
    #[command(after_help = crate::cli_help::SERVE)]
    Serve(crate::serve::ServeArgs),
    /// Print a shell completion script for boardpack.
    #[command(after_help = crate::cli_help::COMPLETIONS)]
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Write JSON Schemas for site.yaml, plan.yaml and pack files, for editors.
    #[command(after_help = crate::cli_help::SCHEMA)]
    Schema {
        /// Folder to write site.schema.json, plan.schema.json and pack.schema.json to.
        #[arg(long, default_value = crate::schema::DEFAULT_DIR)]
        out: PathBuf,
    },
    /// Add a new plan or board pack to a site.
    #[command(after_help = crate::cli_help::NEW)]
    New {
        /// What to add.
        #[command(subcommand)]
        what: crate::scaffold::new::NewWhat,
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

/// How `diff` prints the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    Text,
    /// A Markdown summary that fits a pull-request comment.
    Markdown,
    /// A JSON object.
    Json,
    /// A standalone HTML page.
    Html,
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
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    run(cli.command)
}

/// `1 error`, `2 errors`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn report(diags: &Diagnostics) {
    crate::progress::timing("finished; writing diagnostics");
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = diags.write_to(&mut err);
    let _ = std::io::Write::flush(&mut err);
    drop(err);
    crate::progress::timing("diagnostics written");
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
                pdf: pdf.is_some(),
                pdf_parts: pdf.unwrap_or_default(),
                browser,
                progress: true,
                // Plans are kept on disk between builds (none in memory).
                cache: crate::load::cache::LoadCache::on_disk(&root, false),
                // The old output is removed while the diagnostics are written.
                finish: Some(std::sync::Arc::new(crate::write::Finishing::default())),
            };
            let result = crate::build(&root, &out, &options, &mut diags);
            if let Some(cache) = &options.cache {
                cache.end_build();
            }
            report(&diags);
            if let Some(finishing) = &options.finish {
                finishing.wait();
            }
            match result {
                Ok(stats) => {
                    say!(
                        "built {} for {} and {}{} into {} ({})",
                        count(stats.pages, "page"),
                        count(stats.plans, "plan"),
                        count(stats.packs, "pack"),
                        if stats.pdfs + stats.pdfs_kept > 0 {
                            format!(
                                " ({} printed, {} unchanged and kept)",
                                count(stats.pdfs, "PDF"),
                                stats.pdfs_kept
                            )
                        } else {
                            String::new()
                        },
                        out.display(),
                        count(diags.warning_count(), "warning")
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
            // Plans a build kept are read, not parsed; `check` writes nothing there.
            let cache = crate::load::cache::LoadCache::reading_disk(&root);
            let ok = crate::check_with(&root, cache.as_deref(), &mut diags);
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
        Command::Diff {
            from,
            to,
            root,
            format,
        } => {
            let mut diags = Diagnostics::new();
            let result = crate::history::diff(&root, &from, to.as_deref(), &mut diags);
            report(&diags);
            match result {
                Ok(r) => {
                    print!(
                        "{}",
                        match format {
                            DiffFormat::Text => r.to_text(),
                            DiffFormat::Markdown => r.to_markdown(),
                            DiffFormat::Json => r.to_json() + "\n",
                            DiffFormat::Html => r.to_html(),
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(CONTENT_ERROR)
                }
            }
        }
        Command::TagPack { pack, root } => {
            let mut diags = Diagnostics::new();
            let result = crate::history::tag_pack(&root, &pack, &mut diags);
            report(&diags);
            match result {
                Ok(tag) => {
                    eprintln!(
                        "tagged the commit checked out as {tag}; a later pack can name it with `previous: {tag}`"
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(CONTENT_ERROR)
                }
            }
        }
        Command::Init { dir } => match crate::scaffold::init(&dir) {
            Ok(()) => {
                say!(
                    "created a new site in {}; work on it with: boardpack serve --root {}",
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
        Command::Schema { out } => match crate::schema::write(&out) {
            Ok(files) => {
                for f in files {
                    say!("wrote {}", f.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(CONTENT_ERROR)
            }
        },
        Command::New { what } => {
            let written = match &what {
                crate::scaffold::new::NewWhat::Plan(a) => crate::scaffold::new::plan(a),
                crate::scaffold::new::NewWhat::Pack(a) => crate::scaffold::new::pack(a),
            };
            match written {
                Ok(path) => {
                    say!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(CONTENT_ERROR)
                }
            }
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "boardpack", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Serve(args) => match crate::serve::serve(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(CONTENT_ERROR)
            }
        },
    }
}
