/**
 * The offline cloud model: what GCP, Cloudflare, random, PostgreSQL, Sentry and time return for every resource type and data source
 * the platform uses, one module per provider area. A type or data source without an entry is an error
 * naming it: the plan never shows a value the model did not decide on.
 */
import type { Created, DataSourceModel, ModelContext, ResourceModel, SameInput } from "./define";
import { API_RETURNS, PROVIDER_COMPARISONS } from "./returns";
import { projectModels } from "./projects";
import { secretDataSources, secretModels } from "./secrets";
import { networkModels } from "./network";
import { databaseModels } from "./databases";
import { cloudRunModels } from "./cloudrun";
import { loadBalancerModels } from "./load-balancer";
import { monitoringModels } from "./monitoring";
import { deliveryModels } from "./delivery";
import { cloudflareDataSources, cloudflareModels } from "./cloudflare";
import { randomModels } from "./random";
import { providerModels } from "./providers";
import { postgresqlModels } from "./postgresql";
import { sentryDataSources, sentryModels } from "./sentry";
import { artifactRegistryDataSources, artifactRegistryModels } from "./artifact-registry";
import { timeModels } from "./time";
import { datastreamModels } from "./datastream";
import { pagerDutyDataSources, pagerDutyModels } from "./pagerduty";

export { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6 } from "./cloudflare";
export type { Created, ModelContext, SameInput } from "./define";

/** Resource models by type token (`gcp:sql/databaseInstance:DatabaseInstance`). */
export const RESOURCE_MODELS: Readonly<Record<string, ResourceModel>> = {
  ...providerModels,
  ...projectModels,
  ...secretModels,
  ...networkModels,
  ...databaseModels,
  ...datastreamModels,
  ...cloudRunModels,
  ...loadBalancerModels,
  ...monitoringModels,
  ...deliveryModels,
  ...cloudflareModels,
  ...randomModels,
  ...postgresqlModels,
  ...sentryModels,
  ...pagerDutyModels,
  ...timeModels,
  ...artifactRegistryModels,
};

/** Data source models by function token (`gcp:secretmanager/getSecretVersion:getSecretVersion`). */
export const DATA_SOURCE_MODELS: Readonly<Record<string, DataSourceModel>> = {
  ...secretDataSources,
  ...cloudflareDataSources,
  ...artifactRegistryDataSources,
  ...sentryDataSources,
  ...pagerDutyDataSources,
};

export class UnmodelledError extends Error {
  constructor(kind: "resource type" | "data source", token: string) {
    super(
      `the offline cloud model has no ${kind} ${token}: add it to engine/model/ (and, for a resource type, to the allowed types of the policy pack)`,
    );
    this.name = "UnmodelledError";
  }
}

const has = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key);

/** What the provider would create for a custom resource of `type`. Components (`msp:*`) are not modelled. */
export function createResource(
  type: string,
  inputs: Record<string, unknown>,
  ctx: ModelContext,
): Created<object> {
  if (!has(RESOURCE_MODELS, type)) throw new UnmodelledError("resource type", type);
  return RESOURCE_MODELS[type]!(inputs, ctx);
}

/** The result of the data source `token` for these arguments. */
export function invokeDataSource(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (!has(DATA_SOURCE_MODELS, token)) throw new UnmodelledError("data source", token);
  return DATA_SOURCE_MODELS[token]!(inputs);
}

/**
 * The inputs the API stores differently from how they were sent (engine/model/returns.ts), as it returns them;
 * `{}` for a type whose inputs are stored as sent.
 */
export function returnedInputs(
  type: string,
  inputs: Record<string, unknown>,
  ctx: ModelContext,
): Record<string, unknown> {
  return has(API_RETURNS, type) ? API_RETURNS[type]!(inputs, ctx) : {};
}

/** The provider's comparison of a stored input with a planned one, when it is not plain JSON equality. */
export function providerComparison(type: string, input: string): SameInput | undefined {
  if (!has(PROVIDER_COMPARISONS, type)) return undefined;
  const byInput = PROVIDER_COMPARISONS[type]!;
  return has(byInput, input) ? byInput[input] : undefined;
}
