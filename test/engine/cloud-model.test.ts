import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import {
  createResource,
  DATA_SOURCE_MODELS,
  invokeDataSource,
  RESOURCE_MODELS,
  UnmodelledError,
} from "../../engine/model";
import { cloudRunUrl } from "../../engine/model/cloudrun";
import { projectNumber } from "../../engine/model/define";
import { answerRegistration, UNKNOWN } from "../../engine/cloud-model";
import { runProgramOffline } from "../../runner/run";
import { ALLOWED_TYPES } from "../../policy/rules/msp-allowed-resource-types";
import { REPO } from "../helpers/cli";
import { one, planOf } from "../helpers/stacks";

const PROVIDER_SDKS: Record<string, Record<string, unknown>> = {
  gcp: require("@pulumi/gcp") as Record<string, unknown>,
  cloudflare: require("@pulumi/cloudflare") as Record<string, unknown>,
  random: require("@pulumi/random") as Record<string, unknown>,
  postgresql: require("@pulumi/postgresql") as Record<string, unknown>,
  sentry: require("@pulumiverse/sentry") as Record<string, unknown>,
  time: require("@pulumiverse/time") as Record<string, unknown>,
  pagerduty: require("@pulumi/pagerduty") as Record<string, unknown>,
};

/** The SDK export a token names: `gcp:sql/databaseInstance:DatabaseInstance` is `gcp.sql.DatabaseInstance`. */
function sdkExport(token: string): unknown {
  const [pkg, mod, name] = token.split(":") as [string, string, string];
  const sdk = PROVIDER_SDKS[pkg];
  assert.ok(sdk, `${token}: no SDK for package ${pkg}`);
  const module = mod.split("/")[0]!;
  const ns = module === "index" ? sdk : (sdk[module] as Record<string, unknown> | undefined);
  return ns?.[name];
}

/** The invoke token inside an SDK data source function's source (`invoke("gcp:...:getX", ...)`). */
const invokeTokenOf = (fn: unknown): string | undefined =>
  /invoke(?:Output|SingleOutput)?\("([^"]+)"/.exec(String(fn))?.[1];

/** Every `new <pkg>.<...>.<Class>(` and `<pkg>.<...>.get<X>[Output](` in the program and its components. */
function programSourceCalls(): { classes: Set<string>; dataSources: Set<string> } {
  const classes = new Set<string>();
  const dataSources = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        const text = fs.readFileSync(p, "utf8");
        for (const m of text.matchAll(
          /new (gcp|cloudflare|random|postgresql|sentry|time|pagerduty)\.((?:[a-z0-9]+\.)?[A-Z]\w*)\(/g,
        ))
          classes.add(`${m[1]}.${m[2]}`);
        for (const m of text.matchAll(
          /\b(gcp|cloudflare|random|postgresql|sentry|time|pagerduty)\.((?:[a-z0-9]+\.)?get[A-Z]\w*?)(?:Output)?\(/g,
        ))
          dataSources.add(`${m[1]}.${m[2]}`);
      }
    }
  };
  for (const dir of ["components", "program"]) walk(path.join(REPO, dir));
  return { classes, dataSources };
}

const resolvePath = (dotted: string): unknown => {
  const [pkg, ...rest] = dotted.split(".");
  return rest.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], PROVIDER_SDKS[pkg!]);
};

