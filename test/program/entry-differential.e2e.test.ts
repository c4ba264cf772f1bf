/**
 * The real entry point, tested as it runs under the Pulumi CLI: each example stack's program is started the
 * way the Node language host (pulumi-language-nodejs) starts it, `node <nodeargs> @pulumi/pulumi/cmd/run
 * --monitor <addr> --engine <addr> ... index.ts` with the stack config in PULUMI_CONFIG, against an
 * in-process gRPC resource monitor and engine built from the SDK's own protocol definitions and answering
 * from the same cloud model. What it registers must equal what `msp preview` (runStackOffline, the program
 * called in-process with settings read by program/config.ts) records: resources, inputs, parents,
 * providers, dependencies, property dependencies, options, secrets and stack outputs.
 *
 * Not reproduced from the language host: the `--sync` pipes (only synchronous invokes use them; the program
 * has none) and tracing.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type * as grpcTypes from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  answerInvoke,
  answerRegistration,
  isProviderType,
  ProviderTable,
  type PlanMode,
} from "../../engine/cloud-model";
import { isSecret, redact } from "../../engine/redact";
import { aliasUrns, type AliasRequest } from "../../engine/aliases";
import { resourceUrn, ROOT_STACK_TYPE } from "../../engine/urn";
import type { OfflineResult, RecordedResource } from "../../engine/plan";
import { REPO } from "../helpers/cli";
import { exampleStacks, planOf } from "../helpers/stacks";

const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const sdk = (p: string) => require(`@pulumi/pulumi/${p}`) as Record<string, unknown>;
const resrpc = sdk("proto/resource_grpc_pb") as { ResourceMonitorService: grpcTypes.ServiceDefinition };
const engrpc = sdk("proto/engine_grpc_pb") as { EngineService: grpcTypes.ServiceDefinition };
const resproto = sdk("proto/resource_pb") as Record<string, new () => Record<string, (v: unknown) => void>>;
const provproto = sdk("proto/provider_pb") as Record<string, new () => Record<string, (v: unknown) => void>>;
const engproto = sdk("proto/engine_pb") as Record<string, new () => Record<string, (v: unknown) => void>>;
const { Struct: StructClass } = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: typeof Struct;
};
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };

/** The project and its Node runtime options, from Pulumi.yaml as the CLI reads them. */
const project = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as {
  name: string;
  main?: string;
  stackConfigDir?: string;
  runtime: { name: string; options?: { typescript?: boolean; nodeargs?: string } };
  config?: Record<string, unknown>;
};

/** `nodeargs` split into words as the language host does (shlex); quoting is not needed by ours, so refused. */
function nodeArgs(): string[] {
  const args = project.runtime.options?.nodeargs ?? "";
  assert.doesNotMatch(
    args,
    /["'\\]/,
    "nodeargs with quotes: split them as shlex would before using this test",
  );
  return args.split(/\s+/).filter(Boolean);
}

/** A config value as the CLI passes it to the program: strings as is, anything else as JSON. */
const configString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * PULUMI_CONFIG as the CLI and language host build it: project config (`value` of each key) overridden by the
 * stack file, keys rewritten `<ns>:<name>` -> `<ns>:config:<name>` (constructConfig in pulumi-language-nodejs).
 */
function pulumiConfig(stack: string): string {
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(project.config ?? {}))
    merged[k] = v && typeof v === "object" && !Array.isArray(v) && "value" in v ? v.value : v;
  const stackFile = path.join(REPO, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  const stackConfig = (parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> })
    .config;
  Object.assign(merged, stackConfig ?? {});
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) {
    const [ns, ...name] = k.split(":");
    out[`${ns}:config:${name.join(":")}`] = configString(v);
  }
  return JSON.stringify(out);
}

interface Recording {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  logs: { severity: number; message: string }[];
  secretsSeen: number;
}

const wire = (s: Struct | undefined) => (s?.toJavaScript() as Record<string, unknown> | undefined) ?? {};

function countSecrets(v: unknown): number {
  if (isSecret(v)) return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countSecrets(x), 0);
  if (v && typeof v === "object") return Object.values(v).reduce((n: number, x) => n + countSecrets(x), 0);
  return 0;
}

