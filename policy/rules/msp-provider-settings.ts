import * as gcp from "@pulumi/gcp";
import { stackPolicy, levels, resourcesOf, stringOf } from "../define";
import { isSet } from "../../platform/resource-types";

/**
 * Provider settings that change who the deploy acts as or where its calls go. The deploy identity is the one
 * the workflow's GitHub environment obtains through Workload Identity Federation (README, Delivery); a provider
 * with its own credentials, access token or impersonation acts as someone else, and a custom endpoint or
 * universe sends every call, with the deploy identity's token, to another server.
 */
const GCP_IDENTITY = [
  "credentials",
  "accessToken",
  "impersonateServiceAccount",
  "impersonateServiceAccountDelegates",
  "externalCredentials",
] as const;
const CLOUDFLARE_IDENTITY = ["apiToken", "apiKey", "apiUserServiceKey", "email", "baseUrl"] as const;
const GCP_PROVIDER = /^pulumi:providers:(gcp|google-beta)$/;

export const mspProviderSettings = stackPolicy({
  name: "msp-provider-settings",
  description:
    "Explicit provider settings in the program keep the deploy in the stack's own project and identity: a GCP provider's project (and billing project) is the project this stack creates, and no provider sets its own credentials, impersonation or API endpoints.",
  severity: "high",
  remediation:
    "Use the stack's provider (program/builders/foundation.ts: project and region only); reach other projects through a resource's own project field, which the other policies check; credentials come from the workflow's environment, never from the program or stack configuration.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP trust boundaries (issue 23)"],
  },
  validate: (args, report) => {
    const projects = new Set(
      resourcesOf(args, gcp.organizations.Project)
        .map((p) => stringOf(p.props.projectId))
        .filter((p): p is string => p !== undefined),
    );
    const stackProject = [...projects].join(", ") || "none: the stack creates no project";
    for (const r of args.resources) {
      const props = r.props as Record<string, unknown>;
      if (GCP_PROVIDER.test(r.type)) {
        for (const key of GCP_IDENTITY)
          if (isSet(props[key]))
            report(`The provider sets ${key}: the deploy would act as another identity than its own.`, r.urn);
        for (const key of Object.keys(props))
          if ((key.endsWith("CustomEndpoint") || key === "universeDomain") && isSet(props[key]))
            report(
              `The provider sets ${key}: its API calls, with the deploy's token, would go elsewhere.`,
              r.urn,
            );
        const project = stringOf(props.project);
        if (!project || !projects.has(project))
          report(
            `The provider's project is ${project ? `"${project}"` : "unset"}, not this stack's (${stackProject}): resources without their own project field would be created there.`,
            r.urn,
          );
        const billing = stringOf(props.billingProject);
        if (isSet(props.billingProject) && !(billing && projects.has(billing)))
          report(
            `The provider bills API calls to "${String(props.billingProject)}", not to this stack's project (${stackProject}).`,
            r.urn,
          );
      } else if (r.type === "pulumi:providers:cloudflare")
        for (const key of CLOUDFLARE_IDENTITY)
          if (isSet(props[key]))
            report(
              `The Cloudflare provider sets ${key}: the token (and the API it talks to) must be the workflow's, not the program's.`,
              r.urn,
            );
    }
  },
});
