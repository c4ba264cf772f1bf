import * as gcp from "@pulumi/gcp";
import { stackPolicy, levels, listOf, resourcesOf, membersOf, stringOf } from "../define";
import { secretProjectProblem, type PolicySettings } from "../../servicespec/security-rules";
import { parseSecretReference } from "../../servicespec/values";

/** What a Cloud Run service's or job's revision template says about secrets. */
interface RevisionTemplate {
  containers?: {
    envs?: { name: string; valueSource?: { secretKeyRef?: { secret?: string } } }[];
  }[];
  volumes?: { name: string; secret?: { secret?: string } }[];
}

interface Config {
  sharedSecretsProject: string;
  secretProjects: string[];
}

/** The project a secret reference (name, projects/<p>/secrets/<n>) lives in; undefined: the provider's. */
const projectOfSecret = (ref: unknown) => {
  const name = stringOf(ref);
  return name ? parseSecretReference(name).project : undefined;
};

export const gcpSecretAccessAllowlist = stackPolicy<Config>({
  name: "gcp-secret-access-allowlist",
  description:
    "Workloads read secrets only from their environment's project or an allowlisted project, never from the platform's shared secrets project.",
  severity: "critical",
  remediation:
    "Keep secrets in the environment's project, or in a project listed in msp:secretProjects (Pulumi.yaml; `npx msp policy docs` writes it into policy/config). The shared secrets project (msp:sharedSecretsProject) is read only by the deployment, through data sources.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP cross-project secrets", "least privilege (CIS 1.x)"],
    configFromPlatform: (s) => ({
      sharedSecretsProject: s.sharedSecretsProject ?? "",
      secretProjects: [...s.secretProjects],
    }),
  },
  config: {
    sharedSecretsProject: {
      type: "string",
      default: "",
      description: "The platform's credentials project (generated from msp:sharedSecretsProject).",
    },
    secretProjects: {
      type: "array",
      items: { type: "string" },
      // Fail closed: without the generated configuration only the environment's own project is allowed.
      default: [],
      description: "Other projects workloads may read secrets from (generated from msp:secretProjects).",
    },
  },
  validate: (args, report, config) => {
    const settings: PolicySettings = {
      sharedSecretsProject: config.sharedSecretsProject || undefined,
      secretProjects: config.secretProjects,
    };
    // The environment's project is the one this stack creates; without one, only allowlisted projects pass.
    const own = stringOf(resourcesOf(args, gcp.organizations.Project)[0]?.props.projectId) ?? "";
    const verify = (project: unknown, what: string, urn: string) => {
      const problem = typeof project === "string" && project && secretProjectProblem(project, own, settings);
      if (problem) report(`${what} reads secrets of project "${project}": ${problem}.`, urn);
    };

    for (const cls of [gcp.secretmanager.SecretIamMember, gcp.secretmanager.SecretIamBinding] as const)
      for (const { resource, props } of resourcesOf(args, cls as typeof gcp.secretmanager.SecretIamMember))
        verify(
          props.project ?? projectOfSecret(props.secretId),
          `${props.role} for ${membersOf(props).join(", ")}`,
          resource.urn,
        );
    for (const { resource, props } of resourcesOf(args, gcp.secretmanager.SecretIamPolicy))
      verify(props.project ?? projectOfSecret(props.secretId), "A secret IAM policy", resource.urn);
    for (const cls of [gcp.projects.IAMMember, gcp.projects.IAMBinding] as const)
      for (const { resource, props } of resourcesOf(args, cls as typeof gcp.projects.IAMMember))
        if (stringOf(props.role)?.startsWith("roles/secretmanager."))
          verify(props.project, `${props.role} on a whole project`, resource.urn);

    /** The secrets a revision template reads, through its variables and volumes. */
    const verifyTemplate = (t: RevisionTemplate | undefined, urn: string) => {
      const problem = (m: string) => report(m, urn);
      for (const [i, c] of listOf(t?.containers, "containers", problem).entries())
        for (const e of listOf(c.envs, `containers[${i}].envs`, problem))
          verify(projectOfSecret(e.valueSource?.secretKeyRef?.secret), `Variable ${e.name}`, urn);
      for (const v of listOf(t?.volumes, "volumes", problem))
        verify(projectOfSecret(v.secret?.secret), `Volume ${v.name}`, urn);
    };
    for (const { resource, props } of resourcesOf(args, gcp.cloudrunv2.Service))
      verifyTemplate(props.template, resource.urn);
    for (const { resource, props } of resourcesOf(args, gcp.cloudrunv2.Job))
      verifyTemplate(props.template?.template, resource.urn);
  },
});
