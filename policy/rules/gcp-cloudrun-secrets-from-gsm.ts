import { resourcePolicy, levels, at, list, runContainers } from "../define";
import { T } from "../types";

export const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|DSN|CREDENTIAL)/i;

export const gcpCloudrunSecretsFromGsm = resourcePolicy({
  name: "gcp-cloudrun-secrets-from-gsm",
  description:
    "Environment variables that look like secrets come from Secret Manager, never from plain values.",
  severity: "critical",
  remediation: "Move the variable from env to secretEnv in the spec (a Secret Manager secret name).",
  meta: { group: "Security", levels: levels("M", "M", "M"), frameworks: ["CIS 1.17 analogue", "CKV_SECRET"] },
  types: [T.runService, T.runJob],
  validate: (props, report, args) => {
    for (const c of runContainers(props, args.type === T.runJob))
      for (const e of list(at(c, "envs"))) {
        const name = String(at(e, "name"));
        if (SECRET_NAME.test(name) && at(e, "value") !== undefined)
          report(`${name} looks like a secret but is a plain value.`);
      }
  },
});
