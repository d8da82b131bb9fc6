// server.mjs: panva's oidc-provider (OpenID Certified) configured like CARTO's Auth0 tenant,
// with what CARTO serves beside Auth0, for the end-to-end tests of carto-auth.
//
//   node server.mjs --port P [--access-ttl 8] [--m2m-secret S] [--redirect-uri URI ...]
//
// The provider (not written by this project) owns: /authorize, /oauth/token (authorization
// code with PKCE S256 required, refresh tokens rotated with reuse detection, client
// credentials), /oauth/revoke (RFC 7009, form bodies only), /userinfo, its login and consent
// pages (/interaction/...). Served beside it, standing in for CARTO:
//   GET /auth/token            the copy-code page: shows the code of a redirect without state
//   GET /accounts              {"tenant_domain"} for a valid Bearer token
//   GET /config.yaml           apis.baseUrl of the tenant
//   GET /api/v3/whoami         the API: 200 with the token's subject and expiry, else 401
// and, for the tests only, GET /__admin/state: what the provider itself reports (events,
// grants, refresh tokens), never a token value.
//
// It prints "ready <issuer>" on stdout once it listens on 127.0.0.1:P.
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'access-ttl': { type: 'string', default: '8' },
    'm2m-secret': { type: 'string', default: 'e2e-m2m-secret-0123456789abcdef0123456789abcdef' },
    // More redirect URIs of the interactive clients (a proxy's copy-code page).
    'redirect-uri': { type: 'string', multiple: true, default: [] },
  },
});
const port = Number(args.port);
if (!Number.isInteger(port) || port <= 0) {
  console.error('server.mjs: --port P is required');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const accessTTL = Number(args['access-ttl']);

// CARTO's public client: Auth0 hands it a refresh token whenever offline_access is asked for.
const PUBLIC_CLIENT = '0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u';
// A client with OpenID's default: offline_access is dropped unless consent was prompted.
const OPENID_DEFAULT_CLIENT = 'openid-default';
// A client whose codes expire after one second, for the expired-code test.
const SHORT_CODE_CLIENT = 'short-code';
const M2M_CLIENT = 'e2e-m2m-client';

const interactive = (clientId) => ({
  client_id: clientId,
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['http://localhost:10000/callback/', `${issuer}/auth/token`, ...args['redirect-uri']],
});

// --- storage: a Map the admin endpoint can list (the bundled adapter is an LRU of 1000) ---
const store = new Map(); // "Model:id" -> { payload, expiresAt }
const grantMembers = new Map(); // grantId -> Set of keys
const now = () => Date.now();

class MapAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    store.set(key, { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : Infinity });
    if (payload.grantId) {
      if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
      grantMembers.get(payload.grantId).add(key);
    }
  }

  async find(id) {
    const rec = store.get(this.key(id));
    if (!rec) return undefined;
    if (rec.expiresAt <= now()) {
      store.delete(this.key(id));
      return undefined;
    }
    return rec.payload;
  }

  async findByUid(uid) {
    for (const [key, rec] of store) {
      if (key.startsWith(`${this.model}:`) && rec.payload.uid === uid) return this.find(key.slice(this.model.length + 1));
    }
    return undefined;
  }

  async findByUserCode() { return undefined; }

  async consume(id) {
    const rec = store.get(this.key(id));
    if (rec) rec.payload.consumed = Math.floor(now() / 1000);
  }

  async destroy(id) { store.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) {
      if (key.startsWith(`${this.model}:`)) store.delete(key);
    }
  }
}

// --- accounts: any login and password, as the provider's own development pages allow ---
function account(sub) {
  const local = sub.split('@')[0];
  return {
    accountId: sub,
    async claims() {
      return { sub, email: sub.includes('@') ? sub : undefined, name: `${local[0]?.toUpperCase() ?? ''}${local.slice(1)} Example` };
    },
  };
}

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    interactive(PUBLIC_CLIENT),
    interactive(OPENID_DEFAULT_CLIENT),
    interactive(SHORT_CODE_CLIENT),
    {
      client_id: M2M_CLIENT,
      client_secret: args['m2m-secret'],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  findAccount: (_ctx, sub) => account(sub),
  claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  routes: {
    authorization: '/authorize',
    token: '/oauth/token',
    revocation: '/oauth/revoke',
    userinfo: '/userinfo',
    jwks: '/.well-known/jwks.json',
    end_session: '/v2/logout',
  },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    userinfo: { enabled: true },
  },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  // Like Auth0: a refresh token for every code grant of a client allowed to refresh, even
  // though the request carried no prompt=consent (OpenID's rule, kept by openid-default).
  issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token')
    && (client.clientId !== OPENID_DEFAULT_CLIENT || code.scopes.has('offline_access')),
  expiresWithSession: async (_ctx, code) => code.clientId === OPENID_DEFAULT_CLIENT && !code.scopes.has('offline_access'),
  ttl: {
    AccessToken: accessTTL,
    ClientCredentials: accessTTL,
    AuthorizationCode: (_ctx, _code, client) => (client.clientId === SHORT_CODE_CLIENT ? 1 : 60),
    RefreshToken: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
    Session: 24 * 3600,
    Interaction: 3600,
    IdToken: 3600,
  },
  cookies: { keys: ['carto-auth-e2e-cookie-key'] },
});

