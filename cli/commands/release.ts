/**
 * msp release: Cloud Deploy releases of rollout services (reference §7) and the list of subscription stacks
 * the subscriptions workflow checks.
 *
 * `msp release create <service> [--tag T]` writes the skaffold source archive (plans/skaffold-source.ts),
 * prints the commands that upload it to the pipeline's skaffold bucket and create the release, and with `--run`
 * runs them with the caller's gcloud credentials (a releaser: the pipeline's releaser account or
 * `rollout.serviceAccount`). Cloud Deploy then deploys the release to the first stage; later stages are
 * promoted by hand.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { loadService, loadServices } from "../../servicespec/loader";
import { resolveService } from "../../resolve/environment";
import type { ResolvedRollout } from "../../resolve/model";
import { platformSettingsFor } from "../../program/config";
import { skaffoldSourceFiles } from "../../plans/skaffold-source";
import { SOURCE_ARCHIVE, writeSourceArchive } from "../../delivery/source-archive";
import { artifactRegistryImage } from "../../platform/image-reference";
import { UsageError } from "../errors";
import { formatOption, type OutputFormat } from "../format-option";
import { repoRoot, servicesDir } from "../options";
import { serviceIdArgument } from "../arguments";
import { requireService } from "../lookup";
import { shellComment, shellLine } from "../../resolve/shell";

/** Cloud Deploy release names: lowercase letters, digits and hyphens, starting with a letter, at most 63. */
const RELEASE_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `<service>-<tag>-<UTC time>`, made a valid release name (a release name can be used once per pipeline). */
export function releaseName(serviceId: string, tag: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const safeTag =
    tag
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "tag";
  const head = `${serviceId}-${safeTag}`.slice(0, 63 - stamp.length - 1).replace(/-+$/, "");
  return `${head}-${stamp}`;
}

export interface ReleasePlan {
  /** Comment lines: what happens and where. */
  notes: string[];
  /** The commands, as argument vectors (run without a shell). */
  commands: string[][];
}

/** The upload and `gcloud deploy releases create` of a release of `archive` with image tag `tag`. */
export function releasePlan(
  rollout: ResolvedRollout,
  tag: string,
  name: string,
  archive: string,
): ReleasePlan {
  if (!RELEASE_NAME.test(name))
    throw new UsageError(
      `release name ${JSON.stringify(name.slice(0, 70))} must be lowercase letters, digits and hyphens, start with a letter, at most 63 characters`,
    );
  const source = `gs://${rollout.skaffoldBucket}/${name}/${SOURCE_ARCHIVE}`;
  const where = [`--project=${rollout.projectId}`, `--region=${rollout.region}`];
  const stages = rollout.stages.map((s) => s.envId);
  return {
    notes: [
      shellComment`Release ${name}: ${`${rollout.imageRepository}:${tag}`} through ${rollout.pipelineName} (${stages.join(" -> ")}) in ${rollout.projectId}, ${rollout.region}`,
      shellComment`Source archive: ${archive} (skaffold.yaml and the Cloud Run service manifest)`,
    ],
    commands: [
      ["gcloud", "storage", "cp", archive, source, `--project=${rollout.projectId}`],
      [
        "gcloud",
        "deploy",
        "releases",
        "create",
        name,
        `--delivery-pipeline=${rollout.pipelineName}`,
        ...where,
        `--source=${source}`,
        `--deploy-parameters=customTarget/tag=${tag}`,
      ],
    ],
  };
}

/** The command after a release: promotion of the release to the next stage (manual, as MSP). */
export function promoteCommand(rollout: ResolvedRollout, name: string): string[] {
  return [
    "gcloud",
    "deploy",
    "releases",
    "promote",
    `--release=${name}`,
    `--delivery-pipeline=${rollout.pipelineName}`,
    `--project=${rollout.projectId}`,
    `--region=${rollout.region}`,
  ];
}

