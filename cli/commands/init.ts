/** msp init and msp init-env: new specs and environments from commented templates, chosen with flags. */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { isMap, isSeq, parseDocument } from "yaml";
import { UsageError } from "../errors";
import { repoRoot, servicesArgument, servicesDir } from "../options";
import { CATEGORIES, type Category } from "../../spec/schema";
import { parseServiceSpec, SpecError } from "../../spec/loader";
import { platformSettingsFor, projectFileIn, stackConfigFile } from "../../program/config";
import { stackNameOf } from "../../resolve/fields";
import { FileReadError, readRegularFile } from "../../spec/read-file";
import { environmentIdArgument, serviceIdArgument } from "../arguments";

/** A spec larger than this is refused by the loader anyway. */
const MAX_SPEC_BYTES = 1 << 20;

const SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/service.schema.json";
const MAX_PROJECT_ID = 30;

type Kind = "service" | "job";

export interface Domain {
  subdomain: string;
  zone: string;
}

export interface EnvironmentChoices {
  kind: Kind;
  category: Category;
  /** Cloudflare record of a service; undefined: no domain (and always for jobs). */
  domain?: Domain;
  /** A Cloud SQL PostgreSQL instance with one database. */
  postgres: boolean;
  /** `<service>-<env>-<random suffix>`: GCP project IDs are global and can never be reused. */
  projectId: string;
}

export const projectSuffix = (length = 4) =>
  randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);

/**
 * The category an environment name suggests, or undefined when the name says nothing. Production names
 * suggest internal, not external: serving customers is a decision the owner states with --category external.
 */
export function categoryFromEnvironmentName(env: string): Category | undefined {
  if (/^(dev|development|test|testing|stage|staging|qa|sandbox|preview)\d*$/.test(env)) return "test";
  if (/^(prod|production|live)\d*$/.test(env)) return "internal";
  return undefined;
}

/**
 * The domain a new service environment gets unless --domain says otherwise: <service>.sgdev.org for test
 * environments, <service>.sourcegraph.com for production ones, <service>-<env>.<zone> when another
 * environment already has that name (a domain belongs to one environment).
 */
export function defaultDomain(
  svc: string,
  env: string,
  category: Category,
  zones: readonly string[],
  taken: readonly string[] = [],
): Domain {
  const preferred = category === "test" ? "sgdev.org" : "sourcegraph.com";
  const zone = zones.includes(preferred) ? preferred : zones[0]!;
  return { subdomain: taken.includes(`${svc}.${zone}`) ? `${svc}-${env}` : svc, zone };
}

/** --domain none | <subdomain>.<zone>, with the zone one of the platform's allowed zones. */
export function parseDomainFlag(value: string, zones: readonly string[]): Domain | undefined {
  if (value === "none") return undefined;
  const zone = [...zones].sort((a, b) => b.length - a.length).find((z) => value.endsWith(`.${z}`));
  const subdomain = zone ? value.slice(0, -zone.length - 1) : "";
  if (!zone || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(subdomain))
    throw new UsageError(
      `--domain must be none or <subdomain>.<zone> with a zone of msp:allowedZones (${zones.join(", ")}), not "${value}"`,
    );
  return { subdomain, zone };
}

const databaseName = (svc: string) => {
  const name = svc.replaceAll("-", "_");
  return /^[a-z_]/.test(name) ? name : `db_${name}`;
};

export function environmentTemplate(svc: string, env: string, c: EnvironmentChoices): string {
  const domain = c.domain
    ? [
        "    # https://<subdomain>.<zone>, proxied through Cloudflare (WAF) to a Google HTTPS load balancer.",
        "    domain:",
        "      type: cloudflare",
        "      cloudflare:",
        `        subdomain: ${c.domain.subdomain}`,
        `        zone: ${c.domain.zone}`,
      ]
    : c.kind === "service"
      ? ["    # No domain: the service answers on its run.app URL. Add domain.type: cloudflare for one."]
      : [];
  const schedule =
    c.kind === "job"
      ? [
          "    # Runs in UTC; runs must be 15 minutes to 8 days apart.",
          "    schedule:",
          '      cron: "0 * * * *"',
        ]
      : [];
  const scaling =
    c.kind === "service"
      ? [
          "      # minCount: left to the category (external environments keep one instance warm).",
          "      scaling:",
          "        maxCount: 3",
        ]
      : [];
  const postgres = c.postgres
    ? [
        "    resources:",
        "      # Private IP, IAM authentication, daily backups (90 kept) and deletion protection.",
        "      postgreSQL:",
        "        databases:",
        `          - ${databaseName(svc)}`,
      ]
    : [];
  return [
    `  - id: ${env}`,
    "    # The project ID can never change after the project is created.",
    `    projectID: ${c.projectId}`,
    "    # test: development, nobody paged. internal: production for staff. external: production for customers.",
    "    # The category decides high availability, minimum instances, paging, Cloud Armor and mandatory policies.",
    `    category: ${c.category}`,
    "    deploy:",
    "      type: manual",
    "      manual:",
    "        tag: insiders",
    ...domain,
    ...schedule,
    "    instances:",
    "      resources:",
    "        cpu: 1",
    "        memory: 1Gi",
    ...scaling,
    "    env:",
    "      SRC_LOG_LEVEL: info",
    "      SRC_LOG_FORMAT: json_gcp",
    ...postgres,
  ].join("\n");
}

