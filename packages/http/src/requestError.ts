/** A request Vigil refuses before it reaches the domain: auth, content type, size, shape. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly publicMessage: string,
    readonly errors?: { path: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(publicMessage);
    this.name = 'RequestError';
  }
}