/** A resource monitor and engine for one program run, recording every request from the raw messages. */
function monitorFor(stack: string, mode: PlanMode) {
  const rec: Recording = { resources: [], outputs: {}, logs: [], secretsSeen: 0 };
  const scope = { stack, project: project.name };
  const providers = new ProviderTable();
  let stackUrn = "";
  let rootUrn = "";
  const aliasesByUrn = new Map<string, string[]>();
  type Call = { request: Record<string, () => unknown> };
  type Done = (err: Error | null, res?: unknown) => void;
  const handle = (fn: (req: Record<string, () => unknown>) => unknown) => (call: Call, done: Done) => {
    try {
      done(null, fn(call.request));
    } catch (e) {
      done(e as Error);
    }
  };
  const monitor = {
    supportsFeature: handle(() => {
      const r = new resproto.SupportsFeatureResponse!();
      r.setHassupport!(true); // the Pulumi engine supports every feature the SDK asks about
      return r;
    }),
    registerPackage: handle(() => {
      const r = new resproto.RegisterPackageResponse!();
      r.setRef!("entry-test-package");
      return r;
    }),
    registerResource: handle((req) => {
      const type = req.getType!() as string;
      const name = req.getName!() as string;
      const parent = req.getParent!() as string;
      const inputs = wire(req.getObject!() as Struct);
      const additionalSecretOutputs = req.getAdditionalsecretoutputsList!() as string[];
      rec.secretsSeen += countSecrets(inputs);
      const answer = answerRegistration(
        {
          type,
          name,
          custom: req.getCustom!() as boolean,
          inputs,
          providerInputs: providers.inputsOf(req.getProvider!() as string),
          additionalSecretOutputs,
        },
        mode,
      );
      // The engine's URNs (engine/urn.ts, shared with msp preview's in-process engine).
      const urnOf = (p: string, t: string, n: string) => resourceUrn(scope, p, t, n);
      const urn = urnOf(parent, type, name);
      if (type === ROOT_STACK_TYPE) stackUrn = urn;
      // The aliases the program sent (specs or URNs), as URNs.
      const aliases = aliasUrns(
        req as unknown as AliasRequest,
        { type, name, parent },
        urnOf,
        stackUrn,
        aliasesByUrn.get(parent) ?? [],
      );
      if (aliases.length) aliasesByUrn.set(urn, aliases);
      if (isProviderType(type)) providers.add(urn, inputs);
      const propertyDependencies: Record<string, string[]> = {};
      (req.getPropertydependenciesMap!() as Map<string, { getUrnsList(): string[] }>).forEach((v, k) => {
        if (v.getUrnsList().length) propertyDependencies[k] = [...v.getUrnsList()].sort();
      });
      rec.resources.push({
        urn,
        type,
        name,
        custom: req.getCustom!() as boolean,
        id: answer.id || undefined,
        parent: parent || undefined,
        provider: (req.getProvider!() as string) || undefined,
        inputs: redact.value(inputs) as Record<string, unknown>,
        outputs: redact.value(answer.state) as Record<string, unknown>,
        dependencies: [...new Set(req.getDependenciesList!() as string[])].sort(),
        propertyDependencies,
        protect: (req.getProtect!() as boolean | undefined) ?? false,
        ignoreChanges: req.getIgnorechangesList!() as string[],
        deleteBeforeReplace: req.getDeletebeforereplace!() as boolean,
        retainOnDelete: (req.getRetainondelete!() as boolean | undefined) ?? false,
        additionalSecretOutputs,
        aliases,
      });
      const r = new resproto.RegisterResourceResponse!();
      r.setUrn!(urn);
      r.setId!(answer.id);
      r.setObject!(StructClass.fromJavaScript(answer.state as never));
      return r;
    }),
    registerResourceOutputs: handle((req) => {
      if (req.getUrn!() === stackUrn) rec.outputs = redact.value(wire(req.getOutputs!() as Struct)) as never;
      return new Empty();
    }),
    invoke: handle((req) => {
      const r = new provproto.InvokeResponse!();
      r.setReturn!(
        StructClass.fromJavaScript(
          answerInvoke(req.getTok!() as string, wire(req.getArgs!() as Struct)) as never,
        ),
      );
      return r;
    }),
    signalAndWaitForShutdown: handle(() => new Empty()),
  };
  const engine = {
    log: handle((req) => {
      rec.logs.push({ severity: req.getSeverity!() as number, message: req.getMessage!() as string });
      return new Empty();
    }),
    getRootResource: handle(() => {
      const r = new engproto.GetRootResourceResponse!();
      r.setUrn!(rootUrn);
      return r;
    }),
    setRootResource: handle((req) => {
      rootUrn = req.getUrn!() as string;
      return new engproto.SetRootResourceResponse!();
    }),
  };
  return { rec, monitor, engine };
}

