/**
 * The policy pack as the Pulumi CLI runs it: `pulumi-analyzer-policy <engine> . -<option>=<value>...` started in
 * policy/ (the CLI's own plugin script, vendored in test/fixtures), which runs @pulumi/pulumi's run-policy-pack
 * on package.json's "main" and prints the analyzer's gRPC port. Then the engine's side of the conversation,
 * over gRPC with the SDK's own client: GetAnalyzerInfo, Configure with the reconciled config,
 * ConfigureStack with the stack tags, Analyze per resource, AnalyzeStack.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { parse } from "yaml";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  AnalyzeResponse,
  AnalyzerInfo,
  AnalyzerStackConfigureRequest,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
  PolicySeverity,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  analyzeRequestMessage,
  analyzeStackRequestMessage,
  analyzerResource,
  resourcesByUrn,
  stackResources,
  type PolicyInput,
} from "../../policy/analyzer-request";
import {
  policyInfoFromMessage,
  reconcilePolicyPackConfig,
  type PolicyInfo,
} from "../../policy/analyzer-config";
import { engineUrn, rootStackUrn, type EvaluationResult, type Level } from "../../policy/evaluate";
import { REPO } from "./cli";

export const PACK_DIR = path.join(REPO, "policy");
const PLUGIN = path.join(REPO, "test", "fixtures", "pulumi-analyzer-policy");

export interface Analyzer {
  client: AnalyzerClient;
  info: AnalyzerInfo;
  process: ChildProcess;
  stop(): void;
}

/** The plugin's arguments, as the CLI builds them from PulumiPolicy.yaml (analyzer_plugin.go). */
export function pluginArgs(engineAddress: string): string[] {
  const yaml = parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as {
    runtime: string | { name: string; options?: Record<string, unknown> };
  };
  const options = typeof yaml.runtime === "object" ? (yaml.runtime.options ?? {}) : {};
  const args = [engineAddress, "."];
  for (const [k, v] of Object.entries(options)) if (`${String(v)}` !== "") args.push(`-${k}=${String(v)}`);
  return args;
}

/** A unary gRPC call as a promise: `call` makes the request with the callback given. */
const unary = <Res>(call: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> =>
  new Promise((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));

/** Starts the pack as the CLI does and connects to it; resolves once GetAnalyzerInfo answered. */
export async function startAnalyzer(): Promise<Analyzer> {
  // The engine address is only passed through: run-policy-pack drops it.
  const child = spawn("sh", [PLUGIN, ...pluginArgs("127.0.0.1:1")], {
    cwd: PACK_DIR,
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: the script's node child goes with it
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += String(d);
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) resolve(Number(line.trim()));
    });
    child.on("exit", (code) =>
      reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)),
    );
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
  });
  try {
    const info = await unary<AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    return { client, info, process: child, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

const LEVEL_ENUM: Record<string, EnforcementLevel> = {
  advisory: EnforcementLevel.ADVISORY,
  mandatory: EnforcementLevel.MANDATORY,
  disabled: EnforcementLevel.DISABLED,
  remediate: EnforcementLevel.REMEDIATE,
};
const LEVEL_NAME = Object.fromEntries(Object.entries(LEVEL_ENUM).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

const SEVERITY_NAME: Record<number, string> = {
  [PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** The policies as the CLI reads them from the served pack's GetAnalyzerInfo. */
export const servedPolicies = (a: Analyzer): PolicyInfo[] =>
  a.info.getPoliciesList().map((p) => policyInfoFromMessage(p, a.info.getSupportsconfig()));

/** What `pulumi preview --policy-pack policy --policy-pack-config <file>` gets from the pack for one stack. */
export async function analyzeOverGrpc(
  a: Analyzer,
  resources: readonly PolicyInput[],
  configFile: unknown,
  stackTags: ReadonlyMap<string, string>,
): Promise<EvaluationResult> {
  const configure = new ConfigureAnalyzerRequest();
  const map = configure.getPolicyconfigMap();
  for (const [name, c] of reconcilePolicyPackConfig(servedPolicies(a), configFile)) {
    const pc = new PolicyConfig();
    pc.setEnforcementlevel(LEVEL_ENUM[c.enforcementLevel!]!);
    pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
    map.set(name, pc);
  }
  await unary((cb) => a.client.configure(configure, cb));
  const stack = new AnalyzerStackConfigureRequest();
  const tags = stack.getTagsMap();
  for (const [k, v] of stackTags) tags.set(k, v);
  await unary((cb) => a.client.configureStack(stack, cb));

  const result: EvaluationResult = { violations: [], notApplicable: [] };
  const byUrn = resourcesByUrn(resources);
  const root = rootStackUrn(resources);
  const collect = (res: AnalyzeResponse, stackLevel: boolean, analysed?: string) => {
    for (const d of res.getDiagnosticsList()) {
      const level = LEVEL_NAME[d.getEnforcementlevel()]!;
      result.violations.push({
        policy: d.getPolicyname(),
        level: (level === "remediate" ? "mandatory" : level) as Level,
        severity: SEVERITY_NAME[d.getSeverity()] ?? "unspecified",
        message: d.getMessage(),
        urn: engineUrn(stackLevel, stackLevel ? d.getUrn() : analysed!, byUrn, root),
      });
    }
    for (const n of res.getNotApplicableList())
      result.notApplicable.push({ policy: n.getPolicyName(), urn: analysed, reason: n.getReason() });
  };
  for (const r of resources) {
    const request = analyzeRequestMessage(analyzerResource(r, byUrn, false));
    const res = await unary<AnalyzeResponse>((cb) => a.client.analyze(request, cb));
    collect(res, false, r.urn);
  }
  const stackRequest = analyzeStackRequestMessage(stackResources(resources));
  collect(await unary<AnalyzeResponse>((cb) => a.client.analyzeStack(stackRequest, cb)), true);
  return result;
}
