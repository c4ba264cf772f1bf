import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf, stringOf } from "../define";

export const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|DSN|CREDENTIAL)/i;

function checkEnvs(
  containers: readonly { envs?: readonly { name: string; value?: string }[] }[] | undefined,
  report: (m: string) => void,
) {
  for (const [i, c] of listOf(containers, "containers", report).entries())
    for (const e of listOf(c.envs, `containers[${i}].envs`, report))
      if (SECRET_NAME.test(stringOf(e.name) ?? "") && e.value !== undefined)
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
