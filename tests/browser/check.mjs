// Browser checks on built boardpack sites.
//
//   node tests/browser/check.mjs <site folder>...
//
// Each folder is the output of `boardpack build`. Every HTML page in it is
// opened over file:// in headless Chromium, and:
//
//   1. axe-core finds no WCAG 2.2 A/AA violation, at 1280 px and at 390 px wide;
//   2. at 360 px the page is no wider than the window (no sideways scroll);
//   3. at 1280 px no chart text is drawn smaller than 12 CSS px;
//   4. headings never skip a level (an h2 is followed by an h3, not an h5);
//   5. in tables that stack into cards on a phone, each cell's label
//      (data-label) is its column's heading.
//
// It prints every problem with its page and exits non-zero if there was one.
// The browser is /usr/bin/chromium, or the one named by $BOARDPACK_BROWSER.

import { readdirSync, statSync, mkdtempSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const axeSource = createRequire(import.meta.url)("axe-core").source;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDTHS = [1280, 390];
const PHONE = 360;
const MIN_CHART_TEXT_PX = 12;

/** Every .html file under `dir`, sorted, as absolute paths. */
function htmlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...htmlFiles(path));
    else if (name.endsWith(".html")) found.push(path);
  }
  return found;
}

/** Run axe on the open page; returns its violations. */
async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
      summary: v.nodes[0] ? v.nodes[0].failureSummary : "",
    }));
  }, AXE_TAGS);
}

/** The page's full width and the window's width, in CSS px. */
async function widths(page) {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
}

/**
 * The smallest chart text on the open page: the font size of each `text` in a
 * chart SVG, multiplied by the SVG's scale from its own units to CSS px on the
 * screen (so a 720-unit-wide chart shown 480 px wide scales by 2/3).
 */
async function smallestChartText(page) {
  return page.evaluate(() => {
    let smallest = null;
    for (const text of document.querySelectorAll("svg.bp-chart text")) {
      if (!text.textContent.trim()) continue;
      const matrix = text.getScreenCTM();
      if (!matrix) continue;
      const scale = Math.hypot(matrix.a, matrix.b);
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (smallest === null || px < smallest.px) {
        smallest = { px, text: text.textContent.trim().slice(0, 40) };
      }
    }
    return smallest;
  });
}

/** Each heading that skips a level, as "h2 → h5 (its text)". */
async function skippedHeadings(page) {
  return page.evaluate(() => {
    const skips = [];
    let previous = 0;
    for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      const level = Number(h.tagName[1]);
      if (previous && level > previous + 1) {
        skips.push(`h${previous} → h${level} ("${h.textContent.trim().slice(0, 50)}")`);
      }
      previous = level;
    }
    return skips;
  });
}

/**
 * Cells of stacking tables whose data-label is not their column's heading
 * (the header cells above that column, joined by spaces).
 */
async function mislabelledCells(page) {
  return page.evaluate(() => {
    const wrong = [];
    for (const table of document.querySelectorAll("table.stack")) {
      // Lay the header rows out as a grid, following rowspan and colspan.
      // A group-heading row in the head (an action plan's objective, repeated
      // on every printed page) heads the whole table, not a column: skip it.
      const grid = [];
      table.querySelectorAll("thead tr:not(.group)").forEach((tr, row) => {
        let col = 0;
        for (const cell of tr.cells) {
          while (grid[row] && grid[row][col] !== undefined) col += 1;
          for (let r = 0; r < cell.rowSpan; r++) {
            for (let c = 0; c < cell.colSpan; c++) {
              grid[row + r] = grid[row + r] || [];
              grid[row + r][col + c] = cell;
            }
          }
          col += cell.colSpan;
        }
      });
      const heading = (col) => {
        const cells = [...new Set(grid.map((row) => row[col]).filter(Boolean))];
        return cells.map((c) => c.textContent.trim()).join(" ");
      };
      for (const tr of table.querySelectorAll("tbody tr")) {
        let col = 0;
        for (const cell of tr.cells) {
          if (cell.colSpan === 1 && cell.hasAttribute("data-label")) {
            const want = heading(col);
            if (cell.dataset.label !== want) {
              wrong.push(`"${cell.dataset.label}" under "${want}"`);
            }
          }
          col += cell.colSpan;
        }
      }
    }
    return [...new Set(wrong)];
  });
}

const folders = process.argv.slice(2).map((f) => resolve(f));
if (folders.length === 0) {
  console.error("usage: node check.mjs <built site folder>...");
  process.exit(2);
}
for (const f of folders) {
  if (!statSync(join(f, "index.html"), { throwIfNoEntry: false })) {
    console.error(`${f} is not a built site: it has no index.html`);
    process.exit(2);
  }
}

const profile = mkdtempSync(join(tmpdir(), "boardpack-browser-"));
const browser = await puppeteer.launch({
  executablePath: process.env.BOARDPACK_BROWSER || "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

const problems = [];
let pages = 0;
let smallestOverall = null;
try {
  const page = await browser.newPage();
  for (const folder of folders) {
    for (const file of htmlFiles(folder)) {
      const name = relative(resolve(folder, ".."), file);
      const url = pathToFileURL(file).href;
      pages += 1;

      for (const width of WIDTHS) {
        await page.setViewport({ width, height: 900 });
        await page.goto(url, { waitUntil: "load" });
        for (const v of await axeViolations(page)) {
          problems.push(
            `${name} at ${width} px: axe ${v.id} (${v.help}) on ${v.targets.join(", ")}\n    ${v.summary.replace(/\n/g, "\n    ")}`,
          );
        }
        if (width === 1280) {
          for (const cell of await mislabelledCells(page)) {
            problems.push(`${name}: a stacked table cell is labelled ${cell}`);
          }
          for (const skip of await skippedHeadings(page)) {
            problems.push(`${name}: heading skips a level: ${skip}`);
          }
          const small = await smallestChartText(page);
          if (small) {
            if (!smallestOverall || small.px < smallestOverall.px) {
              smallestOverall = { ...small, page: name };
            }
            if (small.px < MIN_CHART_TEXT_PX) {
              problems.push(
                `${name} at ${width} px: chart text "${small.text}" is ${small.px.toFixed(1)} px, under ${MIN_CHART_TEXT_PX} px`,
              );
            }
          }
        }
      }

      await page.setViewport({ width: PHONE, height: 800 });
      await page.goto(url, { waitUntil: "load" });
      const w = await widths(page);
      if (w.scroll > w.window) {
        problems.push(
          `${name} at ${PHONE} px: the page is ${w.scroll} px wide and scrolls sideways`,
        );
      }
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

if (smallestOverall) {
  console.log(
    `smallest chart text at 1280 px: ${smallestOverall.px.toFixed(1)} px ("${smallestOverall.text}") on ${smallestOverall.page}`,
  );
}
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`checked ${pages} pages: ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
