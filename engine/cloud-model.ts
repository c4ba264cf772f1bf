/**
 * A model of what GCP, Cloudflare and random would return for each resource and data source, so that every
 * `apply` in the stack program runs offline as it would for real: IDs, self links, connection names,
 * addresses, Redis host and port, URLs, certificate IDs. Values are derived from the inputs by hashing, so
 * the same spec always gives the same plan.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

type Inputs = Record<string, unknown>;

const hash = (s: string, n = 8) => createHash("sha256").update(s).digest("hex").slice(0, n);
const num = (s: string, digits: number) =>
  (BigInt(`0x${hash(s, 15)}`) % 10n ** BigInt(digits)).toString().padStart(digits, "1");
const ip = (s: string, first: number) => {
  const h = createHash("sha256").update(s).digest();
  return `${first}.${h[0]! % 250}.${h[1]! % 250}.${(h[2]! % 250) + 2}`;
};
const uuid = (s: string) => {
  const h = hash(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const str = (v: unknown, fallback = "") => (typeof v === "string" ? v : fallback);

/** Cloudflare's published IPv4 edge ranges (https://www.cloudflare.com/ips-v4). */
export const CLOUDFLARE_IPV4 = [
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "190.93.240.0/20",
  "188.114.96.0/20",
  "197.234.240.0/22",
  "198.41.128.0/17",
  "162.158.0.0/15",
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "131.0.72.0/22",
];
export const CLOUDFLARE_IPV6 = [
  "2400:cb00::/32",
  "2606:4700::/32",
  "2803:f800::/32",
  "2405:b500::/32",
  "2405:8100::/32",
  "2a06:98c0::/29",
  "2c0f:f248::/32",
];

const COMPUTE = "https://www.googleapis.com/compute/v1";

