/**
 * URNs exactly as the Pulumi engine makes them, so offline exports name resources as `pulumi stack export` of
 * a real stack does (exemptions by URN, `msp diff` against real state, reviewers' scripts):
 *
 *     urn:pulumi:<stack>::<project>::<qualified type>::<name>
 *
 * The qualified type is the parent's qualified type, `$`, then the resource's own type; the root stack's type
 * is left out (pulumi/pulumi sdk/go/common/resource/urn.go `NewURN`, pkg/resource/deploy `generateURN`). So a
 * component of the stack is `msp:gcp:GcpProject::project`, its children
 * `msp:gcp:GcpProject$gcp:organizations/project:Project::project`, a component nested in it
 * `msp:a:A$msp:b:B$gcp:...`, and providers, whose parent is the stack or nothing, `pulumi:providers:gcp::gcp`.
 *
 * (The SDK's own mocks, `pulumi.runtime.setMocks`, prefix only the parent's last type and keep the stack's:
 * `pulumi:pulumi:Stack$msp:gcp:GcpProject::project`. No real state holds such URNs.)
 */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const PREFIX = "urn:pulumi:";
const DELIMITER = "::";
const TYPE_DELIMITER = "$";

/** The stack and project a deployment's URNs belong to. */
export interface UrnScope {
  readonly stack: string;
  readonly project: string;
}

/** `NewURN`: the URN of `type` named `name` under a parent of qualified type `parentType` ("" for none). */
export function newUrn(scope: UrnScope, parentType: string, type: string, name: string): string {
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? parentType + TYPE_DELIMITER + type : type;
  return PREFIX + scope.stack + DELIMITER + scope.project + DELIMITER + qualified + DELIMITER + name;
}

/** `generateURN`: the URN the engine gives a registration of `type` named `name` with the parent URN `parent`. */
export function resourceUrn(scope: UrnScope, parent: string, type: string, name: string): string {
  return newUrn(scope, parent ? qualifiedTypeOf(parent) : "", type, name);
}

/** The four parts of a URN after `urn:pulumi:` (the name may itself contain `::`, as the engine allows). */
function parts(urn: string): [string, string, string, string] {
  if (!urn.startsWith(PREFIX)) throw new Error(`not a Pulumi URN: ${urn}`);
  const rest = urn.slice(PREFIX.length);
  const a = rest.indexOf(DELIMITER);
  const b = a < 0 ? -1 : rest.indexOf(DELIMITER, a + 2);
  const c = b < 0 ? -1 : rest.indexOf(DELIMITER, b + 2);
  if (c < 0) throw new Error(`not a Pulumi URN: ${urn}`);
  return [rest.slice(0, a), rest.slice(a + 2, b), rest.slice(b + 2, c), rest.slice(c + 2)];
}

export const stackOfUrn = (urn: string): string => parts(urn)[0];
export const projectOfUrn = (urn: string): string => parts(urn)[1];

/** The type with its parents' types: `msp:gcp:GcpProject$gcp:organizations/project:Project`. */
export const qualifiedTypeOf = (urn: string): string => parts(urn)[2];

/** The resource's own type: the last of the qualified type. */
export function typeOfUrn(urn: string): string {
  const qualified = qualifiedTypeOf(urn);
  return qualified.slice(qualified.lastIndexOf(TYPE_DELIMITER) + 1);
}

/** The resource's name: everything after the third `::`. */
export const nameOfUrn = (urn: string): string => parts(urn)[3];

/**
 * `nameOfUrn` for URNs read from files and reports (a stack export, a violation), which are not checked to be
 * URNs: a string that is not one is taken as the name itself.
 */
export function nameOfAnyUrn(urn: string): string {
  try {
    return nameOfUrn(urn);
  } catch {
    return urn;
  }
}

/** `parts` of a URN read from a file or report (not checked to be one): undefined for a string that is not. */
function anyParts(urn: string): [string, string, string, string] | undefined {
  try {
    return parts(urn);
  } catch {
    return undefined;
  }
}

/** The stack and project of a URN read from a file or report; undefined for a string that is not a URN. */
export function scopeOfAnyUrn(urn: string): UrnScope | undefined {
  const p = anyParts(urn);
  return p && { stack: p[0], project: p[1] };
}

/**
 * The types of a URN read from a file or report, outermost component first and the resource's own last
 * (`urn:pulumi:s::p::a$b$c::name`: a, b, c); none for a string that is not a URN.
 */
export const typesOfAnyUrn = (urn: string): string[] => anyParts(urn)?.[2].split(TYPE_DELIMITER) ?? [];