/** One subscription stack: what the subscriptions workflow compares. */
export interface SubscriptionStack {
  stack: string;
  service: string;
  env: string;
  category: string;
  /** Image repository (without tag) and the tag it follows. */
  image: string;
  tag: string;
}

function loadOne(program: Command, svc: string) {
  serviceIdArgument(svc);
  const dir = servicesDir(program);
  requireService(dir, svc);
  return resolveService(loadService(dir, svc), platformSettingsFor("", repoRoot()));
}

export function registerRelease(program: Command): void {
  const release = program
    .command("release")
    .description("Cloud Deploy releases of rollout services; subscription stacks");
  release
    .command("create")
    .description(
      "write the skaffold source archive and create a Cloud Deploy release of a rollout service (prints the gcloud commands; --run runs them)",
    )
    .argument("<service>", "service ID with a rollout")
    .option("--tag <tag>", "image tag to release (default: rollout.initialImageTag, else insiders)")
    .option("--name <name>", "release name (default: <service>-<tag>-<UTC time>)")
    .option("--out <dir>", "folder for source.tar.gz (default: a new temporary folder)")
    .option("--run", "run the commands with your gcloud credentials instead of only printing them")
    .action((svc: string, opts: { tag?: string; name?: string; out?: string; run?: boolean }) => {
      const service = loadOne(program, svc);
      const rollout = service.rollout;
      if (!rollout) throw new UsageError(`${svc} has no rollout: releases are for deploy.type rollout`);
      const first = service.environments.find((e) => e.envId === rollout.stages[0]!.envId)!;
      const tag = opts.tag ?? first.workload.imageTag;
      if (!/^[\w][\w.-]{0,127}$/.test(tag))
        throw new UsageError(`--tag ${JSON.stringify(tag.slice(0, 70))} is not a valid image tag`);
      const name = opts.name ?? releaseName(svc, tag, new Date());
      const dir = opts.out ?? fs.mkdtempSync(path.join(os.tmpdir(), `msp-release-${svc}-`));
      const archive = writeSourceArchive(dir, skaffoldSourceFiles({ serviceId: svc }));
      const plan = releasePlan(rollout, tag, name, archive.file);
      console.log([...plan.notes, shellComment`sha256 ${archive.sha256}`].join("\n"));
      for (const argv of plan.commands) {
        console.log(shellLine(argv));
        if (!opts.run) continue;
        const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit" });
        if (r.error)
          throw new UsageError(
            `could not run ${argv[0]}: ${r.error.message} (is the Google Cloud CLI installed?)`,
          );
        if (r.status !== 0)
          throw new Error(`${shellLine(argv.slice(0, 4))} exited with ${r.status ?? r.signal}`);
      }
      console.log(
        [
          shellComment`Cloud Deploy deploys it to ${rollout.stages[0]!.envId}.`,
          ...(rollout.stages.length > 1
            ? [
                shellComment`Promote it to the next stage (${rollout.stages[1]!.envId}) when it is good:`,
                shellLine(promoteCommand(rollout, name)),
              ]
            : []),
        ].join("\n"),
      );
    });
  release
    .command("subscriptions")
    .description("list the stacks with deploy.type subscription: image and tag each follows")
    .addOption(formatOption(["text", "json"]))
    .action((opts: { format: OutputFormat }) => {
      const stacks: SubscriptionStack[] = loadServices(servicesDir(program)).flatMap((loaded) => {
        const service = resolveService(loaded, platformSettingsFor("", repoRoot()));
        return service.environments
          .filter((e) => e.deployType === "subscription" && artifactRegistryImage(e.workload.imageRepository))
          .map((e) => ({
            stack: e.stack,
            service: e.serviceId,
            env: e.envId,
            category: e.category,
            image: e.workload.imageRepository,
            tag: e.workload.imageTag,
          }));
      });
      console.log(
        opts.format === "json"
          ? JSON.stringify({ include: stacks })
          : stacks.map((s) => `${s.stack}\t${s.image}:${s.tag}`).join("\n"),
      );
    });
}
