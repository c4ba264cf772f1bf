/**
 * The stacks the specs define, one per service environment, named `<service>-<env>`. No SDK here: commands that
 * only list or find stacks (msp affected, the spec locator of msp policy check) load this, not the program.
 */
import type { EnvironmentSpec } from "../servicespec/schema";
import type { LoadedService } from "../servicespec/loader";
import { stackName } from "../platform/naming";

export interface StackTarget {
  service: LoadedService;
  env: EnvironmentSpec;
  /** `<service>-<env>` */
  name: string;
}

export function listStacks(services: readonly LoadedService[]): StackTarget[] {
  return services.flatMap((service) =>
    service.spec.environments.map((env) => ({ service, env, name: stackName(service.spec, env) })),
  );
}

export function findStack(services: readonly LoadedService[], name: string): StackTarget | undefined {
  return listStacks(services).find((s) => s.name === name);
}
