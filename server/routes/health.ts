/** Health, for load balancers and orchestrators (outside the protocol's /v1). */
import { ApiError } from '../problem.js';
import { ok, route, type Deps, type RouteSpec } from './route.js';

export function healthRoutes({ storage, draining }: Deps): RouteSpec[] {
  return [
    // The process answers.
    route({ method: 'GET', path: '/healthz', auth: 'none', handler: () => ok({ status: 'ok' }) }),

    // The process answers and its storage does: a load balancer may send it requests.
    route({
      method: 'GET',
      path: '/readyz',
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
