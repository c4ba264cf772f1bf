/**
 * `msp rollback <service> <env> [--to <revision|tag|release>] [--run]`: the rollback of one environment
 * (delivery/rollback.ts), printed like `msp release create` prints a release, or run with the caller's gcloud
 * credentials. With `--run` and no `--to`, the revision to go back to is looked up first (the newest ready
 * revision older than the one serving), so the printed "make it last" step names its image.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import type { Command } from "commander";
import { loadService } from "../../servicespec/loader";
import { formatPath, specLocator } from "../../servicespec/loader";
import { resolveService } from "../../resolve/environment";
import { platformSettingsFor } from "../../program/config";
import { stackNameOf } from "../../platform/naming";
import { shellLine } from "../../resolve/shell";
import {
  RollbackError,
  previousRevision,
  revisionsListCommand,
  rollbackLines,
  rollbackPlan,
  rollbackTarget,
  serviceDescribeCommand,
  type RevisionJson,
  type RollbackTarget,
  type ServiceJson,
  type SpecPlace,
} from "../../delivery/rollback";
import { UsageError } from "../errors";
import { runCommand } from "../run-command";
import { repoRoot, servicesDir } from "../options";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import { requireEnvironment, requireService } from "../lookup";
import { reportPath } from "../spec-location";

/** A gcloud command's JSON output (for the look-ups of `--run`). */
function gcloudJson(argv: readonly string[]): unknown {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.error)
    throw new UsageError(`could not run ${argv[0]}: ${r.error.message} (is the Google Cloud CLI installed?)`);
  if (r.status !== 0) throw new Error(`${shellLine(argv.slice(0, 5))} exited with ${r.status ?? r.signal}`);
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    throw new Error(`${shellLine(argv.slice(0, 5))} did not print JSON`);
  }
}

export function registerRollback(program: Command): void {
  program
    .command("rollback")
    .description(
      "roll an environment back: Cloud Run traffic to an earlier revision at once (or a new revision of an older tag), Cloud Deploy's target rollback for rollouts, a job's image; then what to commit so the next deploy keeps it (prints the commands; --run runs them)",
    )
    .argument("<service>")
    .argument("<env>")
    .option(
      "--to <revision|tag|release>",
      "a revision of the Cloud Run service, an image tag, or for rollouts a release (default: the revision or release before the current one)",
    )
    .option("--run", "run the commands with your gcloud credentials instead of only printing them")
    .action((svc: string, envId: string, opts: { to?: string; run?: boolean }) => {
      serviceIdArgument(svc);
      environmentIdArgument(envId);
      const dir = servicesDir(program);
      requireService(dir, svc);
      const loaded = loadService(dir, svc);
      requireEnvironment(loaded, envId);
      const service = resolveService(loaded, platformSettingsFor(stackNameOf(svc, envId), repoRoot()));
      const env = service.environments.find((e) => e.envId === envId)!;
      const index = loaded.spec.environments.findIndex((e) => e.id === envId);
      const specPath =
        env.deployType === "manual"
          ? ["environments", index, "deploy", "manual", "tag"]
          : ["environments", index, "deploy"];
      const { line, col } = specLocator(fs.readFileSync(loaded.file, "utf8"))(specPath);
      const place: SpecPlace = {
        where: `${reportPath(loaded.file)}:${line}:${col}`,
        field: formatPath(specPath),
      };
      let target: RollbackTarget;
      try {
        target = rollbackTarget(env, opts.to);
      } catch (e) {
        if (e instanceof RollbackError) throw new UsageError(e.message);
        throw e;
      }
      let found: { image?: string } = {};
      if (
        opts.run &&
        env.workload.kind === "service" &&
        env.deployType !== "rollout" &&
        target.kind !== "tag"
      ) {
        const revisions = gcloudJson(revisionsListCommand(env, true)) as RevisionJson[];
        if (target.kind === "previous") {
          const prev = previousRevision(gcloudJson(serviceDescribeCommand(env)) as ServiceJson, revisions);
          if (!prev?.metadata?.name)
            throw new UsageError(
              `${env.stack}: no ready revision older than the one serving among the last 10: roll back to an image tag with --to <tag>`,
            );
          target = { kind: "revision", name: prev.metadata.name };
        }
        const chosen = target.kind === "revision" ? target.name : undefined;
        found = { image: revisions.find((r) => r.metadata?.name === chosen)?.spec?.containers?.[0]?.image };
      }
      const plan = rollbackPlan(service, env, target, place, found);
      if (!opts.run) {
        console.log(rollbackLines(plan).join("\n"));
        return;
      }
      console.log(plan.notes.join("\n"));
      for (const step of plan.steps) {
        console.log([step.comment, shellLine(step.argv)].join("\n"));
        runCommand(step.argv);
      }
      console.log(plan.durable.join("\n"));
    });
}