// --- what the provider reports, for /__admin/state ---
const events = { reuse: 0, reuseTimes: [], grantsRevoked: 0, grantErrors: {}, grantSuccess: {}, revocations: {}, userinfo: 0 };
provider.on('grant.success', (ctx) => {
  const gt = ctx.oidc.params?.grant_type ?? '?';
  events.grantSuccess[gt] = (events.grantSuccess[gt] ?? 0) + 1;
});
provider.on('grant.error', (ctx, err) => {
  const gt = ctx.oidc?.params?.grant_type ?? '?';
  const k = `${gt}: ${err.error}: ${err.error_detail ?? err.error_description ?? ''}`;
  events.grantErrors[k] = (events.grantErrors[k] ?? 0) + 1;
  if (err.error_detail === 'refresh token already used') {
    events.reuse++;
    events.reuseTimes.push(Date.now());
  }
});
provider.on('grant.revoked', () => { events.grantsRevoked++; });
provider.on('server_error', (_ctx, err) => { console.error('server_error:', err); });

function adminState() {
  const grants = [];
  for (const [key, rec] of store) {
    if (!key.startsWith('Grant:') || rec.expiresAt <= now()) continue;
    const grantId = key.slice('Grant:'.length);
    let live = 0;
    let consumed = 0;
    for (const member of grantMembers.get(grantId) ?? []) {
      const m = store.get(member);
      if (!member.startsWith('RefreshToken:') || !m || m.expiresAt <= now()) continue;
      if (m.payload.consumed) consumed++; else live++;
    }
    grants.push({ grantId, accountId: rec.payload.accountId, clientId: rec.payload.clientId, liveRefreshTokens: live, consumedRefreshTokens: consumed });
  }
  return { ...events, grants };
}

// --- what CARTO serves beside Auth0 ---
function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}
const json = (res, status, v) => send(res, status, 'application/json', JSON.stringify(v));
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// bearer finds the access token (interactive or client credentials) a request carries.
async function bearer(req) {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  return (await provider.AccessToken.find(m[1])) ?? (await provider.ClientCredentials.find(m[1]));
}

function codePage(res, q) {
  if (q.get('error')) {
    send(res, 200, 'text/html; charset=utf-8', `<!doctype html><title>Login failed</title><h1>Login failed</h1><p id="error">${esc(q.get('error'))}: ${esc(q.get('error_description') ?? '')}</p>`);
  } else if (q.get('code') && !q.get('state')) {
    send(res, 200, 'text/html; charset=utf-8', `<!doctype html><title>Your access code</title><h1>Copy this code into your notebook</h1><p><code id="code">${esc(q.get('code'))}</code></p>`);
  } else {
    send(res, 400, 'text/html; charset=utf-8', '<!doctype html><title>No code</title><h1>No code to show</h1><p>This page shows the code of a login that sent no state.</p>');
  }
}

async function beside(req, res, u) {
  if (req.method !== 'GET') return false;
  // userinfo requests are counted on their way to the provider
  switch (u.pathname) {
    case '/auth/token':
      codePage(res, u.searchParams);
      return true;
    case '/config.yaml':
      send(res, 200, 'text/yaml', `apis:\n  baseUrl: ${issuer}/api\n  workspaceUrl: ${issuer}/workspace\n`);
      return true;
    case '/userinfo':
      events.userinfo++; // counted here, then answered by the provider
      return false;
    case '/__admin/state':
      json(res, 200, adminState());
      return true;
    case '/accounts':
    case '/api/v3/whoami': {
      const tok = await bearer(req);
      if (!tok || tok.isExpired) {
        json(res, 401, { error: 'unauthorized', error_description: 'missing, unknown or expired Bearer token' });
      } else if (u.pathname === '/accounts') {
        json(res, 200, { tenant_domain: `127.0.0.1:${port}` });
      } else {
        json(res, 200, { sub: tok.accountId ?? null, client_id: tok.clientId, exp: tok.exp });
      }
      return true;
    }
    default:
      return false;
  }
}

const handle = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const u = new URL(req.url, issuer);
    if (u.pathname === '/oauth/revoke') {
      // The provider emits no event for a revocation: its answers are counted by status.
      res.on('finish', () => { events.revocations[res.statusCode] = (events.revocations[res.statusCode] ?? 0) + 1; });
    }
    if (!(await beside(req, res, u))) handle(req, res);
  } catch (err) {
    console.error('beside:', err);
    if (!res.headersSent) json(res, 500, { error: 'server_error' });
  }
});
server.listen(port, '127.0.0.1', () => { console.log(`ready ${issuer}`); });
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
