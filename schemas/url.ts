/** URLs that are safe to publish: no access tokens. */
import { z } from 'zod';

/** Query parameters that carry credentials; ingestion strips them (Meta's ad_snapshot_url). */
export const CREDENTIAL_PARAM = /[?&#](access_token|oauth_token)=/i;

/**
 * An absolute http(s) URL with no access token in it. Ingestion strips `access_token` (and
 * `oauth_token`) before validation; a URL that still carries one is rejected.
 */
export const PublicUrl = z
  .url({ protocol: /^https?$/ })
  .max(4096)
  .refine((u) => !CREDENTIAL_PARAM.test(u), 'URL carries an access token: strip it at ingestion')
  .meta({
    id: 'PublicUrl',
    description:
      'Absolute URL. Zod-only rules: http or https only; no access_token or oauth_token parameter.',
  });

/**
 * A link as the source gives it (an advertiser's link can be `fb.me/x`, without a scheme): any
 * non-empty string, still without an access token.
 */
export const LinkText = z
  .string()
  .min(1)
  .max(4096)
  .refine((u) => !CREDENTIAL_PARAM.test(u), 'link carries an access token: strip it at ingestion')
  .meta({
    id: 'LinkText',
    description: 'A link as the source gives it. Zod-only rule: no access_token or oauth_token parameter.',
  });
