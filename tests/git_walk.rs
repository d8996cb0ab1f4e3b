//! Reading plans' histories with a constant number of git processes: the
//! answers must be exactly what one `git log` per plan folder (or per
//! meeting) gives, in real temporary repositories, with merges, conflicts
//! resolved to one side, edits undone on a branch, commits made in the same
//! second and clocks that run backwards.

mod common;

use std::fs;
use std::path::Path;

use boardpack::history::git::{Objects, Repo};
use boardpack::history::walk::Graph;
use common::stderr;

/// Run git in `dir` at `time` (seconds since 1970); its output, or `None` when it fails.
fn git_at(dir: &Path, time: i64, args: &[&str]) -> Option<String> {
    let date = format!("@{time} +0000");
    let o = common::git_command(dir, "Ann Author", &date)
        .args(["-c", "merge.conflictStyle=merge"])
        .args(args)
        .output()
        .expect("run git");
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn git(dir: &Path, time: i64, args: &[&str]) -> String {
    git_at(dir, time, args).unwrap_or_else(|| panic!("git {args:?} failed"))
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// Plan folders, one needing literal pathspecs and one inside another.
const DIRS: [&str; 5] = [
    "content/plans/p0",
    "content/plans/p1",
    "content/plans/odd :*? [name] ü",
    "content/plans/group",
    "content/plans/group/inner",
];

/// A small deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A history of `steps` random steps: edits to the plans (often back to an
/// earlier text, so branches make the same edits or undo them), branches,
/// merges (conflicts resolved wholly to one side), commits in the same
/// second and commits dated before their parents.
fn random_history(dir: &Path, seed: u64, steps: usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut time = 1_450_000_000;
    git(dir, time, &["init", "-q"]);
    write(dir, "content/site.yaml", "title: T\norganisation: O\n");
    write(dir, &format!("{}/plan.yaml", DIRS[0]), "v0\n");
    git(dir, time, &["add", "-A"]);
    git(dir, time, &["commit", "-q", "-m", "first"]);
    let mut branches = vec!["main".to_string()];
    for step in 0..steps {
        time += [0, 60, 3600, -120][rng.below(4) as usize];
        match rng.below(10) {
            0 => {
                let b = format!("b{step}");
                git(dir, time, &["checkout", "-q", "-b", &b]);
                branches.push(b);
            }
            1 | 2 if branches.len() > 1 => {
                let other = branches[rng.below(branches.len() as u64) as usize].clone();
                merge_into(dir, time, &other, &mut rng);
            }
            3 if branches.len() > 1 => {
                let b = branches[rng.below(branches.len() as u64) as usize].clone();
                git(dir, time, &["checkout", "-q", &b]);
            }
            _ => {
                let d = DIRS[rng.below(DIRS.len() as u64) as usize];
                let text = format!("v{}\n", rng.below(3));
                write(dir, &format!("{d}/plan.yaml"), &text);
                if rng.below(4) == 0 {
                    write(dir, "content/packs/note.txt", &format!("{step}\n"));
                }
                git(dir, time, &["add", "-A"]);
                git(
                    dir,
                    time,
                    &[
                        "commit",
                        "-q",
                        "--allow-empty",
                        "-m",
                        &format!("step {step}"),
                    ],
                );
            }
        }
    }
    // Bring every branch back into main.
    git(dir, time, &["checkout", "-q", "main"]);
    for b in &branches[1..] {
        time += 60;
        merge_into(dir, time, b, &mut rng);
    }
}

/// Merge `branch` into the branch checked out; a conflict is resolved wholly to one side.
fn merge_into(dir: &Path, time: i64, branch: &str, rng: &mut Rng) {
    let merge = ["merge", "-q", "--no-ff", "--no-edit", branch];
    if git_at(dir, time, &merge).is_none() {
        let side = ["--ours", "--theirs"][rng.below(2) as usize];
        git(dir, time, &["checkout", side, "--", "."]);
        git(dir, time, &["add", "-A"]);
        git(dir, time, &["commit", "-q", "--no-edit"]);
    }
}

/// What `git log -n<cap> --no-merges <range> -- <dir>` lists: commit ids, newest first.
fn per_folder_log(dir: &Path, range: &str, folder: &str, cap: usize) -> Vec<String> {
    let n = format!("-n{cap}");
    let spec = format!(":(top,literal){folder}");
    git(
        dir,
        0,
        &["log", &n, "--no-merges", "--format=%H", range, "--", &spec],
    )
    .split_whitespace()
    .map(String::from)
    .collect()
}

fn dirs() -> Vec<String> {
    DIRS.iter().map(|d| d.to_string()).collect()
}

/// Every folder's history from the one walk equals its own `git log`.
fn assert_same_as_git(site: &Path, what: &str) {
    let repo = Repo::open(site).expect("a repository");
    let objects = Objects::new(&repo);
    let graph = Graph::read(&repo, repo.head(), &dirs()).expect("the history");
    for cap in [1, 3, 40] {
        let got = graph.per_dir(&objects, cap);
        for d in DIRS {
            let ids: Vec<String> = got
                .get(d)
                .map(|v| v.iter().map(|c| c.id.clone()).collect())
                .unwrap_or_default();
            assert_eq!(
                ids,
                per_folder_log(site, "HEAD", d, cap),
                "{what}: {d}, {cap} commits"
            );
        }
    }
}

/// Each folder's commits in each range `from..end` (ids) equal its own `git log`.
fn assert_ranges_same_as_git(site: &Path, ranges: &[(&str, &str)]) {
    let repo = Repo::open(site).expect("a repository");
    let objects = Objects::new(&repo);
    let graph = Graph::read(&repo, repo.head(), &dirs()).expect("the history");
    for (from, end) in ranges {
        for cap in [1, 40] {
            let got = graph
                .range(&objects, Some(from), end, &dirs(), cap)
                .unwrap();
            for d in DIRS {
                let ids: Vec<String> = got
                    .get(d)
                    .map(|v| v.iter().map(|c| c.id.clone()).collect())
                    .unwrap_or_default();
                let want = per_folder_log(site, &format!("{from}..{end}"), d, cap);
                assert_eq!(ids, want, "{from}..{end}: {d}, {cap} commits");
            }
        }
    }
}

#[test]
fn plan_histories_match_a_git_log_per_folder_with_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let mut with_merges = 0;
    for seed in 0..16 {
        let site = tmp.path().join(format!("s{seed}"));
        fs::create_dir_all(&site).unwrap();
        random_history(&site, seed, 40);
        let merges = git(&site, 0, &["rev-list", "--merges", "--count", "HEAD"]);
        if merges.trim() != "0" {
            with_merges += 1;
        }
        assert_same_as_git(&site, &format!("seed {seed}"));
        // A range in a history with merges is left to git.
        let repo = Repo::open(&site).unwrap();
        let graph = Graph::read(&repo, repo.head(), &dirs()).unwrap();
        let first = git(&site, 0, &["rev-list", "--max-parents=0", "HEAD"]);
        let range = graph.range(
            &Objects::new(&repo),
            Some(first.trim()),
            repo.head(),
            &dirs(),
            40,
        );
        assert_eq!(range.is_none(), graph.has_merges());
    }
    // The histories do exercise merges.
    assert!(with_merges >= 8, "{with_merges} histories with merges");
}

#[test]
fn a_plan_with_more_than_forty_commits_keeps_its_newest_forty() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let mut time = 1_450_000_000;
    git(&site, time, &["init", "-q"]);
    for i in 0..45 {
        // Odd and even commits to different plans, some to both, some in the same second.
        let d = DIRS[i % 3];
        write(&site, &format!("{d}/plan.yaml"), &format!("v{i}\n"));
        if i % 5 == 0 {
            write(&site, &format!("{}/data.csv", DIRS[2]), &format!("{i}\n"));
        }
        git(&site, time, &["add", "-A"]);
        git(&site, time, &["commit", "-q", "-m", &format!("c{i}")]);
        time += if i % 4 == 0 { 0 } else { 60 };
    }
    for i in 0..42 {
        write(&site, &format!("{}/plan.yaml", DIRS[1]), &format!("w{i}\n"));
        git(&site, time, &["add", "-A"]);
        git(&site, time, &["commit", "-q", "-m", &format!("d{i}")]);
        time += 60;
    }
    assert_eq!(per_folder_log(&site, "HEAD", DIRS[1], 40).len(), 40);
    assert_same_as_git(&site, "linear");
    // Ranges (as a pack compares with the previous meeting) without merges:
    // answered from the history read, equal to git's.
    let from = git(&site, 0, &["rev-parse", "HEAD~50"]).trim().to_string();
    let end = git(&site, 0, &["rev-parse", "HEAD~3"]).trim().to_string();
    assert_ranges_same_as_git(&site, &[(&from, &end), (&end, &from)]);
    // A range whose start is later than its end is empty, as in git.
    assert!(per_folder_log(&site, &format!("{end}..{from}"), DIRS[1], 40).is_empty());
}

