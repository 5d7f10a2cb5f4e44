/** Reading request bodies and writing JSON and Status responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiStatusError, badRequest, internalError } from './status-errors.js';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`error decoding JSON: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Any thrown error as a Status response; unexpected ones become 500 InternalError. */
export function sendError(res: ServerResponse, error: unknown): void {
  const status =
    error instanceof ApiStatusError ? error : internalError(String((error as Error).stack ?? error));
  if (res.headersSent) {
    res.end();
    return;
  }
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  sendJson(res, status.code, status.toStatus());
}
