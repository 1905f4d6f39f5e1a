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
  const hadUser = u.username !== '' || u.password !== '';
  u.username = '';
  u.password = '';
  // Filter the query text itself: rebuilding it through URLSearchParams would rewrite
  // parameters we keep (FEC image links are `?202410099684835318`, which would become `…=`).
  const parts = u.search.replace(/^\?/, '').split('&');
  const kept = parts.filter((p) => {
    const name = p.split('=')[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      /* keep the name as written */
    }
    return !SECRET_PARAMS.test(decoded);
  });
  if (kept.length === parts.length && !hadUser) return url;
  u.search = kept.filter((p) => p !== '').join('&');
  return u.toString();
}

/**
 * Raw bytes with the values of credential parameters in any URL inside them replaced by
 * `REDACTED` (`…&access_token=REDACTED&…`): for dead letters, whose bytes must stay as received
 * except for secrets. Bytes are read as latin-1, so everything else comes back byte for byte.
 */
export function redactTokenParams(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const redacted = text.replace(
    /([?&](?:amp;)?)([A-Za-z_.-]+)=([^&"'\s<>#\\]*)/g,
    (m, sep: string, name: string) => (SECRET_PARAMS.test(name) ? `${sep}${name}=REDACTED` : m),
  );
  return redacted === text ? raw : Buffer.from(redacted, 'latin1');
}
