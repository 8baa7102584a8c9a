// A certified OpenID Connect provider (panva/oidc-provider) for the sign-in tests
// (tests/web/certified_idp.py starts it; tests/web/test_oidc_provider.py uses it).
//
//   node provider.mjs '<json config>'
//
// config: {client_id, client_secret, redirect_uri, alg: "RS256"|"ES256", api_audience,
//          accounts: {sub: {name, role, org}}}
//
// Listens on 127.0.0.1 on a port the system picks, then prints one line to stdout:
// "listening http://127.0.0.1:PORT" (the issuer). After that each request is printed as
// "METHOD /path" so the tests can see what the app asked for. Nothing is fetched from
// anywhere: keys are made here, in memory, for this run.
//
// One client: confidential (client_secret_basic), authorization code only, PKCE (S256)
// required. Sign-in is a one-field login form at /interaction/UID (the test fills it in
// with an account id); consent is given up front for this first-party client. The ID
// token carries name, email, role and org (scopes "profile", "email" and "planledger"). A JWT access
// token for another API (api_audience) is issued when that resource is asked for.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);
const accounts = config.accounts;
const scope = 'api:read';

function signingKey(alg) {
  const { privateKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `${alg}-${randomBytes(4).toString('hex')}` };
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    // Both kinds of key are published; the client's algorithm picks which one signs.
    jwks: { keys: [signingKey('RS256'), signingKey('ES256')] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: [{
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: [config.redirect_uri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: config.alg,
    }],
    pkce: { methods: ['S256'], required: () => true },
    scopes: ['openid', 'profile', 'email', 'planledger'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], planledger: ['role', 'org'] },
    conformIdTokenClaims: false, // the scopes' claims go in the ID token itself
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, client, oneOf) => oneOf,
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== config.api_audience) throw new Provider.errors.InvalidTarget();
          return {
            scope, audience: config.api_audience, accessTokenTTL: 600,
            accessTokenFormat: 'jwt', jwt: { sign: { alg: config.alg } },
          };
        },
      },
    },
    async findAccount(ctx, sub) {
      if (!Object.hasOwn(accounts, sub)) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
    // A JWT access token for the other API says who the person is, as an ID token does.
    async extraTokenClaims(ctx, token) {
      const { sub, ...claims } = accounts[token.accountId] ?? {};
      return token.kind === 'AccessToken' ? claims : undefined;
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      // The only client is first-party: consent is given for it up front.
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile email planledger');
      grant.addResourceScope(config.api_audience, scope);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    process.stdout.write(`${req.method} ${path}\n`);
    const login = path.match(/^\/interaction\/([\w-]+)$/);
    if (!login) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Sign in</title><form method="post" action="${escape(path)}">`
          + '<label>Account <input name="login"></label><button>Sign in</button></form>');
        return;
      }
      const accountId = (await readForm(req)).get('login') ?? '';
      if (!Object.hasOwn(accounts, accountId)) {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('no such account');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId } },
        { mergeWithLastSubmission: false });
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    }
  });
  process.stdout.write(`listening ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
