// Logs in to the simulator's Cognito endpoint with AWS's amazon-cognito-identity-js (USER_SRP_AUTH),
// then refreshes the session, and prints one JSON line per step for the .NET test to read.
// Usage: node login.js <endpoint> <userPoolId> <clientId> <username> <password>
'use strict';

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');

const [endpoint, userPoolId, clientId, username, password] = process.argv.slice(2);
const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint });
const user = new CognitoUser({ Username: username, Pool: pool });
const details = new AuthenticationDetails({ Username: username, Password: password });

function print(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

user.authenticateUser(details, {
  onSuccess(session) {
    print({
      step: 'login',
      ok: true,
      accessToken: session.getAccessToken().getJwtToken(),
      idToken: session.getIdToken().getJwtToken(),
      refreshToken: session.getRefreshToken().getToken(),
      sub: session.getAccessToken().payload.sub,
      exp: session.getAccessToken().getExpiration(),
    });
    user.refreshSession(session.getRefreshToken(), (err, refreshed) => {
      if (err) {
        print({ step: 'refresh', ok: false, code: err.code, message: err.message });
        process.exit(0);
      }
      print({ step: 'refresh', ok: true, accessToken: refreshed.getAccessToken().getJwtToken() });
      process.exit(0);
    });
  },
  onFailure(err) {
    print({ step: 'login', ok: false, code: err.code, message: err.message });
    process.exit(0);
  },
});
