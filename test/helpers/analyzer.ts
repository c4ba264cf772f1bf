/**
 * The policy pack as the Pulumi CLI runs it, started either way the CLI has started Node.js packs:
 * - `language-host` (Pulumi CLI 3.221 and later): the CLI asks the nodejs language host to `RunPlugin` the pack
 *   (kind analyzer); the host resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder and runs
 *   `node <run-policy-pack> <nodeargs...> <engine address> <pack folder>` in the pack's folder, with the
 *   PulumiPolicy.yaml runtime options as PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH and the stack's
 *   PULUMI_NODEJS_PROJECT, _STACK, _DRY_RUN and PULUMI_CONFIG in the environment
 *   (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin). The host's policy proxy, which
 *   forwards the engine's calls to the port the pack prints, is not reproduced: the test calls the pack on it.
 * - `analyzer-plugin` (earlier CLIs): `pulumi-analyzer-policy <engine> . -<option>=<value>...` started in
 *   policy/ (the CLI's own plugin script, vendored in test/fixtures), which runs the same module.
 * Both print the analyzer's gRPC port. Then the engine's side of the conversation, over gRPC with the SDK's own
 * client: GetAnalyzerInfo, Configure with the reconciled config, ConfigureStack with the stack tags, Analyze per
 * resource, AnalyzeStack.
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
} from "../../policy-emulator/analyzer-request";
import {
  policyInfoFromMessage,
  reconcilePolicyPackConfig,
  type PolicyInfo,
} from "../../policy-emulator/analyzer-config";
import { engineUrn, rootStackUrn, type EvaluationResult, type Level } from "../../policy-emulator/evaluate";
import { REPO } from "./cli";

export const PACK_DIR = path.join(REPO, "policy");
const PLUGIN = path.join(REPO, "test", "fixtures", "pulumi-analyzer-policy");

/** How the CLI starts the pack (see above): current CLIs through the language host, older ones the plugin. */
export type StartPath = "language-host" | "analyzer-plugin";
export const START_PATHS: readonly StartPath[] = ["language-host", "analyzer-plugin"];
export const START_PATH_DESCRIPTION: Readonly<Record<StartPath, string>> = {
  "language-host":
    "the nodejs language host's RunPlugin (Pulumi CLI 3.221 and later): node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack folder>",
  "analyzer-plugin":
    "the pulumi-analyzer-policy plugin script (CLIs before 3.221): pulumi-analyzer-policy <engine> .",
};

export interface Analyzer {
  client: AnalyzerClient;
  info: AnalyzerInfo;
  process: ChildProcess;
  /** How it was started, and the command line and folder it was started with. */
  startPath: StartPath;
  command: { file: string; args: string[]; cwd: string; env: Record<string, string> };
  stop(): void;
}

function runtimeOptions(): Record<string, unknown> {
  const yaml = parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as {
    runtime: string | { name: string; options?: Record<string, unknown> };
  };
  return typeof yaml.runtime === "object" ? (yaml.runtime.options ?? {}) : {};
}

/** The plugin's arguments, as the CLI builds them from PulumiPolicy.yaml (analyzer_plugin.go). */
export function pluginArgs(engineAddress: string): string[] {
  const args = [engineAddress, "."];
  for (const [k, v] of Object.entries(runtimeOptions()))
    if (`${String(v)}` !== "") args.push(`-${k}=${String(v)}`);
  return args;
}

/** The stack the language host describes to the pack (from the policy proxy's stack configuration). */
export interface HostStack {
  project: string;
  stack: string;
  dryRun: boolean;
  config: Record<string, string>;
}

/**
 * The command the nodejs language host's RunPlugin runs for a policy pack (kind analyzer): the module it
 * resolves from the pack's folder, the runtime options' node arguments, the engine's arguments, then the
 * pack's folder last; the options and the stack in the environment.
 */
export function languageHostCommand(engineAddress: string, stack: HostStack): Analyzer["command"] {
  const options = runtimeOptions();
  const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  const nodeargs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
  const env: Record<string, string> = {};
  if (options.typescript === true || options.typescript === "true") env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (typeof options.tsconfig === "string" && options.tsconfig)
    env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  env.PULUMI_NODEJS_PROJECT = stack.project;
  env.PULUMI_NODEJS_STACK = stack.stack;
  env.PULUMI_NODEJS_DRY_RUN = String(stack.dryRun);
  env.PULUMI_CONFIG = JSON.stringify(stack.config);
  return {
    file: process.execPath,
    args: [runPath, ...nodeargs, engineAddress, PACK_DIR],
    cwd: PACK_DIR,
    env,
  };
}

const pluginCommand = (engineAddress: string): Analyzer["command"] => ({
  file: "sh",
  args: [PLUGIN, ...pluginArgs(engineAddress)],
  cwd: PACK_DIR,
  env: {},
});

/** A unary gRPC call as a promise: `call` makes the request with the callback given. */
const unary = <Res>(call: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> =>
  new Promise((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));

/** Starts the pack as the CLI does (`startPath`) and connects to it; resolves once GetAnalyzerInfo answered. */
export async function startAnalyzer(
  startPath: StartPath = "language-host",
  stack: HostStack = { project: "msp", stack: "stack", dryRun: true, config: {} },
): Promise<Analyzer> {
  // The engine address is only passed through: run-policy-pack drops it.
  const command =
    startPath === "language-host" ? languageHostCommand("127.0.0.1:1", stack) : pluginCommand("127.0.0.1:1");
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: {
      ...process.env,
      ...command.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    },
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
    return { client, info, process: child, startPath, command, stop };
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