#[test]
fn the_commit_of_a_meeting_counts_one_made_in_its_last_second() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    // 2016-01-20 23:59:59 UTC, the last second of a meeting day, and the next second.
    let last = 1_453_334_399;
    git(&site, last, &["init", "-q"]);
    for (i, t) in [last - 86_400, last, last + 1].into_iter().enumerate() {
        write(&site, "content/plans/p0/plan.yaml", &format!("v{i}\n"));
        git(&site, t, &["add", "-A"]);
        git(&site, t, &["commit", "-q", "-m", &format!("c{i}")]);
    }
    let repo = Repo::open(&site).unwrap();
    let graph = Graph::read(&repo, repo.head(), &dirs()).unwrap();
    let bounds = [last - 1, last, last + 1, last - 86_400 - 1];
    let found = graph.on_or_before(&bounds);
    for b in bounds {
        let before = format!("--before=@{b}");
        let want = git(
            &site,
            0,
            &[
                "log",
                "-1",
                "--first-parent",
                &before,
                "--format=%H",
                "HEAD",
                "--",
            ],
        );
        assert_eq!(
            found.get(&b).map(|c| c.id.clone()).unwrap_or_default(),
            want.trim(),
            "bound {b}"
        );
    }
    // The commit made in the meeting day's last second is that meeting's.
    assert_eq!(found[&last].subject, "c1");
    assert!(!found.contains_key(&(last - 86_400 - 1)));
    let _ = stderr;
}

