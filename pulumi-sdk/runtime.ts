/**
 * The Pulumi runtime's internals the offline runner (runner/run.ts) uses: pointing the SDK at an in-process
 * resource monitor (`setMockOptions`), the monitor protocol's response messages, the protobuf Struct class the
 * SDK itself loads, and the runner's fast paths (patches of SDK members). Written for pulumi-sdk/versions.ts's
 * @pulumi/pulumi; test/pulumi-sdk/sdk-internals.test.ts checks each member still exists and behaves as used.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";

export type { Struct };

const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise<T>(p: Promise<T>, ctx?: unknown): Promise<T>;
};
const resproto = require("@pulumi/pulumi/proto/resource_pb") as {
  SupportsFeatureResponse: new () => { setHassupport(v: boolean): void };
  RegisterPackageResponse: new () => { setRef(v: string): void };
};
const provproto = require("@pulumi/pulumi/proto/provider_pb") as {
  InvokeResponse: new () => { setReturn(v: Struct): void };
};
/** google-protobuf as the SDK loads it (its dependency, not ours): the same Struct class the SDK reads. */
const { Struct: StructClass } = createRequire(require.resolve("@pulumi/pulumi"))(
  "google-protobuf/google/protobuf/struct_pb",
) as { Struct: typeof Struct };
/** The real conversion, for the answers to invokes even during a run (the SDK reads their fields as protobuf). */
export const structFromJavaScript = StructClass.fromJavaScript.bind(StructClass);

/** Points the SDK's runtime at `monitor` for the stack `stack` of `project` (`preview`: computed values unknown). */
export const setMockMonitor = (monitor: unknown, project: string, stack: string, preview: boolean) =>
  settings.setMockOptions(monitor, project, stack, preview);
/** Resolves when every registration the program started has been answered. */
export const waitForRPCs = () => settings.waitForRPCs();

export const supportsFeatureResponse = (has: boolean) => {
  const response = new resproto.SupportsFeatureResponse();
  response.setHassupport(has);
  return response;
};
export const registerPackageResponse = (ref: string) => {
  const response = new resproto.RegisterPackageResponse();
  response.setRef(ref);
  return response;
};
export const invokeResponse = (returned: Struct) => {
  const response = new provproto.InvokeResponse();
  response.setReturn(returned);
  return response;
};

let fastPaths = false;

/**
 * Offline fast paths (installed once per process). For every resource the SDK captures a full stack trace (its
 * source position, for the engine's error messages) and wraps every internal promise for leak reports; the
 * offline engine records neither (withoutStructConversion, below, skips a third cost during runs only). The
 * entry-point differential test (test/program/entry-differential.e2e.test.ts) runs the unmodified SDK and proves
 * these change nothing the engine is told; test/pulumi-sdk/sdk-internals.test.ts checks that these members still
 * exist.
 */
export function useOfflineFastPaths(): void {
  if (fastPaths) return;
  fastPaths = true;
  (pulumi.Resource as unknown as { callsites: () => unknown[] }).callsites = () => [];
  debuggable.debuggablePromise = <T>(p: Promise<T>) => p;
}

/**
 * The SDK converts every request's serialised properties to a protobuf Struct, which the monitor here turns
 * straight back into JavaScript: while a run lasts, the conversion hands the monitor the SDK's own (freshly
 * serialised, never reused) object, in a Struct whose `toJavaScript` returns it. Nothing offline serialises a
 * request, but other code in the process may build Structs meanwhile (a test's gRPC server answering a program
 * in another process did, and sent empty objects): whatever reads such a Struct as protobuf (its fields, to
 * serialise it) gets the real conversion, made then. Returns the function that restores the conversion.
 */
export function withoutStructConversion(): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(StructClass, "fromJavaScript")!;
  StructClass.fromJavaScript = (value) => {
    const holder = new StructClass();
    holder.toJavaScript = () => value;
    let real: Struct | undefined;
    holder.getFieldsMap = () => (real ??= structFromJavaScript(value)).getFieldsMap();
    return holder;
  };
  return () => Object.defineProperty(StructClass, "fromJavaScript", descriptor);
}
