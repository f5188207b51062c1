/**
 * Mention and markup injection in pull-request bodies: a push branch named
 * ``bot`@org/team` `` and a file path carrying `<img>` rendered as GitHub
 * renders markdown (GFM). Nothing may become a live mention (text outside
 * code), an HTML element, or a link; every value stays inside `<code>`.
 */
import { describe, expect, it } from "@jest/globals";
import { marked } from "marked";
import { pullRequestBody, pullRequestTitle } from "../../src/app/pull-request-text.js";
import { planWith } from "../helpers/plan-fixtures.js";

const HOSTILE = [
  "bot`@org/team`",
  "x` @org/team <img src=x onerror=alert(1)> `y",
  "[click](https://evil.example)",
  "**bold** _it_ ~~s~~ #1 !emoji $math$",
  "a|b\n## Heading\n@admin",
];

/** Text GitHub would scan for mentions: the HTML with code spans and fenced blocks removed. */
const outsideCode = (html: string): string => html.replace(/<pre>[\s\S]*?<\/pre>/g, "").replace(/<code>[\s\S]*?<\/code>/g, "");

describe("pull-request bodies from hostile branch names and paths", () => {
  it.each(HOSTILE)("%j stays text inside <code>", (evil) => {
    const plan = planWith(
      [{ file: `apps/${evil}.yaml`, name: evil, oldValue: "ghcr.io/o/app:v1.0.0", newValue: "ghcr.io/o/app:v1.1.0", setter: `flux-system:${evil}` }],
      { pushBranch: evil, checkoutBranch: `main${evil}`, message: `Update ${evil}\n` },
    );
    const html = marked.parse(pullRequestBody(plan), { gfm: true, async: false }) as string;
    const text = outsideCode(html);
    expect(text).not.toMatch(/@(org|admin)/);
    expect(html).not.toMatch(/<img|<a |<h2|<strong>bold|<del>/);
    // the table keeps its three columns
    expect(html.match(/<th[ >]/g)).toHaveLength(3);
    expect(pullRequestTitle(plan)).not.toMatch(/[\r\n]/);
  });
});
