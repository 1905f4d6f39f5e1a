/**
 * URLs as we store them: access tokens and signatures removed (Meta's ad_snapshot_url carries
 * an access_token), everything else kept.
 */

/** Query parameters that carry credentials. */
const SECRET_PARAMS =
  /^(access_token|accesstoken|token|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|client_secret|password|auth|oauth_token|session)$/i;

/** The URL without credential parameters or user info; text that is not a URL comes back unchanged. */
export function stripTokens(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.username = '';
  u.password = '';
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(k)) u.searchParams.delete(k);
  return u.toString();
}
