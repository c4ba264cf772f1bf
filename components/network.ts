import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
export const PEERING_PREFIX_LENGTH = 16;
export const SERVICE_NETWORKING_API = "servicenetworking.googleapis.com";
export const SERVICE_NETWORKING_AGENT_ROLE = "roles/servicenetworking.serviceAgent";

export interface PrivateNetworkArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  readonly networkName: string;
  /** A subnet's range cannot change in place: give a new range a new name. */
  readonly subnetName: string;
  /** Subnet range for Cloud Run direct VPC egress. */
  readonly subnetCidr: string;
  /** The range reserved for service networking peering (Cloud SQL, Redis). */
  readonly peeringRangeName: string;
  /**
   * The gcp provider the peering is made with: Service Networking bills the caller's project unless the
   * provider sets a billing project with userProjectOverride (terraform-provider-google #10066).
   */
  readonly serviceNetworkingProvider?: pulumi.ProviderResource;
}

/** VPC, subnet and service-networking peering for private Cloud SQL and Redis. Created only when needed. */
export class PrivateNetwork extends pulumi.ComponentResource {
  public readonly networkId: pulumi.Output<string>;
  public readonly networkSelfLink: pulumi.Output<string>;
  public readonly subnetSelfLink: pulumi.Output<string>;
  /** Cloud SQL and Redis wait for this peering before they are created. */
  public readonly peering: gcp.servicenetworking.Connection;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:PrivateNetwork", name, {}, opts);
    const cidr = args.subnetCidr;
    const network = new gcp.compute.Network(
      `${name}-vpc`,
      { project: args.projectId, name: args.networkName, autoCreateSubnetworks: false },
      childOptions(this),
    );
    const subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        project: args.projectId,
        region: args.region,
        name: args.subnetName,
        network: network.id,
        ipCidrRange: cidr,
        privateIpGoogleAccess: true,
        privateIpv6GoogleAccess: "DISABLE_GOOGLE_ACCESS",
        logConfig: {
          aggregationInterval: "INTERVAL_10_MIN",
          flowSampling: 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      childOptions(this),
    );
    const range = new gcp.compute.GlobalAddress(
      `${name}-peering-range`,
      {
        project: args.projectId,
        name: args.peeringRangeName,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: PEERING_PREFIX_LENGTH,
        network: network.id,
      },
      childOptions(this),
    );
    // In a new project the connection fails intermittently until the Service Networking agent exists and
    // holds its role (cloud-foundation-fabric #1399): the agent is created, granted, then peered.
    const agent = new gcp.projects.ServiceIdentity(
      `${name}-servicenetworking-agent`,
      { project: args.projectId, service: SERVICE_NETWORKING_API },
      childOptions(this),
    );
    const agentRole = new gcp.projects.IAMMember(
      `${name}-servicenetworking-agent-role`,
      { project: args.projectId, role: SERVICE_NETWORKING_AGENT_ROLE, member: agent.member },
      childOptions(this),
    );
    this.peering = new gcp.servicenetworking.Connection(
      `${name}-peering`,
      {
        network: network.id,
        service: SERVICE_NETWORKING_API,
        reservedPeeringRanges: [range.name],
      },
      childOptions(this, { dependsOn: [agentRole], provider: args.serviceNetworkingProvider }),
    );
    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.subnetSelfLink = subnet.selfLink;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetSelfLink: this.subnetSelfLink,
    });
  }
}
