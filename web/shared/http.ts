// JSON over fetch for /api/v1, shared by the Inbox and the widget: a network failure and any
// non-2xx answer both become an ApiError; error answers carry {"error":{"code","message"}}.
// Plain TS, no framework: the widget bundles this too.

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole `error` object of the answer (e.g. a 409 carries fresh `slots`); null if none. */
    readonly data: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

export interface ErrorTexts {
  /** The message when the server cannot be reached (status 0, code "network"). */
  network: string;
  /** The message for an error answer without one of its own. */
  failed(res: Response): string;
}

/** No API call takes this long when the server is healthy; a stalled one is given up. */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Fetches `url` and returns the parsed JSON body (null when empty or not JSON; undefined for
 * 204). A request that gets no answer within `timeoutMs` fails like a network error, so no
 * screen waits forever on a stalled connection.
 */
export async function fetchJson<T>(
  url: string,
  init: RequestInit,
  texts: ErrorTexts,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<T> {
  let res: Response;
  let text: string;
  // The bound covers the whole exchange, the body included: a response whose body never
  // completes must fail too, not leave the caller waiting.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    res = await fetch(url, { ...init, signal: abort.signal });
    text = res.status === 204 ? '' : await res.text();
  } catch {
    throw new ApiError(0, 'network', texts.network);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data && data.error ? data.error : {};
    throw new ApiError(res.status, String(e.code ?? 'http_' + res.status), String(e.message || texts.failed(res)), e && typeof e === 'object' ? e : null);
  }
  return data as T;
}
