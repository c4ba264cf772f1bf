/**
 * The services, environments and stacks a command names, found or refused with a usage error that says what
 * exists and, for a near miss, what was probably meant (servicespec/suggest.ts: one rule for every command).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SPEC_FILE, serviceIds, type LoadedService } from "../servicespec/loader";
import type { EnvironmentSpec } from "../servicespec/schema";
import { didYouMean } from "../servicespec/suggest";
import { quote } from "../servicespec/values";
import { UsageError } from "./errors";

/** Names listed in a message at most. */
const LISTED = 12;
const list = (names: readonly string[]) =>
  names.length > LISTED
    ? `${names.slice(0, LISTED).join(", ")}, ... (${names.length} in all)`
    : names.join(", ");

/** Throws a usage error unless `<dir>/<svc>/service.yaml` exists (checked first: cheaper than loading). */
export function requireService(dir: string, svc: string): void {
  if (fs.existsSync(path.join(dir, svc, SPEC_FILE))) return;
  const ids = serviceIds(dir);
  const hint = didYouMean(svc, ids);
  throw new UsageError(
    `unknown service ${quote(svc)} (no ${path.join(dir, svc, SPEC_FILE)})${hint || (ids.length ? `; services: ${list(ids)}` : "")}`,
  );
}

/** The environment `envId` of a loaded service, or a usage error naming the environments it has. */
export function requireEnvironment(service: LoadedService, envId: string): EnvironmentSpec {
  const env = service.spec.environments.find((e) => e.id === envId);
  if (env) return env;
  const ids = service.spec.environments.map((e) => e.id);
  throw new UsageError(
    `service ${quote(service.spec.service.id)} has no environment ${quote(envId)}${didYouMean(envId, ids)}; environments: ${list(ids)}`,
  );
}

/** The usage error for a stack name no spec defines. */
export function unknownStack(stack: string, stacks: readonly string[]): UsageError {
  const hint = didYouMean(stack, stacks);
  return new UsageError(`unknown stack ${quote(stack)}${hint}${hint ? "" : `; stacks: ${list(stacks)}`}`);
}
