/**
 * `msp doctor --online`: what the caller's gcloud credentials can read, read-only: the billing account is open,
 * each folder is active, and the shared secrets the deploy reads have an enabled latest version. Only with
 * gcloud installed and logged in; otherwise each of these is reported as not checked, with why.
 */
import { spawnSync } from "node:child_process";
import type { Check } from "./checks";

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  /** The command could not be started (gcloud not installed). */
  readonly missing?: boolean;
}
export type Runner = (argv: readonly string[]) => RunResult;

/** Runs a command without a shell (arguments are never interpreted), with a time limit. */
export const runCommand: Runner = (argv) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 60_000 });
  const missing = !!r.error && "code" in r.error && r.error.code === "ENOENT";
  return { status: r.status, stdout: r.stdout ?? "", missing };
};

interface OnlineSettings {
  billingAccount?: unknown;
  folders?: unknown;
  sharedSecretsProject?: unknown;
  originCertificateSecret?: unknown;
  originKeySecret?: unknown;
  slackTokenSecret?: unknown;
  sentryOrganization?: unknown;
  sentryTokenSecret?: unknown;
}

const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;

export function onlineChecks(settings: OnlineSettings, run: Runner = runCommand): Check[] {
  const auth = run(["gcloud", "auth", "list", "--filter=status:ACTIVE", "--format=value(account)"]);
  const account = auth.stdout.trim().split("\n")[0];
  if (auth.missing || auth.status !== 0 || !account)
    return [
      {
        subject: "Google Cloud (--online)",
        status: "unchecked",
        detail: auth.missing ? "gcloud is not installed" : "gcloud has no active account",
        fix: "install the Google Cloud CLI and run gcloud auth login, then msp doctor --online again",
      },
    ];
  const checks: Check[] = [];
  const read = (subject: string, argv: string[], expect: string, fix: string) => {
    const r = run(argv);
    const value = r.stdout.trim();
    checks.push(
      r.status === 0 && value === expect
        ? { subject, status: "ok", detail: `${account} reads it: ${value}` }
        : {
            subject,
            status: "fail",
            detail:
              r.status === 0
                ? `${value || "(empty)"}, not ${expect}`
                : `${account} cannot read it (gcloud exit ${r.status})`,
            fix,
          },
    );
  };
  if (str(settings.billingAccount))
    read(
      "msp:billingAccount (online)",
      ["gcloud", "billing", "accounts", "describe", settings.billingAccount, "--format=value(open)"],
      "True",
      "an open billing account the deploy identity holds roles/billing.user on",
    );
  if (settings.folders && typeof settings.folders === "object")
    for (const [category, folder] of Object.entries(settings.folders as Record<string, unknown>))
      if (str(folder))
        read(
          `msp:folders.${category} (online)`,
          [
            "gcloud",
            "resource-manager",
            "folders",
            "describe",
            folder.replace(/^folders\//, ""),
            "--format=value(lifecycleState)",
          ],
          "ACTIVE",
          "an active folder the deploy identity holds roles/resourcemanager.projectCreator on",
        );
  const project = settings.sharedSecretsProject;
  const secrets = [settings.originCertificateSecret, settings.originKeySecret, settings.slackTokenSecret];
  if (str(settings.sentryOrganization)) secrets.push(settings.sentryTokenSecret);
  if (str(project))
    for (const secret of secrets.filter(str))
      read(
        `secret ${secret} (online)`,
        [
          "gcloud",
          "secrets",
          "versions",
          "describe",
          "latest",
          `--secret=${secret}`,
          `--project=${project}`,
          "--format=value(state)",
        ],
        "ENABLED",
        `gcloud secrets create ${secret} --project=${project}, then gcloud secrets versions add ${secret} --project=${project} --data-file=<file>`,
      );
  return checks;
}
