/** Markdown building blocks for generated pages. */

/** A two-column PROPERTY / DETAILS table, padded like the handbook's generated pages. */
export function table(
  rows: readonly (readonly [string, string])[],
  head: readonly [string, string] = ["PROPERTY", "DETAILS"],
): string {
  const all = [head, ...rows];
  const w0 = Math.max(...all.map((r) => r[0].length));
  const w1 = Math.max(...all.map((r) => r[1].length));
  const line = (a: string, b: string) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} |`;
  return [
    line(head[0], head[1]),
    `| ${"-".repeat(w0)} | ${"-".repeat(w1)} |`,
    ...rows.map((r) => line(r[0], r[1])),
  ].join("\n");
}

export const link = (text: string, url: string) => `[${text}](${url})`;
export const code = (s: string) => `\`${s}\``;
export const anchor = (heading: string) =>
  `#${heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-")}`;
export const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;
