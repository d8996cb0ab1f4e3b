//! Status words in progress notes and deliverables ("Achieved", "On going",
//! "Not started") set the state they stand for, site-wide and per plan, and the
//! plan's key lists them.

mod common;

use std::fs;

use common::*;

const PLAN: &str = r#"id: p
title: Targets
kind: target action plan
status_words:
  Signed off: complete
sections:
  - title: Targets
    include: [actions]
  - title: Key
    include: [keys]
actions:
  - ref: "1"
    description: Numbered targets, all achieved.
    leads: [Lead]
    target_date: 2016-03
    deliverables:
      - text: First target
        progress:
          - text: Achieved
      - text: Second target
        progress:
          - text: "9 Achieved."
  - ref: "2"
    description: A note that says it is done.
    leads: [Lead]
    target_date: 2016-03
    progress:
      - text: Completed
  - ref: "3"
    description: The word of the plan.
    leads: [Lead]
    target_date: 2016-03
    progress:
      - text: Signed off.
  - ref: "4"
    description: The word of the site.
    leads: [Lead]
    target_date: 2016-03
    progress:
      - text: Put to bed
  - ref: "5"
    description: Still going.
    leads: [Lead]
    target_date: 2016-03
    progress:
      - text: Achieved for half the teams; continuing.
"#;

fn row<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html.find(needle).unwrap();
    let start = html[..at].rfind("<tr").unwrap();
    &html[start..at + html[at..].find("</tr>").unwrap()]
}

#[test]
fn status_words_set_states_and_are_shown_in_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), PLAN);
    let site = tmp.path().join("content/site.yaml");
    let mut s = fs::read_to_string(&site).unwrap();
    s.push_str("status_words:\n  Put to bed: complete\n");
    fs::write(&site, s).unwrap();
    let out = build_site(tmp.path());
    let page = read(&out, "plans/p.html");
    // Deliverables whose notes say "Achieved" are complete, so the action is.
    for (needle, why) in [
        (
            "Numbered targets, all achieved.",
            "every deliverable achieved",
        ),
        ("A note that says it is done.", "a built-in word"),
        ("The word of the plan.", "the plan's word"),
        ("The word of the site.", "the site's word"),
    ] {
        let r = row(&page, needle);
        assert!(r.contains("rag-blue"), "{why}: {r}");
        assert!(!r.contains("Overdue"), "{why}: {r}");
    }
    let r = row(&page, "Numbered targets");
    assert_eq!(
        r.matches("· Complete").count(),
        2,
        "each deliverable's state: {r}"
    );
    // A note that says more than a state is just a note.
    let r = row(&page, "Still going.");
    assert!(r.contains("Overdue"), "{r}");
    // The key lists the words by state, once.
    assert_eq!(page.matches("Status words in progress notes").count(), 1);
    let key = &page[page.find("Status words in progress notes").unwrap()..];
    let key = &key[..key.find("</table>").unwrap()];
    assert!(key.contains("Achieved, Completed, Complete, Done"), "{key}");
    assert!(
        key.contains("Signed off") && key.contains("Put to bed"),
        "{key}"
    );
    assert!(key.contains("On going, Ongoing"), "{key}");
}

#[test]
fn a_pack_reads_the_words_too() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), PLAN);
    let packs = tmp.path().join("content/packs");
    fs::create_dir_all(&packs).unwrap();
    fs::write(
        packs.join("q1.yaml"),
        "title: Pack\nboard: Board\nmeeting_date: 2016-07-20\nperiod: 2016/17 Q1\nplans: [p]\n",
    )
    .unwrap();
    let out = build_site(tmp.path());
    let pack = read(&out, "packs/2016-17-q1/index.html");
    // Actions whose undated notes are status words are complete in the pack too:
    // not among the exceptions, where the one whose note is not a word is.
    let ex = &pack[pack.find("id=\"exceptions\"").expect("exceptions part")..];
    let ex = &ex[..ex.find("</table>").unwrap_or(ex.len())];
    assert!(ex.contains("Still going."), "{ex}");
    for done in [
        "Numbered targets",
        "A note that says it is done.",
        "The word of the plan.",
    ] {
        assert!(!ex.contains(done), "{done} is complete: {ex}");
    }
}
