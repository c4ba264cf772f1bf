/**
 * Policy pack configuration as the Pulumi CLI prepares it before it calls the analyzer's `Configure`
 * (pulumi/pulumi pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig):
 *
 * 1. the `--policy-pack-config` file is parsed: per policy (or "all") an enforcement level, or an object with an
 *    optional `enforcementLevel` and configuration properties; an invalid level is an error;
 * 2. every policy starts from its own level (or the pack's) and the `default` of each top-level property of its
 *    config schema, as the pack describes them in `GetAnalyzerInfo`;
 * 3. "all" sets every policy's level, then each policy's entry sets its level and properties (shallow merge);
 * 4. each policy's properties are validated against its schema (`type: object`, `properties`, `required`).
 *
 * Unlike the CLI, which stops at the first problem of the file, every problem is reported at once. Schema
 * validation uses Ajv (the CLI uses gojsonschema): the same verdicts, worded differently.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import type { Policy } from "@pulumi/policy";
import { makeAnalyzerInfo, type PolicyInfo as PolicyInfoMessage } from "../pulumi-sdk/analyzer";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];
const isLevel = (v: unknown): v is EnforcementLevel => typeof v === "string" && LEVELS.includes(v);

/** What the CLI learns about a policy from `GetAnalyzerInfo`. */
export interface PolicyInfo {
  name: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

/** One policy's configuration, as sent with `Configure`. */
export interface PolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** A `--policy-pack-config` file that cannot be used: every problem (one line, for one-line error reports). */
export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy pack config: ${problems.join("; ")}`);
    this.name = "PolicyConfigError";
  }
}

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "remediate",
};

/**
 * The policies as `GetAnalyzerInfo` describes them, converted as the CLI converts them: the SDK builds the
 * message; a pack supporting config gets an `enforcementLevel` property injected into every schema.
 */
export function policyInfos(
  packName: string,
  packVersion: string,
  packLevel: EnforcementLevel,
  policies: readonly Policy[],
): PolicyInfo[] {
  const info = makeAnalyzerInfo(packName, packVersion, packLevel, { policies }, undefined);
  return info.getPoliciesList().map((p) => policyInfoFromMessage(p, info.getSupportsconfig()));
}

/** The CLI's conversion of one `PolicyInfo` message (analyzer_plugin.go, GetAnalyzerInfo). */
export function policyInfoFromMessage(p: PolicyInfoMessage, supportsConfig: boolean): PolicyInfo {
  const level = LEVEL_NAMES[p.getEnforcementlevel()];
  if (!level) throw new Error(`invalid enforcement level ${p.getEnforcementlevel()}`);
  const out: PolicyInfo = { name: p.getName(), enforcementLevel: level };
  if (supportsConfig) {
    const schema = p.getConfigschema();
    const properties = (schema?.getProperties()?.toJavaScript() ?? {}) as Record<
      string,
      Record<string, unknown>
    >;
    properties.enforcementLevel = { type: "string", enum: [...LEVELS] };
    out.configSchema = { properties, required: schema?.getRequiredList() ?? [] };
  }
  return out;
}

/** Parses a config file's content (parsePolicyPackConfig); entries with neither level nor properties are dropped. */
export function parsePolicyPackConfig(raw: unknown): Map<string, PolicyConfig> {
  const result = new Map<string, PolicyConfig>();
  if (raw === undefined || raw === null) return result;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new PolicyConfigError(["the config must be a JSON object: policy name -> level or settings"]);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    if (typeof value === "string") {
      if (!isLevel(value)) {
        problems.push(`${name}: "${value}" is not a valid enforcement level (${LEVELS.join(", ")})`);
        continue;
      }
      enforcementLevel = value;
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
      if ("enforcementLevel" in value && !isLevel(level)) {
        problems.push(
          `${name}: ${JSON.stringify(level)} is not a valid enforcement level (${LEVELS.join(", ")})`,
        );
        continue;
      }
      enforcementLevel = level as EnforcementLevel | undefined;
      if (Object.keys(rest).length) properties = rest;
    } else {
      problems.push(`${name}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
      continue;
    }
    if (enforcementLevel === undefined && properties === undefined) continue;
    result.set(name, { enforcementLevel, properties });
  }
  if (problems.length) throw new PolicyConfigError(problems);
  return result;
}

