/**
 * Protection downgrades: changes that lose no data but weaken what guards a production service, such as a
 * lower category, Cloud Armor or the SSL policy removed, deletion protection or point-in-time recovery
 * turned off. The pull-request check fails on them unless a reviewer labels the pull request
 * `msp/allow-downgrade`.
 */
import { isDeepStrictEqual } from "node:util";
import type { ExportedResource, StackExport } from "../engine/export";
import { getPath } from "./paths";
import { nameOfAnyUrn } from "../engine/urn";
import { categoryRank } from "../platform/categories";
import { isSet } from "../platform/resource-types";
import { pairResources } from "./pairing";

export interface Downgrade {
  urn: string;
  type: string;
  what: string;
}

const TLS_RANK: Readonly<Record<string, number>> = { TLS_1_0: 0, TLS_1_1: 1, TLS_1_2: 2, TLS_1_3: 3 };

/** A setting's value in a message: strings as they are, anything else as JSON. */
const shown = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const wasTrue = (a: unknown, b: unknown) => a === true && b !== true;

/**
 * A Cloud SQL custom tier `db-custom-<vCPUs>-<memory MiB>` (resolve/naming.ts postgresTier) as numbers. Changing
 * the tier restarts the instance (https://cloud.google.com/sql/docs/postgres/edit-instance: "Changing the machine
 * type ... requires a restart"), and a smaller one serves less.
 */
export function customTier(v: unknown): { cpu: number; memoryMiB: number } | undefined {
  const m = typeof v === "string" ? /^db-custom-(\d+)-(\d+)$/.exec(v) : null;
  return m ? { cpu: Number(m[1]), memoryMiB: Number(m[2]) } : undefined;
}
const sizeOf = (t: { cpu: number; memoryMiB: number }) => `${t.cpu} vCPU / ${t.memoryMiB / 1024} GB`;

interface Weakening {
  /** The resource type the rule reads. */
  type: string;
  /** The input path (dotted). */
  path: string;
  weakened: (before: unknown, after: unknown) => boolean;
  what: (before: unknown, after: unknown) => string;
}

/** Input changes on a resource that stays, and what they switch off. */
export const WEAKENINGS: readonly Weakening[] = [
  {
    type: "gcp:organizations/project:Project",
    path: "labels.category",
    weakened: (a, b) => {
      const before = typeof a === "string" ? categoryRank(a) : undefined;
      return before !== undefined && before > (categoryRank(String(b)) ?? -1);
    },
    what: (a, b) => `category lowered from ${String(a)} to ${isSet(b) ? String(b) : "none"}`,
  },
  {
    // A project's folder decides the organisation policies and IAM it inherits (msp:folders, per category).
    type: "gcp:organizations/project:Project",
    path: "folderId",
    weakened: (a, b) => isSet(a) && a !== b,
    what: (a, b) => `project moved from folder ${shown(a)} to ${isSet(b) ? shown(b) : "none"} (msp:folders)`,
  },
  {
    type: "gcp:organizations/project:Project",
    path: "billingAccount",
    weakened: (a, b) => isSet(a) && a !== b,
    what: (a, b) =>
      `billing account changed from ${shown(a)} to ${isSet(b) ? shown(b) : "none"} (msp:billingAccount)`,
  },
  {
    type: "gcp:organizations/project:Project",
    path: "deletionPolicy",
    weakened: (a, b) => a === "PREVENT" && b !== "PREVENT",
    what: (_, b) => `project deletion policy PREVENT lifted (${isSet(b) ? shown(b) : "unset"})`,
  },
  {
    type: "gcp:compute/backendService:BackendService",
    path: "securityPolicy",
    weakened: (a, b) => isSet(a) && !isSet(b),
    what: () => "Cloud Armor security policy detached from the backend",
  },
  {
    type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    path: "sslPolicy",
    weakened: (a, b) => isSet(a) && !isSet(b),
    what: () => "SSL policy detached from the HTTPS proxy",
  },
  {
    type: "gcp:compute/sSLPolicy:SSLPolicy",
    path: "minTlsVersion",
    weakened: (a, b) => (TLS_RANK[String(a)] ?? 0) > (TLS_RANK[String(b)] ?? 0),
    what: (a, b) => `minimum TLS version lowered from ${shown(a)} to ${isSet(b) ? shown(b) : "the default"}`,
  },
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "deletionProtection",
    weakened: wasTrue,
    what: () => "Pulumi-side deletion protection turned off",
  },
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "settings.deletionProtectionEnabled",
    weakened: wasTrue,
    what: () => "Cloud SQL deletion protection turned off",
  },
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "settings.backupConfiguration.pointInTimeRecoveryEnabled",
    weakened: wasTrue,
    what: () => "point-in-time recovery turned off",
  },
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "settings.backupConfiguration.enabled",
    weakened: wasTrue,
    what: () => "automated backups turned off",
  },
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "settings.tier",
    weakened: (a, b) => {
      const [x, y] = [customTier(a), customTier(b)];
      return !!x && !!y && (y.cpu < x.cpu || y.memoryMiB < x.memoryMiB);
    },
    what: (a, b) =>
      `PostgreSQL shrunk from ${sizeOf(customTier(a)!)} to ${sizeOf(customTier(b)!)} (${shown(a)} -> ${shown(b)}; the instance restarts)`,
  },
  {
    // Memorystore scales a Basic instance by flushing it, a Standard one with a failover (https://cloud.google.com/memorystore/docs/redis/scale-instance).
    type: "gcp:redis/instance:Instance",
    path: "memorySizeGb",
    weakened: (a, b) => typeof a === "number" && typeof b === "number" && b < a,
    what: (a, b) => `Redis memory shrunk from ${shown(a)} GB to ${shown(b)} GB`,
  },
  {
    type: "gcp:bigquery/table:Table",
    path: "deletionProtection",
    weakened: wasTrue,
    what: () => "table deletion protection turned off",
  },
  {
    type: "gcp:bigquery/dataset:Dataset",
    path: "deleteContentsOnDestroy",
    weakened: (a, b) => a !== true && b === true,
    what: () => "deleting the dataset now deletes its tables",
  },
  {
    type: "gcp:storage/bucket:Bucket",
    path: "forceDestroy",
    weakened: (a, b) => a !== true && b === true,
    what: () => "deleting the bucket now deletes its objects",
  },
];

