/**
 * `msp doctor`'s checks, pure: the platform settings (platform/settings.ts) as a real first deploy needs them,
 * the state backend and its secrets, and what the workflows need from GitHub. Each check says what holds, what
 * does not and the fix, or plainly that it was not checked (and why). Nothing here reads files or calls a
 * cloud: the command (cli/commands/doctor.ts) reads the repository, doctor/online.ts asks Google Cloud.
 */
import { platformSettingsSchema } from "../platform/settings";

export type CheckStatus = "ok" | "fail" | "unchecked";

export interface Check {
  /** What is checked, e.g. `msp:billingAccount`. */
  readonly subject: string;
  readonly status: CheckStatus;
  /** What was found (ok, fail) or why it was not checked. */
  readonly detail: string;
  /** How to fix it (fail), or how to check it by hand (unchecked). */
  readonly fix?: string;
}

const ok = (subject: string, detail: string): Check => ({ subject, status: "ok", detail });
const fail = (subject: string, detail: string, fix: string): Check => ({
  subject,
  status: "fail",
  detail,
  fix,
});
const unchecked = (subject: string, detail: string, fix?: string): Check => ({
  subject,
  status: "unchecked",
  detail,
  fix,
});

/**
 * A billing account ID as Cloud Billing writes it: three groups of six upper-case hex digits
 * (https://cloud.google.com/billing/docs/how-to/find-billing-account-id). Project creation checks billing
 * permissions on it first, so a placeholder stops the first deploy before anything exists (real-path.md:
 * magic-modules resource_google_project.go, resourceGoogleProjectCheckPreRequisites).
 */
const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
/**
 * A folder as the Resource Manager API names it, `folders/<numeric ID>`
 * (https://cloud.google.com/resource-manager/reference/rest/v3/folders): IDs are positive integers, so a
 * leading zero (`folders/000000000001`) is a placeholder, not a folder.
 */
const FOLDER = /^folders\/[1-9][0-9]{0,18}$/;
/** A project ID (https://cloud.google.com/resource-manager/docs/creating-managing-projects): 6-30 characters. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

const SETTINGS_FIX = "set it in Pulumi.yaml's config (README: Adopting msp in your organisation)";

/** The settings' presence and shape: every problem at once, each with its key. */
export function checkSettingsShape(values: Record<string, unknown>): Check[] {
  const parsed = platformSettingsSchema.safeParse(values);
  if (parsed.success) return [ok("platform settings", "every msp:* setting is present and well-formed")];
  return parsed.error.issues.map((issue) => {
    const key = `msp:${issue.path.join(".")}`;
    const missing = values[String(issue.path[0])] === undefined;
    return fail(key, missing ? "missing" : issue.message, SETTINGS_FIX);
  });
}

/** The values a real deploy needs to be real: no placeholder billing account, folders or project IDs. */
export function checkSettingsValues(values: Record<string, unknown>): Check[] {
  const checks: Check[] = [];
  const billing = values.billingAccount;
  if (typeof billing === "string")
    checks.push(
      BILLING_ACCOUNT.test(billing) && !/^[0-]+$/.test(billing)
        ? ok("msp:billingAccount", `${billing} has the shape of a billing account`)
        : fail(
            "msp:billingAccount",
            /^[0-]+$/.test(billing)
              ? `${billing} is a placeholder: project creation checks billing permissions on it first and stops`
              : `${JSON.stringify(billing)} is not a billing account ID (XXXXXX-XXXXXX-XXXXXX, upper-case hex)`,
            "set msp:billingAccount in Pulumi.yaml to the account `gcloud billing accounts list` shows; the deploy identity needs billing.resourceAssociations.create on it (roles/billing.user)",
          ),
    );
  const folders = values.folders;
  if (folders && typeof folders === "object")
    for (const [category, folder] of Object.entries(folders as Record<string, unknown>)) {
      const subject = `msp:folders.${category}`;
      if (typeof folder !== "string") continue;
      checks.push(
        FOLDER.test(folder)
          ? ok(subject, `${folder} has the shape of a folder`)
          : fail(
              subject,
              /^folders\/0+\d?$/.test(folder) || /^folders\/0/.test(folder)
                ? `${folder} is a placeholder (folder IDs are positive integers): nothing can be created in it`
                : `${JSON.stringify(folder)} is not folders/<numeric ID>`,
              "set msp:folders in Pulumi.yaml to your folders (`gcloud resource-manager folders list --organization <org ID>`); the deploy identity needs resourcemanager.projects.create there (roles/resourcemanager.projectCreator)",
            ),
      );
    }
  const projects: [string, unknown][] = [["msp:sharedSecretsProject", values.sharedSecretsProject]];
  if (Array.isArray(values.secretProjects))
    values.secretProjects.forEach((p, i) => projects.push([`msp:secretProjects[${i}]`, p]));
  for (const [subject, project] of projects)
    if (typeof project === "string")
      checks.push(
        PROJECT_ID.test(project)
          ? ok(subject, `${project} is a valid project ID`)
          : fail(
              subject,
              `${JSON.stringify(project)} is not a project ID`,
              "6-30 characters: a-z, 0-9 and -",
            ),
      );
  return checks;
}