/** Every policy's level and schema defaults (createConfigWithDefaults). */
function configWithDefaults(policies: readonly PolicyInfo[]): Map<string, PolicyConfig> {
  const result = new Map<string, PolicyConfig>();
  for (const p of policies) {
    let properties: Record<string, unknown> | undefined;
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {}))
      if ("default" in schema) (properties ??= {})[k] = schema.default;
    result.set(p.name, { enforcementLevel: p.enforcementLevel, properties });
  }
  return result;
}

/** Applies a parsed config: "all" first, then each entry (applyConfig). */
function applyConfig(result: Map<string, PolicyConfig>, config: ReadonlyMap<string, PolicyConfig>) {
  const all = config.get("all")?.enforcementLevel;
  if (all) for (const [k, v] of result) result.set(k, { ...v, enforcementLevel: all });
  for (const [name, given] of config) {
    const current = result.get(name);
    let properties = current?.properties;
    if (given.properties && Object.keys(given.properties).length)
      properties = { ...(properties ?? {}), ...given.properties };
    result.set(name, { enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel, properties });
  }
}

/** Ajv, created on first use: with a warm cache of verdicts (below) a run compiles no schema at all. */
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
const validator = (schema: object) => {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    ajv ??= new (require("ajv") as { default: typeof Ajv }).default({
      allErrors: true,
      strict: false,
      logger: false,
    });
    compiled.set(key, (fn = ajv.compile(schema)));
  }
  return fn;
};

/**
 * Verdicts of "valid" from earlier runs, by a hash of the Ajv version, the schema and the value: compiling
 * some fifty schemas costs a preview more than running the policies, and the pack's schemas and defaults
 * rarely change. Only "valid" is kept, so every problem is reported afresh in Ajv's words; a changed schema
 * or value is another hash. Kept in node_modules/.cache, like bin/msp.js's compile cache; a cache that
 * cannot be read or written is no cache.
 */
export const VERDICTS = path.join(
  __dirname,
  "..",
  "node_modules",
  ".cache",
  "msp-policy-config",
  "valid.json",
);
let knownValid: Set<string> | undefined;
let learnt = false;

function verdictKey(schema: object, value: unknown): string {
  const version = (require("ajv/package.json") as { version: string }).version;
  return createHash("sha256")
    .update(JSON.stringify([version, schema, value]))
    .digest("hex");
}

function validBefore(key: string): boolean {
  if (!knownValid) {
    try {
      const stored = JSON.parse(fs.readFileSync(VERDICTS, "utf8")) as unknown;
      knownValid = new Set(Array.isArray(stored) ? stored.filter((k) => typeof k === "string") : []);
    } catch {
      knownValid = new Set();
    }
  }
  return knownValid.has(key);
}

function saveVerdicts(): void {
  if (!learnt || !knownValid) return;
  learnt = false;
  try {
    fs.mkdirSync(path.dirname(VERDICTS), { recursive: true });
    const tmp = `${VERDICTS}.${process.pid}.tmp`;
    // The newest thousand: a cache, not a history.
    fs.writeFileSync(tmp, JSON.stringify([...knownValid].slice(-1000)));
    fs.renameSync(tmp, VERDICTS);
  } catch {
    // A read-only checkout: every run validates.
  }
}

/** Validates each policy's properties against its schema (validatePolicyPackConfig). */
function validate(policies: readonly PolicyInfo[], config: ReadonlyMap<string, PolicyConfig>): string[] {
  const problems: string[] = [];
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema: Record<string, unknown> = { type: "object" };
    if (Object.keys(p.configSchema.properties).length) schema.properties = p.configSchema.properties;
    if (p.configSchema.required.length) schema.required = p.configSchema.required;
    const value = config.get(p.name)?.properties ?? {};
    const key = verdictKey(schema, value);
    if (validBefore(key)) continue;
    const check = validator(schema);
    if (check(value)) {
      knownValid!.add(key);
      learnt = true;
      continue;
    }
    for (const e of check.errors ?? [])
      problems.push(
        `${p.name}: ${e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : ""}${e.message}`,
      );
  }
  return problems;
}

/**
 * The configuration the CLI sends with `Configure` for these policies and this config file content; throws
 * `PolicyConfigError` listing every problem.
 */
export function reconcilePolicyPackConfig(
  policies: readonly PolicyInfo[],
  raw: unknown,
): Map<string, PolicyConfig> {
  const result = configWithDefaults(policies);
  applyConfig(result, parsePolicyPackConfig(raw));
  const problems = validate(policies, result);
  saveVerdicts();
  if (problems.length) throw new PolicyConfigError(problems);
  return result;
}