export function serviceTemplate(
  svc: string,
  opts: { owner: string; name?: string; env: string } & EnvironmentChoices,
): string {
  return [
    SCHEMA_LINE,
    `# ${svc}: generated by \`msp init\`. Reference: README.md ("The service spec") and schema/service.schema.json.`,
    "service:",
    `  id: ${svc}`,
    `  name: ${opts.name ?? svc}`,
    ...(opts.kind === "job" ? ["  kind: job"] : []),
    "  # Teams paged for CRITICAL alerts in production environments.",
    "  owners:",
    `    - ${opts.owner}`,
    `  description: ${opts.kind === "job" ? "Scheduled job" : "Service"} ${svc}; describe what it does and who relies on it.`,
    "",
    "build:",
    "  # Image repository without a tag: the deploy type chooses the tag.",
    `  image: us-central1-docker.pkg.dev/sourcegraph-ci/msp/${svc}`,
    "  source:",
    `    repo: github.com/sourcegraph/${svc}`,
    "    dir: .",
    "",
    "environments:",
    environmentTemplate(svc, opts.env, opts),
    "",
  ].join("\n");
}

interface ChoiceFlags {
  category?: string;
  domain?: string;
  database?: string;
}

/** The choices for one new environment: flags first, then defaults, each default announced in `notes`. */
function choose(
  svc: string,
  env: string,
  kind: Kind,
  flags: ChoiceFlags,
  inherited: { postgres?: boolean; domains?: string[] },
  notes: string[],
): EnvironmentChoices {
  let category: Category;
  if (flags.category !== undefined) {
    if (!(CATEGORIES as readonly string[]).includes(flags.category))
      throw new UsageError(`--category must be one of ${CATEGORIES.join(", ")}, not "${flags.category}"`);
    category = flags.category as Category;
  } else {
    const guess = categoryFromEnvironmentName(env);
    if (!guess)
      throw new UsageError(
        `pass --category (${CATEGORIES.join(", ")}): the environment name "${env}" does not tell what it is for`,
      );
    category = guess;
    notes.push(
      `category: ${category} (from the environment name "${env}"; pass --category to choose: ${CATEGORIES.join(", ")})`,
    );
  }

  const zones = platformSettingsFor("", repoRoot()).allowedZones;
  let domain: Domain | undefined;
  if (kind === "job") {
    if (flags.domain !== undefined && flags.domain !== "none")
      throw new UsageError("--domain is for services: a job has no domain");
  } else if (flags.domain !== undefined) domain = parseDomainFlag(flags.domain, zones);
  else {
    domain = defaultDomain(svc, env, category, zones, inherited.domains);
    notes.push(
      `domain: ${domain.subdomain}.${domain.zone} (pass --domain none or --domain <subdomain>.<zone>)`,
    );
  }

  let postgres: boolean;
  if (flags.database === undefined) {
    postgres = inherited.postgres ?? false;
    if (inherited.postgres !== undefined)
      notes.push(
        `database: ${postgres ? "postgres" : "none"} (like the other environments; pass --database to choose)`,
      );
  } else if (flags.database === "postgres" || flags.database === "none")
    postgres = flags.database === "postgres";
  else throw new UsageError(`--database must be postgres or none, not "${flags.database}"`);

  const projectId = `${svc}-${env}-${projectSuffix()}`;
  if (projectId.length > MAX_PROJECT_ID)
    throw new UsageError(
      `the project ID ${projectId} would be ${projectId.length} characters (GCP allows ${MAX_PROJECT_ID}): choose a shorter service or environment ID`,
    );
  return { kind, category, domain, postgres, projectId };
}

/** Validates the spec text before it is written, so init never leaves an invalid spec behind. */
function assertValid(file: string, text: string): void {
  try {
    parseServiceSpec(file, Buffer.from(text));
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(`the new spec would be invalid:\n${e.message}`);
    throw e;
  }
}

/**
 * Writes the stack's file, unless there is one, where the project (msp's Pulumi.yaml) keeps stack files, in the
 * folder the services folder is in (stacks/ beside services/ in this repository).
 */
function stackFile(services: string, stack: string, projectId: string): string {
  const file = stackConfigFile(path.dirname(path.resolve(services)), stack, projectFileIn(repoRoot()));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file))
    fs.writeFileSync(
      file,
      `# Stack ${stack}: created by \`msp init\` or \`msp init-env\`; the spec drives everything. Never commit secrets.\nconfig:\n  gcp:project: ${projectId}\n`,
    );
  return file;
}

