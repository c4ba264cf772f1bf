/**
 * The OCI image reference grammar (the distribution project's reference grammar, which Docker, containerd and
 * Cloud Run parse: https://github.com/distribution/reference/blob/main/reference.go, and the OCI distribution
 * spec's name and tag rules: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests).
 * A spec's image is printed in commands and handbook pages and passed to the cloud, so it must be exactly a
 * reference: no whitespace, newline, quote or shell character can pass. Pure.
 */

/** domain-component: [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]. */
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
/** host [':' port]: dotted domain components (IP literals are not registries a spec may use). */
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
/** path-component: alpha-numeric (separator alpha-numeric)*, separator [_.] | __ | -+ (lower case only). */
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^(${DOMAIN})/(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`);
/** tag: [\w][\w.-]{0,127}. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** The name's length limit of the grammar (NameTotalLengthMax). */
const NAME_MAX = 255;

/** A repository reference's registry host and path (`us.gcr.io`, `sourcegraph-dev/releaseregistry`). */
export interface Repository {
  readonly host: string;
  readonly path: string;
}

/**
 * The registry and path of `image`, a repository with its registry host and without tag or digest, or why it is
 * not one. A host needs a dot or a port (`localhost` aside), as the grammar tells a host from a path: without one,
 * `someone/image` is Docker Hub's, which a spec must name explicitly (`index.docker.io/someone/image`).
 */
export function parseRepository(image: string): Repository | { problem: string } {
  if (image.length > NAME_MAX)
    return { problem: `is ${image.length} characters; an image name has at most ${NAME_MAX}` };
  if (/[@]/.test(image) || /:[^/]*$/.test(image))
    return {
      problem: "must be an image repository without a tag or digest (the deploy type chooses the tag)",
    };
  const m = REPOSITORY.exec(image);
  if (!m)
    return {
      problem:
        "is not an image repository reference (<registry host>/<path>: lower-case letters, digits and '.', '_', '__' or '-' between them, '/' between path parts; no spaces or other characters)",
    };
  const host = m[1]!;
  if (!host.includes(".") && !host.includes(":") && host !== "localhost")
    return {
      problem: `must start with the registry host ("${host}" is not one: write e.g. index.docker.io/${image}): the allowlist and the read grant go by the registry host`,
    };
  return { host, path: m[2]! };
}

/** Why `tag` is not an image tag, or undefined. */
export const tagProblem = (tag: string): string | undefined =>
  TAG.test(tag)
    ? undefined
    : "is not an image tag (letters, digits, '_', '.' and '-', not starting with '.' or '-', at most 128 characters)";

/** The arguments of gcp.artifactregistry.getDockerImage for an image, without the tag. */
export interface ArtifactRegistryImage {
  location: string;
  project: string;
  repositoryId: string;
  /** Path of the image inside the repository. */
  imageName: string;
}

/** Container Registry hosts, served by Artifact Registry `gcr.io` repositories in these locations. */
const GCR_LOCATIONS: Readonly<Record<string, string>> = {
  "gcr.io": "us",
  "us.gcr.io": "us",
  "eu.gcr.io": "europe",
  "asia.gcr.io": "asia",
};

/**
 * The Artifact Registry repository of `image` (a repository without tag): `<location>-docker.pkg.dev/<project>/
 * <repository>/<image>`, or a Container Registry host (`[us.|eu.|asia.]gcr.io/<project>/<image>`), which
 * Artifact Registry serves from a repository named after the host. Undefined for other registries.
 */
export function artifactRegistryImage(image: string): ArtifactRegistryImage | undefined {
  const [host, project, ...rest] = image.split("/");
  if (!host || !project || !rest.length || rest.some((p) => !p)) return undefined;
  const pkg = /^([a-z0-9-]+)-docker\.pkg\.dev$/.exec(host);
  if (pkg) {
    const [repositoryId, ...name] = rest;
    return name.length
      ? { location: pkg[1]!, project, repositoryId: repositoryId!, imageName: name.join("/") }
      : undefined;
  }
  const gcr = GCR_LOCATIONS[host];
  return gcr ? { location: gcr, project, repositoryId: host, imageName: rest.join("/") } : undefined;
}

/** The GCP project that hosts an Artifact Registry (or gcr.io) image, else undefined. */
export const imageProject = (image: string): string | undefined => artifactRegistryImage(image)?.project;
