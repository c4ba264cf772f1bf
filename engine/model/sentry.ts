/**
 * Sentry (the @pulumiverse/sentry provider): a project per service environment, its client key, its Slack issue
 * alert rule and the organization's integrations that rule posts through.
 */
import type * as sentry from "@pulumiverse/sentry";
import {
  dataSourceModel,
  hash,
  num,
  resourceModel,
  str,
  type DataSourceModel,
  type ResourceModel,
} from "./define";

/** The ingest host of an organization's DSNs (`o<org number>.ingest.sentry.io`). */
const ingestHost = (organization: string) => `o${num(`sentry-org/${organization}`, 6)}.ingest.sentry.io`;

export const sentryModels: Record<string, ResourceModel> = {
  "sentry:index/sentryProject:SentryProject": resourceModel<typeof sentry.SentryProject>().onCreate(
    (inputs, ctx) => {
      const organization = str(inputs.organization);
      const slug = str(inputs.slug, ctx.name);
      const projectId = num(`sentry-project/${organization}/${slug}`, 7);
      return {
        id: `${organization}/${slug}`,
        state: { projectId, internalId: projectId, status: "active", isPublic: false, color: "#3f70bf" },
      };
    },
  ),
  "sentry:index/sentryKey:SentryKey": resourceModel<typeof sentry.SentryKey>().onCreate((inputs) => {
    const organization = str(inputs.organization);
    const project = str(inputs.project);
    const projectId = Number(num(`sentry-project/${organization}/${project}`, 7));
    const publicKey = hash(`sentry-key/public/${organization}/${project}/${str(inputs.name)}`, 32);
    const secretKey = `offline-${hash(`sentry-key/secret/${organization}/${project}`, 24)}`;
    const dsn = (key: string) => `https://${key}@${ingestHost(organization)}/${projectId}`;
    return {
      id: `${organization}/${project}/${publicKey}`,
      state: {
        projectId,
        public: publicKey,
        secret: secretKey,
        dsnPublic: dsn(publicKey),
        dsnSecret: dsn(`${publicKey}:${secretKey}`),
        dsnCsp: `https://${ingestHost(organization)}/api/${projectId}/security/?sentry_key=${publicKey}`,
        isActive: true,
        rateLimitCount: 0,
        rateLimitWindow: 0,
      },
    };
  }),
  // The provider's ID of an issue alert is `<organization>/<project>/<rule ID>` (terraform-provider-sentry
  // resource_sentry_issue_alert.go, buildThreePartID), the rule ID a number Sentry assigns.
  "sentry:index/sentryIssueAlert:SentryIssueAlert": resourceModel<typeof sentry.SentryIssueAlert>().onCreate(
    (inputs, ctx) => {
      const organization = str(inputs.organization);
      const project = str(inputs.project);
      const internalId = num(`sentry-rule/${organization}/${project}/${str(inputs.name, ctx.name)}`, 7);
      return { id: `${organization}/${project}/${internalId}`, state: { internalId } };
    },
  ),
};

/**
 * The offline organization has every integration the platform names: a Slack integration the settings name
 * exists, with a stable numeric ID (GET /api/0/organizations/{org}/integrations/?provider_key=slack lists
 * `id`, `name` and `provider.key`; the data source fails when none matches).
 */
export const sentryDataSources: Record<string, DataSourceModel> = {
  "sentry:index/getSentryOrganizationIntegration:getSentryOrganizationIntegration": dataSourceModel<
    typeof sentry.getSentryOrganizationIntegration
  >().onInvoke((args) => {
    const internalId = num(`sentry-integration/${args.organization}/${args.providerKey}/${args.name}`, 6);
    return {
      id: internalId,
      internalId,
      name: args.name,
      organization: args.organization,
      providerKey: args.providerKey,
    };
  }),
};
