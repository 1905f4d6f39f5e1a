/** X (Twitter) ingestion sources. */
import type { ImportSource } from '../shared/ingest/source.ts';
import { xPostsSource, type XTweetItem } from './x-posts.source.ts';

export { parseTweet, postRecordId, readXResponse, xPostsSource } from './x-posts.source.ts';
export type { XTweetItem, XUser } from './x-posts.source.ts';

/** Every source of this folder, for the CLI. */
export const SOURCES: ImportSource<XTweetItem>[] = [xPostsSource];
