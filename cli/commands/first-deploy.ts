/**
 * msp preview's "First deploy" section: where the first real `pulumi up` of the plan would stop
 * (runner/first-deploy), each finding with its fix, and what `--deploy-ready` makes of them. With
 * `--check-secrets-in-cloud`, a missing secret version is looked up with gcloud (the deploy identity's
 * credentials): a version that exists meets the finding.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import {
  firstDeployFindings,
  firstStepTargets,
  type FirstDeployFinding,
  type PlannedResource,
} from "../../runner/first-deploy";
import { readStackExport, StackExportError } from "../../engine/read-export";
import { UsageError, EXIT_FAILURE } from "../errors";
import type { Style } from "../terminal";

export interface FirstDeployOptions {
  deployReady?: boolean;
  deployed?: string;
  checkSecretsInCloud?: boolean;
  firstStepTargets?: string;
}

/** Whether a version of the secret exists, asked with gcloud (exit 0: it does). */
export type VersionLookup = (project: string, name: string, version: string) => boolean;

export const gcloudVersionLookup: VersionLookup = (project, name, version) => {
  const r = spawnSync(
    "gcloud",
    [
      "secrets",
      "versions",
      "describe",
      version,
      `--secret=${name}`,
      `--project=${project}`,
      "--format=value(name)",
    ],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  if (r.error && "code" in r.error && r.error.code === "ENOENT")
    throw new UsageError("--check-secrets-in-cloud needs gcloud, which is not installed");
  return r.status === 0;
};

function deployedResources(file: string): PlannedResource[] {
  try {
    return readStackExport(file).deployment.resources;
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError(e.message);
    throw e;
  }
}

/** The findings of `resources`, less what the deployed state or the cloud (when asked) shows is met. */
export function findingsFor(
  resources: readonly PlannedResource[],
  opts: FirstDeployOptions,
  lookup: VersionLookup = gcloudVersionLookup,
): FirstDeployFinding[] {
  const deployed = opts.deployed === undefined ? undefined : deployedResources(opts.deployed);
  const findings = firstDeployFindings(resources, { deployed });
  if (!opts.checkSecretsInCloud) return findings;
  return findings.filter((f) => !f.secret || !lookup(f.secret.project, f.secret.name, f.secret.version));
}

/** The section's lines. */
export function renderFirstDeploy(
  stack: string,
  findings: readonly FirstDeployFinding[],
  opts: FirstDeployOptions,
  style: Style,
): string[] {
  if (!findings.length)
    return [
      `${style.mark.ok}First deploy: nothing found that stops the first real \`pulumi up\` of ${stack}.`,
    ];
  const lines = [
    style.strong(
      `First deploy: the first real \`pulumi up\` of ${stack} would stop here (${findings.length}):`,
    ),
  ];
  for (const [i, f] of findings.entries()) {
    if (i) lines.push("");
    lines.push(`    ${style.mark.error}${style.danger(f.resource)}  ${style.muted(`[${f.rule}]`)}`);
    lines.push(`    ${f.problem}`);
    lines.push(`    ${style.strong("fix:")} ${f.fix}`);
    for (const c of f.commands ?? []) lines.push(`      $ ${c}`);
  }
  const secrets = findings.filter((f) => f.secret);
  if (secrets.length)
    lines.push(
      "",
      `The value of each secret is the owner's: the commands above read it from standard input. On a first deploy`,
      `the project does not exist yet: create the secrets first (two steps, README "The first deploy"), add the`,
      `versions, then deploy.`,
    );
  lines.push(
    "",
    opts.deployReady
      ? style.danger(`Not ready to deploy: ${findings.length} finding(s) above (--deploy-ready).`)
      : `A real deploy still needs these; \`msp preview ${stack} --deploy-ready\` exits 1 until they are done.`,
  );
  return lines;
}

/** Prints the section, writes the first step's targets if asked, sets the exit code under --deploy-ready. */
export function reportFirstDeploy(
  stack: string,
  resources: readonly PlannedResource[],
  opts: FirstDeployOptions,
  say: (line: string) => void,
  style: Style,
): FirstDeployFinding[] {
  const findings = findingsFor(resources, opts);
  say("");
  for (const line of renderFirstDeploy(stack, findings, opts, style)) say(line);
  if (opts.firstStepTargets !== undefined)
    fs.writeFileSync(
      opts.firstStepTargets,
      firstStepTargets(resources, findings)
        .map((urn) => `${urn}\n`)
        .join(""),
    );
  if (opts.deployReady && findings.length) process.exitCode = EXIT_FAILURE;
  return findings;
}
