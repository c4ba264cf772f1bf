/**
 * msp init and msp init-env: a new spec from a commented template, or a new environment shaped like the
 * service's others (cli/init-spec.ts), with its stack file. Every flag problem is reported at once; the spec is
 * validated before anything is written; the spec and the stack file are written together or not at all.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { UsageError } from "../errors";
import { repoRoot, servicesArgument, servicesDir } from "../options";
import { CATEGORIES, categoryDefaults, type Category } from "../../platform/categories";
import {
  fleetIssuesOfNewSpec,
  formatIssue,
  MAX_SPEC_BYTES,
  parseServiceSpec,
  SpecError,
} from "../../servicespec/loader";
import { platformSettingsFor } from "../../program/config";
import { stackFileFor } from "../../servicespec/stack-files";
import { stackNameOf } from "../../platform/naming";
import { FileReadError, readRegularFile } from "../../servicespec/read-file";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import { requireService } from "../lookup";
import { writeFilesAtomically } from "../atomic-write";
import {
  copiedEnvironment,
  databasesOf,
  environmentText,
  environmentToCopy,
  serviceDocument,
  templateEnvironment,
  WRITE_OPTIONS,
  withServiceKey,
  type CopyNotes,
  type Domain,
  type EnvironmentChoices,
  type Kind,
} from "../init-spec";

export type { Domain, EnvironmentChoices };

const MAX_PROJECT_ID = 30;
/**
 * Tags that move (a branch or channel, not a release): a production environment does not get one unless the
 * owner asks for it with --tag.
 */
const MOVING_TAGS = new Set(["insiders", "latest", "main", "master", "stable", "dev", "edge", "nightly"]);

export const projectSuffix = (length = 4) =>
  randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);

/**
 * The category an environment name suggests, or undefined when the name says nothing. Production names
 * suggest internal, not external: serving customers is a decision the owner states with --category external.
 */
