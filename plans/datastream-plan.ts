/**
 * What Datastream needs to read the logical replication publications of Cloud SQL (MSP's
 * datastreamconnection and postgresqllogicalreplication resources), as data: names, ranges, firewall rules,
 * the proxy VM's container and one connection profile and login per publication. DatastreamConnection
 * creates them; tests read them here without the Pulumi runtime.
 *
 *     Datastream --peering-> private network -> Cloud SQL Auth Proxy VM -> Cloud SQL
 *
 * The VM exists because Datastream and Cloud SQL each live in a Google-managed VPC peered to ours, and VPC
 * peering is not transitive (https://cloud.google.com/vpc/docs/vpc-peering#transit-network): Datastream cannot
 * reach the instance's private IP through our network, only a host inside it.
 */

/** MSP's name for the proxy VM, its network tag, its private connection and its firewall rules' prefix. */
export const PROXY_NAME = "msp-datastream-cloudsqlproxy";
/** The service account the proxy runs as (MSP's IAM stack), allowed to connect to Cloud SQL only. */
export const DATASTREAM_ACCOUNT_ID = "datastream-to-cloudsql";
export const DATASTREAM_ACCOUNT_ROLES = ["roles/cloudsql.client"] as const;
/**
 * The range Datastream's side of the peering uses: any unused /29 (Datastream requires exactly a /29,
 * https://cloud.google.com/datastream/docs/create-a-private-connectivity-configuration). MSP's value.
 */
export const DATASTREAM_PEERING_CIDR = "10.126.0.0/29";
/** Where IAP TCP forwarding connects from (https://cloud.google.com/iap/docs/using-tcp-forwarding). */
export const IAP_TCP_FORWARDING_CIDR = "35.235.240.0/20";
export const POSTGRES_PORT = 5432;
/**
 * The Cloud SQL Auth Proxy image, pinned: MSP ran the untagged (latest) image, which changes under a running
 * VM at its next restart. https://github.com/GoogleCloudPlatform/cloud-sql-proxy/releases
 */
export const CLOUD_SQL_PROXY_IMAGE = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0";
/** Container-Optimized OS: runs the declared container, supports Shielded VM and OS Login. */
export const PROXY_BOOT_IMAGE = "cos-cloud/cos-stable";
export const PROXY_MACHINE_TYPE = "e2-micro";
export const PROXY_DISK_GB = 10;

/** The zone the proxy runs in: MSP takes the region's `-a` zone. */
export const proxyZone = (region: string) => `${region}-a`;

/** The login Datastream uses for a publication (MSP: one REPLICATION role per publication). */
export const publicationUser = (publication: string) => `msp-publication-${publication}-user`;

/**
 * A connection profile's ID: MSP's `msp-publication-<name>`, lowercased with every character other than a
 * letter, digit or hyphen made a hyphen (publication names may hold underscores; Google resource IDs follow
 * RFC 1034 labels).
 */
export const connectionProfileId = (publication: string) =>
  `msp-publication-${publication.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;

/** Label values allow lowercase letters, digits, `_` and `-` (https://cloud.google.com/compute/docs/labeling-resources). */
const labelValue = (v: string) =>
  v
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, 63);

export interface FirewallRule {
  /** Stable key, used in the resource name. */
  key: string;
  name: string;
  description: string;
  sourceRanges: string[];
  ports: string[];
}

/**
 * Ingress to the proxy VM (its network tag), nothing else: Datastream's peering range on PostgreSQL's port,
 * and IAP's range on SSH for debugging (MSP's two rules). Neither is open to the internet.
 */
export function proxyFirewallRules(): FirewallRule[] {
  return [
    {
      key: "datastream-ingress",
      name: `${PROXY_NAME}-datastream-ingress`,
      description:
        "Allow incoming connections from a Datastream private connection to the Cloud SQL Proxy VM",
      sourceRanges: [DATASTREAM_PEERING_CIDR],
      ports: [String(POSTGRES_PORT)],
    },
    {
      key: "iap-ingress",
      name: `${PROXY_NAME}-iap-ingress`,
      description: "Allow incoming connections from GCP IAP to the Cloud SQL Proxy VM",
      sourceRanges: [IAP_TCP_FORWARDING_CIDR],
      ports: ["22"],
    },
  ];
}

/**
 * The `gce-container-declaration` metadata Container-Optimized OS reads to run the proxy (the format the
 * console writes; not a public API, as its trailing comment says, but what MSP relies on). The proxy listens
 * on every interface of the VM (the firewall decides who reaches it) and reaches the instance's private IP.
 */
export function proxyContainerDeclaration(connectionName: string): string {
  return [
    "spec:",
    "  restartPolicy: Always",
    "  containers:",
    `  - name: ${PROXY_NAME}`,
    `    image: ${CLOUD_SQL_PROXY_IMAGE}`,
    "    args:",
    "    - '--auto-iam-authn'",
    "    - '--private-ip'",
    "    - '--address=0.0.0.0'",
    `    - '${connectionName}'`,
    "",
    "# This container declaration format is not public API and may change without notice. Please",
    "# use gcloud command-line tool or Google Cloud Console to run Containers on Google Compute Engine.",
  ].join("\n");
}

export interface PublicationInput {
  name: string;
  database: string;
  /** Its replication slot name. */
  slotName: string;
  /** The connection profile ID kept from MSP (adopted.yaml), else `connectionProfileId(name)`. */
  connectionProfileId?: string;
}

export interface PlannedConnectionProfile {
  publication: string;
  connectionProfileId: string;
  displayName: string;
  database: string;
  user: string;
  labels: Record<string, string>;
}

/** One connection profile per publication: the stream the data team creates starts from it. */
export function connectionProfiles(publications: readonly PublicationInput[]): PlannedConnectionProfile[] {
  return publications.map((p) => ({
    publication: p.name,
    connectionProfileId: p.connectionProfileId ?? connectionProfileId(p.name),
    displayName: `MSP Publication - ${p.name}`,
    database: p.database,
    user: publicationUser(p.name),
    labels: {
      database: labelValue(p.database),
      pg_replication_slot: labelValue(p.slotName),
      pg_publication: labelValue(p.name),
    },
  }));
}