/** DIY backends (https://www.pulumi.com/docs/iac/concepts/state-and-backends/): Pulumi does not hold secrets. */
const DIY_BACKEND = /^(gs|s3|azblob|file|postgres):\/\//;
/** Secrets providers that need no passphrase (https://www.pulumi.com/docs/iac/concepts/secrets/). */
const KMS_PROVIDER = /^(gcpkms|awskms|azurekeyvault|hashivault):\/\//;

export interface StateBackendInput {
  /** The backend URL and where it came from, when known (PULUMI_BACKEND_URL, Pulumi.yaml backend.url). */
  readonly backendUrl?: { readonly url: string; readonly source: string };
  /** PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE is set (not empty). */
  readonly passphrase: boolean;
  /** PULUMI_SECRETS_PROVIDER (what the deploy workflow passes `pulumi stack select --create`). */
  readonly secretsProvider?: string;
  /** Stack files' `secretsprovider:`, by file. */
  readonly stackProviders: Readonly<Record<string, string>>;
}

/**
 * A DIY backend (GCS bucket, ...) encrypts stack secrets with a passphrase or a KMS key; Pulumi Cloud holds them
 * itself. Without either, `pulumi stack select --create` asks for a passphrase (fails in CI) or, with an empty
 * one set, encrypts with the empty passphrase (real-path.md: Pulumi state docs).
 */
export function checkStateBackend(input: StateBackendInput): Check[] {
  const subject = "state backend";
  if (!input.backendUrl)
    return [
      unchecked(
        subject,
        "no backend here (PULUMI_BACKEND_URL unset, no backend.url in Pulumi.yaml): the workflows take it from the GitHub variable PULUMI_BACKEND_URL (empty: Pulumi Cloud with PULUMI_ACCESS_TOKEN), which doctor cannot read offline",
        "run doctor with PULUMI_BACKEND_URL (and the secrets) as the workflows set them, or `pulumi whoami -v`",
      ),
    ];
  const { url, source } = input.backendUrl;
  if (!DIY_BACKEND.test(url))
    return [ok(subject, `${url} (${source}) keeps stack secrets itself: no passphrase needed`)];
  const kms = [input.secretsProvider, ...Object.values(input.stackProviders)].filter(
    (p): p is string => !!p && KMS_PROVIDER.test(p),
  );
  const passphraseStacks = Object.entries(input.stackProviders)
    .filter(([, p]) => !KMS_PROVIDER.test(p))
    .map(([f]) => f);
  if (input.secretsProvider && !KMS_PROVIDER.test(input.secretsProvider))
    return [
      fail(
        subject,
        `PULUMI_SECRETS_PROVIDER=${input.secretsProvider} is not a KMS provider`,
        "use gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k> (or awskms://, azurekeyvault://, hashivault://), or unset it and set PULUMI_CONFIG_PASSPHRASE",
      ),
    ];
  if (input.passphrase)
    return [ok(subject, `${url} (${source}): stack secrets encrypted with PULUMI_CONFIG_PASSPHRASE`)];
  if (input.secretsProvider && KMS_PROVIDER.test(input.secretsProvider) && passphraseStacks.length === 0)
    return [ok(subject, `${url} (${source}): stack secrets encrypted with ${input.secretsProvider}`)];
  return [
    fail(
      subject,
      `${url} (${source}) is a DIY backend: Pulumi keeps no secrets there, and neither PULUMI_CONFIG_PASSPHRASE nor a KMS secrets provider is set${kms.length ? ` for every stack (${passphraseStacks.join(", ")} use a passphrase)` : ""}`,
      "set the GitHub secret PULUMI_CONFIG_PASSPHRASE (the workflows pass it) or the variable PULUMI_SECRETS_PROVIDER=gcpkms://... (new stacks are created with it; the deploy identity needs roles/cloudkms.cryptoKeyEncrypterDecrypter on the key)",
    ),
  ];
}

