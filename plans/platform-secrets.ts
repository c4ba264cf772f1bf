/**
 * Secret Manager secrets the platform creates in each environment's project and fills itself (the deploy writes
 * every version): their IDs, shared by the components that create them and the container contract
 * (resolve/container.ts) that hands them to the workload. Pure: no SDK is loaded.
 */
export { SENTRY_DSN_SECRET } from "./sentry-project-plan";

/** The bearer token of /-/healthz (components/secret.ts DiagnosticsSecret). */
export const DIAGNOSTICS_SECRET_ID = "DIAGNOSTICS_SECRET";
/** `rediss://:<auth>@host:port` of the Memorystore instance (components/redis.ts). */
export const REDIS_ENDPOINT_SECRET_ID = "REDIS_ENDPOINT";
/** The Memorystore server CA certificate (components/redis.ts). */
export const REDIS_CA_SECRET_ID = "REDIS_CA_CERT";
