import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|DSN|CREDENTIAL)/i;

function checkEnvs(
  containers: readonly { envs?: readonly { name: string; value?: string }[] }[] | undefined,
  report: (m: string) => void,
) {
  for (const c of containers ?? [])
    for (const e of c.envs ?? [])
      if (SECRET_NAME.test(e.name) && e.value !== undefined)
        report(`${e.name} looks like a secret but is a plain value.`);
}

export const gcpCloudrunSecretsFromGsm = resourcePolicy({
  name: "gcp-cloudrun-secrets-from-gsm",
  description:
    "Environment variables that look like secrets come from Secret Manager, never from plain values.",
  severity: "critical",
  remediation: "Move the variable from env to secretEnv in the spec (a Secret Manager secret name).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    // CIS 1.17 asks the same of Cloud Functions; Cloud Run is the platform's function runtime.
    frameworks: ["CIS 1.17", "CKV_SECRET"],
  },
  checks: [
    check(gcp.cloudrunv2.Service, (s, report) => checkEnvs(s.template?.containers, report)),
    check(gcp.cloudrunv2.Job, (j, report) => checkEnvs(j.template?.template?.containers, report)),
  ],
});
