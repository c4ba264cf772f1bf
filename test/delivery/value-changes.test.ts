import * as assert from "node:assert/strict";
import { isUnder, valueChanges } from "../../delivery/value-changes";
import { REDACTED, SECRET_SIG, SIG_KEY } from "../../engine/redact";

const secret = (plaintext?: string) =>
  plaintext === undefined
    ? { [SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" }
    : { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(plaintext) };

describe("value changes (msp diff's before -> after)", () => {
  it("reports the changed leaf of nested objects, and unset sides as absent", () => {
    const before = { settings: { tier: "db-custom-2-8192", flags: { a: 1 } }, name: "x" };
    const after = { settings: { tier: "db-custom-1-4096", flags: { a: 1, b: 2 } }, name: "x" };
    assert.deepEqual(valueChanges(before, after), [
      { path: "settings.flags.b", after: 2 },
      { path: "settings.tier", before: "db-custom-2-8192", after: "db-custom-1-4096" },
    ]);
    assert.deepEqual(valueChanges(before, before), []);
  });

  it("matches list elements by their identity field (Cloud Armor priority, env name), else by index", () => {
    const rules = (deny: string) => [
      { priority: 1000, action: deny },
      { priority: 2147483647, action: "allow" },
    ];
    // A rule inserted in front does not show every later rule as changed.
    const inserted = [{ priority: 500, action: "allow" }, ...rules("deny(403)")];
    assert.deepEqual(valueChanges({ rules: rules("deny(403)") }, { rules: inserted }), [
      { path: "rules[priority=500]", after: { priority: 500, action: "allow" } },
    ]);
    assert.deepEqual(valueChanges({ rules: rules("deny(403)") }, { rules: rules("deny(404)") }), [
      { path: "rules[priority=1000].action", before: "deny(403)", after: "deny(404)" },
    ]);
    const containers = (image: string) => [{ name: "app", image, envs: [{ name: "A", value: "1" }] }];
    assert.deepEqual(valueChanges({ c: containers("img:1") }, { c: containers("img:2") }), [
      { path: "c[name=app].image", before: "img:1", after: "img:2" },
    ]);
    // No identity field shared by all: by index.
    assert.deepEqual(valueChanges({ l: [{ v: 1 }, { v: 2 }] }, { l: [{ v: 1 }, { v: 3 }] }), [
      { path: "l[1].v", before: 2, after: 3 },
    ]);
    // A duplicated name is no identity.
    assert.deepEqual(
      valueChanges(
        {
          l: [
            { name: "a", v: 1 },
            { name: "a", v: 2 },
          ],
        },
        {
          l: [
            { name: "a", v: 1 },
            { name: "a", v: 3 },
          ],
        },
      ),
      [{ path: "l[1].v", before: 2, after: 3 }],
    );
    // Lists of plain values are one value.
    assert.deepEqual(valueChanges({ m: ["a", "b"] }, { m: ["b", "a"] }), [
      { path: "m", before: ["a", "b"], after: ["b", "a"] },
    ]);
  });

  it("diffs JSON held in a string (a dashboard) by path; a reformatted document is one change", () => {
    const dash = (title: string) =>
      JSON.stringify({
        displayName: "d",
        mosaicLayout: { tiles: [{ widget: { title } }, { widget: { title: "x" } }] },
      });
    assert.deepEqual(
      valueChanges({ dashboardJson: dash("Latency") }, { dashboardJson: dash("p99 latency") }),
      [{ path: "dashboardJson.mosaicLayout.tiles[0].widget.title", before: "Latency", after: "p99 latency" }],
    );
    const pretty = JSON.stringify(JSON.parse(dash("a")), null, 2);
    assert.deepEqual(valueChanges({ j: dash("a") }, { j: pretty }), [
      { path: "j", before: dash("a"), after: pretty },
    ]);
    // Not JSON on one side: the strings as they are.
    assert.deepEqual(valueChanges({ j: "{broken" }, { j: "{}" }), [
      { path: "j", before: "{broken", after: "{}" },
    ]);
  });

  it("masks secrets on both sides, encrypted or --show-secrets plaintext, at any depth", () => {
    const changes = valueChanges(
      { env: { TOKEN: secret("hunter2"), PLAIN: "old" }, data: secret() },
      {
        env: { TOKEN: secret("hunter3"), PLAIN: secret("now-secret") },
        data: { [SIG_KEY]: SECRET_SIG, ciphertext: "BBBB" },
      },
    );
    assert.deepEqual(changes, [
      { path: "data", before: REDACTED, after: REDACTED },
      { path: "env.PLAIN", before: REDACTED, after: REDACTED },
      { path: "env.TOKEN", before: REDACTED, after: REDACTED },
    ]);
    assert.doesNotMatch(JSON.stringify(changes), /hunter|old|now-secret|AAAA|BBBB/);
    assert.deepEqual(valueChanges({}, { s: secret("x") }), [{ path: "s", after: REDACTED }]);
  });

  it("knows which changes lie under a replace-on input", () => {
    assert.ok(isUnder({ path: "settings.diskType" }, "settings"));
    assert.ok(isUnder({ path: "rules[priority=1]" }, "rules"));
    assert.ok(isUnder({ path: "name" }, "name"));
    assert.ok(!isUnder({ path: "namePrefix" }, "name"));
  });
});
