/** The container's Cloud Run inputs (plans/container.ts): secrets by reference to their latest version, files read-only. */
import * as assert from "node:assert/strict";
import { toCloudRunEnvs, toCloudRunVolumes } from "../../plans/container";

describe("container inputs (pure)", () => {
  it("a secret variable is a secretKeyRef to the latest version, never a value", () => {
    assert.deepEqual(
      toCloudRunEnvs([
        { name: "PLAIN", value: "v" },
        { name: "TOKEN", secret: "DEMO_TOKEN" },
      ]),
      [
        { name: "PLAIN", value: "v" },
        { name: "TOKEN", valueSource: { secretKeyRef: { secret: "DEMO_TOKEN", version: "latest" } } },
      ],
    );
  });

  it("a mounted secret is one read-only file (mode 0444) of the latest version", () => {
    assert.deepEqual(
      toCloudRunVolumes([{ volume: "key", secret: "DEMO_KEY", mountDir: "/etc/demo", fileName: "key.pem" }]),
      {
        volumes: [
          {
            name: "key",
            secret: { secret: "DEMO_KEY", items: [{ version: "latest", path: "key.pem", mode: 292 }] },
          },
        ],
        volumeMounts: [{ name: "key", mountPath: "/etc/demo" }],
      },
    );
  });
});
