/**
 * Settings for a gateway under load: the limit per client (RATE_LIMIT_REQUESTS) would
 * turn a load test's traffic, one caller sending thousands of requests a second, into
 * 429s, and the benchmark would measure the limiter instead of the gateway.
 */
export const GATEWAY_UNDER_LOAD: Readonly<Record<string, string>> = { RATE_LIMIT_REQUESTS: '1000000000' };
