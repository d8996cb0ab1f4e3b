//! Printing plans to PDF: each plan's page followed by its landscape appendix,
//! in `plans/<id>.pdf`, and choosing what `--pdf` prints (plans, packs or both).

use std::path::Path;
use std::str::FromStr;

use crate::{model, pdf, write};

/// What `build --pdf` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfParts {
    /// Each plan to `plans/<id>.pdf`.
    pub plans: bool,
    /// Each board pack to `packs/<slug>/pack.pdf`.
    pub packs: bool,
}

impl PdfParts {
    /// Print nothing.
    pub const NONE: PdfParts = PdfParts {
        plans: false,
        packs: false,
    };
    /// Print plans and packs (plain `--pdf`).
    pub const ALL: PdfParts = PdfParts {
        plans: true,
        packs: true,
    };
}

impl Default for PdfParts {
    fn default() -> Self {
        PdfParts::ALL
    }
}

impl FromStr for PdfParts {
    type Err = String;

    /// `plans`, `packs`, or both with a comma (`plans,packs`).
    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = PdfParts::NONE;
        for word in s.split(',').map(str::trim) {
            match word {
                "plans" => parts.plans = true,
                "packs" => parts.packs = true,
                _ => {
                    return Err(format!(
                        "`{word}` is not something to print: name `plans`, `packs` or both (`plans,packs`), or give --pdf alone for both"
                    ));
                }
            }
        }
        Ok(parts)
    }
}

/// `YYYYMMDD` printed into a plan's PDF: SOURCE_DATE_EPOCH when set, else the
/// plan's `as_at`, else the site's, else the last day of the plan's period
/// (none: 1 January 2000), so a reprint is byte for byte the same.
pub fn plan_date(site: &model::Site, lp: &model::LoadedPlan) -> String {
    let fixed = lp
        .plan
        .as_at
        .or(site.config.as_at)
        .map(|d| d.date)
        .or_else(|| {
            lp.plan
                .period
                .as_ref()
                .map(|p| site.config.calendar.end_date(p.to))
        })
        .unwrap_or(jiff::civil::Date::constant(2000, 1, 1));
    crate::pdf_date_or_epoch(fixed)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The HTML a plan's PDF is printed from: the plan's page (`plans/<id>.html` in
/// `dir`) with its appendix's landscape article (from `plans/<id>-appendix.html`,
/// when there is one) added at the end of the page's `<main>`; the contents
/// entry for the appendix points to it within the page, and links that mean
/// nothing in a PDF are dropped.
pub fn print_html(dir: &Path, id: &str) -> Result<String, String> {
    let plans = dir.join("plans");
    let page = read(&plans.join(write::paths::safe_relative(&format!("{id}.html"))?))?;
    let appendix_file = plans.join(write::paths::safe_relative(&format!("{id}-appendix.html"))?);
    let mut html = page;
    if appendix_file.is_file() {
        let appendix = read(&appendix_file)?;
        let open = "<article class=\"appendix landscape\">";
        let article = appendix.find(open).and_then(|start| {
            let end = appendix[start..].rfind("</article>")? + start + "</article>".len();
            Some(&appendix[start..end])
        });
        if let (Some(article), Some(main_end)) = (article, html.rfind("</main>")) {
            let article = article.replacen(
                open,
                "<article class=\"appendix landscape\" id=\"appendix\">",
                1,
            );
            html.insert_str(main_end, &format!("{article}\n"));
            html = html.replace(
                &format!("href=\"{id}-appendix.html\""),
                "href=\"#appendix\"",
            );
        }
    }
    Ok(pdf::printable_links(&html))
}

/// The hash an unchanged plan's PDF is kept by: its print HTML and date.
pub fn print_hash(html: &str, date: &str) -> String {
    crate::hash::Fingerprint::new()
        .field(html.as_bytes())
        .field(date.as_bytes())
        .hex()
}

/// Print plan `id` from `html` (its [`print_html`]) to `plans/<id>.pdf` inside `dir`,
/// through `plans/<id>.print.html`, removed afterwards.
pub fn print_plan(
    browser: &Path,
    dir: &Path,
    id: &str,
    html: &str,
    date: &str,
) -> Result<(), String> {
    let plans = dir.join("plans");
    let print_copy = plans.join(write::paths::safe_relative(&format!("{id}.print.html"))?);
    let pdf_path = plans.join(write::paths::safe_relative(&format!("{id}.pdf"))?);
    std::fs::write(&print_copy, html).map_err(|e| format!("{}: {e}", print_copy.display()))?;
    let result = (|| {
        pdf::print(browser, &print_copy, &pdf_path).map_err(|e| format!("plan {id}: {e}"))?;
        pdf::set_dates(&pdf_path, date)?;
        pdf::set_creator(&pdf_path, env!("CARGO_PKG_VERSION"))
    })();
    let _ = std::fs::remove_file(&print_copy);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_parts_read_plans_packs_or_both() {
        assert_eq!(
            "plans".parse(),
            Ok(PdfParts {
                plans: true,
                packs: false
            })
        );
        assert_eq!(
            "packs".parse(),
            Ok(PdfParts {
                plans: false,
                packs: true
            })
        );
        assert_eq!("plans,packs".parse(), Ok(PdfParts::ALL));
        assert_eq!("packs, plans".parse(), Ok(PdfParts::ALL));
        let err = "plan".parse::<PdfParts>().unwrap_err();
        assert!(err.contains("`plan`") && err.contains("`plans`"), "{err}");
        assert!("".parse::<PdfParts>().is_err());
    }

    #[test]
    fn the_print_html_puts_the_appendix_after_the_plan_with_a_link_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let plans = dir.path().join("plans");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::write(
            plans.join("p.html"),
            "<main><h1>Plan</h1><a href=\"p-appendix.html\">Appendix</a><a href=\"../index.html\">x</a></main>",
        )
        .unwrap();
        std::fs::write(
            plans.join("p-appendix.html"),
            "<main><article class=\"appendix landscape\"><h1>Appendix</h1><table><tr><td>Row</td></tr></table></article></main>",
        )
        .unwrap();
        let html = print_html(dir.path(), "p").unwrap();
        assert_eq!(
            html,
            "<main><h1>Plan</h1><a href=\"#appendix\">Appendix</a><a>x</a><article class=\"appendix landscape\" id=\"appendix\"><h1>Appendix</h1><table><tr><td>Row</td></tr></table></article>\n</main>"
        );
        // Without an appendix, the plan's page alone.
        std::fs::remove_file(plans.join("p-appendix.html")).unwrap();
        let html = print_html(dir.path(), "p").unwrap();
        assert!(!html.contains("appendix landscape"), "{html}");
    }
}
