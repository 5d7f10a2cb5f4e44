/**
 * Bearer-token authentication: the fake hands out one opaque token per identity, as a static token file
 * would (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file). Service
 * account identities get the groups kube-apiserver gives them; `system:admin` is in `system:masters`.
 */
import { randomBytes } from 'node:crypto';

export interface UserInfo {
  username: string;
  groups: string[];
}

export const ADMIN = 'system:admin';

/** Groups an identity gets (serviceaccount authenticator: k8s.io/apiserver/pkg/authentication/serviceaccount). */
export function groupsFor(username: string): string[] {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) return ['system:serviceaccounts', `system:serviceaccounts:${sa[1]!}`, 'system:authenticated'];
  if (username === ADMIN) return ['system:masters', 'system:authenticated'];
  return ['system:authenticated'];
}

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export class TokenAuthenticator {
  private readonly byToken = new Map<string, UserInfo>();
  private readonly byUser = new Map<string, string>();

  /** The token of `username` (created on first request), with extra `groups` if given. */
  tokenFor(username: string, groups: string[] = []): string {
    const existing = this.byUser.get(username);
    if (existing !== undefined) return existing;
    const token = randomBytes(24).toString('base64url');
    this.byToken.set(token, { username, groups: [...new Set([...groupsFor(username), ...groups])] });
    this.byUser.set(username, token);
    return token;
  }

  /** The identity behind `username` (groups included), as the authenticator would produce it. */
  userInfo(username: string): UserInfo {
    return this.byToken.get(this.tokenFor(username))!;
  }

  /** The user of an `Authorization: Bearer ...` header, or undefined (→ 401). */
  authenticate(header: string | undefined): UserInfo | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match ? this.byToken.get(match[1]!) : undefined;
  }
}