#[test]
fn commits_made_in_the_same_second_on_two_branches_keep_gits_order() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let t = 1_450_000_000;
    let plan = format!("{}/plan.yaml", DIRS[0]);
    git(&site, t, &["init", "-q"]);
    write(&site, &plan, "base\n");
    git(&site, t, &["add", "-A"]);
    git(&site, t, &["commit", "-q", "-m", "base"]);
    // Two branches, each with commits to the plan at the same seconds.
    git(&site, t, &["checkout", "-q", "-b", "side"]);
    for (i, dt) in [60, 120].into_iter().enumerate() {
        write(&site, &plan, &format!("side {i}\n"));
        git(
            &site,
            t + dt,
            &["commit", "-q", "-am", &format!("side {i}")],
        );
    }
    git(&site, t, &["checkout", "-q", "main"]);
    for (i, dt) in [60, 120].into_iter().enumerate() {
        write(&site, &plan, &format!("main {i}\n"));
        git(
            &site,
            t + dt,
            &["commit", "-q", "-am", &format!("main {i}")],
        );
    }
    // The merge keeps neither side's text, so git follows both parents.
    assert!(git_at(&site, t + 180, &["merge", "-q", "--no-edit", "side"]).is_none());
    write(&site, &plan, "merged\n");
    git(&site, t + 180, &["commit", "-q", "-am", "merge"]);
    let want = per_folder_log(&site, "HEAD", DIRS[0], 40);
    assert_eq!(want.len(), 5, "{want:?}");
    assert_same_as_git(&site, "ties");
}