describe("offline cloud model", () => {
  it("models every resource type the policy pack allows", () => {
    const custom = ALLOWED_TYPES.filter((t) => t !== "pulumi:pulumi:Stack");
    const missing = custom.filter((t) => !(t in RESOURCE_MODELS));
    assert.deepEqual(missing, [], "allowed types without a model");
  });

  it("models every resource class and data source the program and components use", () => {
    const { classes, dataSources } = programSourceCalls();
    assert.ok(classes.size >= 40 && dataSources.size >= 3, "the source scan finds the program's calls");
    for (const c of classes) {
      if (c.endsWith(".Provider")) continue; // providers are modelled per package
      const token = (resolvePath(c) as { __pulumiType?: string }).__pulumiType;
      assert.ok(token, `${c} is not a resource class`);
      assert.ok(token in RESOURCE_MODELS, `${c} (${token}) has no model`);
    }
    for (const d of dataSources) {
      const token = invokeTokenOf(resolvePath(d));
      assert.ok(token, `cannot read the invoke token of ${d}`);
      assert.ok(token in DATA_SOURCE_MODELS, `data source ${d} (${token}) has no model`);
    }
  });

  it("names only real provider types and functions (a typo in a token is caught)", () => {
    for (const token of Object.keys(RESOURCE_MODELS)) {
      if (token.startsWith("pulumi:providers:")) {
        const pkg = token.split(":")[2]!;
        assert.ok(PROVIDER_SDKS[pkg], `${token}: no such provider package`);
        continue;
      }
      const cls = sdkExport(token) as { __pulumiType?: string } | undefined;
      assert.equal(cls?.__pulumiType, token, `${token} is not a resource type of the provider SDK`);
    }
    for (const token of Object.keys(DATA_SOURCE_MODELS))
      assert.equal(
        invokeTokenOf(sdkExport(token)),
        token,
        `${token} is not a data source of the provider SDK`,
      );
  });

  it("rejects an unmodelled resource type or data source with a message naming it", () => {
    const ctx = { name: "ring", provider: { project: "p", region: "us-central1" } };
    assert.throws(
      () => createResource("gcp:kms/keyRing:KeyRing", {}, ctx),
      (e: unknown) =>
        e instanceof UnmodelledError &&
        /no resource type gcp:kms\/keyRing:KeyRing: add it to engine\/model\//.test(e.message),
    );
    assert.throws(
      () => invokeDataSource("gcp:kms/getKMSKeyRing:getKMSKeyRing", {}),
      /no data source gcp:kms\/getKMSKeyRing:getKMSKeyRing/,
    );
    // Inherited object keys are not models.
    assert.throws(() => createResource("toString", {}, ctx), UnmodelledError);
  });

  it("fails a program that creates an unmodelled resource, naming the type", async () => {
    await assert.rejects(
      runProgramOffline(
        "demo-dev",
        () => {
          new gcp.kms.KeyRing("ring", { location: "us-central1", project: "demo-dev-1234" });
          return {};
        },
        {},
        "applied",
      ),
      /no resource type gcp:kms\/keyRing:KeyRing/,
    );
  });

  it("gives a resource without a project anywhere a clear error", () => {
    assert.throws(
      () => createResource("gcp:compute/network:Network", { name: "n" }, { name: "net", provider: {} }),
      /net: no project, neither as an input nor on its provider/,
    );
  });
});

describe("Cloud Run URLs", () => {
  // https://cloud.google.com/run/docs/triggering/https-request#deterministic:
  // https://[TAG---]SERVICE_NAME-PROJECT_NUMBER.REGION.run.app, for DNS labels of at most 63 characters.
  const cases: [string, string][] = [
    ["us-central1", "https://svc-{n}.us-central1.run.app"],
    ["us-west1", "https://svc-{n}.us-west1.run.app"],
    ["europe-west2", "https://svc-{n}.europe-west2.run.app"],
    ["asia-northeast1", "https://svc-{n}.asia-northeast1.run.app"],
  ];
  for (const [region, url] of cases)
    it(`uses the deterministic URL form in ${region}`, () => {
      assert.equal(
        cloudRunUrl("svc", "demo-prod-1234", region),
        url.replace("{n}", projectNumber("demo-prod-1234")),
      );
    });

  it("refuses a service whose DNS label is too long for a deterministic URL", () => {
    assert.throws(
      () => cloudRunUrl("x".repeat(51), "demo-prod-1234", "us-west1"),
      /longer than 63 characters/,
    );
    assert.doesNotThrow(() => cloudRunUrl("x".repeat(50), "demo-prod-1234", "us-west1"));
  });

  it("gives a stack's service the URL of its region and its project's number", async () => {
    const plan = await planOf("accounts-prod");
    const project = one(plan, "gcp:organizations/project:Project");
    const service = one(plan, "gcp:cloudrunv2/service:Service");
    assert.equal(service.inputs.location, "us-west1");
    assert.equal(
      plan.outputs.serviceUri,
      `https://${String(service.inputs.name)}-${String(project.outputs.number)}.us-west1.run.app`,
    );
  });
});