/**
 * Guards that vanish with their resource while what they guard stays: the Cloud Armor policy (and its
 * backend service stays) or the SSL policy (and an HTTPS proxy stays).
 */
const GUARDS: readonly { guard: string; guarded: string; what: string }[] = [
  {
    guard: "gcp:compute/securityPolicy:SecurityPolicy",
    guarded: "gcp:compute/backendService:BackendService",
    what: "Cloud Armor security policy removed while the load balancer stays",
  },
  {
    guard: "gcp:compute/sSLPolicy:SSLPolicy",
    guarded: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    what: "SSL policy removed while the HTTPS proxy stays",
  },
];

export function protectionDowngrades(before: StackExport, after: StackExport): Downgrade[] {
  const { previous, gone } = pairResources(before, after);
  const out: Downgrade[] = [];
  const push = (r: ExportedResource, what: string) => out.push({ urn: r.urn, type: r.type, what });

  for (const b of after.deployment.resources) {
    const a = previous.get(b.urn);
    if (!a) continue;
    if (a.protect === true && b.protect !== true) push(b, "Pulumi `protect` removed");
    for (const rule of WEAKENINGS) {
      if (rule.type !== b.type) continue;
      const [x, y] = [getPath(a.inputs, rule.path), getPath(b.inputs, rule.path)];
      if (rule.weakened(x, y)) push(b, rule.what(x, y));
    }
  }
  const remaining = new Set(after.deployment.resources.map((r) => r.type));
  for (const a of gone) {
    for (const g of GUARDS) if (a.type === g.guard && remaining.has(g.guarded)) push(a, g.what);
  }
  // The category lives on the project; a stack whose project URN changed is still compared.
  const category = (d: StackExport) =>
    d.deployment.resources.find((r) => r.type === "gcp:organizations/project:Project");
  const [p, q] = [category(before), category(after)];
  if (p && q && p.urn !== q.urn) {
    const rule = WEAKENINGS[0]!;
    const [x, y] = [getPath(p.inputs, rule.path), getPath(q.inputs, rule.path)];
    if (rule.weakened(x, y)) push(q, rule.what(x, y));
  }
  out.push(...platformSettingChanges(before, after));
  return out;
}

/**
 * Platform settings the stack was built with (the stack output `platform`, program/stack.ts) that changed: each
 * is the platform team's (Pulumi.yaml), and some leave no resource in the plan (where the deploy reads the
 * platform's credentials), so any change is a downgrade a reviewer must accept. An export without the output
 * (made before it existed) has nothing to compare.
 */
function platformSettingChanges(before: StackExport, after: StackExport): Downgrade[] {
  const platformOf = (d: StackExport) => {
    const stack = d.deployment.resources.find((r) => r.type === STACK_TYPE);
    const v = stack?.outputs?.platform;
    return {
      stack,
      settings: v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined,
    };
  };
  const [a, b] = [platformOf(before), platformOf(after)];
  if (!a.settings || !b.stack) return [];
  const out: Downgrade[] = [];
  const now = b.settings ?? {};
  for (const key of [...new Set([...Object.keys(a.settings), ...Object.keys(now)])].sort()) {
    const [x, y] = [a.settings[key], now[key]];
    if (isDeepStrictEqual(x, y)) continue; // key order does not matter
    out.push({
      urn: b.stack.urn,
      type: STACK_TYPE,
      what: `platform setting msp:${key} changed from ${x === undefined ? "unset" : shown(x)} to ${y === undefined ? "unset" : shown(y)}`,
    });
  }
  return out;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

export function renderDowngrade(d: Downgrade): string {
  return `${d.type} ${nameOfAnyUrn(d.urn)}: ${d.what}`;
}
