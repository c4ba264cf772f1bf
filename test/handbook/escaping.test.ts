/**
 * Handbook pages treat spec text as text (issue 23 finding 7): one hostile spec value per vector, the page parsed
 * with a CommonMark + GFM parser (markdown-it), and what the parser sees checked: no HTML but the page's own
 * comments, no heading, link, table cell or fence the spec added, a Mermaid block the spec cannot leave.
 */
import * as assert from "node:assert/strict";
import { fleetServices } from "../helpers/stacks";
import { REPO } from "../helpers/cli";
import { platformSettingsFor } from "../../program/config";
import { resolveService } from "../../resolve/environment";
import { renderIndexPage, renderServicePage } from "../../handbook/page";
import { architecture, mermaidText, toMermaid } from "../../handbook/diagram";
import {
  cell,
  code,
  embeddedMarkdown,
  fence,
  link,
  quotedProse,
  safeUrl,
  text,
} from "../../handbook/markdown";
import type { ResolvedEnvironment, ResolvedService } from "../../resolve/model";

interface Token {
  type: string;
  tag: string;
  info: string;
  content: string;
  attrs: [string, string][] | null;
  children: Token[] | null;
}
const MarkdownIt = require("markdown-it") as new (opts: object) => {
  parse(src: string, env: object): Token[];
};
const md = new MarkdownIt({ html: true, linkify: false });
const tokens = (page: string) => {
  const top = md.parse(page, {});
  return [...top, ...top.flatMap((t) => t.children ?? [])];
};

const base = () =>
  resolveService(
    fleetServices().find((s) => s.spec.service.id === "accounts")!,
    platformSettingsFor("", REPO),
  );
const withEnv = (
  s: ResolvedService,
  edit: (e: ResolvedEnvironment) => ResolvedEnvironment,
): ResolvedService => ({
  ...s,
  environments: s.environments.map(edit),
});

/** HTML the parser found that is not one of the page's own comments. */
const foreignHtml = (page: string) =>
  tokens(page).filter(
    (t) => (t.type === "html_block" || t.type === "html_inline") && !t.content.startsWith("<!--"),
  );
const headingTexts = (page: string) => {
  const all = md.parse(page, {});
  return all.flatMap((t, i) => (t.type === "heading_open" ? [all[i + 1]!.content] : []));
};
const hrefs = (page: string) =>
  tokens(page)
    .filter((t) => t.type === "link_open")
    .map((t) => t.attrs!.find(([k]) => k === "href")![1]);
/** Every table cell's text, row by row. */
function tableRows(page: string): string[][] {
  const all = md.parse(page, {});
  const rows: string[][] = [];
  for (const t of all) {
    if (t.type === "tr_open") rows.push([]);
    if (t.type === "inline" && rows.length && all[all.indexOf(t) - 1]!.type.match(/^t[dh]_open$/))
      rows.at(-1)!.push(t.content);
  }
  return rows;
}

