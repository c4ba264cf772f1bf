/**
 * What `msp doctor` reads from a repository and the environment: the `msp:*` settings of Pulumi.yaml, the
 * backend and secrets provider Pulumi would use, the stack files' secrets providers and the workflows' needs.
 * Files go through servicespec/pulumi-files.ts (the one reader of Pulumi files); nothing here calls a cloud.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { platformSettingsSchema } from "../platform/settings";
import { mspValues, readPulumiFile } from "../servicespec/pulumi-files";
import {
  checkSettingsShape,
  checkSettingsValues,
  checkStateBackend,
  checkWorkflows,
  IDENTITIES_UNCHECKED,
  workflowNeeds,
  type Check,
  type StateBackendInput,
} from "./checks";

type Env = Readonly<Record<string, string | undefined>>;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

/** Pulumi.yaml as a record (a file that cannot be read is a failed check, not an exception). */
function projectFile(root: string): { file?: Record<string, unknown>; problem?: Check } {
  const file = path.join(root, "Pulumi.yaml");
  try {
    const v = readPulumiFile(file);
    return isRecord(v)
      ? { file: v }
      : { problem: { subject: "Pulumi.yaml", status: "fail", detail: "not a mapping", fix: "see README" } };
  } catch (e) {
    return {
      problem: {
        subject: "Pulumi.yaml",
        status: "fail",
        detail: (e as Error).message,
        fix: "a Pulumi project file at the repository's root (README: Adopting msp in your organisation)",
      },
    };
  }
}

/** The stack files' `secretsprovider:` values, by file name. */
function stackProviders(root: string, project: Record<string, unknown>): Record<string, string> {
  const dir = path.join(root, typeof project.stackConfigDir === "string" ? project.stackConfigDir : ".");
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((x) => /^Pulumi\..+\.ya?ml$/.test(x))) {
    try {
      const v = readPulumiFile(path.join(dir, f));
      if (isRecord(v) && typeof v.secretsprovider === "string") out[f] = v.secretsprovider;
    } catch {
      // A broken stack file is msp preview's and Pulumi's to report; doctor only looks for providers.
    }
  }
  return out;
}

/** The state backend as Pulumi would pick it here: PULUMI_BACKEND_URL, else Pulumi.yaml's backend.url. */
export function stateBackendInput(
  root: string,
  env: Env,
  project: Record<string, unknown> = {},
): StateBackendInput {
  const fromFile =
    isRecord(project.backend) && typeof project.backend.url === "string" ? project.backend.url : "";
  const backendUrl = env.PULUMI_BACKEND_URL
    ? { url: env.PULUMI_BACKEND_URL, source: "PULUMI_BACKEND_URL" }
    : fromFile
      ? { url: fromFile, source: "Pulumi.yaml backend.url" }
      : undefined;
  return {
    backendUrl,
    passphrase: !!env.PULUMI_CONFIG_PASSPHRASE || !!env.PULUMI_CONFIG_PASSPHRASE_FILE,
    secretsProvider: env.PULUMI_SECRETS_PROVIDER || undefined,
    stackProviders: stackProviders(root, project),
  };
}

interface WorkflowStep {
  run?: string;
  uses?: string;
  env?: Record<string, unknown>;
}
interface WorkflowJob {
  environment?: string | { name: string };
  env?: Record<string, unknown>;
  steps?: WorkflowStep[];
}

/** A step runs Pulumi: a script line starting with `pulumi`, or pulumi/actions with a command (else it installs). */
const runsPulumi = (s: WorkflowStep & { with?: Record<string, unknown> }) =>
  /^\s*(\(\s*)?pulumi\s/m.test(s.run ?? "") || (!!s.uses?.startsWith("pulumi/actions@") && !!s.with?.command);

/** The workflows' jobs: each one's environment and text, and the jobs that run Pulumi without the passphrase. */
function workflows(root: string): { jobs: { environment?: string; text: string }[]; missing: string[] } {
  const dir = path.join(root, ".github", "workflows");
  const jobs: { environment?: string; text: string }[] = [];
  const missing: string[] = [];
  if (!fs.existsSync(dir)) return { jobs, missing };
  for (const f of fs.readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) {
    const wf = parse(fs.readFileSync(path.join(dir, f), "utf8")) as { jobs?: Record<string, WorkflowJob> };
    for (const [id, job] of Object.entries(wf.jobs ?? {})) {
      const environment = typeof job.environment === "object" ? job.environment.name : job.environment;
      jobs.push({ environment, text: JSON.stringify(job) });
      // A step that runs Pulumi needs the backend's URL and the passphrase (a DIY backend) in its own or its
      // job's env.
      const has = (key: string, step: WorkflowStep) => [step.env, job.env].some((e) => !!e && key in e);
      for (const step of job.steps ?? [])
        if (runsPulumi(step) && !(has("PULUMI_CONFIG_PASSPHRASE", step) && has("PULUMI_BACKEND_URL", step))) {
          missing.push(`${f} ${id}`);
          break;
        }
    }
  }
  return { jobs, missing };
}

/** Every offline check of the repository at `root`, in the order they are printed. */
export function offlineChecks(
  root: string,
  env: Env,
): { checks: Check[]; settings: Record<string, unknown> } {
  const { file, problem } = projectFile(root);
  if (problem) return { checks: [problem], settings: {} };
  const settings = mspValues(isRecord(file!.config) ? file!.config : undefined, true);
  const wf = workflows(root);
  // Online checks read the settings with their defaults (the Slack token's secret name) when they parse.
  const parsed = platformSettingsSchema.safeParse(settings);
  return {
    settings: parsed.success ? parsed.data : settings,
    checks: [
      ...checkSettingsShape(settings),
      ...checkSettingsValues(settings),
      ...checkStateBackend(stateBackendInput(root, env, file)),
      ...checkWorkflows(workflowNeeds(wf.jobs), wf.missing),
      IDENTITIES_UNCHECKED,
    ],
  };
}

/** The state backend check alone (what the workflows run before Pulumi). */
export function stateBackendChecks(root: string, env: Env): Check[] {
  const { file, problem } = projectFile(root);
  return problem ? [problem] : checkStateBackend(stateBackendInput(root, env, file));
}
