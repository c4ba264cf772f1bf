/**
 * "Did you mean" for the services, environments and stacks every command names (cli/lookup.ts, servicespec/suggest.ts).
 * Runner: in-process (mspInProcess): the subject is the message.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess, REPO } from "../helpers/cli";
import { didYouMean, suggestNames } from "../../servicespec/suggest";

let root: string;
let services: string;
before(() => {
  // One service, orders-api (pings under another name), in a project of its own with its stack files.
  root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-lookup-"));
  services = path.join(root, "services");
  fs.mkdirSync(path.join(services, "orders-api"), { recursive: true });
  fs.mkdirSync(path.join(root, "stacks"));
  const spec = fs.readFileSync(path.join(REPO, "services", "pings", "service.yaml"), "utf8");
  fs.writeFileSync(path.join(services, "orders-api", "service.yaml"), spec.replaceAll("pings", "orders-api"));
  for (const env of ["dev", "prod"])
    fs.writeFileSync(path.join(root, "stacks", `Pulumi.orders-api-${env}.yaml`), "");
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("did you mean, in every command", function () {
  this.timeout(60_000);
  const run = (...args: string[]) => mspInProcess([...args, "--services", services]);

  for (const [args, expected] of [
    [["logs", "orders", "prod"], /unknown service "orders" \(no .*\) \(did you mean "orders-api"\?\)/],
    [["console", "orders-apo", "prod"], /did you mean "orders-api"\?/],
    [
      ["pg", "connect", "--print", "orders-api", "prd"],
      /service "orders-api" has no environment "prd" \(did you mean "prod"\?\); environments: dev, prod/,
    ],
    [["preview", "orders-api-prd"], /unknown stack "orders-api-prd" \(did you mean "orders-api-prod"\?\)/],
    [
      ["preview", "orders"],
      /unknown stack "orders" \(did you mean "orders-api-dev" or "orders-api-prod"\?\)/,
    ],
    [["docs", "order-api"], /did you mean "orders-api"\?/],
    [["contract", "orders-api", "prd"], /has no environment "prd" \(did you mean "prod"\?\)/],
    [["release", "create", "orders"], /did you mean "orders-api"\?/],
    [["init-env", "orders", "staging"], /unknown service "orders" .*\(did you mean "orders-api"\?\)/],
  ] as const)
    it(`msp ${args.join(" ")}`, async () => {
      const r = await run(...args);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, expected);
    });

  it("lists what exists when nothing is close", async () => {
    const r = await run("preview", "zzz-prod");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown stack "zzz-prod"; stacks: orders-api-dev, orders-api-prod/);
  });
});

describe("suggestions (pure)", () => {
  it("suggests by spelling, then by the name's parts, at most three", () => {
    assert.deepEqual(suggestNames("orders-api-prd", ["orders-api-dev", "orders-api-prod"]), [
      "orders-api-prod",
    ]);
    assert.deepEqual(suggestNames("orders", ["billing", "orders-api", "orders-worker"]), [
      "orders-api",
      "orders-worker",
    ]);
    assert.deepEqual(suggestNames("prod", ["a-prod", "b-prod", "c-prod", "d-prod"]).length, 3);
    assert.equal(didYouMean("zzz", ["orders-api"]), "");
    assert.equal(didYouMean("prd", ["dev", "prod"]), ' (did you mean "prod"?)');
  });
});