/// A site of `plans` plans and `packs` quarterly packs for one board, in a
/// repository whose commits change every plan between every two meetings
/// (so each pack lists changes); returns the git command lines a build ran.
fn git_calls_building(tmp: &Path, plans: usize, packs: usize) -> Vec<String> {
    let site = tmp.join(format!("site-{plans}-{packs}"));
    fs::create_dir_all(&site).unwrap();
    write(&site, "content/site.yaml", "title: T\norganisation: O\n");
    let ids: Vec<String> = (0..plans).map(|i| format!("plan-{i}")).collect();
    // Quarters of 2014/15 and 2015/16; each meeting a month after its quarter ends.
    let quarters = [
        ("2014/15 Q1", "2014-07-20", 1_404_000_000),
        ("2014/15 Q2", "2014-10-20", 1_412_000_000),
        ("2014/15 Q3", "2015-01-20", 1_420_000_000),
        ("2014/15 Q4", "2015-04-20", 1_428_000_000),
        ("2015/16 Q1", "2015-07-20", 1_436_000_000),
        ("2015/16 Q2", "2015-10-20", 1_444_000_000),
        ("2015/16 Q3", "2016-01-20", 1_452_000_000),
        ("2015/16 Q4", "2016-04-20", 1_460_000_000),
    ];
    for (period, meeting, _) in &quarters[..packs] {
        let slug = period.replace(['/', ' '], "-");
        write(
            &site,
            &format!("content/packs/{slug}.yaml"),
            &format!(
                "title: Pack\nboard: The board\nmeeting_date: {meeting}\nperiod: {period}\nplans: [{}]\n",
                ids.join(", ")
            ),
        );
    }
    git(&site, 1_400_000_000, &["init", "-q"]);
    // One commit before each meeting (a little after the previous one), each moving every plan's date.
    for (n, (_, _, time)) in quarters[..packs].iter().enumerate() {
        for id in &ids {
            write(
                &site,
                &format!("content/plans/{id}/plan.yaml"),
                &format!(
                    "id: {id}\ntitle: Plan {id}\nkind: Action plan\nactions:\n  - ref: '1'\n    description: Do the work\n    leads: [Ann Lead]\n    target_date: 2016-{:02}\n",
                    n + 1
                ),
            );
        }
        git(&site, *time, &["add", "-A"]);
        git(
            &site,
            *time,
            &["commit", "-q", "-m", &format!("Version {n}")],
        );
    }
    // A `git` first on PATH that notes each call, then runs the real one.
    let real = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .expect("git on PATH");
    let bin = tmp.join(format!("bin-{plans}-{packs}"));
    let log = tmp.join(format!("calls-{plans}-{packs}.log"));
    fs::create_dir_all(&bin).unwrap();
    let wrapper = bin.join("git");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    let mut perms = fs::metadata(&wrapper).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&wrapper, perms).unwrap();
    let mut path = vec![bin.clone()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let out = tmp.join(format!("out-{plans}-{packs}"));
    let o = common::command()
        .args(["build", "--root", site.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .env("PATH", std::env::join_paths(path).unwrap())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The last pack credits each plan's moved date to the last commit.
    let (period, _, _) = quarters[packs - 1];
    let slug = period.replace(['/', ' '], "-").to_lowercase();
    let pack = fs::read_to_string(out.join(format!("packs/{slug}/index.html"))).unwrap();
    let head = git(&site, 0, &["rev-parse", "HEAD"]);
    let credited = pack.matches(&head[..12]).count();
    assert!(credited > plans, "{credited} mentions of {head} in {pack}");
    fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn a_build_runs_as_many_git_processes_for_thirty_plans_as_for_three() {
    let tmp = tempfile::tempdir().unwrap();
    let small = git_calls_building(tmp.path(), 3, 2);
    let large = git_calls_building(tmp.path(), 30, 8);
    // The same commands, whatever the numbers of plans and packs.
    // (`status` runs beside the `log`, so the order of the two may vary.)
    let verbs = |calls: &[String]| -> Vec<String> {
        let mut v: Vec<String> = calls
            .iter()
            .map(|c| {
                c.split(' ')
                    .filter(|w| !w.starts_with('-') && !w.contains('='))
                    .nth(1)
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(verbs(&small), verbs(&large), "{small:#?}\n{large:#?}");
    assert!(large.len() <= 4, "{large:#?}");
}
