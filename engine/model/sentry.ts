/** Sentry (the @pulumiverse/sentry provider): a project per service environment and its client key. */
import type * as sentry from "@pulumiverse/sentry";
import { hash, num, resourceModel, str, type ResourceModel } from "./define";

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
};
