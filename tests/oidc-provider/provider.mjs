// Local OpenID Connect provider for tests: node provider.mjs <port> <app base url>
// Fixed, fictional accounts; any password is accepted by the development login form.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const app = process.argv[3].replace(/\/$/, '');
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  medewerker: { sub: 'medewerker', name: 'Test Medewerker', preferred_username: 'medewerker@stad.example', email: 'medewerker@stad.example', roles: [], tid: 'test' },
  beheerder: { sub: 'beheerder', name: 'Test Beheerder', preferred_username: 'beheerder@stad.example', email: 'beheerder@stad.example', roles: ['Beheerder'], tid: 'test' },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'handbook-test',
    client_secret: 'test-secret-not-for-production',
    redirect_uris: [`${app}/signin-oidc`],
    post_logout_redirect_uris: [`${app}/signout-callback-oidc`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: { openid: ['sub', 'tid'], profile: ['name', 'preferred_username', 'roles'], email: ['email'] },
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => accounts[id] && { accountId: id, claims: async () => accounts[id] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
});
provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
