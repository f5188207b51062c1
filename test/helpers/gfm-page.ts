/**
 * Markdown as GitHub shows it, for browser checks: GFM through `marked`,
 * GitHub's markdown CSS (`github-markdown-css`, MIT), in a page of comment
 * width. A script in the page measures it twice, as a reader first sees it
 * (collapsed blocks closed) and with every `<details>` open, and writes the
 * figures into `<pre id="metrics">` for `dumpDom` to read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { marked } from "marked";

const require = createRequire(import.meta.url);
const CSS = readFileSync(require.resolve("github-markdown-css/github-markdown-light.css"), "utf8");

export interface PageMetrics {
  /** page width the content needs beyond the window (≤ 0: no horizontal scrolling) */
  pageOverflow: number;
  /** per table, how much wider its content is than the table box (GitHub's CSS scrolls tables inside) */
  tableOverflow: number[];
  /** tallest table row, in px */
  maxRowHeight: number;
  /** text and top of the first paragraph */
  first: { text: string; top: number };
  /** headings with their top, as first seen */
  headings: Array<{ text: string; top: number }>;
  /** list items under "Needs action": text, top and whether a closed <details> hides them */
  errors: Array<{ text: string; top: number; hidden: boolean }>;
  /** checkboxes rendered */
  checkboxes: number;
}

const SCRIPT = `
(() => {
  const top = (e) => Math.round(e.getBoundingClientRect().top + window.scrollY);
  const hidden = (e) => !!e.closest("details:not([open])");
  const first = document.querySelector(".markdown-body > p");
  const headings = [...document.querySelectorAll("h2, h3")].map((h) => ({ text: h.textContent.trim(), top: top(h) }));
  const needs = [...document.querySelectorAll("h2")].find((h) => h.textContent.trim() === "Needs action");
  let list = needs ? needs.nextElementSibling : null;
  while (list && list.tagName !== "UL" && list.tagName !== "H2") list = list.nextElementSibling;
  const errors = list && list.tagName === "UL" ? [...list.children].map((li) => ({ text: li.textContent.trim().slice(0, 200), top: top(li), hidden: hidden(li) })) : [];
  document.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""));
  const tables = [...document.querySelectorAll("table")];
  const rows = [...document.querySelectorAll("tr")].map((r) => r.getBoundingClientRect().height);
  const m = {
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    tableOverflow: tables.map((t) => t.scrollWidth - t.clientWidth),
    maxRowHeight: Math.round(Math.max(0, ...rows)),
    first: first ? { text: first.textContent.trim(), top: top(first) } : { text: "", top: -1 },
    headings, errors,
    checkboxes: document.querySelectorAll("input[type=checkbox]").length,
  };
  if (!location.search.includes("measure")) document.querySelectorAll("details").forEach((d) => d.removeAttribute("open"));
  const pre = document.createElement("pre");
  pre.id = "metrics";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(m);
  document.body.appendChild(pre);
})();
`;

/** Writes `<dir>/<name>.html` and returns its file URL. */
export function gfmPage(dir: string, name: string, markdown: string, width = 800): string {
  mkdirSync(dir, { recursive: true });
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}\nbody{margin:0;background:#fff}.markdown-body{box-sizing:border-box;width:${width}px;padding:16px}</style></head>` +
    `<body><article class="markdown-body">${marked.parse(markdown, { gfm: true, async: false }) as string}</article><script>${SCRIPT}</script></body></html>`;
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  return `file://${file}`;
}

export function readMetrics(dom: string): PageMetrics {
  const m = /<pre id="metrics"[^>]*>([\s\S]*?)<\/pre>/.exec(dom);
  if (!m) throw new Error("the page wrote no metrics");
  const text = m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return JSON.parse(text) as PageMetrics;
}
