//! Each indicator is assessed once per build (per period for packs), not
//! once per page that shows it: render looks statuses up in the facts that
//! validation worked out. Alone in its binary, since it reads a
//! process-wide counter.

mod common;

use boardpack::compute::facts::assessments_made;
use boardpack::diagnostics::Diagnostics;

#[test]
fn every_page_of_the_example_site_shares_one_assessment_per_indicator_and_period() {
    let root = common::repo();
    let mut diags = Diagnostics::new();
    let site = boardpack::load::load_site(&root, &mut diags).expect("the example site loads");
    let before = assessments_made();
    let facts = boardpack::compute::validate(&site, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render());
    let worked_out = assessments_made() - before;
    assert_eq!(worked_out, facts.indicator_count());
    assert!(worked_out > 0);
    let sink = boardpack::render::stream::Collect::default();
    let pdfs = boardpack::plan_pdf::PdfParts::NONE;
    boardpack::render::render_site(&root, &site, &facts, pdfs, None, &mut diags, &sink)
        .expect("the example site renders");
    // Plan pages, indicator pages, charts, the indicator list, the index's
    // status counts and every pack: none assessed an indicator again.
    assert_eq!(
        assessments_made() - before,
        worked_out,
        "rendering assessed indicators again"
    );
    // Each indicator once at its plan's date, and again only for pack periods.
    let mut indicators = 0;
    for lp in &site.plans {
        boardpack::compute::each_indicator(&lp.plan, &mut |_| indicators += 1);
    }
    assert!(worked_out >= indicators);
    assert!(worked_out <= indicators * (1 + 2 * site.packs.len()));
}
