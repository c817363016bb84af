/**
 * Shape of `generated/manifest.json`, written by `scripts/generate.ts` from `spec/openapi.yaml`.
 * The suites, the mock and the reporters read the spec only through this manifest and the
 * generated validators; nothing parses the YAML at run time.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type ParameterLocation = 'path' | 'query' | 'header';

/** The JSON Schema constraints a parameter carries, flattened for deriving negative cases. */
export interface ParameterConstraints {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: (string | number)[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export interface ManifestParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  constraints: ParameterConstraints;
  /** Set when the constraints are a reading of the pages (x-convention in the spec): why. */
  convention?: string;
  /** Parameters without which this one does not take effect (x-requires: "if the sort parameter is specified"). */
  requires?: string[];
}

export interface ManifestResponseContent {
  contentType: string;
  /** Export name in generated/validators.js (open objects: extra properties allowed). */
  validator: string;
  /** Export name of the closed twin (undocumented properties rejected). */
  closedValidator: string;
}

export interface ManifestResponse {
  status: string;
  description: string;
  /** The problem `type` the documentation shows for this status (errors only). */
  problemType?: string;
  contents: ManifestResponseContent[];
  headers: { name: string; required: boolean; constraints: ParameterConstraints }[];
}

export interface ManifestPagination {
  /** JSON pointer of the items array in the list body. */
  items: string;
  /** JSON pointer of an item's id, relative to the item. */
  id: string;
  /** Allowed `sort` values and the item field (pointer relative to the item) each sorts by. */
  sort: Record<string, string>;
  /** Date range filter: the item field it applies to and the query parameters that set it. */
  dateFilter?: { field: string; start: string; end: string };
}

export interface ManifestResourceIdentity {
  /** Path parameter whose value the body must echo. */
  parameter: string;
  /** JSON pointer in the response body, `*` for every array item. */
  pointer: string;
}

/** What a created resource shows of the request that created it (x-reflects on the creating operation). */
export interface ManifestReflection {
  /** operationId of the reading operation. */
  reader: string;
  /** Pointer into the reader's response body, `*` for every array item. */
  response: string;
  /** Pointer into the request body, `*` for every array item. */
  request: string;
  /** same-set: the values equal the request's, as a set; member: each value is one of the request's. */
  relation: 'same-set' | 'member';
}

export interface ManifestOperation {
  /** `METHOD /path`, the name used in reports and test titles. */
  key: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  /** Alternative scope sets; any one of them is enough (OpenAPI security requirement semantics). */
  scopes: string[][];
  parameters: ManifestParameter[];
  /** Validator over `{path, query, header}` (strings coerced), export of generated/param-validators.js. */
  parametersValidator: string;
  requestBody?: { required: boolean; contentType: string; validator: string; oneOfBranches: number };
  responses: ManifestResponse[];
  pagination?: ManifestPagination;
  resourceIdentity: ManifestResourceIdentity[];
  /** What the resources this operation creates show of its request (x-reflects). */
  reflects?: ManifestReflection[];
  /** The documentation page(s) the operation was written from (`x-source` in the spec). */
  source?: string;
}

export interface ManifestEventType {
  type: string;
  webhook: string;
  validator: string;
  closedValidator: string;
}

export interface ManifestWebhook {
  name: string;
  summary: string;
  eventTypes: string[];
  /** The documentation page the webhook was written from (`x-source` in the spec). */
  source?: string;
}

export interface ManifestEnum {
  /** JSON pointer into the body with `*` for array items. */
  pointer: string;
  values: (string | number)[];
  /** Where the pointer applies: a response (operation + status + content type) or a webhook family. */
  scope: { kind: 'response'; operationId: string; status: string; contentType: string } | { kind: 'webhook'; webhook: string };
}

export interface Manifest {
  $comment: string;
  spec: { title: string; version: string; openapi: string };
  security: { scheme: string; tokenUrl: string; scopes: string[] };
  paths: { path: string; methods: HttpMethod[] }[];
  operations: ManifestOperation[];
  webhooks: ManifestWebhook[];
  eventTypes: ManifestEventType[];
  enums: ManifestEnum[];
  /** Rules of problem documents across responses (`x-same-for` on a Problem property). */
  problem?: { sameFor: { field: string; per: string; source?: string }[] };
}

/**
 * Shape of `generated/list-plans.json`: list-combinations' pairwise and triple-wise plans per
 * paginated operation, computed by `scripts/generate.ts` for the default page limit (covertable
 * takes tens of milliseconds a plan, at every run). Rows hold values in the order of `factors`.
 */
export interface StoredListPlans {
  $comment: string;
  operations: Record<string, { factors: Record<string, string[]>; quick: string[][]; full: string[][] }>;
}
