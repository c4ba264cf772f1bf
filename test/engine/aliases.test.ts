/** Alias URNs as the engine computes them from what the SDK sends (specs, URNs, a parent's aliases). */
import * as assert from "node:assert/strict";
import { aliasUrns, type AliasRequest } from "../../engine/aliases";
import { resourceUrn } from "../../engine/urn";

const STACK = "s";
const urnOf = (parent: string, type: string, name: string) =>
  resourceUrn({ stack: STACK, project: "msp" }, parent, type, name);
const root = urnOf("", "pulumi:pulumi:Stack", "msp-s");

type Spec = Partial<{
  name: string;
  type: string;
  stack: string;
  project: string;
  parent: string;
  noParent: boolean;
}>;
function request(aliases: (string | Spec)[], legacy: string[] = []): AliasRequest {
  return {
    getAliasesList: () =>
      aliases.map((a) => ({
        getUrn: () => (typeof a === "string" ? a : ""),
        hasSpec: () => typeof a !== "string",
        getSpec: () =>
          typeof a === "string"
            ? undefined
            : {
                getName: () => a.name ?? "",
                getType: () => a.type ?? "",
                getStack: () => a.stack ?? "",
                getProject: () => a.project ?? "",
                getParenturn: () => a.parent ?? "",
                getNoparent: () => a.noParent ?? false,
              },
      })),
    getAliasurnsList: () => legacy,
  };
}

const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";
const channels = urnOf(root, "msp:monitoring:NotificationChannels", "monitoring");
const former = urnOf(root, "msp:monitoring:AlertPolicies", "monitoring");
const goal = { type: CHANNEL, name: "monitoring-slack-env", parent: channels };

describe("alias URNs (engine/aliases.ts)", () => {
  it("a spec naming a former parent: the same name and type under that parent", () => {
    assert.deepEqual(aliasUrns(request([{ parent: former }]), goal, urnOf, root, []), [
      urnOf(former, CHANNEL, "monitoring-slack-env"),
    ]);
    assert.equal(
      urnOf(former, CHANNEL, "monitoring-slack-env"),
      "urn:pulumi:s::msp::msp:monitoring:AlertPolicies$gcp:monitoring/notificationChannel:NotificationChannel::monitoring-slack-env",
    );
  });

  it("a renamed or retyped resource, no parent, URNs as given, legacy URN lists", () => {
    assert.deepEqual(aliasUrns(request([{ name: "old" }]), goal, urnOf, root, []), [
      urnOf(channels, CHANNEL, "old"),
    ]);
    assert.deepEqual(aliasUrns(request([{ noParent: true }]), goal, urnOf, root, []), [
      urnOf(root, CHANNEL, "monitoring-slack-env"),
    ]);
    assert.deepEqual(
      aliasUrns(
        request(["urn:pulumi:s::msp::x:y:Z::a"], ["urn:pulumi:s::msp::x:y:Z::b"]),
        goal,
        urnOf,
        root,
        [],
      ),
      ["urn:pulumi:s::msp::x:y:Z::a", "urn:pulumi:s::msp::x:y:Z::b"],
    );
  });

  it("leaves out its own URN, duplicates and other stacks' resources", () => {
    assert.deepEqual(
      aliasUrns(
        request([{}, { name: "x" }, { name: "x" }, { stack: "other" }, { stack: STACK, name: "y" }]),
        goal,
        urnOf,
        root,
        [],
      ),
      [urnOf(channels, CHANNEL, "x"), urnOf(channels, CHANNEL, "y")],
    );
  });

  it("inherits its parent's aliases, renaming a name derived from the parent's", () => {
    const parentAlias = urnOf(root, "msp:monitoring:Old", "alerts");
    assert.deepEqual(aliasUrns(request([]), goal, urnOf, root, [parentAlias]), [
      urnOf(parentAlias, CHANNEL, "alerts-slack-env"),
    ]);
    assert.deepEqual(aliasUrns(request([{ name: "monitoring-slack" }]), goal, urnOf, root, [parentAlias]), [
      urnOf(channels, CHANNEL, "monitoring-slack"),
      urnOf(parentAlias, CHANNEL, "alerts-slack"),
      urnOf(parentAlias, CHANNEL, "alerts-slack-env"),
    ]);
  });

  it("are URNs of the engine's rule: the stack's type left out, a nested parent's whole qualified type kept", () => {
    assert.deepEqual(aliasUrns(request([{ noParent: true }]), goal, urnOf, root, []), [
      "urn:pulumi:s::msp::gcp:monitoring/notificationChannel:NotificationChannel::monitoring-slack-env",
    ]);
    assert.deepEqual(aliasUrns(request([{ parent: root, name: "old" }]), goal, urnOf, root, []), [
      "urn:pulumi:s::msp::gcp:monitoring/notificationChannel:NotificationChannel::old",
    ]);
    // A parent that itself moved under another component: its alias names the whole former chain.
    const nestedParentAlias = urnOf(
      urnOf(root, "msp:service:Environment", "env"),
      "msp:monitoring:Old",
      "alerts",
    );
    assert.deepEqual(aliasUrns(request([]), goal, urnOf, root, [nestedParentAlias]), [
      "urn:pulumi:s::msp::msp:service:Environment$msp:monitoring:Old$gcp:monitoring/notificationChannel:NotificationChannel::alerts-slack-env",
    ]);
  });
});
