/**
 * Markdown building blocks for generated pages, and the escaping at their boundary: every value that comes from
 * a spec (names, owners, images, sources, alert text, table and database names, env values) reaches a page only
 * through one of these, so a hostile spec cannot add HTML (`<script>`, `onerror`), headings, links with another
 * scheme (`javascript:`), table columns, a closed code fence or Mermaid syntax. The page's own Markdown is written
 * by the page code; what the spec says is text.
 *
 * The escaping is the least that makes a value inert (CommonMark 0.31 and GitHub Flavored Markdown 0.29: backslash
 * escapes of ASCII punctuation, code spans and fences of a longer backtick run, `\|` in table cells), so ordinary
 * values (IDs, team names, images) render exactly as before.
 */

/** Characters that can start inline markup or raw HTML (CommonMark §2.4: each may be backslash-escaped). */
const INLINE_MARKUP = /[\\`*_[\]<>!~&$]/g;

/** Spec text as inline Markdown text: markup characters escaped, line breaks (which could start a block) spaces. */
export function text(s: string): string {
  return oneLine(s).replace(INLINE_MARKUP, (c) => `\\${c}`);
}

/** Line breaks (and other control characters) become spaces: a value never starts a line of the page. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}

/**
 * A table cell: every `|` not already escaped becomes `\|` (GFM: a pipe splits cells even inside a code span,
 * and `\|` is a pipe there too) and line breaks become spaces (a table row is one line).
 */
export function cell(s: string): string {
  return oneLine(s).replace(/(\\*)\|/g, (m, slashes: string) => (slashes.length % 2 ? m : `${slashes}\\|`));
}

/** What would start a block if it began a line: a list item, a heading, a setext underline. */
const BLOCK_START = /^(?:[-+#=]|\d{1,9}[.)])/;

/**
 * Spec or catalogue text as a paragraph quoted under a heading (`> ` lines), words wrapped at `width` so the
 * page's source reads as prose. Escaped as `text` is; a wrapped line that would start a list or a heading gets
 * its first mark escaped.
 */
export function quotedProse(s: string, width = 100): string {
  const lines: string[] = [];
  for (const word of text(s).split(" ").filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines
    .map((l) => `> ${l.replace(BLOCK_START, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`)}`)
    .join("\n");
}

/** A two-column PROPERTY / DETAILS table, padded like the handbook's generated pages. */
export function table(
  rows: readonly (readonly [string, string])[],
  head: readonly [string, string] = ["PROPERTY", "DETAILS"],
): string {
  return gridTable([head, ...rows]);
}

/** A table of any width: the first row is the header; each cell through `cell`, columns padded. */
export function gridTable(rows: readonly (readonly string[])[]): string {
  const all = rows.map((r) => r.map(cell));
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => `| ${widths.map((w, i) => (r[i] ?? "").padEnd(w)).join(" | ")} |`;
  return [
    line(all[0]!),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...all.slice(1).map(line),
  ].join("\n");
}

/** Schemes a link may use; anything else (`javascript:`, `data:`, `vbscript:`) is shown as text, not linked. */
const LINK_SCHEMES = new Set(["http:", "https:"]);
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * A link target that is safe to write: an http(s) URL, or a relative one (`#anchor`, `./x.svg`); undefined for
 * any other scheme. Characters that would end the destination or the cell (space, parentheses, angle brackets,
 * quotes, `|`, backslash, control characters) are percent-encoded.
 */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  const scheme = SCHEME.exec(trimmed)?.[0];
  if (scheme !== undefined && !LINK_SCHEMES.has(scheme.toLowerCase())) return undefined;
  // A relative URL must not smuggle a scheme past the check through characters browsers drop (`java\nscript:`).
  if (scheme === undefined && SCHEME.test(trimmed.replace(/[\s\u0000-\u001f]/g, ""))) return undefined;
  return trimmed.replace(
    /[\u0000-\u0020()<>"'`|\\\u007f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** `[text](url)`: the text is Markdown the page wrote (escape spec text with `text` or `code` first). */
export function link(label: string, url: string): string {
  const target = safeUrl(url);
  return target === undefined ? label : `[${label}](${target})`;
}

/** A code span that holds any value: delimited by a backtick run longer than any inside it (CommonMark §6.1). */
export function code(s: string): string {
  const value = oneLine(s);
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

export const anchor = (heading: string) =>
  `#${heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-")}`;

/** A fenced block the body cannot close: the fence is longer than any backtick run in it (CommonMark §4.5). */
export function fence(lang: string, body: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${body}\n${ticks}`;
}

/**
 * The service README, embedded as Markdown (that is what it is for), made inert where Markdown reaches HTML:
 * outside code, a `<` that would open a tag, comment or autolink is written `&lt;`, and a link or link
 * definition whose target has a scheme other than http(s) loses its target.
 */
export function embeddedMarkdown(md: string): string {
  let inFence: string | undefined;
  return md
    .split("\n")
    .map((line) => {
      const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (inFence !== undefined) {
        if (f && f[0] === inFence[0] && f.length >= inFence.length && line.trim() === f) inFence = undefined;
        return line;
      }
      if (f) {
        inFence = f;
        return line;
      }
      return line
        .split(/(`+[^`]*`+)/)
        .map((part, i) => (i % 2 ? part : neutralise(part)))
        .join("");
    })
    .join("\n");
}

function neutralise(s: string): string {
  return s
    .replace(/<(?=[A-Za-z/!?])/g, "&lt;")
    .replace(/\]\(\s*([^)\s]*)/g, (m, target: string) => (safeUrl(target) === undefined ? "](#" : m))
    .replace(/^( {0,3}\[[^\]]+\]:\s*)(\S+)/, (m, head: string, target: string) =>
      safeUrl(target) === undefined ? `${head}#` : m,
    );
}
