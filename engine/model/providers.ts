/** Provider resources (`pulumi:providers:<package>`): configured, not created in the cloud. */
import { uuid, type ResourceModel } from "./define";

/** The packages the program may configure providers of. */
export const PROVIDER_PACKAGES = [
  "gcp",
  "cloudflare",
  "random",
  "postgresql",
  "sentry",
  "time",
  "pagerduty",
] as const;

export const providerModels: Record<string, ResourceModel> = Object.fromEntries(
  PROVIDER_PACKAGES.map((pkg) => [
    `pulumi:providers:${pkg}`,
    (_inputs, ctx) => ({ id: uuid(`provider/${pkg}/${ctx.name}`), state: {} }),
  ]),
);
