import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import { cloudflareOnlyRules } from "../plans/cloud-armor";
import { dnsNameTakenMessage, dnsRecordComment, foreignDnsRecords } from "./dns-ownership";

/** GCP names of the load balancer's parts (each at most 63 characters). */
export interface LoadBalancerNames {
  readonly address: string;
  readonly neg: string;
  readonly backend: string;
  readonly urlMap: string;
  readonly httpsProxy: string;
  readonly sslPolicy: string;
  /** A prefix: the origin certificate gets a generated suffix so a rotation can overlap. */
  readonly certificate: string;
  readonly forwardingRule: string;
  readonly redirectUrlMap: string;
  readonly httpProxy: string;
  readonly redirectRule: string;
  readonly securityPolicy: string;
}

export interface CloudflareDomainArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  /** The Cloud Run service behind the load balancer. */
  readonly cloudRunName: pulumi.Input<string>;
  /** Names of the load balancer's parts. */
  readonly names: LoadBalancerNames;
  readonly subdomain: string;
  readonly zone: string;
  /**
   * Who owns the name (the stack, `<service>-<env>`): written in the record's comment, and the record is made
   * only when the zone holds no other record of the name (components/dns-ownership.ts).
   */
  readonly owner: string;
  /** Cloudflare proxies the record (WAF, DDoS protection, origin certificate). Defaults to true. */
  readonly proxied?: boolean;
  /** Admit only Cloudflare's edge with Cloud Armor (internal and external categories). Defaults to proxied. */
  readonly restrictToCloudflare?: boolean;
  /** Backend request logging, sample rate 1.0. Defaults to false. */
  readonly loadBalancerLogging?: boolean;
  /** Where the Cloudflare origin certificate and key are kept (proxied domains only). */
  readonly originCertificate: { project: string; certificateSecret: string; keySecret: string };
}

/**
 * An external HTTPS load balancer in front of Cloud Run, behind a Cloudflare DNS record: TLS 1.2+ only,
 * HTTP redirected to HTTPS, and (for production) reachable only through Cloudflare.
 */
export class CloudflareDomain extends pulumi.ComponentResource {
  public readonly ipAddress: pulumi.Output<string>;
  public readonly fqdn: string;
  public readonly url: string;

