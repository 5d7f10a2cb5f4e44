/**
 * GETs and PUTs against the FAKE API server as one identity (a bearer token), for the FAKE controllers
 * that must act under a real controller's RBAC. A non-2xx answer becomes an ApiCallError carrying the
 * server's Status (code and message), as client-go's errors do.
 */

export class ApiCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export class IdentityClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed: unknown = await res.json();
    if (!res.ok) {
      const message = (parsed as { message?: string }).message ?? `HTTP ${res.status}`;
      throw new ApiCallError(res.status, message, path);
    }
    return parsed as T;
  }
}
