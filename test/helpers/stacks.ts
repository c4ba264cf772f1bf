/** Runs example stacks through the offline engine once per test process and shares the results. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices, type LoadedService } from "../../servicespec/loader";
import { findStack, listStacks } from "../../program/stack";
import { runStackOffline } from "../../runner/run";
import { type OfflineResult, type RecordedResource } from "../../engine/plan";
import type { PlanMode } from "../../engine/cloud-model";
import { platformSettingsFor } from "../../program/config";
import { resolveService } from "../../resolve/environment";
import type { ResolvedEnvironment, ResolvedService } from "../../resolve/model";
import { FLEET_SERVICES, REPO } from "./cli";

export const SERVICES_DIR = path.join(REPO, "services");
const loaded = new Map<string, LoadedService[]>();
const cache = new Map<string, Promise<OfflineResult>>();
let chain: Promise<unknown> = Promise.resolve();

/** The services of `services/`: whatever the repository holds (an adopter's own among them). */
export function exampleServices(dir = SERVICES_DIR): LoadedService[] {
  let s = loaded.get(dir);
  if (!s) loaded.set(dir, (s = loadServices(dir)));
  return s;
}

export const exampleStacks = (dir = SERVICES_DIR) => listStacks(exampleServices(dir)).map((s) => s.name);

/** The tests' own fleet (test/fixtures/fleet): a known set of services and stacks, whatever services/ holds. */
export const fleetServices = () => exampleServices(FLEET_SERVICES);
export const fleetStacks = () => exampleStacks(FLEET_SERVICES);
export { FLEET_SERVICES };

/** A stack of the tests' own fleet (test/fixtures/fleet), resolved with the repository's platform settings. */
export function fleetEnvironment(stack: string): ResolvedEnvironment {
  for (const s of fleetServices()) {
    const env = resolveService(s, platformSettingsFor("", REPO)).environments.find((e) => e.stack === stack);
    if (env) return env;
  }
  throw new Error(`no fleet stack ${stack}`);
}

/** An example service resolved with the repository's platform settings (Pulumi.yaml). */
export function exampleResolved(id: string): ResolvedService {
  const s = exampleServices().find((x) => x.spec.service.id === id);
  if (!s) throw new Error(`no example service ${id}`);
  return resolveService(s, platformSettingsFor("", REPO));
}

/**
 * The offline plan of a stack of `services/` (or of the services in `dir`), by default as after `pulumi up`
 * (`"preview"`: as `pulumi preview` sees it, computed values unknown). Runs are serialised: the Pulumi
 * runtime is global.
 */
export function planOf(
  stack: string,
  mode: PlanMode = "applied",
  dir = SERVICES_DIR,
): Promise<OfflineResult> {
  const key = `${mode}:${dir}:${stack}`;
  let p = cache.get(key);
  if (!p) {
    const target = findStack(exampleServices(dir), stack);
    if (!target) throw new Error(`no stack ${stack} in ${dir}`);
    p = chain.then(() => runStackOffline(target, platformSettingsFor(stack, REPO), { mode }));
    chain = p.catch(() => undefined);
    cache.set(key, p);
  }
  return p;
}

export const ofType = (plan: OfflineResult, type: string): RecordedResource[] =>
  plan.resources.filter((r) => r.type === type);

export function one(plan: OfflineResult, type: string): RecordedResource {
  const found = ofType(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** Reads a nested input, e.g. get(r.inputs, "settings.backupConfiguration.enabled"). */
export function get(obj: unknown, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>(
      (o, k) => (o === undefined || o === null ? undefined : (o as Record<string, unknown>)[k]),
      obj,
    );
}

/**
 * The plan of an example stack whose spec was edited first: a copy of the service's folder, `edit` applied to
 * its service.yaml (which must change it), loaded and run through the stack program like any other.
 */
export async function planOfEditedExample(
  service: string,
  stack: string,
  edit: (specText: string) => string,
): Promise<OfflineResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-edited-"));
  try {
    fs.cpSync(path.join(SERVICES_DIR, service), path.join(dir, service), { recursive: true });
    const spec = path.join(dir, service, "service.yaml");
    const text = fs.readFileSync(spec, "utf8");
    const edited = edit(text);
    assert.notEqual(edited, text, `the edit left ${service}/service.yaml unchanged: update the test's edit`);
    fs.writeFileSync(spec, edited);
    const target = findStack(loadServices(dir), stack);
    assert.ok(target, `${stack} in the edited copy`);
    return await runStackOffline(target, platformSettingsFor(stack, REPO));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The plan of `stack` for a spec given as text (a service of its own in a scratch services folder, with
 * `files` beside its service.yaml), loaded and run through the stack program like any other.
 */
export async function planOfSpec(
  specText: string,
  stack: string,
  files: Record<string, string> = {},
  mode: PlanMode = "applied",
): Promise<OfflineResult> {
  const id = /^ {2}id: (\S+)$/m.exec(specText)?.[1];
  assert.ok(id, "the spec names its service.id");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-spec-"));
  try {
    fs.mkdirSync(path.join(dir, id));
    fs.writeFileSync(path.join(dir, id, "service.yaml"), specText);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, id, name), text);
    const target = findStack(loadServices(dir), stack);
    assert.ok(target, `${stack} in the spec`);
    return await runStackOffline(target, platformSettingsFor(stack, REPO), { mode });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment variables of a Cloud Run service's or job's first container, by name. */
export function containerEnvs(r: { inputs: Record<string, unknown> }) {
  const envs = (get(r.inputs, "template.containers.0.envs") ??
    get(r.inputs, "template.template.containers.0.envs")) as {
    name: string;
    value?: unknown;
    valueSource?: unknown;
  }[];
  return Object.fromEntries(envs.map((e) => [e.name, e]));
}
