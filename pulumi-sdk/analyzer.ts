/**
 * What the policy emulator (policy-emulator/) reads of the Pulumi engine's analyzer protocol and of
 * @pulumi/policy's internals, so that a pack evaluated in process sees what `pulumi preview --policy-pack` shows
 * it: the AnalyzeRequest messages and the runtime's special value signatures the engine sends, the Struct
 * conversion they go through, and the policy SDK's own deserialisation, unknown-value proxy, type lookup and
 * analyzer info (its policy configuration schemas). Written for pulumi-sdk/versions.ts's versions;
 * test/pulumi-sdk/sdk-internals.test.ts and the analyzer differential test
 * (test/policy-emulator/analyzer-differential.e2e.test.ts) check them.
 */
import type { EnforcementLevel, Policy } from "@pulumi/policy";
import type { Struct as StructMessage } from "google-protobuf/google/protobuf/struct_pb";
import { PolicyInfo } from "@pulumi/pulumi/proto/analyzer_pb";

export {
  AnalyzeRequest,
  AnalyzeStackRequest,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
  PolicyInfo,
} from "@pulumi/pulumi/proto/analyzer_pb";
export { Struct } from "google-protobuf/google/protobuf/struct_pb";
export {
  specialOutputValueSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";
/** What a stack policy's resources are (the type of @pulumi/pulumi's queryable module). */
export type { ResolvedResource } from "@pulumi/pulumi/queryable";

type Json = Record<string, unknown>;

const sdkProtoutil = require("@pulumi/policy/protoutil") as {
  makeAnalyzerInfo: (
    name: string,
    version: string,
    level: EnforcementLevel,
    args: { policies: readonly Policy[] },
    initialConfig: undefined,
  ) => { getPoliciesList(): PolicyInfo[]; getSupportsconfig(): boolean };
};
const sdkDeserialize = require("@pulumi/policy/deserialize") as {
  deserializeProperties: (struct: Pick<StructMessage, "toJavaScript">, proxySecrets: boolean) => Json;
};
// Exported by @pulumi/policy, but its declaration file (proxy.d.ts) is empty.
const sdkProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy: <T>(o: T) => T;
};
const sdkPolicy = require("@pulumi/policy/policy") as {
  getPulumiType: (o: unknown) => string | undefined;
  isResourcePolicy: (p: unknown) => boolean;
  isStackPolicy: (p: unknown) => boolean;
};

/** The analyzer info the policy SDK answers the engine's GetAnalyzerInfo with (policies, config schemas). */
export const makeAnalyzerInfo = sdkProtoutil.makeAnalyzerInfo;
/** The policy SDK's decoding of a resource's properties from the request's Struct. */
export const deserializeProperties = sdkDeserialize.deserializeProperties;
/** The policy SDK's proxy that throws on reading an unknown (computed) value. */
export const unknownCheckingProxy = sdkProxy.unknownCheckingProxy;
export const { getPulumiType, isResourcePolicy, isStackPolicy } = sdkPolicy;