describe("models of the Datastream proxy, PagerDuty and Sentry's Slack rule", () => {
  const answer = (type: string, inputs: Record<string, unknown>, name = "r") =>
    answerRegistration(
      { type, name, custom: true, inputs, providerInputs: {}, additionalSecretOutputs: [] },
      "applied",
    );

  it("gives a VM's interface an address in the platform's subnet range and its zonal ID", () => {
    const vm = answer("gcp:compute/instance:Instance", {
      project: "p",
      zone: "us-west1-a",
      name: "vm",
      networkInterfaces: [{ network: "n", subnetwork: "s" }],
    });
    assert.equal(vm.id, "projects/p/zones/us-west1-a/instances/vm");
    const [nic] = vm.state.networkInterfaces as { networkIp: string; network: string; name: string }[];
    assert.deepEqual([nic!.network, nic!.name], ["n", "nic0"]);
    const [a, b] = nic!.networkIp.split(".").map(Number);
    assert.ok(a === 172 && b! >= 16 && b! <= 31, `${nic!.networkIp} is in 172.16.0.0/12`);
  });

  it("names Datastream resources by their full resource name, ID and name alike", () => {
    const pc = answer("gcp:datastream/privateConnection:PrivateConnection", {
      project: "p",
      location: "us-west1",
      privateConnectionId: "pc",
    });
    assert.equal(pc.id, "projects/p/locations/us-west1/privateConnections/pc");
    assert.equal(pc.state.name, pc.id);
  });

  it("gives a PagerDuty integration a 32-hex key and a service a P-prefixed ID", () => {
    const svc = answer("pagerduty:index/service:Service", { name: "S", escalationPolicy: "PABC123" });
    assert.match(svc.id, /^P[0-9A-F]{6}$/);
    const integration = answer("pagerduty:index/serviceIntegration:ServiceIntegration", {
      service: svc.id,
      name: "Google Cloud Monitoring",
    });
    assert.match(String(integration.state.integrationKey), /^[0-9a-f]{32}$/);
  });
});

describe("engine answers", () => {
  const reg = {
    type: "gcp:compute/globalAddress:GlobalAddress",
    name: "lb-ip",
    custom: true,
    inputs: { name: "lb-ip", project: "demo-prod-1234" },
    providerInputs: {},
    additionalSecretOutputs: [],
  };

  it("fills in computed values after apply", () => {
    const a = answerRegistration(reg, "applied");
    assert.equal(a.id, "projects/demo-prod-1234/global/addresses/lb-ip");
    assert.match(String(a.state.address), /^34\.\d+\.\d+\.\d+$/);
    assert.equal(a.state.name, "lb-ip");
  });

  it("leaves computed values and the ID unknown in a preview, inputs known", () => {
    const p = answerRegistration(reg, "preview");
    assert.equal(p.id, "");
    assert.equal(p.state.address, UNKNOWN);
    assert.equal(p.state.selfLink, UNKNOWN);
    assert.equal(p.state.name, "lb-ip");
  });

  it("marks additional secret outputs secret, known or not", () => {
    const redis = {
      type: "gcp:redis/instance:Instance",
      name: "cache",
      custom: true,
      inputs: { name: "cache", project: "p-1", region: "us-central1", authEnabled: true },
      providerInputs: {},
      additionalSecretOutputs: ["authString"],
    };
    const sig = "4dabf18193072939515e22adb298388d";
    const applied = answerRegistration(redis, "applied").state.authString as Record<string, unknown>;
    assert.equal(applied[sig], "1b47061264138c4ac30d75fd1eb44270");
    assert.match(String(applied.value), /^offline-auth-/);
    const preview = answerRegistration(redis, "preview").state.authString as Record<string, unknown>;
    assert.equal(preview.value, UNKNOWN);
  });

  it("resolves project and region from the resource's provider", () => {
    const a = answerRegistration(
      {
        type: "gcp:compute/subnetwork:Subnetwork",
        name: "subnet",
        custom: true,
        inputs: { name: "subnet" },
        providerInputs: { project: "from-provider", region: "europe-west2" },
        additionalSecretOutputs: [],
      },
      "applied",
    );
    assert.equal(a.id, "projects/from-provider/regions/europe-west2/subnetworks/subnet");
  });
});