export function categoryFromEnvironmentName(env: string): Category | undefined {
  const name = /^(.*?)\d*$/.exec(env)![1]!;
  return CATEGORIES.find((c) => categoryDefaults(c).suggestedByEnvironmentNames.includes(name));
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
  const preferred = categoryDefaults(category).preferredZone;
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

interface ChoiceFlags {
  category?: string;
  domain?: string;
  database?: string;
  tag?: string;
  notionPage?: string;
}

/** What the service's existing environments suggest for a new one. */
interface Inherited {
  postgres?: boolean;
  /** Domains taken by other environments (a domain belongs to one environment). */
  domains?: string[];
  /** The environment the new one copies (its shape), when the service has one. */
  source?: YAMLMap;
  /** The spec's service.notionPageID, when it has one. */
  notionPageID?: string;
}

/** A refusal listing every reason, one per line (the error printer shows them all). */
function refusal(problems: readonly string[]): UsageError {
  return new UsageError(
    problems.length === 1
      ? problems[0]!
      : `${problems.length} problems:\n${problems.map((p) => `- ${p}`).join("\n")}`,
  );
}

/**
 * The choices for one new environment: flags first, then what the copied environment has, then defaults, each
 * default announced in `notes`. Every problem with the flags is collected and refused at once.
 */
function choose(
  svc: string,
  env: string,
  kind: Kind,
  flags: ChoiceFlags,
  inherited: Inherited,
  notes: string[],
): EnvironmentChoices {
  const problems: string[] = [];
  let category: Category | undefined;
  if (flags.category !== undefined) {
    if ((CATEGORIES as readonly string[]).includes(flags.category)) category = flags.category as Category;
    else problems.push(`--category must be one of ${CATEGORIES.join(", ")}, not "${flags.category}"`);
  } else {
    category = categoryFromEnvironmentName(env);
    if (!category)
      problems.push(
        `pass --category (${CATEGORIES.join(", ")}): the environment name "${env}" does not tell what it is for`,
      );
    else
      notes.push(
        `category: ${category} (from the environment name "${env}"; pass --category to choose: ${CATEGORIES.join(", ")})`,
      );
  }

  const zones = platformSettingsFor("", repoRoot()).allowedZones;
  let domain: Domain | undefined;
  if (kind === "job") {
    if (flags.domain !== undefined && flags.domain !== "none")
      problems.push("--domain is for services: a job has no domain");
  } else if (flags.domain !== undefined) {
    try {
      domain = parseDomainFlag(flags.domain, zones);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(e.message);
    }
  } else if (inherited.source && !inherited.source.has("domain")) {
    notes.push(
      `domain: none (like environment ${String(inherited.source.get("id"))}; pass --domain <subdomain>.<zone> for one)`,
    );
  } else if (category) {
    domain = defaultDomain(svc, env, category, zones, inherited.domains);
    notes.push(
      `domain: ${domain.subdomain}.${domain.zone} (pass --domain none or --domain <subdomain>.<zone>)`,
    );
  }

  let postgres = false;
  if (flags.database === undefined) {
    postgres = inherited.postgres ?? false;
    if (inherited.postgres !== undefined)
      notes.push(
        `database: ${postgres ? "postgres" : "none"} (like the other environments; pass --database to choose)`,
      );
  } else if (flags.database === "postgres" || flags.database === "none")
    postgres = flags.database === "postgres";
  else problems.push(`--database must be postgres or none, not "${flags.database}"`);

  const tag = category && chooseTag(category, flags.tag, inherited.source, notes, problems);

  // MSP's rule: a production environment needs the service's Notion operations page.
  let notionPageID: string | undefined;
  if (flags.notionPage !== undefined && inherited.notionPageID !== undefined)
    problems.push(
      `--notion-page: the spec already has service.notionPageID ${inherited.notionPageID} (edit the spec to change it)`,
    );
  else if (flags.notionPage !== undefined) notionPageID = flags.notionPage;
  else if (category && categoryDefaults(category).production && inherited.notionPageID === undefined)
    problems.push(
      `pass --notion-page <page id>: an ${category} environment needs service.notionPageID, the ID of the service's Notion operations page (MSP requires one for every production environment)`,
    );

  const projectId = `${svc}-${env}-${projectSuffix()}`;
  if (projectId.length > MAX_PROJECT_ID)
    problems.push(
      `the project ID ${projectId} would be ${projectId.length} characters (GCP allows ${MAX_PROJECT_ID}): choose a shorter service or environment ID`,
    );
  if (problems.length || !category || tag === undefined) throw refusal(problems);
  return { kind, category, domain, postgres, projectId, tag, notionPageID };
}

/**
 * The image tag of a manual deploy. A test environment deploys the copied tag or insiders; a production one a
 * pinned release: --tag, or the copied production environment's pinned tag, else the owner is asked for one.
 */
function chooseTag(
  category: Category,
  flag: string | undefined,
  source: YAMLMap | undefined,
  notes: string[],
  problems: string[],
): string | undefined {
  if (flag !== undefined) {
    if (/^[\w][\w.-]{0,127}$/.test(flag)) return flag;
    problems.push(`--tag must be an image tag (letters, digits, '_', '.', '-'; at most 128), not "${flag}"`);
    return undefined;
  }
  const copied = source?.getIn(["deploy", "manual", "tag"]);
  const from = source ? String(source.get("id")) : "";
  const initial = categoryDefaults(category).initialTag;
  if (initial !== undefined) {
    if (typeof copied === "string") return copied;
    return initial;
  }
  const sourceCategory = source?.get("category");
  const sourceIsProduction =
    source !== undefined &&
    !(
      (CATEGORIES as readonly unknown[]).includes(sourceCategory) &&
      !categoryDefaults(sourceCategory as Category).production
    );
  if (typeof copied === "string" && sourceIsProduction && !MOVING_TAGS.has(copied)) {
    notes.push(`tag: ${copied} (the release environment ${from} deploys; pass --tag to choose)`);
    return copied;
  }
  problems.push(
    `pass --tag <release> (e.g. --tag 1.2.3): an ${category} environment deploys a pinned image tag, not a moving one such as ${categoryDefaults("test").initialTag}${source && typeof copied === "string" ? ` (environment ${from} deploys ${copied})` : ""}`,
  );
  return undefined;
}

/** Validates the spec text before it is written, so init never leaves an invalid spec behind. */
function assertValid(file: string, text: string, services: string): void {
  try {
    parseServiceSpec(file, Buffer.from(text));
  } catch (e) {
    if (e instanceof SpecError)
      throw new UsageError(`the new spec would be invalid:\n${e.issues.map(formatIssue).join("\n")}`);
    throw e;
  }
  // Names another service already claims (a stack name met through a '-' in both IDs, a project ID): refused
  // before anything is written, as msp validate would refuse them after.
  const taken = fleetIssuesOfNewSpec(services, file, text);
  if (taken.length)
    throw new UsageError(
      `the new spec would collide with another service:\n${taken.map(formatIssue).join("\n")}`,
    );
}

/**
 * Where the stack's file goes: where the project (msp's Pulumi.yaml) keeps stack files, in the folder the
 * services folder is in (stacks/ beside services/ in this repository); undefined when there is one already.
 */
function newStackFile(
  services: string,
  svc: string,
  env: string,
  projectId: string,
): { file: string; text?: string } {
  const stack = stackNameOf(svc, env);
  const file = stackFileFor(services, svc, env);
  if (fs.existsSync(file)) return { file };
  return {
    file,
    text: `# Stack ${stack}: created by \`msp init\` or \`msp init-env\`; the spec drives everything. Never commit secrets.\nconfig:\n  gcp:project: ${projectId}\n`,
  };
}

const CHOICE_HELP = {
  category: `what the environment is for: ${CATEGORIES.join(", ")} (default: from the environment name, e.g. dev -> test, prod -> internal)`,
  domain: "none, or <subdomain>.<zone> for a Cloudflare domain (services only; default: <service>.<zone>)",
  database: "postgres for a Cloud SQL PostgreSQL database, or none",
  tag: "image tag a manual deploy runs (required for internal and external environments unless copied: a pinned release, e.g. 1.2.3; test: insiders)",
  notionPage:
    "ID of the service's Notion operations page (service.notionPageID; internal and external environments need one)",
};

/** Prints what was written, the notes, and the commands to run next. */
function report(program: Command, headline: string, notes: readonly string[], next: string): void {
  console.log(headline);
  for (const n of notes) console.log(`  ${n}`);
  const where = servicesArgument(program);
  console.log(next.replaceAll("npx msp ", `npx msp${where} `));
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description(
      "create services/<service>/service.yaml from a commented template with a first environment, and its stack file",
    )
    .argument("<service>", "service ID (lowercase letters, digits, '-'; at most 20 characters)")
    .option("--kind <kind>", "service (HTTP/gRPC) or job (scheduled)", "service")
    .option("--owner <team>", "owning team", "core-services")
    .option("--name <name>", "display name")
    .option("--env <env>", "first environment", "dev")
    .option("--category <category>", CHOICE_HELP.category)
    .option("--domain <domain>", CHOICE_HELP.domain)
    .option("--database <database>", CHOICE_HELP.database, "none")
    .option("--tag <tag>", CHOICE_HELP.tag)
    .option("--notion-page <id>", CHOICE_HELP.notionPage)
    .action(
      (svc: string, opts: { kind: string; owner: string; name?: string; env: string } & ChoiceFlags) => {
        serviceIdArgument(svc);
        environmentIdArgument(opts.env);
        if (opts.kind !== "service" && opts.kind !== "job")
          throw new UsageError(`--kind must be service or job, not "${opts.kind}"`);
        const file = path.join(servicesDir(program), svc, "service.yaml");
        if (fs.existsSync(file))
          throw new UsageError(`${file} already exists (add an environment with msp init-env)`);
        const notes: string[] = [];
        const choices = choose(svc, opts.env, opts.kind, opts, {}, notes);
        const text = serviceDocument(svc, {
          owner: opts.owner,
          name: opts.name,
          env: opts.env,
          ...choices,
        }).toString(WRITE_OPTIONS);
        assertValid(file, text, servicesDir(program));
        const stack = stackNameOf(svc, opts.env);
        const stackFile = newStackFile(servicesDir(program), svc, opts.env, choices.projectId);
        writeFilesAtomically([
          { file, text },
          ...(stackFile.text ? [{ file: stackFile.file, text: stackFile.text }] : []),
        ]);
        report(
          program,
          `Wrote ${file} (environment ${opts.env}, project ${choices.projectId}) and ${stackFile.text ? "" : "kept "}${stackFile.file}`,
          notes,
          `Next: edit the spec, then npx msp validate and npx msp preview ${stack}`,
        );
      },
    );
  program
    .command("init-env")
    .description(
      "add an environment to a service's spec, shaped like its others (databases, Redis, secrets, probes, env), keeping its comments; or write a missing stack file",
    )
    .argument("<service>", "service ID (a folder of --services)")
    .argument("<env>", "environment ID (lowercase letters, digits and '-' inside, e.g. prod-eu)")
    .option("--category <category>", CHOICE_HELP.category)
    .option("--domain <domain>", CHOICE_HELP.domain)
    .option("--database <database>", `${CHOICE_HELP.database} (default: as the other environments)`)
    .option("--tag <tag>", CHOICE_HELP.tag)
    .option("--notion-page <id>", CHOICE_HELP.notionPage)
    .action((svc: string, env: string, opts: ChoiceFlags) => {
      serviceIdArgument(svc);
      environmentIdArgument(env);
      const services = servicesDir(program);
      requireService(services, svc);
      const file = path.join(services, svc, "service.yaml");
      let text: string;
      try {
        // A regular file of bounded size inside the services folder (no FIFO, device or symlink out of it).
        text = readRegularFile(file, { maxBytes: MAX_SPEC_BYTES, within: services }).toString("utf8");
      } catch (e) {
        if (!(e instanceof FileReadError)) throw e;
        throw new UsageError(`${file}: ${e.message}`);
      }
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter });
      if (doc.errors.length)
        throw new UsageError(`${file} is not valid YAML: run npx msp validate for the details`);
      const envs = doc.get("environments");
      if (!isSeq(envs)) throw new UsageError(`${file} has no environments list`);
      const existing = envs.items.filter(isMap);
      const stack = stackNameOf(svc, env);
      const already = existing.find((e) => e.get("id") === env);
      if (already) {
        // The environment exists: write its stack file if it is missing (what msp validate asks for).
        const stackFile = newStackFile(services, svc, env, String(already.get("projectID")));
        if (!stackFile.text)
          throw new UsageError(
            `${svc} already has environment "${env}" and its stack file ${stackFile.file}`,
          );
        writeFilesAtomically([{ file: stackFile.file, text: stackFile.text }]);
        report(
          program,
          `Wrote ${stackFile.file} for the existing environment ${env}`,
          [],
          `Next: npx msp validate`,
        );
        return;
      }
      const kind = doc.getIn(["service", "kind"]) === "job" ? "job" : "service";
      const postgres = existing.length
        ? existing.some((e) => e.hasIn(["resources", "postgreSQL"]))
        : undefined;
      const domains = existing.map(
        (e) =>
          `${String(e.getIn(["domain", "cloudflare", "subdomain"]))}.${String(e.getIn(["domain", "cloudflare", "zone"]))}`,
      );
      // The copied environment depends on the category, which the flags or the name decide first.
      const category =
        opts.category !== undefined && (CATEGORIES as readonly string[]).includes(opts.category)
          ? (opts.category as Category)
          : categoryFromEnvironmentName(env);
      const source = category ? environmentToCopy(existing, category) : undefined;
      const notes: string[] = [];
      const notionPageID = doc.getIn(["service", "notionPageID"]);
      const choices = choose(
        svc,
        env,
        kind,
        opts,
        {
          postgres,
          domains,
          source,
          // Any value counts as set: the spec's own check reports a malformed one.
          notionPageID:
            notionPageID === undefined || notionPageID === null
              ? undefined
              : typeof notionPageID === "string"
                ? notionPageID
                : JSON.stringify(notionPageID),
        },
        notes,
      );
      const copyNotes: CopyNotes = { copied: [], todo: [] };
      const node = source
        ? copiedEnvironment(doc, source, svc, env, choices, copyNotes)
        : templateEnvironment(doc, svc, env, choices);
      if (source && choices.postgres && !source.hasIn(["resources", "postgreSQL"])) {
        // The other environments' database names, not a new one, when some environment has them.
        const names = existing.flatMap(databasesOf);
        if (names.length)
          node.setIn(["resources", "postgreSQL", "databases"], doc.createNode([...new Set(names)]));
      }
      // The new environment goes in as text after the last one, so that the rest of the file stays as it is.
      const firstItem = lineCounter.linePos(envs.range?.[0] ?? 0);
      const indentSeq = firstItem.col > 1;
      const blank = existing.length > 1 && !!existing[1]!.spaceBefore;
      const lines = text.split("\n");
      let at = Math.min(text.slice(0, envs.range?.[1] ?? text.length).split("\n").length, lines.length);
      while (at > 0 && lines[at - 1]!.trim() === "") at--;
      lines.splice(at, 0, environmentText(node, indentSeq, blank));
      let updated = lines.join("\n");
      if (choices.notionPageID !== undefined) {
        // The service mapping comes before the environments in every spec msp writes; a spec that puts it after
        // them is re-read so that the line numbers are right.
        const lineCounter2 = new LineCounter();
        const withEnv = parseDocument(updated, { lineCounter: lineCounter2 });
        const added = withServiceKey(updated, withEnv, lineCounter2, "notionPageID", choices.notionPageID);
        if (added === undefined)
          throw new UsageError(
            `${file}: service is not a block mapping; add notionPageID: ${choices.notionPageID} under service by hand`,
          );
        updated = added;
      }
      assertValid(file, updated, services);
      const stackFile = newStackFile(services, svc, env, choices.projectId);
      writeFilesAtomically([
        { file, text: updated },
        ...(stackFile.text ? [{ file: stackFile.file, text: stackFile.text }] : []),
      ]);
      report(
        program,
        `Added environment ${env} (project ${choices.projectId}) to ${file}; ${stackFile.text ? "wrote" : "kept"} ${stackFile.file}`,
        [...copyNotes.copied, ...notes, ...copyNotes.todo.map((t) => `to do: ${t}`)],
        `Next: npx msp validate and npx msp preview ${stack}`,
      );
    });
}
