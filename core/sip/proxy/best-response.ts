// RFC 3261 §16.7 step 6: the best final response among the branches.

/** Lower is better: 6xx beats everything, then the classes in order 2xx, 4xx-with-remedy, 3xx, 4xx, 5xx. */
function rank(status: number): number {
  if (status >= 600) return 0;
  if (status >= 200 && status < 300) return 1;
  // Responses the client can act on: credentials, media type, extension, address completion.
  if ([401, 407, 415, 420, 484].includes(status)) return 2;
  if (status >= 300 && status < 400) return 3;
  if (status >= 400 && status < 500) return status === 408 || status === 487 ? 5 : 4;
  if (status === 503) return 7; // §16.7: a 503 is converted to 500 before it is forwarded
  return 6;
}

export function bestResponse<T extends { status: number }>(responses: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of responses) if (!best || rank(r.status) < rank(best.status)) best = r;
  return best;
}
