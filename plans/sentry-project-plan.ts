/** Sentry per service environment (reference §2.3 "Sentry", §5): names and links, pure. */

/** MSP's Sentry project slug: `<service>-<env>`. */
export const sentryProjectSlug = (serviceId: string, envId: string) => `${serviceId}-${envId}`;

/** The project's name as MSP shows it: `<service name> - <env>`. */
export const sentryProjectName = (serviceName: string, envId: string) => `${serviceName} - ${envId}`;

/** The project's page in the organization's Sentry (the handbook's Errors row). */
export const sentryProjectUrl = (organization: string, slug: string) =>
  `https://${organization}.sentry.io/projects/${slug}/`;

/** MSP names the client key after the platform. */
export const SENTRY_KEY_NAME = "Managed Services Platform";

/** Secret Manager secret holding the DSN; the container reads it as SENTRY_DSN. */
export const SENTRY_DSN_SECRET = "SENTRY_DSN";
