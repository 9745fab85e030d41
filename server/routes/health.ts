/** Health, for load balancers and orchestrators (outside the protocol's /v1). */
import { ApiError } from '../problem.js';
import { ref } from '../schema.js';
import { json, use } from './doc.js';
import { ok, route, type Deps, type RouteSpec } from './route.js';

export function healthRoutes({ storage, draining }: Deps): RouteSpec[] {
  return [
    // The process answers.
    route({
      method: 'GET',
      path: '/healthz',
      doc: {
        tags: ['health'],
        operationId: 'health',
        summary: 'The process is up',
        failures: false,
        responses: {
          '200': {
            description: 'Up',
            content: json(ref('Health')),
          },
        },
      },
      auth: 'none',
      handler: () => ok({ status: 'ok' }),
    }),

    // The process answers and its storage does: a load balancer may send it requests.
    route({
      method: 'GET',
      path: '/readyz',
      doc: {
        tags: ['health'],
        operationId: 'ready',
        summary: 'Ready for traffic: the storage answers, and the server is not shutting down',
        failures: false,
        responses: {
          '200': {
            description: 'Ready',
            content: json(ref('Ready')),
          },
          '503': use('responses/Unavailable'),
        },
      },
      auth: 'none',
      handler: async () => {
        if (draining())
          throw new ApiError('unavailable', 'The server is shutting down.', { retryAfter: 5 });
        try {
          await storage.headEventId();
        } catch (error) {
          throw new ApiError(
            'unavailable',
            `The server is not ready: its storage (${storage.backend}) does not answer (${(error as Error).message}).`,
            { retryAfter: 5 },
          );
        }
        return ok({ status: 'ready', storage: storage.backend });
      },
    }),
  ];
}
