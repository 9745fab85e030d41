/**
 * What a route says about itself for docs/openapi.json (`RouteSpec.doc`), and the pieces its
 * operation is written with. server/openapi.ts makes each operation of the document from its
 * route: the path and method, the query parameters from `query`, the request body from `body`,
 * the security from `auth`, the rest from `doc`; so no route exists without its documentation,
 * and none is documented that does not exist.
 */

/** A reference to one of the document's components (`responses/NotFound`, …). */
export const use = (path: string) => ({ $ref: `#/components/${path}` });

/** A JSON body of this schema. */
export const json = (schema: unknown) => ({ 'application/json': { schema } });

/** The Cache-Control of cacheable reads. */
export const CACHE_CONTROL = {
  description: '`public, no-cache`: any cache may keep it and must revalidate it each time.',
  schema: { type: 'string', const: 'public, no-cache' },
};

/** A route's operation in docs/openapi.json, but for what the route declares besides. */
export interface RouteDoc {
  /** The document's tag the operation is listed under. */
  tags: [string];
  operationId: string;
  summary: string;
  description?: string;
  /**
   * The path and header parameters; the query parameters come from the route's `query` schema
   * (server/openapi.ts puts them after the path parameters).
   */
  parameters?: unknown[];
  /** For a route with `body`: the request body's description (its schema is the route's). */
  request?: string;
  /**
   * The statuses particular to the route, and what each carries. The problems its declarations
   * imply are added by server/openapi.ts (`impliedResponses`): a body's 400, 408, 413 and 422, a
   * query's 422, sign-in's 401, a moderator's 403, a limit's 429, and every route's 500 and 503.
   */
  responses: Record<string, unknown>;
  /** `false` for a health probe, which answers no generic failure (500, 503) of its own. */
  failures?: false;
  /**
   * `optional` for a route that calls for no sign-in but reads a token when one is sent
   * (logout ends the session it names); otherwise the security follows the route's `auth`.
   */
  security?: 'optional';
}