const CHOICE_HELP = {
  category: `what the environment is for: ${CATEGORIES.join(", ")} (default: from the environment name, e.g. dev -> test, prod -> internal)`,
  domain: "none, or <subdomain>.<zone> for a Cloudflare domain (services only; default: <service>.<zone>)",
  database: "postgres for a Cloud SQL PostgreSQL database, or none",
};

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create services/<service>/service.yaml from a commented template, with a first environment")
    .argument("<service>", "service ID (lowercase letters, digits, '-'; at most 20 characters)")
    .option("--kind <kind>", "service (HTTP/gRPC) or job (scheduled)", "service")
    .option("--owner <team>", "owning team", "core-services")
    .option("--name <name>", "display name")
    .option("--env <env>", "first environment", "dev")
    .option("--category <category>", CHOICE_HELP.category)
    .option("--domain <domain>", CHOICE_HELP.domain)
    .option("--database <database>", CHOICE_HELP.database, "none")
    .action(
      (svc: string, opts: { kind: string; owner: string; name?: string; env: string } & ChoiceFlags) => {
        serviceIdArgument(svc);
        environmentIdArgument(opts.env);
        if (opts.kind !== "service" && opts.kind !== "job")
          throw new UsageError(`--kind must be service or job, not "${opts.kind}"`);
        const dir = path.join(servicesDir(program), svc);
        const file = path.join(dir, "service.yaml");
        if (fs.existsSync(file)) throw new UsageError(`${file} already exists`);
        const notes: string[] = [];
        const choices = choose(svc, opts.env, opts.kind, opts, {}, notes);
        const text = serviceTemplate(svc, { owner: opts.owner, name: opts.name, env: opts.env, ...choices });
        assertValid(file, text);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file, text);
        const { projectId } = choices;
        const stack = stackNameOf(svc, opts.env);
        const stackPath = stackFile(servicesDir(program), stack, projectId);
        console.log(`Wrote ${file} (environment ${opts.env}, project ${projectId}) and ${stackPath}`);
        for (const n of notes) console.log(`  ${n}`);
        const where = servicesArgument(program);
        console.log(
          `Next: edit the spec, then npx msp${where} validate and npx msp${where} preview ${stack}`,
        );
      },
    );
  program
    .command("init-env")
    .description("add an environment to a service's spec, keeping its comments")
    .argument("<service>", "service ID (a folder of --services)")
    .argument("<env>", "environment ID (lowercase letters and digits)")
    .option("--category <category>", CHOICE_HELP.category)
    .option("--domain <domain>", CHOICE_HELP.domain)
    .option("--database <database>", `${CHOICE_HELP.database} (default: as the other environments)`)
    .action((svc: string, env: string, opts: ChoiceFlags) => {
      serviceIdArgument(svc);
      environmentIdArgument(env);
      const file = path.join(servicesDir(program), svc, "service.yaml");
      let text: string;
      try {
        // A regular file of bounded size inside the services folder (no FIFO, device or symlink out of it).
        text = readRegularFile(file, { maxBytes: MAX_SPEC_BYTES, within: servicesDir(program) }).toString(
          "utf8",
        );
      } catch (e) {
        if (!(e instanceof FileReadError)) throw e;
        throw new UsageError(
          e.problem === "not-found" ? `unknown service "${svc}" (no ${file})` : `${file}: ${e.message}`,
        );
      }
      const doc = parseDocument(text);
      const envs = doc.get("environments");
      if (!isSeq(envs)) throw new UsageError(`${file} has no environments list`);
      const existing = envs.items.filter(isMap);
      if (existing.some((e) => e.get("id") === env))
        throw new UsageError(`${svc} already has environment "${env}"`);
      const kind = doc.getIn(["service", "kind"]) === "job" ? "job" : "service";
      const postgres = existing.length
        ? existing.some((e) => e.hasIn(["resources", "postgreSQL"]))
        : undefined;
      const domains = existing.map(
        (e) =>
          `${String(e.getIn(["domain", "cloudflare", "subdomain"]))}.${String(e.getIn(["domain", "cloudflare", "zone"]))}`,
      );
      const notes: string[] = [];
      const choices = choose(svc, env, kind, opts, { postgres, domains }, notes);
      // Append the commented template as text after the last environment, so every existing comment stays.
      const lines = text.split("\n");
      const end = envs.range ? text.slice(0, envs.range[1]).split("\n").length : lines.length;
      let at = Math.min(end, lines.length);
      while (at > 0 && lines[at - 1]!.trim() === "") at--;
      lines.splice(at, 0, environmentTemplate(svc, env, choices));
      const updated = lines.join("\n");
      assertValid(file, updated);
      fs.writeFileSync(file, updated);
      const { projectId } = choices;
      const stack = stackNameOf(svc, env);
      const stackPath = stackFile(servicesDir(program), stack, projectId);
      console.log(`Added environment ${env} (project ${projectId}) to ${file}; wrote ${stackPath}`);
      for (const n of notes) console.log(`  ${n}`);
      const where = servicesArgument(program);
      console.log(`Next: npx msp${where} validate and npx msp${where} preview ${stack}`);
    });
}