/** Computed outputs of a resource of `type` with these inputs (the inputs themselves are echoed too). */
function computed(type: string, name: string, inputs: Inputs): { id: string; outputs: Inputs } {
  const project = str(inputs.project, "offline-project");
  const region = str(inputs.region ?? inputs.location, "us-central1");
  const rname = str(inputs.name, name);
  const global = (kind: string) => ({
    id: `projects/${project}/global/${kind}/${rname}`,
    outputs: { selfLink: `${COMPUTE}/projects/${project}/global/${kind}/${rname}`, name: rname },
  });
  const regional = (kind: string) => ({
    id: `projects/${project}/regions/${region}/${kind}/${rname}`,
    outputs: { selfLink: `${COMPUTE}/projects/${project}/regions/${region}/${kind}/${rname}`, name: rname },
  });
  switch (type) {
    case "gcp:organizations/project:Project": {
      const pid = str(inputs.projectId);
      return { id: `projects/${pid}`, outputs: { number: num(pid, 12), projectId: pid } };
    }
    case "gcp:projects/service:Service":
      return { id: `${project}/${str(inputs.service)}`, outputs: {} };
    case "gcp:serviceaccount/account:Account": {
      const email = `${str(inputs.accountId)}@${project}.iam.gserviceaccount.com`;
      return {
        id: `projects/${project}/serviceAccounts/${email}`,
        outputs: {
          email,
          name: `projects/${project}/serviceAccounts/${email}`,
          uniqueId: num(email, 21),
          member: `serviceAccount:${email}`,
        },
      };
    }
    case "gcp:projects/iAMCustomRole:IAMCustomRole":
      return {
        id: `projects/${project}/roles/${str(inputs.roleId)}`,
        outputs: { name: `projects/${project}/roles/${str(inputs.roleId)}` },
      };
    case "gcp:compute/network:Network":
      return global("networks");
    case "gcp:compute/subnetwork:Subnetwork":
      return regional("subnetworks");
    case "gcp:compute/globalAddress:GlobalAddress": {
      const internal = inputs.addressType === "INTERNAL";
      const g = global("addresses");
      return {
        id: g.id,
        outputs: { ...g.outputs, address: internal ? ip(rname, 10) : ip(`${project}/${rname}`, 34) },
      };
    }
    case "gcp:servicenetworking/connection:Connection":
      return {
        id: `${str(inputs.network)}:servicenetworking.googleapis.com`,
        outputs: { peering: "servicenetworking-googleapis-com" },
      };
    case "gcp:sql/databaseInstance:DatabaseInstance":
      return {
        id: rname,
        outputs: {
          connectionName: `${project}:${region}:${rname}`,
          privateIpAddress: ip(`${project}/${rname}`, 10),
          publicIpAddress: "",
          selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${rname}`,
          serviceAccountEmailAddress: `p${num(project, 12)}-${hash(rname, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
          firstIpAddress: ip(`${project}/${rname}`, 10),
        },
      };
    case "gcp:sql/database:Database":
    case "gcp:sql/user:User":
      return { id: `${str(inputs.name)}//${str(inputs.instance)}`, outputs: {} };
    case "gcp:redis/instance:Instance":
      return {
        id: `projects/${project}/locations/${region}/instances/${rname}`,
        outputs: {
          host: ip(`${project}/${rname}`, 10),
          port: 6378,
          authString: `offline-auth-${hash(project + rname, 16)}`,
          currentLocationId: `${region}-a`,
          serverCaCerts: [
            {
              cert: `-----BEGIN CERTIFICATE-----\nOFFLINE${hash(rname, 24)}\n-----END CERTIFICATE-----\n`,
              serialNumber: num(rname, 8),
            },
          ],
        },
      };
    case "gcp:secretmanager/secret:Secret": {
      const sid = str(inputs.secretId);
      return {
        id: `projects/${project}/secrets/${sid}`,
        outputs: { name: `projects/${num(project, 12)}/secrets/${sid}` },
      };
    }
    case "gcp:secretmanager/secretVersion:SecretVersion":
      return {
        id: `${str(inputs.secret)}/versions/1`,
        outputs: { name: `${str(inputs.secret)}/versions/1`, version: "1" },
      };
    case "gcp:bigquery/dataset:Dataset": {
      const d = str(inputs.datasetId);
      return {
        id: `projects/${project}/datasets/${d}`,
        outputs: {
          selfLink: `https://bigquery.googleapis.com/bigquery/v2/projects/${project}/datasets/${d}`,
          project,
        },
      };
    }
    case "gcp:bigquery/table:Table": {
      const t = `projects/${project}/datasets/${str(inputs.datasetId)}/tables/${str(inputs.tableId)}`;
      return { id: t, outputs: { selfLink: `https://bigquery.googleapis.com/bigquery/v2/${t}` } };
    }
    case "gcp:cloudrunv2/service:Service":
      return {
        id: `projects/${project}/locations/${region}/services/${rname}`,
        outputs: {
          uri: `https://${rname}-${hash(project, 10)}-${region === "us-central1" ? "uc" : "uw"}.a.run.app`,
          location: region,
          uid: uuid(project + rname),
        },
      };
    case "gcp:cloudrunv2/job:Job":
      return {
        id: `projects/${project}/locations/${region}/jobs/${rname}`,
        outputs: { location: region, uid: uuid(project + rname) },
      };
    case "gcp:cloudscheduler/job:Job":
      return { id: `projects/${project}/locations/${region}/jobs/${rname}`, outputs: { state: "ENABLED" } };
    case "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup":
      return regional("networkEndpointGroups");
    case "gcp:compute/backendService:BackendService":
      return global("backendServices");
    case "gcp:compute/uRLMap:URLMap":
      return global("urlMaps");
    case "gcp:compute/sSLPolicy:SSLPolicy":
      return global("sslPolicies");
    case "gcp:compute/securityPolicy:SecurityPolicy":
      return global("securityPolicies");
    case "gcp:compute/targetHttpsProxy:TargetHttpsProxy":
      return global("targetHttpsProxies");
    case "gcp:compute/targetHttpProxy:TargetHttpProxy":
      return global("targetHttpProxies");
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      return global("forwardingRules");
    case "gcp:compute/sSLCertificate:SSLCertificate": {
      const certName = `${str(inputs.namePrefix, "cert-")}${num(name + project, 8)}`;
      return {
        id: `projects/${project}/global/sslCertificates/${certName}`,
        outputs: {
          name: certName,
          selfLink: `${COMPUTE}/projects/${project}/global/sslCertificates/${certName}`,
          certificateId: Number(num(certName, 9)),
        },
      };
    }
    case "gcp:compute/managedSslCertificate:ManagedSslCertificate": {
      const g = global("sslCertificates");
      return { id: g.id, outputs: { ...g.outputs, certificateId: Number(num(rname + project, 9)) } };
    }
    case "gcp:monitoring/notificationChannel:NotificationChannel":
    case "gcp:monitoring/alertPolicy:AlertPolicy": {
      const kind = type.endsWith("NotificationChannel") ? "notificationChannels" : "alertPolicies";
      const id = `projects/${project}/${kind}/${num(project + name, 19)}`;
      return { id, outputs: { name: id } };
    }
    case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
      const checkId = `${str(inputs.displayName)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .slice(0, 40)}-${hash(project, 6)}`;
      return {
        id: `projects/${project}/uptimeCheckConfigs/${checkId}`,
        outputs: { uptimeCheckId: checkId, name: `projects/${project}/uptimeCheckConfigs/${checkId}` },
      };
    }
    case "gcp:monitoring/dashboard:Dashboard":
      return { id: `projects/${num(project, 12)}/dashboards/${uuid(project + name)}`, outputs: {} };
    case "gcp:logging/metric:Metric":
      return { id: rname, outputs: {} };
    case "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline":
    case "gcp:clouddeploy/target:Target":
    case "gcp:clouddeploy/customTargetType:CustomTargetType": {
      const kind = type.split(":").pop()!;
      const id = `projects/${project}/locations/${region}/${kind.charAt(0).toLowerCase()}${kind.slice(1)}s/${rname}`;
      return { id, outputs: { uid: uuid(project + rname), targetId: rname } };
    }
    case "gcp:storage/bucket:Bucket":
      return {
        id: rname,
        outputs: { url: `gs://${rname}`, selfLink: `https://www.googleapis.com/storage/v1/b/${rname}` },
      };
    case "gcp:pubsub/topic:Topic":
    case "gcp:pubsub/subscription:Subscription": {
      const kind = type.endsWith("Topic") ? "topics" : "subscriptions";
      return { id: `projects/${project}/${kind}/${rname}`, outputs: {} };
    }
    case "random:index/randomId:RandomId": {
      const bytes = Number(inputs.byteLength ?? 8);
      const hex = createHash("sha256")
        .update(`randomid/${name}/${JSON.stringify(inputs)}`)
        .digest("hex")
        .slice(0, bytes * 2);
      return {
        id: Buffer.from(hex, "hex").toString("base64url"),
        outputs: {
          hex,
          dec: BigInt(`0x${hex}`).toString(),
          b64Std: Buffer.from(hex, "hex").toString("base64"),
          b64Url: Buffer.from(hex, "hex").toString("base64url"),
        },
      };
    }
    case "random:index/randomPassword:RandomPassword": {
      const len = Number(inputs.length ?? 16);
      return {
        id: "none",
        outputs: {
          result: createHash("sha256")
            .update(`password/${name}`)
            .digest("base64")
            .replace(/[^A-Za-z0-9]/g, "x")
            .padEnd(len, "x")
            .slice(0, len),
        },
      };
    }
    case "cloudflare:index/dnsRecord:DnsRecord":
      return {
        id: hash(`${str(inputs.zoneId)}/${str(inputs.name)}`, 32),
        outputs: { proxiable: true, createdOn: "2024-01-01T00:00:00Z" },
      };
    default:
      if (type.startsWith("pulumi:providers:")) return { id: uuid(`provider/${name}`), outputs: {} };
      return { id: `${name}-${hash(type + name + project, 8)}`, outputs: {} };
  }
}

/** Data sources (invokes) the stack program calls. */
function invoke(token: string, inputs: Inputs): Record<string, unknown> {
  switch (token) {
    case "cloudflare:index/getIpRanges:getIpRanges":
      return {
        id: "cloudflare-ip-ranges",
        ipv4Cidrs: CLOUDFLARE_IPV4,
        ipv6Cidrs: CLOUDFLARE_IPV6,
        etag: hash("ranges"),
      };
    case "cloudflare:index/getZone:getZone": {
      const zone = str((inputs.filter as Inputs | undefined)?.name, "example.com");
      return {
        id: hash(`zone/${zone}`, 32),
        zoneId: hash(`zone/${zone}`, 32),
        name: zone,
        status: "active",
        nameServers: [],
      };
    }
    case "gcp:secretmanager/getSecretVersion:getSecretVersion":
      return {
        id: `projects/${str(inputs.project)}/secrets/${str(inputs.secret)}/versions/latest`,
        secretData: `offline-placeholder-for-${str(inputs.secret)}`,
        version: "1",
        project: inputs.project,
        secret: inputs.secret,
      };
    default:
      throw new Error(`the offline engine has no model for data source ${token}`);
  }
}

/** The mocks given to `pulumi.runtime.setMocks`. */
export const cloudModel: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const { id, outputs } = computed(args.type, args.name, args.inputs as Inputs);
    return { id, state: { ...(args.inputs as Inputs), ...outputs } };
  },
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    return invoke(args.token, args.inputs as Inputs);
  },
};
