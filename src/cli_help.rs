//! The examples and exit codes shown under each subcommand's `--help`.

/// Examples, then the exit codes every subcommand shares.
macro_rules! help {
    ($($line:literal),+ $(,)?) => {
        concat!("Examples:\n", $("  ", $line, "\n",)+ "\n", "Exit codes:\n  0  success\n  1  the content has errors (or warnings, under --strict), or the files could not be written\n  2  a mistake on the command line")
    };
}

/// `build --help`.
pub const BUILD: &str = help!(
    "boardpack build                       # content/ here into output/",
    "boardpack build --root my-site --strict --pdf",
    "BOARDPACK_CACHE=off boardpack build   # without the build cache (~/.cache/boardpack)",
);
/// `check --help`.
pub const CHECK: &str = help!(
    "boardpack check --root my-site",
    "boardpack check --strict --format json > problems.json",
);
/// `init --help`.
pub const INIT: &str = help!(
    "boardpack init my-site",
    "boardpack init . # in an empty folder",
);
/// `serve --help`.
pub const SERVE: &str = help!(
    "boardpack serve --open                # http://127.0.0.1:8000/",
    "boardpack serve --root my-site --port 0",
);
/// `new --help`.
pub const NEW: &str = help!(
    "boardpack new plan placement-stability --kind action-plan",
    "boardpack new pack \"2025/26 Q2\" --board \"Children in Care Board\"",
);
/// `diff --help`.
pub const DIFF: &str = help!(
    "boardpack diff pack/2015-16-q3        # since the tag, to the working tree",
    "boardpack diff HEAD~3 HEAD --format markdown > changes.md",
);
/// `tag-pack --help`.
pub const TAG_PACK: &str = help!(
    "boardpack tag-pack 2015-16-q4         # tags pack/2015-16-q4",
    "boardpack tag-pack 2008-09-q1 --root my-site",
);
/// `schema --help`.
pub const SCHEMA: &str = help!(
    "boardpack schema                      # into schemas/",
    "boardpack schema --out my-site/schemas",
);
/// `completions --help`.
pub const COMPLETIONS: &str = help!(
    "boardpack completions bash > ~/.local/share/bash-completion/completions/boardpack",
    "boardpack completions zsh > \"${fpath[1]}/_boardpack\"",
);
