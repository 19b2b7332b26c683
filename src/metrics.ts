// One Prometheus registry per node (per context: tests run several nodes in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuthenticateClient } from './core/clientAuth.ts';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  // Process CPU, memory, handles and the event-loop lag (nodejs_eventloop_lag_*). The lag is sampled
  // every 100 ms, not prom-client's 10 ms: an idle node woke a hundred times a second for it alone
  // (3-10 ms of CPU a second here), and a stall still shows in the sample it delays.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Histogram({ name: 'postern_http_request_duration_seconds', help: 'Web and JMAP requests by route and status', labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.025, 0.1, 0.5, 2, 10], registers }),
    logins: new Counter({ name: 'postern_logins_total', help: 'Logins by protocol (web, imap, pop3, smtp, jmap) and result', labelNames: ['protocol', 'result'], registers }),
    lockouts: new Counter({ name: 'postern_lockouts_total', help: 'Password-guess lockouts started, by channel', labelNames: ['channel'], registers }),
    connections: new Gauge({ name: 'postern_protocol_connections', help: 'Open IMAP, POP3 and SMTP connections of this node', labelNames: ['protocol'], registers }),
    connectionsRefused: new Counter({ name: 'postern_protocol_connections_refused_total', help: 'Connections refused by a connection limit, by protocol and limit', labelNames: ['protocol', 'limit'], registers }),
    databaseFaults: new Counter({ name: 'postern_database_connection_faults_total', help: 'Database connections lost or refused', registers }),
    redisFaults: new Counter({ name: 'postern_redis_connection_faults_total', help: 'Redis connections lost or refused', registers }),
    redisFallbacks: new Counter({ name: 'postern_rate_limit_fallbacks_total', help: 'Times rate limits switched from Redis to the database', registers }),
    dependencyUp: new Gauge({ name: 'postern_dependency_up', help: '1 when the dependency answered the last probe', labelNames: ['dependency'], registers }),
    dependencyLatency: new Gauge({ name: 'postern_dependency_latency_seconds', help: 'Time the last probe of the dependency took', labelNames: ['dependency'], registers }),
    queueDepth: new Gauge({ name: 'postern_relay_queue_depth', help: 'Outbound messages waiting for the relay', registers }),
    sideEffectsDepth: new Gauge({ name: 'postern_side_effects_pending', help: 'Security notices and code messages waiting to be sent', registers }),
    sideEffectsGivenUp: new Counter({ name: 'postern_side_effects_given_up_total', help: 'Security notices and code messages given up after their retries, by kind', labelNames: ['kind'], registers }),
  };
}

/** The client login check, counting each answer by protocol and result. */
export function countedLogins(authenticate: AuthenticateClient, metrics: Metrics): AuthenticateClient {
  return async (login) => {
    try {
      const result = await authenticate(login);
      metrics.logins.inc({ protocol: login.protocol, result: result.ok ? 'ok' : result.reason });
      return result;
    } catch (err) {
      metrics.logins.inc({ protocol: login.protocol, result: 'error' });
      throw err;
    }
  };
}
