import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import {
  connectionProfiles,
  DATASTREAM_ACCOUNT_ID,
  DATASTREAM_ACCOUNT_ROLES,
  DATASTREAM_PEERING_CIDR,
  POSTGRES_PORT,
  PROXY_BOOT_IMAGE,
  PROXY_DISK_GB,
  PROXY_MACHINE_TYPE,
  PROXY_NAME,
  proxyContainerDeclaration,
  proxyFirewallRules,
  proxyZone,
} from "../plans/datastream-plan";

/** One publication Datastream reads, with the login it reads it as. */
export interface DatastreamPublication {
  readonly name: string;
  readonly database: string;
  readonly slotName: string;
  /** The connection profile ID kept from MSP (adopted.yaml); `msp-publication-<name>` as a DNS label by default. */
  readonly connectionProfileId?: string;
  readonly user: pulumi.Input<string>;
  /** The login's password (a Pulumi secret). */
  readonly password: pulumi.Input<string>;
}

export interface DatastreamConnectionArgs {
  /** Shown in the service account's display name. */
  readonly serviceName: string;
  readonly projectId: pulumi.Input<string>;
  /** Region of the Cloud SQL instance: the private connection and profiles live there, the VM in `<region>-a`. */
  readonly region: string;
  /** The private network's ID (`projects/<p>/global/networks/<n>`): Datastream peers with it. */
  readonly networkId: pulumi.Input<string>;
  /** The private network and subnet the proxy VM sits in (self links). */
  readonly networkSelfLink: pulumi.Input<string>;
  readonly subnetSelfLink: pulumi.Input<string>;
  /** `project:region:instance` of the Cloud SQL instance the proxy forwards to. */
  readonly connectionName: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
  /** One connection profile each. Must not be empty. */
  readonly publications: readonly DatastreamPublication[];
  /** What a connection profile waits for: the logins' grants (Datastream validates the login on create). */
  readonly publicationGrants?: readonly pulumi.Resource[];
}

/**
 * Everything Datastream needs to read the instance's publications, as MSP's datastreamconnection builds it:
 * the `datastream-to-cloudsql` service account (Cloud SQL client only), a Cloud SQL Auth Proxy VM in the
 * private network, a Datastream private connection peered with that network on a /29, two ingress rules to
 * the VM (Datastream's range on 5432, IAP's on 22), and one connection profile per publication; the stream
 * itself is created by its consumer from the profile. The VM is hardened beyond MSP's: no external address,
 * Shielded VM, OS Login with project SSH keys blocked, a dedicated account.
 */
export class DatastreamConnection extends pulumi.ComponentResource {
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The proxy's internal address: the profiles' hostname. */
  public readonly proxyAddress: pulumi.Output<string>;
  public readonly privateConnection: pulumi.Output<string>;
  /** Connection profile resource names, by publication. */
  public readonly connectionProfiles: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DatastreamConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:DatastreamConnection", name, {}, opts);
    if (!args.publications.length)
      throw new Error(`${name}: DatastreamConnection needs at least one publication`);
    const project = args.projectId;

    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      {
        project,
        accountId: DATASTREAM_ACCOUNT_ID,
        displayName: `${args.serviceName} Datastream-to-Cloud-SQL service account`,
      },
      childOptions(this),
    );
    for (const role of DATASTREAM_ACCOUNT_ROLES)
      new gcp.projects.IAMMember(
        `${name}-account-${role.split("/").pop()}`,
        { project, role, member: account.member },
        childOptions(this),
      );

    const proxy = new gcp.compute.Instance(
      `${name}-proxy`,
      {
        project,
        zone: proxyZone(args.region),
        name: PROXY_NAME,
        description: "Cloud SQL proxy to allow Datastream to connect to Cloud SQL over private network",
        machineType: PROXY_MACHINE_TYPE,
        // No accessConfigs: no external address. The image comes through Private Google Access.
        networkInterfaces: [{ network: args.networkSelfLink, subnetwork: args.subnetSelfLink }],
        serviceAccount: { email: account.email, scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
        bootDisk: { initializeParams: { image: PROXY_BOOT_IMAGE, size: PROXY_DISK_GB } },
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        tags: [PROXY_NAME],
        labels: { ...args.labels, "container-vm": PROXY_NAME },
        metadata: {
          "gce-container-declaration": pulumi.output(args.connectionName).apply(proxyContainerDeclaration),
          // SSH (through IAP) only as an IAM-authorised OS Login user, never with a key in project metadata.
          "enable-oslogin": "TRUE",
          "block-project-ssh-keys": "TRUE",
        },
        // A new container declaration restarts the VM rather than failing the update.
        allowStoppingForUpdate: true,
      },
      childOptions(this),
    );
    const proxyAddress = proxy.networkInterfaces.apply((n) => n[0]!.networkIp);

    const rules = proxyFirewallRules().map(
      (rule) =>
        new gcp.compute.Firewall(
          `${name}-${rule.key}`,
          {
            project,
            name: rule.name,
            description: rule.description,
            network: args.networkSelfLink,
            priority: 1000,
            direction: "INGRESS",
            sourceRanges: rule.sourceRanges,
            allows: [{ protocol: "tcp", ports: rule.ports }],
            targetTags: [PROXY_NAME],
          },
          childOptions(this),
        ),
    );

    const connection = new gcp.datastream.PrivateConnection(
      `${name}-private-connection`,
      {
        project,
        location: args.region,
        privateConnectionId: PROXY_NAME,
        displayName: PROXY_NAME,
        vpcPeeringConfig: { vpc: args.networkId, subnet: DATASTREAM_PEERING_CIDR },
        labels: { ...args.labels },
      },
      childOptions(this),
    );

    const logins = new Map(args.publications.map((p) => [p.name, p]));
    const profiles = connectionProfiles(args.publications).map((p) => {
      const login = logins.get(p.publication)!;
      const profile = new gcp.datastream.ConnectionProfile(
        `${name}-profile-${p.publication}`,
        {
          project,
          location: args.region,
          connectionProfileId: p.connectionProfileId,
          displayName: p.displayName,
          labels: { ...args.labels, ...p.labels },
          postgresqlProfile: {
            hostname: proxyAddress,
            port: POSTGRES_PORT,
            database: p.database,
            username: login.user,
            password: pulumi.secret(login.password),
          },
          privateConnectivity: { privateConnection: connection.name },
        },
        // Datastream tests the connection on create: the login's grants and the ingress rule must exist.
        childOptions(this, { dependsOn: [...(args.publicationGrants ?? []), rules[0]!] }),
      );
      return [p.publication, profile.name] as const;
    });

    this.serviceAccountEmail = account.email;
    this.proxyAddress = proxyAddress;
    this.privateConnection = connection.name;
    this.connectionProfiles = pulumi.output(Object.fromEntries(profiles));
    this.registerOutputs({
      serviceAccountEmail: this.serviceAccountEmail,
      proxyAddress: this.proxyAddress,
      privateConnection: this.privateConnection,
      connectionProfiles: this.connectionProfiles,
    });
  }
}
