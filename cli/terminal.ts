/**
 * How msp writes for a person at a terminal: colour and symbols when the stream is a terminal, plain text
 * otherwise, so pipes, files, CI logs and tests get exactly the text they always got. One decision per stream
 * (stdout and stderr can differ: `msp preview | less` still colours its progress on stderr):
 *
 *   FORCE_COLOR set          styled, unless it is "0" or "false" (then plain), whatever else is set (as Node does)
 *   NO_COLOR non-empty       plain (https://no-color.org)
 *   CI set                   plain (CI logs are read as text and searched)
 *   TERM=dumb                plain
 *   otherwise                styled on a terminal, plain when piped or redirected
 *
 * Colours come from picocolors with the decision passed in (its own check looks at stdout only, and turns colour
 * on when CI is set). Commands never write escape codes themselves: they ask a `Style` for a role.
 */
import { createColors } from "picocolors";
import type { PlanPaint } from "../engine/render";
import type { DiffPaint } from "../delivery/diff";

type Env = Readonly<Record<string, string | undefined>>;

/** Whether output to `stream` should be styled; see the table above. */
export function wantsStyle(stream: { isTTY?: boolean }, env: Env = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR) return false;
  if (env.CI) return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

type Paint = (text: string) => string;

/** Roles, not colours: every command paints the same kind of thing the same way. */
export interface Style {
  readonly styled: boolean;
  /** Mandatory violations, data loss, errors. */
  readonly danger: Paint;
  /** Advisory violations, notes worth a look. */
  readonly warning: Paint;
  /** Success lines and resources to create. */
  readonly ok: Paint;
  /** Updates and moves. */
  readonly change: Paint;
  /** Replacements. */
  readonly replace: Paint;
  /** Deletions, and each resource under a loss heading. */
  readonly remove: Paint;
  /** Protected resources. */
  readonly protect: Paint;
  /** Headings and names a reader looks for. */
  readonly strong: Paint;
  /** Secondary text: tree lines, URNs, line-number gutters. */
  readonly muted: Paint;
  /** A field path in an error. */
  readonly field: Paint;
  /** Symbols before a line; empty in plain mode, so plain output stays as it was. */
  readonly mark: { readonly error: string; readonly warning: string; readonly ok: string };
}

export function makeStyle(styled: boolean): Style {
  const c = createColors(styled);
  return {
    styled,
    danger: (s) => c.bold(c.red(s)),
    warning: (s) => c.yellow(s),
    ok: (s) => c.green(s),
    change: (s) => c.yellow(s),
    replace: (s) => c.magenta(s),
    remove: (s) => c.red(s),
    protect: (s) => c.cyan(s),
    strong: (s) => c.bold(s),
    muted: (s) => c.dim(s),
    field: (s) => c.cyan(s),
    mark: styled
      ? { error: c.bold(c.red("✖ ")), warning: c.yellow("⚠ "), ok: c.green("✔ ") }
      : { error: "", warning: "", ok: "" },
  };
}

export const PLAIN: Style = makeStyle(false);

/** The style of standard output (plan, reports) for this process. */
export const stdoutStyle = (env: Env = process.env): Style => makeStyle(wantsStyle(process.stdout, env));

/** The style of standard error (errors, spec problems) for this process. */
export const stderrStyle = (env: Env = process.env): Style => makeStyle(wantsStyle(process.stderr, env));

/** The colours of `msp preview`'s plan (engine/render.ts names the parts). */
export function planPaint(style: Style): PlanPaint {
  const paints = {
    create: style.ok,
    update: style.change,
    replace: style.replace,
    delete: style.remove,
    protected: style.protect,
    tree: style.muted,
    heading: style.strong,
  };
  return (part, text) => (text ? paints[part](text) : text);
}

/** The colours of `msp diff` (delivery/diff.ts names the parts): losses and downgrades loud, with a ✖. */
export function diffPaint(style: Style): DiffPaint {
  const paints = {
    create: style.ok,
    update: style.change,
    move: style.change,
    replace: style.replace,
    delete: style.remove,
    loss: style.remove,
    danger: (s: string) => style.mark.error + style.danger(s),
    warning: (s: string) => style.mark.warning + style.warning(s),
  };
  return (part, text) => (text ? paints[part](text) : text);
}