/** Where a workflow takes a value from: `vars.X` or `secrets.X`, by environment (`` for repository-wide). */
export interface WorkflowNeeds {
  readonly vars: ReadonlyMap<string, ReadonlySet<string>>;
  readonly secrets: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The GitHub variables and secrets the workflows read, each with the environments of the jobs reading it. */
export function workflowNeeds(jobs: readonly { environment?: string; text: string }[]): WorkflowNeeds {
  const vars = new Map<string, Set<string>>();
  const secrets = new Map<string, Set<string>>();
  for (const job of jobs)
    for (const m of job.text.matchAll(/\b(vars|secrets)\.([A-Z_][A-Z0-9_]*)/g)) {
      const into = m[1] === "vars" ? vars : secrets;
      const envs = into.get(m[2]!) ?? new Set<string>();
      envs.add(job.environment ?? "");
      into.set(m[2]!, envs);
    }
  return { vars, secrets };
}

/**
 * The workflows' variables and secrets: GitHub's settings cannot be read offline, so this lists what must be
 * set where; and the state backend's secret must reach every job that runs Pulumi.
 */
export function checkWorkflows(
  needs: WorkflowNeeds,
  pulumiJobsWithoutPassphrase: readonly string[],
): Check[] {
  const where = (envs: ReadonlySet<string>) =>
    [...envs]
      .sort()
      .map((e) => (e === "" ? "repository" : e.includes("${{") ? "the deploy environments" : e))
      .filter((e, i, all) => all.indexOf(e) === i)
      .join(", ");
  const list = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    [...m.keys()]
      .sort()
      .map((k) => `${k} (${where(m.get(k)!)})`)
      .join("; ");
  const checks: Check[] = [];
  checks.push(
    pulumiJobsWithoutPassphrase.length === 0
      ? ok(
          "workflows: state secrets",
          "every job that runs Pulumi passes PULUMI_CONFIG_PASSPHRASE and PULUMI_BACKEND_URL",
        )
      : fail(
          "workflows: state secrets",
          `jobs running Pulumi without PULUMI_CONFIG_PASSPHRASE or PULUMI_BACKEND_URL: ${pulumiJobsWithoutPassphrase.join(", ")}`,
          "pass PULUMI_CONFIG_PASSPHRASE: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }} and PULUMI_BACKEND_URL: ${{ vars.PULUMI_BACKEND_URL }} in the job's env",
        ),
  );
  checks.push(
    unchecked(
      "workflows: GitHub variables",
      `not readable offline; the workflows read ${list(needs.vars)}`,
      "gh variable list --env <environment>; set each with gh variable set <NAME> --env <environment>",
    ),
    unchecked(
      "workflows: GitHub secrets",
      `not readable offline; the workflows read ${list(needs.secrets)}`,
      "gh secret list --env <environment>; set each with gh secret set <NAME> --env <environment>",
    ),
  );
  return checks;
}

/** What doctor never checks offline: the identities' roles (README: Adopting msp, identities and roles). */
export const IDENTITIES_UNCHECKED: Check = unchecked(
  "identities and roles",
  "the deploy and preview identities' roles are granted in Google Cloud; doctor does not read IAM policies",
  "compare with the README's table (Adopting msp in your organisation: identities and roles)",
);

/** Exit status: 0 when every check that ran holds (an unchecked one does not fail), 1 otherwise. */
export const doctorExitCode = (checks: readonly Check[]): 0 | 1 =>
  checks.some((c) => c.status === "fail") ? 1 : 0;
