/**
 * URLs as we store them: access tokens and signatures removed (Meta's ad_snapshot_url carries
 * an access_token), everything else kept.
 */

/** Query parameters that carry credentials. */
const SECRET_PARAMS =
  /^(access_token|accesstoken|token|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|client_secret|password|auth|oauth_token|session)$/i;

/**
 * Query text the URL parser keeps as written: printable ASCII without the characters it
 * percent-encodes in a query (`"`, `<`, `>`; `'` is encoded too but decodes to itself), so the
 * parameter names read here are those `new URL(…).search` would give.
 */
const PLAIN_QUERY = /^[\x21\x24-\x3b\x3d\x3f-\x7e]*$/;

/**
 * True when `url` certainly comes back unchanged from {@link stripTokens}: no `@` (so no user
 * info), and no query, or a plain one whose parameter names are not credentials. Parsing a URL
 * costs more than the rest of an ad row; most links qualify.
 */
function plainlyClean(url: string): boolean {
  if (url.includes('@')) return false;
  const q = url.indexOf('?');
  if (q < 0) return true;
  const h = url.indexOf('#');
  if (h >= 0 && h < q) return true;
  const query = url.slice(q + 1, h < 0 ? undefined : h);
  if (!PLAIN_QUERY.test(query)) return false;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    let decoded = name;
    if (name.includes('%') || name.includes('+')) {
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* judged as written, as stripTokens does */
      }
    }
    if (SECRET_PARAMS.test(decoded)) return false;
  }
  return true;
}

/** The URL without credential parameters or user info; text that is not a URL comes back unchanged. */
export function stripTokens(url: string): string {
  if (plainlyClean(url)) return url;
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
