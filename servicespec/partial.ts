/**
 * The parts of a spec that did parse, for the cross-field, security and platform rules when the schema refuses
 * the whole: an owner sees every mistake at once (a disallowed zone together with a typo in a category), not the
 * rule-level ones only after the shape errors are fixed.
 *
 * The schema's issues are repaired one round at a time: a wrong value or unknown key is removed (a default then
 * applies); a required field left missing gets a neutral stand-in when the table below has one, else the
 * smallest enclosing optional block is removed; an environment that cannot be repaired is left out. The rules
 * then run on what parses, and their findings at or around a repaired place are dropped: it was reported by the
 * schema already, and a stand-in must never produce a finding of its own.
 */
import type { z } from "zod";
import { specSchema, type ServiceSpec } from "./schema";

type Segment = string | number;
type Path = readonly Segment[];

/** Rounds of repair at most: each removes what the schema refused in the last one. */
const MAX_ROUNDS = 10;
/** Beyond this many problems the file is not a spec with a few mistakes: no rules run on it. */
const MAX_REPAIRED_ISSUES = 100;

/**
 * Stand-ins for required fields, by their path inside an environment or from the top: values every rule accepts
 * (an Artifact Registry image, a manual deploy) so that the field itself yields no finding.
 */
const ENVIRONMENT_STAND_INS: Record<string, unknown> = {
  projectID: "stand-in-project",
  category: "test",
  deploy: { type: "manual" },
  "deploy.type": "manual",
  instances: { resources: { cpu: 1, memory: "1Gi" } },
  "instances.resources": { cpu: 1, memory: "1Gi" },
  "instances.resources.cpu": 1,
  "instances.resources.memory": "1Gi",
};
const TOP_STAND_INS: Record<string, unknown> = {
  "service.owners": ["stand-in"],
  "service.description": "stand-in",
  build: { image: "us-docker.pkg.dev/stand-in/stand-in/stand-in", source: { repo: "stand-in", dir: "." } },
  "build.image": "us-docker.pkg.dev/stand-in/stand-in/stand-in",
  "build.source": { repo: "stand-in", dir: "." },
  "build.source.repo": "stand-in",
  "build.source.dir": ".",
};

export interface PartialSpec {
  spec: ServiceSpec;
  /** The spec's environment `j` is environment `envIndex[j]` of the file. */
  envIndex: number[];
  /** Dotted paths of the file the schema refused (the rules must not report at or around them again). */
  repaired: Set<string>;
  /** Environments left out (nothing refers to them in the rules' view). */
  dropped: Set<number>;
}

const dotted = (p: Path) => p.map(String).join(".");
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function parentOf(root: unknown, p: Path): unknown {
  let node = root;
  for (const seg of p.slice(0, -1)) {
    if (Array.isArray(node) && typeof seg === "number") node = node[seg];
    else if (isObject(node)) node = node[String(seg)];
    else return undefined;
  }
  return node;
}

/**
 * The spec's parts that parse, or undefined when the service or build part cannot be repaired (no rule can
 * run without them) or the file has too many problems. `data` is the file's value; it is not changed.
 */
export function partialSpec(data: unknown, issues: readonly z.core.$ZodIssue[]): PartialSpec | undefined {
  if (issues.length > MAX_REPAIRED_ISSUES || !isObject(data)) return undefined;
  const work = structuredClone(data);
  if (!Array.isArray(work.environments) || !work.environments.length) return undefined;
  const envs = work.environments as unknown[];
  const repaired = new Set<string>();
  const dropped = new Set<number>();

  /** Removes the value at `p` (for a list item, the whole list, except for environments); false if it cannot. */
  const remove = (p: Path): boolean => {
    if (p.length < 2 && p[0] !== "monitoring" && p[0] !== "rollout") return false;
    if (p[0] === "environments" && typeof p[1] === "number") {
      if (p.length === 2) return (dropped.add(p[1]), true);
    }
    const parent = parentOf(work, p);
    if (Array.isArray(parent)) return remove(p.slice(0, -1));
    if (!isObject(parent)) return false;
    delete parent[String(p.at(-1))];
    return true;
  };
  /** Fills a missing required field with its stand-in, else removes the block that holds it. */
  const fill = (p: Path): boolean => {
    const inEnv = p[0] === "environments" && typeof p[1] === "number";
    const key = dotted(inEnv ? p.slice(2) : p);
    const table = inEnv ? ENVIRONMENT_STAND_INS : TOP_STAND_INS;
    const parent = parentOf(work, p);
    if (key in table && isObject(parent)) {
      parent[String(p.at(-1))] = structuredClone(table[key]);
      return true;
    }
    if (inEnv && p.length === 3 && p[2] === "id") return (dropped.add(p[1] as number), true);
    return p.length > (inEnv ? 2 : 1) && remove(p.slice(0, -1));
  };

  let current = issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progressed = false;
    for (const issue of current) {
      const p = issue.path.filter((s): s is Segment => typeof s !== "symbol");
      if (p[0] === "environments" && typeof p[1] === "number" && dropped.has(p[1])) continue;
      if (issue.code === "unrecognized_keys") {
        const at = parentOf(work, [...p, ""]);
        if (isObject(at)) for (const k of issue.keys) delete at[k];
        progressed = true;
        continue;
      }
      repaired.add(dotted(p));
      const missing = issue.input === undefined && issue.code !== "custom";
      if (missing ? fill(p) : remove(p)) progressed = true;
      else return undefined;
    }
    if (!progressed) return undefined;
    const envIndex = envs.map((_, i) => i).filter((i) => !dropped.has(i));
    if (!envIndex.length) return undefined;
    const parsed = specSchema.safeParse(
      { ...work, environments: envIndex.map((i) => envs[i]) },
      { reportInput: true },
    );
    if (parsed.success) return { spec: parsed.data, envIndex, repaired, dropped };
    // The next round's issues, with environment indexes of the file.
    current = parsed.error.issues.map((i) =>
      i.path[0] === "environments" && typeof i.path[1] === "number"
        ? { ...i, path: ["environments", envIndex[i.path[1]]!, ...i.path.slice(2)] }
        : i,
    );
  }
  return undefined;
}

/**
 * A rule's finding on the partial spec, moved to the file's environment indexes, or undefined when it must not
 * be reported: at, inside or around a repaired place, about rollout stages while an environment is left out,
 * or about a rollout environment's stage while the rollout block was repaired.
 */
export function placeFinding(partial: PartialSpec, path: Path, message: string): Segment[] | undefined {
  const p: Segment[] =
    path[0] === "environments" && typeof path[1] === "number"
      ? ["environments", partial.envIndex[path[1]]!, ...path.slice(2)]
      : [...path];
  const at = dotted(p);
  for (const r of partial.repaired)
    if (at === r || at.startsWith(`${r}.`) || r.startsWith(`${at}.`) || r === "") return undefined;
  if (p[0] === "rollout" && partial.dropped.size) return undefined;
  if (
    [...partial.repaired].some((r) => r === "rollout" || r.startsWith("rollout.")) &&
    /rollout/.test(message)
  )
    return undefined;
  return p;
}
