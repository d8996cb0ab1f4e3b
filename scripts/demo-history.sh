#!/usr/bin/env bash
# Make a demonstration git repository from the example site in content/, with
# an ILLUSTRATIVE history: earlier versions of the plans, committed by made-up
# people on made-up dates, that end at the plans exactly as in content/ (plus a
# line on two packs' covers saying the history is illustrative).
#
#   scripts/demo-history.sh DIR        # DIR must not exist, or be empty
#   boardpack build --root DIR         # packs list "Changes to the plans since the last meeting"
#
# The earlier versions are made by editing content/'s text: the edits below say
# what they change. Nothing here is in the source documents.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: scripts/demo-history.sh DIR}"
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$dir is not empty" >&2
  exit 2
fi
mkdir -p "$dir"
cp -R "$here/content" "$dir/content"
cd "$dir"

lac=content/plans/lac-action-plan-2015/plan.yaml
ni63=content/plans/laa-ni63/plan.yaml

# Fail loudly if an edit no longer matches content/.
edit() { # file sed-script text-that-must-change
  local before
  before="$(cat "$1")"
  sed -i -e "$2" "$1"
  if [ "$before" = "$(cat "$1")" ]; then
    echo "demo-history: the edit '$2' no longer matches $1" >&2
    exit 1
  fi
}

commit() { # date author message
  git add -A
  GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" \
    git -c user.name="$2" -c user.email=demo@example.org -c commit.gpgsign=false \
    commit -q -m "$3 (illustrative history)"
}

officer="Performance officer (illustrative)"
lead="Plan lead (illustrative)"

git -c init.defaultBranch=main init -q

# Keep the final versions aside, and write the earlier ones.
cp "$lac" "$dir/.lac-final" && cp "$ni63" "$dir/.ni63-final"
git_exclude=.git/info/exclude
printf '.lac-final\n.ni63-final\n' >> "$git_exclude"

# 2008: NI 63 as first agreed: a 68% target for 2008/09, one lead, older wording.
edit "$ni63" 's/^      2008\/09: 66$/      2008\/09: 68/'
edit "$ni63" 's/^    leads: \[ISM Foster Casehold, ISM SM LAC\]$/    leads: [ISM Foster Casehold]/'
edit "$ni63" 's/^      Continue to improve placement stability through effective assessment and$/      Improve placement stability through assessment and/'
rm -r content/plans/lac-action-plan-2015
commit 2008-03-20 "$officer" "The plans as first committed"

# After the 2007/08 Q4 board (16 Apr 2008): the target is lowered...
edit "$ni63" 's/^      2008\/09: 68$/      2008\/09: 66/'
commit 2008-05-14 "$lead" "Lower the 2008/09 NI 63 target after the annual review"
# ...and the action gets a second lead and firmer wording.
cp "$dir/.ni63-final" "$ni63"
commit 2008-06-11 "$officer" "Action 4.3: add the ISM for LAC as lead, reword"

# 2015: the LAC action plan as first drafted: earlier dates, another lead on 1.6,
# older wording for 1.2, no stated RAG on 1.6, and an action 1.10 later dropped.
mkdir -p content/plans/lac-action-plan-2015
cp "$dir/.lac-final" "$lac"
edit "$lac" '/- ref: "1.1"/,/- ref: "1.2"/ s/^            target_date: 2016-03$/            target_date: 2016-01/'
edit "$lac" 's/^        leads: \[T. Gurney\]$/        leads: [T. Gurney, S. MacBean]/'
edit "$lac" 's/^        title: Support for parents\/carers with mental health difficulties$/        title: Support for parents with mental health problems/'
edit "$lac" '/- ref: "1.6"/,/- ref: "1.7"/ {/^        rag: green$/d}'
edit "$lac" '/^  - ref: "2"$/i\      - ref: "1.10"\n        title: Review short breaks for disabled children (illustrative; dropped later)\n        leads: [S. MacBean]\n'
commit 2015-11-25 "$officer" "Add the LAC action plan as first drafted"

# Before the 2015/16 Q3 panel (20 Jan 2016): 1.1's second deliverable slips a month.
edit "$lac" '/- ref: "1.1"/,/- ref: "1.2"/ s/^            target_date: 2016-01$/            target_date: 2016-02/'
commit 2015-12-16 "$lead" "Action 1.1: move deliverable 2 to February"

# After the panel: the plan as it stands in content/ (1.1 slips again, 1.6's lead
# and stated RAG change, 1.2 reworded, 1.10 dropped).
cp "$dir/.lac-final" "$lac"
commit 2016-02-10 "$officer" "Update the LAC action plan after the February reviews"

# Say on the covers that this history is illustrative.
for pack in content/packs/2008-09-q1.yaml content/packs/2015-16-q4.yaml; do
  printf '%s\n' "" \
    "  **Illustrative history.** The changes to the plans listed in this pack come" \
    "  from a git history made up by scripts/demo-history.sh: its commits, authors" \
    "  and dates are illustrative." >> "$pack"
done
commit 2016-02-12 "$officer" "Packs: say that the git history is illustrative"

rm "$dir/.lac-final" "$dir/.ni63-final"
git status --porcelain | grep -q . && { echo "demo-history: the working tree should be clean" >&2; exit 1; }
echo "made an illustrative history in $dir; build it with: boardpack build --root $dir"
