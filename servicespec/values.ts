/**
 * Pure value checks shared by the schema and the components: memory quantities, cron gaps, secret names, `env`
 * templates.
 */
import { CronExpressionParser } from "cron-parser";
import { closestName } from "./suggest";

const MEMORY = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/;
const FACTOR_MIB: Record<string, number> = {
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  K: 1000 / 1024 / 1024,
  M: 1e6 / 1024 / 1024,
  G: 1e9 / 1024 / 1024,
};

/** Kubernetes-style memory quantity (512Mi, 2Gi) in MiB, or undefined when it is not one. */
export function memoryToMiB(quantity: string): number | undefined {
  const m = MEMORY.exec(quantity);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] ? n * FACTOR_MIB[m[2]]! : n / 1024 / 1024;
}

/** Number of upcoming runs MSP inspects: four weeks of hourly runs. */
const CRON_SAMPLES = 24 * 7 * 4;
export const MIN_CRON_GAP_MINUTES = 15;
export const MAX_CRON_GAP_MINUTES = 8 * 24 * 60;

const gapCache = new Map<string, number>();

const WEEK_MS = 7 * 24 * 60 * 60_000;

/**
 * Largest gap, in minutes, between the next 672 runs of a UTC cron expression (MSP's rule; from a fixed date,
 * so the answer does not change through the week). Throws on an invalid expression. Memoised: it is pure.
 *
 * When the day of the month and the month are unrestricted, which days run depends on the day of the week
 * alone: the schedule repeats every week, so its gaps are all seen within one week of runs, and sampling stops
 * there (the same answer as 672 runs, which for a daily or weekly job span years: a weekly schedule took half a
 * second to sample in a cold process).
 */
export function maxCronGapMinutes(cron: string): number {
  const cached = gapCache.get(cron);
  if (cached !== undefined) return cached;
  if (cron.trim().split(/\s+/).length !== 5) throw new Error("must be a standard 5-field cron expression");
  // "UTC" rather than the equivalent "Etc/UTC": the parser's time-zone handling is several times faster.
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(Date.UTC(2024, 0, 1)), tz: "UTC" });
  const weekly = it.fields.dayOfMonth.isWildcard && it.fields.month.isWildcard;
  const first = it.next().getTime();
  let prev = first;
  let max = 0;
  for (let i = 1; i < CRON_SAMPLES; i++) {
    const next = it.next().getTime();
    max = Math.max(max, next - prev);
    prev = next;
    if (weekly && next >= first + WEEK_MS) break;
  }
  gapCache.set(cron, max / 60000);
  return max / 60000;
}

/** Why a cron expression is not an acceptable job schedule, or undefined when it is. */
export function cronGapRule(cron: string): string | undefined {
  let gap: number;
  try {
    gap = maxCronGapMinutes(cron);
  } catch (e) {
    return `is not a valid cron expression: ${(e as Error).message}`;
  }
  if (gap < MIN_CRON_GAP_MINUTES)
    return `runs every ${gap} minutes; runs must be at least ${MIN_CRON_GAP_MINUTES} minutes apart (MSP's own rule, which it applies when it generates the job's alerts)`;
  if (gap > MAX_CRON_GAP_MINUTES)
    return `leaves ${Math.round(gap / 60)} hours between runs; runs must be at most 8 days apart`;
  return undefined;
}

export const SECRET_REFERENCE_HELP =
  "use a secret name, or projects/<project>/secrets/<name> for another project";

/** Why a Secret Manager reference is malformed, or undefined when it is fine. */
export function isSecretReference(v: string): string | undefined {
  if (v.length === 0) return "must not be empty";
  if (v.startsWith("project/")) return "starts with project/ (did you mean projects/?)";
  if (v.includes("/versions/")) return "must not pin a version: the latest version is always used";
  if (v.startsWith("projects/")) {
    const parts = v.split("/");
    if (parts.length !== 4 || parts[2] !== "secrets" || !parts[1] || !parts[3])
      return "must be projects/<project>/secrets/<name>";
    return undefined;
  }
  if (!/^[A-Za-z0-9_-]+$/.test(v)) return "must be a secret name ([A-Za-z0-9_-])";
  return undefined;
}

/** Splits a secret reference into the project it lives in (undefined: the environment's) and its name. */
export function parseSecretReference(v: string): { project?: string; name: string } {
  if (v.startsWith("projects/")) {
    const [, project, , name] = v.split("/");
    return { project: project!, name: name! };
  }
  return { name: v };
}

/** The variables MSP's `env` values may use, as `{{ .ProjectID }}`; the only template syntax msp accepts. */
export const TEMPLATE_VARIABLES = ["ProjectID", "ServiceDnsName"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** One piece of a parsed `env` value: literal text, or a reference to a variable. */
export type TemplatePart = { text: string } | { variable: TemplateVariable };

const ACTION = /^\{\{\s*\.(\w+)\s*\}\}/;
const ACTION_LIMIT = 60;

/**
 * Parses an `env` value: `{{ .ProjectID }}` and `{{ .ServiceDnsName }}` are variables, anything else between
 * `{{` and `}}` (or an unclosed `{{`) is an error, returned as a message with a "did you mean". Linear in the
 * length of the value. The validator and the components both use it, so what validates is what renders.
 */
export function parseEnvTemplate(value: string): { parts: TemplatePart[] } | { error: string } {
  const parts: TemplatePart[] = [];
  let from = 0;
  for (let at = value.indexOf("{{"); at >= 0; at = value.indexOf("{{", from)) {
    if (at > from) parts.push({ text: value.slice(from, at) });
    const end = value.indexOf("}}", at + 2);
    if (end < 0) return { error: `has an unclosed "{{" at character ${at + 1} (${TEMPLATE_HELP})` };
    const action = value.slice(at, end + 2);
    const m = ACTION.exec(action);
    if (!m) return { error: `has an unsupported template expression ${clip(action)} (${TEMPLATE_HELP})` };
    const name = m[1]!;
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      const guess = closestName(name, TEMPLATE_VARIABLES);
      return {
        error: `uses the unknown template variable .${clip(name)} (${guess ? `did you mean {{ .${guess} }}?` : TEMPLATE_HELP})`,
      };
    }
    parts.push({ variable: name as TemplateVariable });
    from = end + 2;
  }
  if (from < value.length) parts.push({ text: value.slice(from) });
  return { parts };
}

const TEMPLATE_HELP = "the template knows only {{ .ProjectID }} and {{ .ServiceDnsName }}";

/** `s`, cut to `max` characters with an ellipsis: values from a spec can be huge, messages must not be. */
export function clipText(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Keys and values quoted in messages are cut to this length: a 900 KB name must not make a 900 KB message. */
export const QUOTE_LIMIT = 60;
/** A key or value from a spec or a command line, quoted in a message: a JSON string, cut to QUOTE_LIMIT. */
export const quote = (v: string): string => JSON.stringify(clipText(v, QUOTE_LIMIT));

const clip = (s: string) => clipText(s, ACTION_LIMIT);

/** Renders an `env` value; throws on what `parseEnvTemplate` rejects (validation reports it first). */
export function renderTemplate(value: string, vars: Readonly<Record<TemplateVariable, string>>): string {
  const parsed = parseEnvTemplate(value);
  if ("error" in parsed) throw new Error(`env value ${parsed.error}`);
  return parsed.parts.map((p) => ("text" in p ? p.text : vars[p.variable])).join("");
}