describe("handbook pages escape spec text", () => {
  it("keeps raw HTML out: <script> in the service name", () => {
    const page = renderServicePage({ ...base(), name: "<script>alert(1)</script>" });
    assert.deepEqual(foreignHtml(page), []);
    assert.ok(headingTexts(page).includes("\\<script\\>alert(1)\\</script\\> infrastructure operations"));
  });

  it("keeps raw HTML out: an onerror image in an owner and in the README", () => {
    const page = renderServicePage({
      ...base(),
      owners: ['<img src=x onerror="alert(1)">'],
      readme:
        'Intro <img src=x onerror="alert(1)"> and `<b>code</b>`\n\n<script>x()</script>\n\n```\n<b>fenced</b>\n```',
    });
    assert.deepEqual(foreignHtml(page), []);
    assert.match(page, /`<b>code<\/b>`/, "code spans in the README are left alone");
    assert.match(page, /```\n<b>fenced<\/b>\n```/, "fenced code in the README is left alone");
  });

  it("adds no heading: a line break and # in the name and in an alert name", () => {
    const s = withEnv({ ...base(), name: "Accounts\n# Owned" }, (e) => ({
      ...e,
      monitoring: {
        ...e.monitoring,
        alerts: e.monitoring.alerts.map((a, i) => (i === 0 ? { ...a, name: "Fine\n## Injected" } : a)),
      },
    }));
    const heads = headingTexts(renderServicePage(s));
    assert.ok(!heads.some((h) => /^(Owned|Injected)$/.test(h)), heads.join("\n"));
    assert.ok(heads.includes("Accounts # Owned infrastructure operations"));
  });

  it("links only http(s) and relative targets: a javascript: break-out in the source repository", () => {
    const s = { ...base(), source: { repo: "github.com/x) [click](javascript:alert(1)", dir: "a b" } };
    const page = renderServicePage(s);
    for (const h of hrefs(page)) assert.match(h, /^(https?:\/\/|#|\.\.?\/)/, h);
    assert.ok(!hrefs(page).some((h) => h.startsWith("javascript:")));
    assert.ok(
      hrefs(page).includes("https://github.com/x%29%20%5Bclick%5D%28javascript:alert%281%29/tree/HEAD/a%20b"),
    );
  });

  it("refuses any other scheme, however written", () => {
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:x",
      " javascript:x",
      "data:text/html,x",
      "vbscript:x",
      "java\nscript:x",
    ])
      assert.equal(safeUrl(bad), undefined, JSON.stringify(bad));
    assert.equal(link("t", "javascript:alert(1)"), "t");
    assert.equal(link("t", "https://example.com/a(b)"), "[t](https://example.com/a%28b%29)");
    assert.equal(link("t", "#prod"), "[t](#prod)");
  });

  it("keeps tables whole: a | and a line break in owners, on the page and in the index", () => {
    const s = { ...base(), owners: ["team-a | injected-column", "team-b\n| row |"] };
    const overview = tableRows(renderServicePage(s)).find((r) => r[0] === "Owners")!;
    assert.equal(overview.length, 2);
    assert.equal(overview[1], "**team-a | injected-column**, **team-b | row |**");
    const index = tableRows(renderIndexPage([s]));
    assert.equal(index[1]![2], "team-a | injected-column, team-b | row |");
    assert.equal(cell("a \\| b | c"), "a \\| b \\| c", "an escaped pipe stays escaped once");
  });

  it("keeps code fences closed: backticks in an alert description (quoted prose) and in the image", () => {
    const s = withEnv({ ...base(), image: "us.gcr.io/p/x`y" }, (e) => ({
      ...e,
      monitoring: {
        ...e.monitoring,
        alerts: e.monitoring.alerts.map((a, i) =>
          i === 0 ? { ...a, description: "Before\n```\n# Escaped\n<script>x()</script>\n```\nAfter" } : a,
        ),
      },
    }));
    const page = renderServicePage(s);
    // The description is one quoted paragraph of text: no fence, heading or HTML of its own.
    assert.ok(page.includes("> Before \\`\\`\\` # Escaped \\<script\\>x()\\</script\\> \\`\\`\\` After\n"));
    assert.ok(!md.parse(page, {}).some((t) => t.type === "fence" && t.content.includes("Escaped")));
    assert.deepEqual(foreignHtml(page), []);
    assert.ok(!headingTexts(page).includes("Escaped"));
    const image = tableRows(page).find((r) => r[0] === "Docker image")!;
    assert.equal(image[1], "``us.gcr.io/p/x`y``");
    assert.equal(code("`a`"), "`` `a` ``");
    assert.equal(fence("md", "````"), "`````md\n````\n`````");
  });

  it("wraps quoted prose at 100 characters, and a wrapped line starts no list or heading", () => {
    // Lines of 99, 100 and 100 characters; each next word starts a line with a mark.
    const words = `${"word ".repeat(20)}- ${"x".repeat(98)} 1. ${"y".repeat(97)} # hash`;
    const quoted = quotedProse(words);
    const lines = quoted.split("\n");
    // 100 characters of text at most, the escape's backslash and the "> ".
    assert.ok(
      lines.every((l) => l.startsWith("> ") && l.length <= 103),
      quoted,
    );
    assert.deepEqual(
      lines.map((l) => l.split(" ")[1]),
      ["word", "\\-", "1\\.", "\\#"],
    );
    const tokensOf = md.parse(quoted, {}).map((t) => t.type);
    assert.ok(!tokensOf.some((t) => /list|heading/.test(t)), tokensOf.join(","));
  });

  it("keeps Mermaid labels inside their quotes: quotes, brackets, HTML, backticks and line breaks in a domain", () => {
    const env = base().environments[0]!;
    const hostile = '"]; click run "javascript:alert(1)"\n```\n<img onerror=x> #quot;';
    const diagram = architecture({ ...env, domain: { ...env.domain!, fqdn: hostile } });
    const mermaid = toMermaid(diagram);
    for (const line of mermaid.split("\n"))
      assert.match(
        line,
        /^(flowchart LR| {2,4}(subgraph \w+\["[^"]*"\]|\w+\["[^"]*"\]|end|\w+ -\.?->(\|"[^"]*"\|)? \w+|classDef .*|class .*|style .*))$/,
        line,
      );
    const labels = [...mermaid.matchAll(/"([^"]*)"/g)].map((m) => m[1]!.replaceAll("<br/>", ""));
    assert.ok(labels.some((l) => l.includes("click run")));
    for (const l of labels)
      assert.doesNotMatch(l, /[<>`\n]/, "no HTML, backticks or line breaks left in labels");
    assert.equal(mermaidText('a"b<c>&`#x;'), "a#quot;b#60;c#62;#38;#96;#35;x;");
    // The page's fence around the diagram is still closed after the diagram.
    const page = renderServicePage(
      withEnv(base(), (e) => ({ ...e, domain: { ...e.domain!, fqdn: hostile } })),
    );
    assert.ok(
      md
        .parse(page, {})
        .some((t) => t.type === "fence" && t.info === "mermaid" && t.content.includes("#96;#96;#96;")),
    );
    assert.deepEqual(foreignHtml(page), []);
  });

  it("escapes inline markup in text and leaves ordinary values as they were", () => {
    assert.equal(text("core-services"), "core-services");
    assert.equal(text("Release Registry"), "Release Registry");
    assert.equal(
      text("*bold* _x_ [l](u) ![i](u) ~s~ $m$ &amp;"),
      "\\*bold\\* \\_x\\_ \\[l\\](u) \\!\\[i\\](u) \\~s\\~ \\$m\\$ \\&amp;",
    );
    assert.equal(embeddedMarkdown("[x](javascript:alert(1))"), "[x](#))");
    assert.equal(embeddedMarkdown("[x]: javascript:alert(1)"), "[x]: #");
    assert.equal(embeddedMarkdown("[ok](https://example.com)"), "[ok](https://example.com)");
  });
});

describe("handbook pages: the container contract of each environment", () => {
  it("lists variables, files and every secret with its project and the command for the owners' ones", () => {
    const page = renderServicePage(base());
    const rows = tableRows(page);
    const secret = rows.find((r) => r[0] === "`ACCOUNTS_IDP_CLIENT_SECRET`")!;
    assert.deepEqual(secret, [
      "`ACCOUNTS_IDP_CLIENT_SECRET`",
      "`sourcegraph-secrets`",
      "`env IDENTITY_PROVIDER_CLIENT_SECRET`",
      "the owners",
    ]);
    assert.ok(rows.some((r) => r[0] === "`PGUSER`" && r[2] === "platform"));
    assert.ok(rows.some((r) => r[0] === "`/etc/ssl/custom-certs/redis-ca-cert.pem`"));
    const commands = md
      .parse(page, {})
      .filter((t) => t.type === "fence" && t.content.includes("gcloud secrets versions add"));
    assert.equal(commands.length, 1);
    assert.match(
      commands[0]!.content,
      /^gcloud secrets versions add ACCOUNTS_IDP_CLIENT_SECRET --project=sourcegraph-secrets --data-file=-$/m,
    );
    assert.ok(headingTexts(page).includes("prod Container contract"));
  });

  it("keeps a hostile env value and secret project inside their cell and their command", () => {
    const s = withEnv(base(), (e) => ({
      ...e,
      workload: {
        ...e.workload,
        container: {
          ...e.workload.container,
          env: [{ name: "X", value: "a | b\n# Owned <script>" }],
          secretEnv: [{ name: "Y", secret: "projects/p;touch x`\n```/secrets/N" }],
        },
      },
    }));
    const page = renderServicePage(s);
    assert.ok(tableRows(page).some((r) => r[0] === "`X`" && r[1] === "`a | b # Owned <script>`"));
    assert.ok(!headingTexts(page).includes("Owned <script>"));
    assert.deepEqual(foreignHtml(page), []);
    const fenceWithCommand = md
      .parse(page, {})
      .find((t) => t.type === "fence" && t.content.includes("--project=$'p;touch x`\\n```'"))!;
    // ANSI-C quoting (resolve/shell.ts) keeps the newline out of the printed line: one line, one word.
    assert.ok(fenceWithCommand, "the command stays inside its fence, the project quoted");
  });
});