  constructor(name: string, args: CloudflareDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:cloudflare:CloudflareDomain", name, {}, opts);
    const proxied = args.proxied ?? true;
    const n = args.names;
    const project = args.projectId;
    this.fqdn = `${args.subdomain}.${args.zone}`;
    this.url = `https://${this.fqdn}`;

    const address = new gcp.compute.GlobalAddress(
      `${name}-address`,
      { project, name: n.address, addressType: "EXTERNAL", ipVersion: "IPV4" },
      childOptions(this),
    );
    const neg = new gcp.compute.RegionNetworkEndpointGroup(
      `${name}-neg`,
      {
        project,
        region: args.region,
        name: n.neg,
        networkEndpointType: "SERVERLESS",
        cloudRun: { service: args.cloudRunName },
      },
      childOptions(this),
    );

    let securityPolicy: gcp.compute.SecurityPolicy | undefined;
    if (proxied && (args.restrictToCloudflare ?? true)) {
      const ranges = cloudflare.getIpRangesOutput({}, { parent: this });
      securityPolicy = new gcp.compute.SecurityPolicy(
        `${name}-armor`,
        {
          project,
          name: n.securityPolicy,
          description: "Only Cloudflare may reach this load balancer (no WAF bypass)",
          type: "CLOUD_ARMOR",
          rules: ranges.ipv4Cidrs.apply((cidrs) => cloudflareOnlyRules(cidrs)),
        },
        childOptions(this),
      );
    }

    const backend = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        project,
        name: n.backend,
        protocol: "HTTP",
        portName: "http",
        loadBalancingScheme: "EXTERNAL_MANAGED",
        backends: [{ group: neg.id }],
        securityPolicy: securityPolicy?.selfLink,
        logConfig: args.loadBalancerLogging ? { enable: true, sampleRate: 1.0 } : { enable: false },
      },
      childOptions(this),
    );
    const urlMap = new gcp.compute.URLMap(
      `${name}-url-map`,
      { project, name: n.urlMap, defaultService: backend.id },
      childOptions(this),
    );

    const sslPolicy = new gcp.compute.SSLPolicy(
      `${name}-ssl-policy`,
      { project, name: n.sslPolicy, profile: "MODERN", minTlsVersion: "TLS_1_2" },
      childOptions(this),
    );

    let certificate: pulumi.Output<string>;
    if (proxied) {
      const read = (secret: string) =>
        pulumi.secret(
          gcp.secretmanager.getSecretVersionOutput(
            { project: args.originCertificate.project, secret },
            { parent: this },
          ).secretData,
        );
      const cert = new gcp.compute.SSLCertificate(
        `${name}-origin-cert`,
        {
          project,
          // A generated name lets a rotated certificate exist before the proxy stops using the old one.
          namePrefix: `${n.certificate}-`,
          description: "Cloudflare origin certificate",
          certificate: read(args.originCertificate.certificateSecret),
          privateKey: read(args.originCertificate.keySecret),
        },
        childOptions(this),
      );
      certificate = cert.id;
    } else {
      const cert = new gcp.compute.ManagedSslCertificate(
        `${name}-managed-cert`,
        { project, name: n.certificate, managed: { domains: [this.fqdn] } },
        childOptions(this),
      );
      certificate = cert.id;
    }

    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https-proxy`,
      {
        project,
        name: n.httpsProxy,
        urlMap: urlMap.id,
        sslCertificates: [certificate],
        sslPolicy: sslPolicy.id,
      },
      childOptions(this),
    );
    new gcp.compute.GlobalForwardingRule(
      `${name}-https`,
      {
        project,
        name: n.forwardingRule,
        target: httpsProxy.id,
        ipAddress: address.address,
        portRange: "443",
        ipProtocol: "TCP",
        loadBalancingScheme: "EXTERNAL_MANAGED",
      },
      childOptions(this),
    );

    // Port 80 only ever answers with a redirect to HTTPS.
    const redirect = new gcp.compute.URLMap(
      `${name}-redirect`,
      {
        project,
        name: n.redirectUrlMap,
        defaultUrlRedirect: {
          httpsRedirect: true,
          stripQuery: false,
          redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
        },
      },
      childOptions(this),
    );
    const httpProxy = new gcp.compute.TargetHttpProxy(
      `${name}-http-proxy`,
      { project, name: n.httpProxy, urlMap: redirect.id },
      childOptions(this),
    );
    new gcp.compute.GlobalForwardingRule(
      `${name}-http`,
      {
        project,
        name: n.redirectRule,
        target: httpProxy.id,
        ipAddress: address.address,
        portRange: "80",
        ipProtocol: "TCP",
        loadBalancingScheme: "EXTERNAL_MANAGED",
      },
      childOptions(this),
    );

    const zone = cloudflare.getZoneOutput({ filter: { name: args.zone } }, { parent: this });
    // The zone's records of this name, read when the deploy runs: refuse to add ours beside another's.
    const existing = cloudflare.getDnsRecordsOutput(
      { zoneId: zone.id, name: { exact: this.fqdn }, maxItems: 100 },
      { parent: this },
    );
    const fqdn = this.fqdn;
    const content = pulumi.all([address.address, existing.results]).apply(([ip, records]) => {
      const foreign = foreignDnsRecords(records, fqdn, args.owner, ip);
      if (foreign.length) throw new Error(dnsNameTakenMessage(fqdn, args.owner, foreign));
      return ip;
    });
    new cloudflare.DnsRecord(
      `${name}-record`,
      {
        zoneId: zone.id,
        name: this.fqdn,
        type: "A",
        content,
        ttl: 1,
        proxied,
        comment: dnsRecordComment(args.owner),
      },
      childOptions(this),
    );

    this.ipAddress = address.address;
    this.registerOutputs({ ipAddress: this.ipAddress, fqdn: this.fqdn, url: this.url });
  }
}
