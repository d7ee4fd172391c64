// A real OpenID Connect provider for the browser tests: panva's oidc-provider (an
// OpenID-certified implementation), on loopback, with its own development sign-in pages.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"port": N, "issuer": "http://127.0.0.1:N", "client": {client metadata},
// "accountsFile": "/path/accounts.json"}. accounts.json maps a login (the account's `sub`)
// to its claims ({"email": …, "given_name": …, "groups": […]}); it is read again at every
// sign-in, so a test changes someone's groups by rewriting it. Prints "ready <issuer>"
// once it listens.
import fs from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

function accounts() {
  return JSON.parse(fs.readFileSync(config.accountsFile, "utf8"));
}

const provider = new Provider(config.issuer, {
  clients: [config.client],
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    groups: ["groups"],
  },
  async findAccount(ctx, id) {
    const claims = accounts()[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  // The intranet is a first-party client (an area's IT consents for its staff, as in
  // Entra ID): no consent page. oidc-provider's documented recipe for that.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  cookies: { keys: ["neuvokas-test-provider-not-secret"] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
});
provider.proxy = false;

const server = provider.listen(config.port, "127.0.0.1", () => {
  console.log(`ready ${config.issuer}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