/** Runs the stack's program through the language host's entry point; resolves with what it registered. */
async function runThroughEntryPoint(stack: string, mode: PlanMode): Promise<Recording> {
  const { rec, monitor, engine } = monitorFor(stack, mode);
  const server = new grpc.Server();
  server.addService(resrpc.ResourceMonitorService, monitor);
  server.addService(engrpc.EngineService, engine);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const address = `127.0.0.1:${port}`;
  // locateModule in pulumi-language-nodejs: require.resolve("@pulumi/pulumi/cmd/run") from the program folder.
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [REPO] });
  const main = project.main ?? ".";
  const args = [
    ...nodeArgs(),
    runPath,
    ...["--monitor", address, "--engine", address],
    ...["--organization", "organization", "--project", project.name, "--root-directory", REPO],
    ...["--stack", stack, "--pwd", path.join(REPO, path.dirname(main))],
    ...(mode === "preview" ? ["--dry-run"] : []),
    ...["--parallel", "16"],
    path.basename(main),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: pulumiConfig(stack),
    PULUMI_CONFIG_SECRET_KEYS: "[]",
  };
  // typescript: false in Pulumi.yaml: the language host sets PULUMI_NODEJS_TYPESCRIPT only when it is true.
  delete env.PULUMI_NODEJS_TYPESCRIPT;
  for (const k of Object.keys(env)) if (k.startsWith("PULUMI_NODEJS_")) delete env[k];
  if (project.runtime.options?.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      child.on("close", (c) => resolve({ code: c, stderr }));
    });
    const errors = rec.logs.filter((l) => l.severity >= 3).map((l) => l.message);
    assert.equal(code, 0, `the program exited with ${code}:\n${errors.join("\n")}\n${stderr}`);
    assert.deepEqual(errors, [], "the program logged errors");
    return rec;
  } finally {
    server.forceShutdown();
  }
}

const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);

/** Everything both engines record per resource, in URN order. */
const comparable = (resources: readonly RecordedResource[]) =>
  [...resources]
    .sort(byUrn)
    .map((r) => ({ ...r, additionalSecretOutputs: [...r.additionalSecretOutputs].sort() }));

function assertSamePlan(viaEntry: Recording, offline: OfflineResult, what: string) {
  const a = comparable(viaEntry.resources);
  const b = comparable(offline.resources);
  assert.deepEqual(
    a.map((r) => r.urn),
    b.map((r) => r.urn),
    `${what}: the same resources`,
  );
  for (let i = 0; i < a.length; i++) assert.deepEqual(a[i], b[i], `${what}: ${a[i]!.urn}`);
  assert.deepEqual(viaEntry.outputs, offline.outputs, `${what}: stack outputs`);
}

describe("the program through Pulumi's Node entry point (cmd/run) against a gRPC monitor", function () {
  this.timeout(300_000);
  const stacks = exampleStacks();
  // Every stack of services/ as `pulumi preview` runs it; as `pulumi up` runs it (applies run, so their code
  // paths too) for the example stacks that together use every component and resource type (each of the three
  // has types no other example stack has), those of them services/ still holds: a program process costs about
  // 7 s of CPU, most of it loading the SDKs.
  const applied = ["accounts-prod", "pings-prod", "usage-exporter-prod"].filter((s) => stacks.includes(s));
  const keys = [
    ...stacks.map((stack) => [stack, "preview"] as const),
    ...applied.map((stack) => [stack, "applied"] as const),
  ];
  const runs: Promise<Recording>[] = [];
  /** Run `i`, with the next ones already started (a core's worth run while a test compares). */
  const run = (i: number): Promise<Recording> => {
    for (let j = i; j < Math.min(keys.length, i + Math.max(1, os.availableParallelism())); j++)
      if (!runs[j]) {
        runs[j] = runThroughEntryPoint(keys[j]![0], keys[j]![1]);
        runs[j]!.catch(() => undefined); // reported by the test that awaits it
      }
    return runs[i]!;
  };

  it("covers every stack of services/, each with a stack file", () => {
    assert.ok(stacks.length > 0, "services/ defines stacks");
    for (const s of stacks) assert.ok(fs.existsSync(path.join(REPO, "stacks", `Pulumi.${s}.yaml`)), s);
  });

  keys.forEach(([stack, mode], i) =>
    it(`${stack} (${mode === "preview" ? "pulumi preview, --dry-run" : "pulumi up"}): registers what msp preview records`, async () => {
      const offline = await planOf(stack, mode);
      const viaEntry = await run(i);
      assert.ok(viaEntry.resources.length > 40, "the program registered its resources");
      assert.ok(viaEntry.secretsSeen > 0, "secrets travel marked as secrets");
      assertSamePlan(viaEntry, offline, `${stack} (${mode})`);
    }),
  );
});
